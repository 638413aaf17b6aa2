package kpi_test

import (
	"testing"
	"time"

	"griddesk/core/kpi"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/seed"
)

func timelines(actions []domain.Action) map[string][]domain.Action {
	tl := map[string][]domain.Action{}
	for _, a := range actions {
		tl[a.CaseID] = append(tl[a.CaseID], a)
	}
	return tl
}

// TestComputeTown runs the demo town's quarter of history month by month:
// no NaN, rates within [0, 1], counts consistent, each case due at most once.
func TestComputeTown(t *testing.T) {
	now := time.Date(2026, 3, 20, 10, 0, 0, 0, clock.Location())
	d := seed.Town(1, now)
	tl := timelines(d.Actions)
	cal := clock.China()
	seen := map[string]string{}
	ranked := 0
	for m := time.Date(2025, 12, 1, 0, 0, 0, 0, clock.Location()); m.Before(now); m = m.AddDate(0, 1, 0) {
		rep := kpi.ComputeAsOf(d.Cases, tl, d.Units, cal, m, now)
		sane(t, rep)
		if len(rep.Skipped) > 0 {
			t.Errorf("%s: skipped %v", m.Format("2006-01"), rep.Skipped)
		}
		for _, dc := range rep.Due {
			if prev, dup := seen[dc.CaseID]; dup {
				t.Errorf("case %s due in %s and %s", dc.CaseID, prev, m.Format("2006-01"))
			}
			seen[dc.CaseID] = m.Format("2006-01")
		}
		ranked += len(rep.Ranking)
		t.Logf("%s: %d units, %d ranked, due %d, closed %d, on time %d, deferred %d, reworked %d/%d; 结案率 %s 按期结案率 %s 返工率 %s 延期率 %s",
			m.Format("2006-01"), len(rep.Rows), len(rep.Ranking), rep.Total.Due, rep.Total.Closed, rep.Total.ClosedOnTime,
			rep.Total.Deferred, rep.Total.Reworked, rep.Total.Handled,
			rep.Total.CloseRate, rep.Total.OnTimeRate, rep.Total.ReworkRate, rep.Total.DeferRate)
	}
	if len(seen) == 0 || ranked == 0 {
		t.Fatalf("the demo quarter has %d due cases and %d ranked rows: nothing to show", len(seen), ranked)
	}
}

func BenchmarkComputeTown(b *testing.B) {
	now := time.Date(2026, 3, 20, 10, 0, 0, 0, clock.Location())
	d := seed.Town(1, now)
	tl := timelines(d.Actions)
	cal := clock.China()
	month := time.Date(2026, 2, 1, 0, 0, 0, 0, clock.Location())
	for b.Loop() {
		kpi.Compute(d.Cases, tl, d.Units, cal, month)
	}
}
