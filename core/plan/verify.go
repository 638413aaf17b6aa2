package plan

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// coverage derives, from the plan's days and separate visits alone, when
// each applicable item is checked at each entity, and the longest gap.
func (m *model) coverage(p *Plan) []Coverage {
	checks := make([]map[int][]int, len(m.ents)) // per entity: catalog index → days
	add := func(entityID string, day int, items []string) {
		ei, ok := m.entIdx[entityID]
		if !ok {
			return
		}
		if checks[ei] == nil {
			checks[ei] = map[int][]int{}
		}
		for _, id := range items {
			if ii, ok := m.itemIdx[id]; ok {
				checks[ei][ii] = append(checks[ei][ii], day)
			}
		}
	}
	for i := range p.Days {
		d := &p.Days[i]
		day := dayNum(d.Date)
		for _, s := range d.Stops {
			add(s.EntityID, day, s.Items)
		}
	}
	for _, v := range p.Separate {
		add(v.EntityID, dayNum(v.Date), v.Items)
	}
	var out []Coverage
	for ei := range m.ents {
		for pos, ii := range m.app[ei] {
			it := &m.items[ii]
			c := Coverage{EntityID: m.ents[ei].ID, ItemID: it.ID, Department: it.Department, FrequencyDays: it.FrequencyDays,
				Last: dateOrZero(m.lastCheck[ei][pos]), Never: m.flags[ei][pos]&flagNever != 0, CatchUp: m.flags[ei][pos]&flagCatchUp != 0}
			days := slices.Clone(checks[ei][ii])
			slices.Sort(days)
			days = slices.Compact(days)
			c.MaxGapDays = maxGap(m.anchor[ei][pos], days, m.end)
			c.Dates = make([]time.Time, len(days))
			for i, d := range days {
				c.Dates[i] = dateOf(d)
			}
			c.OK = c.MaxGapDays <= it.FrequencyDays
			out = append(out, c)
		}
	}
	return out
}

// maxGap returns the longest gap, in days, from the anchor to the first
// check, between checks, and from the last check to the day after end:
// every gap within the frequency means no due date inside the period was
// missed.
func maxGap(anchor int, days []int, end int) int {
	g, prev := 0, anchor
	for _, d := range days {
		g = max(g, d-prev)
		prev = d
	}
	return max(g, end+1-prev)
}

