package stats

import (
	"cmp"
	"slices"
	"time"

	"griddesk/domain"
	"griddesk/domain/clock"
)

// Case statistics: what came in over a period and how it was closed, for
// the town or a grid (with the grids below it), the duty officer's side of
// the statistics window and the video wall.
//
//   - Intake 受理: cases reported in the period, by category, source, grid
//     (the finest grid holding the case) and hour of the day (China time).
//   - Closed 结案: cases closed (verified and closed, or evaluated since) in
//     the period, whenever reported. ClosedOnTime 按期结案: of those, the
//     ones whose unit clocks (every clock but the order's) were never
//     overdue by the close. OnTimeRate = ClosedOnTime ÷ Closed.
//   - CloseRate 结案率: of the period's intake, the share closed as of AsOf.
//   - Open 在办, Overdue 超时: cases open as of AsOf (whenever reported), and
//     of those the ones with a running clock past its deadline.
//   - Days: the same per day of the period (intake, closed, on time).

// CaseInput is what Cases looks at.
type CaseInput struct {
	From, To  time.Time // the period [From, To)
	AsOf      time.Time // zero: To
	GridID    string    // "" for the whole town
	Grids     []domain.Grid
	Cases     []domain.Case
	Timelines map[string][]domain.Action // by case; cases without one count as never closed on time
	Calendar  *clock.Calendar            // nil: the embedded China calendar
}

// Count is a number of cases under a key (a category, source or grid),
// with the key's name when there is one.
type Count struct {
	Key, Name string
	N         int
}

// CaseDay is one day of the period.
type CaseDay struct {
	Day                    time.Time // midnight, China time
	Intake, Closed, OnTime int
}

// CaseReport is the case statistics of a scope and period.
type CaseReport struct {
	GridID, GridName string
	From, To, AsOf   time.Time

	Intake       int
	Closed       int
	ClosedOnTime int
	Open         int
	Overdue      int
	CloseRate    Ratio // closed (as of AsOf) ÷ intake, of the period's intake
	OnTimeRate   Ratio // ClosedOnTime ÷ Closed

	ByCategory []Count // most first
	BySource   []Count // in domain.Sources order
	ByGrid     []Count // most first
	ByHour     [24]int
	Days       []CaseDay
}

