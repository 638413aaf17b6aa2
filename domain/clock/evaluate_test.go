package clock

import (
	"fmt"
	"griddesk/domain"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// ev makes an event at a Beijing time.
func ev(t testing.TB, at, action, state string) Event {
	return Event{At: cst(t, at), Action: action, State: domain.CaseStatus(state)}
}

// without drops the events with one of the actions.
func without(evs []Event, actions ...string) []Event {
	return slices.DeleteFunc(slices.Clone(evs), func(e Event) bool { return slices.Contains(actions, e.Action) })
}

// want is the expected part of a Status; times in Beijing, "" for zero.
type want struct {
	clock    string
	round    int
	light    Light
	deadline string
	stopped  string
	flags    string // any of "overdue", "ontime", "paused"
}

func (w want) String() string {
	return fmt.Sprintf("%s#%d %s deadline=%s stopped=%s [%s]", w.clock, w.round, w.light, w.deadline, w.stopped, w.flags)
}

func describe(s Status) string {
	var flags []string
	if s.Overdue {
		flags = append(flags, "overdue")
	}
	if s.OnTime {
		flags = append(flags, "ontime")
	}
	if s.Paused {
		flags = append(flags, "paused")
	}
	stopped := ""
	if !s.Stopped.IsZero() {
		stopped = s.Stopped.In(shanghai).Format(time.DateTime)
	}
	return want{s.Clock, s.Round, s.Light, s.Deadline.In(shanghai).Format(time.DateTime), stopped, strings.Join(flags, " ")}.String()
}

func check(t *testing.T, got []Status, wants ...want) {
	t.Helper()
	var g, w []string
	for _, s := range got {
		g = append(g, describe(s))
		if s.Running == s.Done || s.Done == s.Stopped.IsZero() {
			t.Errorf("%s: Running=%v Done=%v Stopped=%v disagree", s.Clock, s.Running, s.Done, s.Stopped)
		}
	}
	for _, x := range wants {
		x.deadline = cst(t, x.deadline).Format(time.DateTime)
		if x.stopped != "" {
			x.stopped = cst(t, x.stopped).Format(time.DateTime)
		}
		w = append(w, x.String())
	}
	if !slices.Equal(g, w) {
		t.Errorf("statuses:\n  %s\nwant:\n  %s", strings.Join(g, "\n  "), strings.Join(w, "\n  "))
	}
}

func TestPreset333(t *testing.T) {
	d := "2026-03-02 "
	evs := []Event{
		ev(t, d+"09:00:00", "report", "reported"),
		ev(t, d+"09:00:05", "register", "registered"),
		ev(t, d+"09:00:25", "dispatch", "dispatched"),
		ev(t, d+"09:02:40", "arrive", "on_site"),
		ev(t, d+"09:05:10", "feedback", "on_site"),
	}
	lateFeedback := append(without(evs, "feedback"), ev(t, d+"09:06:00", "feedback", "on_site"))
	dispatch := func(l Light, flags string) want { return want{"dispatch", 1, l, d + "09:00:30", "", flags} }
	dispatched := want{"dispatch", 1, LightYellow, d + "09:00:30", d + "09:00:25", "ontime"}
	arrived := want{"arrive", 1, LightYellow, d + "09:03:25", d + "09:02:40", "ontime"}
	tests := []struct {
		name  string
		evs   []Event
		now   string
		wants []want
	}{
		{"just reported", evs, "09:00:10", []want{dispatch(LightGreen, "")}},
		{"20 s passed", evs, "09:00:20", []want{dispatch(LightGreen, "")}},
		{"after 20 s", evs, "09:00:21", []want{dispatch(LightYellow, "")}},
		{"at 30 s", evs[:2], "09:00:30", []want{dispatch(LightYellow, "")}},
		{"after 30 s", evs[:2], "09:00:31", []want{dispatch(LightRed, "overdue")}},
		{"dispatched", evs, "09:01:00", []want{dispatched, {"arrive", 1, LightGreen, d + "09:03:25", "", ""}}},
		{"arrive warned", evs, "09:02:30", []want{dispatched, {"arrive", 1, LightYellow, d + "09:03:25", "", ""}}},
		{"arrive late", evs[:3], "09:03:26", []want{dispatched, {"arrive", 1, LightRed, d + "09:03:25", "", "overdue"}}},
		{"on site", evs, "09:04:00", []want{dispatched, arrived, {"feedback", 1, LightGreen, d + "09:05:40", "", ""}}},
		{"feedback warned", evs, "09:04:41", []want{dispatched, arrived, {"feedback", 1, LightYellow, d + "09:05:40", "", ""}}},
		{"feedback late", evs[:4], "09:05:41", []want{dispatched, arrived, {"feedback", 1, LightRed, d + "09:05:40", "", "overdue"}}},
		{"fed back", evs, "09:06:00", []want{dispatched, arrived, {"feedback", 1, LightYellow, d + "09:05:40", d + "09:05:10", "ontime"}}},
		{"fed back late", lateFeedback, "09:07:00", []want{dispatched, arrived, {"feedback", 1, LightRed, d + "09:05:40", d + "09:06:00", "overdue"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, Preset333().Evaluate(China(), tt.evs, cst(t, d+tt.now)), tt.wants...)
		})
	}

	st := Preset333().Evaluate(China(), evs, cst(t, d+"09:02:30"))
	if a := st[1]; a.Elapsed != 125*time.Second || a.Remaining != 55*time.Second || !a.Started.Equal(cst(t, d+"09:00:25")) {
		t.Errorf("arrive: Elapsed=%v Remaining=%v Started=%v, want 2m5s, 55s, 09:00:25", a.Elapsed, a.Remaining, a.Started)
	}
	if d := st[0]; d.Elapsed != 25*time.Second || d.Remaining != 5*time.Second {
		t.Errorf("dispatch: Elapsed=%v Remaining=%v, want 25s, 5s", d.Elapsed, d.Remaining)
	}
}

func TestPreset333DeferredWhenOverdue(t *testing.T) {
	// A deferral that begins after the deadline does not move it.
	d := "2026-03-02 "
	evs := []Event{ev(t, d+"09:00:00", "report", "reported"), ev(t, d+"09:01:00", "defer", "deferred")}
	st := Preset333().Evaluate(China(), evs, cst(t, d+"09:05:00"))
	check(t, st, want{"dispatch", 1, LightRed, d + "09:00:30", "", "overdue paused"})
	if st[0].Elapsed != time.Minute {
		t.Errorf("Elapsed = %v, want 1m0s", st[0].Elapsed)
	}
}

func TestPreset135(t *testing.T) {
	evs := []Event{
		ev(t, "2026-03-02 09:50", "report", "reported"),
		ev(t, "2026-03-02 10:00", "register", "registered"),
	}
	closed := func(at string) []Event { return append(slices.Clone(evs), ev(t, at, "close", "closed")) }
	deadline := "2026-03-07 10:00"
	tests := []struct {
		name string
		evs  []Event
		now  string
		want want
	}{
		{"first day", evs, "2026-03-03 09:00", want{"close", 1, LightNone, deadline, "", ""}},
		{"at 1 day", evs, "2026-03-03 10:00", want{"close", 1, LightNone, deadline, "", ""}},
		{"after 1 day", evs, "2026-03-03 10:00:01", want{"close", 1, LightGreen, deadline, "", ""}},
		{"at 3 days", evs, "2026-03-05 10:00", want{"close", 1, LightGreen, deadline, "", ""}},
		{"after 3 days", evs, "2026-03-05 10:00:01", want{"close", 1, LightYellow, deadline, "", ""}},
		{"at 5 days", evs, "2026-03-07 10:00", want{"close", 1, LightYellow, deadline, "", ""}},
		{"after 5 days", evs, "2026-03-07 10:00:01", want{"close", 1, LightRed, deadline, "", "overdue"}},
		{"closed the same day", closed("2026-03-02 18:00"), "2026-03-10 10:00", want{"close", 1, LightNone, deadline, "2026-03-02 18:00", "ontime"}},
		{"closed in 2 days", closed("2026-03-04 15:00"), "2026-03-10 10:00", want{"close", 1, LightGreen, deadline, "2026-03-04 15:00", "ontime"}},
		{"closed late", closed("2026-03-08 09:00"), "2026-03-10 10:00", want{"close", 1, LightRed, deadline, "2026-03-08 09:00", "overdue"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, Preset135().Evaluate(China(), tt.evs, cst(t, tt.now)), tt.want)
		})
	}
}

