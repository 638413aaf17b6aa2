package kpi

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// SheetName is the name of the XLSX sheet WriteXLSX writes.
const SheetName = "月度考核"

// Header is the first row of the sheet: fixed columns, then a median and a
// 90th-percentile column per step (e.g. "派遣用时中位数", "派遣用时P90").
var Header = func() []string {
	h := []string{"排名", "单位", "类型", "应结案数", "挂账数", "结案数", "按期结案数", "挂账后结案数", "处置数", "返工数",
		"结案率", "按期结案率", "返工率", "延期率", "评价数", "满意率"}
	for _, st := range Steps {
		h = append(h, st.Name+"用时中位数", st.Name+"用时P90")
	}
	return append(h, "催办次数", "督办件", "应回访数", "已回访数", "回访率")
}()

// column indexes (0-based) of Header used below
const (
	colName   = 1
	colRates  = 10 // 结案率 … 延期率
	colOnTime = 11 // 按期结案率
	colEval   = 14 // 评价数, then 满意率
	colSteps  = 16
)

// colDaily is the column of 催办次数, after the steps' columns.
var colDaily = colSteps + 2*len(Steps)

var kindNames = map[string]string{"department": "职能部门", "team": "检查组", "squad": "执法中队", "station": "村网格工作站"}

// WriteXLSX writes the report as a workbook with one sheet, 月度考核: a
// header row (frozen, with the unit column), the ranked units best first,
// the units without a defined 按期结案率, and a 合计 row; rates as
// percentages, step times as [h]:mm:ss; and a bar chart of 按期结案率 by
// ranked unit below the table.
func WriteXLSX(w io.Writer, r Report) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := writeSheet(f, r); err != nil {
		return fmt.Errorf("kpi: xlsx of %s: %w", r.Month.Format("2006-01"), err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("kpi: xlsx of %s: write: %w", r.Month.Format("2006-01"), err)
	}
	return nil
}