// Cases works out the case statistics (see above).
func Cases(in CaseInput) CaseReport {
	asOf := in.AsOf
	if asOf.IsZero() {
		asOf = in.To
	}
	loc := clock.Location()
	r := CaseReport{GridID: in.GridID, GridName: TownName, From: in.From, To: in.To, AsOf: asOf}
	gridNames := make(map[string]string, len(in.Grids))
	for _, g := range in.Grids {
		gridNames[g.ID] = g.Name
	}
	if in.GridID != "" {
		r.GridName = cmp.Or(gridNames[in.GridID], in.GridID)
	}
	scope, err := domain.NewGridScope(in.Grids, in.GridID)
	if err != nil {
		return r
	}
	first := dayOf(in.From, loc)
	for d := first; d.Before(in.To); d = d.AddDate(0, 0, 1) {
		r.Days = append(r.Days, CaseDay{Day: d})
	}
	dayIndex := func(t time.Time) int {
		if t.Before(in.From) || !t.Before(in.To) {
			return -1
		}
		i := int(dayOf(t, loc).Sub(first).Hours()/24 + 0.5)
		if i < 0 || i >= len(r.Days) {
			return -1
		}
		return i
	}
	cats, srcs, grids := map[string]int{}, map[string]int{}, map[string]int{}
	closedOfIntake := 0
	for i := range in.Cases {
		c := &in.Cases[i]
		if !scope.Contains(&domain.Entity{GridID: c.GridID, Lon: c.Lon, Lat: c.Lat}) {
			continue
		}
		acts := in.Timelines[c.ID]
		closedAt := closedAtOf(c, acts)
		reported := !c.ReportedAt.Before(in.From) && c.ReportedAt.Before(in.To)
		if reported {
			r.Intake++
			cats[c.Category]++
			srcs[c.Source]++
			grids[c.GridID]++
			r.ByHour[c.ReportedAt.In(loc).Hour()]++
			if d := dayIndex(c.ReportedAt); d >= 0 {
				r.Days[d].Intake++
			}
			if !closedAt.IsZero() && !closedAt.After(asOf) {
				closedOfIntake++
			}
		}
		if !closedAt.IsZero() && !closedAt.Before(in.From) && closedAt.Before(in.To) && !closedAt.After(asOf) {
			onTime := closedOnTime(in.Calendar, c, acts, closedAt)
			r.Closed++
			if onTime {
				r.ClosedOnTime++
			}
			if d := dayIndex(closedAt); d >= 0 {
				r.Days[d].Closed++
				if onTime {
					r.Days[d].OnTime++
				}
			}
		}
		if c.ReportedAt.After(asOf) || (!closedAt.IsZero() && !closedAt.After(asOf)) || c.Status == domain.StatusRejected {
			continue
		}
		r.Open++
		if p, ok := clock.PolicyByName(c.Policy); ok {
			for _, s := range p.Evaluate(in.Calendar, events(acts), asOf) {
				if s.Running && s.Overdue {
					r.Overdue++
					break
				}
			}
		}
	}
	r.CloseRate = Ratio{Num: closedOfIntake, Den: r.Intake}
	r.OnTimeRate = Ratio{Num: r.ClosedOnTime, Den: r.Closed}
	for _, c := range domain.Categories() {
		if n := cats[c.Key]; n > 0 {
			r.ByCategory = append(r.ByCategory, Count{Key: c.Key, Name: c.Name, N: n})
			delete(cats, c.Key)
		}
	}
	for k, n := range cats { // categories no longer in the list
		r.ByCategory = append(r.ByCategory, Count{Key: k, Name: k, N: n})
	}
	slices.SortStableFunc(r.ByCategory, func(a, b Count) int { return cmp.Or(b.N-a.N, cmp.Compare(a.Key, b.Key)) })
	for _, s := range domain.Sources {
		r.BySource = append(r.BySource, Count{Key: s, N: srcs[s]})
	}
	for k, n := range grids {
		r.ByGrid = append(r.ByGrid, Count{Key: k, Name: cmp.Or(gridNames[k], k), N: n})
	}
	slices.SortFunc(r.ByGrid, func(a, b Count) int { return cmp.Or(b.N-a.N, cmp.Compare(a.Name, b.Name)) })
	return r
}

func dayOf(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

func events(acts []domain.Action) []clock.Event {
	ev := make([]clock.Event, len(acts))
	for i, a := range acts {
		ev[i] = clock.Event{At: a.At, Action: a.Action, State: a.ToStatus}
	}
	return ev
}

// closedAtOf is when a case was closed (the last step into closed), zero
// when it is not closed or evaluated now.
func closedAtOf(c *domain.Case, acts []domain.Action) time.Time {
	if c.Status != domain.StatusClosed && c.Status != domain.StatusEvaluated {
		return time.Time{}
	}
	var at time.Time
	for _, a := range acts {
		if a.ToStatus == domain.StatusClosed {
			at = a.At
		}
	}
	if at.IsZero() {
		at = c.ClosedAt
	}
	return at
}

// closedOnTime reports whether no unit clock (every clock but the order's,
// which stops at dispatch) was overdue when the case closed.
func closedOnTime(cal *clock.Calendar, c *domain.Case, acts []domain.Action, closedAt time.Time) bool {
	p, ok := clock.PolicyByName(c.Policy)
	if !ok {
		return false
	}
	var upTo []domain.Action
	for _, a := range acts {
		if !a.At.After(closedAt) {
			upTo = append(upTo, a)
		}
	}
	order := map[string]bool{}
	for _, s := range p.Clocks {
		if slices.Contains(s.Stop.Actions, "dispatch") || slices.Contains(s.Stop.States, domain.StatusDispatched) {
			order[s.Name] = true
		}
	}
	if len(order) == len(p.Clocks) {
		order = nil
	}
	for _, s := range p.Evaluate(cal, events(upTo), closedAt) {
		if !order[s.Clock] && s.Overdue {
			return false
		}
	}
	return true
}
