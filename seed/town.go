// Package seed generates GridDesk's demo data deterministically from a seed:
// a town with the real proportions of Linpu 临浦 (42.48 km², 34 villages, 92
// base grids, 675 micro grids, 11 inspection grids, 5,960 entities) and a
// city at Dongguan's scale (3,106 grids, 100,000 entities) for benchmarks.
package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/store"
)

// Dataset is everything a seed puts into an empty store.
type Dataset struct {
	Grids       []domain.Grid
	Entities    []domain.Entity
	Units       []domain.Unit
	Users       []domain.User
	CheckItems  []domain.CheckItem
	Cases       []domain.Case
	Tasks       []domain.Task
	Actions     []domain.Action
	Inspections []domain.Inspection
	Findings    []domain.Finding
	Photos      []domain.Photo // of the inspections (kept before them: an inspection names kept photos)
}

// Save writes the dataset in one transaction.
func (d *Dataset) Save(ctx context.Context, s *store.Store) error {
	return s.Update(ctx, func(tx *store.Tx) error {
		for i := range d.Grids {
			if err := tx.PutGrid(&d.Grids[i]); err != nil {
				return err
			}
		}
		for i := range d.Units {
			if err := tx.PutUnit(&d.Units[i]); err != nil {
				return err
			}
		}
		for i := range d.Users {
			if err := tx.PutUser(&d.Users[i]); err != nil {
				return err
			}
		}
		for i := range d.CheckItems {
			if err := tx.PutCheckItem(&d.CheckItems[i]); err != nil {
				return err
			}
		}
		for i := range d.Entities {
			if err := tx.PutEntity(&d.Entities[i]); err != nil {
				return err
			}
		}
		for i := range d.Photos {
			if _, err := tx.PutPhoto(&d.Photos[i]); err != nil {
				return err
			}
		}
		for i := range d.Inspections {
			if err := tx.PutInspection(&d.Inspections[i]); err != nil {
				return err
			}
		}
		for i := range d.Findings {
			if err := tx.PutFinding(&d.Findings[i]); err != nil {
				return err
			}
		}
		for i := range d.Cases {
			if err := tx.PutCase(&d.Cases[i]); err != nil {
				return err
			}
		}
		for i := range d.Tasks {
			if err := tx.PutTask(&d.Tasks[i]); err != nil {
				return err
			}
		}
		for i := range d.Actions {
			if err := tx.PutAction(&d.Actions[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// TownCenter is the demo town's centre, near Linpu (30.06°N 120.25°E).
var TownCenter = orb.Point{120.25, 30.06}

// place is where generated things can go: a micro grid cell and the base
// cell, village, inspection and enforcement grids around it.
type place struct {
	quad        [4]orb.Point
	microID     string
	base        int // index into town.bases
	inspection  int // index of inspection grid, -1 if none
	enforcement int
}

type baseCell struct {
	id, name, village string
	cell              cellID
	villageIdx        int
	micros            []place
}

type town struct {
	r           *rand.Rand
	now         time.Time
	d           *Dataset
	bases       []baseCell
	inspKinds   []string // "shop" or "enterprise" per inspection grid
	inspCells   [][]int  // base indices per inspection grid
	teamOfInsp  []string
	squadOfEnf  []string
	stationOfV  []string
	villages    []string
	entityPlace map[string]place
}

// Town generates the demo town. The same seed and now give the same data.
func Town(seed uint64, now time.Time) *Dataset {
	t := &town{r: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), now: now, d: &Dataset{}, entityPlace: map[string]place{}}
	t.grids()
	t.units()
	t.users()
	t.d.CheckItems = Catalog()
	t.entities()
	t.inspections()
	t.cases()
	t.photos()
	return t.d
}

const (
	townCols, townRows = 12, 8
	townCell           = 680.0 // metres: 92 cells ≈ 42.5 km²
)

func (t *town) grids() {
	f := newFrame(TownCenter)
	l := newLattice(t.r, f, townCols, townRows, townCell)
	dropped := map[cellID]bool{{0, 0}: true, {townCols - 1, 0}: true, {0, townRows - 1}: true, {townCols - 1, townRows - 1}: true}

	// villages: runs of 2–3 cells along each row, 34 in all
	runs := map[int][]int{0: {3, 3, 2, 2}, 7: {3, 3, 2, 2}, 2: {3, 3, 2, 2, 2}, 5: {3, 3, 2, 2, 2}}
	// micro splits: 31×6 + 60×8 + 1×9 = 675
	var splits [][2]int
	for i := 0; i < 31; i++ {
		splits = append(splits, [2]int{2, 3})
	}
	for i := 0; i < 60; i++ {
		splits = append(splits, [2]int{2, 4})
	}
	splits = append(splits, [2]int{3, 3})
	t.r.Shuffle(len(splits), func(i, j int) { splits[i], splits[j] = splits[j], splits[i] })

	microN := 0
	for y := 0; y < townRows; y++ {
		var cells []cellID
		for x := 0; x < townCols; x++ {
			if !dropped[cellID{x, y}] {
				cells = append(cells, cellID{x, y})
			}
		}
		rowRuns, ok := runs[y]
		if !ok {
			rowRuns = []int{3, 3, 3, 3}
		}
		i := 0
		for _, n := range rowRuns {
			vi := len(t.villages)
			vname := villageNames[vi]
			t.villages = append(t.villages, vname)
			for k := 0; k < n; k++ {
				c := cells[i]
				i++
				bi := len(t.bases)
				b := baseCell{id: fmt.Sprintf("B%03d", bi+1), name: fmt.Sprintf("%s%d号网格", vname, k+1), village: vname, cell: c, villageIdx: vi}
				q := l.quad(c.x, c.y)
				t.d.Grids = append(t.d.Grids, domain.Grid{ID: b.id, Name: b.name, Level: domain.LevelBase, Village: vname, Geometry: quadPolygon(q)})
				sp := splits[bi]
				for j, mq := range subdivide(t.r, q, sp[0], sp[1]) {
					microN++
					id := fmt.Sprintf("M%04d", microN)
					t.d.Grids = append(t.d.Grids, domain.Grid{ID: id, Name: fmt.Sprintf("%s%d-%d微网格", vname, k+1, j+1),
						Level: domain.LevelMicro, ParentID: b.id, Village: vname, Geometry: quadPolygon(mq)})
					b.micros = append(b.micros, place{quad: mq, microID: id, base: bi, inspection: -1})
				}
				t.bases = append(t.bases, b)
			}
		}
	}

	// inspection grids: 3 column groups × 4 row groups, the two western
	// northernmost blocks merged: 11 grids, the 5 eastern ones for enterprises
	cellBase := map[cellID]int{}
	for i, b := range t.bases {
		cellBase[b.cell] = i
	}
	type block struct{ x0, x1, y0, y1 int }
	var blocks []block
	for cg := 0; cg < 3; cg++ {
		for rg := 0; rg < 4; rg++ {
			if cg == 0 && rg == 1 {
				blocks[len(blocks)-1].y1 = 3 // merge into the block below it
				continue
			}
			blocks = append(blocks, block{cg * 4, cg*4 + 3, rg * 2, rg*2 + 1})
		}
	}
	shopN, firmN := 0, 0
	for i, bl := range blocks {
		var cells []cellID
		var idx []int
		for y := bl.y0; y <= bl.y1; y++ {
			for x := bl.x0; x <= bl.x1; x++ {
				if bi, ok := cellBase[cellID{x, y}]; ok {
					cells = append(cells, cellID{x, y})
					idx = append(idx, bi)
				}
			}
		}
		kind := domain.KindShop
		if bl.x0 == 8 || (bl.x0 == 4 && bl.y0 == 0) {
			kind = domain.KindEnterprise
		}
		var name string
		if kind == domain.KindShop {
			shopN++
			name = fmt.Sprintf("沿街商铺第%d检查网格", shopN)
		} else {
			firmN++
			name = fmt.Sprintf("企业第%d检查网格", firmN)
		}
		id := fmt.Sprintf("I%02d", i+1)
		t.d.Grids = append(t.d.Grids, domain.Grid{ID: id, Name: name, Level: domain.LevelInspection, Geometry: l.outline(cells)})
		t.inspKinds = append(t.inspKinds, kind)
		t.inspCells = append(t.inspCells, idx)
		for _, bi := range idx {
			for m := range t.bases[bi].micros {
				t.bases[bi].micros[m].inspection = i
			}
		}
	}

	// enforcement grids: four quarters
	enfNames := []string{"城南西执法保障网格", "城南东执法保障网格", "城北西执法保障网格", "城北东执法保障网格"}
	for q := 0; q < 4; q++ {
		x0, y0 := (q%2)*6, (q/2)*4
		var cells []cellID
		for y := y0; y < y0+4; y++ {
			for x := x0; x < x0+6; x++ {
				if bi, ok := cellBase[cellID{x, y}]; ok {
					cells = append(cells, cellID{x, y})
					for m := range t.bases[bi].micros {
						t.bases[bi].micros[m].enforcement = q
					}
				}
			}
		}
		t.d.Grids = append(t.d.Grids, domain.Grid{ID: fmt.Sprintf("F%d", q+1), Name: enfNames[q], Level: domain.LevelEnforcement, Geometry: l.outline(cells)})
	}
}

func (t *town) units() {
	for _, d := range departments {
		t.d.Units = append(t.d.Units, domain.Unit{ID: d.id, Name: d.name, Kind: domain.UnitDepartment, Department: d.key})
	}
	for i := range t.inspKinds {
		id := fmt.Sprintf("T%02d", i+1)
		t.teamOfInsp = append(t.teamOfInsp, id)
		t.d.Units = append(t.d.Units, domain.Unit{ID: id, Name: fmt.Sprintf("第%d检查组", i+1), Kind: domain.UnitTeam,
			GridIDs: []string{fmt.Sprintf("I%02d", i+1)}})
	}
	squads := []string{"城南西执法中队", "城南东执法中队", "城北西执法中队", "城北东执法中队"}
	for q, name := range squads {
		id := fmt.Sprintf("S%d", q+1)
		t.squadOfEnf = append(t.squadOfEnf, id)
		t.d.Units = append(t.d.Units, domain.Unit{ID: id, Name: name, Kind: domain.UnitSquad, Department: "law", ParentID: "D-LAW",
			GridIDs: []string{fmt.Sprintf("F%d", q+1)}})
	}
	for vi, v := range t.villages {
		id := fmt.Sprintf("V%02d", vi+1)
		t.stationOfV = append(t.stationOfV, id)
		var grids []string
		for _, b := range t.bases {
			if b.villageIdx == vi {
				grids = append(grids, b.id)
			}
		}
		t.d.Units = append(t.d.Units, domain.Unit{ID: id, Name: v + "网格工作站", Kind: domain.UnitStation, Department: "station", GridIDs: grids})
	}
}

func (t *town) personName() string {
	return surnames[t.r.IntN(len(surnames))] + givenNames[t.r.IntN(len(givenNames))]
}

func (t *town) users() {
	add := func(id, username, name string, role domain.Role, unit string) {
		t.d.Users = append(t.d.Users, domain.User{ID: id, Username: username, Name: name, Role: role, UnitID: unit})
	}
	add("U-ADMIN", "admin", "系统管理员", domain.RoleAdmin, "")
	for i := 1; i <= 3; i++ {
		add(fmt.Sprintf("U-DUTY%d", i), fmt.Sprintf("duty%d", i), t.personName(), domain.RoleDutyOfficer, "")
	}
	for i, team := range t.teamOfInsp {
		add(fmt.Sprintf("U-LEAD%02d", i+1), fmt.Sprintf("leader%02d", i+1), t.personName(), domain.RoleTeamLeader, team)
	}
	for _, d := range departments {
		add("U-"+d.id, "member-"+d.key, t.personName(), domain.RoleUnitMember, d.id)
	}
	add("U-AUDIT", "auditor", t.personName(), domain.RoleAuditor, "")
	add("U-FIELD", "field-app", "网格通移动端", domain.RoleReporter, "")
	// one grid worker per village station: inspections and rectifications
	// in the station's grids (named without the random stream, which the
	// rest of the town depends on)
	for vi, v := range t.villages {
		add(fmt.Sprintf("U-GW%02d", vi+1), fmt.Sprintf("grid%02d", vi+1), v+"网格员", domain.RoleReporter, t.stationOfV[vi])
	}
	add("U-12345", "hotline", "12345热线接口", domain.RoleReporter, "")
}

// pick returns a random place: from the given inspection grids (kind), or anywhere.
func (t *town) pick(kind string, bias float64) place {
	if kind != "" && t.r.Float64() < bias {
		var candidates []int
		for i, k := range t.inspKinds {
			if k == kind {
				candidates = append(candidates, i)
			}
		}
		ig := candidates[t.r.IntN(len(candidates))]
		cells := t.inspCells[ig]
		b := t.bases[cells[t.r.IntN(len(cells))]]
		return b.micros[t.r.IntN(len(b.micros))]
	}
	b := t.bases[t.r.IntN(len(t.bases))]
	return b.micros[t.r.IntN(len(b.micros))]
}

// spot returns a point inside a place; street-side points hug an edge.
func (t *town) spot(p place, street bool) orb.Point {
	u, v := 0.08+0.84*t.r.Float64(), 0.08+0.84*t.r.Float64()
	if street {
		side := 0.06 + 0.1*t.r.Float64()
		if t.r.IntN(2) == 0 {
			side = 1 - side
		}
		if t.r.IntN(2) == 0 {
			u = side
		} else {
			v = side
		}
	}
	return bilinear(p.quad, u, v)
}

func (t *town) entities() {
	n := 0
	add := func(kind, name string, tags []string, p place, street bool) {
		n++
		pt := t.spot(p, street)
		b := t.bases[p.base]
		e := domain.Entity{
			ID: fmt.Sprintf("E%05d", n), Kind: kind, Name: name, Tags: tags,
			Address: fmt.Sprintf("临浦镇%s%s%d号", b.village, roadNames[t.r.IntN(len(roadNames))], 1+t.r.IntN(300)),
			Lon:     pt[0], Lat: pt[1], GridID: p.microID, Code: domain.CodeGreen,
			QRToken: fmt.Sprintf("%016x", t.r.Uint64()),
		}
		t.d.Entities = append(t.d.Entities, e)
		t.entityPlace[e.ID] = p
	}
	for i := 0; i < 1452; i++ {
		ft := firmTypes[t.r.IntN(len(firmTypes))]
		add(domain.KindEnterprise, "杭州"+firmWords[t.r.IntN(len(firmWords))]+firmWords[t.r.IntN(len(firmWords))]+ft.name, ft.tags, t.pick(domain.KindEnterprise, 0.8), false)
	}
	for i := 0; i < 4408; i++ {
		st := shopTypes[t.r.IntN(len(shopTypes))]
		add(domain.KindShop, shopWords[t.r.IntN(len(shopWords))]+st.name, st.tags, t.pick(domain.KindShop, 0.85), true)
	}
	for i := 0; i < 70; i++ {
		p := t.pick("", 0)
		add(domain.KindRental, fmt.Sprintf("%s%d号出租屋", t.bases[p.base].village, 1+t.r.IntN(200)), []string{"battery"}, p, false)
	}
	for i := 0; i < 30; i++ {
		vt := venueTypes[t.r.IntN(len(venueTypes))]
		add(domain.KindVenue, shopWords[t.r.IntN(len(shopWords))]+vt, []string{"gas"}, t.pick(domain.KindShop, 0.7), true)
	}
}
