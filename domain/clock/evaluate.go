package clock

import (
	"griddesk/domain"
	"slices"
	"time"
)

// Event is one step of a case's timeline (store.Action).
type Event struct {
	At     time.Time
	Action string            // report, register, dispatch, accept, return, arrive, feedback, handle, verify_fail, close, defer, resume, evaluate …
	State  domain.CaseStatus // the case's state after the event
}

// Status is one round of one clock at a moment.
type Status struct {
	Clock     string // Spec.Name
	Round     int    // 1, then 2, 3 … for a repeating clock
	Light     Light
	Since     time.Time // when the clock took its light: the start, the warning, a step or the deadline
	Started   time.Time
	Deadline  time.Time // moved by the deferred time; see Evaluate
	Stopped   time.Time // zero while running
	Elapsed   time.Duration
	Remaining time.Duration // Deadline − now (or − Stopped); negative when overdue
	Running   bool          // started and not stopped (also while paused)
	Paused    bool          // running, and the case is deferred now
	Overdue   bool          // past the deadline now, or stopped after it
	Done      bool          // stopped
	OnTime    bool          // stopped no later than the deadline
}

// pause is a stretch of time the case spent deferred 挂账.
type pause struct{ from, to time.Time } // to is now while still deferred

// Evaluate runs p's clocks over a case's events as of now and returns one
// Status per started round, in the order of p.Clocks; clocks that have not
// started are left out. Events may come in any order; events after now are
// ignored. A nil cal means the embedded China calendar.
//
// While the case is deferred, every clock is paused: Elapsed leaves the
// deferred time out, and each threshold (warning, steps, deadline) that had
// not passed when a deferral began moves by it. Clocks counting elapsed time
// or calendar days move by the exact deferred duration. Working-day clocks move
// by whole working days, the deferral's WorkdaysBetween(from, to): deferring
// from Tuesday 09:00 to Thursday 15:00 moves the deadline 2 working days,
// deferring within one day does not move it.
func (p Policy) Evaluate(cal *Calendar, events []Event, now time.Time) []Status {
	var tab *table
	hours := defaultHours
	if cal == nil {
		tab = embedded().tab
	} else {
		tab, hours = cal.snapshot(), cal.WorkHours()
	}
	evs := timeline(events, now)
	var buf [4]pause
	pauses, deferred := deferrals(evs, now, buf[:0])
	out := make([]Status, 0, len(p.Clocks)+1)
	for i := range p.Clocks {
		out = p.Clocks[i].run(tab, hours, evs, pauses, deferred, now, out)
	}
	return out
}

func byTime(a, b Event) int { return a.At.Compare(b.At) }

// timeline returns the events in time order up to now.
func timeline(events []Event, now time.Time) []Event {
	if !slices.IsSortedFunc(events, byTime) {
		events = slices.Clone(events)
		slices.SortStableFunc(events, byTime)
	}
	n := len(events)
	for n > 0 && events[n-1].At.After(now) {
		n--
	}
	return events[:n]
}

// deferrals returns the case's deferred stretches and whether it is deferred now.
func deferrals(evs []Event, now time.Time, out []pause) ([]pause, bool) {
	in := false
	for i := range evs {
		switch e := &evs[i]; {
		case !in && e.State == stateDeferred:
			out = append(out, pause{from: e.At})
			in = true
		case in && e.State != stateDeferred:
			out[len(out)-1].to = e.At
			in = false
		}
	}
	if in {
		out[len(out)-1].to = now
	}
	return out, in
}

// run appends the statuses of s's rounds.
func (s *Spec) run(tab *table, hours Hours, evs []Event, pauses []pause, deferred bool, now time.Time, out []Status) []Status {
	i, prev := -1, domain.CaseStatus("")
	for k := range evs {
		if s.Start.match(&evs[k], prev) {
			i = k
			break
		}
		prev = evs[k].State
	}
	if i < 0 {
		return out
	}
	limit, warn, steps := s.Limit, s.Warn, s.Steps
	for round := 1; ; round++ {
		start := evs[i].At
		j, until := -1, false
		prev = evs[i].State
		for k := i + 1; k < len(evs); k++ {
			e := &evs[k]
			if s.Until.match(e, prev) {
				j, until = k, true
				break
			}
			if s.Stop.match(e, prev) {
				j = k
				break
			}
			prev = e.State
		}
		st := Status{Clock: s.Name, Round: round, Started: start}
		ref := now
		if j >= 0 {
			ref = evs[j].At
			st.Stopped, st.Done = ref, true
		} else {
			st.Running, st.Paused = true, deferred
		}
		w := window{tab: tab, hours: hours, start: start, ref: ref, pauses: pauses}
		st.Deadline = w.at(limit)
		st.Elapsed = ref.Sub(start) - w.paused()
		st.Remaining = st.Deadline.Sub(ref)
		st.Overdue = ref.After(st.Deadline)
		st.OnTime = st.Done && !st.Overdue
		st.Light, st.Since = w.light(st.Overdue, st.Deadline, warn, steps)
		out = append(out, st)
		if j < 0 || until || s.Every.IsZero() {
			return out
		}
		i, limit, warn, steps = j, s.Every, s.EveryWarn, nil
	}
}

// window is one round of a clock: from start to ref (its stop, or now).
type window struct {
	tab        *table
	hours      Hours
	start, ref time.Time
	pauses     []pause
}

// at returns the moment sp after the start, moved by the deferrals that began
// before it.
func (w *window) at(sp Span) time.Time {
	var t time.Time
	switch sp.Unit {
	case CalendarDays:
		t = w.start.In(shanghai).AddDate(0, 0, sp.N)
	case WorkingDays:
		t = w.start
		if sp.N > 0 {
			t = onDay(w.tab.add(dayOf(t), sp.N), t)
		}
	case WorkingHours:
		t = addWork(w.tab, w.hours, w.start, sp.D)
	default:
		t = w.start.Add(sp.D)
	}
	for _, p := range w.pauses {
		from, to := later(p.from, w.start), earlier(p.to, w.ref)
		if !from.Before(to) {
			continue // outside the window
		}
		if !from.Before(t) {
			break // began once t had passed, as all later ones
		}
		if sp.Unit == WorkingHours {
			t = addWork(w.tab, w.hours, t, workBetween(w.tab, w.hours, from, to))
		} else if sp.Unit != WorkingDays {
			t = t.Add(to.Sub(from))
		} else if n := w.tab.count(dayOf(to)) - w.tab.count(dayOf(from)); n > 0 {
			t = onDay(w.tab.add(dayOf(t), n), t)
		}
	}
	return t
}

// paused returns the deferred time inside the window.
func (w *window) paused() time.Duration {
	var d time.Duration
	for _, p := range w.pauses {
		if from, to := later(p.from, w.start), earlier(p.to, w.ref); from.Before(to) {
			d += to.Sub(from)
		}
	}
	return d
}

// light returns the round's light at ref, and since when it shows it.
func (w *window) light(overdue bool, deadline time.Time, warn Span, steps []Step) (Light, time.Time) {
	if len(steps) > 0 {
		l, since := LightNone, w.start
		for _, s := range steps {
			at := w.at(s.After)
			if !w.ref.After(at) {
				break
			}
			l, since = s.Light, at
		}
		return l, since
	}
	switch {
	case overdue:
		return LightRed, deadline
	case !warn.IsZero():
		if at := w.at(warn); w.ref.After(at) {
			return LightYellow, at
		}
	}
	return LightGreen, w.start
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
