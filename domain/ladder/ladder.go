// Package ladder is the escalation ladder of late cases (催办/督办): from a
// case's clocks, its urges so far and its supervision, what the duty
// officer should do now. The rungs are a setting (domain.Ladder, rule:ladder):
// by default a yellow clock is urged once, a red one again every four hours,
// and a case red for a day goes to a leader (督办) with a new deadline.
//
// # The rule
//
// The case's light is the worst light of its running clocks (paused
// clocks, of a deferred case, do not count), shown since the earliest moment
// one of them took it. The rungs are read from the top: the first whose light
// is the case's and whose After has run since the light came on decides.
//
//   - An urge rung proposes an urge unless the case was urged since the rung
//     came due (its light's start plus After); with Every, it proposes again
//     once Every has run since the last urge.
//   - A supervise rung proposes 督办 unless the case is supervised already;
//     a supervised case is left to the leader's deadline, and only its urge
//     rungs apply. Once that deadline has passed, it is proposed again.
//
// A rung that is satisfied stops the reading: lower rungs of the same
// light are satisfied by the same urge.
package ladder

import (
	"time"

	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/workflow"
)

// Proposal is what the ladder proposes for a case.
type Proposal struct {
	Step  domain.LadderStep // urge or supervise; "" for nothing
	Rung  int               // index of the rung that proposes it
	Light clock.Light       // the case's light
	Since time.Time         // since when it shows it
	// Urges is how many times the case was urged so far; LastUrge the last.
	Urges    int
	LastUrge time.Time
}

// Due reports whether the ladder proposes anything.
func (p Proposal) Due() bool { return p.Step != "" }

// Light returns the worst light of the running, unpaused clocks and since
// when the earliest of them shows it.
func Light(st []clock.Status) (clock.Light, time.Time) {
	l, since := clock.LightNone, time.Time{}
	for _, s := range st {
		if !s.Running || s.Paused {
			continue
		}
		switch {
		case s.Light > l:
			l, since = s.Light, s.Since
		case s.Light == l && s.Since.Before(since):
			since = s.Since
		}
	}
	return l, since
}

var lightNames = map[string]clock.Light{"yellow": clock.LightYellow, "red": clock.LightRed}

// Propose reads the ladder for a case: its clocks as of now, its timeline
// (for its urges) and its supervision.
func Propose(l domain.Ladder, st []clock.Status, timeline []domain.Action, sup *domain.Supervision, now time.Time) Proposal {
	p := Proposal{}
	for _, a := range timeline {
		if a.Action == workflow.Urge && !a.At.After(now) {
			p.Urges++
			if a.At.After(p.LastUrge) {
				p.LastUrge = a.At
			}
		}
	}
	p.Light, p.Since = Light(st)
	if p.Light < clock.LightYellow {
		return p
	}
	for i := len(l.Rungs) - 1; i >= 0; i-- {
		r := l.Rungs[i]
		if lightNames[r.Light] != p.Light {
			continue
		}
		due := p.Since.Add(r.After)
		if now.Before(due) {
			continue
		}
		switch r.Step {
		case domain.StepSupervise:
			if sup != nil && now.Before(sup.Due) {
				continue // the leader's deadline governs; the urge rungs still apply
			}
			p.Step, p.Rung = r.Step, i
			return p
		case domain.StepUrge:
			switch {
			case p.LastUrge.Before(due):
				p.Step, p.Rung = r.Step, i
			case r.Every > 0 && now.Sub(p.LastUrge) >= r.Every:
				p.Step, p.Rung = r.Step, i
			}
			return p
		}
	}
	return p
}
