package stats_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"griddesk/core/stats"
	"griddesk/domain"
)

var cst = time.FixedZone("CST", 8*3600)

func day(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, cst) }

func square(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
}

// world is a hand-made town with known answers. Period: March 2026, as of
// 20 March noon.
//
//	B1 base ─ M1, M2 micro      E1 (M1, red), E2 (M2, green)
//	B2 base ─ M3 micro          E3 (M3, red), E4 (B2 itself, yellow)
//	I1 inspection overlay       lon 120.05–120.15: E2, E3, E5 by location
//	                            E5 (no grid, green)
//
//	E1: N1 02-20 acc  FIRE-01 H1 (rectified)            green→yellow
//	    N2 03-05 acc  FIRE-01 H2 (open, dl 03-12)        yellow→red, repeat FIRE-01
//	                  GAS-01  H3 major (rectified 03-07)
//	    N3 03-15 submitted, clean
//	E2: N4 03-02 acc clean                               yellow→green
//	    N5 03-10 returned FOOD-01 H4 (open, dl 03-30: not due)
//	E3: N6 01-10 acc  GAS-01 H5 major (open, dl 01-13)   yellow→red
//	    N7 03-12 enforcement GAS-01 H6 major (handed over, dl 03-15); FIRE-02 fails (result only)
//	                                                     red→red, repeat GAS-01
//	    N8 03-18 acc  FIRE-02 H7 (rectified 03-19)       red→red, repeat FIRE-02
//	E4: N10 02-01 acc clean                              green→green
//	    N11 03-03 acc FOOD-01 H9 (rectified 03-22, after as-of; dl 03-10)  green→yellow
//	    N9 04-02 acc  FIRE-01 H8 (after the period)
//	E5: N12 03-08 acc clean                              green→green
//	H10: inspection N99 does not exist; N13: entity E99 does not exist.
func world() stats.Input {
	grids := []domain.Grid{
		{ID: "B1", Name: "一号网格", Level: domain.LevelBase, Geometry: square(120, 30, 120.1, 30.1)},
		{ID: "M1", Name: "一号1微网格", Level: domain.LevelMicro, ParentID: "B1", Geometry: square(120, 30, 120.05, 30.1)},
		{ID: "M2", Name: "一号2微网格", Level: domain.LevelMicro, ParentID: "B1", Geometry: square(120.05, 30, 120.1, 30.1)},
		{ID: "B2", Name: "二号网格", Level: domain.LevelBase, Geometry: square(120.1, 30, 120.2, 30.1)},
		{ID: "M3", Name: "二号1微网格", Level: domain.LevelMicro, ParentID: "B2", Geometry: square(120.1, 30, 120.15, 30.1)},
		{ID: "I1", Name: "第1检查网格", Level: domain.LevelInspection, Geometry: square(120.05, 30, 120.15, 30.1)},
	}
	ents := []domain.Entity{
		{ID: "E1", Name: "甲店", Kind: domain.KindShop, GridID: "M1", Lon: 120.02, Lat: 30.05, Code: domain.CodeRed},
		{ID: "E2", Name: "乙店", Kind: domain.KindShop, GridID: "M2", Lon: 120.07, Lat: 30.05, Code: domain.CodeGreen},
		{ID: "E3", Name: "丙厂", Kind: domain.KindEnterprise, GridID: "M3", Lon: 120.12, Lat: 30.05, Code: domain.CodeRed},
		{ID: "E4", Name: "丁厂", Kind: domain.KindEnterprise, GridID: "B2", Lon: 120.18, Lat: 30.05, Code: domain.CodeYellow},
		{ID: "E5", Name: "戊屋", Kind: domain.KindRental, GridID: "", Lon: 120.08, Lat: 30.02, Code: domain.CodeGreen},
	}
	items := []domain.CheckItem{
		{ID: "FIRE-01", Department: "fire", Name: "灭火器有效"},
		{ID: "FIRE-02", Department: "fire", Name: "通道畅通"},
		{ID: "GAS-01", Department: "gas", Name: "燃气报警器"},
		{ID: "FOOD-01", Department: "market", Name: "食品经营许可证"},
		{ID: "SAFE-01", Department: "safety", Name: "安全生产台账"},
	}
	fail := func(ids ...string) []domain.ItemResult {
		var rs []domain.ItemResult
		for _, id := range ids {
			rs = append(rs, domain.ItemResult{ItemID: id, Result: domain.ResultFail})
		}
		return append(rs, domain.ItemResult{ItemID: "SAFE-01", Result: domain.ResultPass})
	}
	in := func(id, ent string, at time.Time, status domain.InspectionStatus, before, after string, res []domain.ItemResult) domain.Inspection {
		return domain.Inspection{ID: id, EntityID: ent, At: at, Status: status, CodeBefore: before, CodeAfter: after, Results: res}
	}
	g, y, r := domain.CodeGreen, domain.CodeYellow, domain.CodeRed
	insps := []domain.Inspection{
		in("N1", "E1", day(2, 20, 10), domain.InspectionAccepted, g, y, fail("FIRE-01")),
		in("N2", "E1", day(3, 5, 10), domain.InspectionAccepted, y, r, fail("FIRE-01", "GAS-01")),
		in("N3", "E1", day(3, 15, 10), domain.InspectionSubmitted, "", "", fail()),
		in("N4", "E2", day(3, 2, 10), domain.InspectionAccepted, y, g, fail()),
		in("N5", "E2", day(3, 10, 10), domain.InspectionReturned, "", "", fail("FOOD-01")),
		in("N6", "E3", day(1, 10, 10), domain.InspectionAccepted, y, r, fail("GAS-01")),
		in("N7", "E3", day(3, 12, 10), domain.InspectionEnforcement, r, r, fail("GAS-01", "FIRE-02")),
		in("N8", "E3", day(3, 18, 10), domain.InspectionAccepted, r, r, fail("FIRE-02")),
		in("N9", "E4", day(4, 2, 10), domain.InspectionAccepted, y, y, fail("FIRE-01")),
		in("N10", "E4", day(2, 1, 10), domain.InspectionAccepted, g, g, fail()),
		in("N11", "E4", day(3, 3, 10), domain.InspectionAccepted, g, y, fail("FOOD-01")),
		in("N12", "E5", day(3, 8, 10), domain.InspectionAccepted, g, g, fail()),
		in("N13", "E99", day(3, 8, 10), domain.InspectionAccepted, g, y, fail("FIRE-01")),
	}
	f := func(id, insp, ent, item string, sev domain.Severity, deadline time.Time, status domain.FindingStatus, rect time.Time) domain.Finding {
		return domain.Finding{ID: id, InspectionID: insp, EntityID: ent, ItemID: item, Severity: sev, Deadline: deadline, Status: status, RectifiedAt: rect}
	}
	var never time.Time
	finds := []domain.Finding{
		f("H1", "N1", "E1", "FIRE-01", domain.SeverityGeneral, day(2, 27, 10), domain.FindingRectified, day(2, 25, 10)),
		f("H2", "N2", "E1", "FIRE-01", domain.SeverityGeneral, day(3, 12, 10), domain.FindingOpen, never),
		f("H3", "N2", "E1", "GAS-01", domain.SeverityMajor, day(3, 8, 10), domain.FindingRectified, day(3, 7, 10)),
		f("H4", "N5", "E2", "FOOD-01", domain.SeverityGeneral, day(3, 30, 10), domain.FindingOpen, never),
		f("H5", "N6", "E3", "GAS-01", domain.SeverityMajor, day(1, 13, 10), domain.FindingOpen, never),
		f("H6", "N7", "E3", "GAS-01", domain.SeverityMajor, day(3, 15, 10), domain.FindingEnforcement, never),
		f("H7", "N8", "E3", "FIRE-02", domain.SeverityGeneral, day(3, 19, 10), domain.FindingRectified, day(3, 19, 10)),
		f("H8", "N9", "E4", "FIRE-01", domain.SeverityGeneral, day(4, 9, 10), domain.FindingOpen, never),
		f("H9", "N11", "E4", "FOOD-01", domain.SeverityGeneral, day(3, 10, 10), domain.FindingRectified, day(3, 22, 10)),
		f("H10", "N99", "E5", "FIRE-01", domain.SeverityGeneral, day(3, 10, 10), domain.FindingOpen, never),
	}
	return stats.Input{
		From: day(3, 1, 0), To: day(4, 1, 0), AsOf: day(3, 20, 12),
		Grids: grids, Entities: ents, Inspections: insps, Findings: finds, Items: items,
		Departments: map[string]string{"fire": "消防救援站", "gas": "燃气安全办公室", "market": "市场监督管理所"},
	}
}

