package clock

import (
	"slices"
	"time"
)

// Worst returns a case's light: the worst light of its running clocks or, when
// none runs, the worst light of the clocks that stopped late; LightNone when
// every clock stopped on time (or none started).
func Worst(st []Status) Light {
	running, late := LightNone, LightNone
	anyRunning := false
	for i := range st {
		s := &st[i]
		switch {
		case s.Running:
			anyRunning = true
			running = max(running, s.Light)
		case s.Done && !s.OnTime:
			late = max(late, s.Light)
		}
	}
	if anyRunning {
		return running
	}
	return late
}

// Due returns the running, unpaused clocks whose deadline is after now and no
// more than within away: the "about to be overdue" alerts, soonest first.
func Due(st []Status, within time.Duration, now time.Time) []Status {
	var out []Status
	for _, s := range st {
		if s.Running && !s.Paused && s.Deadline.After(now) && s.Deadline.Sub(now) <= within {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b Status) int { return a.Deadline.Compare(b.Deadline) })
	return out
}
