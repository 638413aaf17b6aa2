package stats

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"griddesk/domain"
	"griddesk/domain/clock"
)

// CaseSheet is the case statistics workbook's sheet.
const CaseSheet = "案件统计"

// sourceNames are the case sources' Chinese names.
var sourceNames = map[string]string{domain.SourceGridWorker: "网格员", domain.SourceHotline: "12345热线",
	domain.SourceSensor: "物联感知", domain.SourceInspection: "检查移交"}

// WriteCasesXLSX writes case statistics as a workbook: the figures, intake
// by category, source, grid and hour, and the days of the period with
// their intake, closed and on-time cases, with a chart of the days and one
// of the categories.
func WriteCasesXLSX(w io.Writer, r CaseReport) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := writeCaseBook(f, &r); err != nil {
		return fmt.Errorf("stats: case xlsx of %s: %w", r.GridName, err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("stats: case xlsx of %s: write: %w", r.GridName, err)
	}
	return nil
}

func writeCaseBook(f *excelize.File, r *CaseReport) error {
	if err := f.SetSheetName("Sheet1", CaseSheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	s := &sheet{f: f, name: CaseSheet, st: st}
	loc := clock.Location()
	y := 1
	if err := s.row(y, st.title, r.GridName+" 案件统计"); err != nil {
		return err
	}
	y++
	if err := s.row(y, st.text, "统计期间", r.From.In(loc).Format("2006-01-02")+" 至 "+r.To.Add(-1).In(loc).Format("2006-01-02")); err != nil {
		return err
	}
	y += 2
	figures := []struct {
		name string
		v    any
	}{{"受理", r.Intake}, {"结案", r.Closed}, {"按期结案", r.ClosedOnTime}, {"结案率（受理中已结）", r.CloseRate},
		{"按期结案率", r.OnTimeRate}, {"在办（截至统计时）", r.Open}, {"超时（截至统计时）", r.Overdue}}
	for _, fg := range figures {
		if err := s.row(y, st.text, fg.name, fg.v); err != nil {
			return err
		}
		y++
	}
	table := func(head string, rows [][]any) (int, int, error) {
		y++
		if err := s.row(y, st.header, head, "件数"); err != nil {
			return 0, 0, err
		}
		y++
		first := y
		for _, r := range rows {
			if err := s.row(y, st.text, r...); err != nil {
				return 0, 0, err
			}
			y++
		}
		return first, y - 1, nil
	}
	var cats, srcs, grids, hours [][]any
	for _, c := range r.ByCategory {
		cats = append(cats, []any{c.Name, c.N})
	}
	for _, c := range r.BySource {
		cats := sourceNames[c.Key]
		if cats == "" {
			cats = c.Key
		}
		srcs = append(srcs, []any{cats, c.N})
	}
	for _, c := range r.ByGrid {
		grids = append(grids, []any{c.Name, c.N})
	}
	for h, n := range r.ByHour {
		hours = append(hours, []any{fmt.Sprintf("%02d:00", h), n})
	}
	catFirst, catLast, err := table("案件类别", cats)
	if err != nil {
		return err
	}
	if _, _, err := table("来源", srcs); err != nil {
		return err
	}
	if _, _, err := table("时段", hours); err != nil {
		return err
	}
	if _, _, err := table("网格", grids); err != nil {
		return err
	}
	y++
	if err := s.row(y, st.header, "日期", "受理", "结案", "按期结案"); err != nil {
		return err
	}
	dayFirst := y + 1
	for _, d := range r.Days {
		y++
		if err := s.row(y, st.text, d.Day.In(loc).Format("2006-01-02"), d.Intake, d.Closed, d.OnTime); err != nil {
			return err
		}
	}
	dayLast := y
	if err := f.SetColWidth(CaseSheet, "A", "A", 26); err != nil {
		return err
	}
	if err := f.SetColWidth(CaseSheet, "B", "D", 12); err != nil {
		return err
	}
	title := func(t string) excelize.ChartTitle {
		return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: t}}}
	}
	rng := func(col string, a, b int) string { return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", CaseSheet, col, a, col, b) }
	if len(r.Days) > 0 {
		if err := f.AddChart(CaseSheet, "F4", &excelize.Chart{
			Type: excelize.Line,
			Series: []excelize.ChartSeries{
				{Name: fmt.Sprintf("'%s'!$B$%d", CaseSheet, dayFirst-1), Categories: rng("A", dayFirst, dayLast), Values: rng("B", dayFirst, dayLast)},
				{Name: fmt.Sprintf("'%s'!$C$%d", CaseSheet, dayFirst-1), Categories: rng("A", dayFirst, dayLast), Values: rng("C", dayFirst, dayLast)},
				{Name: fmt.Sprintf("'%s'!$D$%d", CaseSheet, dayFirst-1), Categories: rng("A", dayFirst, dayLast), Values: rng("D", dayFirst, dayLast)},
			},
			Title:     title("每日受理与结案"),
			Legend:    excelize.ChartLegend{Position: "bottom"},
			Dimension: excelize.ChartDimension{Width: 640, Height: 320},
		}); err != nil {
			return fmt.Errorf("days chart: %w", err)
		}
	}
	if catLast >= catFirst {
		if err := f.AddChart(CaseSheet, "F22", &excelize.Chart{
			Type:      excelize.Bar,
			Series:    []excelize.ChartSeries{{Name: fmt.Sprintf("'%s'!$B$%d", CaseSheet, catFirst-1), Categories: rng("A", catFirst, catLast), Values: rng("B", catFirst, catLast)}},
			Title:     title("受理案件类别"),
			Legend:    excelize.ChartLegend{Position: "none"},
			XAxis:     excelize.ChartAxis{ReverseOrder: true},
			PlotArea:  excelize.ChartPlotArea{ShowVal: true},
			Dimension: excelize.ChartDimension{Width: 640, Height: 320},
		}); err != nil {
			return fmt.Errorf("category chart: %w", err)
		}
	}
	return nil
}
