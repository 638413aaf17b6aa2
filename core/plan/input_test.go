package plan

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain"
)

func TestGenerateRejectsBadInput(t *testing.T) {
	good := func() Input {
		return quarter([]domain.CheckItem{item("CITY", "law", 30, false)}, entity("E1", domain.KindShop, domain.CodeGreen, 100, 100))
	}
	tests := []struct {
		name   string
		change func(*Input)
		want   string
	}{
		{"period end before start", func(in *Input) { in.End = date(2026, 3, 1) }, "ends 2026-03-01 before it starts 2026-04-01"},
		{"no period", func(in *Input) { in.Start = time.Time{} }, "start and end are required"},
		{"period over a year", func(in *Input) { in.End = date(2027, 6, 30) }, "longer than a year"},
		{"no teams", func(in *Input) { in.Teams = nil }, "no teams"},
		{"team without base", func(in *Input) { in.Teams[0].Base = orb.Point{} }, "team T1 has no base"},
		{"team without id", func(in *Input) { in.Teams[0].ID = "" }, "team 0 has no id"},
		{"duplicate team", func(in *Input) { in.Teams = append(in.Teams, in.Teams[0]) }, "team T1 appears twice"},
		{"team base off the globe", func(in *Input) { in.Teams[0].Base = orb.Point{200, 30} }, "team T1 base"},
		{"team negative minutes", func(in *Input) { in.Teams[0].DailyMinutes = -1 }, "team T1: daily minutes"},
		{"team grid unknown", func(in *Input) {
			in.Grids = []domain.Grid{{ID: "G1", Level: domain.LevelInspection}}
			in.Teams[0].GridIDs = []string{"G9"}
		}, "grid G9 is not in the input grids"},
		{"item frequency zero", func(in *Input) { in.Catalog[0].FrequencyDays = 0 }, "item CITY: frequency 0 days must be positive"},
		{"item frequency negative", func(in *Input) { in.Catalog[0].FrequencyDays = -30 }, "frequency -30 days"},
		{"item without department", func(in *Input) { in.Catalog[0].Department = "" }, "item CITY has no department"},
		{"item negative minutes", func(in *Input) { in.Catalog[0].Minutes = -1 }, "item CITY: minutes -1"},
		{"duplicate item", func(in *Input) { in.Catalog = append(in.Catalog, in.Catalog[0]) }, "item CITY appears twice"},
		{"duplicate entity", func(in *Input) { in.Entities = append(in.Entities, in.Entities[0]) }, "entity E1 appears twice"},
		{"entity off the globe", func(in *Input) { in.Entities[0].Lat = 95 }, "entity E1"},
		{"bad key-domain mode", func(in *Input) { in.Options.KeyDomain = "some" }, "key-domain mode"},
		{"bad daily minutes", func(in *Input) { in.Options.DailyMinutes = 2000 }, "daily minutes 2000"},
		{"bad speed", func(in *Input) { in.Options.SpeedKmh = -5 }, "speed -5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good()
			tt.change(&in)
			_, err := Generate(in)
			if err == nil {
				t.Fatalf("no error, want one containing %q", tt.want)
			}
			if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want ErrInput containing %q", err, tt.want)
			}
		})
	}
	if _, err := Generate(good()); err != nil {
		t.Fatalf("good input: %v", err)
	}
}

func TestTeamsCoverByGridAndBaseAtCentroid(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64) orb.MultiPolygon {
		a0, b0 := near(x0, y0)
		a1, b1 := near(x1, y1)
		return orb.MultiPolygon{{{{a0, b0}, {a1, b0}, {a1, b1}, {a0, b1}, {a0, b0}}}}
	}
	grids := []domain.Grid{
		{ID: "I1", Level: domain.LevelInspection, Geometry: sq(0, 0, 1000, 1000)},
		{ID: "I2", Level: domain.LevelInspection, Geometry: sq(1000, 0, 2000, 1000)},
		{ID: "B1", Level: domain.LevelBase, Geometry: sq(3000, 0, 4000, 1000)},
		{ID: "M1", Level: domain.LevelMicro, ParentID: "B1", Geometry: sq(3000, 0, 3500, 500)},
	}
	units := []domain.Unit{
		{ID: "D1", Kind: domain.UnitDepartment},
		{ID: "T1", Name: "一组", Kind: domain.UnitTeam, GridIDs: []string{"I1"}},
		{ID: "T2", Name: "二组", Kind: domain.UnitTeam, GridIDs: []string{"I2", "B1"}},
	}
	ents := []domain.Entity{
		entity("E1", domain.KindShop, domain.CodeGreen, 500, 500),   // inside I1
		entity("E2", domain.KindShop, domain.CodeGreen, 1500, 500),  // inside I2
		entity("E3", domain.KindShop, domain.CodeGreen, 9000, 9000), // micro M1 of base B1, by its grid id
		entity("E4", domain.KindShop, domain.CodeGreen, 9000, 9500), // nowhere
	}
	ents[2].GridID = "M1"
	in := Input{Start: date(2026, 4, 1), End: date(2026, 6, 30), Teams: TeamsFromUnits(units), Grids: grids,
		Entities: ents, Catalog: []domain.CheckItem{item("CITY", "law", 30, false)}}
	p := mustGenerate(t, in)
	if len(p.Teams) != 2 || p.Teams[0].Entities != 1 || p.Teams[1].Entities != 2 {
		t.Fatalf("teams %+v, want T1 with 1 entity and T2 with 2", p.Teams)
	}
	lon, lat := near(500, 500)
	if b := p.Teams[0].Base; abs(b[0]-lon) > 1e-6 || abs(b[1]-lat) > 1e-6 {
		t.Errorf("T1 base %v, want the centre of I1 %v", b, orb.Point{lon, lat})
	}
	var noTeam []string
	for _, o := range p.Overflow {
		if o.Reason == ReasonNoTeam {
			noTeam = append(noTeam, o.EntityID)
		}
	}
	if len(noTeam) != 1 || noTeam[0] != "E4" {
		t.Errorf("entities without a team %v, want [E4]", noTeam)
	}
	if err := p.Verify(); err != nil {
		t.Error(err)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestLastFromInspections(t *testing.T) {
	ins := []domain.Inspection{
		{EntityID: "E1", At: date(2026, 1, 5), Results: []domain.ItemResult{{ItemID: "A", Result: domain.ResultPass}, {ItemID: "B", Result: domain.ResultFail}}},
		{EntityID: "E1", At: date(2026, 3, 5), Results: []domain.ItemResult{{ItemID: "A", Result: domain.ResultPass}}},
		{EntityID: "E1", At: date(2026, 2, 5), Results: []domain.ItemResult{{ItemID: "A", Result: domain.ResultNA}}},
	}
	last := LastFromInspections(ins)
	for _, tt := range []struct {
		ent, item string
		want      time.Time
		ok        bool
	}{
		{"E1", "A", date(2026, 3, 5), true},
		{"E1", "B", date(2026, 1, 5), true},
		{"E1", "C", time.Time{}, false},
		{"E2", "A", time.Time{}, false},
	} {
		got, ok := last(tt.ent, tt.item)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("last(%s, %s) = %v, %v; want %v, %v", tt.ent, tt.item, got, ok, tt.want, tt.ok)
		}
	}
}
