// Package dispatch suggests who should handle a case and under which clock
// policy (DESIGN.md §2 "Smart dispatch": the grid says where, the category
// says which department). Fotang's platform answers in 3 s; a Suggester
// answers from precomputed tables in microseconds.
//
// # The rule
//
// The case's category names a department (store.Categories). The case's grid
// (or, without one, the finest grid holding its location) gives a chain of
// grids from fine to coarse:
//
//	micro → its base grid (ParentID) → … → inspection grid → enforcement grid
//
// where the parents follow ParentID and the inspection and enforcement grids
// are those holding an interior point (the centroid) of the case's grid.
// Walking that chain, the first grid with a working unit (squad, station or
// team) of the category's department answering for it (store.Unit.GridIDs)
// wins: law-enforcement categories go to the squad 执法中队 of the
// enforcement grid, disputes to the village station 村网格工作站 of the base
// grid, other departments to their own sub-unit for the grid if they have
// one. Without any, the department unit 职能部门 itself takes the case. When
// two units answer for the same grid, the one with the smaller ID wins and the
// other becomes an alternative.
//
// The alternatives, for the duty officer who knows better, are the other
// units of the department found further up the chain, the department unit,
// and, for a category not already the squads', the enforcement squad of the
// chain (escalation 移交执法).
//
// # The clock policy
//
// The category's default policy (store.Category.Policy), except that an
// urgent case (Priority "urgent") of a safety category — fire hazard, gas
// safety, work safety, food safety (IsSafety) — whose default is the
// department's working-day policy runs on "333" instead: somebody must be on
// site in minutes, not days. "135" (disputes) and "333" are never changed.
package dispatch

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"griddesk/domain"
	"griddesk/domain/zone"
)

// Errors, checked with errors.Is.
var (
	// ErrUnknownCategory: the case's category is not in the Suggester's list.
	ErrUnknownCategory = errors.New("unknown category")
	// ErrNoUnit: neither a unit answering for the case's grids nor the
	// department unit exists for the category.
	ErrNoUnit = errors.New("no unit answers for this case")
)

// Policy names (clock.PolicyByName).
const (
	Policy333        = "333"
	Policy135        = "135"
	PolicyDepartment = "department"
)

// PriorityUrgent is the case priority that may upgrade the clock policy.
const PriorityUrgent = "urgent"

// safety are the categories whose urgent cases run on 333.
var safety = map[string]bool{"fire_hazard": true, "gas_safety": true, "work_safety": true, "food_safety": true}

// IsSafety reports whether a category is a safety category: urgent cases of
// it run on the 333 clocks.
func IsSafety(category string) bool { return safety[category] }

// Candidate is a unit that could take the case, and why.
type Candidate struct {
	UnitID   string
	UnitName string
	Reason   string // Chinese, for the duty officer
}

// Suggestion is the suggested unit and clock policy for a case.
type Suggestion struct {
	UnitID       string
	UnitName     string
	GridID       string // the grid the unit answers for; empty when the department unit takes it as a fallback
	Fallback     bool   // no unit answers for the case's grids: the department unit itself
	Policy       string // clock policy name: 333, 135 or department
	Reason       string // Chinese, e.g. "城南西执法中队负责该网格（城南西执法保障网格）的市容环境类案件"
	PolicyReason string // Chinese, e.g. "紧急安全类案件，由部门时限升级为333时限"
	Alternatives []Candidate
}

// Suggester answers dispatch suggestions from tables built once. It is
// read-only after New and safe for concurrent use.
type Suggester struct {
	grids      map[string]*gridInfo
	zone       *zone.Index
	units      []domain.Unit
	gridUnits  map[string][]int // grid ID → indexes of working units answering for it, by unit ID
	deptUnit   map[string]int   // department key → index of its department unit
	categories map[string]domain.Category
}

type gridInfo struct {
	grid  domain.Grid
	chain []*gridInfo // itself first, then coarser grids
}

// New builds a Suggester over the grids and units, with the built-in
// categories (store.Categories).
func New(grids []domain.Grid, units []domain.Unit) *Suggester {
	return NewWithCategories(grids, units, domain.Categories())
}

