package server_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/server"
	"griddesk/store"
	"griddesk/store/storetest"
)

// node is a second server over the fixture's database, as a city runs
// several behind a load balancer.
func (f *fixture) node() *fixture {
	f.t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, f.dsn, store.Options{Journal: true})
	if err != nil {
		f.t.Fatal(err)
	}
	srv, err := server.New(ctx, st, server.Options{MaxWait: 5 * time.Second})
	if err != nil {
		f.t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	f.t.Cleanup(func() { ts.Close(); st.Close() })
	return &fixture{t: f.t, dsn: f.dsn, st: st, srv: srv, ts: ts}
}

// TestNodesShareOneDatabase: two server nodes over one PostgreSQL
// database behave as one server. A case reported through node B wakes a
// long-poll waiting on node A at once; a token from A works on B and a
// logout on B ends it on A; a grid added through B places cases reported
// on A.
func TestNodesShareOneDatabase(t *testing.T) {
	storetest.Only(t, store.EnginePostgres)
	a := newFixture(t)
	b := a.node()
	if a.srv.ID() != b.srv.ID() {
		t.Fatalf("nodes name their database %s and %s: desks would start their copies afresh", a.srv.ID(), b.srv.ID())
	}
	tok := a.login("admin", adminPW)
	_, body := a.do("GET", "/api/v1/changes?limit=5000", tok, nil)
	after := body["last_seq"].(float64)

	// a long-poll on A, a report through B
	done := make(chan map[string]any)
	go func() {
		_, body := a.do("GET", "/api/v1/changes?wait=5&after="+jsonNum(after), tok, nil)
		done <- body
	}()
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	resp, rep := b.do("POST", "/api/v1/cases", tok, map[string]any{"title": "井盖缺失", "category": "road", "lon": 120.05, "lat": 30.05})
	if resp.StatusCode != 201 {
		t.Fatalf("report through B: %d %v (B refused A's token?)", resp.StatusCode, rep)
	}
	reported := time.Since(start)
	body = <-done
	took := time.Since(start)
	t.Logf("the report took %v", reported)
	cs := body["changes"].([]any)
	if len(cs) != 2 || cs[0].(map[string]any)["id"] != rep["id"] {
		t.Fatalf("A's long-poll got %v, want the case reported through B and its action", cs)
	}
	if took > time.Second {
		t.Errorf("a case reported through B reached a desk on A after %v (budget 1 s)", took)
	}
	t.Logf("reported on B, answered on A after %v", took)

	// a grid drawn through B places reports on A
	sq := orb.MultiPolygon{{{{121, 31}, {121.1, 31}, {121.1, 31.1}, {121, 31.1}, {121, 31}}}}
	if err := b.st.Update(context.Background(), func(tx *store.Tx) error {
		return tx.PutGrid(&domain.Grid{ID: "B2", Name: "二号网格", Level: domain.LevelBase, Geometry: sq})
	}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	for {
		_, c := a.do("POST", "/api/v1/cases", tok, map[string]any{"title": "占道", "category": "road", "lon": 121.05, "lat": 31.05})
		if c["grid_id"] == "B2" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a case reported on A in the grid added through B lies in %q after 1 s", c["grid_id"])
		}
		time.Sleep(20 * time.Millisecond)
	}

	// a logout on B ends the session on A at once (A had it cached)
	if resp, _ := a.do("GET", "/api/v1/me", tok, nil); resp.StatusCode != 200 {
		t.Fatalf("me on A: %d", resp.StatusCode)
	}
	if resp, _ := b.do("POST", "/api/v1/logout", tok, nil); resp.StatusCode != 204 {
		t.Fatalf("logout on B: %d", resp.StatusCode)
	}
	deadline = time.Now().Add(time.Second)
	for {
		resp, _ := a.do("GET", "/api/v1/me", tok, nil)
		if resp.StatusCode == 401 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("A still accepts a token logged out on B after 1 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
