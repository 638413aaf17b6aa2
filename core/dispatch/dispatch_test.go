package dispatch_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"griddesk/core/dispatch"
	"griddesk/domain"
	"griddesk/seed"
)

var now = time.Date(2026, 3, 20, 10, 0, 0, 0, time.UTC)

// TestSuggestTown checks known answers on the demo town (seed 1): M0001 is
// the first micro grid of 浦南村1号网格 (B001, village station V01), in
// 沿街商铺第1检查网格 (I01) and 城南西执法保障网格 (F1, squad S1); M0675 is the
// last, in 浦阳社区2号网格 (B092, V34) and 城北东执法保障网格 (F4, S4).
func TestSuggestTown(t *testing.T) {
	d := seed.Town(1, now)
	s := dispatch.New(d.Grids, d.Units)
	centre := func(id string) orb.Point {
		for _, g := range d.Grids {
			if g.ID == id {
				c, _ := planar.CentroidArea(g.Geometry)
				return c
			}
		}
		t.Fatalf("no grid %s", id)
		return orb.Point{}
	}
	tests := []struct {
		name     string
		c        domain.Case
		unit     string
		grid     string
		fallback bool
		policy   string
		reason   string
		alts     []string
	}{
		{
			name: "city appearance goes to the squad of the enforcement grid",
			c:    domain.Case{ID: "c1", Category: "city_appearance", GridID: "M0001"},
			unit: "S1", grid: "F1", policy: "department",
			reason: "城南西执法中队负责该网格（城南西执法保障网格）的市容环境类案件",
			alts:   []string{"D-LAW"},
		},
		{
			name: "garbage goes to the squad, 333",
			c:    domain.Case{ID: "c2", Category: "garbage", GridID: "M0675"},
			unit: "S4", grid: "F4", policy: "333",
			reason: "城北东执法中队负责该网格（城北东执法保障网格）的垃圾清运类案件",
			alts:   []string{"D-LAW"},
		},
		{
			name: "dispute goes to the village station of the base grid, 135",
			c:    domain.Case{ID: "c3", Category: "dispute", GridID: "M0001"},
			unit: "V01", grid: "B001", policy: "135",
			reason: "浦南村网格工作站负责该网格（浦南村1号网格）的矛盾纠纷类案件",
			alts:   []string{"S1"}, // no station department unit; escalation to the squad
		},
		{
			name: "urgent dispute keeps 135",
			c:    domain.Case{ID: "c4", Category: "dispute", GridID: "M0675", Priority: "urgent"},
			unit: "V34", grid: "B092", policy: "135",
			reason: "浦阳社区网格工作站负责该网格（浦阳社区2号网格）的矛盾纠纷类案件",
			alts:   []string{"S4"},
		},
		{
			name: "fire hazard: no fire unit for the grid, the department itself",
			c:    domain.Case{ID: "c5", Category: "fire_hazard", GridID: "B092"},
			unit: "D-FIRE", fallback: true, policy: "333",
			reason: "该网格（浦阳社区2号网格）没有负责消防隐患类案件的下属单位，由主管部门消防救援站直接承办",
			alts:   []string{"S4"},
		},
		{
			name: "work safety, normal priority: department clocks",
			c:    domain.Case{ID: "c6", Category: "work_safety", GridID: "M0001", Priority: "normal"},
			unit: "D-SAFETY", fallback: true, policy: "department",
			reason: "该网格（浦南村1-1微网格）没有负责安全生产类案件的下属单位，由主管部门应急管理办直接承办",
			alts:   []string{"S1"},
		},
		{
			name: "work safety, urgent: upgraded to 333",
			c:    domain.Case{ID: "c7", Category: "work_safety", GridID: "M0001", Priority: "urgent"},
			unit: "D-SAFETY", fallback: true, policy: "333",
			reason: "该网格（浦南村1-1微网格）没有负责安全生产类案件的下属单位，由主管部门应急管理办直接承办",
			alts:   []string{"S1"},
		},
		{
			name: "urgent, not a safety category: no upgrade",
			c:    domain.Case{ID: "c8", Category: "road", GridID: "M0001", Priority: "urgent"},
			unit: "D-BUILD", fallback: true, policy: "department",
			reason: "该网格（浦南村1-1微网格）没有负责道路设施类案件的下属单位，由主管部门住房和城乡建设办直接承办",
			alts:   []string{"S1"},
		},
		{
			name: "no grid: located by the point",
			c:    domain.Case{ID: "c9", Category: "city_appearance", Lon: centre("M0675")[0], Lat: centre("M0675")[1]},
			unit: "S4", grid: "F4", policy: "department",
			reason: "城北东执法中队负责该网格（城北东执法保障网格）的市容环境类案件",
			alts:   []string{"D-LAW"},
		},
		{
			name: "unknown grid: located by the point",
			c:    domain.Case{ID: "c10", Category: "dispute", GridID: "nope", Lon: centre("M0001")[0], Lat: centre("M0001")[1]},
			unit: "V01", grid: "B001", policy: "135",
			reason: "浦南村网格工作站负责该网格（浦南村1号网格）的矛盾纠纷类案件",
			alts:   []string{"S1"},
		},
		{
			name: "case on an inspection grid climbs to its enforcement grid",
			c:    domain.Case{ID: "c11", Category: "city_appearance", GridID: "I01"},
			unit: "S1", grid: "F1", policy: "department",
			reason: "城南西执法中队负责该网格（城南西执法保障网格）的市容环境类案件",
			alts:   []string{"D-LAW"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Suggest(tt.c)
			if err != nil {
				t.Fatal(err)
			}
			if got.UnitID != tt.unit || got.GridID != tt.grid || got.Fallback != tt.fallback || got.Policy != tt.policy {
				t.Errorf("got unit %s grid %q fallback %v policy %s, want %s %q %v %s",
					got.UnitID, got.GridID, got.Fallback, got.Policy, tt.unit, tt.grid, tt.fallback, tt.policy)
			}
			if got.Reason != tt.reason {
				t.Errorf("reason %q, want %q", got.Reason, tt.reason)
			}
			if got.UnitName == "" || got.PolicyReason == "" {
				t.Errorf("unit name %q, policy reason %q: want both", got.UnitName, got.PolicyReason)
			}
			var alts []string
			for _, a := range got.Alternatives {
				alts = append(alts, a.UnitID)
				if a.Reason == "" || a.UnitName == "" {
					t.Errorf("alternative %+v without name or reason", a)
				}
			}
			if !slices.Equal(alts, tt.alts) {
				t.Errorf("alternatives %v, want %v", alts, tt.alts)
			}
		})
	}
}