func TestDeferredMovesDeadline(t *testing.T) {
	evs := []Event{
		ev(t, "2026-03-02 10:00", "register", "registered"),
		ev(t, "2026-03-03 12:00", "defer", "deferred"),
		ev(t, "2026-03-05 18:00", "resume", "registered"), // 2 days 6 hours deferred
	}
	tests := []struct {
		now                string
		want               want
		elapsed, remaining time.Duration
	}{
		{"2026-03-03 11:59", want{"close", 1, LightGreen, "2026-03-07 10:00", "", ""}, 25*time.Hour + 59*time.Minute, 94*time.Hour + time.Minute},
		// While deferred the deadline moves with now and the remaining time stays.
		{"2026-03-04 12:00", want{"close", 1, LightGreen, "2026-03-08 10:00", "", "paused"}, 26 * time.Hour, 94 * time.Hour},
		{"2026-03-05 12:00", want{"close", 1, LightGreen, "2026-03-09 10:00", "", "paused"}, 26 * time.Hour, 94 * time.Hour},
		{"2026-03-09 15:00", want{"close", 1, LightYellow, "2026-03-09 16:00", "", ""}, 119 * time.Hour, time.Hour},
		{"2026-03-09 16:00:01", want{"close", 1, LightRed, "2026-03-09 16:00", "", "overdue"}, 120*time.Hour + time.Second, -time.Second},
	}
	for _, tt := range tests {
		st := Preset135().Evaluate(China(), evs, cst(t, tt.now))
		check(t, st, tt.want)
		if len(st) == 1 && (st[0].Elapsed != tt.elapsed || st[0].Remaining != tt.remaining) {
			t.Errorf("now %s: Elapsed=%v Remaining=%v, want %v, %v", tt.now, st[0].Elapsed, st[0].Remaining, tt.elapsed, tt.remaining)
		}
	}

	// A deferral inside the first day moves the 1-day step too.
	early := []Event{
		ev(t, "2026-03-02 10:00", "register", "registered"),
		ev(t, "2026-03-02 20:00", "defer", "deferred"),
		ev(t, "2026-03-03 20:00", "resume", "registered"),
	}
	check(t, Preset135().Evaluate(China(), early, cst(t, "2026-03-04 10:00")), want{"close", 1, LightNone, "2026-03-08 10:00", "", ""})
	check(t, Preset135().Evaluate(China(), early, cst(t, "2026-03-04 10:00:01")), want{"close", 1, LightGreen, "2026-03-08 10:00", "", ""})
}

