package ui

import (
	"slices"
	"testing"

	"griddesk/core/kpi"
)

// The ranking list shows each unit's 满意率 next to the Jinhua rates.
func TestRankingShowsSatisfactionRate(t *testing.T) {
	newTestApp(t)
	row := kpi.UnitRow{UnitID: "U-X", UnitName: "第2工作站", Rank: 1, Evaluated: 3, Satisfied: 2,
		SatisfactionRate: kpi.Ratio{Num: 2, Den: 3}, OnTimeRate: kpi.Ratio{Num: 1, Den: 1}}
	got := labels(t, kpiTable(kpi.Report{Rows: []kpi.UnitRow{row}, Ranking: []kpi.UnitRow{row}, Total: kpi.UnitRow{UnitName: "合计"}}))
	name := slices.Index(got, "第2工作站") // rank, name, due … defer rate, satisfaction rate
	if !slices.Contains(got, "Satisfaction rate") || name < 0 || name+10 >= len(got) || got[name+10] != "66.7%" {
		t.Fatalf("ranking labels %q: want a Satisfaction rate column with 66.7%% on the unit's row", got)
	}
}
