package plan

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"griddesk/core/route"
	"griddesk/domain/geo"
)

// teamResult is one team's part of a plan.
type teamResult struct {
	days     []Day
	overflow []Overflow
}

// advance is how many days sooner red and yellow entities are taken when a
// day has room beyond what the due dates force (red/yellow first).
var advance = [3]int{5, 2, 0}

// cand is a stream that may be visited on the day being planned.
type cand struct {
	s      *stream
	due    int     // the stream's due date
	eff    int     // latest working day not after due (-1 if none)
	n      int     // working days from today to eff, 1 if late
	lo, hi int     // its checklist: positions in the day's flat buffer
	min    float64 // on site if visited today
	cost   float64 // on site if visited on its due date, plus the estimated travel per stop
}

// slack is the share of a day's minutes the forced work of later days is
// assumed to fill, leaving room for estimates that turn out short.
const slack = 0.95

// schedule plans team ti's working days, earliest first. Each day it takes
// the visits the due dates force (so that every later due date stays within
// the working time left before it: earliest due date first) and, up to the
// steadiest daily load that meets all due dates, the next most urgent ones,
// red and yellow entities first. Visits are inserted where they add the
// least travel while the day's minutes (visits plus travel) fit; the day is
// then routed with route.Tour. A visit that misses its due date is
// reported in the overflow and planned on the first day with room.
func (m *model) schedule(ti int, streams []*stream) teamResult {
	t := &m.teams[ti]
	w := t.work
	var res teamResult
	travelEst := 3.0 // minutes of travel per stop, learnt from the days planned
	var cands []cand
	var flat, scratch []int
	for d := m.start; d <= m.end; d++ {
		for _, s := range streams {
			if due := s.due(); due <= m.end && s.missed < 0 && w.prevWork(due) < d {
				s.missed = len(res.overflow)
				res.overflow = append(res.overflow, m.missed(s, due, d))
			}
			for len(s.own) > 0 && s.own[0].day == d {
				m.ride(s, s.own[0], flat[:0])
				s.own = s.own[1:]
				if s.missed >= 0 && s.due() >= d {
					res.overflow[s.missed].Scheduled = dateOf(d)
					s.missed = -1
				}
			}
		}
		if !w.isWork(d) {
			continue
		}
		cands, flat = cands[:0], flat[:0]
		for _, s := range streams {
			due := s.due()
			if due > m.end {
				continue
			}
			c := cand{s: s, due: due, eff: w.prevWork(due), n: 1}
			if c.eff >= d {
				c.n = w.between(d, c.eff)
			}
			c.lo = len(flat)
			flat = s.take(d, flat)
			c.hi = len(flat)
			c.min = s.minutes(m, flat[c.lo:c.hi])
			c.cost = c.min + travelEst
			if c.eff > d {
				// visited on its due date it would take more riding items
				late := s.take(c.eff, scratch[:0])
				c.cost = s.minutes(m, late) + travelEst
				scratch = late
			}
			cands = append(cands, c)
		}
		if len(cands) == 0 {
			continue
		}
		slices.SortFunc(cands, func(a, b cand) int {
			return cmp.Or(cmp.Compare(a.eff, b.eff), cmp.Compare(a.s.rank, b.s.rank),
				cmp.Compare(a.s.nominal, b.s.nominal), cmp.Compare(a.s.ent, b.s.ent))
		})
		// must: the work today that later days cannot absorb; level: the
		// steadiest daily load that meets every due date.
		var sum, must, level float64
		for _, c := range cands {
			sum += c.cost
			must = max(must, sum-slack*t.DailyMinutes*float64(c.n-1))
			level = max(level, sum/float64(c.n))
		}
		target := min(t.DailyMinutes, max(must, level))
		forced := 0
		for sum = 0; forced < len(cands) && (cands[forced].n == 1 || sum < must-1e-9); forced++ {
			sum += cands[forced].cost
		}
		rest := cands[forced:]
		slices.SortStableFunc(rest, func(a, b cand) int {
			return cmp.Compare(a.eff-advance[a.s.rank], b.eff-advance[b.s.rank])
		})

		day := &Day{Date: dateOf(d), TeamID: t.ID, Capacity: t.DailyMinutes}
		var picked []*cand
		var pts []orb.Point
		visitMin, travelM, taken := 0.0, 0.0, 0.0
		try := func(c *cand) bool {
			e := &m.ents[c.s.ent]
			p := orb.Point{e.Lon, e.Lat}
			best, at := math.Inf(1), 0
			prev := t.Base
			for i := 0; i <= len(pts); i++ {
				next := t.Base
				if i < len(pts) {
					next = pts[i]
				}
				if delta := geo.Haversine(prev, p) + geo.Haversine(p, next) - geo.Haversine(prev, next); delta < best {
					best, at = delta, i
				}
				prev = next
			}
			if visitMin+c.min+(travelM+best)/1000/t.SpeedKmh*60 > t.DailyMinutes+1e-9 {
				return false
			}
			pts = slices.Insert(pts, at, p)
			picked = append(picked, c)
			visitMin += c.min
			travelM += best
			taken += c.cost
			return true
		}
		for i := range cands[:forced] {
			try(&cands[i])
		}
		for i := range rest {
			if taken+rest[i].cost > target+1e-9 {
				break
			}
			// pull a visit forward only where it costs no extra visit in
			// the period: the chain from today ends within the period as
			// often as the chain from its due date, and no department
			// visit coming up could take its items instead
			if every := rest[i].s.every; len(rest[i].s.own) == 0 && (m.end-d)/every == (m.end-rest[i].eff)/every {
				try(&rest[i])
			}
		}
		if len(picked) == 0 {
			continue
		}
		// Route the day; drop the last visits taken in the rare case the
		// tour does not fit where the insertion estimate did.
		for {
			day.Stops = day.Stops[:0]
			for _, c := range picked {
				day.Stops = append(day.Stops, m.stopOf(c.s, flat[c.lo:c.hi], c.min, c.due, d))
			}
			m.route(day)
			m.measure(day)
			if day.Minutes <= t.DailyMinutes+1e-9 || len(picked) == 1 {
				break
			}
			picked = picked[:len(picked)-1]
		}
		for _, c := range picked {
			c.s.apply(d, flat[c.lo:c.hi])
			if c.s.missed >= 0 {
				res.overflow[c.s.missed].Scheduled = dateOf(d)
				c.s.missed = -1
			}
		}
		travelEst = 0.5*travelEst + 0.5*day.TravelMinutes/float64(len(day.Stops))
		res.days = append(res.days, *day)
	}
	for _, s := range streams {
		if due := s.due(); due <= m.end && s.missed < 0 {
			res.overflow = append(res.overflow, m.missed(s, due, m.end+1))
		}
	}
	return res
}

