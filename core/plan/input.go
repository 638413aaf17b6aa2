package plan

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/colorcode"
	"griddesk/domain/geo"
)

// ErrInput is wrapped by every error Generate returns for bad input.
var ErrInput = errors.New("plan: invalid input")

// Input is everything Generate needs, as plain data.
type Input struct {
	// Start and End are the first and last date of the period (a week, a
	// month, a quarter), taken in Asia/Shanghai; both days are included.
	Start, End time.Time
	// Teams do the merged visits. An entity belongs to the first team that
	// covers it (see Team).
	Teams []Team
	// Entities are the entities in scope.
	Entities []domain.Entity
	// Catalog is the joint checklist: every department's check items.
	Catalog []domain.CheckItem
	// Grids, optional, resolve the teams' grids: an entity is covered by a
	// grid that is its own grid or an ancestor of it (ParentID), or whose
	// boundary contains it; a team without a Base is based at the centroid
	// of its grids' boundaries.
	Grids []domain.Grid
	// Last returns when an item was last checked at an entity; nil, or
	// false, means never. See LastFromInspections.
	Last LastFunc
	// Applies reports whether an item applies to an entity; nil means the
	// catalog rule: the entity's kind is one of the item's Kinds (empty: any)
	// and it has one of the item's Tags (empty: any).
	Applies func(item domain.CheckItem, e *domain.Entity) bool
	// Calendar is the working-day calendar of teams without their own;
	// nil means clock.China().
	Calendar *clock.Calendar
	Options  Options
}

// LastFunc returns when itemID was last checked at entityID, false if never.
type LastFunc func(entityID, itemID string) (time.Time, bool)

// Team is an inspection team 检查组 and the entities it covers.
type Team struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Base is where the team's day starts and ends [lon, lat]; the zero
	// point means the centroid of its grids' boundaries in Input.Grids.
	Base orb.Point `json:"base"`
	// GridIDs and EntityIDs are what the team covers.
	GridIDs   []string `json:"grid_ids,omitempty"`
	EntityIDs []string `json:"entity_ids,omitempty"`
	// DailyMinutes is the working time of a day, visits plus travel;
	// zero means Options.DailyMinutes.
	DailyMinutes float64 `json:"daily_minutes"`
	// SpeedKmh is the travel speed between stops; zero means Options.SpeedKmh.
	SpeedKmh float64 `json:"speed_kmh"`
	// Calendar is the team's working-day calendar; nil means Input.Calendar.
	Calendar *clock.Calendar `json:"-"`
}

// KeyMode says how key-domain items 重点领域 are merged.
type KeyMode string

// Key-domain modes.
const (
	// KeyJoint is Haining's rule 三相一就: key-domain items form joint visits
	// only where two or more key departments share an entity (the
	// intersection of their objects); an entity with a single key department
	// keeps that department's own key-domain visits.
	KeyJoint KeyMode = "joint"
	// KeyMerge is Linpu's 综合查一次: one team checks every department's
	// key-domain items too, whether or not another key department shares
	// the entity.
	KeyMerge KeyMode = "merge"
)

// Options tune the planner; zero values mean the defaults given.
type Options struct {
	// VisitMinutes is the fixed time of a visit besides its items (finding
	// the keeper, scanning the door code, the report): 5 minutes, as in the
	// seed "每条线1次，1次检查5分钟".
	VisitMinutes float64 `json:"visit_minutes"`
	// DailyMinutes is a team's working time per day: 420 minutes.
	DailyMinutes float64 `json:"daily_minutes"`
	// SpeedKmh is the travel speed between stops: 20 km/h.
	SpeedKmh float64 `json:"speed_kmh"`
	// DayStart is when the day's round leaves the base: 08:30.
	DayStart time.Duration `json:"day_start"`
	// Frequency is the visit interval by colour code 三色码 (倾斜性检查);
	// zero fields mean colorcode.DefaultFrequency (red 30, yellow 60,
	// green 90 days).
	Frequency colorcode.FrequencyPolicy `json:"frequency"`
	// IgnoreCodes plans visits from the items' frequencies only.
	IgnoreCodes bool `json:"ignore_codes,omitempty"`
	// KeyDomain is the key-domain rule: KeyJoint.
	KeyDomain KeyMode `json:"key_domain"`
	// JointMethods are the check methods a team does on a merged visit
	// ("similar method"): look, document, instrument. An empty item method
	// counts as look.
	JointMethods []string `json:"joint_methods"`
	// MaxItemMinutes is the longest item a merged visit takes ("similar
	// duration"): 15 minutes. Longer items stay their department's own visits.
	MaxItemMinutes float64 `json:"max_item_minutes"`
}

