package replica_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"griddesk/desk/replica"
	"griddesk/domain"
	"griddesk/server"
)

// BenchmarkChangeLatency measures a server change becoming visible on a desk
// (DESIGN.md §7, budget 1 s): a desk on the demo town runs its sync loop,
// long-polling; each iteration a field system reports a case over the API and
// the clock stops when the desk's OnData callback has applied a page with
// that case in it. ns/op is report → visible; report-ms/op is the report's
// own round trip.
func BenchmarkChangeLatency(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	be := newBackend(b, server.SeedTown)
	desk := openDesk(b, b.TempDir())
	defer desk.Close()
	applied := make(chan time.Time, 64)
	r := replica.New(desk, replica.NewClient(be.ts.URL), replica.Options{
		Credentials: creds,
		OnData: func(kinds map[string]bool) {
			if kinds[domain.KindCase] {
				select {
				case applied <- time.Now():
				default:
				}
			}
		},
	})
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	// the initial sync of the town, then a moment to settle into the long-poll
	last, err := be.st.LastSeq(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); r.Status().Cursor < last || r.Status().State != replica.StateOnline; {
		if time.Now().After(deadline) {
			b.Fatalf("the desk did not sync the town: %+v", r.Status())
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	field := replica.NewClient(be.ts.URL)
	if _, err := field.Login(ctx, "admin", pw); err != nil {
		b.Fatal(err)
	}

	var reporting, worst time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for len(applied) > 0 { // a page from before this report
			<-applied
		}
		start := time.Now()
		c, err := field.Report(ctx, replica.ReportRequest{Title: fmt.Sprintf("延迟测试 %d", i), Category: "road", Lon: 120.25, Lat: 30.06})
		if err != nil {
			b.Fatal(err)
		}
		reporting += time.Since(start)
		for seen := false; !seen; {
			select {
			case at := <-applied:
				// the page that brought it (an earlier page may still be on its way)
				if _, err := desk.Case(ctx, c.ID); err == nil {
					seen = true
					worst = max(worst, at.Sub(start))
				}
			case <-time.After(10 * time.Second):
				b.Fatalf("case %s never reached the desk (%+v)", c.No, r.Status())
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(reporting.Seconds()*1000/float64(b.N), "report-ms/op")
	b.ReportMetric(float64(worst.Microseconds())/1000, "max-ms")
	if worst > time.Second {
		b.Logf("slowest change took %v, over the 1 s budget", worst)
	}
}
