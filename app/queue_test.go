package app_test

import (
	"context"
	"testing"
	"time"

	"griddesk/app"
	"griddesk/app/clock"
	"griddesk/store"
)

func TestArrangeFiltersAndSorts(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	row := func(no, status, cat string, light clock.Light, age time.Duration, deadline time.Duration) app.CaseRow {
		c, _ := store.CategoryByKey(cat)
		r := app.CaseRow{Case: store.Case{No: no, Title: c.Name + "问题", Status: status, Category: cat, ReportedAt: t0.Add(-age)},
			CategoryInfo: c, Light: light, GridName: "浦南村1号网格", UnitName: "综合行政执法队"}
		if deadline > 0 {
			r.NextDeadline = t0.Add(deadline)
		}
		return r
	}
	rows := []app.CaseRow{
		row("A", store.StatusDispatched, "noise", clock.LightGreen, 1*time.Hour, 3*time.Hour),
		row("B", store.StatusRegistered, "fire_hazard", clock.LightRed, 2*time.Hour, time.Hour),
		row("C", store.StatusDispatched, "noise", clock.LightYellow, 3*time.Hour, 0),
		row("D", store.StatusHandled, "road", clock.LightRed, 30*time.Minute, 2*time.Hour),
	}
	red := clock.LightRed
	tests := []struct {
		name  string
		f     app.Filter
		order string
		want  string
	}{
		{"worst light first, then oldest", app.Filter{}, app.SortLight, "BDCA"},
		{"newest", app.Filter{}, app.SortNewest, "DABC"},
		{"oldest", app.Filter{}, app.SortOldest, "CBAD"},
		{"deadline, none last", app.Filter{}, app.SortDeadline, "BDAC"},
		{"by state", app.Filter{Status: store.StatusDispatched}, app.SortLight, "CA"},
		{"by category", app.Filter{Category: "noise"}, app.SortNewest, "AC"},
		{"by light", app.Filter{Light: &red}, app.SortOldest, "BD"},
		{"search Chinese", app.Filter{Text: "消防"}, app.SortLight, "B"},
		{"search English category", app.Filter{Text: "noise"}, app.SortOldest, "CA"},
		{"search by English category word", app.Filter{Text: "roads"}, app.SortLight, "D"},
		{"search two words", app.Filter{Text: "浦南村 道路"}, app.SortLight, "D"},
		{"nothing", app.Filter{Text: "没有"}, app.SortLight, ""},
		{"by grid name", app.Filter{GridName: "浦南村1号网格"}, app.SortOldest, "CBAD"},
		{"by unknown unit", app.Filter{UnitName: "消防救援站"}, app.SortLight, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			for _, r := range app.Arrange(rows, tt.f, tt.order) {
				got += r.No
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if rows[0].No != "A" {
		t.Error("Arrange reordered its input")
	}
}

func TestSuggestCategory(t *testing.T) {
	tests := []struct{ text, want string }{
		{"楼下烧烤店油烟太大，熏得没法开窗", "fume"},
		{"小区门口有人占道摆摊", "city_appearance"},
		{"闻到很浓的煤气味，可能漏气", "gas_safety"},
		{"隔壁工地夜里施工噪音扰民", "noise"},
		{"邻里因为宅基地发生纠纷", "dispute"},
		{"路边井盖不见了", "road"},
	}
	for _, tt := range tests {
		c, ok := app.SuggestCategory(tt.text)
		if !ok || c.Key != tt.want {
			t.Errorf("SuggestCategory(%q) = %s %v, want %s", tt.text, c.Key, ok, tt.want)
		}
	}
	if _, ok := app.SuggestCategory("今天天气不错"); ok {
		t.Error("a text with no keyword got a category")
	}
}

func TestSuggestAndKPIOnTheDemoTown(t *testing.T) {
	ctx := context.Background()
	d := demoDesk(t)
	rows, _ := d.OpenCases(ctx, time.Now())
	matched := 0
	for _, r := range rows {
		s, err := d.Suggest(ctx, r.ID)
		if err != nil {
			t.Fatalf("suggest %s: %v", r.No, err)
		}
		if s.UnitID == r.UnitID {
			matched++
		}
		if s.Reason == "" || s.Policy == "" {
			t.Fatalf("suggestion without reason or policy: %+v", s)
		}
	}
	if matched < len(rows)*9/10 {
		t.Errorf("the suggestion matched the demo's unit for %d of %d cases", matched, len(rows))
	}
	rep, err := d.KPI(ctx, time.Now(), time.Now())
	if err != nil || len(rep.Rows) == 0 {
		t.Fatalf("kpi: %d rows, %v", len(rep.Rows), err)
	}
}
