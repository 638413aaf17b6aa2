package plan

import (
	"sync"
	"testing"
	"time"

	"griddesk/seed"
)

// demoQuarter is the demo town's second quarter of 2026, its history
// generated up to the eve of the quarter.
var demoQuarter = sync.OnceValue(func() Input {
	now := time.Date(2026, 3, 31, 18, 0, 0, 0, shanghai)
	d := seed.Town(1, now)
	return Input{
		Start:    time.Date(2026, 4, 1, 0, 0, 0, 0, shanghai),
		End:      time.Date(2026, 6, 30, 0, 0, 0, 0, shanghai),
		Teams:    TeamsFromUnits(d.Units),
		Entities: d.Entities,
		Catalog:  d.CheckItems,
		Grids:    d.Grids,
		Last:     LastFromInspections(d.Inspections),
	}
})

// TestDemoQuarter plans the demo town's quarter and checks what the desk
// relies on: a verified plan, nothing overflowing, every team-day within
// its working time, and fewer visits, trips, minutes and kilometres than
// the departments alone.
func TestDemoQuarter(t *testing.T) {
	if testing.Short() {
		t.Skip("plans 5,960 entities")
	}
	in := demoQuarter()
	p := mustGenerate(t, in)
	t.Logf("baseline %+v", p.Baseline)
	t.Logf("merged   %+v (separate %+v)", p.Merged, p.SeparateTotals)
	t.Logf("reduction %+v", p.Reduction)
	if err := p.Verify(); err != nil {
		t.Fatal(err)
	}
	if len(p.Overflow) != 0 {
		t.Errorf("%d visits overflow, first %+v", len(p.Overflow), p.Overflow[0])
	}
	if len(p.Teams) != 11 || p.Period.Workdays != 61 {
		t.Errorf("%d teams and %d working days, want 11 and 61", len(p.Teams), p.Period.Workdays)
	}
	r := p.Reduction
	if r.Visits <= 0 || r.Trips <= 0 || r.Minutes <= 0 || r.Km <= 0 {
		t.Errorf("reduction %+v, want every figure positive", r)
	}
	// day checks, with the route order for one team
	one := *p
	one.Days = nil
	for _, d := range p.Days {
		if d.TeamID == "T01" {
			one.Days = append(one.Days, d)
		}
		if d.Minutes > d.Capacity+1e-9 {
			t.Errorf("%s %s: %.1f minutes > %.0f", d.TeamID, d.Date.Format(time.DateOnly), d.Minutes, d.Capacity)
		}
	}
	checkDays(t, &one, in)
}

// BenchmarkPlanQuarterTown plans the demo town's quarter for its 11 teams
// (budget 3 s) and reports the reductions against the departments alone.
func BenchmarkPlanQuarterTown(b *testing.B) {
	in := demoQuarter()
	var p *Plan
	for b.Loop() {
		var err error
		if p, err = Generate(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(p.Reduction.Visits, "%visits")
	b.ReportMetric(p.Reduction.Trips, "%trips")
	b.ReportMetric(p.Reduction.Minutes, "%minutes")
	b.ReportMetric(p.Reduction.Km, "%km")
	b.ReportMetric(float64(len(p.Overflow)), "overflow")
}
