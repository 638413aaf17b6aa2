package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"griddesk/domain"
	"griddesk/server"
	"griddesk/store"
	"griddesk/store/storetest"
)

// TestMigrateDB: the demo town on SQLite, with its photos and a session,
// moves into an empty PostgreSQL database: every table counted on both
// sides, the same server identity, and a desk's cursor reads the same
// journal rows after the move as before.
func TestMigrateDB(t *testing.T) {
	storetest.Only(t, store.EnginePostgres)
	ctx := context.Background()
	from := filepath.Join(t.TempDir(), "town.db")
	src, err := store.Open(ctx, from, store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.Bootstrap(ctx, src, server.SeedTown, "correct-horse-battery", time.Now()); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ctx, src, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	before, err := src.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cursor := int64(1000)
	page := func(st *store.Store) []domain.Change {
		cs, _, _, err := st.ChangesIn(ctx, store.Scope{All: true}, cursor, 50)
		if err != nil {
			t.Fatal(err)
		}
		return cs
	}
	want := page(src)
	src.Close()

	to := storetest.PostgresBare(t)
	var out bytes.Buffer
	if err := migrateDB(ctx, []string{"-from", from, "-to", to}, &out); err != nil {
		t.Fatalf("migrate-db: %v\n%s", err, out.String())
	}
	t.Log(out.String())
	for _, table := range []string{"photos", "changes", "change_scopes", "credentials", "cases", "case_actions", "meta"} {
		if !strings.Contains(out.String(), "  "+table+" ") {
			t.Errorf("migrate-db did not report table %s", table)
		}
	}
	dst, err := store.Open(ctx, to, store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	after, _ := dst.Counts(ctx)
	for k, n := range before {
		if after[k] != n {
			t.Errorf("%s: %d rows before, %d after", k, n, after[k])
		}
	}
	moved, err := server.New(ctx, dst, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if moved.ID() != srv.ID() {
		t.Errorf("the server's identity changed from %s to %s: desks would start afresh", srv.ID(), moved.ID())
	}
	got := page(dst)
	if len(got) != len(want) || len(got) == 0 || got[0].Seq != want[0].Seq || !bytes.Equal(got[len(got)-1].Data, want[len(want)-1].Data) {
		t.Errorf("a desk's page after seq %d differs after the move: %d rows vs %d", cursor, len(got), len(want))
	}
	if err := moved.SetPassword(ctx, "admin", "another-password"); err != nil {
		t.Fatal(err)
	}
	if err := migrateDB(ctx, []string{"-from", from, "-to", to}, &out); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a second migration into the same database: %v, want a refusal", err)
	}
}
