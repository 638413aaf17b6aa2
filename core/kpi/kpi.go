// Package kpi scores units month by month (DESIGN.md §5, Jinhua formulas):
// cases due, closed, closed on time, reworked, deferred and evaluated per
// unit; the rates 结案率, 按期结案率, 返工率, 延期率 and 满意率; the median and 90th-percentile
// time of each step of the closed loop; a ranking; and an XLSX export
// (WriteXLSX).
//
// # Definitions
//
// Months are calendar months in China Standard Time (Asia/Shanghai). A report
// looks at each case as of the end of the month (Compute) or an earlier
// moment of it (ComputeAsOf): later actions are ignored, so a past month's
// report does not change. A case counts for the unit it is dispatched to
// (store.Case.UnitID); cases without a unit are left out.
//
// Unit clocks. The clocks of a case's policy (store.Case.Policy, else the
// category's default) that a unit answers for: every clock except those
// stopped by dispatching, which time the command centre (333's 30-second
// "dispatch" clock). A policy with no other clock uses all of its clocks.
//
// Deadline and due 应结. A case's deadline is the latest first-round deadline
// among the unit clocks that started first, as set before any deferral
// (clock.Policy.Evaluate, as of the report time, over the timeline without
// its deferred stretches): 333 — on site 3 minutes after dispatch;
// department — first feedback 15 working days after dispatch (on site within
// 5 comes earlier); 135 — closed 5 days after registration. A case is due in
// the month its deadline falls in, provided the deadline has passed by the
// report time. A deferral 挂账 pauses the clocks and moves the deadline the
// unit is timed against (clock package), but not the month the case is due
// in: a case deferred before its deadline, even one still deferred at the
// month's end, is due in the month of its original deadline, and counts
// there as deferred (DESIGN.md §5). A case whose unit clocks have not
// started (not yet dispatched) has no deadline and is not due. Because that
// deadline never moves, each case is due in at most one month.
//
// Of the cases due in the month, as of the report time:
//   - deferred 挂账: had a defer action by the report time, before or after
//     its deadline, still deferred or resumed since. Deferred cases are exempt
//     from 结案率 and 按期结案率: the denominators leave them out, so the
//     numerators do too;
//   - closed 结案: not deferred, and closed (state closed or evaluated);
//   - closed on time 按期结案: closed, and no round of any unit clock went
//     overdue (every clock met its limit, the repeating feedback included);
//   - deferred closed 挂账后结案: deferred, then closed (for information);
//   - handled 处置: had a handle action; reworked 返工: had a verify_fail
//     (a case is handled before it can fail verification).
//
// Satisfaction 满意率. The cases evaluated (case.evaluate, the caller's
// verdict at the call-back 回访) in the month up to the report time count in
// that month, whether or not they are due in it; a case evaluated without a
// valid verdict is left out. As in 12345 hotline practice, 满意 and 基本满意
// both count as satisfied; 不满意 does not.
//
// Rates (Ratio, never NaN: a zero denominator leaves the rate undefined,
// shown "—" and ranked last):
//
//	结案率   = closed / (due − deferred)
//	按期结案率 = closed on time / (due − deferred)
//	返工率   = reworked / handled
//	延期率   = deferred / due
//	满意率   = (satisfied + basically satisfied) / evaluated
//
// Step times (Steps). Each step runs from a starting action to an ending
// action of the timeline: the ending action is the first one that has a
// starting action before it, the start is the latest such starting action,
// and time spent deferred in between is left out. A step counts in the month
// (and up to the report time) its ending action happened, whether or not the
// case is due then. Medians and 90th percentiles are nearest-rank: the value
// at position ⌈p·n⌉ of the n sorted times.
//
// Daily work (issue 17). Urges 催办次数: the urge actions in the month up to
// the report time, counted for the unit urged (the one working the case at
// the time). 督办件: the cases put under a leader's oversight in the month,
// for that unit. A callback 回访 that reached the caller is a verdict like
// case.evaluate (both set the case's satisfaction), and a reopen after a
// dissatisfied callback is rework 返工 like a failed verification.
// 回访率 = called back / to call back: the unit's cases closed in the month
// (their close action, up to the report time) that have a caller to call,
// and of them those with a callback recorded by the report time, reached or
// not (the call was made). Cases merged into another (status merged) are
// left out: the case they joined answers for them.
//
// Ranking: the units whose 按期结案率 is defined, by 按期结案率, then 结案率,
// both descending, then by name and ID.
package kpi

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/workflow"
)