func TestComputeTown(t *testing.T) {
	r := stats.Compute(world())
	type figures struct {
		Entities, Inspections, Reviewed, Pending, Returned, Covered int
		Hazards, General, Major, Due, Rectified, HandedOver         int
		Overdue, Open, RepeatOffences, Upgrades, Downgrades         int
	}
	got := figures{r.Entities, r.Inspections, r.Reviewed, r.Pending, r.Returned, r.Covered,
		r.Hazards, r.General, r.Major, r.Due, r.Rectified, r.HandedOver,
		r.Overdue, r.Open, r.RepeatOffences, r.Upgrades, r.Downgrades}
	want := figures{Entities: 5, Inspections: 8, Reviewed: 6, Pending: 1, Returned: 1, Covered: 5,
		Hazards: 6, General: 4, Major: 2, Due: 5, Rectified: 2, HandedOver: 1,
		Overdue: 3, Open: 4, RepeatOffences: 3, Upgrades: 1, Downgrades: 2}
	if got != want {
		t.Errorf("figures\n got %+v\nwant %+v", got, want)
	}
	if r.GridName != stats.TownName {
		t.Errorf("grid name %q", r.GridName)
	}
	if r.RectificationRate != (stats.Ratio{Num: 2, Den: 5}) || r.RectificationRate.String() != "40.0%" {
		t.Errorf("rectification rate %+v %s, want 2/5", r.RectificationRate, r.RectificationRate)
	}
	if r.RectifiedShare != (stats.Ratio{Num: 2, Den: 6}) || r.Coverage != (stats.Ratio{Num: 5, Den: 5}) {
		t.Errorf("share %+v coverage %+v", r.RectifiedShare, r.Coverage)
	}
	if want := map[string]int{"green": 2, "yellow": 1, "red": 2}; !reflect.DeepEqual(r.Codes, want) {
		t.Errorf("codes %v, want %v", r.Codes, want)
	}
	// [before][after] in green, yellow, red order
	if want := [3][3]int{{1, 1, 0}, {1, 0, 1}, {0, 0, 2}}; r.Transitions != want {
		t.Errorf("transitions %v, want %v", r.Transitions, want)
	}
	wantChanges := []stats.Change{
		{From: "green", To: "yellow", N: 1}, {From: "green", To: "red", N: 0},
		{From: "yellow", To: "green", N: 1}, {From: "yellow", To: "red", N: 1},
		{From: "red", To: "green", N: 0}, {From: "red", To: "yellow", N: 0},
	}
	if !reflect.DeepEqual(r.Changes, wantChanges) {
		t.Errorf("changes %+v", r.Changes)
	}
	if r.Changes[2].Name() != "黄码→绿码" {
		t.Errorf("change name %q", r.Changes[2].Name())
	}
	wantDepts := []stats.Department{
		{Key: "fire", Name: "消防救援站", Hazards: 2, General: 2, Due: 2, Rectified: 1, Overdue: 1, Rate: stats.Ratio{Num: 1, Den: 2}},
		{Key: "gas", Name: "燃气安全办公室", Hazards: 2, Major: 2, Due: 2, Rectified: 1, Rate: stats.Ratio{Num: 1, Den: 2}},
		{Key: "market", Name: "市场监督管理所", Hazards: 2, General: 2, Due: 1, Overdue: 1, Rate: stats.Ratio{Num: 0, Den: 1}},
		{Key: "safety", Name: "safety"},
	}
	if !reflect.DeepEqual(r.Departments, wantDepts) {
		t.Errorf("departments\n got %+v\nwant %+v", r.Departments, wantDepts)
	}
	wantOff := []stats.Offender{
		{EntityID: "E3", Name: "丙厂", GridID: "M3", GridName: "二号1微网格", Items: []string{"FIRE-02", "GAS-01"},
			ItemNames: []string{"通道畅通", "燃气报警器"}, Inspections: 2, Last: day(3, 18, 10)},
		{EntityID: "E1", Name: "甲店", GridID: "M1", GridName: "一号1微网格", Items: []string{"FIRE-01"},
			ItemNames: []string{"灭火器有效"}, Inspections: 1, Last: day(3, 5, 10)},
	}
	if !reflect.DeepEqual(r.RepeatOffenders, wantOff) {
		t.Errorf("offenders\n got %+v\nwant %+v", r.RepeatOffenders, wantOff)
	}
}