// withDefaults returns o with zero fields set to the defaults.
func (o Options) withDefaults() Options {
	if o.VisitMinutes == 0 {
		o.VisitMinutes = 5
	}
	if o.DailyMinutes == 0 {
		o.DailyMinutes = 420
	}
	if o.SpeedKmh == 0 {
		o.SpeedKmh = 20
	}
	if o.DayStart == 0 {
		o.DayStart = 8*time.Hour + 30*time.Minute
	}
	def := colorcode.DefaultFrequency()
	if o.Frequency.Red <= 0 {
		o.Frequency.Red = def.Red
	}
	if o.Frequency.Yellow <= 0 {
		o.Frequency.Yellow = def.Yellow
	}
	if o.Frequency.Green <= 0 {
		o.Frequency.Green = def.Green
	}
	if o.KeyDomain == "" {
		o.KeyDomain = KeyJoint
	}
	if len(o.JointMethods) == 0 {
		o.JointMethods = []string{"look", "document", "instrument"}
	}
	if o.MaxItemMinutes == 0 {
		o.MaxItemMinutes = 15
	}
	return o
}

func (o Options) validate() error {
	switch {
	case !(o.VisitMinutes >= 0) || math.IsInf(o.VisitMinutes, 0):
		return fmt.Errorf("%w: visit minutes %v", ErrInput, o.VisitMinutes)
	case !(o.DailyMinutes > 0 && o.DailyMinutes <= 24*60):
		return fmt.Errorf("%w: daily minutes %v not in (0, 1440]", ErrInput, o.DailyMinutes)
	case !(o.SpeedKmh > 0) || math.IsInf(o.SpeedKmh, 0):
		return fmt.Errorf("%w: speed %v km/h", ErrInput, o.SpeedKmh)
	case o.DayStart < 0 || o.DayStart >= 24*time.Hour:
		return fmt.Errorf("%w: day start %v not within a day", ErrInput, o.DayStart)
	case o.KeyDomain != KeyJoint && o.KeyDomain != KeyMerge:
		return fmt.Errorf("%w: key-domain mode %q is not %q or %q", ErrInput, o.KeyDomain, KeyJoint, KeyMerge)
	case !(o.MaxItemMinutes > 0):
		return fmt.Errorf("%w: max item minutes %v", ErrInput, o.MaxItemMinutes)
	}
	return nil
}

// LastFromInspections returns when each item was last checked at each
// entity: the latest inspection with a result for it (pass, fail or na;
// any status, since the visit took place).
func LastFromInspections(ins []domain.Inspection) LastFunc {
	last := map[[2]string]time.Time{}
	for i := range ins {
		in := &ins[i]
		for _, r := range in.Results {
			k := [2]string{in.EntityID, r.ItemID}
			if t, ok := last[k]; !ok || in.At.After(t) {
				last[k] = in.At
			}
		}
	}
	return func(entityID, itemID string) (time.Time, bool) {
		t, ok := last[[2]string{entityID, itemID}]
		return t, ok
	}
}