// Ratio is a rate kept as a fraction, so that a zero denominator is
// "undefined" rather than NaN and ties compare exactly.
type Ratio struct {
	Num, Den int
}

// Valid reports whether the rate is defined (a positive denominator).
func (r Ratio) Valid() bool { return r.Den > 0 }

// Value returns the rate in [0, 1]; 0 when undefined.
func (r Ratio) Value() float64 {
	if r.Den <= 0 {
		return 0
	}
	return float64(r.Num) / float64(r.Den)
}

// String returns e.g. "66.7%", or "—" when undefined.
func (r Ratio) String() string {
	if !r.Valid() {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*r.Value())
}

// Compare returns -1, 0 or +1 as r is less than, equal to or greater than o;
// an undefined rate is less than any defined one.
func (r Ratio) Compare(o Ratio) int {
	switch {
	case !r.Valid() || !o.Valid():
		return cmp.Compare(boolInt(r.Valid()), boolInt(o.Valid()))
	}
	return cmp.Compare(r.Num*o.Den, o.Num*r.Den)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func ratio(num, den int) Ratio { return Ratio{Num: num, Den: max(den, 0)} }

// Step is one step of the closed loop timed from the timeline.
type Step struct {
	Key  string
	Name string   // Chinese
	From []string // starting actions; nil means the case's first action
	To   []string // ending actions
}

// Steps are the timed steps, in report order:
//
//	dispatch 派遣: first action (report) → dispatch or escalate
//	accept   接单: dispatch or escalate → accept
//	arrive   到场: dispatch or escalate → arrive
//	feedback 反馈: arrive → feedback (333's first feedback after arrival)
//	handle   处置: arrive → handle
//	close    结案: first action (report) → close, the whole loop
var Steps = []Step{
	{Key: "dispatch", Name: "派遣", To: []string{"dispatch", "escalate"}},
	{Key: "accept", Name: "接单", From: []string{"dispatch", "escalate"}, To: []string{"accept"}},
	{Key: "arrive", Name: "到场", From: []string{"dispatch", "escalate"}, To: []string{"arrive"}},
	{Key: "feedback", Name: "反馈", From: []string{"arrive"}, To: []string{"feedback"}},
	{Key: "handle", Name: "处置", From: []string{"arrive"}, To: []string{"handle"}},
	{Key: "close", Name: "结案", To: []string{"close"}},
}

// StepStat is one step's times for a unit and month.
type StepStat struct {
	Key    string
	Name   string
	N      int           // steps timed; Median and P90 are zero when N is 0
	Median time.Duration // nearest rank
	P90    time.Duration // nearest rank
}

// UnitRow is one unit's month.
type UnitRow struct {
	UnitID   string
	UnitName string
	Kind     string // store.Unit.Kind; empty for a unit missing from the unit list
	Rank     int    // position in Report.Ranking, 1 first; 0 when not ranked

	Due            int // 应结案数
	Deferred       int // 挂账数
	Closed         int // 结案数 (not deferred)
	ClosedOnTime   int // 按期结案数
	DeferredClosed int // 挂账后结案数
	Handled        int // 处置数
	Reworked       int // 返工数
	Evaluated      int // 评价数: evaluated in the month with a verdict
	Satisfied      int // 满意数: of them, satisfied or basically satisfied
	Urges          int // 催办次数
	Supervised     int // 督办件
	ToCall         int // 应回访数: closed in the month with a caller
	Called         int // 已回访数: of them, called back

	CloseRate        Ratio // 结案率
	OnTimeRate       Ratio // 按期结案率
	ReworkRate       Ratio // 返工率
	DeferRate        Ratio // 延期率
	SatisfactionRate Ratio // 满意率
	CallbackRate     Ratio // 回访率

	Steps []StepStat // one per Steps entry, in order

	times [][]time.Duration
}

// DueCase is one case due in the month, for drilling down from a row.
type DueCase struct {
	CaseID   string
	UnitID   string
	Deadline time.Time // the deadline it is due by, as set before any deferral (China time)
	Deferred bool
	Closed   bool
	OnTime   bool
	Handled  bool
	Reworked bool
}

// Report is the KPI table of one month.
type Report struct {
	Month   time.Time // first instant of the month, Asia/Shanghai
	End     time.Time // first instant of the next month
	AsOf    time.Time // the moment the cases were looked at
	Rows    []UnitRow // units with a due case or a timed step, by unit ID
	Ranking []UnitRow // ranked rows, best first (copies of Rows entries)
	Total   UnitRow   // all units together, UnitName "合计"
	Due     []DueCase // the cases due, by unit and case ID
	Skipped []string  // cases left out, with the reason: "C00012: no timeline"
}

// Compute scores the units for the month holding month (in Asia/Shanghai), as
// of the month's end. timelines maps case IDs to their actions (any order);
// units give names and kinds. A nil cal means clock.China().
func Compute(cases []domain.Case, timelines map[string][]domain.Action, units []domain.Unit, cal *clock.Calendar, month time.Time) Report {
	start := monthStart(month)
	return ComputeAsOf(cases, timelines, units, cal, month, start.AddDate(0, 1, 0).Add(-time.Nanosecond))
}

// ComputeAsOf is Compute as of a moment of the month (the desk passes
// time.Now() for the running month); asOf is clamped into the month.
func ComputeAsOf(cases []domain.Case, timelines map[string][]domain.Action, units []domain.Unit, cal *clock.Calendar, month, asOf time.Time) Report {
	if cal == nil {
		cal = clock.China()
	}
	start := monthStart(month)
	end := start.AddDate(0, 1, 0)
	if asOf.Before(start) {
		asOf = start
	}
	if !asOf.Before(end) {
		asOf = end.Add(-time.Nanosecond)
	}
	r := Report{Month: start, End: end, AsOf: asOf.In(clock.Location())}
	meta := make(map[string]domain.Unit, len(units))
	for _, u := range units {
		meta[u.ID] = u
	}
	rows := map[string]*UnitRow{}
	row := func(id string) *UnitRow {
		if ur := rows[id]; ur != nil {
			return ur
		}
		ur := &UnitRow{UnitID: id, UnitName: id, times: make([][]time.Duration, len(Steps))}
		if u, ok := meta[id]; ok {
			ur.UnitName, ur.Kind = u.Name, u.Kind
		}
		rows[id] = ur
		return ur
	}
	policies := map[string]clockPolicy{}
	for _, c := range cases {
		if c.UnitID == "" || c.Status == domain.StatusMerged {
			continue
		}
		acts := timelines[c.ID]
		if len(acts) == 0 {
			r.Skipped = append(r.Skipped, c.ID+": no timeline")
			continue
		}
		name := c.Policy
		if name == "" {
			if cat, ok := domain.CategoryByKey(c.Category); ok {
				name = cat.Policy
			}
		}
		p, ok := policies[name]
		if !ok {
			pol, found := clock.PolicyByName(name)
			if !found {
				r.Skipped = append(r.Skipped, fmt.Sprintf("%s: unknown clock policy %q", c.ID, name))
				continue
			}
			p = newClockPolicy(pol)
			policies[name] = p
		}
		acts = sorted(acts)
		ur := row(c.UnitID)
		for i, st := range Steps {
			if d, at, ok := st.time(acts, asOf); ok && !at.Before(start) {
				ur.times[i] = append(ur.times[i], d)
			}
		}
		if ev, ok := evaluated(c, acts, start, asOf); ok {
			ur.Evaluated++
			if ev {
				ur.Satisfied++
			}
		}
		daily(c, acts, start, asOf, ur, row)
		if dc, ok := p.due(cal, c, acts, start, asOf); ok {
			r.Due = append(r.Due, dc)
			ur.count(dc)
		}
	}
	// units with no case this month have no row
	for id, ur := range rows {
		if ur.Due == 0 && ur.Evaluated == 0 && ur.Urges == 0 && ur.Supervised == 0 && ur.ToCall == 0 &&
			!slices.ContainsFunc(ur.times, func(t []time.Duration) bool { return len(t) > 0 }) {
			delete(rows, id)
		}
	}
	r.Total = UnitRow{UnitName: "合计", times: make([][]time.Duration, len(Steps))}
	for _, ur := range rows {
		r.Total.add(ur)
		ur.finish()
		r.Rows = append(r.Rows, *ur)
	}
	r.Total.finish()
	slices.SortFunc(r.Rows, func(a, b UnitRow) int { return cmp.Compare(a.UnitID, b.UnitID) })
	slices.SortFunc(r.Due, func(a, b DueCase) int {
		return cmp.Or(cmp.Compare(a.UnitID, b.UnitID), cmp.Compare(a.CaseID, b.CaseID))
	})
	for _, ur := range r.Rows {
		if ur.OnTimeRate.Valid() {
			r.Ranking = append(r.Ranking, ur)
		}
	}
	slices.SortFunc(r.Ranking, func(a, b UnitRow) int {
		return cmp.Or(-a.OnTimeRate.Compare(b.OnTimeRate), -a.CloseRate.Compare(b.CloseRate),
			cmp.Compare(a.UnitName, b.UnitName), cmp.Compare(a.UnitID, b.UnitID))
	})
	for i := range r.Ranking {
		r.Ranking[i].Rank = i + 1
		j, _ := slices.BinarySearchFunc(r.Rows, r.Ranking[i].UnitID, func(u UnitRow, id string) int { return cmp.Compare(u.UnitID, id) })
		r.Rows[j].Rank = i + 1
	}
	return r
}

// monthStart returns the first instant of t's month in Asia/Shanghai.
func monthStart(t time.Time) time.Time {
	y, m, _ := t.In(clock.Location()).Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, clock.Location())
}

