package clock

import (
	"testing"
	"time"
)

// Limits in working hours 工作时 run only inside the working hours
// (8:30–12:00, 13:30–17:30 by default) of working days: over lunch, the
// night, weekends and the State Council's holidays, and on make-up
// working days 调休.
func TestAddWorkHours(t *testing.T) {
	cal := China()
	cases := []struct {
		from  string
		hours float64
		want  string
	}{
		{"2025-06-09 09:00", 2, "2025-06-09 11:00"},   // Monday morning
		{"2025-06-09 09:00", 4, "2025-06-09 14:30"},   // over lunch: 3 h, then 1 h after 13:30
		{"2025-06-09 16:00", 4, "2025-06-10 11:00"},   // over the night
		{"2025-06-09 07:00", 1, "2025-06-09 09:30"},   // before office hours: from 8:30
		{"2025-06-09 12:30", 1, "2025-06-09 14:30"},   // at lunch: from 13:30
		{"2025-06-09 20:00", 1, "2025-06-10 09:30"},   // in the evening: from the next morning
		{"2025-06-13 17:00", 1, "2025-06-16 09:00"},   // Friday evening: Monday
		{"2025-06-09 08:30", 7.5, "2025-06-09 17:30"}, // a whole working day ends at 17:30
		{"2025-09-30 17:00", 2, "2025-10-09 10:00"},   // National Day: 1–8 October off
		{"2025-10-10 17:00", 1, "2025-10-11 09:00"},   // Saturday 11 October is a make-up working day
		{"2025-06-09 09:00", 0, "2025-06-09 09:00"},
	}
	for _, c := range cases {
		got := cal.AddWorkHours(cst(t, c.from), time.Duration(c.hours*float64(time.Hour)))
		if !got.Equal(cst(t, c.want)) {
			t.Errorf("%s + %gwh = %s, want %s", c.from, c.hours, got.In(shanghai).Format("2006-01-02 15:04"), c.want)
		}
		if c.hours > 0 {
			if back := cal.WorkBetween(cst(t, c.from), got); back != time.Duration(c.hours*float64(time.Hour)) {
				t.Errorf("WorkBetween(%s, %s) = %s, want %gh", c.from, c.want, back, c.hours)
			}
		}
	}
	// a town with other hours
	h, err := ParseHours([]string{"09:00-12:00", "14:00–18:00"})
	if err != nil {
		t.Fatal(err)
	}
	if err := cal.SetHours(h); err != nil {
		t.Fatal(err)
	}
	if got := cal.AddWorkHours(cst(t, "2025-06-09 11:00"), 2*time.Hour); !got.Equal(cst(t, "2025-06-09 15:00")) {
		t.Errorf("with 9–12, 14–18: 11:00 + 2wh = %s, want 15:00", got.In(shanghai).Format("15:04"))
	}
	if h.PerDay() != 7*time.Hour {
		t.Errorf("per day %s", h.PerDay())
	}
	for _, bad := range [][]string{{}, {"12:00-09:00"}, {"08:30-12:00", "11:00-17:00"}, {"8点-12点"}, {"08:30-25:00"}} {
		if _, err := ParseHours(bad); err == nil {
			t.Errorf("ParseHours(%q) accepted", bad)
		}
	}
	if err := cal.SetHours(Hours{}); err == nil {
		t.Error("empty hours were set")
	}
}

// The catalogue's time limit is one more clock: from dispatch to handled,
// yellow after two thirds, red past the limit, paused while deferred.
func TestLimitClock(t *testing.T) {
	p := PresetDepartment().WithLimit(WorkHours(4 * time.Hour))
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	evs := []Event{
		ev(t, "2025-06-09 08:50", "register", "registered"),
		ev(t, "2025-06-09 09:00", "dispatch", "dispatched"),
	}
	limit := func(st []Status) Status {
		for _, s := range st {
			if s.Clock == LimitClock {
				return s
			}
		}
		t.Fatal("no limit clock")
		return Status{}
	}
	cases := []struct {
		at    string
		light Light
		since string
	}{
		{"2025-06-09 10:00", LightGreen, "2025-06-09 09:00"},
		{"2025-06-09 13:00", LightYellow, "2025-06-09 11:40"}, // 2h40m of work: two thirds
		{"2025-06-09 15:00", LightRed, "2025-06-09 14:30"},
	}
	for _, c := range cases {
		s := limit(p.Evaluate(nil, evs, cst(t, c.at)))
		if s.Light != c.light || !s.Since.Equal(cst(t, c.since)) || !s.Deadline.Equal(cst(t, "2025-06-09 14:30")) {
			t.Errorf("at %s: %s since %s, deadline %s; want %s since %s, deadline 14:30", c.at, s.Light,
				s.Since.In(shanghai).Format("15:04"), s.Deadline.In(shanghai).Format("15:04"), c.light, c.since)
		}
	}
	done := append(evs, ev(t, "2025-06-09 14:00", "handle", "handled"))
	if s := limit(p.Evaluate(nil, done, cst(t, "2025-06-10 10:00"))); !s.Done || !s.OnTime {
		t.Errorf("handled at 14:00: %s", describe(s))
	}
	// deferred from 10:00 to the next day 10:00: 7.5 working hours later
	deferred := append(evs[:2:2], ev(t, "2025-06-09 10:00", "defer", "deferred"), ev(t, "2025-06-10 10:00", "resume", "dispatched"))
	if s := limit(p.Evaluate(nil, deferred, cst(t, "2025-06-10 11:00"))); !s.Deadline.Equal(cst(t, "2025-06-10 14:30")) {
		t.Errorf("deferred a day: deadline %s, want 06-10 14:30", s.Deadline.In(shanghai).Format("01-02 15:04"))
	}
	// no limit, no clock
	if got := PresetDepartment().WithLimit(Span{}); len(got.Clocks) != len(PresetDepartment().Clocks) {
		t.Error("a zero limit added a clock")
	}
	if got := Preset135().WithLimit(Workdays(5)); got.Clocks[1].Warn.N != 3 {
		t.Errorf("5 working days warn after %s, want 3wd", got.Clocks[1].Warn)
	}
}
