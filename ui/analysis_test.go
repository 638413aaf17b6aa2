package ui

import (
	"slices"
	"testing"
	"time"

	"griddesk/core/analysis"
	"griddesk/domain"
)

// The analysis views show what the report holds: the hotspot grids with
// their totals, each 小类 week by week with its change, and the rising
// units marked.
func TestAnalysisViews(t *testing.T) {
	newTestApp(t)
	mon := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	r := analysis.Report{Total: 4, Weeks: []time.Time{mon, mon.AddDate(0, 0, 7)},
		Hotspots: []analysis.GridHours{{GridID: "G1", Name: "一号网格", Total: 3}},
		Trends:   []analysis.Trend{{Category: domain.Category{Key: "noise", Name: "噪声扰民"}, Weeks: []int{1, 3}, Total: 4, Change: 2}},
		Overdue:  []analysis.UnitOverdue{{UnitID: "U-B", Name: "工作站", Weeks: []int{0, 2}, Rising: true}},
	}
	for _, tc := range []struct {
		view string
		got  []string
		want []string
	}{
		{"hotspots", labels(t, heatMap(r)), []string{"一号网格 (3)"}},
		{"trends", labels(t, trendTable(r)), []string{"03-02", "03-09", "4", "+2"}},
		{"overdue", labels(t, overdueTable(r)), []string{"工作站", "2", "▲"}},
	} {
		for _, w := range tc.want {
			if !slices.Contains(tc.got, w) {
				t.Errorf("%s: no %q in %q", tc.view, w, tc.got)
			}
		}
	}
}
