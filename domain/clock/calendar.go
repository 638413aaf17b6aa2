package clock

import (
	"maps"
	"slices"
	"sync"
	"time"
)

// Calendar tells working days from days off in mainland China: Monday–Friday
// work, except official holidays 放假; weekend make-up days 调休 work. Years
// without official data count Monday–Friday (see Known).
//
// The zero Calendar knows no year. A Calendar is safe for concurrent use.
type Calendar struct {
	mu    sync.RWMutex
	files map[int]yearFile // official data by year
	tab   *table           // built from files; replaced, never changed
}

// yearFile is one year's official data.
type yearFile struct {
	year int
	days []day
}

// day is one entry of the official data: a holiday or a make-up working day.
type day struct {
	n   int // day number
	off bool
}

// China returns a calendar holding the official data embedded in the binary
// (holiday-cn). The files are parsed once per process; each call returns a new,
// independent Calendar, so a Load on it affects only its holder.
func China() *Calendar {
	b := embedded()
	return &Calendar{files: maps.Clone(b.files), tab: b.tab}
}

// snapshot returns the current table; nil means Monday–Friday everywhere.
func (c *Calendar) snapshot() *table {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.tab
}

// IsWorkday reports whether day's date in Asia/Shanghai is a working day.
func (c *Calendar) IsWorkday(day time.Time) bool {
	return c.snapshot().work(dayOf(day))
}

// AddWorkdays returns the n-th working day after from's date, at from's time of
// day, in Asia/Shanghai: the first working day strictly after from's date
// counts as one, so adding 1 on a Friday gives Monday (or the first working
// day after a holiday). n <= 0 returns from unchanged.
func (c *Calendar) AddWorkdays(from time.Time, n int) time.Time {
	if n <= 0 {
		return from
	}
	return onDay(c.snapshot().add(dayOf(from), n), from)
}

// WorkdaysBetween returns the number of working days whose date is after a's
// date and not after b's date (in Asia/Shanghai); negative when b is before a.
// It is the inverse of AddWorkdays: WorkdaysBetween(t, AddWorkdays(t, n)) == n.
func (c *Calendar) WorkdaysBetween(a, b time.Time) int {
	t := c.snapshot()
	return t.count(dayOf(b)) - t.count(dayOf(a))
}

// Known reports whether the calendar has official data for year. Unknown
// years count Monday–Friday; the desk flags deadlines that fall in them.
func (c *Calendar) Known(year int) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.files[year]
	return ok
}

// Years returns the years with official data, ascending.
func (c *Calendar) Years() []int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Sorted(maps.Keys(c.files))
}
