package desk

import (
	"context"
	"fmt"
	"io"
	"time"

	"griddesk/core/analysis"
	"griddesk/core/bulletin"
	"griddesk/core/report"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/store"
)

// Analysis is the 研判 of the cases reported in [from, to): hotspots,
// addresses, repeat complaints, the 小类 week by week, the units whose
// overdue cases rise. Callers' data never enters it.
func (d *Desk) Analysis(ctx context.Context, from, to time.Time) (analysis.Report, error) {
	const weeks = 8
	// the trend weeks, and the cases that may go overdue in them
	since := to.AddDate(0, 0, -7*weeks-60)
	if from.Before(since) {
		since = from
	}
	cases, err := d.cache.CasesReported(ctx, store.Scope{All: true}, since, to)
	if err != nil {
		return analysis.Report{}, fmt.Errorf("desk: analysis: %w", err)
	}
	tl, err := d.cache.AllTimelines(ctx)
	if err != nil {
		return analysis.Report{}, fmt.Errorf("desk: analysis: %w", err)
	}
	names, err := d.cache.Names(ctx)
	if err != nil {
		return analysis.Report{}, fmt.Errorf("desk: analysis: %w", err)
	}
	grids, err := d.cache.Grids(ctx)
	if err != nil {
		return analysis.Report{}, fmt.Errorf("desk: analysis: %w", err)
	}
	parents := map[string]string{} // micro grids count in their base grid
	for _, g := range grids {
		if g.Level == domain.LevelMicro && g.ParentID != "" {
			parents[g.ID] = g.ParentID
		}
	}
	return analysis.Compute(analysis.Input{Cases: cases, Timelines: tl, Categories: d.Categories(), Names: names, Parents: parents,
		Cal: d.cal, Rule: d.Rules().Duplicates, From: from, To: to, Weeks: weeks}), nil
}

// Bulletin is the figures of a month's bulletin 月度通报 (the month holding
// month, China time), from the local copy.
func (d *Desk) Bulletin(ctx context.Context, month time.Time) (bulletin.Figures, error) {
	cases, err := d.cache.Cases(ctx)
	if err != nil {
		return bulletin.Figures{}, fmt.Errorf("desk: bulletin: %w", err)
	}
	tl, err := d.cache.AllTimelines(ctx)
	if err != nil {
		return bulletin.Figures{}, fmt.Errorf("desk: bulletin: %w", err)
	}
	units, err := d.cache.Units(ctx)
	if err != nil {
		return bulletin.Figures{}, fmt.Errorf("desk: bulletin: %w", err)
	}
	return bulletin.Compute(bulletin.Input{Month: month.In(clock.Location()), Cases: cases, Timelines: tl, Units: units,
		Categories: d.Categories(), Cal: d.cal, Rules: d.Rules()}), nil
}

// WriteBulletin writes a month's bulletin as a PDF, or its tables as XLSX.
func (d *Desk) WriteBulletin(ctx context.Context, w io.Writer, month time.Time, xlsx bool) error {
	f, err := d.Bulletin(ctx, month)
	if err != nil {
		return err
	}
	if xlsx {
		return bulletin.WriteXLSX(w, f)
	}
	return report.Bulletin(w, f)
}
