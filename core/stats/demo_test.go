package stats_test

import (
	"bytes"
	"testing"
	"time"

	"griddesk/core/stats"
	"griddesk/domain"
	"griddesk/seed"
)

// TestComputeDemoTown runs the demo town's quarter of history: rates in
// [0, 1], counts consistent, the seeds' 90%+ rectification rate, and the
// inspection grids (and the base grids) partitioning the town.
func TestComputeDemoTown(t *testing.T) {
	now := time.Date(2026, 3, 20, 10, 0, 0, 0, cst)
	d := seed.Town(1, now)
	in := stats.Input{
		From: now.AddDate(0, 0, -90), To: now.Add(time.Hour), AsOf: now,
		Grids: d.Grids, Entities: d.Entities, Inspections: d.Inspections, Findings: d.Findings, Items: d.CheckItems,
		Departments: stats.DepartmentNames(d.Units),
	}
	town := stats.Compute(in)
	consistent(t, town)
	t.Logf("town: %d entities, %d inspections, %d covered, %d hazards (%d major), due %d, rectified %d, rate %s, overdue %d, open %d, repeat offenders %d, codes %v, up %d down %d",
		town.Entities, town.Inspections, town.Covered, town.Hazards, town.Major, town.Due, town.Rectified, town.RectificationRate,
		town.Overdue, town.Open, len(town.RepeatOffenders), town.Codes, town.Upgrades, town.Downgrades)
	if town.Entities != len(d.Entities) || town.Inspections != len(d.Inspections) || town.Hazards != len(d.Findings) {
		t.Errorf("town: %d entities, %d inspections, %d hazards; the demo has %d, %d, %d",
			town.Entities, town.Inspections, town.Hazards, len(d.Entities), len(d.Inspections), len(d.Findings))
	}
	if v := town.RectificationRate.Value(); !town.RectificationRate.Valid() || v < 0.85 || v > 1 {
		t.Errorf("rectification rate %s, the seeds report 90%%+", town.RectificationRate)
	}
	if town.Covered < town.Entities*9/10 || len(town.RepeatOffenders) == 0 || town.Upgrades == 0 || town.Downgrades == 0 {
		t.Errorf("implausible town: covered %d of %d, %d repeat offenders, up %d, down %d",
			town.Covered, town.Entities, len(town.RepeatOffenders), town.Upgrades, town.Downgrades)
	}
	if len(town.Departments) < 8 {
		t.Errorf("%d departments", len(town.Departments))
	}
	for _, level := range []string{domain.LevelInspection, domain.LevelBase} {
		var ents, insp, haz, rect, over, offenders int
		for _, g := range d.Grids {
			if g.Level != level {
				continue
			}
			in.GridID = g.ID
			r := stats.Compute(in)
			consistent(t, r)
			ents, insp, haz, rect, over, offenders = ents+r.Entities, insp+r.Inspections, haz+r.Hazards, rect+r.Rectified, over+r.Overdue, offenders+len(r.RepeatOffenders)
		}
		got := []int{ents, insp, haz, rect, over, offenders}
		want := []int{town.Entities, town.Inspections, town.Hazards, town.Rectified, town.Overdue, len(town.RepeatOffenders)}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s grids sum to %v, the town has %v", level, got, want)
				break
			}
		}
	}
	var buf bytes.Buffer
	if err := stats.WriteXLSX(&buf, town); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkComputeDemoTown(b *testing.B) {
	now := time.Date(2026, 3, 20, 10, 0, 0, 0, cst)
	d := seed.Town(1, now)
	in := stats.Input{From: now.AddDate(0, 0, -30), To: now, Grids: d.Grids, Entities: d.Entities,
		Inspections: d.Inspections, Findings: d.Findings, Items: d.CheckItems}
	for b.Loop() {
		stats.Compute(in)
	}
}
