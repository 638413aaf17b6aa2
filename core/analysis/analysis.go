// Package analysis is the command centre's 研判: where and when cases
// cluster (grid × hour of day), the addresses reported most and again and
// again (重复投诉), how each 小类 moves week by week, and the units whose
// overdue cases are rising. Every view writes to XLSX (WriteXLSX).
package analysis

import (
	"cmp"
	"slices"
	"time"

	"griddesk/core/duplicate"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// Input is what the views are computed from.
type Input struct {
	Cases      []domain.Case              // cases reported in the period (others are ignored)
	Timelines  map[string][]domain.Action // their timelines (for the overdue view)
	Categories []domain.Category
	Names      domain.Names // grid and unit names
	// Parents maps a grid to the grid the hotspots count it in (a micro
	// grid to its base grid); grids not in it count as themselves.
	Parents  map[string]string
	Cal      *clock.Calendar
	Rule     domain.DuplicateRule
	From, To time.Time // the period: [From, To)
	Weeks    int       // trend weeks, the last complete week before To last (default 8)
}

// Report is every view of a period.
type Report struct {
	From, To  time.Time
	Hotspots  []GridHours        // grids by cases, most first
	Addresses []Address          // addresses by reports, most first (top 20)
	Repeats   []duplicate.Repeat // repeat complaints
	Weeks     []time.Time        // the trend weeks' Mondays
	Trends    []Trend            // 小类 by cases in the period, most first
	Overdue   []UnitOverdue      // units by their last week's overdue cases, rising first
	ByHour    [24]int            // every grid's cases by hour of day
	Total     int                // cases reported in the period
	Sources   map[string]int     // by source
	Classes   map[domain.CategoryClass]int
}

// GridHours is a grid's cases by hour of day (China time).
type GridHours struct {
	GridID, Name string
	Hours        [24]int
	Total        int
}

// Address is an address's reports in the period.
type Address struct {
	Key, Address string
	Count        int
}

// Trend is a 小类's cases week by week.
type Trend struct {
	Category domain.Category
	Weeks    []int // one per Report.Weeks
	Total    int   // in the period
	Change   int   // last week minus the week before
}

// UnitOverdue is a unit's cases that went overdue, week by week.
type UnitOverdue struct {
	UnitID, Name string
	Weeks        []int // one per Report.Weeks
	Rising       bool  // the last week above the week before and above the weeks' mean
}

// Compute makes every view.
func Compute(in Input) Report {
	if in.Weeks <= 0 {
		in.Weeks = 8
	}
	if in.Cal == nil {
		in.Cal = clock.China()
	}
	loc := clock.Location()
	r := Report{From: in.From, To: in.To, Sources: map[string]int{}, Classes: map[domain.CategoryClass]int{}}
	// weeks: Mondays, the last one the last complete week before To (a
	// week under way would compare a few days with whole weeks)
	last := monday(in.To).AddDate(0, 0, -7)
	for i := in.Weeks - 1; i >= 0; i-- {
		r.Weeks = append(r.Weeks, last.AddDate(0, 0, -7*i))
	}
	week := func(t time.Time) int {
		if t.Before(r.Weeks[0]) {
			return -1
		}
		i := int(t.Sub(r.Weeks[0]) / (7 * 24 * time.Hour))
		if i >= len(r.Weeks) {
			return -1
		}
		return i
	}
	grids := map[string]*GridHours{}
	addrs := map[string]*Address{}
	trends := map[string]*Trend{}
	overdue := map[string]*UnitOverdue{}
	var inPeriod []domain.Case
	for _, c := range in.Cases {
		if c.Status == domain.StatusRejected {
			continue
		}
		cat, _ := domain.CategoryIn(in.Categories, c.Category)
		if w := week(c.ReportedAt); w >= 0 {
			tr := trends[c.Category]
			if tr == nil {
				tr = &Trend{Category: cat, Weeks: make([]int, len(r.Weeks))}
				if tr.Category.Key == "" {
					tr.Category = domain.Category{Key: c.Category, Name: c.Category}
				}
				trends[c.Category] = tr
			}
			tr.Weeks[w]++
		}
		if c.UnitID != "" && c.Status != domain.StatusMerged {
			if at, ok := overdueAt(c, in.Timelines[c.ID], in.Categories, in.Cal, in.To); ok {
				if w := week(at); w >= 0 {
					u := overdue[c.UnitID]
					if u == nil {
						u = &UnitOverdue{UnitID: c.UnitID, Name: name(in.Names.Units, c.UnitID), Weeks: make([]int, len(r.Weeks))}
						overdue[c.UnitID] = u
					}
					u.Weeks[w]++
				}
			}
		}
		if c.ReportedAt.Before(in.From) || !c.ReportedAt.Before(in.To) {
			continue
		}
		inPeriod = append(inPeriod, c)
		r.Total++
		r.Sources[c.Source]++
		if cat.Class != "" {
			r.Classes[cat.Class]++
		}
		if tr := trends[c.Category]; tr != nil {
			tr.Total++
		}
		h := c.ReportedAt.In(loc).Hour()
		r.ByHour[h]++
		if id := c.GridID; id != "" {
			if p := in.Parents[id]; p != "" {
				id = p
			}
			g := grids[id]
			if g == nil {
				g = &GridHours{GridID: id, Name: name(in.Names.Grids, id)}
				grids[id] = g
			}
			g.Hours[h]++
			g.Total++
		}
		if k := duplicate.AddressKey(c); k != "" {
			a := addrs[k]
			if a == nil {
				a = &Address{Key: k, Address: c.Address}
				if a.Address == "" {
					a.Address = c.Title
				}
				addrs[k] = a
			}
			a.Count++
		}
	}
	r.Repeats = duplicate.Repeats(in.Rule, inPeriod, in.From, in.To)
	for _, g := range grids {
		r.Hotspots = append(r.Hotspots, *g)
	}
	slices.SortFunc(r.Hotspots, func(a, b GridHours) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.GridID, b.GridID))
	})
	for _, a := range addrs {
		r.Addresses = append(r.Addresses, *a)
	}
	slices.SortFunc(r.Addresses, func(a, b Address) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key)) })
	if len(r.Addresses) > 20 {
		r.Addresses = r.Addresses[:20]
	}
	for _, t := range trends {
		if n := len(t.Weeks); n >= 2 {
			t.Change = t.Weeks[n-1] - t.Weeks[n-2]
		}
		r.Trends = append(r.Trends, *t)
	}
	slices.SortFunc(r.Trends, func(a, b Trend) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(sum(b.Weeks), sum(a.Weeks)), cmp.Compare(a.Category.Key, b.Category.Key))
	})
	for _, u := range overdue {
		n := len(u.Weeks)
		mean := float64(sum(u.Weeks[:n-1])) / float64(max(n-1, 1))
		u.Rising = n >= 2 && u.Weeks[n-1] > u.Weeks[n-2] && float64(u.Weeks[n-1]) > mean
		r.Overdue = append(r.Overdue, *u)
	}
	slices.SortFunc(r.Overdue, func(a, b UnitOverdue) int {
		return cmp.Or(cmp.Compare(boolInt(b.Rising), boolInt(a.Rising)), cmp.Compare(b.Weeks[len(b.Weeks)-1], a.Weeks[len(a.Weeks)-1]),
			cmp.Compare(a.UnitID, b.UnitID))
	})
	return r
}

// overdueAt is when a case first went overdue on any of its clocks, as of
// asOf (its earliest deadline passed).
func overdueAt(c domain.Case, acts []domain.Action, cats []domain.Category, cal *clock.Calendar, asOf time.Time) (time.Time, bool) {
	p, ok := clock.CasePolicy(c, cats)
	if !ok || len(acts) == 0 {
		return time.Time{}, false
	}
	evs := make([]clock.Event, len(acts))
	for i, a := range acts {
		evs[i] = clock.Event{At: a.At, Action: a.Action, State: a.ToStatus}
	}
	var first time.Time
	for _, s := range p.Evaluate(cal, evs, asOf) {
		if s.Overdue && (first.IsZero() || s.Deadline.Before(first)) {
			first = s.Deadline
		}
	}
	return first, !first.IsZero()
}

// monday is the first instant of t's week (Monday) in China time.
func monday(t time.Time) time.Time {
	t = t.In(clock.Location())
	d := (int(t.Weekday()) + 6) % 7
	y, m, day := t.Date()
	return time.Date(y, m, day-d, 0, 0, 0, 0, clock.Location())
}

func name(m map[string]string, id string) string {
	if n := m[id]; n != "" {
		return n
	}
	return id
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