// Verify re-checks the whole plan from its days and separate visits: every
// day is a working day of its team within the period, fits the team's
// daily minutes and has consistent minutes, kilometres and arrival times
// for its order; every stop's checklist applies to its entity and its
// minutes add up; the coverage is what the visits give, and every item
// checked less often than its frequency is explained by an overflow entry
// of its entity; the totals add up. It returns all problems found (the
// first twenty), joined.
func (p *Plan) Verify() error {
	if p.m == nil {
		return errors.New("plan: verify: the plan was not made by Generate")
	}
	m := p.m
	var errs []error
	more := 0
	fail := func(format string, args ...any) {
		if len(errs) < 20 {
			errs = append(errs, fmt.Errorf(format, args...))
		} else {
			more++
		}
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*max(1, math.Abs(a), math.Abs(b)) }

	type dayKey struct {
		team string
		day  int
	}
	seen := map[dayKey]bool{}
	for i := range p.Days {
		d := &p.Days[i]
		day := dayNum(d.Date)
		where := fmt.Sprintf("team %s on %s", d.TeamID, d.Date.Format(time.DateOnly))
		ti, ok := m.teamIdx[d.TeamID]
		if !ok {
			fail("%s: no such team", where)
			continue
		}
		t := &m.teams[ti]
		if seen[dayKey{d.TeamID, day}] {
			fail("%s: the day appears twice", where)
		}
		seen[dayKey{d.TeamID, day}] = true
		if !t.work.isWork(day) {
			fail("%s: not a working day of the period", where)
		}
		if len(d.Stops) == 0 {
			fail("%s: a day without stops", where)
		}
		ents := map[string]bool{}
		for _, s := range d.Stops {
			ei, ok := m.entIdx[s.EntityID]
			if !ok {
				fail("%s: no such entity %s", where, s.EntityID)
				continue
			}
			if ents[s.EntityID] {
				fail("%s: entity %s visited twice", where, s.EntityID)
			}
			ents[s.EntityID] = true
			want := m.opt.VisitMinutes
			for _, id := range s.Items {
				ii, ok := m.itemIdx[id]
				if !ok || !slices.Contains(m.app[ei], ii) {
					fail("%s: item %s does not apply to entity %s", where, id, s.EntityID)
					continue
				}
				want += m.items[ii].Minutes
			}
			if !near(s.Minutes, want) {
				fail("%s: entity %s: %.2f minutes on site, its checklist takes %.2f", where, s.EntityID, s.Minutes, want)
			}
			e := &m.ents[ei]
			if s.Lon != e.Lon || s.Lat != e.Lat {
				fail("%s: entity %s is not where the stop says", where, s.EntityID)
			}
		}
		c := *d
		c.Stops = slices.Clone(d.Stops)
		m.measure(&c)
		if !near(c.Km, d.Km) || !near(c.Minutes, d.Minutes) {
			fail("%s: %.3f km and %.1f minutes recorded, the stops in their order give %.3f km and %.1f minutes", where, d.Km, d.Minutes, c.Km, c.Minutes)
		}
		for j := range c.Stops {
			if !c.Stops[j].Arrive.Equal(d.Stops[j].Arrive) {
				fail("%s: arrival at stop %d is %s, the route gives %s", where, j+1, d.Stops[j].Arrive.Format(time.TimeOnly), c.Stops[j].Arrive.Format(time.TimeOnly))
				break
			}
		}
		if c.Minutes > t.DailyMinutes+1e-6 {
			fail("%s: %.1f minutes of work is more than the team's %.0f", where, c.Minutes, t.DailyMinutes)
		}
	}
	for _, v := range p.Separate {
		day := dayNum(v.Date)
		ei, ok := m.entIdx[v.EntityID]
		if !ok {
			fail("separate visit: no such entity %s", v.EntityID)
			continue
		}
		if !m.workOf(m.entTeam[ei]).isWork(day) {
			fail("separate visit of %s to %s on %s: not a working day of the period", v.Department, v.EntityID, v.Date.Format(time.DateOnly))
		}
		for _, id := range v.Items {
			ii, ok := m.itemIdx[id]
			if !ok || !slices.Contains(m.app[ei], ii) || m.items[ii].Department != v.Department {
				fail("separate visit of %s to %s: item %s is not the department's item for the entity", v.Department, v.EntityID, id)
			}
		}
	}

	explained := map[string]bool{}
	for _, o := range p.Overflow {
		explained[o.EntityID] = true
	}
	cov := m.coverage(p)
	if len(cov) != len(p.Coverage) {
		fail("coverage has %d rows, the plan gives %d", len(p.Coverage), len(cov))
	}
	for i, c := range cov {
		if i < len(p.Coverage) {
			if r := &p.Coverage[i]; r.EntityID != c.EntityID || r.ItemID != c.ItemID || r.MaxGapDays != c.MaxGapDays || r.OK != c.OK || len(r.Dates) != len(c.Dates) {
				fail("coverage of %s at %s is stale: recorded max gap %d, the plan gives %d", c.ItemID, c.EntityID, r.MaxGapDays, c.MaxGapDays)
			}
		}
		if !c.OK && !explained[c.EntityID] {
			fail("entity %s: item %s (%s) goes %d days unchecked, more than its %d, and no overflow explains it",
				c.EntityID, c.ItemID, c.Department, c.MaxGapDays, c.FrequencyDays)
		}
	}

	want := p.SeparateTotals
	for i := range p.Days {
		d := &p.Days[i]
		want.Visits += len(d.Stops)
		want.Trips++
		want.Minutes += d.Minutes
		want.Km += d.Km
		for _, s := range d.Stops {
			want.ItemChecks += len(s.Items)
		}
	}
	if got := p.Merged; got.Visits != want.Visits || got.Trips != want.Trips || got.ItemChecks != want.ItemChecks ||
		!near(got.Minutes, want.Minutes) || !near(got.Km, want.Km) {
		fail("merged totals %+v do not add up to %+v", got, want)
	}
	if more > 0 {
		errs = append(errs, fmt.Errorf("and %d more problems", more))
	}
	if len(errs) > 0 {
		return fmt.Errorf("plan: verify: %w", errors.Join(errs...))
	}
	return nil
}
