package desk

import (
	"context"
	"fmt"
	"sort"
	"time"

	"griddesk/core/kpi"
	"griddesk/core/stats"
	"griddesk/domain/clock"
)

// WallData is what the command centre's video wall shows besides the map:
// today's figures, the new and overdue cases, today's cases by category
// and source, the last 30 days, and the month's unit ranking.
type WallData struct {
	At      time.Time
	Today   stats.CaseReport // today so far (China time)
	Trend   stats.CaseReport // the last 30 days, today included (Days)
	New     []CaseRow        // the newest open cases reported today
	Overdue []CaseRow        // overdue open cases, longest over first
	Ranking kpi.Report       // this month's units
}

// wallRows is how many cases each of the wall's lists holds.
const wallRows = 12

// Wall reads the wall's figures from the local copy as of now. open is
// the open queue as last read (the caller has it; nil reads it).
func (d *Desk) Wall(ctx context.Context, now time.Time, open []CaseRow) (WallData, error) {
	w := WallData{At: now}
	cases, err := d.cache.Cases(ctx)
	if err != nil {
		return w, fmt.Errorf("desk: wall: %w", err)
	}
	tl, err := d.cache.AllTimelines(ctx)
	if err != nil {
		return w, fmt.Errorf("desk: wall: %w", err)
	}
	grids, err := d.cache.Grids(ctx)
	if err != nil {
		return w, fmt.Errorf("desk: wall: %w", err)
	}
	units, err := d.cache.Units(ctx)
	if err != nil {
		return w, fmt.Errorf("desk: wall: %w", err)
	}
	loc := clock.Location()
	t := now.In(loc)
	today := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	tomorrow := today.AddDate(0, 0, 1)
	in := stats.CaseInput{From: today, To: tomorrow, AsOf: now, Grids: grids, Cases: cases, Timelines: tl, Calendar: d.cal}
	w.Today = stats.Cases(in)
	in.From = today.AddDate(0, 0, -29)
	w.Trend = stats.Cases(in)
	month := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
	w.Ranking = kpi.ComputeAsOf(cases, tl, units, d.cal, month, now)
	if open == nil {
		if open, err = d.OpenCases(ctx, now); err != nil {
			return w, err
		}
	}
	for _, r := range open {
		if !r.ReportedAt.Before(today) {
			w.New = append(w.New, r)
		}
		if r.Overdue {
			w.Overdue = append(w.Overdue, r)
		}
	}
	sort.SliceStable(w.New, func(i, j int) bool { return w.New[i].ReportedAt.After(w.New[j].ReportedAt) })
	sort.SliceStable(w.Overdue, func(i, j int) bool { return w.Overdue[i].NextDeadline.Before(w.Overdue[j].NextDeadline) })
	w.New, w.Overdue = w.New[:min(len(w.New), wallRows)], w.Overdue[:min(len(w.Overdue), wallRows)]
	return w, nil
}

// CaseStats computes the case statistics of a grid ("" for the town) over
// [from, to), as of now.
func (d *Desk) CaseStats(ctx context.Context, gridID string, from, to time.Time) (stats.CaseReport, error) {
	in := stats.CaseInput{From: from, To: to, AsOf: time.Now(), GridID: gridID, Calendar: d.cal}
	var err error
	if in.Grids, err = d.cache.Grids(ctx); err != nil {
		return stats.CaseReport{}, fmt.Errorf("desk: case stats: %w", err)
	}
	if in.Cases, err = d.cache.Cases(ctx); err != nil {
		return stats.CaseReport{}, fmt.Errorf("desk: case stats: %w", err)
	}
	if in.Timelines, err = d.cache.AllTimelines(ctx); err != nil {
		return stats.CaseReport{}, fmt.Errorf("desk: case stats: %w", err)
	}
	return stats.Cases(in), nil
}
