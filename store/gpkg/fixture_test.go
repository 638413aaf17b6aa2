package gpkg_test

import (
	"context"
	"encoding/json"
	"fmt"
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
	// plans and visits published in the town (the demo publishes none):
	// one round in the past, one under way.
	plans  []store.Plan
	visits []store.Visit
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
		if fixErr = f.publishPlans(ctx); fixErr != nil {
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

// publishPlans stores two published rounds: every 7th entity visited in a
// round that ended three weeks ago, every 5th in one under way.
func (f *townFixture) publishPlans(ctx context.Context) error {
	team := f.d.Inspections[0].TeamID
	for i, r := range []struct {
		start, end time.Time
		every      int
	}{
		{now.AddDate(0, 0, -40), now.AddDate(0, 0, -20), 7},
		{now.AddDate(0, 0, -3), now.AddDate(0, 0, 25), 5},
	} {
		p := store.Plan{ID: fmt.Sprintf("P%d", i+1), Title: fmt.Sprintf("第%d轮综合查一次", i+1), TeamID: team,
			Start: r.start, End: r.end, Summary: json.RawMessage(`{"visits":1}`), PublishedBy: "leader01",
			PublishedAt: r.start.Add(-time.Hour)}
		f.plans = append(f.plans, p)
		for j := 0; j*r.every < len(f.d.Entities); j++ {
			e := f.d.Entities[j*r.every]
			f.visits = append(f.visits, store.Visit{ID: fmt.Sprintf("%s-V%04d", p.ID, j), PlanID: p.ID, TeamID: team,
				EntityID: e.ID, Day: r.start.AddDate(0, 0, j/6), Seq: j % 6, Items: []string{"CI001"},
				Departments: []string{"应急", "消防"}, Minutes: 25, Joint: j%2 == 0, Status: "planned"})
		}
	}
	return f.st.Update(ctx, func(tx *store.Tx) error {
		for i := range f.plans {
			if err := tx.PutPlan(&f.plans[i]); err != nil {
				return err
			}
		}
		for i := range f.visits {
			if err := tx.PutVisit(&f.visits[i]); err != nil {
				return err
			}
		}
		return nil
	})
}
