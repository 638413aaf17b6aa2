package clock

import (
	"griddesk/domain"
	"time"
)

// Case states and the actions that clocks look at (DESIGN.md §5).
const (
	stateReported   = domain.StatusReported
	stateRegistered = domain.StatusRegistered
	stateRejected   = domain.StatusRejected
	stateDispatched = domain.StatusDispatched
	stateOnSite     = domain.StatusOnSite
	stateHandled    = domain.StatusHandled
	stateClosed     = domain.StatusClosed
	stateEvaluated  = domain.StatusEvaluated
	stateDeferred   = domain.StatusDeferred
	stateMerged     = domain.StatusMerged

	actionDispatch = "dispatch"
	actionArrive   = "arrive"
	actionFeedback = "feedback"
)

// Preset333 is Fotang's "333": the order issued within 30 s of the report
// (or of registration, for a case the desk registers itself),
// first responders on site within 3 min of dispatch, first feedback within
// 3 min of arrival. Yellow after two thirds of each limit.
func Preset333() Policy {
	done := Trigger{States: []domain.CaseStatus{stateHandled, stateClosed, stateEvaluated, stateMerged}}
	return Policy{Name: "333", Clocks: []Spec{
		{
			Name:  "dispatch",
			Start: Trigger{States: []domain.CaseStatus{stateReported, stateRegistered}},
			Stop:  Trigger{States: []domain.CaseStatus{stateDispatched}, Actions: []string{actionDispatch}},
			Until: Trigger{States: []domain.CaseStatus{stateRejected, stateClosed, stateEvaluated, stateMerged}},
			Limit: Duration(30 * time.Second),
			Warn:  Duration(20 * time.Second),
		},
		{
			Name:  "arrive",
			Start: Trigger{States: []domain.CaseStatus{stateDispatched}},
			Stop:  Trigger{States: []domain.CaseStatus{stateOnSite}, Actions: []string{actionArrive}},
			Until: done,
			Limit: Duration(3 * time.Minute),
			Warn:  Duration(2 * time.Minute),
		},
		{
			Name:  "feedback",
			Start: Trigger{States: []domain.CaseStatus{stateOnSite}},
			Stop:  Trigger{Actions: []string{actionFeedback}},
			Until: done,
			Limit: Duration(3 * time.Minute),
			Warn:  Duration(2 * time.Minute),
		},
	}}
}

// Preset135 is Fotang's "135" for disputes: closed within 5 calendar days of
// registration; still open after 1, 3 and 5 days it lights green, yellow, red.
func Preset135() Policy {
	return Policy{Name: "135", Clocks: []Spec{{
		Name:  "close",
		Start: Trigger{States: []domain.CaseStatus{stateRegistered}},
		Until: Trigger{States: []domain.CaseStatus{stateClosed, stateEvaluated, stateMerged}},
		Limit: Days(5),
		Steps: []Step{{Days(1), LightGreen}, {Days(3), LightYellow}, {Days(5), LightRed}},
	}}}
}

// PresetDepartment is Dongguan's rule for departments: from dispatch, on site
// within 5 working days, first feedback within 15 working days, then feedback
// every 7 working days until closed. Yellow when 2 (on site, later feedback)
// or 3 (first feedback) working days are left.
func PresetDepartment() Policy {
	return Policy{Name: "department", Clocks: []Spec{
		{
			Name:  "on_site",
			Start: Trigger{States: []domain.CaseStatus{stateDispatched}},
			Stop:  Trigger{States: []domain.CaseStatus{stateOnSite}, Actions: []string{actionArrive}},
			Until: Trigger{States: []domain.CaseStatus{stateHandled, stateClosed, stateEvaluated, stateMerged}},
			Limit: Workdays(5),
			Warn:  Workdays(3),
		},
		{
			Name:      "feedback",
			Start:     Trigger{States: []domain.CaseStatus{stateDispatched}},
			Stop:      Trigger{Actions: []string{actionFeedback}},
			Until:     Trigger{States: []domain.CaseStatus{stateClosed, stateEvaluated, stateMerged}},
			Limit:     Workdays(15),
			Warn:      Workdays(12),
			Every:     Workdays(7),
			EveryWarn: Workdays(5),
		},
	}}
}

// Presets returns the built-in policies: 333, 135 and department.
func Presets() []Policy {
	return []Policy{Preset333(), Preset135(), PresetDepartment()}
}

// PolicyByName returns the built-in policy with that name.
func PolicyByName(name string) (Policy, bool) {
	switch name {
	case "333":
		return Preset333(), true
	case "135":
		return Preset135(), true
	case "department":
		return PresetDepartment(), true
	}
	return Policy{}, false
}

// LimitClock is the name of the clock WithLimit adds.
const LimitClock = "limit"

// WithLimit returns p with one more clock, "limit": the catalogue's time
// limit 处置时限 of the case's category, from the first dispatch until
// the unit reports it handled, the case closes or is merged into another. Yellow once two thirds of the limit have run.
// A zero limit returns p unchanged.
func (p Policy) WithLimit(limit Span) Policy {
	if limit.IsZero() {
		return p
	}
	warn := limit
	switch limit.Unit {
	case WorkingDays, CalendarDays:
		warn.N = limit.N * 2 / 3
		if warn.N == 0 {
			warn = Span{}
		}
	default:
		warn.D = limit.D * 2 / 3
	}
	out := Policy{Name: p.Name, Clocks: append(p.Clocks[:len(p.Clocks):len(p.Clocks)], Spec{
		Name:  LimitClock,
		Start: Trigger{States: []domain.CaseStatus{stateDispatched}},
		Until: Trigger{States: []domain.CaseStatus{stateHandled, stateClosed, stateEvaluated, stateMerged}},
		Limit: limit,
		Warn:  warn,
	})}
	return out
}
