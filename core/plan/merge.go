package plan

import (
	"slices"

	"griddesk/domain"
)

// stream is the series of visits one crew pays one entity over the period:
// the team's merged visits (dept == "") or one department's own visits.
type stream struct {
	ent     int
	team    int    // team index, -1 if no team covers the entity
	dept    string // "" for the team's merged visits
	items   []int  // catalog indices
	anchor  []int  // per item: the last check, moved forward as visits are planned
	freq    []int  // per item: its frequency in days
	codeF   int    // colour-code interval, 0 if none
	visit   int    // the last visit (anchor of codeF)
	planned int    // the last visit planned in the period, or start-1
	every   int    // the entity's visit interval: min of freq and codeF
	all     bool   // every visit checks every item (a department alone)
	nominal int    // priority among equal due dates: the first due date, overdue ones in the past
	rank    int    // 0 red, 1 yellow, 2 green
	missed  int    // index of the Overflow entry of a missed due date, or -1
	// own are the entity's separate department visits (its department
	// streams' plan), by day: the team stream's items of that department
	// may ride on them.
	own []*deptVisit
}

// due returns the day by which the next visit must happen: the earliest of
// the items' due dates and the colour-code due date.
func (s *stream) due() int {
	d := s.visit + s.codeF
	if s.codeF == 0 {
		d = 1 << 40
	}
	for i, a := range s.anchor {
		d = min(d, a+s.freq[i])
	}
	return d
}

// take appends to dst the positions (into s.items) of the items a visit on
// day d checks, and returns dst. A department alone checks all its items. A
// merged visit checks the items that drive its due date and the
// low-frequency items that would fall due before the entity's next regular
// visit (d + every): they ride on this visit instead of forcing one of their
// own (三相一就). A visit due to the colour code alone (倾斜性检查) checks
// everything.
func (s *stream) take(d int, dst []int) []int {
	n := len(dst)
	if !s.all {
		due := s.due()
		for i, a := range s.anchor {
			if f := a + s.freq[i]; f <= due || f < d+s.every {
				dst = append(dst, i)
			}
		}
	}
	if len(dst) == n {
		for i := range s.items {
			dst = append(dst, i)
		}
	}
	return dst
}

// apply records a visit on day d that checks the items at positions took.
func (s *stream) apply(d int, took []int) {
	for _, i := range took {
		s.anchor[i] = d
	}
	s.visit, s.planned = d, d
}

// minutes returns the duration of a visit checking took.
func (s *stream) minutes(m *model, took []int) float64 {
	t := m.opt.VisitMinutes
	for _, i := range took {
		t += m.items[s.items[i]].Minutes
	}
	return t
}

// newStream builds the stream of entity ei over the catalog indices items
// (positions pos into m.app[ei]).
func (m *model) newStream(ei int, dept string, pos []int, all bool) *stream {
	s := &stream{ent: ei, team: m.entTeam[ei], dept: dept, all: all, rank: m.rank[ei], missed: -1, planned: m.start - 1}
	s.nominal = 1 << 40
	s.every = 1 << 40
	for _, p := range pos {
		ii := m.app[ei][p]
		f := m.items[ii].FrequencyDays
		s.items = append(s.items, ii)
		s.anchor = append(s.anchor, m.anchor[ei][p])
		s.freq = append(s.freq, f)
		s.every = min(s.every, f)
		nom := m.anchor[ei][p] + f
		switch {
		case m.flags[ei][p]&flagNever != 0:
			nom = m.start - 1<<20 // never checked: most urgent
		case m.flags[ei][p]&flagCatchUp != 0:
			nom = m.lastCheck[ei][p] + f
		}
		s.nominal = min(s.nominal, nom)
	}
	if dept == "" && m.codeF[ei] > 0 {
		s.codeF, s.visit = m.codeF[ei], m.lastVisit[ei]
		s.every = min(s.every, s.codeF)
	}
	return s
}

// similar reports whether a merged visit can take the item: its method is
// one the team does and it is not too long (same method, similar duration).
func (m *model) similar(it *domain.CheckItem) bool {
	method := it.Method
	if method == "" {
		method = "look"
	}
	return it.Minutes <= m.opt.MaxItemMinutes && slices.Contains(m.opt.JointMethods, method)
}

