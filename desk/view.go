package desk

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/ladder"
)

// MapData is what the map draws: every grid and entity in the local copy.
type MapData struct {
	Grids    []domain.Grid
	Entities []domain.Entity
	Bound    orb.Bound   // the grids' extent (zero when the copy is empty)
	Hazards  []orb.Point // entities with open hazards (the heat layer)
}

// MapData reads the map's layers from the local copy.
func (d *Desk) MapData(ctx context.Context) (MapData, error) {
	var m MapData
	var err error
	if m.Grids, err = d.cache.Grids(ctx); err != nil {
		return m, fmt.Errorf("desk: map data: %w", err)
	}
	if m.Entities, err = d.cache.Entities(ctx); err != nil {
		return m, fmt.Errorf("desk: map data: %w", err)
	}
	hz, err := d.cache.OpenHazardPoints(ctx)
	if err != nil {
		return m, fmt.Errorf("desk: map data: %w", err)
	}
	for _, p := range hz {
		m.Hazards = append(m.Hazards, orb.Point(p))
	}
	for i, g := range m.Grids {
		if i == 0 {
			m.Bound = g.Geometry.Bound()
		} else {
			m.Bound = m.Bound.Union(g.Geometry.Bound())
		}
	}
	return m, nil
}

// CaseRow is one line of the open-case queue.
type CaseRow struct {
	domain.Case
	CategoryInfo domain.Category
	GridName     string
	UnitName     string
	Light        clock.Light
	Overdue      bool
	Pending      bool      // a command on it waits in the outbox
	NextDeadline time.Time // the nearest deadline of a running clock
	DueSoon      bool      // a running clock ends within the hour

	// The daily work (daily.go): what the escalation ladder proposes, how
	// often the case's address was reported this month (重复投诉 from 2),
	// how many repeat reports were merged into it.
	Ladder  ladder.Proposal
	Repeats int
	Merged  int
}

// OpenCases lists the open cases, worst light first, then newest.
func (d *Desk) OpenCases(ctx context.Context, now time.Time) ([]CaseRow, error) {
	cases, err := d.cache.OpenCases(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: open cases: %w", err)
	}
	timelines, err := d.cache.OpenTimelines(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: open cases: %w", err)
	}
	names, err := d.cache.Names(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: open cases: %w", err)
	}
	pending := map[string]bool{}
	items, err := d.cache.Outbox(ctx, "pending")
	if err != nil {
		return nil, fmt.Errorf("desk: open cases: %w", err)
	}
	for _, it := range items {
		for _, r := range it.Touches {
			if r.Kind == domain.KindCase {
				pending[r.ID] = true
			}
		}
	}
	rows := make([]CaseRow, 0, len(cases))
	rm, cats, rules := d.rowMaker(names), d.Categories(), d.Rules()
	repeats, merged, err := d.repeatCounts(ctx, rules.Duplicates, now)
	if err != nil {
		return nil, fmt.Errorf("desk: open cases: %w", err)
	}
	for _, c := range cases {
		r := rm.row(c)
		c, r.Pending = r.Case, pending[c.ID]
		if p, ok := clock.CasePolicy(c, cats); ok {
			st := p.Evaluate(d.cal, events(timelines[c.ID]), now)
			r.Light = clock.Worst(st)
			for _, s := range st {
				if s.Overdue && s.Running {
					r.Overdue = true
				}
				if s.Running && !s.Paused && !s.Deadline.IsZero() && (r.NextDeadline.IsZero() || s.Deadline.Before(r.NextDeadline)) {
					r.NextDeadline = s.Deadline
				}
			}
			r.DueSoon = len(clock.Due(st, time.Hour, now)) > 0
			r.Ladder = ladder.Propose(rules.Ladder, st, timelines[c.ID], c.Supervision, now)
		}
		r.Repeats, r.Merged = repeats[c.ID], merged[c.ID]
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Light > rows[j].Light })
	return rows, nil
}

func events(as []domain.Action) []clock.Event {
	ev := make([]clock.Event, len(as))
	for i, a := range as {
		ev[i] = clock.Event{At: a.At, Action: a.Action, State: a.ToStatus}
	}
	return ev
}

// rowMaker makes the case rows the desk lists and shows: callers masked
// for roles that do not see them, grid and unit by name, the category from
// the catalogue in force (a town's imported one too).
type rowMaker struct {
	names  domain.Names
	cats   []domain.Category
	masked bool
}

func (d *Desk) rowMaker(names domain.Names) rowMaker {
	return rowMaker{names: names, cats: d.Categories(), masked: !d.User().Role.SeesCallers()}
}

func (m rowMaker) row(c domain.Case) CaseRow {
	if m.masked {
		c = c.Masked()
	}
	r := CaseRow{Case: c, GridName: m.names.Grids[c.GridID], UnitName: m.names.Units[c.UnitID]}
	r.CategoryInfo, _ = domain.CategoryIn(m.cats, c.Category)
	return r
}
