package bulletin

import (
	"fmt"
	"io"
	"strings"

	"griddesk/core/kpi"
	"griddesk/core/sheet"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// Sheets are the bulletin workbook's sheets.
var Sheets = []string{"总体情况", "单位考核", "高发问题", "重复投诉", "每日受理"}

// UnitHeader is the unit table's header, as the PDF prints it.
var UnitHeader = []string{"排名", "单位", "应结案", "结案", "按期结案", "结案率", "按期结案率", "返工率", "延期率", "满意率", "催办", "督办", "回访率"}

// UnitRecord is a unit's row of the unit table.
func UnitRecord(u kpi.UnitRow) []string {
	rank := "—"
	if u.Rank > 0 {
		rank = fmt.Sprint(u.Rank)
	}
	name := u.UnitName
	if u.UnitID == "" {
		rank, name = "", "合计"
	}
	return []string{rank, name, fmt.Sprint(u.Due), fmt.Sprint(u.Closed), fmt.Sprint(u.ClosedOnTime), u.CloseRate.String(), u.OnTimeRate.String(),
		u.ReworkRate.String(), u.DeferRate.String(), u.SatisfactionRate.String(), fmt.Sprint(u.Urges), fmt.Sprint(u.Supervised), u.CallbackRate.String()}
}

// Units are the unit table's rows: the ranked units best first, the
// others, and the total.
func (f Figures) Units() []kpi.UnitRow {
	rows := append([]kpi.UnitRow(nil), f.KPI.Ranking...)
	for _, u := range f.KPI.Rows {
		if u.Rank == 0 {
			rows = append(rows, u)
		}
	}
	return append(rows, f.KPI.Total)
}

// Summary are the key figures, label and value, as the bulletin's first
// section states them.
func (f Figures) Summary() [][2]string {
	t := f.KPI.Total
	change := "—"
	if c, ok := f.Change(); ok {
		change = fmt.Sprintf("%+.1f%%", 100*c)
	}
	return [][2]string{
		{"受理案件", fmt.Sprint(f.Intake)}, {"其中部件", fmt.Sprint(f.Components)}, {"其中事件", fmt.Sprint(f.Events)},
		{"网格员上报", fmt.Sprint(f.BySource["grid_worker"])}, {"12345热线", fmt.Sprint(f.BySource["hotline"])},
		{"物联感知", fmt.Sprint(f.BySource["sensor"])}, {"检查移交", fmt.Sprint(f.BySource["inspection"])}, {"群众扫码投诉", fmt.Sprint(f.BySource[domain.SourcePublic])},
		{"环比", change}, {"不予受理", fmt.Sprint(f.Rejected)}, {"并案（重复件）", fmt.Sprint(f.Merged)},
		{"办结案件", fmt.Sprint(f.Closed)}, {"应结案", fmt.Sprint(t.Due)}, {"结案率", t.CloseRate.String()},
		{"按期结案率", t.OnTimeRate.String()}, {"返工率", t.ReworkRate.String()}, {"延期率", t.DeferRate.String()},
		{"满意率", t.SatisfactionRate.String()}, {"催办次数", fmt.Sprint(f.Urges)}, {"督办件", fmt.Sprint(f.Supervised)},
		{"应回访", fmt.Sprint(f.ToCall)}, {"已回访", fmt.Sprint(f.Called)}, {"回访率", t.CallbackRate.String()},
		{"重复投诉地址", fmt.Sprint(len(f.Repeats))},
	}
}

// WriteXLSX writes the bulletin's tables, one sheet each.
func WriteXLSX(w io.Writer, f Figures) error {
	summary := [][]string{{"项目", "数值"}}
	for _, kv := range f.Summary() {
		summary = append(summary, kv[:])
	}
	units := [][]string{UnitHeader}
	for _, u := range f.Units() {
		units = append(units, UnitRecord(u))
	}
	top := [][]string{{"序号", "类型", "小类代码", "小类", "受理", "占比"}}
	for i, c := range f.Top {
		top = append(top, []string{fmt.Sprint(i + 1), c.Category.Class.Label(), c.Category.Code, c.Category.Name, fmt.Sprint(c.N),
			fmt.Sprintf("%.1f%%", 100*c.Share)})
	}
	loc := clock.Location()
	repeats := [][]string{{"地址", "次数", "首次", "最近", "案件编号"}}
	for _, r := range f.Repeats {
		repeats = append(repeats, []string{r.Address, fmt.Sprint(r.Count()), r.First.In(loc).Format("01-02 15:04"), r.Last.In(loc).Format("01-02 15:04"),
			strings.Join(r.Nos, "、")})
	}
	daily := [][]string{{"日期", "受理"}}
	for d, n := range f.Daily {
		daily = append(daily, []string{f.Month.AddDate(0, 0, d).Format("2006-01-02"), fmt.Sprint(n)})
	}
	var sheets []sheet.Sheet
	for i, rows := range [][][]string{summary, units, top, repeats, daily} {
		sheets = append(sheets, sheet.Sheet{Name: Sheets[i], Rows: sheet.Strings(rows)})
	}
	if err := sheet.Write(w, f.Title(), sheets); err != nil {
		return fmt.Errorf("bulletin: xlsx: %w", err)
	}
	return nil
}

// Title is the bulletin's title: 临浦镇网格化治理工作月度通报（2026年3月）.
func (f Figures) Title() string {
	return fmt.Sprintf("%s网格化治理工作月度通报（%d年%d月）", f.Town, f.Month.Year(), int(f.Month.Month()))
}