func writeSheet(f *excelize.File, r Report) error {
	if err := f.SetSheetName(f.GetSheetName(0), SheetName); err != nil {
		return err
	}
	title := fmt.Sprintf("%d年%d月 单位考核", r.Month.Year(), int(r.Month.Month()))
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "GridDesk", Language: "zh-CN"}); err != nil {
		return err
	}
	styles, err := newStyles(f)
	if err != nil {
		return err
	}
	for c, h := range Header {
		if err := set(f, c, 1, h, styles.header); err != nil {
			return err
		}
	}
	rows := append([]UnitRow(nil), r.Ranking...)
	for _, ur := range r.Rows {
		if ur.Rank == 0 {
			rows = append(rows, ur)
		}
	}
	rows = append(rows, r.Total)
	for i, ur := range rows {
		y := i + 2
		total := i == len(rows)-1
		var rank any = "—"
		switch {
		case total:
			rank = ""
		case ur.Rank > 0:
			rank = ur.Rank
		}
		kind := kindNames[ur.Kind]
		if kind == "" {
			kind = ur.Kind
		}
		cells := []any{rank, ur.UnitName, kind, ur.Due, ur.Deferred, ur.Closed, ur.ClosedOnTime, ur.DeferredClosed, ur.Handled, ur.Reworked}
		for c, v := range cells {
			if err := set(f, c, y, v, styles.pick(total, styles.text)); err != nil {
				return err
			}
		}
		for k, rate := range []Ratio{ur.CloseRate, ur.OnTimeRate, ur.ReworkRate, ur.DeferRate} {
			var v any = "—"
			if rate.Valid() {
				v = rate.Value()
			}
			if err := set(f, colRates+k, y, v, styles.pick(total, styles.percent)); err != nil {
				return err
			}
		}
		if err := set(f, colEval, y, ur.Evaluated, styles.pick(total, styles.text)); err != nil {
			return err
		}
		var satisfied any = "—"
		if ur.SatisfactionRate.Valid() {
			satisfied = ur.SatisfactionRate.Value()
		}
		if err := set(f, colEval+1, y, satisfied, styles.pick(total, styles.percent)); err != nil {
			return err
		}
		for k, st := range ur.Steps {
			for j, d := range []time.Duration{st.Median, st.P90} {
				var v any = "—"
				if st.N > 0 {
					v = d.Hours() / 24 // Excel time: days
				}
				if err := set(f, colSteps+2*k+j, y, v, styles.pick(total, styles.duration)); err != nil {
					return err
				}
			}
		}
		for k, v := range []int{ur.Urges, ur.Supervised, ur.ToCall, ur.Called} {
			if err := set(f, colDaily+k, y, v, styles.pick(total, styles.text)); err != nil {
				return err
			}
		}
		var called any = "—"
		if ur.CallbackRate.Valid() {
			called = ur.CallbackRate.Value()
		}
		if err := set(f, colDaily+4, y, called, styles.pick(total, styles.percent)); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(SheetName, "A", "A", 6); err != nil {
		return err
	}
	if err := f.SetColWidth(SheetName, "B", "B", 22); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(Header))
	if err := f.SetColWidth(SheetName, "C", last, 13); err != nil {
		return err
	}
	if err := f.SetPanes(SheetName, &excelize.Panes{Freeze: true, XSplit: colName + 1, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if len(r.Ranking) == 0 {
		return nil
	}
	return addChart(f, r, len(rows)+3, title)
}

// addChart puts the bar chart of 按期结案率 of the ranked units (rows 2 …
// 1+len(Ranking)) at row y, best unit on top.
func addChart(f *excelize.File, r Report, y int, title string) error {
	n := len(r.Ranking)
	onTime, _ := excelize.ColumnNumberToName(colOnTime + 1)
	name, _ := excelize.ColumnNumberToName(colName + 1)
	ref := func(col string) string { return fmt.Sprintf("'%s'!$%s$2:$%s$%d", SheetName, col, col, n+1) }
	zero, one, vary := 0.0, 1.0, false
	return f.AddChart(SheetName, fmt.Sprintf("B%d", y), &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name:       fmt.Sprintf("'%s'!$%s$1", SheetName, onTime),
			Categories: ref(name),
			Values:     ref(onTime),
		}},
		Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title + " 按期结案率"}}},
		Legend:     excelize.ChartLegend{Position: "none"},
		VaryColors: &vary,
		Dimension:  excelize.ChartDimension{Width: 720, Height: uint(120 + 22*n)},
		XAxis:      excelize.ChartAxis{ReverseOrder: true},
		YAxis:      excelize.ChartAxis{Minimum: &zero, Maximum: &one, MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		PlotArea:   excelize.ChartPlotArea{ShowVal: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0.0%"}},
	})
}

type styles struct {
	header, text, percent, duration int
	totalText, totalPercent         int
	totalDuration                   int
}

// pick returns the total row's variant of a style.
func (s *styles) pick(total bool, style int) int {
	if !total {
		return style
	}
	switch style {
	case s.percent:
		return s.totalPercent
	case s.duration:
		return s.totalDuration
	}
	return s.totalText
}

func newStyles(f *excelize.File) (*styles, error) {
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	durFmt := "[h]:mm:ss"
	s := &styles{}
	bold := &excelize.Font{Bold: true}
	defs := []struct {
		dst *int
		st  excelize.Style
	}{
		{&s.header, excelize.Style{Font: bold, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&s.text, excelize.Style{Border: border}},
		{&s.percent, excelize.Style{Border: border, NumFmt: 10}}, // 0.00%
		{&s.duration, excelize.Style{Border: border, CustomNumFmt: &durFmt}},
		{&s.totalText, excelize.Style{Border: border, Font: bold}},
		{&s.totalPercent, excelize.Style{Border: border, Font: bold, NumFmt: 10}},
		{&s.totalDuration, excelize.Style{Border: border, Font: bold, CustomNumFmt: &durFmt}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.st)
		if err != nil {
			return nil, fmt.Errorf("style: %w", err)
		}
		*d.dst = id
	}
	return s, nil
}

// set writes v at 0-based column c, 1-based row y, with a style.
func set(f *excelize.File, c, y int, v any, style int) error {
	cell, err := excelize.CoordinatesToCellName(c+1, y)
	if err != nil {
		return err
	}
	if err := f.SetCellValue(SheetName, cell, v); err != nil {
		return fmt.Errorf("cell %s: %w", cell, err)
	}
	if err := f.SetCellStyle(SheetName, cell, cell, style); err != nil {
		return fmt.Errorf("cell %s: style: %w", cell, err)
	}
	return nil
}