// departmentCase is dispatched on Tuesday 2026-09-22, before 中秋 and 国庆.
func departmentCase(t testing.TB) []Event {
	return []Event{
		ev(t, "2026-09-21 16:00", "report", "reported"),
		ev(t, "2026-09-21 17:00", "register", "registered"),
		ev(t, "2026-09-22 10:00", "dispatch", "dispatched"),
		ev(t, "2026-09-23 09:00", "accept", "accepted"),
		ev(t, "2026-09-29 14:00", "arrive", "on_site"),
		ev(t, "2026-10-16 11:00", "feedback", "on_site"),
		ev(t, "2026-10-27 15:00", "feedback", "on_site"),
		ev(t, "2026-11-04 09:00", "handle", "handled"),
		ev(t, "2026-11-04 16:00", "close", "closed"),
	}
}

func TestPresetDepartment(t *testing.T) {
	evs := departmentCase(t)
	// Working days after Tue 09-22: 23, 24, (中秋 25–27 off), 28, 29, 30, (国庆 10-01–07 off),
	// 10-08, 09, 10 (make-up Saturday), 12, 13, 14, 15, 16, 19, 20 → 15th is 10-20.
	onSite := func(l Light, flags string) want { return want{"on_site", 1, l, "2026-09-30 10:00", "", flags} }
	arrived := want{"on_site", 1, LightYellow, "2026-09-30 10:00", "2026-09-29 14:00", "ontime"}
	first := func(l Light, flags string) want { return want{"feedback", 1, l, "2026-10-20 10:00", "", flags} }
	firstDone := want{"feedback", 1, LightYellow, "2026-10-20 10:00", "2026-10-16 11:00", "ontime"}
	// Round 2 from Fri 10-16 11:00: 19, 20, 21, 22, 23, 26, 27 → 10-27; warning after 5 → 10-23.
	secondLate := want{"feedback", 2, LightRed, "2026-10-27 11:00", "2026-10-27 15:00", "overdue"}
	// Round 3 from Tue 10-27 15:00: 28, 29, 30, 11-02, 03, 04, 05 → 11-05; warning after 5 → 11-03.
	tests := []struct {
		name  string
		evs   []Event
		now   string
		wants []want
	}{
		{"dispatched, in 中秋", evs, "2026-09-25 12:00", []want{onSite(LightGreen, ""), first(LightGreen, "")}},
		{"on site warned", evs, "2026-09-28 10:00:01", []want{onSite(LightYellow, ""), first(LightGreen, "")}},
		{"on site late, in 国庆", without(evs, "arrive"), "2026-10-02 09:00", []want{onSite(LightRed, "overdue"), first(LightGreen, "")}},
		{"feedback warned", evs, "2026-10-15 10:00:01", []want{arrived, first(LightYellow, "")}},
		{"feedback late", without(evs, "feedback"), "2026-10-20 10:00:01", []want{arrived, first(LightRed, "overdue")}},
		{"round 2 green", evs, "2026-10-23 11:00", []want{arrived, firstDone, {"feedback", 2, LightGreen, "2026-10-27 11:00", "", ""}}},
		{"round 2 warned", evs, "2026-10-23 11:00:01", []want{arrived, firstDone, {"feedback", 2, LightYellow, "2026-10-27 11:00", "", ""}}},
		{"round 3", evs, "2026-11-03 16:00", []want{arrived, firstDone, secondLate, {"feedback", 3, LightYellow, "2026-11-05 15:00", "", ""}}},
		{"closed", evs, "2026-11-10 09:00", []want{arrived, firstDone, secondLate, {"feedback", 3, LightYellow, "2026-11-05 15:00", "2026-11-04 16:00", "ontime"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, PresetDepartment().Evaluate(China(), tt.evs, cst(t, tt.now)), tt.wants...)
		})
	}

	now := cst(t, "2026-11-03 16:00")
	st := PresetDepartment().Evaluate(China(), evs, now)
	if got := Worst(st); got != LightYellow {
		t.Errorf("Worst(round 3 running) = %s, want yellow (round 2's red is over)", got)
	}
	if due := Due(st, 48*time.Hour, now); len(due) != 1 || due[0].Round != 3 {
		t.Errorf("Due(48h) = %v, want round 3", due)
	}
	if due := Due(st, 24*time.Hour, now); len(due) != 0 {
		t.Errorf("Due(24h) = %v, want none", due)
	}
	if got := Worst(PresetDepartment().Evaluate(China(), evs, cst(t, "2026-11-10 09:00"))); got != LightRed {
		t.Errorf("Worst(closed) = %s, want red from the late round 2", got)
	}
}

