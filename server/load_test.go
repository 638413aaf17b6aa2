package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/server"
	"griddesk/store"
	"griddesk/store/storetest"
)

// Load test parameters (issue 3): 200 desks long-polling the change feed
// while field systems report 50 cases a second, all on loopback.
const (
	loadDesks       = 200
	loadRate        = 50 // reports per second
	loadPageRate    = 20 // door plate pages per second (phones that scanned a plate)
	loadReporters   = 16 // goroutines sending reports
	loadWait        = 25 // long-poll seconds
	loadBudget      = 100 * time.Millisecond
	loadTitlePrefix = "负载测试 #"
	loadSettle      = 10 * time.Second // how long desks may take to see the last report
)

// TestLoad runs only when GRIDDESK_LOAD holds a duration (make load: 60s,
// make test: 5s). It fails on any HTTP or server error, on a lost or
// duplicated case, on a desk that missed a case or a door plate page that
// failed; it measures the latencies and says when a p99 is over its budget
// ("load: OVER BUDGET"), which is judged by a person, not by the test (a
// busy machine would fail it, not slow code). Report latency is measured from the moment a report
// was due (so a backlog behind the reporter pool counts), delivery latency
// from the moment the report was sent to the moment a desk had it decoded.
func TestLoad(t *testing.T) {
	env := os.Getenv("GRIDDESK_LOAD")
	if env == "" {
		t.Skip("set GRIDDESK_LOAD to a duration (e.g. 60s) to run the load test")
	}
	dur, err := time.ParseDuration(env)
	if err != nil || dur < time.Second || dur > 30*time.Minute {
		t.Fatalf("GRIDDESK_LOAD=%q: want a duration from 1s to 30m", env)
	}
	total := int(dur * loadRate / time.Second)
	interval := time.Second / loadRate

	ctx := context.Background()
	dsn := storetest.DSN(t)
	st, err := store.Open(ctx, dsn, store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	setup := time.Now()
	if _, err := server.Bootstrap(ctx, st, server.SeedTown, adminPW, time.Now()); err != nil {
		t.Fatal(err)
	}
	serverErrs := &lineCounter{}
	srv, err := server.New(ctx, st, server.Options{Logger: slog.New(slog.NewTextHandler(serverErrs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	deskUsers := []string{"duty1", "duty2", "duty3", "auditor"}
	reportUsers := []string{"field-app", "hotline"}
	for _, u := range append(slices.Clone(deskUsers), reportUsers...) {
		if err := srv.SetPassword(ctx, u, adminPW); err != nil {
			t.Fatal(err)
		}
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	// on PostgreSQL, two server nodes over the database share the desks and
	// the reporters, as behind a load balancer
	urls := []string{ts.URL}
	if storetest.Engine() == store.EnginePostgres {
		st2, err := store.Open(ctx, dsn, store.Options{Journal: true})
		if err != nil {
			t.Fatal(err)
		}
		defer st2.Close()
		srv2, err := server.New(ctx, st2, server.Options{Logger: slog.New(slog.NewTextHandler(serverErrs, nil))})
		if err != nil {
			t.Fatal(err)
		}
		ts2 := httptest.NewServer(srv2.Handler())
		defer ts2.Close()
		urls = append(urls, ts2.URL)
	}

	// places to report from: the town's entities
	ents, err := st.Entities(ctx)
	if err != nil || len(ents) == 0 {
		t.Fatalf("town entities: %d, %v", len(ents), err)
	}
	cats := domain.Categories()

	// every desk signs in on its own (bcrypt makes this the slow part of the setup)
	loginClient := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	defer loginClient.CloseIdleConnections()
	tokens := make([]string, loadDesks+len(reportUsers))
	var loginErr atomic.Value
	var lwg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := range tokens {
		user := deskUsers[i%len(deskUsers)]
		if i >= loadDesks {
			user = reportUsers[i-loadDesks]
		}
		lwg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; lwg.Done() }()
			tok, err := loadLogin(loginClient, ts.URL, user, adminPW)
			if err != nil {
				loginErr.Store(err)
			}
			tokens[i] = tok
		}()
	}
	lwg.Wait()
	if err, _ := loginErr.Load().(error); err != nil {
		t.Fatal(err)
	}
	startSeq, err := st.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("setup (town, %d logins) took %v; feed at seq %d", len(tokens), time.Since(setup).Round(time.Millisecond), startSeq)

	// desks: each follows the feed from the current end, as a synced desk does
	deskCtx, stopDesks := context.WithCancel(ctx)
	defer stopDesks()
	desks := make([]*loadDesk, loadDesks)
	var dwg sync.WaitGroup
	for i := range desks {
		d := &loadDesk{
			url: urls[i%len(urls)], token: tokens[i], cursor: startSeq, seen: make([]time.Time, total),
			client: &http.Client{Timeout: (loadWait + 15) * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2}},
		}
		desks[i] = d
		dwg.Add(1)
		go func() { defer dwg.Done(); d.run(deskCtx) }()
	}
	// let every desk reach its long-poll before the first report
	time.Sleep(min(2*time.Second, 200*time.Millisecond+dur/10))

	// reporters: a dispatcher hands out report numbers on schedule, a pool sends them
	type result struct {
		due, sent, done time.Time
		id              string
		status          int
		err             error
	}
	results := make([]result, total)
	jobs := make(chan int, total)
	start := time.Now()
	cpu0 := cpuTime()
	go func() {
		defer close(jobs)
		for i := range total {
			due := start.Add(time.Duration(i) * interval)
			if d := time.Until(due); d > 0 {
				time.Sleep(d)
			}
			jobs <- i
		}
	}()
	repClient := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: loadReporters}}
	defer repClient.CloseIdleConnections()
	var rwg sync.WaitGroup
	for w := range loadReporters {
		tok := tokens[loadDesks+w%len(reportUsers)]
		url := urls[w%len(urls)]
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			for i := range jobs {
				e := ents[(i*7919)%len(ents)]
				body, _ := json.Marshal(server.ReportRequest{
					Title: loadTitlePrefix + strconv.Itoa(i), Category: cats[i%len(cats)].Key, Source: domain.SourceSensor,
					Lon: e.Lon, Lat: e.Lat, EntityID: e.ID, Description: "load test report",
				})
				r := &results[i]
				r.due = start.Add(time.Duration(i) * interval)
				r.sent = time.Now()
				r.status, r.id, r.err = loadReport(repClient, url, tok, body)
				r.done = time.Now()
			}
		}()
	}
	stopPages := make(chan struct{})
	pages := pageLoad(ts.URL, ents, loadPageRate, stopPages) // phones scanning plates meanwhile
	rwg.Wait()
	close(stopPages)
	pageLat, pageFailed := pages()
	reportsDone := time.Now()
	t.Logf("%d reports sent in %v", total, reportsDone.Sub(start).Round(time.Millisecond))

	// every desk must see every case within loadSettle after the last report
	for time.Since(reportsDone) < loadSettle {
		behind := 0
		for _, d := range desks {
			if int(d.seenN.Load()) < total {
				behind++
			}
		}
		if behind == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cpu := cpuTime() - cpu0
	stopDesks()
	deskDone := make(chan struct{})
	go func() { dwg.Wait(); close(deskDone) }()
	select {
	case <-deskDone:
	case <-time.After(10 * time.Second):
		t.Fatal("desks did not stop within 10s of being cancelled")
	}
	for _, d := range desks {
		d.client.CloseIdleConnections()
	}

	// no HTTP error anywhere, every report answered 201
	var repLat, delLat []time.Duration
	bad := 0
	for i, r := range results {
		if r.err != nil || r.status != http.StatusCreated || r.id == "" {
			if bad++; bad <= 5 {
				t.Errorf("report %d: status %d, id %q, %v", i, r.status, r.id, r.err)
			}
			continue
		}
		repLat = append(repLat, r.done.Sub(r.due))
	}
	if bad > 0 {
		t.Errorf("%d of %d reports failed", bad, total)
	}
	missed, dupes, deskErrs := 0, 0, 0
	for n, d := range desks {
		deskErrs += len(d.errs)
		for _, e := range d.errs[:min(len(d.errs), 3)] {
			t.Errorf("desk %d: %s", n, e)
		}
		dupes += d.dupes
		for i, at := range d.seen {
			if at.IsZero() {
				if missed++; missed <= 5 {
					t.Errorf("desk %d never saw report %d", n, i)
				}
				continue
			}
			delLat = append(delLat, at.Sub(results[i].sent))
		}
	}
	if deskErrs > 0 {
		t.Errorf("desks met %d errors", deskErrs)
	}
	if missed > 0 {
		t.Errorf("%d (desk, case) deliveries missing", missed)
	}
	if dupes > 0 {
		t.Errorf("desks were sent %d changes at or before their cursor", dupes)
	}
	if n, first := serverErrs.get(); n > 0 {
		t.Errorf("server logged %d errors, first: %s", n, first)
	}

	// the server holds exactly the reported cases, each once, under the ID it answered
	cases, err := st.Cases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	count := make([]int, total)
	for _, c := range cases {
		num, ok := strings.CutPrefix(c.Title, loadTitlePrefix)
		if !ok {
			continue
		}
		i, err := strconv.Atoi(num)
		if err != nil || i < 0 || i >= total {
			t.Errorf("stray case %s %q", c.ID, c.Title)
			continue
		}
		if count[i]++; results[i].id != "" && c.ID != results[i].id {
			t.Errorf("report %d stored as %s, answered %s", i, c.ID, results[i].id)
		}
	}
	lost, dup := 0, 0
	for i, n := range count {
		switch {
		case n == 0:
			if lost++; lost <= 5 {
				t.Errorf("report %d is not on the server", i)
			}
		case n > 1:
			if dup++; dup <= 5 {
				t.Errorf("report %d is on the server %d times", i, n)
			}
		}
	}

	rp50, rp99, rmax := percentiles(repLat)
	dp50, dp99, dmax := percentiles(delLat)
	line := fmt.Sprintf("load: (%s, %d server nodes) %d reports in %v to %d desks, %d errors, %d lost, %d duplicated; report p50 %v p99 %v max %v (budget %v); delivery p50 %v p99 %v max %v; cpu %.0f%% of a core, %.1f ms cpu per report (server and clients)",
		storetest.Engine(), len(urls), total, dur, loadDesks, bad+deskErrs, lost, dup, rp50, rp99, rmax, loadBudget, dp50, dp99, dmax, 100*cpu.Seconds()/time.Since(start).Seconds(), cpu.Seconds()*1000/float64(total))
	t.Log(line)
	fmt.Println(line)
	pp50, pp99, pmax := percentiles(pageLat)
	pline := fmt.Sprintf("load: %d door plate pages (%d/s) meanwhile, %d failed; page p50 %v p99 %v max %v (budget %v)",
		len(pageLat)+pageFailed, loadPageRate, pageFailed, pp50, pp99, pmax, pageBudget)
	t.Log(pline)
	fmt.Println(pline)
	if pageFailed > 0 {
		t.Errorf("door plate pages: %d failed", pageFailed)
	}
	// the latencies are measured and said, never a test's verdict (a timed
	// test fails on a busy machine, not on slow code): the budgets are
	// judged from these lines and from make bench
	for _, over := range []struct {
		what        string
		got, budget time.Duration
	}{{"report p99", rp99, loadBudget}, {"door plate page p99", pp99, pageBudget}} {
		if over.got > over.budget {
			fmt.Printf("load: OVER BUDGET: %s %v, budget %v (%s, %d server nodes)\n", over.what, over.got, over.budget, storetest.Engine(), len(urls))
		}
	}
}

// loadDesk follows the change feed the way a desk does, remembering when it
// first saw each load-test case.
type loadDesk struct {
	url, token string
	client     *http.Client
	cursor     int64
	seen       []time.Time // by report number
	seenN      atomic.Int32
	dupes      int
	errs       []string
}

func (d *loadDesk) run(ctx context.Context) {
	for ctx.Err() == nil {
		page, err := d.poll(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if len(d.errs) < 100 {
				d.errs = append(d.errs, err.Error())
			}
			select { // do not spin on a broken server
			case <-ctx.Done():
			case <-time.After(100 * time.Millisecond):
			}
			continue
		}
		now := time.Now()
		for _, c := range page.Changes {
			if c.Seq <= d.cursor {
				d.dupes++
				continue
			}
			d.cursor = c.Seq
			if c.Kind != domain.KindCase {
				continue
			}
			var row struct {
				Title string `json:"title"`
			}
			if err := json.Unmarshal(c.Data, &row); err != nil {
				d.errs = append(d.errs, fmt.Sprintf("case %s: %v", c.ID, err))
				continue
			}
			num, ok := strings.CutPrefix(row.Title, loadTitlePrefix)
			if !ok {
				continue
			}
			if i, err := strconv.Atoi(num); err == nil && i >= 0 && i < len(d.seen) && d.seen[i].IsZero() {
				d.seen[i] = now
				d.seenN.Add(1)
			}
		}
		if page.LastSeq > d.cursor {
			d.cursor = page.LastSeq
		}
	}
}

func (d *loadDesk) poll(ctx context.Context) (server.ChangesResponse, error) {
	var page server.ChangesResponse
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		fmt.Sprintf("%s/api/v1/changes?after=%d&limit=1000&wait=%d", d.url, d.cursor, loadWait), nil)
	if err != nil {
		return page, err
	}
	req.Header.Set("Authorization", "Bearer "+d.token)
	resp, err := d.client.Do(req)
	if err != nil {
		return page, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return page, fmt.Errorf("GET changes after %d: %d %s", d.cursor, resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		return page, fmt.Errorf("GET changes after %d: %w", d.cursor, err)
	}
	return page, nil
}

func loadLogin(c *http.Client, url, user, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	resp, err := c.Post(url+"/api/v1/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("login %s: %w", user, err)
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || out.Token == "" {
		return "", fmt.Errorf("login %s: status %d, %v", user, resp.StatusCode, err)
	}
	return out.Token, nil
}

func loadReport(c *http.Client, url, token string, body []byte) (status int, id string, err error) {
	req, err := http.NewRequest(http.MethodPost, url+"/api/v1/cases", bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var out struct {
		ID string `json:"id"`
	}
	if resp.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return resp.StatusCode, "", fmt.Errorf("POST cases: %d %s", resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return resp.StatusCode, "", fmt.Errorf("POST cases: %w", err)
	}
	return resp.StatusCode, out.ID, nil
}

// percentiles returns the p50, p99 and maximum of ds (rounded for printing).
func percentiles(ds []time.Duration) (p50, p99, worst time.Duration) {
	if len(ds) == 0 {
		return 0, 0, 0
	}
	slices.Sort(ds)
	at := func(q float64) time.Duration {
		return ds[min(len(ds)-1, int(q*float64(len(ds))))].Round(100 * time.Microsecond)
	}
	return at(0.50), at(0.99), ds[len(ds)-1].Round(100 * time.Microsecond)
}

// cpuTime is the CPU time this process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// lineCounter counts the lines the server logs (it logs only request errors).
type lineCounter struct {
	mu    sync.Mutex
	n     int
	first string
}

func (l *lineCounter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n += bytes.Count(p, []byte("\n"))
	if l.first == "" {
		l.first = strings.TrimSpace(string(p))
	}
	return len(p), nil
}

func (l *lineCounter) get() (int, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n, l.first
}

// TestFeedMatchesJournal checks the in-memory tail of the change feed
// (feed.go) against the journal itself: for every cursor and page size the
// API answers exactly what store.Changes does, through superseded rows
// (a case changed by later commands), a tail that has dropped its oldest
// rows, and a write that bypassed the server.
func TestFeedMatchesJournal(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tok := f.login("admin", adminPW)
	get := func(after int64, limit int) server.ChangesResponse {
		t.Helper()
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/changes?after=%d&limit=%d", f.ts.URL, after, limit), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var p server.ChangesResponse
		if err := json.NewDecoder(resp.Body).Decode(&p); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("changes after %d: %d %v", after, resp.StatusCode, err)
		}
		return p
	}
	compare := func(from int64) {
		t.Helper()
		top, _ := f.st.LastSeq(ctx)
		for after := from; after <= top+1; after++ {
			for _, limit := range []int{1, 2, 3, 5000} {
				got := get(after, limit)
				cs, last, more, err := f.st.Changes(ctx, after, limit)
				if err != nil {
					t.Fatal(err)
				}
				gotJSON, _ := json.Marshal(got.Changes)
				wantJSON, _ := json.Marshal(cs)
				if !bytes.Equal(gotJSON, wantJSON) || got.LastSeq != last || got.More != more {
					t.Fatalf("after %d limit %d: feed %s last %d more %v; journal %s last %d more %v",
						after, limit, gotJSON, got.LastSeq, got.More, wantJSON, last, more)
				}
			}
		}
	}
	start, _ := f.st.LastSeq(ctx)
	get(start, 1) // the feed starts its tail here
	report := func(i int) map[string]any {
		resp, body := f.do("POST", "/api/v1/cases", tok, map[string]any{"title": fmt.Sprintf("案件 %d", i), "category": "noise", "lon": 120.05, "lat": 30.05})
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("report: %d %v", resp.StatusCode, body)
		}
		return body
	}
	var ids []string
	for i := range 4 {
		ids = append(ids, report(i)["id"].(string))
	}
	// commands rewrite the cases: their earlier rows leave the journal
	for _, id := range ids[:3] {
		reg, _ := command.New(command.CaseRegister, command.CaseArgs{CaseID: id}, 0, time.Now())
		rej, _ := command.New(command.CaseReject, command.CaseArgs{CaseID: id, Note: "重复上报"}, 0, time.Now())
		cmds := []domain.Command{reg}
		if id != ids[0] {
			cmds = append(cmds, rej)
		}
		resp, body := f.do("POST", "/api/v1/commands", tok, map[string]any{"commands": cmds})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("commands: %d %v", resp.StatusCode, body)
		}
		get(start, 1) // let the tail take each write on its own
	}
	compare(start - 2)

	// a write that bypasses the server reaches new requests within a second or so
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		return tx.PutUnit(&domain.Unit{ID: "U-NEW", Name: "新单位", Kind: domain.UnitStation})
	})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		p := get(start, 5000)
		if n := len(p.Changes); n > 0 && p.Changes[n-1].ID == "U-NEW" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a unit written past the server never reached the feed")
		}
	}
	compare(start)

	// past a few thousand rows the tail drops its oldest: those are read from the journal
	if testing.Short() {
		return
	}
	for i := range 3000 {
		if _, err := f.srv.ReportCase(ctx, domain.User{ID: "U-ADMIN"}, server.ReportRequest{Title: fmt.Sprintf("批量 %d", i), Category: "noise", Lon: 120.05, Lat: 30.05}); err != nil {
			t.Fatal(err)
		}
		if i%500 == 0 {
			get(start, 1)
		}
	}
	top, _ := f.st.LastSeq(ctx)
	afters := []int64{start, start + 1, top - 3, top}
	for after := top - 5300; after < top-3900; after++ { // where the tail now begins
		afters = append(afters, after)
	}
	for i, after := range afters {
		for _, limit := range []int{2, 5000}[:2-min(i, 4)/4] { // the whole rest only for the first few
			got := get(after, limit)
			cs, last, more, _ := f.st.Changes(ctx, after, limit)
			gotJSON, _ := json.Marshal(got.Changes)
			wantJSON, _ := json.Marshal(cs)
			if !bytes.Equal(gotJSON, wantJSON) || got.LastSeq != last || got.More != more {
				t.Fatalf("after %d limit %d: feed and journal differ (%d vs %d changes, last %d vs %d)", after, limit, len(got.Changes), len(cs), got.LastSeq, last)
			}
		}
	}
}