// NewWithCategories builds a Suggester with an edited category list.
func NewWithCategories(grids []domain.Grid, units []domain.Unit, categories []domain.Category) *Suggester {
	s := &Suggester{
		grids:      make(map[string]*gridInfo, len(grids)),
		zone:       zone.New(grids),
		units:      slices.Clone(units),
		gridUnits:  map[string][]int{},
		deptUnit:   map[string]int{},
		categories: make(map[string]domain.Category, len(categories)),
	}
	for _, c := range categories {
		s.categories[c.Key] = c
	}
	for i := range grids {
		s.grids[grids[i].ID] = &gridInfo{grid: grids[i]}
	}
	for _, g := range s.grids {
		g.chain = s.chainOf(g)
	}
	slices.SortStableFunc(s.units, func(a, b domain.Unit) int { return cmp.Compare(a.ID, b.ID) })
	for i, u := range s.units {
		if u.Kind == domain.UnitDepartment {
			if _, dup := s.deptUnit[u.Department]; !dup && u.Department != "" {
				s.deptUnit[u.Department] = i
			}
			continue
		}
		for _, gid := range u.GridIDs {
			if !slices.Contains(s.gridUnits[gid], i) {
				s.gridUnits[gid] = append(s.gridUnits[gid], i)
			}
		}
	}
	return s
}

// chainOf returns g, its ParentID ancestors, then the inspection and
// enforcement grids holding g's interior point, each grid once.
func (s *Suggester) chainOf(g *gridInfo) []*gridInfo {
	chain := []*gridInfo{g}
	in := func(id string) bool {
		return slices.ContainsFunc(chain, func(c *gridInfo) bool { return c.grid.ID == id })
	}
	for p := g; p.grid.ParentID != "" && !in(p.grid.ParentID); {
		parent, ok := s.grids[p.grid.ParentID]
		if !ok {
			break
		}
		chain = append(chain, parent)
		p = parent
	}
	pt, ok := interior(g.grid.Geometry)
	if !ok {
		return chain
	}
	// only coarser levels: a base grid's parents are not found by location,
	// an inspection grid has only its enforcement grid above it
	levels := []string{domain.LevelBase, domain.LevelInspection, domain.LevelEnforcement}
	switch g.grid.Level {
	case domain.LevelMicro:
	case domain.LevelBase:
		levels = levels[1:]
	case domain.LevelInspection:
		levels = levels[2:]
	default:
		levels = nil
	}
	for _, level := range levels {
		if slices.ContainsFunc(chain, func(c *gridInfo) bool { return c.grid.Level == level }) {
			continue
		}
		if found, ok := s.zone.Locate(pt, level); ok && !in(found.ID) {
			chain = append(chain, s.grids[found.ID])
		}
	}
	return chain
}

// interior returns a point inside mp: its centroid when that is inside, else
// the midpoint of a diagonal of its largest polygon that is.
func interior(mp orb.MultiPolygon) (orb.Point, bool) {
	if len(mp) == 0 {
		return orb.Point{}, false
	}
	if c, area := planar.CentroidArea(mp); area > 0 && planar.MultiPolygonContains(mp, c) {
		return c, true
	}
	best := 0
	for i := range mp {
		if planar.Area(mp[i]) > planar.Area(mp[best]) {
			best = i
		}
	}
	if len(mp[best]) == 0 {
		return orb.Point{}, false
	}
	ring := mp[best][0]
	for i := range ring {
		for j := i + 2; j < len(ring); j++ {
			p := orb.Point{(ring[i][0] + ring[j][0]) / 2, (ring[i][1] + ring[j][1]) / 2}
			if planar.MultiPolygonContains(mp, p) {
				return p, true
			}
		}
	}
	return orb.Point{}, false
}

