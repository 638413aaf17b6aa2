package plan

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain/geo"
)

// deptVisit is a visit a department pays alone, in the baseline or as a
// separate visit of the merged plan.
type deptVisit struct {
	ent, team int
	dept      string
	day       int
	items     []int // catalog indices
	minutes   float64
	late      bool
}

// workOf returns the working days of team ti, or of Input.Calendar if ti < 0.
func (m *model) workOf(ti int) *workdays {
	if ti < 0 {
		return m.defWork
	}
	return m.teams[ti].work
}

// jit plans a department's own visits just in time: each on the latest
// working day not after its due date, checking all the department's items,
// so the next falls due one (minimum) interval later. This is the fewest
// visits a department alone needs. With report, due dates that have no
// working day before them come back as overflow (the visit is then paid
// on the next working day).
func (m *model) jit(s *stream, report bool) ([]deptVisit, []Overflow) {
	w := m.workOf(s.team)
	var out []deptVisit
	var ov []Overflow
	var buf []int
	for {
		due := s.due()
		if due > m.end {
			return out, ov
		}
		lo := max(m.start, s.planned+1)
		d, late := w.prevWork(due), false
		if d < lo {
			buf = s.take(due, buf[:0])
			next := w.nextWork(lo)
			if report {
				o := m.overflowOf(s, due, buf, ReasonNoWorkday, fmt.Sprintf("no working day between %s and the due date %s",
					dateOf(lo).Format(time.DateOnly), dateOf(due).Format(time.DateOnly)))
				if next >= 0 {
					o.Scheduled = dateOf(next)
				}
				ov = append(ov, o)
			}
			if next < 0 {
				return out, ov
			}
			d, late = next, true
		}
		buf = s.take(d, buf[:0])
		v := deptVisit{ent: s.ent, team: s.team, dept: s.dept, day: d, minutes: s.minutes(m, buf), late: late}
		for _, i := range buf {
			v.items = append(v.items, s.items[i])
		}
		out = append(out, v)
		s.apply(d, buf)
	}
}

// overflowOf describes a visit of s due on day due, checking took, that
// missed its due date.
func (m *model) overflowOf(s *stream, due int, took []int, r Reason, why string) Overflow {
	o := Overflow{EntityID: m.ents[s.ent].ID, Department: s.dept, Due: dateOf(due), Minutes: s.minutes(m, took), Reason: r, Why: why}
	if s.team >= 0 {
		o.TeamID = m.teams[s.team].ID
	}
	for _, i := range took {
		o.Items = append(o.Items, m.items[s.items[i]].ID)
	}
	return o
}

// noTeam reports the merged visits of an entity no team covers.
func (m *model) noTeam(s *stream) Overflow {
	due := s.due()
	took := s.take(max(due, m.start), nil)
	e := &m.ents[s.ent]
	return m.overflowOf(s, due, took, ReasonNoTeam, fmt.Sprintf("no team covers entity %s (grid %q)", e.ID, e.GridID))
}

func (m *model) deptVisitOut(v deptVisit) DeptVisit {
	out := DeptVisit{EntityID: m.ents[v.ent].ID, Department: v.dept, Date: dateOf(v.day), Minutes: v.minutes, Late: v.late}
	if v.team >= 0 {
		out.TeamID = m.teams[v.team].ID
	}
	for _, ii := range v.items {
		out.Items = append(out.Items, m.items[ii].ID)
	}
	return out
}

// totals sums department visits. Trips and kilometres assume each
// department goes out once a week per team area with that week's visits,
// in as many day-trips as its working time needs; the route length of a
// trip is estimated (see estimate) and scaled by kmScale.
func (m *model) totals(vs []deptVisit, kmScale float64) Totals {
	t := Totals{Visits: len(vs)}
	type key struct {
		dept       string
		team, week int
	}
	groups := map[key][]int{}
	for i, v := range vs {
		t.ItemChecks += len(v.items)
		t.Minutes += v.minutes
		k := key{v.dept, v.team, (v.day - m.start) / 7}
		groups[k] = append(groups[k], i)
	}
	keys := make([]key, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.dept, b.dept), cmp.Compare(a.team, b.team), cmp.Compare(a.week, b.week))
	})
	for _, k := range keys {
		idx := groups[k]
		pts := make([]orb.Point, len(idx))
		work := 0.0
		for i, vi := range idx {
			e := &m.ents[vs[vi].ent]
			pts[i] = orb.Point{e.Lon, e.Lat}
			work += vs[vi].minutes
		}
		daily, speed := m.opt.DailyMinutes, m.opt.SpeedKmh
		c, _ := spread(pts)
		base := c
		if k.team >= 0 {
			tm := &m.teams[k.team]
			daily, speed, base = tm.DailyMinutes, tm.SpeedKmh, tm.Base
		}
		trips, metres := dayTrips(base, pts, work, daily, speed, kmScale)
		t.Trips += trips
		t.Km += metres / 1000
		t.Minutes += metres / 1000 / speed * 60
	}
	return t
}

// bhh is the Beardwood–Halton–Hammersley constant: the shortest tour through
// n random points in an area A is about bhh·√(nA).
const bhh = 0.7124

// estimate returns the estimated length in metres of k day-trips from base
// through pts: bhh·√(nA) over the points' bounding box, plus k return legs
// from the base to the points' centroid.
func estimate(base orb.Point, pts []orb.Point, k int) float64 {
	c, area := spread(pts)
	return bhh*math.Sqrt(float64(len(pts))*area) + 2*float64(k)*geo.Haversine(base, c)
}

// dayTrips returns how many day-trips of daily minutes the visits need
// (work minutes on site plus travel) and their estimated length in metres.
func dayTrips(base orb.Point, pts []orb.Point, work, daily, speed, kmScale float64) (int, float64) {
	k := max(1, int(math.Ceil(work/daily-1e-9)))
	for ; k < len(pts); k++ {
		metres := kmScale * estimate(base, pts, k)
		if work+metres/1000/speed*60 <= float64(k)*daily {
			return k, metres
		}
	}
	return max(k, 1), kmScale * estimate(base, pts, max(k, 1))
}

// spread returns the centroid of pts and the area of their bounding box in m².
func spread(pts []orb.Point) (orb.Point, float64) {
	if len(pts) == 0 {
		return orb.Point{}, 0
	}
	b := orb.MultiPoint(pts).Bound()
	var c orb.Point
	for _, p := range pts {
		c[0] += p[0]
		c[1] += p[1]
	}
	c = orb.Point{c[0] / float64(len(pts)), c[1] / float64(len(pts))}
	const mPerDeg = orb.EarthRadius * math.Pi / 180
	w := (b.Max[0] - b.Min[0]) * mPerDeg * math.Cos(c[1]*math.Pi/180)
	h := (b.Max[1] - b.Min[1]) * mPerDeg
	return c, w * h
}

// calibrate returns the ratio of the routed length of the plan's days to
// their estimate, so that department trips, which are estimated, and team
// days, which are routed, are measured alike.
func (p *Plan) calibrate() float64 {
	var routed, est float64
	for i := range p.Days {
		d := &p.Days[i]
		pts := make([]orb.Point, len(d.Stops))
		for j, s := range d.Stops {
			pts[j] = orb.Point{s.Lon, s.Lat}
		}
		routed += d.Km * 1000
		est += estimate(p.m.teams[p.m.teamIdx[d.TeamID]].Base, pts, 1)
	}
	if routed <= 0 || est <= 0 {
		return 1
	}
	return routed / est
}
