package seed

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain"
)

// CityCenter is the benchmark city's centre, near Dongguan (23.02°N 113.75°E).
var CityCenter = orb.Point{113.75, 23.02}

// City sizes (Dongguan, DESIGN.md §2).
const (
	CityGrids    = 3106
	CityEntities = 100000
)

// City generates the benchmark city: 3,106 base grids over ~2,460 km² and
// 100,000 entities, the town's departments and a squad for every 50 grids.
// It has no history: it exists to load the map, the sync and the dispatcher.
func City(seed uint64, now time.Time) *Dataset {
	r := rand.New(rand.NewPCG(seed, 0x51ed270b27bd5c63))
	d := &Dataset{CheckItems: Catalog()}
	const cols, rows, cell = 58, 54, 890.0
	l := newLattice(r, newFrame(CityCenter), cols, rows, cell)
	var quads [][4]orb.Point
	var ids []string
	for y := 0; y < rows; y++ {
		for x := 0; x < cols; x++ {
			if len(quads) == CityGrids {
				break
			}
			q := l.quad(x, y)
			id := fmt.Sprintf("B%04d", len(quads)+1)
			quads, ids = append(quads, q), append(ids, id)
			d.Grids = append(d.Grids, domain.Grid{ID: id, Name: fmt.Sprintf("第%d网格", len(quads)), Level: domain.LevelBase, Geometry: quadPolygon(q)})
		}
	}
	for _, dep := range departments {
		d.Units = append(d.Units, domain.Unit{ID: dep.id, Name: dep.name, Kind: domain.UnitDepartment, Department: dep.key})
	}
	for s := 0; s*50 < len(ids); s++ {
		end := min((s+1)*50, len(ids))
		d.Units = append(d.Units, domain.Unit{ID: fmt.Sprintf("S%03d", s+1), Name: fmt.Sprintf("第%d执法中队", s+1), Kind: domain.UnitSquad,
			Department: "law", ParentID: "D-LAW", GridIDs: append([]string(nil), ids[s*50:end]...)})
	}
	d.Users = []domain.User{{ID: "U-ADMIN", Username: "admin", Name: "系统管理员", Role: domain.RoleAdmin}}
	kinds := []struct {
		kind string
		p    float64
	}{{domain.KindShop, 0.60}, {domain.KindEnterprise, 0.25}, {domain.KindRental, 0.12}, {domain.KindVenue, 0.03}}
	for i := 0; i < CityEntities; i++ {
		gi := r.IntN(len(quads))
		pt := bilinear(quads[gi], 0.05+0.9*r.Float64(), 0.05+0.9*r.Float64())
		x, kind := r.Float64(), domain.KindVenue
		for _, k := range kinds {
			if x < k.p {
				kind = k.kind
				break
			}
			x -= k.p
		}
		code := domain.CodeGreen
		switch c := r.Float64(); {
		case c < 0.08:
			code = domain.CodeRed
		case c < 0.28:
			code = domain.CodeYellow
		}
		d.Entities = append(d.Entities, domain.Entity{ID: fmt.Sprintf("E%06d", i+1), Kind: kind,
			Name: fmt.Sprintf("%s%d", map[string]string{domain.KindShop: "商铺", domain.KindEnterprise: "企业", domain.KindRental: "出租屋", domain.KindVenue: "场所"}[kind], i+1),
			Lon:  pt[0], Lat: pt[1], GridID: ids[gi], Code: code, QRToken: fmt.Sprintf("%016x", r.Uint64())})
	}
	return d
}