func TestComputeGrids(t *testing.T) {
	tests := []struct {
		grid, name                                    string
		entities, inspections, covered, hazards       int
		due, rectified, overdue, open, offenders, red int
	}{
		// B1: E1, E2 (E5 has no grid; only overlay grids find entities by location)
		{"B1", "一号网格", 2, 4, 2, 3, 2, 1, 1, 2, 1, 1},
		// B2 and its micro grid M3: E3, E4
		{"B2", "二号网格", 2, 3, 2, 3, 3, 1, 2, 2, 1, 1},
		{"M3", "二号1微网格", 1, 2, 1, 2, 2, 1, 1, 1, 1, 1},
		// I1 by location: E2, E3, E5
		{"I1", "第1检查网格", 3, 5, 3, 3, 2, 1, 1, 2, 1, 1},
		{"NOPE", "NOPE", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.grid, func(t *testing.T) {
			in := world()
			in.GridID = tt.grid
			r := stats.Compute(in)
			got := []int{r.Entities, r.Inspections, r.Covered, r.Hazards, r.Due, r.Rectified, r.Overdue, r.Open, len(r.RepeatOffenders), r.Codes["red"]}
			want := []int{tt.entities, tt.inspections, tt.covered, tt.hazards, tt.due, tt.rectified, tt.overdue, tt.open, tt.offenders, tt.red}
			if !reflect.DeepEqual(got, want) || r.GridName != tt.name {
				t.Errorf("%s (%s): got %v, want %v", tt.grid, r.GridName, got, want)
			}
			consistent(t, r)
		})
	}
}