// ride lets the team stream's items of a department ride on that
// department's own visit v to the entity, by the rule of take: those that
// drive the stream's due date or would fall due before its next regular
// visit.
func (m *model) ride(s *stream, v *deptVisit, buf []int) {
	due := s.due()
	for i, a := range s.anchor {
		if f := a + s.freq[i]; m.items[s.items[i]].Department == v.dept && (f <= due || f < v.day+s.every) {
			buf = append(buf, i)
		}
	}
	for _, i := range buf {
		s.anchor[i] = v.day
		v.items = append(v.items, s.items[i])
		v.minutes += m.items[s.items[i]].Minutes
	}
	slices.Sort(v.items)
}

// missed describes stream s's visit due on day due that was not planned by
// day d.
func (m *model) missed(s *stream, due, d int) Overflow {
	t := &m.teams[s.team]
	took := s.take(max(due, m.start), nil)
	lo := max(m.start, s.planned+1)
	if t.work.prevWork(due) < lo {
		return m.overflowOf(s, due, took, ReasonNoWorkday, fmt.Sprintf("team %s has no working day between %s and the due date %s",
			t.ID, dateOf(lo).Format(time.DateOnly), dateOf(due).Format(time.DateOnly)))
	}
	e := &m.ents[s.ent]
	alone := s.minutes(m, took) + 2*geo.Haversine(t.Base, orb.Point{e.Lon, e.Lat})/1000/t.SpeedKmh*60
	if alone > t.DailyMinutes {
		return m.overflowOf(s, due, took, ReasonCapacity, fmt.Sprintf("the visit with its travel from the base takes %.0f min, more than team %s's day of %.0f min",
			alone, t.ID, t.DailyMinutes))
	}
	return m.overflowOf(s, due, took, ReasonCapacity, fmt.Sprintf("team %s's %d working days from %s to the due date %s were full (%.0f min a day)",
		t.ID, t.work.between(lo, min(due, d-1)), dateOf(lo).Format(time.DateOnly), dateOf(due).Format(time.DateOnly), t.DailyMinutes))
}

