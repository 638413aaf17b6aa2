package seed

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain"
)

// The city's lattice: 58 × 54 cells of 890 m, the first 3,106 of them grids.
const cityCols, cityRows, cityCell = 58, 54, 890.0

// cityGrids lays the city's base grids on its lattice. The towns are
// blocks of it, 11 across and 3 down (about 94 grids each).
func cityGrids(r *rand.Rand) ([]domain.Grid, [][4]orb.Point) {
	l := newLattice(r, newFrame(CityCenter), cityCols, cityRows, cityCell)
	var grids []domain.Grid
	var quads [][4]orb.Point
	for y := 0; y < cityRows; y++ {
		for x := 0; x < cityCols; x++ {
			if len(quads) == CityGrids {
				break
			}
			q := l.quad(x, y)
			town := cityTowns[(y*3/cityRows)*11+x*11/cityCols]
			quads = append(quads, q)
			grids = append(grids, domain.Grid{ID: fmt.Sprintf("B%04d", len(quads)), Name: fmt.Sprintf("%s第%d网格", town.name, len(quads)),
				Level: domain.LevelBase, Village: town.name, Town: town.code, Geometry: quadPolygon(q)})
		}
	}
	return grids, quads
}

// cityTowns are Dongguan's 33 towns and streets 镇街.
var cityTowns = []struct{ code, name string }{
	{"DG01", "莞城街道"}, {"DG02", "南城街道"}, {"DG03", "东城街道"}, {"DG04", "万江街道"}, {"DG05", "石碣镇"}, {"DG06", "石龙镇"},
	{"DG07", "茶山镇"}, {"DG08", "石排镇"}, {"DG09", "企石镇"}, {"DG10", "横沥镇"}, {"DG11", "桥头镇"}, {"DG12", "谢岗镇"},
	{"DG13", "东坑镇"}, {"DG14", "常平镇"}, {"DG15", "寮步镇"}, {"DG16", "樟木头镇"}, {"DG17", "大朗镇"}, {"DG18", "黄江镇"},
	{"DG19", "清溪镇"}, {"DG20", "塘厦镇"}, {"DG21", "凤岗镇"}, {"DG22", "大岭山镇"}, {"DG23", "长安镇"}, {"DG24", "虎门镇"},
	{"DG25", "厚街镇"}, {"DG26", "沙田镇"}, {"DG27", "道滘镇"}, {"DG28", "洪梅镇"}, {"DG29", "麻涌镇"}, {"DG30", "望牛墩镇"},
	{"DG31", "中堂镇"}, {"DG32", "高埗镇"}, {"DG33", "松山湖"},
}

// CityCenter is the benchmark city's centre, near Dongguan (23.02°N 113.75°E).
var CityCenter = orb.Point{113.75, 23.02}

// City sizes (Dongguan, DESIGN.md §2).
const (
	CityGrids    = 3106
	CityEntities = 100000
)

// City generates the benchmark city's map: 3,106 base grids over ~2,460
// km² in 33 towns, and 100,000 entities, the town's departments and a squad
// for every 50 grids. It has no history: it exists to load the map, the
// sync and the dispatcher in memory. BuildCity (cityhistory.go) fills a
// server with the whole city.
func City(seed uint64, now time.Time) *Dataset {
	r := rand.New(rand.NewPCG(seed, 0x51ed270b27bd5c63))
	d := &Dataset{CheckItems: Catalog()}
	var quads [][4]orb.Point
	d.Grids, quads = cityGrids(r)
	ids := make([]string, len(d.Grids))
	for i, g := range d.Grids {
		ids[i] = g.ID
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