// TestAsOfDefaultsToEnd: with no AsOf the report looks from the end of the
// period: H9 (rectified 03-22) now counts as rectified, H4 (deadline 03-30)
// is due and overdue.
func TestAsOfDefaultsToEnd(t *testing.T) {
	in := world()
	in.AsOf = time.Time{}
	r := stats.Compute(in)
	if !r.AsOf.Equal(in.To) {
		t.Errorf("as of %v, want %v", r.AsOf, in.To)
	}
	if r.Due != 6 || r.Rectified != 3 || r.Overdue != 3 || r.Open != 3 {
		t.Errorf("due %d rectified %d overdue %d open %d, want 6 3 3 3", r.Due, r.Rectified, r.Overdue, r.Open)
	}
}

func TestEmpty(t *testing.T) {
	r := stats.Compute(stats.Input{From: day(3, 1, 0), To: day(4, 1, 0)})
	if r.RectificationRate.Valid() || r.RectificationRate.String() != "—" || r.Coverage.Valid() {
		t.Errorf("empty rates %+v %+v", r.RectificationRate, r.Coverage)
	}
	if len(r.Changes) != 6 || r.Departments != nil || r.RepeatOffenders != nil {
		t.Errorf("empty report %+v", r)
	}
}

func TestDepartmentNames(t *testing.T) {
	got := stats.DepartmentNames([]domain.Unit{
		{ID: "D-FIRE", Name: "消防救援站", Kind: domain.UnitDepartment, Department: "fire"},
		{ID: "T01", Name: "第1检查组", Kind: domain.UnitTeam},
		{ID: "S1", Name: "执法中队", Kind: domain.UnitSquad, Department: "law"},
	})
	if want := map[string]string{"fire": "消防救援站"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v", got)
	}
}

