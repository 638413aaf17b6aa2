package sim

import (
	"time"

	"griddesk/domain/clock"
)

// Office hours of departments and village stations (the duty desk and the
// 333 responders work around the clock).
const (
	officeOpen  = 8*time.Hour + 30*time.Minute
	officeClose = 17*time.Hour + 30*time.Minute
)

func (s *Sim) between(a, b time.Duration) time.Duration {
	return a + time.Duration(s.r.Float64()*float64(b-a))
}

func (s *Sim) chance(p float64) bool { return s.r.Float64() < p }

func midnight(t time.Time) time.Time {
	lt := t.In(clock.Location())
	return time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, clock.Location())
}

// office returns t if it falls in office hours of a working day, else a
// moment in the first hour and a half of the next office day.
func (s *Sim) office(t time.Time) time.Time {
	day := midnight(t)
	if s.cal.IsWorkday(t) {
		if tod := t.Sub(day); tod >= officeOpen && tod < officeClose {
			return t
		} else if tod < officeOpen {
			return day.Add(officeOpen + s.between(0, 90*time.Minute))
		}
	}
	for range 60 {
		day = midnight(day.Add(36 * time.Hour)) // the next day, across DST-free Shanghai
		if s.cal.IsWorkday(day.Add(12 * time.Hour)) {
			break
		}
	}
	return day.Add(officeOpen + s.between(0, 90*time.Minute))
}

// workdays returns a random office moment on the n-th working day after t's
// date (clock.Calendar.AddWorkdays).
func (s *Sim) workdays(t time.Time, n int) time.Time {
	d := s.cal.AddWorkdays(t, n)
	return midnight(d).Add(officeOpen + s.between(0, officeClose-officeOpen))
}

// callback returns t if people can be phoned then (09:00–20:00), else a
// moment in the next morning.
func (s *Sim) callback(t time.Time) time.Time {
	day := midnight(t)
	tod := t.Sub(day)
	switch {
	case tod >= 9*time.Hour && tod < 20*time.Hour:
		return t
	case tod >= 20*time.Hour:
		day = midnight(day.Add(36 * time.Hour))
	}
	return day.Add(9*time.Hour + s.between(0, 2*time.Hour))
}