func sorted(acts []domain.Action) []domain.Action {
	if slices.IsSortedFunc(acts, byTime) {
		return acts
	}
	acts = slices.Clone(acts)
	slices.SortStableFunc(acts, byTime)
	return acts
}

func byTime(a, b domain.Action) int { return a.At.Compare(b.At) }

// count adds a due case to the row.
func (ur *UnitRow) count(dc DueCase) {
	ur.Due++
	switch {
	case dc.Deferred:
		ur.Deferred++
		if dc.Closed {
			ur.DeferredClosed++
		}
	case dc.Closed:
		ur.Closed++
		if dc.OnTime {
			ur.ClosedOnTime++
		}
	}
	if dc.Handled {
		ur.Handled++
	}
	if dc.Reworked {
		ur.Reworked++
	}
}

// add sums another row's counts and times into ur.
func (ur *UnitRow) add(o *UnitRow) {
	ur.Due += o.Due
	ur.Deferred += o.Deferred
	ur.Closed += o.Closed
	ur.ClosedOnTime += o.ClosedOnTime
	ur.DeferredClosed += o.DeferredClosed
	ur.Handled += o.Handled
	ur.Reworked += o.Reworked
	ur.Evaluated += o.Evaluated
	ur.Satisfied += o.Satisfied
	ur.Urges += o.Urges
	ur.Supervised += o.Supervised
	ur.ToCall += o.ToCall
	ur.Called += o.Called
	for i := range o.times {
		ur.times[i] = append(ur.times[i], o.times[i]...)
	}
}

