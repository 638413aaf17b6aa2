package web_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"
)

// BenchmarkEntityPage is the door plate page of the demo town over loopback
// HTTP (store, template, network): one op is one page a phone opened. It
// reports the p99 of the pages it timed against the 20 ms budget (issue 18;
// make load measures it again under 200 desks and 50 reports a second).
func BenchmarkEntityPage(b *testing.B) {
	tw := newTown(b)
	ents, err := tw.st.Entities(context.Background())
	if err != nil || len(ents) == 0 {
		b.Fatalf("town: %d entities, %v", len(ents), err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		res, err := client.Get(tw.url + "/p/" + ents[(i*104729)%len(ents)].QRToken)
		if err != nil || res.StatusCode != http.StatusOK {
			b.Fatalf("page: %v %v", res, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
