package sim

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"griddesk/domain"
	"griddesk/domain/zone"
	"griddesk/store"
)

// world is what the simulator knows of the town: its people, units, grids
// and entities, read once at the start.
type world struct {
	duty     []domain.User          // duty officers, by username (shifts)
	field    domain.User            // grid workers' phone app
	hotline  domain.User            // the 12345 hotline interface
	sensor   domain.User            // the IoT platform
	members  map[string]domain.User // unit ID → the unit's member who acts for it
	units    map[string]domain.Unit
	depts    []domain.Unit          // department units, by ID
	deptUnit map[string]string      // department key → department unit
	station  map[string]string      // base grid → village station
	squad    map[string]string      // enforcement grid → enforcement squad
	grids    map[string]domain.Grid // by ID
	places   []domain.Grid          // micro grids (else base grids) to put cases in
	zones    *zone.Index            //
	pool     map[string]*entityPool // category key → entities such a case is about
}

// entityPool is a set of entities picked with weights: red-coded entities
// three times, yellow twice as often as green (problems cluster there).
type entityPool struct {
	ents []domain.Entity
	cum  []float64
}

// categoryKinds are the entities a category's cases are usually about
// (kinds, and any of tags when the town tags its entities so) and how often
// a case of it names one.
var categoryKinds = map[string]struct {
	kinds []string
	tags  []string
	share float64
}{
	"fire_hazard":      {[]string{domain.KindShop, domain.KindEnterprise, domain.KindRental, domain.KindVenue}, nil, 0.8},
	"gas_safety":       {[]string{domain.KindShop, domain.KindVenue}, []string{"gas"}, 0.85},
	"food_safety":      {[]string{domain.KindShop, domain.KindEnterprise}, []string{"catering", "food"}, 0.9},
	"fume":             {[]string{domain.KindShop, domain.KindEnterprise}, []string{"fume"}, 0.7},
	"work_safety":      {[]string{domain.KindEnterprise}, nil, 0.9},
	"city_appearance":  {[]string{domain.KindShop}, nil, 0.55},
	"noise":            {[]string{domain.KindShop, domain.KindVenue, domain.KindEnterprise}, nil, 0.3},
	"illegal_building": {[]string{domain.KindRental, domain.KindEnterprise}, nil, 0.2},
}

func loadWorld(ctx context.Context, st *store.Store) (*world, error) {
	w := &world{members: map[string]domain.User{}, units: map[string]domain.Unit{}, deptUnit: map[string]string{},
		station: map[string]string{}, squad: map[string]string{}, grids: map[string]domain.Grid{}, pool: map[string]*entityPool{}}
	users, err := st.Users(ctx)
	if err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	byName := map[string]domain.User{}
	var reporters, admins []domain.User
	for _, u := range users { // ordered by username
		if u.Disabled {
			continue
		}
		byName[u.Username] = u
		switch u.Role {
		case domain.RoleDutyOfficer:
			w.duty = append(w.duty, u)
		case domain.RoleReporter:
			reporters = append(reporters, u)
		case domain.RoleAdmin:
			admins = append(admins, u)
		case domain.RoleUnitMember:
			if _, ok := w.members[u.UnitID]; !ok && u.UnitID != "" {
				w.members[u.UnitID] = u
			}
		}
	}
	if len(w.duty) == 0 {
		w.duty = admins
	}
	if len(w.duty) == 0 {
		return nil, errors.New("sim: the store has no duty officer and no admin to act as one")
	}
	pick := func(names ...string) domain.User {
		for _, n := range names {
			if u, ok := byName[n]; ok && (u.Role == domain.RoleReporter || u.Role == domain.RoleDutyOfficer || u.Role == domain.RoleAdmin) {
				return u
			}
		}
		if len(reporters) > 0 {
			return reporters[0]
		}
		return w.duty[0]
	}
	w.field = pick("field-app")
	w.hotline = pick("hotline", "12345")
	w.sensor = pick("sensor", "iot", "field-app")

	units, err := st.Units(ctx)
	if err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	for _, u := range units { // ordered by ID
		w.units[u.ID] = u
		switch u.Kind {
		case domain.UnitDepartment:
			w.depts = append(w.depts, u)
			if _, ok := w.deptUnit[u.Department]; !ok {
				w.deptUnit[u.Department] = u.ID
			}
		case domain.UnitStation:
			for _, g := range u.GridIDs {
				w.station[g] = u.ID
			}
		case domain.UnitSquad:
			for _, g := range u.GridIDs {
				w.squad[g] = u.ID
			}
		}
	}
	if len(units) == 0 {
		return nil, errors.New("sim: the store has no units to dispatch to")
	}

	grids, err := st.Grids(ctx)
	if err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	w.zones = zone.New(grids)
	var bases []domain.Grid
	for _, g := range grids { // ordered by level, then ID
		w.grids[g.ID] = g
		switch g.Level {
		case domain.LevelMicro:
			w.places = append(w.places, g)
		case domain.LevelBase:
			bases = append(bases, g)
		}
	}
	if len(w.places) == 0 {
		w.places = bases
	}

	ents, err := st.Entities(ctx)
	if err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	keys := make([]string, 0, len(categoryKinds))
	for k := range categoryKinds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ck := categoryKinds[k]
		p := newPool(ents, ck.kinds, ck.tags)
		if p == nil && ck.tags != nil {
			p = newPool(ents, ck.kinds, nil)
		}
		if p != nil {
			w.pool[k] = p
		}
	}
	if len(w.places) == 0 && len(ents) == 0 {
		return nil, errors.New("sim: the store has no grids and no entities to put cases in")
	}
	return w, nil
}