// merged splits entity ei's applicable items by 三相一就: the team's merged
// visit takes the general-domain items of every department (the union) and
// the key-domain items of the key departments that share the entity (the
// intersection: at least two of them, or any under KeyMerge); the rest —
// items of another method or much longer, and under KeyJoint the key items
// of a department alone in its key domain at this entity — stay visits of
// their own department. A department that keeps its own visits at the
// entity either leaves its other items to the team (they may still ride on
// its own visits) or keeps them on its own visits, whichever needs fewer
// visits over the period, so that no department is made to come twice
// where once would do. It returns the team stream (nil if empty) and the
// department streams in department order.
func (m *model) merged(ei int) (*stream, []*stream) {
	var team []int
	own := map[string][]int{}
	keyDepts := map[string]bool{}
	for _, ii := range m.app[ei] {
		if it := &m.items[ii]; it.KeyDomain && m.similar(it) {
			keyDepts[it.Department] = true
		}
	}
	jointKey := len(keyDepts) >= 2 || m.opt.KeyDomain == KeyMerge
	for p, ii := range m.app[ei] {
		it := &m.items[ii]
		switch {
		case !m.similar(it), it.KeyDomain && !jointKey:
			own[it.Department] = append(own[it.Department], p)
		default:
			team = append(team, p)
		}
	}
	var split []string
	for d := range own {
		if slices.ContainsFunc(team, func(p int) bool { return m.items[m.app[ei][p]].Department == d }) {
			split = append(split, d)
		}
	}
	slices.Sort(split)
	build := func(mask int) (*stream, []*stream) {
		t := team
		o := own
		if mask != 0 {
			t, o = nil, map[string][]int{}
			for d, ps := range own {
				o[d] = slices.Clone(ps)
			}
			for _, p := range team {
				d := m.items[m.app[ei][p]].Department
				if i := slices.Index(split, d); i >= 0 && mask&(1<<i) != 0 {
					o[d] = append(o[d], p)
				} else {
					t = append(t, p)
				}
			}
			for _, ps := range o {
				slices.Sort(ps)
			}
		}
		var ts *stream
		if len(t) > 0 {
			ts = m.newStream(ei, "", t, false)
		}
		return ts, m.deptStreams(ei, o)
	}
	best, bestN := 0, -1
	if m.entTeam[ei] >= 0 && len(split) > 0 && len(split) <= 4 {
		for mask := range 1 << len(split) {
			if n := m.jitVisits(build(mask)); bestN < 0 || n < bestN {
				best, bestN = mask, n
			}
		}
	}
	return build(best)
}

// jitVisits counts the visits of a team stream and department streams when
// each is paid just in time, the team's items riding on the departments'
// own visits as in schedule. It consumes the streams.
func (m *model) jitVisits(ts *stream, own []*stream) int {
	var vs []deptVisit
	for _, s := range own {
		v, _ := m.jit(s, false)
		vs = append(vs, v...)
	}
	n := len(vs)
	if ts == nil {
		return n
	}
	slices.SortStableFunc(vs, func(a, b deptVisit) int { return a.day - b.day })
	w := m.workOf(ts.team)
	var buf []int
	for k := 0; ; {
		due := ts.due()
		if due > m.end {
			return n
		}
		d, lo := w.prevWork(due), max(m.start, ts.planned+1)
		if d < lo {
			if d = w.nextWork(lo); d < 0 {
				return n
			}
		}
		if k < len(vs) && vs[k].day <= d {
			m.ride(ts, &vs[k], buf[:0])
			k++
			continue
		}
		buf = ts.take(d, buf[:0])
		ts.apply(d, buf)
		n++
	}
}

// alone returns entity ei's department streams as each department would
// visit alone: all its applicable items at its own frequency.
func (m *model) alone(ei int) []*stream {
	own := map[string][]int{}
	for p, ii := range m.app[ei] {
		own[m.items[ii].Department] = append(own[m.items[ii].Department], p)
	}
	return m.deptStreams(ei, own)
}

func (m *model) deptStreams(ei int, own map[string][]int) []*stream {
	depts := make([]string, 0, len(own))
	for d := range own {
		depts = append(depts, d)
	}
	slices.Sort(depts)
	out := make([]*stream, 0, len(depts))
	for _, d := range depts {
		out = append(out, m.newStream(ei, d, own[d], true))
	}
	return out
}