// TeamsFromUnits returns a Team for every unit of kind team, covering the
// unit's grids, with the default working time and speed and no base (Generate
// bases it at its grids' centroid, given Input.Grids).
func TeamsFromUnits(units []domain.Unit) []Team {
	var out []Team
	for _, u := range units {
		if u.Kind == domain.UnitTeam {
			out = append(out, Team{ID: u.ID, Name: u.Name, GridIDs: slices.Clone(u.GridIDs)})
		}
	}
	return out
}

// Applies is the catalog rule Generate uses when Input.Applies is nil: the
// entity's kind is one of the item's Kinds (none: any kind) and, when the
// item has Tags, the entity has one of them (as demo.Applies).
func Applies(item domain.CheckItem, e *domain.Entity) bool {
	if len(item.Kinds) > 0 && !slices.Contains(item.Kinds, e.Kind) {
		return false
	}
	if len(item.Tags) == 0 {
		return true
	}
	for _, t := range item.Tags {
		if slices.Contains(e.Tags, t) {
			return true
		}
	}
	return false
}

// Item-state flags.
const (
	flagNever   = 1 << iota // never checked before the period
	flagCatchUp             // overdue at the start of the period
)

// model is the validated, indexed input shared by generation, editing and
// verification. It is never changed after prepare.
type model struct {
	start, end int
	opt        Options
	items      []domain.CheckItem
	itemIdx    map[string]int
	ents       []domain.Entity
	entIdx     map[string]int
	teams      []teamModel
	teamIdx    map[string]int
	defWork    *workdays
	entTeam    []int     // team index per entity, -1 if none
	app        [][]int   // applicable catalog indices per entity, catalog order
	anchor     [][]int   // per entity, aligned with app: the check the period starts from
	flags      [][]uint8 // per entity, aligned with app
	lastCheck  [][]int   // per entity, aligned with app: last check before the period or noDay
	lastVisit  []int     // per entity: anchor of the colour-code interval
	codeF      []int     // per entity: colour-code interval in days, 0 if codes are ignored
	rank       []int     // per entity: 0 red, 1 yellow, 2 green
}

type teamModel struct {
	Team
	work *workdays
}

// prepare validates the input and builds the model.
func prepare(in *Input) (*model, error) {
	if in.Start.IsZero() || in.End.IsZero() {
		return nil, fmt.Errorf("%w: period start and end are required", ErrInput)
	}
	m := &model{start: dayNum(in.Start), end: dayNum(in.End), opt: in.Options.withDefaults()}
	switch {
	case m.end < m.start:
		return nil, fmt.Errorf("%w: period ends %s before it starts %s", ErrInput, dateOf(m.end).Format(time.DateOnly), dateOf(m.start).Format(time.DateOnly))
	case m.end-m.start >= 366:
		return nil, fmt.Errorf("%w: period of %d days is longer than a year", ErrInput, m.end-m.start+1)
	}
	if err := m.opt.validate(); err != nil {
		return nil, err
	}
	if err := m.catalog(in.Catalog); err != nil {
		return nil, err
	}
	if err := m.entities(in.Entities); err != nil {
		return nil, err
	}
	cal := in.Calendar
	if cal == nil {
		cal = clock.China()
	}
	m.defWork = newWorkdays(cal, m.start, m.end)
	if err := m.teamsOf(in, cal); err != nil {
		return nil, err
	}
	applies := in.Applies
	if applies == nil {
		applies = Applies
	}
	m.states(applies, in.Last)
	return m, nil
}

func (m *model) catalog(items []domain.CheckItem) error {
	m.items = slices.Clone(items)
	m.itemIdx = make(map[string]int, len(items))
	for i := range m.items {
		it := &m.items[i]
		switch {
		case it.ID == "":
			return fmt.Errorf("%w: catalog item %d has no id", ErrInput, i)
		case it.Department == "":
			return fmt.Errorf("%w: item %s has no department", ErrInput, it.ID)
		case it.FrequencyDays <= 0:
			return fmt.Errorf("%w: item %s: frequency %d days must be positive", ErrInput, it.ID, it.FrequencyDays)
		case !(it.Minutes >= 0) || math.IsInf(it.Minutes, 0):
			return fmt.Errorf("%w: item %s: minutes %v", ErrInput, it.ID, it.Minutes)
		}
		if _, dup := m.itemIdx[it.ID]; dup {
			return fmt.Errorf("%w: item %s appears twice in the catalog", ErrInput, it.ID)
		}
		m.itemIdx[it.ID] = i
	}
	return nil
}

