package clock

import (
	"errors"
	"fmt"
	"griddesk/domain"
	"time"
)

// Unit is what a Span counts.
type Unit int

// Units.
const (
	Wall         Unit = iota // elapsed time (Span.D)
	CalendarDays             // calendar days, keeping the time of day (Span.N)
	WorkingDays              // working days of a Calendar, keeping the time of day (Span.N)
	WorkingHours             // working time inside the Calendar's working hours (Span.D)
)

// Span is a time limit: a duration or a number of days.
type Span struct {
	Unit Unit
	D    time.Duration // Wall
	N    int           // CalendarDays, WorkingDays
}

// Duration returns a span of elapsed time.
func Duration(d time.Duration) Span { return Span{Unit: Wall, D: d} }

// Days returns a span of n calendar days.
func Days(n int) Span { return Span{Unit: CalendarDays, N: n} }

// Workdays returns a span of n working days.
func Workdays(n int) Span { return Span{Unit: WorkingDays, N: n} }

// WorkHours returns a span of working time: only the calendar's working
// hours on working days count (工作时).
func WorkHours(d time.Duration) Span { return Span{Unit: WorkingHours, D: d} }

// IsZero reports whether s is no limit at all.
func (s Span) IsZero() bool { return s.D <= 0 && s.N <= 0 }

// String returns e.g. "30s", "5d" or "15wd".
func (s Span) String() string {
	switch s.Unit {
	case CalendarDays:
		return fmt.Sprintf("%dd", s.N)
	case WorkingDays:
		return fmt.Sprintf("%dwd", s.N)
	case WorkingHours:
		return fmt.Sprintf("%gwh", s.D.Hours())
	}
	return s.D.String()
}

// Trigger matches case events: entering one of States (the previous event left
// the case in another state), or doing one of Actions.
type Trigger struct {
	States  []domain.CaseStatus
	Actions []string
}

// IsZero reports whether t matches nothing.
func (t Trigger) IsZero() bool { return len(t.States) == 0 && len(t.Actions) == 0 }

// match reports whether e, following a case in state prev, matches t.
func (t Trigger) match(e *Event, prev domain.CaseStatus) bool {
	if e.State != prev {
		for _, s := range t.States {
			if s == e.State {
				return true
			}
		}
	}
	for _, a := range t.Actions {
		if a == e.Action {
			return true
		}
	}
	return false
}

// Step lights a clock once more than After has run (explicit steps, as 135).
type Step struct {
	After Span
	Light Light
}

// Spec describes one clock of a policy.
//
// The clock starts at the first event matching Start. A round ends at the
// first later event matching Stop or Until. Its deadline is Limit after the
// start; it lights green, then yellow once more than Warn has run (no yellow
// if Warn is zero), then red once more than Limit has run (overdue); a
// deadline is met by an event at the deadline itself. With Steps, the light is
// instead the last step passed, and LightNone before the first.
//
// With Every set, a round ended by Stop starts the next round at once, with
// limit Every and warning EveryWarn, until an event matching Until: the
// department's feedback every 7 working days.
type Spec struct {
	Name      string
	Start     Trigger
	Stop      Trigger
	Until     Trigger
	Limit     Span
	Warn      Span
	Steps     []Step
	Every     Span
	EveryWarn Span
}

// Policy is a named set of clocks applied to a case (store.Case.Policy).
type Policy struct {
	Name   string
	Clocks []Spec
}

// Validate checks that p can be evaluated: names present and distinct,
// triggers and limits set, steps in order.
func (p Policy) Validate() error {
	if p.Name == "" {
		return errors.New("clock: policy: name is missing")
	}
	seen := map[string]bool{}
	for i, s := range p.Clocks {
		if err := s.validate(); err != nil {
			return fmt.Errorf("clock: policy %s: clock %d (%s): %w", p.Name, i+1, s.Name, err)
		}
		if seen[s.Name] {
			return fmt.Errorf("clock: policy %s: clock %q is defined twice", p.Name, s.Name)
		}
		seen[s.Name] = true
	}
	return nil
}

func (s Spec) validate() error {
	switch {
	case s.Name == "":
		return errors.New("name is missing")
	case s.Start.IsZero():
		return errors.New("start trigger is missing")
	case s.Stop.IsZero() && s.Until.IsZero():
		return errors.New("stop trigger is missing")
	case s.Limit.IsZero():
		return errors.New("limit is missing")
	case !s.Every.IsZero() && s.Until.IsZero():
		return errors.New("repeating clock without an until trigger")
	}
	for i := 1; i < len(s.Steps); i++ {
		a, b := s.Steps[i-1].After, s.Steps[i].After
		if a.Unit == b.Unit && a.D >= b.D && a.N >= b.N {
			return fmt.Errorf("step %d (%s) is not after step %d (%s)", i+1, b, i, a)
		}
	}
	return nil
}