func TestPresetDepartmentDeferred(t *testing.T) {
	evs := append(without(departmentCase(t), "feedback", "handle", "close"),
		ev(t, "2026-10-09 09:00", "defer", "deferred"),
		ev(t, "2026-10-13 17:00", "resume", "on_site"),
	)
	arrived := want{"on_site", 1, LightYellow, "2026-09-30 10:00", "2026-09-29 14:00", "ontime"}
	tests := []struct {
		now  string
		want want
	}{
		{"2026-10-09 08:59", want{"feedback", 1, LightGreen, "2026-10-20 10:00", "", ""}},
		// Deferred over Sat 10-10 (make-up working day) and Mon 10-12: 2 working days so far.
		{"2026-10-12 12:00", want{"feedback", 1, LightGreen, "2026-10-22 10:00", "", "paused"}},
		// Resumed Tue 10-13: 3 working days (10-10, 10-12, 10-13); warning 10-15 → 10-20.
		{"2026-10-20 10:00", want{"feedback", 1, LightGreen, "2026-10-23 10:00", "", ""}},
		{"2026-10-20 10:00:01", want{"feedback", 1, LightYellow, "2026-10-23 10:00", "", ""}},
		{"2026-10-23 10:00:01", want{"feedback", 1, LightRed, "2026-10-23 10:00", "", "overdue"}},
	}
	for _, tt := range tests {
		check(t, PresetDepartment().Evaluate(China(), evs, cst(t, tt.now)), arrived, tt.want)
	}
}

