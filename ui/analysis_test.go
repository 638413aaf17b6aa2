package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"griddesk/core/analysis"
	"griddesk/desk"
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

// The wall's tiles count the open 督办件 and the week's analysis, and list
// the first of each.
func TestWallTiles(t *testing.T) {
	newTestApp(t)
	sup := desk.CaseRow{Case: domain.Case{No: "2026-0042", Status: domain.StatusDispatched, Supervision: &domain.Supervision{Leader: "分管副镇长"}},
		UnitName: "城建办"}
	plain := desk.CaseRow{Case: domain.Case{No: "2026-0043", Status: domain.StatusDispatched}}
	var hot []analysis.GridHours
	for i := range 7 {
		hot = append(hot, analysis.GridHours{Name: fmt.Sprintf("网格%d", i), Total: 7 - i})
	}
	r := analysis.Report{Total: 28, Hotspots: hot,
		Overdue: []analysis.UnitOverdue{{Name: "工作站", Weeks: []int{0, 2}, Rising: true}, {Name: "中队", Weeks: []int{1, 0}}}}
	var got []string
	for _, o := range wallTileCards([]desk.CaseRow{sup, plain}, r) {
		got = append(got, labels(t, o)...)
	}
	for _, w := range []string{"2026-0042 城建办 · 分管副镇长", "网格0  7", "网格4  3", "and 2 more", "▲ 工作站  2"} {
		if !slices.Contains(got, w) {
			t.Errorf("no %q in %q", w, got)
		}
	}
	for _, w := range []string{"2026-0043", "网格5  2", "▲ 中队  0"} {
		if slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, w) }) {
			t.Errorf("%q shown: %q", w, got)
		}
	}
}

// TestWallShowsTheDailyTiles: the wall window has the daily work's column
// beside its board, 360 wide and as tall as the wall (it was laid out 0
// high and drew nothing).
func TestWallShowsTheDailyTiles(t *testing.T) {
	_, _, mw := demoWindow(t, "none")
	var w *wallWindow
	onUI(func() {
		mw.mapc.toggleWall()
		w = mw.mapc.wall
	})
	if w == nil {
		t.Fatal("F11 opened no wall")
	}
	defer onUI(func() { w.win.Close() })
	onUI(func() {
		w.win.Resize(fyne.NewSize(1920, 1080))
		c, ok := w.win.Content().(*fyne.Container)
		if !ok || len(c.Objects) != 2 {
			t.Fatalf("the wall's content is %T with %d parts, want the board and the column", w.win.Content(), len(c.Objects))
		}
		var tiles fyne.CanvasObject // the column's scrolling tiles
		if side, ok := c.Objects[1].(*fyne.Container); ok {
			for _, o := range side.Objects {
				if _, ok := o.(*container.Scroll); ok {
					tiles = o
				}
			}
		}
		if tiles == nil {
			t.Fatalf("no scrolling tiles in the wall's column %T", c.Objects[1])
		}
		if s := tiles.Size(); s.Width < 360 || s.Height < 500 {
			t.Errorf("the daily work's tiles are %v on a 1920×1080 wall", s)
		}
	})
}
