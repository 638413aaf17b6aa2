package clock

import (
	"math/bits"
	"time"
)

// table answers working-day questions in O(1): a bitmap of working days over
// [lo, hi) with running counts per 64-day word. Days outside the range, and
// every day of a nil table, follow the Monday–Friday rule. A table is
// immutable once built, so readers need no lock.
type table struct {
	lo, hi int      // covered day numbers
	bits   []uint64 // bit i: day lo+i is a working day
	cum    []int    // cum[w]: working days in [lo, lo+64w)
	base   int      // count(lo-1)
	top    int      // count(hi-1)
}

// Tables always cover at least these years, so that counting across years
// without official data stays O(1).
const (
	tableFirstYear = 1990
	tableLastYear  = 2100
)

// newTable builds the table for the given official years. The statutory
// days off of the years without a file are applied first, then overrides
// from a neighbouring year's file (holiday-cn lists 2022-12-31 in
// 2023.json), so a date's own year has the last word.
func newTable(files map[int]yearFile) *table {
	first, last := tableFirstYear, tableLastYear
	for y := range files {
		first, last = min(first, y-1), max(last, y+1)
	}
	t := &table{lo: civil(first, 1, 1), hi: civil(last+1, 1, 1)}
	n := t.hi - t.lo
	t.bits = make([]uint64, (n+63)/64)
	for i := range n {
		if weekday(t.lo + i) {
			t.bits[i>>6] |= 1 << (i & 63)
		}
	}
	for y := first; y <= last; y++ {
		if _, ok := files[y]; ok {
			continue
		}
		for _, d := range statutory(y) {
			i := d.n - t.lo
			t.bits[i>>6] &^= 1 << (i & 63)
		}
	}
	for _, own := range []bool{false, true} {
		for y, f := range files {
			for _, d := range f.days {
				if (yearOfDay(d.n) == y) != own {
					continue
				}
				i := d.n - t.lo
				if d.off {
					t.bits[i>>6] &^= 1 << (i & 63)
				} else {
					t.bits[i>>6] |= 1 << (i & 63)
				}
			}
		}
	}
	t.cum = make([]int, len(t.bits))
	c := 0
	for w, b := range t.bits {
		t.cum[w] = c
		c += bits.OnesCount64(b)
	}
	t.base = weekdays(t.lo - 1)
	t.top = t.base + c
	return t
}

// weekdays counts the days Monday–Friday up to and including day d, relative
// to an arbitrary origin: weekdays(b)-weekdays(a) is the count in (a, b].
func weekdays(d int) int {
	k := d + 3 // days since Monday 1969-12-29
	q, r := k/7, k%7
	if r < 0 {
		q, r = q-1, r+7
	}
	return 5*q + min(r+1, 5)
}

// weekday reports whether day d is Monday–Friday.
func weekday(d int) bool { return weekdays(d) != weekdays(d-1) }

// count is the number of working days up to and including day d, relative to
// an arbitrary origin: count(b)-count(a) is the count in (a, b].
func (t *table) count(d int) int {
	switch {
	case t == nil:
		return weekdays(d)
	case d < t.lo:
		return t.base - (weekdays(t.lo-1) - weekdays(d))
	case d >= t.hi:
		return t.top + weekdays(d) - weekdays(t.hi-1)
	}
	i := d - t.lo
	w := i >> 6
	return t.base + t.cum[w] + bits.OnesCount64(t.bits[w]&(1<<(i&63+1)-1))
}

// work reports whether day d is a working day.
func (t *table) work(d int) bool {
	if t == nil || d < t.lo || d >= t.hi {
		return weekday(d)
	}
	i := d - t.lo
	return t.bits[i>>6]&(1<<(i&63)) != 0
}

// add returns the n-th working day after day d (n >= 1).
func (t *table) add(d, n int) int {
	target := t.count(d) + n
	lo, hi := d, d+n // count(lo) < target; find the first day with count >= target
	for t.count(hi) < target {
		lo, hi = hi, hi+2*(hi-d)
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if t.count(mid) < target {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// yearOfDay returns the calendar year of day number d.
func yearOfDay(d int) int { return time.Unix(int64(d)*86400, 0).UTC().Year() }
