package clock

import (
	"time"

	"griddesk/domain"
)

// LimitOf turns a catalogue time limit 处置时限 into a span: working days,
// working hours inside the calendar's working hours, or hours round the
// clock.
func LimitOf(l domain.TimeLimit) Span {
	if l.IsZero() {
		return Span{}
	}
	d := time.Duration(l.N * float64(time.Hour))
	switch l.Unit {
	case domain.LimitWorkDays:
		return Workdays(int(l.N + 0.5))
	case domain.LimitWorkHours:
		return WorkHours(d)
	case domain.LimitHours:
		return Duration(d)
	}
	return Span{}
}

// CasePolicy is a case's clocks: its clock policy (domain.Case.Policy),
// with its category's time limit from the catalogue as one more clock
// (WithLimit). ok is false for a case without a known policy.
func CasePolicy(c domain.Case, cats []domain.Category) (Policy, bool) {
	p, ok := PolicyByName(c.Policy)
	if !ok {
		return p, false
	}
	if cat, found := domain.CategoryIn(cats, c.Category); found {
		p = p.WithLimit(LimitOf(cat.Limit))
	}
	return p, true
}