// Suggest returns the unit and clock policy for c (see the package comment).
// It needs c.Category and c.GridID or a location; c.Priority may upgrade the
// policy. It errs with ErrUnknownCategory or ErrNoUnit.
func (s *Suggester) Suggest(c domain.Case) (Suggestion, error) {
	cat, ok := s.categories[c.Category]
	if !ok {
		return Suggestion{}, fmt.Errorf("dispatch: case %s: category %q: %w", c.ID, c.Category, ErrUnknownCategory)
	}
	g := s.grids[c.GridID]
	if g == nil {
		if found, ok := s.zone.Finest(orb.Point{c.Lon, c.Lat}); ok {
			g = s.grids[found.ID]
		}
	}
	var sg Suggestion
	sg.Policy, sg.PolicyReason = policyFor(cat, c.Priority)

	// every working unit of the department on the chain, finest grid first
	type match struct {
		unit int
		grid *gridInfo
	}
	var matches []match
	var squad *match // the law squad of the chain, for escalation
	if g != nil {
		for _, cg := range g.chain {
			for _, ui := range s.gridUnits[cg.grid.ID] {
				u := &s.units[ui]
				if u.Department == cat.Department && !slices.ContainsFunc(matches, func(m match) bool { return m.unit == ui }) {
					matches = append(matches, match{ui, cg})
				}
				if squad == nil && u.Kind == domain.UnitSquad {
					squad = &match{ui, cg}
				}
			}
		}
	}
	dept, hasDept := s.deptUnit[cat.Department]
	where := "该网格"
	if g != nil {
		where = fmt.Sprintf("该网格（%s）", g.grid.Name)
	}
	switch {
	case len(matches) > 0:
		m := matches[0]
		u := &s.units[m.unit]
		sg.UnitID, sg.UnitName, sg.GridID = u.ID, u.Name, m.grid.grid.ID
		sg.Reason = fmt.Sprintf("%s负责该网格（%s）的%s类案件", u.Name, m.grid.grid.Name, cat.Name)
	case hasDept:
		u := &s.units[dept]
		sg.UnitID, sg.UnitName, sg.Fallback = u.ID, u.Name, true
		sg.Reason = fmt.Sprintf("%s没有负责%s类案件的下属单位，由主管部门%s直接承办", where, cat.Name, u.Name)
	default:
		grid := "no grid"
		if g != nil {
			grid = "grid " + g.grid.ID
		}
		return Suggestion{}, fmt.Errorf("dispatch: case %s (%s, %s): department %q has neither a unit for the grid nor a department unit: %w",
			c.ID, c.Category, grid, cat.Department, ErrNoUnit)
	}

	add := func(ui int, reason string) {
		u := &s.units[ui]
		if u.ID == sg.UnitID || slices.ContainsFunc(sg.Alternatives, func(a Candidate) bool { return a.UnitID == u.ID }) {
			return
		}
		sg.Alternatives = append(sg.Alternatives, Candidate{UnitID: u.ID, UnitName: u.Name, Reason: reason})
	}
	for _, m := range matches[min(1, len(matches)):] {
		add(m.unit, fmt.Sprintf("%s也负责网格（%s）的%s类案件", s.units[m.unit].Name, m.grid.grid.Name, cat.Name))
	}
	if hasDept {
		add(dept, fmt.Sprintf("主管部门%s承办或协调%s类案件", s.units[dept].Name, cat.Name))
	}
	if squad != nil && cat.Department != "law" {
		add(squad.unit, fmt.Sprintf("升级移交执法：%s负责网格（%s）的执法", s.units[squad.unit].Name, squad.grid.grid.Name))
	}
	return sg, nil
}

// policyFor returns the clock policy of a category at a priority, and why.
func policyFor(cat domain.Category, priority string) (string, string) {
	if priority == PriorityUrgent && IsSafety(cat.Key) && cat.Policy == PolicyDepartment {
		return Policy333, fmt.Sprintf("紧急的%s类案件属安全类，由部门时限升级为333时限", cat.Name)
	}
	return cat.Policy, fmt.Sprintf("%s类案件默认%s时限", cat.Name, policyName(cat.Policy))
}

func policyName(p string) string {
	if p == PolicyDepartment {
		return "部门"
	}
	return p
}