func (m *model) entities(ents []domain.Entity) error {
	m.ents = slices.Clone(ents)
	m.entIdx = make(map[string]int, len(ents))
	for i := range m.ents {
		e := &m.ents[i]
		if e.ID == "" {
			return fmt.Errorf("%w: entity %d has no id", ErrInput, i)
		}
		if err := geo.ValidLonLat(orb.Point{e.Lon, e.Lat}); err != nil {
			return fmt.Errorf("%w: entity %s: %w", ErrInput, e.ID, err)
		}
		if _, dup := m.entIdx[e.ID]; dup {
			return fmt.Errorf("%w: entity %s appears twice", ErrInput, e.ID)
		}
		m.entIdx[e.ID] = i
	}
	return nil
}

// teamsOf resolves the teams and assigns every entity to the first team
// that covers it.
func (m *model) teamsOf(in *Input, cal *clock.Calendar) error {
	if len(in.Teams) == 0 {
		return fmt.Errorf("%w: no teams", ErrInput)
	}
	grids := make(map[string]*domain.Grid, len(in.Grids))
	for i := range in.Grids {
		grids[in.Grids[i].ID] = &in.Grids[i]
	}
	type cover struct {
		ents, grids map[string]bool
		shapes      []orb.MultiPolygon
		bounds      []orb.Bound
	}
	covers := make([]cover, len(in.Teams))
	m.teamIdx = make(map[string]int, len(in.Teams))
	works := map[*clock.Calendar]*workdays{cal: m.defWork}
	for ti, t := range in.Teams {
		if t.ID == "" {
			return fmt.Errorf("%w: team %d has no id", ErrInput, ti)
		}
		if _, dup := m.teamIdx[t.ID]; dup {
			return fmt.Errorf("%w: team %s appears twice", ErrInput, t.ID)
		}
		m.teamIdx[t.ID] = ti
		c := cover{ents: map[string]bool{}, grids: map[string]bool{}}
		for _, id := range t.EntityIDs {
			c.ents[id] = true
		}
		var centroid orb.Point
		var area float64
		for _, id := range t.GridIDs {
			c.grids[id] = true
			g, ok := grids[id]
			if !ok {
				if len(in.Grids) > 0 {
					return fmt.Errorf("%w: team %s: grid %s is not in the input grids", ErrInput, t.ID, id)
				}
				continue
			}
			if len(g.Geometry) == 0 {
				continue
			}
			c.shapes = append(c.shapes, g.Geometry)
			c.bounds = append(c.bounds, g.Geometry.Bound())
			p, a := planar.CentroidArea(g.Geometry)
			centroid = orb.Point{centroid[0] + p[0]*a, centroid[1] + p[1]*a}
			area += a
		}
		covers[ti] = c
		if t.Base == (orb.Point{}) {
			if area <= 0 {
				return fmt.Errorf("%w: team %s has no base: set Base or give its grids' boundaries in Input.Grids", ErrInput, t.ID)
			}
			t.Base = orb.Point{centroid[0] / area, centroid[1] / area}
		}
		if err := geo.ValidLonLat(t.Base); err != nil {
			return fmt.Errorf("%w: team %s base: %w", ErrInput, t.ID, err)
		}
		if t.DailyMinutes == 0 {
			t.DailyMinutes = m.opt.DailyMinutes
		}
		if t.SpeedKmh == 0 {
			t.SpeedKmh = m.opt.SpeedKmh
		}
		if !(t.DailyMinutes > 0 && t.DailyMinutes <= 24*60) {
			return fmt.Errorf("%w: team %s: daily minutes %v not in (0, 1440]", ErrInput, t.ID, t.DailyMinutes)
		}
		if !(t.SpeedKmh > 0) || math.IsInf(t.SpeedKmh, 0) {
			return fmt.Errorf("%w: team %s: speed %v km/h", ErrInput, t.ID, t.SpeedKmh)
		}
		tc := t.Calendar
		if tc == nil {
			tc = cal
		}
		w, ok := works[tc]
		if !ok {
			w = newWorkdays(tc, m.start, m.end)
			works[tc] = w
		}
		t.GridIDs, t.EntityIDs, t.Calendar = slices.Clone(t.GridIDs), slices.Clone(t.EntityIDs), tc
		m.teams = append(m.teams, teamModel{Team: t, work: w})
	}

	covered := func(c *cover, e *domain.Entity) bool {
		if c.ents[e.ID] {
			return true
		}
		for g, hops := e.GridID, 0; g != "" && hops < 16; hops++ {
			if c.grids[g] {
				return true
			}
			p, ok := grids[g]
			if !ok {
				break
			}
			g = p.ParentID
		}
		pt := orb.Point{e.Lon, e.Lat}
		for i, s := range c.shapes {
			if c.bounds[i].Contains(pt) && planar.MultiPolygonContains(s, pt) {
				return true
			}
		}
		return false
	}
	m.entTeam = make([]int, len(m.ents))
	for ei := range m.ents {
		m.entTeam[ei] = -1
		for ti := range covers {
			if covered(&covers[ti], &m.ents[ei]) {
				m.entTeam[ei] = ti
				break
			}
		}
	}
	return nil
}

