package analysis

import (
	"fmt"
	"io"
	"strings"
	"time"

	"griddesk/core/sheet"
	"griddesk/domain/clock"
)

// Sheets are the workbook's sheets, one per view.
var Sheets = []string{"热点网格", "高发地址", "重复投诉", "小类趋势", "超期单位"}

// WriteXLSX writes every view as a sheet of one workbook: grids by hour of
// day, the top addresses, the repeat complaints, the 小类 week by week and
// the units' overdue cases week by week.
func WriteXLSX(w io.Writer, r Report) error {
	loc := clock.Location()
	title := fmt.Sprintf("研判 %s–%s", r.From.In(loc).Format("2006-01-02"), r.To.Add(-1).In(loc).Format("2006-01-02"))
	head := []any{"网格编码", "网格"}
	for h := range 24 {
		head = append(head, fmt.Sprintf("%02d时", h))
	}
	heat := [][]any{append(head, "合计")}
	for _, g := range r.Hotspots {
		heat = append(heat, append(append([]any{g.GridID, g.Name}, ints(g.Hours[:])...), g.Total))
	}
	heat = append(heat, append(append([]any{"", "合计"}, ints(r.ByHour[:])...), r.Total))
	addrs := [][]any{{"地址", "报告次数"}}
	for _, a := range r.Addresses {
		addrs = append(addrs, []any{a.Address, a.Count})
	}
	repeats := [][]any{{"地址", "次数", "首次", "最近", "案件编号"}}
	for _, rp := range r.Repeats {
		repeats = append(repeats, []any{rp.Address, rp.Count(), rp.First.In(loc).Format("2006-01-02 15:04"), rp.Last.In(loc).Format("2006-01-02 15:04"),
			strings.Join(rp.Nos, "、")})
	}
	trends := [][]any{append(append([]any{"类型", "小类代码", "小类"}, weekHeads(r.Weeks)...), "期间合计", "周环比")}
	for _, t := range r.Trends {
		trends = append(trends, append(append([]any{t.Category.Class.Label(), t.Category.Code, t.Category.Name}, ints(t.Weeks)...), t.Total, t.Change))
	}
	overdue := [][]any{append(append([]any{"单位编码", "单位"}, weekHeads(r.Weeks)...), "上升")}
	for _, u := range r.Overdue {
		rising := ""
		if u.Rising {
			rising = "是"
		}
		overdue = append(overdue, append(append([]any{u.UnitID, u.Name}, ints(u.Weeks)...), rising))
	}
	err := sheet.Write(w, title, []sheet.Sheet{{Name: Sheets[0], Rows: heat}, {Name: Sheets[1], Rows: addrs}, {Name: Sheets[2], Rows: repeats},
		{Name: Sheets[3], Rows: trends}, {Name: Sheets[4], Rows: overdue}})
	if err != nil {
		return fmt.Errorf("analysis: xlsx: %w", err)
	}
	return nil
}

// ints are counts as cells.
func ints(ns []int) []any {
	out := make([]any, len(ns))
	for i, n := range ns {
		out[i] = n
	}
	return out
}

// weekHeads are the weeks' column heads: 03-02周.
func weekHeads(weeks []time.Time) []any {
	out := make([]any, len(weeks))
	for i, wk := range weeks {
		out[i] = wk.Format("01-02") + "周"
	}
	return out
}
