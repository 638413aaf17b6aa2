package gpkg_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"griddesk/store"
	"griddesk/store/demo"
	"griddesk/store/gpkg"
)

var now = time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// townFixture is the demo town saved in a store and exported once, shared
// by the tests (generating and saving the town is the slow part).
type townFixture struct {
	st   *store.Store
	d    *demo.Dataset
	dir  string
	path string // whole-town snapshot
	sum  gpkg.Summary
}

var (
	fixOnce sync.Once
	fix     *townFixture
	fixErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if fix != nil {
		fix.st.Close()
		os.RemoveAll(fix.dir)
	}
	os.Exit(code)
}

func town(tb testing.TB) *townFixture {
	tb.Helper()
	fixOnce.Do(func() {
		ctx := context.Background()
		f := &townFixture{}
		if f.dir, fixErr = os.MkdirTemp("", "gpkg-test-*"); fixErr != nil {
			return
		}
		if f.st, fixErr = store.Open(ctx, filepath.Join(f.dir, "town.db"), store.Options{}); fixErr != nil {
			return
		}
		f.d = demo.Town(1, now)
		if fixErr = f.d.Save(ctx, f.st); fixErr != nil {
			return
		}
		f.path = filepath.Join(f.dir, "town.gpkg")
		f.sum, fixErr = gpkg.Export(ctx, f.st, f.path, gpkg.ExportOptions{Meta: gpkg.Metadata{
			Title: "临浦镇 test snapshot", ExportedBy: "auditor", Server: "https://griddesk.example", ServerID: "abc123",
			ExportedAt: now,
		}})
		fix = f
	})
	if fixErr != nil {
		tb.Fatalf("town fixture: %v", fixErr)
	}
	return fix
}

// copyFile copies the fixture snapshot for a test that damages it.
func copyFile(t *testing.T, src string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}
