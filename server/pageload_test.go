package server_test

import (
	"io"
	"net/http"
	"sync"
	"time"

	"griddesk/domain"
)

// pageBudget is the door plate page's p99 under load (issue 18).
const pageBudget = 20 * time.Millisecond

// pageLoad opens door plate pages (GET /p/{token}, as phones that scanned
// a plate do) at rate a second from start until stop is closed, on the
// schedule (a slow answer does not slow the next request), and returns a
// func that waits for them and gives each page's latency from its due time.
func pageLoad(url string, ents []domain.Entity, rate int, stop <-chan struct{}) func() ([]time.Duration, int) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	var lat []time.Duration
	var failed int
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	start := time.Now()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			due := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
			select {
			case <-stop:
				return
			case <-time.After(time.Until(due)):
			}
			e := ents[(i*104729)%len(ents)]
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := client.Get(url + "/p/" + e.QRToken)
				ok := err == nil && res.StatusCode == http.StatusOK
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				took := time.Since(due)
				mu.Lock()
				defer mu.Unlock()
				if !ok {
					failed++
					return
				}
				lat = append(lat, took)
			}()
		}
	}()
	return func() ([]time.Duration, int) {
		wg.Wait()
		client.CloseIdleConnections()
		mu.Lock()
		defer mu.Unlock()
		return lat, failed
	}
}