// newPool holds the entities of the given kinds carrying any of tags (all of
// them when tags is nil); nil when there are none.
func newPool(ents []domain.Entity, kinds, tags []string) *entityPool {
	p := &entityPool{}
	total := 0.0
	for _, e := range ents {
		if !slices.Contains(kinds, e.Kind) {
			continue
		}
		if tags != nil && !slices.ContainsFunc(e.Tags, func(t string) bool { return slices.Contains(tags, t) }) {
			continue
		}
		switch e.Code {
		case domain.CodeRed:
			total += 3
		case domain.CodeYellow:
			total += 2
		default:
			total++
		}
		p.ents = append(p.ents, e)
		p.cum = append(p.cum, total)
	}
	if len(p.ents) == 0 {
		return nil
	}
	return p
}

// onDuty is the duty officer on shift at hour h (three eight-hour shifts).
func (w *world) onDuty(h int) domain.User {
	return w.duty[(h/8)%len(w.duty)]
}

// unitFor is the unit a case of category cat at p goes to: a dispute to the
// village station, city management to the enforcement squad of its grid,
// everything else to the category's department.
func (w *world) unitFor(cat domain.Category, p orb.Point) string {
	switch cat.Department {
	case "station":
		if g, ok := w.zones.Locate(p, domain.LevelBase); ok {
			if u, ok := w.station[g.ID]; ok {
				return u
			}
		}
	case "law":
		if u := w.squadAt(p); u != "" {
			return u
		}
	}
	if u, ok := w.deptUnit[cat.Department]; ok {
		return u
	}
	if u, ok := w.deptUnit["law"]; ok {
		return u
	}
	if len(w.depts) > 0 {
		return w.depts[0].ID
	}
	for _, id := range sortedKeys(w.units) {
		return id
	}
	return ""
}

// squadAt is the enforcement squad answering for p, if any.
func (w *world) squadAt(p orb.Point) string {
	if g, ok := w.zones.Locate(p, domain.LevelEnforcement); ok {
		return w.squad[g.ID]
	}
	return ""
}

// actorFor is who acts for a unit: its member, else its parent's, else its
// department's; ok is false when only a duty officer can record it for them.
func (w *world) actorFor(unitID string) (domain.User, bool) {
	u := w.units[unitID]
	for _, id := range []string{unitID, u.ParentID, w.deptUnit[u.Department]} {
		if m, ok := w.members[id]; ok && id != "" {
			return m, true
		}
	}
	return domain.User{}, false
}

func (w *world) unitName(id string) string {
	if u, ok := w.units[id]; ok {
		return u.Name
	}
	return id
}

// pickEntity returns an entity for a case of category key, weighted by code.
func (w *world) pickEntity(key string, x float64) (domain.Entity, bool) {
	p := w.pool[key]
	if p == nil {
		return domain.Entity{}, false
	}
	i := sort.SearchFloat64s(p.cum, x*p.cum[len(p.cum)-1])
	return p.ents[min(i, len(p.ents)-1)], true
}

// spot returns a random point inside grid g (uniform over its bound,
// rejecting points outside the boundary).
func spot(g domain.Grid, u func() float64) orb.Point {
	b := g.Geometry.Bound()
	for range 64 {
		p := orb.Point{b.Min[0] + u()*(b.Max[0]-b.Min[0]), b.Min[1] + u()*(b.Max[1]-b.Min[1])}
		if planar.MultiPolygonContains(g.Geometry, p) {
			return p
		}
	}
	return b.Center()
}

// placeName is how people name where a case is.
func (w *world) placeName(gridID string) string {
	g, ok := w.grids[gridID]
	if !ok {
		return ""
	}
	name := g.Name
	if g.Village != "" && !strings.HasPrefix(name, g.Village) {
		name = g.Village + name
	}
	return name
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