// finish computes the rates and step statistics.
func (ur *UnitRow) finish() {
	ur.CloseRate = ratio(ur.Closed, ur.Due-ur.Deferred)
	ur.OnTimeRate = ratio(ur.ClosedOnTime, ur.Due-ur.Deferred)
	ur.ReworkRate = ratio(ur.Reworked, ur.Handled)
	ur.DeferRate = ratio(ur.Deferred, ur.Due)
	ur.SatisfactionRate = ratio(ur.Satisfied, ur.Evaluated)
	ur.CallbackRate = ratio(ur.Called, ur.ToCall)
	ur.Steps = make([]StepStat, len(Steps))
	for i, st := range Steps {
		ts := ur.times[i]
		slices.Sort(ts)
		ur.Steps[i] = StepStat{Key: st.Key, Name: st.Name, N: len(ts), Median: Percentile(ts, 50), P90: Percentile(ts, 90)}
	}
	ur.times = nil
}

// evaluated reports whether the case was evaluated in [start, asOf] with a
// valid verdict (its last evaluate action in the timeline), and whether the
// verdict counts as satisfied: 满意 or 基本满意.
func evaluated(c domain.Case, acts []domain.Action, start, asOf time.Time) (satisfied, ok bool) {
	if !c.Satisfaction.Valid() {
		return false, false
	}
	var at time.Time
	for _, a := range acts {
		if (a.Action == workflow.Evaluate || a.Action == workflow.Callback || a.Action == workflow.Reopen) && !a.At.After(asOf) {
			at = a.At
		}
	}
	if at.IsZero() || at.Before(start) {
		return false, false
	}
	return c.Satisfaction != domain.Dissatisfied, true
}

// Percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of sorted
// values: the value at position ⌈p·n/100⌉; 0 for no values.
func Percentile(sorted []time.Duration, p int) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	k := (p*n + 99) / 100 // ⌈p·n/100⌉
	return sorted[min(max(k, 1), n)-1]
}

// time returns the step's duration in a time-ordered timeline, without the
// deferred time, and when it ended; ok is false when the step did not end by
// asOf.
func (st *Step) time(acts []domain.Action, asOf time.Time) (d time.Duration, end time.Time, ok bool) {
	from := -1
	if st.From == nil && len(acts) > 0 && !acts[0].At.After(asOf) {
		from = 0
	}
	for i := range acts {
		a := &acts[i]
		if a.At.After(asOf) {
			return 0, time.Time{}, false
		}
		if from >= 0 && slices.Contains(st.To, a.Action) && (st.From == nil || i > from) {
			return a.At.Sub(acts[from].At) - deferred(acts, acts[from].At, a.At), a.At, true
		}
		if st.From != nil && slices.Contains(st.From, a.Action) {
			from = i
		}
	}
	return 0, time.Time{}, false
}

// deferred returns the time between from and to that the case spent deferred.
func deferred(acts []domain.Action, from, to time.Time) time.Duration {
	var d time.Duration
	for i := range acts {
		if acts[i].ToStatus != domain.StatusDeferred {
			continue
		}
		a, b := acts[i].At, to
		if i+1 < len(acts) && acts[i+1].At.Before(b) {
			b = acts[i+1].At
		}
		if a.Before(from) {
			a = from
		}
		if a.Before(b) {
			d += b.Sub(a)
		}
	}
	return d
}

// clockPolicy is a policy with its unit clocks marked.
type clockPolicy struct {
	clock.Policy
	unit map[string]bool // clock name → a unit clock
}

func newClockPolicy(p clock.Policy) clockPolicy {
	cp := clockPolicy{Policy: p, unit: map[string]bool{}}
	for _, s := range p.Clocks {
		if !slices.Contains(s.Stop.Actions, "dispatch") && !slices.Contains(s.Stop.States, domain.StatusDispatched) {
			cp.unit[s.Name] = true
		}
	}
	if len(cp.unit) == 0 {
		for _, s := range p.Clocks {
			cp.unit[s.Name] = true
		}
	}
	return cp
}

