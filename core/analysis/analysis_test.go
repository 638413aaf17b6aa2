package analysis_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"griddesk/core/analysis"
	"griddesk/domain"
	"griddesk/domain/clock"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, clock.Location())
	if err != nil {
		panic(err)
	}
	return t
}

// dispatched is a case dispatched to unit at t (135: overdue 5 days after
// registration).
func dispatched(id, unit, grid, cat, addr string, t time.Time) (domain.Case, []domain.Action) {
	c := domain.Case{ID: id, No: id, UnitID: unit, GridID: grid, Category: cat, Address: addr, Policy: "135", Source: domain.SourceHotline,
		Status: domain.StatusDispatched, ReportedAt: t, Lon: 120.25, Lat: 30.06}
	return c, []domain.Action{
		{ID: id + "-1", CaseID: id, Action: "report", ToStatus: domain.StatusReported, At: t},
		{ID: id + "-2", CaseID: id, Action: "register", FromStatus: domain.StatusReported, ToStatus: domain.StatusRegistered, At: t.Add(time.Minute)},
		{ID: id + "-3", CaseID: id, Action: "dispatch", FromStatus: domain.StatusRegistered, ToStatus: domain.StatusDispatched, At: t.Add(2 * time.Minute)},
	}
}

// Hotspots by grid and hour, top addresses, repeats, 小类 trends and the
// units whose overdue cases rise, from a hand-built month.
func TestCompute(t *testing.T) {
	var cases []domain.Case
	tl := map[string][]domain.Action{}
	add := func(c domain.Case, a []domain.Action) { cases = append(cases, c); tl[c.ID] = a }
	// March 2026 (Mondays: 2, 9, 16, 23, 30)
	add(dispatched("g1", "U-A", "G1", "garbage", "峙山路18号", at("2026-03-02 09:10")))
	add(dispatched("g2", "U-A", "G1", "garbage", "峙山路18号", at("2026-03-09 09:40")))
	add(dispatched("g3", "U-A", "G1", "garbage", "峙山路 18号", at("2026-03-16 21:05")))
	add(dispatched("n1", "U-B", "G2", "noise", "浦阳路2号", at("2026-03-17 22:30")))
	add(dispatched("n2", "U-B", "G2", "noise", "浦阳路3号", at("2026-03-23 23:10")))
	add(dispatched("n3", "U-B", "G2", "noise", "浦阳路4号", at("2026-03-24 23:50")))
	add(dispatched("n4", "U-B", "G2", "noise", "浦阳路5号", at("2026-03-25 22:15")))
	rej, _ := dispatched("r1", "U-B", "G2", "noise", "x", at("2026-03-25 10:00"))
	rej.Status = domain.StatusRejected
	add(rej, nil)
	r := analysis.Compute(analysis.Input{Cases: cases, Timelines: tl, Categories: domain.Categories(),
		Names: domain.Names{Grids: map[string]string{"G1": "一号网格", "G2": "二号网格"}, Units: map[string]string{"U-A": "中队", "U-B": "工作站"}},
		Rule:  domain.DefaultDuplicateRule(), From: at("2026-03-01 00:00"), To: at("2026-03-30 00:00"), Weeks: 4})

	checks := []struct {
		name      string
		got, want any
	}{
		{"total", r.Total, 7},
		{"hotspot", r.Hotspots[0].Name + fmt.Sprint(r.Hotspots[0].Total), "二号网格4"},
		{"G2 at 22h", r.Hotspots[0].Hours[22], 2},
		{"G1 at 9h", r.Hotspots[1].Hours[9], 2},
		{"by hour 23", r.ByHour[23], 2},
		{"top address", r.Addresses[0].Address + fmt.Sprint(r.Addresses[0].Count), "峙山路18号3"},
		{"repeats", len(r.Repeats), 1},
		{"weeks", r.Weeks[0].Format("01-02") + " " + r.Weeks[3].Format("01-02"), "03-02 03-23"},
		{"noise trend", fmt.Sprint(r.Trends[0].Category.Key, " ", r.Trends[0].Weeks, " ", r.Trends[0].Change), "noise [0 0 1 3] 2"},
		{"garbage trend", fmt.Sprint(r.Trends[1].Category.Key, " ", r.Trends[1].Weeks), "garbage [1 1 1 0]"},
		{"sources", r.Sources[domain.SourceHotline], 7},
		{"events", r.Classes[domain.ClassEvent], 7},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	// overdue by the week they went overdue: first the catalogue's limit
	// (garbage 4, noise 2 working hours from dispatch) — U-A's 2, 9 and 17
	// March; U-B's 18, 24, 25 and 26 March: rising
	if len(r.Overdue) != 2 || r.Overdue[0].UnitID != "U-B" || !r.Overdue[0].Rising || fmt.Sprint(r.Overdue[0].Weeks) != "[0 0 1 3]" {
		t.Errorf("overdue: %+v", r.Overdue)
	}
	if len(r.Overdue) == 2 && (r.Overdue[1].Rising || fmt.Sprint(r.Overdue[1].Weeks) != "[1 1 1 0]") {
		t.Errorf("U-A: %+v", r.Overdue[1])
	}

	// micro grids count in their base grid
	base := analysis.Compute(analysis.Input{Cases: cases, Timelines: tl, Categories: domain.Categories(), Parents: map[string]string{"G1": "B", "G2": "B"},
		Rule: domain.DefaultDuplicateRule(), From: at("2026-03-01 00:00"), To: at("2026-03-30 00:00"), Weeks: 4})
	if len(base.Hotspots) != 1 || base.Hotspots[0].GridID != "B" || base.Hotspots[0].Total != 7 {
		t.Errorf("by base grid: %+v", base.Hotspots)
	}

	var b bytes.Buffer
	if err := analysis.WriteXLSX(&b, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if fmt.Sprint(f.GetSheetList()) != fmt.Sprint(analysis.Sheets) {
		t.Errorf("sheets %v", f.GetSheetList())
	}
	rows, _ := f.GetRows("热点网格")
	if len(rows) != 4 || rows[1][1] != "二号网格" || rows[3][1] != "合计" || rows[3][26] != "7" {
		t.Errorf("heat sheet %q", rows)
	}
}
