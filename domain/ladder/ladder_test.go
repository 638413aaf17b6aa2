package ladder_test

import (
	"testing"
	"time"

	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/ladder"
	"griddesk/domain/workflow"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Location())

func at(h float64) time.Time { return t0.Add(time.Duration(h * float64(time.Hour))) }

// running is a clock running with a light since hour h.
func running(l clock.Light, h float64) clock.Status {
	return clock.Status{Clock: "x", Running: true, Light: l, Since: at(h)}
}

func urged(hs ...float64) []domain.Action {
	var out []domain.Action
	for _, h := range hs {
		out = append(out, domain.Action{Action: workflow.Urge, At: at(h)})
	}
	return out
}

// The default ladder (yellow: urge; red: urge, again every 4 h; red for a
// day: 督办), read at the moments the articles' clocks give.
func TestDefaultLadder(t *testing.T) {
	l := domain.DefaultLadder()
	sup := &domain.Supervision{Leader: "分管副镇长", At: at(26), Due: at(74)}
	cases := []struct {
		name   string
		clocks []clock.Status
		urges  []domain.Action
		sup    *domain.Supervision
		now    float64
		want   domain.LadderStep
	}{
		{"green: nothing", []clock.Status{running(clock.LightGreen, 0)}, nil, nil, 1, ""},
		{"yellow: urge", []clock.Status{running(clock.LightYellow, 1)}, nil, nil, 1.5, domain.StepUrge},
		{"yellow, urged since: nothing", []clock.Status{running(clock.LightYellow, 1)}, urged(1.2), nil, 5, ""},
		{"yellow, urged before it turned: urge", []clock.Status{running(clock.LightYellow, 1)}, urged(0.5), nil, 1.5, domain.StepUrge},
		{"red: urge", []clock.Status{running(clock.LightRed, 2)}, urged(1.2), nil, 2.1, domain.StepUrge},
		{"red, urged an hour ago: nothing", []clock.Status{running(clock.LightRed, 2)}, urged(1.2, 3), nil, 4, ""},
		{"red, urged 4 h ago: again", []clock.Status{running(clock.LightRed, 2)}, urged(1.2, 3), nil, 7, domain.StepUrge},
		{"red for a day: 督办", []clock.Status{running(clock.LightRed, 2)}, urged(2, 6, 10, 14, 18, 22), nil, 26, domain.StepSupervise},
		{"supervised: urges only", []clock.Status{running(clock.LightRed, 2)}, urged(26), sup, 31, domain.StepUrge},
		{"supervised, urged: nothing", []clock.Status{running(clock.LightRed, 2)}, urged(30), sup, 31, ""},
		{"the leader's deadline passed: 督办 again", []clock.Status{running(clock.LightRed, 2)}, urged(73), sup, 75, domain.StepSupervise},
		{"the worst clock counts", []clock.Status{running(clock.LightGreen, 0), running(clock.LightRed, 2)}, nil, nil, 3, domain.StepUrge},
		{"paused clocks do not", []clock.Status{{Running: true, Paused: true, Light: clock.LightRed, Since: at(2)}}, nil, nil, 30, ""},
		{"stopped clocks do not", []clock.Status{{Done: true, Light: clock.LightRed, Since: at(2)}}, nil, nil, 30, ""},
	}
	for _, c := range cases {
		p := ladder.Propose(l, c.clocks, c.urges, c.sup, at(c.now))
		if p.Step != c.want {
			t.Errorf("%s: %q (rung %d), want %q", c.name, p.Step, p.Rung, c.want)
		}
		if p.Urges != len(c.urges) {
			t.Errorf("%s: %d urges counted, want %d", c.name, p.Urges, len(c.urges))
		}
	}
}

// A town's own ladder: yellow after an hour, red straight to the leader.
func TestOwnLadder(t *testing.T) {
	l := domain.Ladder{Rungs: []domain.Rung{{Light: "yellow", After: time.Hour, Step: domain.StepUrge}, {Light: "red", Step: domain.StepSupervise}}}
	if err := l.Validate(); err != nil {
		t.Fatal(err)
	}
	yellow := []clock.Status{running(clock.LightYellow, 1)}
	if p := ladder.Propose(l, yellow, nil, nil, at(1.5)); p.Due() {
		t.Errorf("yellow for half an hour: %q", p.Step)
	}
	if p := ladder.Propose(l, yellow, nil, nil, at(2)); p.Step != domain.StepUrge {
		t.Errorf("yellow for an hour: %q", p.Step)
	}
	if p := ladder.Propose(l, []clock.Status{running(clock.LightRed, 3)}, nil, nil, at(3)); p.Step != domain.StepSupervise {
		t.Errorf("red: %q", p.Step)
	}
	for _, bad := range []domain.Ladder{{}, {Rungs: []domain.Rung{{Light: "green", Step: domain.StepUrge}}},
		{Rungs: []domain.Rung{{Light: "red", Step: "scold"}}}, {Rungs: []domain.Rung{{Light: "red", Step: domain.StepUrge, Every: time.Second}}}} {
		if bad.Validate() == nil {
			t.Errorf("ladder %+v accepted", bad)
		}
	}
}
