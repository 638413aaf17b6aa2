package clock

import (
	"time"
	_ "time/tzdata" // Windows desks and scratch server images have no zoneinfo
)

// shanghai is China Standard Time. With time/tzdata linked in, LoadLocation
// cannot really fail; the fixed zone keeps the package usable if it does.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*60*60)
	}
	return loc
}()

// Location returns the time zone the calendar's dates are in (Asia/Shanghai).
func Location() *time.Location { return shanghai }

// dayOf returns t's date in Shanghai as a day number (days since 1970-01-01).
func dayOf(t time.Time) int {
	y, m, d := t.In(shanghai).Date()
	return civil(y, m, d)
}

// civil returns the day number of a calendar date.
func civil(y int, m time.Month, d int) int {
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// onDay returns day number n at the time of day of t, in Shanghai.
func onDay(n int, t time.Time) time.Time {
	t = t.In(shanghai)
	y, m, d := time.Unix(int64(n)*86400, 0).UTC().Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, t.Nanosecond(), shanghai)
}
