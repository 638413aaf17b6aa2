package bulletin_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"griddesk/core/bulletin"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/workflow"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, clock.Location())
	if err != nil {
		panic(err)
	}
	return t
}

// kase builds a case and its timeline from "time action" steps, each state
// from the workflow.
func kase(id, unit, category, source, address string, steps ...string) (domain.Case, []domain.Action) {
	c := domain.Case{ID: id, No: "2026-" + id, UnitID: unit, Category: category, Source: source, Address: address, Policy: "135", Lon: 120.25, Lat: 30.06}
	var acts []domain.Action
	state := domain.CaseStatus("")
	for i, s := range steps {
		when, action := at(s[:16]), s[17:]
		to := domain.StatusReported
		if action != "report" {
			var err error
			if to, err = workflow.Next(state, action, ""); err != nil {
				panic(fmt.Sprint(id, err))
			}
		}
		acts = append(acts, domain.Action{ID: fmt.Sprintf("%s-%d", id, i), CaseID: id, Action: action, FromStatus: state, ToStatus: to, At: when})
		state = to
	}
	c.ReportedAt, c.Status = acts[0].At, state
	return c, acts
}

// A hand-built March: the intake split 部件/事件 and by source, the month
// before, closures, the top categories, the repeat addresses, the units
// ranked and the one below the 90% floor named.
func TestMarch(t *testing.T) {
	var cases []domain.Case
	tl := map[string][]domain.Action{}
	add := func(c domain.Case, a []domain.Action) { cases = append(cases, c); tl[c.ID] = a }
	// U-A closes its two disputes on time (135: 5 days)
	add(kase("a1", "U-A", "garbage", "hotline", "峙山路18号", "2026-03-02 09:00 report", "2026-03-02 09:10 register", "2026-03-02 09:20 dispatch",
		"2026-03-02 10:00 accept", "2026-03-02 11:00 arrive", "2026-03-02 12:00 handle", "2026-03-02 13:00 close"))
	add(kase("a2", "U-A", "garbage", "grid_worker", "峙山路 18 号", "2026-03-10 09:00 report", "2026-03-10 09:10 register", "2026-03-10 09:20 dispatch",
		"2026-03-10 10:00 accept", "2026-03-10 11:00 arrive", "2026-03-10 12:00 handle", "2026-03-10 13:00 close"))
	// U-B: one on time, one closed late (day 8): 50% on time, below the floor
	add(kase("b1", "U-B", "road", "sensor", "浦阳路2号", "2026-03-03 09:00 report", "2026-03-03 09:10 register", "2026-03-03 09:20 dispatch",
		"2026-03-03 10:00 accept", "2026-03-03 11:00 arrive", "2026-03-03 12:00 handle", "2026-03-03 13:00 close"))
	add(kase("b2", "U-B", "road", "hotline", "临江路9号", "2026-03-04 09:00 report", "2026-03-04 09:10 register", "2026-03-04 09:20 dispatch",
		"2026-03-05 10:00 accept", "2026-03-05 11:00 arrive", "2026-03-11 12:00 handle", "2026-03-12 13:00 close"))
	// a repeat call merged into a2; a rejected one; a February one (the month before)
	add(kase("m1", "", "garbage", "hotline", "峙山路18号", "2026-03-10 10:00 report", "2026-03-10 10:05 merge"))
	add(kase("r1", "", "noise", "hotline", "", "2026-03-11 10:00 report", "2026-03-11 10:05 reject"))
	add(kase("f1", "U-A", "garbage", "grid_worker", "x", "2026-02-20 09:00 report"))
	add(kase("f2", "U-A", "noise", "grid_worker", "y", "2026-02-21 09:00 report"))
	units := []domain.Unit{{ID: "U-A", Name: "城南执法中队", Kind: domain.UnitSquad}, {ID: "U-B", Name: "住建办", Kind: domain.UnitDepartment}}
	f := bulletin.Compute(bulletin.Input{Month: at("2026-03-15 12:00"), Cases: cases, Timelines: tl, Units: units,
		Categories: domain.Categories(), Rules: domain.RulesWith(nil), Town: "临浦镇"})

	checks := []struct {
		name      string
		got, want any
	}{
		{"intake", f.Intake, 5}, {"部件", f.Components, 2}, {"事件", f.Events, 3}, {"hotline", f.BySource["hotline"], 3},
		{"before", f.IntakeBefore, 2}, {"rejected", f.Rejected, 1}, {"merged", f.Merged, 1}, {"closed", f.Closed, 4},
		{"due", f.KPI.Total.Due, 4}, {"on time", f.KPI.Total.OnTimeRate.String(), "75.0%"},
		{"top", fmt.Sprintf("%s %d, %s %d", f.Top[0].Category.Key, f.Top[0].N, f.Top[1].Category.Key, f.Top[1].N), "garbage 3, road 2"},
		{"repeats", len(f.Repeats), 1}, {"repeat count", f.Repeats[0].Count(), 3},
		{"below", len(f.Below), 1}, {"below unit", f.Below[0].UnitName, "住建办"}, {"rank 1", f.KPI.Ranking[0].UnitID, "U-A"},
		{"days", len(f.Daily), 31}, {"10 March", f.Daily[9], 2},
		{"title", f.Title(), "临浦镇网格化治理工作月度通报（2026年3月）"},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	if c, ok := f.Change(); !ok || c != 1.5 {
		t.Errorf("环比 %v %v, want +150%%", c, ok)
	}

	var x bytes.Buffer
	if err := bulletin.WriteXLSX(&x, f); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if got := wb.GetSheetList(); fmt.Sprint(got) != fmt.Sprint(bulletin.Sheets) {
		t.Errorf("sheets %v", got)
	}
	rows, _ := wb.GetRows("单位考核")
	if len(rows) != 4 || rows[1][1] != "城南执法中队" || rows[2][6] != "50.0%" || rows[3][1] != "合计" {
		t.Errorf("unit sheet %q", rows)
	}
}