// stopOf builds the stop of a visit of s on day d checking took.
func (m *model) stopOf(s *stream, took []int, minutes float64, due, d int) Stop {
	e := &m.ents[s.ent]
	st := Stop{EntityID: e.ID, Name: e.Name, Kind: e.Kind, Code: e.Code, Lon: e.Lon, Lat: e.Lat,
		Minutes: minutes, Due: dateOf(due), Late: d > due}
	for _, i := range took {
		st.Items = append(st.Items, m.items[s.items[i]].ID)
	}
	st.Departments, st.Joint = m.departments(st.Items)
	return st
}

// departments returns the departments of items, sorted, and whether two or
// more of them bring key-domain items (a joint key-domain visit).
func (m *model) departments(items []string) ([]string, bool) {
	var depts, keys []string
	for _, id := range items {
		ii, ok := m.itemIdx[id]
		if !ok {
			continue
		}
		it := &m.items[ii]
		if !slices.Contains(depts, it.Department) {
			depts = append(depts, it.Department)
		}
		if it.KeyDomain && !slices.Contains(keys, it.Department) {
			keys = append(keys, it.Department)
		}
	}
	slices.Sort(depts)
	return depts, len(keys) >= 2
}

// route orders the day's stops by route.Tour over great-circle metres from
// the team's base (point 0, the stops following by entity ID, so that the
// order depends on the set of stops only), and remembers the set it routed.
func (m *model) route(d *Day) {
	base := m.teams[m.teamIdx[d.TeamID]].Base
	slices.SortFunc(d.Stops, func(a, b Stop) int { return cmp.Compare(a.EntityID, b.EntityID) })
	pts := make([]orb.Point, len(d.Stops)+1)
	pts[0] = base
	for i, s := range d.Stops {
		pts[i+1] = orb.Point{s.Lon, s.Lat}
	}
	tour := route.Tour(len(pts), func(i, j int) float64 { return geo.Haversine(pts[i], pts[j]) })
	stops := make([]Stop, 0, len(d.Stops))
	for _, i := range tour[1:] {
		stops = append(stops, d.Stops[i-1])
	}
	d.Stops = stops
	d.routed = stopSet(d)
}

// stopSet identifies the set of a day's stops.
func stopSet(d *Day) string {
	ids := make([]string, len(d.Stops))
	for i, s := range d.Stops {
		ids[i] = s.EntityID
	}
	slices.Sort(ids)
	return strings.Join(ids, ",")
}

// measure sets the day's minutes, kilometres and arrival times for its
// stops in their order, starting and ending at the team's base.
func (m *model) measure(d *Day) {
	t := &m.teams[m.teamIdx[d.TeamID]]
	d.Capacity = t.DailyMinutes
	clock := d.Date.Add(m.opt.DayStart)
	prev := t.Base
	var metres, visit float64
	for i := range d.Stops {
		s := &d.Stops[i]
		p := orb.Point{s.Lon, s.Lat}
		leg := geo.Haversine(prev, p)
		metres += leg
		clock = clock.Add(minutes(leg / 1000 / t.SpeedKmh * 60))
		s.Arrive = clock
		clock = clock.Add(minutes(s.Minutes))
		visit += s.Minutes
		prev = p
	}
	if len(d.Stops) > 0 {
		metres += geo.Haversine(prev, t.Base)
	}
	d.Km = metres / 1000
	d.VisitMinutes = visit
	d.TravelMinutes = d.Km / t.SpeedKmh * 60
	d.Minutes = d.VisitMinutes + d.TravelMinutes
}

// minutes converts fractional minutes to a duration, rounded to the second.
func minutes(x float64) time.Duration {
	return time.Duration(math.Round(x*60)) * time.Second
}