// consistent checks the relations every report must satisfy.
func consistent(t *testing.T, r stats.Report) {
	t.Helper()
	check := func(ok bool, what string, args ...any) {
		t.Helper()
		if !ok {
			t.Errorf(what, args...)
		}
	}
	check(r.Reviewed+r.Pending+r.Returned == r.Inspections, "reviewed+pending+returned %d+%d+%d != inspections %d", r.Reviewed, r.Pending, r.Returned, r.Inspections)
	check(r.Covered <= r.Entities && r.Covered <= r.Inspections, "covered %d, entities %d, inspections %d", r.Covered, r.Entities, r.Inspections)
	check(r.General+r.Major == r.Hazards, "general+major %d+%d != hazards %d", r.General, r.Major, r.Hazards)
	check(r.Rectified <= r.Due && r.Due <= r.Hazards, "rectified %d <= due %d <= hazards %d", r.Rectified, r.Due, r.Hazards)
	check(r.HandedOver <= r.Hazards-r.Rectified, "handed over %d", r.HandedOver)
	check(r.Overdue <= r.Open, "overdue %d > open %d", r.Overdue, r.Open)
	for _, rt := range []stats.Ratio{r.RectificationRate, r.RectifiedShare, r.Coverage} {
		check(!rt.Valid() || (rt.Value() >= 0 && rt.Value() <= 1), "rate %+v out of [0,1]", rt)
	}
	codes := 0
	for _, n := range r.Codes {
		codes += n
	}
	check(codes == r.Entities, "codes %v sum to %d, entities %d", r.Codes, codes, r.Entities)
	trans := 0
	for b := range 3 {
		for a := range 3 {
			trans += r.Transitions[b][a]
		}
	}
	check(trans <= r.Reviewed, "transitions %d > reviewed %d", trans, r.Reviewed)
	changes := 0
	for _, c := range r.Changes {
		changes += c.N
	}
	check(changes == r.Upgrades+r.Downgrades, "changes %d != up %d + down %d", changes, r.Upgrades, r.Downgrades)
	var dh, dg, dm, dd, dr int
	for _, d := range r.Departments {
		dh, dg, dm, dd, dr = dh+d.Hazards, dg+d.General, dm+d.Major, dd+d.Due, dr+d.Rectified
		check(d.Rectified <= d.Due && d.Due <= d.Hazards && d.General+d.Major == d.Hazards, "department %+v", d)
	}
	check(dh == r.Hazards && dg == r.General && dm == r.Major && dd == r.Due && dr == r.Rectified,
		"departments sum to %d/%d/%d/%d/%d, report %d/%d/%d/%d/%d", dh, dg, dm, dd, dr, r.Hazards, r.General, r.Major, r.Due, r.Rectified)
	offences := 0
	for _, o := range r.RepeatOffenders {
		offences += len(o.Items)
		check(o.Inspections > 0 && len(o.Items) == len(o.ItemNames), "offender %+v", o)
	}
	check(offences <= r.RepeatOffences, "offender items %d > offences %d", offences, r.RepeatOffences)
}
