package clock

import (
	"testing"
	"time"
)

func TestWorst(t *testing.T) {
	running := func(l Light) Status { return Status{Light: l, Running: true} }
	onTime := func(l Light) Status { return Status{Light: l, Done: true, OnTime: true} }
	late := func(l Light) Status { return Status{Light: l, Done: true, Overdue: true} }
	tests := []struct {
		name string
		st   []Status
		want Light
	}{
		{"nothing", nil, LightNone},
		{"one running", []Status{running(LightGreen)}, LightGreen},
		{"worst running", []Status{running(LightGreen), running(LightRed), running(LightYellow)}, LightRed},
		{"running wins over late", []Status{late(LightRed), running(LightGreen)}, LightGreen},
		{"running unlit wins", []Status{late(LightRed), running(LightNone)}, LightNone},
		{"paused counts", []Status{{Light: LightYellow, Running: true, Paused: true}}, LightYellow},
		{"all on time", []Status{onTime(LightYellow), onTime(LightGreen)}, LightNone},
		{"late when nothing runs", []Status{onTime(LightYellow), late(LightRed)}, LightRed},
	}
	for _, tt := range tests {
		if got := Worst(tt.st); got != tt.want {
			t.Errorf("%s: Worst = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestDue(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)
	in := func(clock string, d time.Duration) Status {
		return Status{Clock: clock, Running: true, Deadline: now.Add(d)}
	}
	paused := in("paused", time.Minute)
	paused.Paused = true
	done := in("done", time.Minute)
	done.Running, done.Done, done.Stopped = false, true, now
	st := []Status{
		in("later", 30*time.Minute),
		in("overdue", -time.Second),
		in("at now", 0),
		in("soon", 5*time.Minute),
		in("edge", 10*time.Minute),
		in("far", 10*time.Minute+time.Second),
		paused,
		done,
	}
	got := Due(st, 10*time.Minute, now)
	var names []string
	for _, s := range got {
		names = append(names, s.Clock)
	}
	if want := "[soon edge]"; fmtList(names) != want {
		t.Errorf("Due = %s, want %s", fmtList(names), want)
	}
	if Due(nil, time.Hour, now) != nil {
		t.Error("Due(nil) is not nil")
	}
}

func fmtList(s []string) string {
	out := "["
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out + "]"
}