func TestEvaluateInput(t *testing.T) {
	evs := departmentCase(t)
	now := cst(t, "2026-11-03 16:00")
	want := PresetDepartment().Evaluate(China(), evs, now)

	shuffled := slices.Clone(evs)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if got := PresetDepartment().Evaluate(China(), shuffled, now); !slices.Equal(got, want) {
		t.Errorf("unsorted events: %v\nwant %v", got, want)
	}
	if slices.IsSortedFunc(shuffled, byTime) {
		t.Fatal("the shuffle left the events sorted")
	}
	if got := PresetDepartment().Evaluate(nil, evs, now); !slices.Equal(got, want) {
		t.Errorf("nil calendar: %v\nwant %v", got, want)
	}
	// Without official data for 2026, 国庆 is Monday–Friday and the deadline is earlier.
	var plain Calendar
	st := PresetDepartment().Evaluate(&plain, evs[:3], cst(t, "2026-09-23 10:00"))
	if len(st) != 2 || !st[0].Deadline.Equal(cst(t, "2026-09-29 10:00")) {
		t.Errorf("Mon–Fri calendar: %v, want on_site deadline 2026-09-29 10:00", st)
	}
	if st := Preset333().Evaluate(China(), nil, now); len(st) != 0 {
		t.Errorf("no events: %v", st)
	}
}

func TestPolicies(t *testing.T) {
	var names []string
	for _, p := range Presets() {
		names = append(names, p.Name)
		if err := p.Validate(); err != nil {
			t.Errorf("preset %s: %v", p.Name, err)
		}
		if q, ok := PolicyByName(p.Name); !ok || q.Name != p.Name || len(q.Clocks) != len(p.Clocks) {
			t.Errorf("PolicyByName(%q) = %v, %v", p.Name, q.Name, ok)
		}
	}
	if want := []string{"333", "135", "department"}; !slices.Equal(names, want) {
		t.Errorf("Presets() = %v, want %v", names, want)
	}
	if _, ok := PolicyByName("246"); ok {
		t.Error(`PolicyByName("246") found a policy`)
	}

	bad := []struct {
		p    Policy
		want string
	}{
		{Policy{}, "clock: policy: name is missing"},
		{Policy{Name: "x", Clocks: []Spec{{Name: "a"}}}, "clock: policy x: clock 1 (a): start trigger is missing"},
		{Policy{Name: "x", Clocks: []Spec{{Name: "a", Start: Trigger{States: []domain.CaseStatus{domain.StatusReported}}, Stop: Trigger{Actions: []string{"dispatch"}}}}}, "clock: policy x: clock 1 (a): limit is missing"},
		{Policy{Name: "x", Clocks: []Spec{{Name: "a", Start: Trigger{States: []domain.CaseStatus{domain.StatusDispatched}}, Stop: Trigger{Actions: []string{"feedback"}}, Limit: Workdays(15), Every: Workdays(7)}}}, "clock: policy x: clock 1 (a): repeating clock without an until trigger"},
		{Policy{Name: "x", Clocks: []Spec{{Name: "a", Start: Trigger{States: []domain.CaseStatus{domain.StatusRegistered}}, Until: Trigger{States: []domain.CaseStatus{domain.StatusClosed}}, Limit: Days(5), Steps: []Step{{Days(3), LightYellow}, {Days(1), LightGreen}}}}}, "clock: policy x: clock 1 (a): step 2 (1d) is not after step 1 (3d)"},
		{Policy{Name: "x", Clocks: []Spec{Preset135().Clocks[0], Preset135().Clocks[0]}}, `clock: policy x: clock "close" is defined twice`},
	}
	for _, tt := range bad {
		if err := tt.p.Validate(); err == nil || err.Error() != tt.want {
			t.Errorf("Validate() = %v, want %q", err, tt.want)
		}
	}
}

func TestLightString(t *testing.T) {
	for l, want := range map[Light]string{LightNone: "none", LightGreen: "green", LightYellow: "yellow", LightRed: "red", Light(9): "none"} {
		if l.String() != want {
			t.Errorf("Light(%d).String() = %q, want %q", int(l), l.String(), want)
		}
	}
}
