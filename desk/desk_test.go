package desk_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"griddesk/desk"
	"griddesk/desk/replica"
	"griddesk/server/demo"
)

func waitOnline(t *testing.T, d *desk.Desk) {
	t.Helper()
	online := make(chan struct{}, 1)
	d.Subscribe(func(e desk.Event) {
		if e.Status != nil && e.Status.State == replica.StateOnline {
			select {
			case online <- struct{}{}:
			default:
			}
		}
	})
	if d.Status().State == replica.StateOnline {
		return
	}
	select {
	case <-online:
	case <-time.After(60 * time.Second):
		t.Fatalf("desk never came online: %+v", d.Status())
	}
}

func TestEmbeddedDemoTownAndCacheAcrossRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d, err := desk.Open(ctx, desk.Config{DataDir: dir, Backend: desk.BackendFrom(demo.Starter("town", false))})
	if err != nil {
		t.Fatal(err)
	}
	if d.NeedsLogin() {
		t.Fatal("the embedded demo must not ask for a login")
	}
	m, _ := d.MapData(ctx)
	if len(m.Grids) != 0 {
		t.Fatalf("a fresh cache has %d grids", len(m.Grids))
	}
	if err := d.Start(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	waitOnline(t, d)
	m, err = d.MapData(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Grids) != 92+675+11+4 || len(m.Entities) != 5960 {
		t.Fatalf("synced %d grids, %d entities", len(m.Grids), len(m.Entities))
	}
	rows, err := d.OpenCases(ctx, time.Now())
	if err != nil || len(rows) == 0 {
		t.Fatalf("open cases: %d, %v", len(rows), err)
	}
	for _, r := range rows {
		if r.CategoryInfo.Name == "" || r.GridName == "" {
			t.Fatalf("row without names: %+v", r)
		}
	}
	if d.User().Username != "admin" {
		t.Errorf("signed in as %q", d.User().Username)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	// a restart shows the cached town before anything connects
	d2, err := desk.Open(ctx, desk.Config{DataDir: dir, Backend: desk.BackendFrom(demo.Starter("town", false))})
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	m2, _ := d2.MapData(ctx)
	if len(m2.Grids) != len(m.Grids) || len(m2.Entities) != len(m.Entities) {
		t.Fatalf("cache after restart: %d grids, %d entities", len(m2.Grids), len(m2.Entities))
	}
	if s := d2.Status(); s.Rows == 0 || s.Cursor == 0 || s.LastSync.IsZero() {
		t.Fatalf("status before connecting = %+v, want the cached rows, cursor and last sync", s)
	}
}

func TestUnreachableServerWorksOffline(t *testing.T) {
	ctx := context.Background()
	d, err := desk.Open(ctx, desk.Config{DataDir: t.TempDir(), ServerURL: "http://127.0.0.1:1", User: "duty1", Password: "x"})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.NeedsLogin() {
		t.Fatal("credentials were given")
	}
	if err := d.Start(ctx, "", ""); err != nil {
		t.Fatalf("start against an unreachable server: %v, want offline work", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for d.Status().State != replica.StateOffline {
		if time.Now().After(deadline) {
			t.Fatalf("status = %+v, want offline", d.Status())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestWrongPasswordIsRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// a real server: the embedded one of another desk
	host, err := desk.Open(ctx, desk.Config{DataDir: dir, Backend: desk.BackendFrom(demo.Starter("none", false))})
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	if err := host.Start(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	url := host.ServerURL()
	d, err := desk.Open(ctx, desk.Config{DataDir: t.TempDir(), ServerURL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if !d.NeedsLogin() {
		t.Fatal("a server without credentials must ask for a login")
	}
	if err := d.Start(ctx, "admin", "wrong"); !errors.Is(err, desk.ErrBadCredentials) {
		t.Fatalf("start with a wrong password: %v", err)
	}
}

func TestEmbeddedSimulatorStartsAndStops(t *testing.T) {
	ctx := context.Background()
	d, err := desk.Open(ctx, desk.Config{DataDir: t.TempDir(), Backend: desk.BackendFrom(demo.Starter("town", true))})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Start(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	waitOnline(t, d)
	done := make(chan error, 1)
	go func() { done <- d.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("closing a desk with a running simulator hung")
	}
}