// states works out, for every entity and applicable item, the check the
// period starts from. An item last checked so long ago that it is overdue
// at the start, or never checked, cannot be put right in the past: it gets
// one full interval from the day before the period (flagCatchUp or
// flagNever) and is scheduled first among equals.
func (m *model) states(applies func(domain.CheckItem, *domain.Entity) bool, last LastFunc) {
	n := len(m.ents)
	m.app, m.anchor, m.flags, m.lastCheck = make([][]int, n), make([][]int, n), make([][]uint8, n), make([][]int, n)
	m.lastVisit, m.codeF, m.rank = make([]int, n), make([]int, n), make([]int, n)
	for ei := range m.ents {
		e := &m.ents[ei]
		lastAny := noDay
		for ii := range m.items {
			it := &m.items[ii]
			if !applies(*it, e) {
				continue
			}
			lc := noDay
			if last != nil {
				if t, ok := last(e.ID, it.ID); ok && !t.IsZero() {
					lc = dayNum(t)
				}
			}
			a, f := lc, uint8(0)
			switch {
			case lc == noDay:
				a, f = m.start-1, flagNever
			case lc >= m.start:
				a = m.start - 1 // a check inside the period counts from its eve
			case lc+it.FrequencyDays < m.start:
				a, f = m.start-1, flagCatchUp
			}
			m.app[ei] = append(m.app[ei], ii)
			m.anchor[ei] = append(m.anchor[ei], a)
			m.flags[ei] = append(m.flags[ei], f)
			m.lastCheck[ei] = append(m.lastCheck[ei], lc)
			if lc != noDay {
				lastAny = max(lastAny, min(lc, m.start-1))
			}
		}
		code := colorcode.Code(e.Code)
		m.rank[ei] = 0
		switch code {
		case colorcode.Yellow:
			m.rank[ei] = 1
		case colorcode.Green:
			m.rank[ei] = 2
		}
		if !m.opt.IgnoreCodes {
			m.codeF[ei] = max(1, int(colorcode.Frequency(code, m.opt.Frequency)/(24*time.Hour)))
			if lastAny == noDay || lastAny+m.codeF[ei] < m.start {
				lastAny = m.start - 1
			}
		}
		m.lastVisit[ei] = lastAny
	}
}
