package clock

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Window is one stretch of a working day, as durations after midnight
// (China Standard Time): 8h30m–12h for a morning.
type Window struct {
	From, To time.Duration
}

// Hours are the working hours of a working day, in order and not
// overlapping. Time limits counted in working hours 工作时 (the national
// case catalogue's 处置时限) run only inside them, on working days.
type Hours []Window

// DefaultHours are the office hours most Chinese town and street offices
// keep: 8:30–12:00 and 13:30–17:30, 7.5 working hours a day. A town
// with summer hours sets its own (setting rule:hours).
func DefaultHours() Hours { return slices.Clone(defaultHours) }

// defaultHours is shared, never changed.
var defaultHours = Hours{{8*time.Hour + 30*time.Minute, 12 * time.Hour}, {13*time.Hour + 30*time.Minute, 17*time.Hour + 30*time.Minute}}

// ParseHours reads windows written "08:30-12:00" (also with "–" or "~").
func ParseHours(ws []string) (Hours, error) {
	var h Hours
	for _, w := range ws {
		w = strings.NewReplacer("–", "-", "~", "-", "～", "-", " ", "").Replace(w)
		from, to, ok := strings.Cut(w, "-")
		if !ok {
			return nil, fmt.Errorf("clock: working hours %q: want HH:MM-HH:MM", w)
		}
		a, err1 := parseClock(from)
		b, err2 := parseClock(to)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("clock: working hours %q: want HH:MM-HH:MM", w)
		}
		h = append(h, Window{a, b})
	}
	return h, h.Validate()
}

func parseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, err
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// Validate checks that the windows are within a day, in order, not empty
// and not overlapping, and that there is at least one.
func (h Hours) Validate() error {
	if len(h) == 0 {
		return fmt.Errorf("clock: working hours: none")
	}
	for i, w := range h {
		switch {
		case w.From < 0 || w.To > 24*time.Hour || w.From >= w.To:
			return fmt.Errorf("clock: working hours: window %d (%s) is empty or outside the day", i+1, w)
		case i > 0 && w.From < h[i-1].To:
			return fmt.Errorf("clock: working hours: window %d (%s) overlaps or precedes window %d", i+1, w, i)
		}
	}
	return nil
}

// String writes a window as "08:30-12:00".
func (w Window) String() string {
	f := func(d time.Duration) string { return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60) }
	return f(w.From) + "-" + f(w.To)
}

// Strings writes the windows as ParseHours reads them.
func (h Hours) Strings() []string {
	out := make([]string, len(h))
	for i, w := range h {
		out[i] = w.String()
	}
	return out
}

// PerDay is the working time of one working day.
func (h Hours) PerDay() time.Duration {
	var d time.Duration
	for _, w := range h {
		d += w.To - w.From
	}
	return d
}

// SetHours sets the calendar's working hours (the zero Calendar and China()
// start with DefaultHours). Invalid hours are refused.
func (c *Calendar) SetHours(h Hours) error {
	if err := h.Validate(); err != nil {
		return err
	}
	c.mu.Lock()
	c.hours = slices.Clone(h)
	c.mu.Unlock()
	return nil
}

// WorkHours returns the calendar's working hours.
func (c *Calendar) WorkHours() Hours {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.hours == nil {
		return defaultHours
	}
	return c.hours // replaced by SetHours, never changed: safe to share
}

// AddWorkHours returns the moment d of working time after from: only the
// working hours of working days count. From outside the working hours the
// count starts at the next window.
func (c *Calendar) AddWorkHours(from time.Time, d time.Duration) time.Time {
	return addWork(c.snapshot(), c.WorkHours(), from, d)
}

// WorkBetween returns the working time between a and b (0 when b is not after a).
func (c *Calendar) WorkBetween(a, b time.Time) time.Duration {
	return workBetween(c.snapshot(), c.WorkHours(), a, b)
}

// midnightOf returns the start of t's day in Shanghai.
func midnightOf(t time.Time) time.Time {
	y, m, d := t.In(shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, shanghai)
}

// addWork walks from t through the working windows until d of working time
// has passed. It skips days off whole, so a limit of hundreds of working
// hours costs one step per day.
func addWork(tab *table, h Hours, t time.Time, d time.Duration) time.Time {
	if d <= 0 || len(h) == 0 {
		return t
	}
	day := midnightOf(t)
	for range 20000 { // ~55 years of days: a bound, never reached by a real limit
		if tab.work(dayOf(day)) {
			for _, w := range h {
				start, end := day.Add(w.From), day.Add(w.To)
				if !t.Before(end) {
					continue
				}
				if t.After(start) {
					start = t
				}
				if avail := end.Sub(start); d <= avail {
					return start.Add(d)
				} else {
					d -= avail
				}
			}
		}
		day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, shanghai)
	}
	return t.Add(d)
}

// workBetween is the working time in [a, b].
func workBetween(tab *table, h Hours, a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	var sum time.Duration
	for day := midnightOf(a); day.Before(b); day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, shanghai) {
		if !tab.work(dayOf(day)) {
			continue
		}
		for _, w := range h {
			start, end := day.Add(w.From), day.Add(w.To)
			start, end = later(start, a), earlier(end, b)
			if start.Before(end) {
				sum += end.Sub(start)
			}
		}
	}
	return sum
}
