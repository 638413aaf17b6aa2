package desk

import (
	"context"
	"fmt"
	"time"

	"griddesk/core/dispatch"
	"griddesk/core/kpi"
)

// Suggest proposes the unit and clock policy for a case (smart dispatch).
func (d *Desk) Suggest(ctx context.Context, caseID string) (dispatch.Suggestion, error) {
	s, err := d.suggester(ctx)
	if err != nil {
		return dispatch.Suggestion{}, err
	}
	c, err := d.cache.Case(ctx, caseID)
	if err != nil {
		return dispatch.Suggestion{}, fmt.Errorf("desk: suggest: %w", err)
	}
	return s.Suggest(c)
}

// suggester is built once and rebuilt when grids or units change.
func (d *Desk) suggester(ctx context.Context) (*dispatch.Suggester, error) {
	d.mu.Lock()
	s := d.sugg
	d.mu.Unlock()
	if s != nil {
		return s, nil
	}
	grids, err := d.cache.Grids(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: suggest: %w", err)
	}
	units, err := d.cache.Units(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: suggest: %w", err)
	}
	s = dispatch.NewWithCategories(grids, units, d.Categories())
	d.mu.Lock()
	d.sugg = s
	d.mu.Unlock()
	return s, nil
}

// KPI computes the units' monthly figures and ranking as of now. A month
// that began before the retention window needs cases the desk dropped:
// the server computes it, and offline the desk says so (ErrOffline).
func (d *Desk) KPI(ctx context.Context, month, now time.Time) (kpi.Report, error) {
	if d.kpiFromServer(ctx, month, now) {
		r, err := d.serverKPI(ctx, month)
		if err != nil {
			return r, fmt.Errorf("desk: kpi of %s: %w", month.Format("2006-01"), err)
		}
		return r, nil
	}
	cases, err := d.cache.Cases(ctx)
	if err != nil {
		return kpi.Report{}, fmt.Errorf("desk: kpi: %w", err)
	}
	tl, err := d.cache.AllTimelines(ctx)
	if err != nil {
		return kpi.Report{}, fmt.Errorf("desk: kpi: %w", err)
	}
	units, err := d.cache.Units(ctx)
	if err != nil {
		return kpi.Report{}, fmt.Errorf("desk: kpi: %w", err)
	}
	return kpi.ComputeAsOf(cases, tl, units, d.cal, month, now), nil
}
