package desk_test

import (
	"context"
	"testing"
	"time"

	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
)

func TestArrangeFiltersAndSorts(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	row := func(no string, status domain.CaseStatus, cat string, light clock.Light, age time.Duration, deadline time.Duration) desk.CaseRow {
		c, _ := domain.CategoryByKey(cat)
		r := desk.CaseRow{Case: domain.Case{No: no, Title: c.Name + "问题", Status: status, Category: cat, ReportedAt: t0.Add(-age)},
			CategoryInfo: c, Light: light, GridName: "浦南村1号网格", UnitName: "综合行政执法队"}
		if deadline > 0 {
			r.NextDeadline = t0.Add(deadline)
		}
		return r
	}
	rows := []desk.CaseRow{
		row("A", domain.StatusDispatched, "noise", clock.LightGreen, 1*time.Hour, 3*time.Hour),
		row("B", domain.StatusRegistered, "fire_hazard", clock.LightRed, 2*time.Hour, time.Hour),
		row("C", domain.StatusDispatched, "noise", clock.LightYellow, 3*time.Hour, 0),
		row("D", domain.StatusHandled, "road", clock.LightRed, 30*time.Minute, 2*time.Hour),
	}
	red := clock.LightRed
	tests := []struct {
		name  string
		f     desk.Filter
		order string
		want  string
	}{
		{"worst light first, then oldest", desk.Filter{}, desk.SortLight, "BDCA"},
		{"newest", desk.Filter{}, desk.SortNewest, "DABC"},
		{"oldest", desk.Filter{}, desk.SortOldest, "CBAD"},
		{"deadline, none last", desk.Filter{}, desk.SortDeadline, "BDAC"},
		{"by state", desk.Filter{Status: domain.StatusDispatched}, desk.SortLight, "CA"},
		{"by category", desk.Filter{Category: "noise"}, desk.SortNewest, "AC"},
		{"by light", desk.Filter{Light: &red}, desk.SortOldest, "BD"},
		{"search Chinese", desk.Filter{Text: "消防"}, desk.SortLight, "B"},
		{"search English category", desk.Filter{Text: "noise"}, desk.SortOldest, "CA"},
		{"search by English category word", desk.Filter{Text: "roads"}, desk.SortLight, "D"},
		{"search two words", desk.Filter{Text: "浦南村 道路"}, desk.SortLight, "D"},
		{"nothing", desk.Filter{Text: "没有"}, desk.SortLight, ""},
		{"by grid name", desk.Filter{GridName: "浦南村1号网格"}, desk.SortOldest, "CBAD"},
		{"by unknown unit", desk.Filter{UnitName: "消防救援站"}, desk.SortLight, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			for _, r := range desk.Arrange(rows, tt.f, tt.order) {
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
		c, ok := desk.SuggestCategory(tt.text)
		if !ok || c.Key != tt.want {
			t.Errorf("SuggestCategory(%q) = %s %v, want %s", tt.text, c.Key, ok, tt.want)
		}
	}
	if _, ok := desk.SuggestCategory("今天天气不错"); ok {
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
