// Package stats summarizes inspections for a grid (with the grids below it)
// or the whole town over a period: inspections made, entities covered,
// hazards found and rectified, the rectification rate 整改率, overdue
// rectifications, repeat offenders 屡教不改, the three-colour code
// distribution and its changes, and hazards per department. WriteXLSX exports
// a report as a workbook with charts.
//
// The package is pure: Compute works on plain slices (store types), with no
// clock, storage or UI.
//
// # Definitions
//
// Scope. The entities of the grid and the grids below it, as
// store.GridScope defines them (descendants through ParentID; inspection and
// enforcement grids, which overlay that tree, by location). An empty GridID
// is the whole town; an unknown one selects no entity. Inspections and
// hazards count for the entity they are of; those of entities that are not
// in Input.Entities are ignored, and so are hazards whose inspection is not
// in Input.Inspections (a hazard is found when its inspection is made).
//
// Period and as-of. The period is [From, To). The report looks at the data
// as of AsOf (zero means To; for a period that is still running pass the
// current time): a hazard counts as rectified when its status is rectified
// and it was rectified before AsOf (or has no rectification time); its
// deadline has passed when it is before AsOf.
//
//   - Inspections 检查次数: inspections of the scope made in the period,
//     whatever their review status (reviewed = accepted or handed to
//     enforcement; pending = submitted; returned for re-inspection).
//   - Covered 覆盖对象: distinct entities among them; Coverage = Covered ÷
//     Entities (the entities of the scope).
//   - Hazards 发现隐患: hazards found at those inspections, general and major.
//   - Due 应整改: hazards found in the period whose deadline has passed,
//     that have no deadline, or that are already rectified (rectifying early
//     counts). Rectified 已整改: those rectified as of AsOf.
//   - RectificationRate 整改率 = Rectified ÷ Due, the headline figure (the
//     seeds report 90%+): it does not hold hazards whose deadline is still
//     running against the rate. A hazard handed to enforcement 移交执法
//     counts as not rectified (HandedOver counts them).
//     RectifiedShare = Rectified ÷ Hazards is the plain share, for reference.
//   - Overdue 逾期未整改: a backlog as of AsOf, whenever found — hazards of
//     the scope found before AsOf, not rectified by then, not handed to
//     enforcement, whose deadline has passed. Open 未整改: the same without
//     the deadline condition.
//   - Repeat offenders 屡教不改: as in the colour-code rules, an entity with
//     a reviewed inspection in the period at which a check item fails that
//     also failed at its previous reviewed inspection (which may be before
//     the period). An item fails at an inspection when a hazard is recorded
//     on it or its result is "fail". RepeatOffences counts the (inspection,
//     item) pairs.
//   - Codes 三色码分布: the entities' current codes (Entity.Code), not the
//     codes as of AsOf.
//   - Transitions 三色码变化: reviewed inspections in the period with a valid
//     code before and after, counted by (before, after); Changes lists the
//     six changes, Upgrades and Downgrades sum those towards green and red.
//   - Departments 部门隐患: the hazards found in the period by the department
//     of their check item (Input.Items; an unknown item counts under the
//     department ""), with the same Due, Rectified, rate and an Overdue of
//     those hazards as of AsOf. Every department with catalog items is
//     listed, most hazards first.
//
// Ratios never divide by zero: a zero denominator leaves the rate undefined
// (Ratio.Valid), shown as "—".
package stats

import (
	"cmp"
	"slices"
	"time"

	"griddesk/core/kpi"
	"griddesk/domain"
)

// Input is what Compute looks at.
type Input struct {
	From, To time.Time // the period [From, To)
	AsOf     time.Time // the moment the report looks from; zero means To
	GridID   string    // "" for the whole town

	Grids       []domain.Grid
	Entities    []domain.Entity
	Inspections []domain.Inspection // at least those up to To; earlier ones find repeat offences across From
	Findings    []domain.Finding
	Items       []domain.CheckItem
	Departments map[string]string // department key → name (optional; see DepartmentNames)
}

// Ratio is a rate kept as a fraction ("—" rather than NaN when its
// denominator is zero): the same type as the unit KPIs'.
type Ratio = kpi.Ratio

// Codes in report order.
var Codes = []string{domain.CodeGreen, domain.CodeYellow, domain.CodeRed}

// CodeNames are the codes' Chinese names.
var CodeNames = map[string]string{domain.CodeGreen: "绿码", domain.CodeYellow: "黄码", domain.CodeRed: "红码"}

// codeIndex returns a code's position in Codes, or -1.
func codeIndex(c string) int { return slices.Index(Codes, c) }