// due evaluates a case as of asOf and reports it when it is due in the month
// starting at start.
func (p *clockPolicy) due(cal *clock.Calendar, c domain.Case, acts []domain.Action, start, asOf time.Time) (DueCase, bool) {
	events := make([]clock.Event, 0, len(acts))
	dc := DueCase{CaseID: c.ID, UnitID: c.UnitID}
	state := domain.CaseStatus("")
	for _, a := range acts {
		if a.At.After(asOf) {
			break
		}
		events = append(events, clock.Event{At: a.At, Action: a.Action, State: a.ToStatus})
		state = a.ToStatus
		switch {
		case a.Action == "defer" || a.ToStatus == domain.StatusDeferred:
			dc.Deferred = true
		case a.Action == "handle":
			dc.Handled = true
		case a.Action == "verify_fail" || a.Action == workflow.Reopen:
			dc.Reworked = true
		}
	}
	st := p.Evaluate(cal, events, asOf)
	overdue := false
	for _, s := range st {
		overdue = overdue || (p.unit[s.Clock] && s.Overdue)
	}
	if dc.Deferred {
		// the deadline as set before any deferral: the clocks run over the
		// timeline without its deferred stretches
		plain := events[:0:0]
		for _, e := range events {
			if e.State != domain.StatusDeferred {
				plain = append(plain, e)
			}
		}
		st = p.Evaluate(cal, plain, asOf)
	}
	var first time.Time
	for _, s := range st {
		if p.unit[s.Clock] && s.Round == 1 && (first.IsZero() || s.Started.Before(first)) {
			first = s.Started
		}
	}
	if first.IsZero() {
		return dc, false // not dispatched yet
	}
	for _, s := range st {
		if p.unit[s.Clock] && s.Round == 1 && s.Started.Equal(first) && s.Deadline.After(dc.Deadline) {
			dc.Deadline = s.Deadline
		}
	}
	if dc.Deadline.Before(start) || dc.Deadline.After(asOf) {
		return dc, false
	}
	dc.Deadline = dc.Deadline.In(clock.Location())
	dc.Closed = state == domain.StatusClosed || state == domain.StatusEvaluated
	dc.OnTime = dc.Closed && !overdue
	return dc, true
}

// daily counts a case's urges, supervision and callbacks in the month: urges
// and supervision for the unit they were addressed to (row makes its row).
func daily(c domain.Case, acts []domain.Action, start, asOf time.Time, ur *UnitRow, row func(string) *UnitRow) {
	var closed time.Time
	for _, a := range acts {
		if a.At.After(asOf) {
			break
		}
		switch a.Action {
		case workflow.Urge, workflow.Supervise:
			if a.At.Before(start) {
				continue
			}
			target := ur
			if a.Detail != nil && a.Detail.UnitID != "" && a.Detail.UnitID != c.UnitID {
				target = row(a.Detail.UnitID)
			}
			if a.Action == workflow.Urge {
				target.Urges++
			} else {
				target.Supervised++
			}
		case workflow.Close:
			closed = a.At
		}
	}
	if closed.IsZero() || closed.Before(start) || !hasCaller(c) {
		return
	}
	ur.ToCall++
	for _, a := range acts {
		if a.At.After(asOf) {
			break
		}
		if !a.At.Before(closed) && (a.Action == workflow.Callback || a.Action == workflow.CallbackMissed || a.Action == workflow.Reopen ||
			a.Action == workflow.Evaluate) {
			ur.Called++
			return
		}
	}
}

// hasCaller reports whether a closed case has someone to call back.
func hasCaller(c domain.Case) bool {
	for _, cl := range c.Callers {
		if cl.Phone != "" {
			return true
		}
	}
	return false
}
