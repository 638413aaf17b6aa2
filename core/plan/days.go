package plan

import (
	"time"

	"griddesk/domain/clock"
)

// Days are handled as day numbers (days since 1970-01-01) of dates in China
// Standard Time, the zone of the working-day calendar.

// noDay marks an absent day number.
const noDay = -1 << 40

var shanghai = clock.Location()

// dayNum returns t's date in Asia/Shanghai as a day number.
func dayNum(t time.Time) int {
	y, m, d := t.In(shanghai).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// dateOf returns midnight of day number n in Asia/Shanghai.
func dateOf(n int) time.Time {
	y, m, d := time.Unix(int64(n)*86400, 0).UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, shanghai)
}

// dateOrZero is dateOf, or the zero time for noDay.
func dateOrZero(n int) time.Time {
	if n == noDay {
		return time.Time{}
	}
	return dateOf(n)
}

// workdays is one calendar's working days over the period [start, end].
type workdays struct {
	start, end int
	work       []bool // work[i]: day start+i is a working day
	prev       []int  // latest working day ≤ start+i, or -1
	next       []int  // earliest working day ≥ start+i, or -1
	count      []int  // working days in [start, start+i]
}

func newWorkdays(cal *clock.Calendar, start, end int) *workdays {
	n := end - start + 1
	w := &workdays{start: start, end: end, work: make([]bool, n), prev: make([]int, n), next: make([]int, n), count: make([]int, n)}
	last, c := -1, 0
	for i := range n {
		if cal.IsWorkday(dateOf(start + i)) {
			w.work[i] = true
			last = start + i
			c++
		}
		w.prev[i], w.count[i] = last, c
	}
	nxt := -1
	for i := n - 1; i >= 0; i-- {
		if w.work[i] {
			nxt = start + i
		}
		w.next[i] = nxt
	}
	return w
}

// isWork reports whether day d is a working day inside the period.
func (w *workdays) isWork(d int) bool {
	return d >= w.start && d <= w.end && w.work[d-w.start]
}

// prevWork returns the latest working day of the period not after d, or -1.
func (w *workdays) prevWork(d int) int {
	if d < w.start {
		return -1
	}
	return w.prev[min(d, w.end)-w.start]
}

// nextWork returns the earliest working day of the period not before d, or -1.
func (w *workdays) nextWork(d int) int {
	if d > w.end {
		return -1
	}
	return w.next[max(d, w.start)-w.start]
}

// between returns the number of working days of the period in [a, b].
func (w *workdays) between(a, b int) int {
	a, b = max(a, w.start), min(b, w.end)
	if a > b {
		return 0
	}
	n := w.count[b-w.start]
	if a > w.start {
		n -= w.count[a-1-w.start]
	}
	return n
}

// total returns the number of working days in the period.
func (w *workdays) total() int { return w.count[len(w.count)-1] }