// Change is a number of code changes from one code to another.
type Change struct {
	From, To string
	N        int
}

// Name returns e.g. "黄码→绿码".
func (c Change) Name() string { return CodeNames[c.From] + "→" + CodeNames[c.To] }

// Offender is an entity with repeat offences in the period.
type Offender struct {
	EntityID, Name, GridID string
	GridName               string
	Items                  []string // check items failing again, sorted
	ItemNames              []string // their names (the ID when unknown)
	Inspections            int      // reviewed inspections of the period with a repeat offence
	Last                   time.Time
}

// Department is one department's hazards.
type Department struct {
	Key, Name      string
	Hazards        int
	General, Major int
	Due, Rectified int
	Overdue        int   // of these hazards, as of AsOf
	Rate           Ratio // Rectified ÷ Due
}

// Report is the statistics of a scope and period.
type Report struct {
	GridID, GridName string // "" and "全镇" for the whole town
	From, To, AsOf   time.Time

	Entities                    int // entities in the scope
	Inspections                 int
	Reviewed, Pending, Returned int
	Covered                     int
	Coverage                    Ratio // Covered ÷ Entities

	Hazards, General, Major int
	Due, Rectified          int
	HandedOver              int   // hazards of the period handed to enforcement
	RectificationRate       Ratio // Rectified ÷ Due
	RectifiedShare          Ratio // Rectified ÷ Hazards
	Overdue                 int   // backlog as of AsOf
	Open                    int   // unrectified hazards as of AsOf (overdue or not)

	RepeatOffenders []Offender // most items first
	RepeatOffences  int

	Codes       map[string]int // current code → entities
	Transitions [3][3]int      // [before][after] in Codes order, diagonal = unchanged
	Changes     []Change       // the six changes, in a fixed order
	Upgrades    int            // changes towards green
	Downgrades  int            // changes towards red
	Departments []Department   // most hazards first
}

// TownName is the scope name of the whole town.
const TownName = "全镇"

// DepartmentNames maps department keys to the names of the department units.
func DepartmentNames(units []domain.Unit) map[string]string {
	m := map[string]string{}
	for _, u := range units {
		if u.Kind == domain.UnitDepartment && u.Department != "" {
			m[u.Department] = u.Name
		}
	}
	return m
}

func reviewed(status domain.InspectionStatus) bool { return status.Counts() }

