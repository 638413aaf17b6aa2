package clock

import (
	"maps"
	"slices"
	"sync"
	"time"
)

// Calendar tells working days from days off in mainland China: Monday–Friday
// work, except official holidays 放假; weekend make-up days 调休 work. A year
// whose State Council notice is not loaded (see Known) still has its
// statutory holidays off (全国年节及纪念日放假办法, see statutory.go), marked
// provisional (Provisional, Holidays): its make-up working days are unknown
// until the notice is loaded.
//
// The zero Calendar knows no year and no law: Monday–Friday everywhere until
// a Load. A Calendar is safe for concurrent use.
type Calendar struct {
	mu    sync.RWMutex
	files map[int]yearFile // official data by year
	tab   *table           // built from files; replaced, never changed
	hours Hours            // working hours; nil: DefaultHours
}

// yearFile is one year's official data.
type yearFile struct {
	year int
	days []day
}

// day is one entry of the official data: a holiday or a make-up working day.
type day struct {
	n    int // day number
	off  bool
	name string // 元旦, 春节 … as the file or the law names it
}

func sortDays(ds []day) { slices.SortFunc(ds, func(a, b day) int { return a.n - b.n }) }

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

// Provisional reports whether year's days off are the statutory ones only:
// no notice is loaded for it (Known is false), so the bridging days and the
// make-up working days 调休 of its holidays are unknown. False for a year
// without statutory days (before 2008) and on the zero Calendar.
func (c *Calendar) Provisional(year int) bool {
	return c.snapshot() != nil && !c.Known(year) && len(statutory(year)) > 0
}

// Holiday is one day off of a year's holidays.
type Holiday struct {
	Date        time.Time // the date, at midnight in Asia/Shanghai
	Name        string    // 元旦, 春节, 清明节 …
	Provisional bool      // from the law, the year's notice not loaded: make-up days unknown
}

// Holidays returns year's holiday days off in date order: the notice's days
// (including those a neighbouring year's notice lists in it) and, when the
// year has no notice, its statutory days, those marked Provisional. Plain
// weekends and make-up working days are not listed; IsWorkday tells them.
func (c *Calendar) Holidays(year int) []Holiday {
	tab := c.snapshot()
	if tab == nil {
		return nil
	}
	c.mu.RLock()
	var days []day
	for _, f := range c.files {
		for _, d := range f.days {
			if d.off && yearOfDay(d.n) == year {
				days = append(days, d)
			}
		}
	}
	_, known := c.files[year]
	c.mu.RUnlock()
	official := len(days)
	if !known {
		days = append(days, statutory(year)...)
	}
	var out []Holiday
	seen := map[int]bool{}
	for i, d := range days {
		if seen[d.n] || tab.work(d.n) {
			continue
		}
		seen[d.n] = true
		y, m, dd := time.Unix(int64(d.n)*86400, 0).UTC().Date()
		out = append(out, Holiday{Date: time.Date(y, m, dd, 0, 0, 0, 0, shanghai), Name: d.name, Provisional: i >= official})
	}
	slices.SortFunc(out, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return out
}

// Years returns the years with official data, ascending.
func (c *Calendar) Years() []int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Sorted(maps.Keys(c.files))
}
