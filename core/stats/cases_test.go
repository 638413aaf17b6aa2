package stats_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"griddesk/core/stats"
	"griddesk/domain"
	"griddesk/seed"
)

// TestCasesDemoTown counts the demo town's cases over its last 30 days:
// the breakdowns add up to the intake, the days to the period's figures,
// rates in [0, 1], and a grid's figures within the town's; the workbook
// holds the figures and its two charts.
func TestCasesDemoTown(t *testing.T) {
	now := time.Date(2026, 3, 20, 10, 0, 0, 0, cst)
	d := seed.Town(1, now)
	tl := map[string][]domain.Action{}
	for _, a := range d.Actions {
		tl[a.CaseID] = append(tl[a.CaseID], a)
	}
	in := stats.CaseInput{From: now.AddDate(0, 0, -30), To: now.Add(time.Hour), AsOf: now, Grids: d.Grids, Cases: d.Cases, Timelines: tl}
	r := stats.Cases(in)
	t.Logf("30 days: intake %d, closed %d (on time %d), close rate %s, on-time rate %s, open %d, overdue %d",
		r.Intake, r.Closed, r.ClosedOnTime, r.CloseRate, r.OnTimeRate, r.Open, r.Overdue)
	if r.Intake == 0 || r.Closed == 0 || r.Open == 0 || len(r.Days) != 31 {
		t.Fatalf("implausible: %+v", r)
	}
	sum := func(cs []stats.Count) int {
		n := 0
		for _, c := range cs {
			n += c.N
		}
		return n
	}
	hours := 0
	for _, n := range r.ByHour {
		hours += n
	}
	if sum(r.ByCategory) != r.Intake || sum(r.BySource) != r.Intake || sum(r.ByGrid) != r.Intake || hours != r.Intake {
		t.Errorf("breakdowns %d %d %d %d, intake %d", sum(r.ByCategory), sum(r.BySource), sum(r.ByGrid), hours, r.Intake)
	}
	var in30, closed, onTime int
	for _, day := range r.Days {
		in30, closed, onTime = in30+day.Intake, closed+day.Closed, onTime+day.OnTime
	}
	if in30 != r.Intake || closed != r.Closed || onTime != r.ClosedOnTime || r.ClosedOnTime > r.Closed || r.Overdue > r.Open {
		t.Errorf("days add to %d/%d/%d; period %d/%d/%d; overdue %d of %d open", in30, closed, onTime, r.Intake, r.Closed, r.ClosedOnTime, r.Overdue, r.Open)
	}
	for _, rt := range []stats.Ratio{r.CloseRate, r.OnTimeRate} {
		if !rt.Valid() || rt.Value() < 0 || rt.Value() > 1 {
			t.Errorf("rate %s", rt)
		}
	}
	in.GridID = r.ByGrid[0].Key
	g := stats.Cases(in)
	if g.Intake != r.ByGrid[0].N || g.Intake > r.Intake || g.GridName != r.ByGrid[0].Name {
		t.Errorf("grid %s: intake %d, the town counts %d there", g.GridName, g.Intake, r.ByGrid[0].N)
	}

	var buf bytes.Buffer
	if err := stats.WriteCasesXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue(stats.CaseSheet, "B4"); v == "" {
		t.Errorf("no intake figure in the workbook")
	}
}