// Compute works out the statistics (see the package comment for the
// definitions).
func Compute(in Input) Report {
	asOf := in.AsOf
	if asOf.IsZero() {
		asOf = in.To
	}
	r := Report{GridID: in.GridID, GridName: TownName, From: in.From, To: in.To, AsOf: asOf,
		Codes: map[string]int{}}
	gridNames := make(map[string]string, len(in.Grids))
	for _, g := range in.Grids {
		gridNames[g.ID] = g.Name
	}
	if in.GridID != "" {
		r.GridName = cmp.Or(gridNames[in.GridID], in.GridID)
	}
	scope, err := domain.NewGridScope(in.Grids, in.GridID)
	inScope := map[string]*domain.Entity{} // entity ID → entity
	if err == nil {
		for i := range in.Entities {
			e := &in.Entities[i]
			if scope.Contains(e) {
				inScope[e.ID] = e
				r.Codes[e.Code]++
			}
		}
	}
	r.Entities = len(inScope)
	inPeriod := func(t time.Time) bool { return !t.Before(in.From) && t.Before(in.To) }

	// inspections
	insp := map[string]*domain.Inspection{}
	byEntity := map[string][]*domain.Inspection{}
	covered := map[string]bool{}
	for i := range in.Inspections {
		x := &in.Inspections[i]
		if _, ok := inScope[x.EntityID]; !ok {
			continue
		}
		insp[x.ID] = x
		byEntity[x.EntityID] = append(byEntity[x.EntityID], x)
		if !inPeriod(x.At) {
			continue
		}
		r.Inspections++
		covered[x.EntityID] = true
		switch {
		case reviewed(x.Status):
			r.Reviewed++
			b, a := codeIndex(x.CodeBefore), codeIndex(x.CodeAfter)
			if b >= 0 && a >= 0 {
				r.Transitions[b][a]++
			}
		case x.Status == domain.InspectionReturned:
			r.Returned++
		default:
			r.Pending++
		}
	}
	r.Covered = len(covered)
	r.Coverage = Ratio{Num: r.Covered, Den: r.Entities}
	for _, b := range []int{0, 1, 2} {
		for _, a := range []int{0, 1, 2} {
			if a == b {
				continue
			}
			n := r.Transitions[b][a]
			r.Changes = append(r.Changes, Change{From: Codes[b], To: Codes[a], N: n})
			if a < b {
				r.Upgrades += n
			} else {
				r.Downgrades += n
			}
		}
	}

	// hazards
	items := map[string]*domain.CheckItem{}
	depts := map[string]*Department{}
	dept := func(key string) *Department {
		d := depts[key]
		if d == nil {
			name := key
			if n, ok := in.Departments[key]; ok {
				name = n
			} else if key == "" {
				name = "未知部门"
			}
			d = &Department{Key: key, Name: name}
			depts[key] = d
		}
		return d
	}
	for i := range in.Items {
		items[in.Items[i].ID] = &in.Items[i]
		dept(in.Items[i].Department)
	}
	failed := map[string]map[string]bool{} // inspection ID → failing items
	fail := func(inspID, item string) {
		if failed[inspID] == nil {
			failed[inspID] = map[string]bool{}
		}
		failed[inspID][item] = true
	}
	for i := range in.Findings {
		f := &in.Findings[i]
		x, ok := insp[f.InspectionID]
		if !ok {
			continue
		}
		fail(x.ID, f.ItemID)
		rectified := f.Status == domain.FindingRectified && (f.RectifiedAt.IsZero() || f.RectifiedAt.Before(asOf))
		passed := !f.Deadline.IsZero() && f.Deadline.Before(asOf)
		overdue := !rectified && f.Status != domain.FindingEnforcement && passed && x.At.Before(asOf)
		if !rectified && f.Status != domain.FindingEnforcement && x.At.Before(asOf) {
			r.Open++
		}
		if overdue {
			r.Overdue++
		}
		if !inPeriod(x.At) {
			continue
		}
		due := rectified || passed || f.Deadline.IsZero()
		key := ""
		if it := items[f.ItemID]; it != nil {
			key = it.Department
		}
		d := dept(key)
		r.Hazards++
		d.Hazards++
		if f.Severity == domain.SeverityMajor {
			r.Major++
			d.Major++
		} else {
			r.General++
			d.General++
		}
		if due {
			r.Due++
			d.Due++
		}
		if rectified {
			r.Rectified++
			d.Rectified++
		}
		if overdue {
			d.Overdue++
		}
		if f.Status == domain.FindingEnforcement {
			r.HandedOver++
		}
	}
	r.RectificationRate = Ratio{Num: r.Rectified, Den: r.Due}
	r.RectifiedShare = Ratio{Num: r.Rectified, Den: r.Hazards}
	for _, d := range depts {
		if d.Key == "" && d.Hazards == 0 {
			continue
		}
		d.Rate = Ratio{Num: d.Rectified, Den: d.Due}
		r.Departments = append(r.Departments, *d)
	}
	slices.SortFunc(r.Departments, func(a, b Department) int {
		return cmp.Or(cmp.Compare(b.Hazards, a.Hazards), cmp.Compare(a.Key, b.Key))
	})

	// repeat offences over each entity's reviewed inspections
	for _, x := range in.Inspections {
		if _, ok := insp[x.ID]; ok {
			for _, res := range x.Results {
				if res.Result == domain.ResultFail {
					fail(x.ID, res.ItemID)
				}
			}
		}
	}
	for id, list := range byEntity {
		slices.SortFunc(list, func(a, b *domain.Inspection) int {
			return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID))
		})
		var prev *domain.Inspection
		var off *Offender
		repeated := map[string]bool{}
		for _, x := range list {
			if !reviewed(x.Status) {
				continue
			}
			if prev != nil && inPeriod(x.At) {
				hit := false
				for item := range failed[x.ID] {
					if failed[prev.ID][item] {
						hit = true
						repeated[item] = true
						r.RepeatOffences++
					}
				}
				if hit {
					if off == nil {
						e := inScope[id]
						off = &Offender{EntityID: id, Name: e.Name, GridID: e.GridID, GridName: gridNames[e.GridID]}
					}
					off.Inspections++
					off.Last = x.At
				}
			}
			prev = x
		}
		if off != nil {
			for item := range repeated {
				off.Items = append(off.Items, item)
			}
			slices.Sort(off.Items)
			for _, item := range off.Items {
				name := item
				if it := items[item]; it != nil {
					name = it.Name
				}
				off.ItemNames = append(off.ItemNames, name)
			}
			r.RepeatOffenders = append(r.RepeatOffenders, *off)
		}
	}
	slices.SortFunc(r.RepeatOffenders, func(a, b Offender) int {
		return cmp.Or(cmp.Compare(len(b.Items), len(a.Items)), cmp.Compare(b.Inspections, a.Inspections), cmp.Compare(a.EntityID, b.EntityID))
	})
	return r
}
