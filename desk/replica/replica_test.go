package replica_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"griddesk/desk/replica"
	"griddesk/domain"
	"griddesk/server"
	"griddesk/store"
)

const pw = "desk-test-password"

type backend struct {
	st  *store.Store
	srv *server.Server
	ts  *httptest.Server
}

func newBackend(t testing.TB, seed string) *backend {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "server.db"), store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.Bootstrap(ctx, st, seed, pw, time.Now()); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ctx, st, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); st.Close() })
	return &backend{st: st, srv: srv, ts: ts}
}

func openDesk(t testing.TB, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(dir, "cache.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func creds() (string, string) { return "admin", pw }

func sameCounts(t *testing.T, a, b *store.Store) {
	t.Helper()
	ca, _ := a.Counts(context.Background())
	cb, _ := b.Counts(context.Background())
	for _, k := range domain.Kinds() {
		if ca[k] != cb[k] {
			t.Errorf("%s: server %d, desk %d", k, ca[k], cb[k])
		}
	}
}

func TestInitialAndIncrementalPull(t *testing.T) {
	ctx := context.Background()
	be := newBackend(t, server.SeedTown)
	dir := t.TempDir()
	desk := openDesk(t, dir)
	c := replica.NewClient(be.ts.URL)
	if _, err := c.Login(ctx, "admin", pw); err != nil {
		t.Fatal(err)
	}
	r := replica.New(desk, c, replica.Options{PageSize: 997})
	n, err := r.Pull(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n < 10000 {
		t.Fatalf("initial pull applied %d changes, want the whole town", n)
	}
	sameCounts(t, be.st, desk)
	last, _ := be.st.LastSeq(ctx)
	if r.Status().Cursor != last {
		t.Fatalf("cursor %d, server at %d", r.Status().Cursor, last)
	}
	// incremental: one report is two rows (case and its action)
	if _, err := c.Report(ctx, replica.ReportRequest{Title: "路灯不亮", Category: "road", Lon: 120.25, Lat: 30.06}); err != nil {
		t.Fatal(err)
	}
	if n, err := r.Pull(ctx, 0); err != nil || n != 2 {
		t.Fatalf("incremental pull: %d, %v; want 2", n, err)
	}
	sameCounts(t, be.st, desk)

	// the cursor survives a restart: a new replica on the reopened cache pulls nothing old
	desk.Close()
	desk = openDesk(t, dir)
	defer desk.Close()
	if got := replica.LocalStatus(ctx, desk).Cursor; got != r.Status().Cursor {
		t.Fatalf("cursor after restart %d, want %d", got, r.Status().Cursor)
	}
	r2 := replica.New(desk, c, replica.Options{})
	if n, err := r2.Pull(ctx, 0); err != nil || n != 0 {
		t.Fatalf("pull after restart applied %d (%v), want 0", n, err)
	}
}

func TestLongPollWakesTheDesk(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	be := newBackend(t, server.SeedNone)
	desk := openDesk(t, t.TempDir())
	defer desk.Close()
	var cases atomic.Int32
	ready := make(chan struct{}, 16)
	r := replica.New(desk, replica.NewClient(be.ts.URL), replica.Options{
		Credentials: creds, Wait: 10 * time.Second,
		OnData: func(kinds map[string]bool) {
			if kinds[domain.KindCase] {
				cases.Add(1)
			}
		},
		OnStatus: func(s replica.Status) {
			if s.State == replica.StateOnline {
				select {
				case ready <- struct{}{}:
				default:
				}
			}
		},
	})
	go r.Run(ctx)
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("the desk never came online")
	}
	time.Sleep(100 * time.Millisecond) // let it settle into the long-poll
	field := replica.NewClient(be.ts.URL)
	field.Login(ctx, "admin", pw)
	start := time.Now()
	if _, err := field.Report(ctx, replica.ReportRequest{Title: "河面漂浮垃圾", Category: "water", Lon: 120.2, Lat: 30.1}); err != nil {
		t.Fatal(err)
	}
	for cases.Load() == 0 {
		if time.Since(start) > 5*time.Second {
			t.Fatal("the reported case did not reach the desk")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cs, _ := desk.Cases(ctx)
	if len(cs) != 1 || cs[0].Title != "河面漂浮垃圾" {
		t.Fatalf("desk cases = %+v", cs)
	}
}

func TestOfflineThenBack(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	be := newBackend(t, server.SeedNone)
	url := be.ts.URL
	be.ts.Close() // the server is down
	desk := openDesk(t, t.TempDir())
	defer desk.Close()
	states := make(chan string, 64)
	r := replica.New(desk, replica.NewClient(url), replica.Options{
		Credentials: creds, MinRetry: 50 * time.Millisecond, MaxRetry: 200 * time.Millisecond,
		OnStatus: func(s replica.Status) {
			select {
			case states <- s.State:
			default:
			}
		},
	})
	go r.Run(ctx)
	waitState := func(want string) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case s := <-states:
				if s == want {
					return
				}
			case <-deadline:
				t.Fatalf("never reached state %s (now %+v)", want, r.Status())
			}
		}
	}
	waitState(replica.StateOffline)
	if r.Status().Err == "" {
		t.Error("offline status carries no reason")
	}
	// the same server comes back on the same address
	ts := httptest.NewUnstartedServer(be.srv.Handler())
	ts.Listener.Close()
	l, err := netListen(url)
	if err != nil {
		t.Skipf("cannot rebind %s: %v", url, err)
	}
	ts.Listener = l
	ts.Start()
	defer ts.Close()
	waitState(replica.StateOnline)
	sameCounts(t, be.st, desk)
}

func TestNewServerResetsTheCopy(t *testing.T) {
	ctx := context.Background()
	a, b := newBackend(t, server.SeedNone), newBackend(t, server.SeedNone)
	a.srv.ReportCase(ctx, domain.User{ID: "U-ADMIN"}, server.ReportRequest{Title: "旧服务器的案件", Category: "noise", Lon: 120, Lat: 30})
	desk := openDesk(t, t.TempDir())
	defer desk.Close()
	for _, be := range []*backend{a, b} {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		online := make(chan struct{})
		var once atomic.Bool
		r := replica.New(desk, replica.NewClient(be.ts.URL), replica.Options{Credentials: creds, Wait: time.Second,
			OnStatus: func(s replica.Status) {
				if s.State == replica.StateOnline && once.CompareAndSwap(false, true) {
					close(online)
				}
			}})
		go r.Run(ctx)
		<-online
		cancel()
		time.Sleep(50 * time.Millisecond)
	}
	sameCounts(t, b.st, desk)
	if cs, _ := desk.Cases(ctx); len(cs) != 0 {
		t.Fatalf("the old server's cases survived the switch: %+v", cs)
	}
}

// The city's figures are BenchmarkCity's (city_test.go).
func BenchmarkInitialSyncTown(b *testing.B) { benchInitialSync(b, server.SeedTown) }

func benchInitialSync(b *testing.B, seed string) {
	ctx := context.Background()
	be := newBackend(b, seed)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		desk := openDesk(b, b.TempDir())
		c := replica.NewClient(be.ts.URL)
		b.StartTimer()
		if _, err := c.Login(ctx, "admin", pw); err != nil {
			b.Fatal(err)
		}
		if _, err := replica.New(desk, c, replica.Options{}).Pull(ctx, 0); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		desk.Close()
		b.StartTimer()
	}
}