// TestSuggestTownAgreesWithGenerator: the demo generator assigns every case
// by the same rule from its own tables (squad of the quarter, station of the
// village, else the department); the Suggester must find the same unit from
// geometry and unit records alone.
func TestSuggestTownAgreesWithGenerator(t *testing.T) {
	d := seed.Town(1, now)
	s := dispatch.New(d.Grids, d.Units)
	for _, c := range d.Cases {
		got, err := s.Suggest(c)
		if err != nil {
			t.Fatalf("case %s: %v", c.ID, err)
		}
		if got.UnitID != c.UnitID {
			t.Errorf("case %s (%s in %s): suggested %s, generated %s", c.ID, c.Category, c.GridID, got.UnitID, c.UnitID)
		}
	}
}

func TestSuggestErrors(t *testing.T) {
	d := seed.Town(1, now)
	s := dispatch.New(d.Grids, d.Units)
	tests := []struct {
		name string
		c    domain.Case
		want error
	}{
		{"unknown category", domain.Case{ID: "e1", Category: "alien", GridID: "M0001"}, dispatch.ErrUnknownCategory},
		// outside the town: no station answers and the town has no station department
		{"dispute outside every grid", domain.Case{ID: "e2", Category: "dispute", Lon: 0, Lat: 0}, dispatch.ErrNoUnit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Suggest(tt.c)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
	// outside every grid, a department category still reaches the department
	got, err := s.Suggest(domain.Case{ID: "e3", Category: "fire_hazard"})
	if err != nil || got.UnitID != "D-FIRE" || !got.Fallback {
		t.Fatalf("fire hazard outside the town: %+v, %v; want D-FIRE fallback", got, err)
	}
	if got.Reason != "该网格没有负责消防隐患类案件的下属单位，由主管部门消防救援站直接承办" {
		t.Errorf("reason %q", got.Reason)
	}
}

// TestSuggestHierarchy uses a hand-made town: two base grids side by side,
// a micro grid in the first, one enforcement grid over both.
func TestSuggestHierarchy(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
	}
	grids := []domain.Grid{
		{ID: "B1", Name: "一号网格", Level: domain.LevelBase, Geometry: sq(0, 0, 1, 1)},
		{ID: "B2", Name: "二号网格", Level: domain.LevelBase, Geometry: sq(1, 0, 2, 1)},
		{ID: "m1", Name: "一号微网格", Level: domain.LevelMicro, ParentID: "B1", Geometry: sq(0, 0, 0.5, 0.5)},
		{ID: "m9", Name: "无父微网格", Level: domain.LevelMicro, Geometry: sq(1.5, 0.5, 2, 1)}, // no ParentID: B2 by location
		{ID: "F", Name: "执法网格", Level: domain.LevelEnforcement, Geometry: sq(0, 0, 2, 1)},
	}
	units := []domain.Unit{
		{ID: "D-FIRE", Name: "消防站", Kind: domain.UnitDepartment, Department: "fire"},
		{ID: "D-LAW", Name: "执法队", Kind: domain.UnitDepartment, Department: "law"},
		{ID: "FIRE-B1b", Name: "消防二分队", Kind: domain.UnitTeam, Department: "fire", GridIDs: []string{"B1"}},
		{ID: "FIRE-B1a", Name: "消防一分队", Kind: domain.UnitTeam, Department: "fire", GridIDs: []string{"B1"}},
		{ID: "FIRE-m1", Name: "微网格消防员", Kind: domain.UnitTeam, Department: "fire", GridIDs: []string{"m1"}},
		{ID: "FIRE-B2", Name: "消防三分队", Kind: domain.UnitTeam, Department: "fire", GridIDs: []string{"B2"}},
		{ID: "SQ", Name: "执法中队", Kind: domain.UnitSquad, Department: "law", GridIDs: []string{"F"}},
		{ID: "ST", Name: "工作站", Kind: domain.UnitStation, Department: "station", GridIDs: []string{"B2"}},
	}
	s := dispatch.New(grids, units)
	tests := []struct {
		grid, category string
		unit           string
		alts           []string
	}{
		// the finest grid's own unit first, then the base grid's (smaller ID first), the department, the squad
		{"m1", "fire_hazard", "FIRE-m1", []string{"FIRE-B1a", "FIRE-B1b", "D-FIRE", "SQ"}},
		{"B1", "fire_hazard", "FIRE-B1a", []string{"FIRE-B1b", "D-FIRE", "SQ"}},
		{"m9", "fire_hazard", "FIRE-B2", []string{"D-FIRE", "SQ"}},
		{"m9", "dispute", "ST", []string{"SQ"}},
		{"m1", "garbage", "SQ", []string{"D-LAW"}},
		{"F", "fire_hazard", "D-FIRE", []string{"SQ"}},
	}
	for _, tt := range tests {
		t.Run(tt.grid+"/"+tt.category, func(t *testing.T) {
			got, err := s.Suggest(domain.Case{ID: "h", Category: tt.category, GridID: tt.grid})
			if err != nil {
				t.Fatal(err)
			}
			var alts []string
			for _, a := range got.Alternatives {
				alts = append(alts, a.UnitID)
			}
			if got.UnitID != tt.unit || !slices.Equal(alts, tt.alts) {
				t.Errorf("got %s %v, want %s %v", got.UnitID, alts, tt.unit, tt.alts)
			}
		})
	}
	// m1 has no station, B1 neither: no unit at all for a dispute
	if _, err := s.Suggest(domain.Case{ID: "h2", Category: "dispute", GridID: "m1"}); !errors.Is(err, dispatch.ErrNoUnit) {
		t.Errorf("dispute in m1: err = %v, want ErrNoUnit", err)
	}
}

func TestSuggestCity(t *testing.T) {
	d := seed.City(1, now)
	s := dispatch.New(d.Grids, d.Units)
	got, err := s.Suggest(domain.Case{ID: "k1", Category: "city_appearance", GridID: "B0051"})
	if err != nil || got.UnitID != "S002" || got.GridID != "B0051" {
		t.Fatalf("B0051 city appearance: %+v, %v; want S002 (grids B0051–B0100)", got, err)
	}
	// the city has no village stations and no station department
	if _, err := s.Suggest(domain.Case{ID: "k2", Category: "dispute", GridID: "B0051"}); !errors.Is(err, dispatch.ErrNoUnit) {
		t.Fatalf("dispute in the city: err = %v, want ErrNoUnit", err)
	}
}

func TestIsSafety(t *testing.T) {
	for _, c := range domain.Categories() {
		want := c.Key == "fire_hazard" || c.Key == "gas_safety" || c.Key == "work_safety" || c.Key == "food_safety"
		if dispatch.IsSafety(c.Key) != want {
			t.Errorf("IsSafety(%s) = %v", c.Key, !want)
		}
	}
}

// cityCases are one case per city grid, the categories taken in turn
// (disputes left out: the city has no one for them).
func cityCases(d *seed.Dataset) []domain.Case {
	var cats []string
	for _, c := range domain.TownCategories() {
		if c.Department != "station" {
			cats = append(cats, c.Key)
		}
	}
	out := make([]domain.Case, len(d.Grids))
	for i, g := range d.Grids {
		pri := "normal"
		if i%7 == 0 {
			pri = "urgent"
		}
		out[i] = domain.Case{ID: g.ID, Category: cats[i%len(cats)], GridID: g.ID, Priority: pri}
	}
	return out
}

// BenchmarkSuggestUnitCity: one suggestion on the city (budget 5 ms,
// DESIGN.md §7); the Suggester is built outside the loop.
func BenchmarkSuggestUnitCity(b *testing.B) {
	d := seed.City(1, now)
	s := dispatch.New(d.Grids, d.Units)
	cases := cityCases(d)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := s.Suggest(cases[i%len(cases)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSuggestUnitCityByPoint: the same, the case placed only by its
// location (a hotline call placed on the map).
func BenchmarkSuggestUnitCityByPoint(b *testing.B) {
	d := seed.City(1, now)
	s := dispatch.New(d.Grids, d.Units)
	cases := cityCases(d)
	for i := range cases {
		c, _ := planar.CentroidArea(d.Grids[i].Geometry)
		cases[i].GridID, cases[i].Lon, cases[i].Lat = "", c[0], c[1]
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := s.Suggest(cases[i%len(cases)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkNewCity: building the Suggester for the city (once per data load).
func BenchmarkNewCity(b *testing.B) {
	d := seed.City(1, now)
	b.ReportAllocs()
	for b.Loop() {
		dispatch.New(d.Grids, d.Units)
	}
}
