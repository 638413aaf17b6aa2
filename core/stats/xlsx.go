package stats

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"griddesk/domain/clock"
)

// Sheet names of the workbook WriteXLSX writes.
const (
	SheetName     = "检查统计"
	OffendersName = "屡教不改"
)

// Layout of the figures sheet (1-based rows), so that readers and tests can
// find the tables: the title in A1, the period in A2, then
//
//	row 4        指标 | 数值 | 说明            (Figures below it, one per row)
//	CodesRow     三色码 | 对象数 | 占比         (green, yellow, red)
//	ChangesRow   三色码变化 | 次数               (the six changes)
//	DeptRow      部门 | 发现隐患 | 一般隐患 | 重大隐患 | 应整改 | 已整改 | 整改率 | 逾期未整改
//
// and the charts to the right of the tables, from column J: the code
// distribution (pie), the code changes (bar), hazards per department
// (stacked columns, general and major) and the rectification rate per
// department (bar).
const (
	FiguresRow = 4
	CodesRow   = FiguresRow + 1 + figureCount + 1
	ChangesRow = CodesRow + 1 + 3 + 1
	DeptRow    = ChangesRow + 1 + 6 + 1
)

// Figures are the labels of the figure rows, in order.
var Figures = [figureCount]string{
	"监管对象数", "检查次数", "其中：已审核", "其中：待审核", "其中：退回复查", "覆盖对象数", "覆盖率",
	"发现隐患", "其中：一般隐患", "其中：重大隐患", "应整改隐患", "已整改", "整改率", "已整改占全部隐患",
	"移交执法", "逾期未整改", "未整改", "屡教不改对象", "屡教不改次数", "三色码升级", "三色码降级",
}

const figureCount = 21

type figure struct {
	value any // int or Ratio
	note  string
}

func (r *Report) figures() []figure {
	return []figure{
		{r.Entities, "网格及下级网格内的监管对象"},
		{r.Inspections, "统计期间内的检查（不论审核状态）"},
		{r.Reviewed, "已审核或移交执法"},
		{r.Pending, ""},
		{r.Returned, ""},
		{r.Covered, "被检查过的不同对象"},
		{r.Coverage, "覆盖对象数 ÷ 监管对象数"},
		{r.Hazards, "统计期间内检查发现"},
		{r.General, ""},
		{r.Major, ""},
		{r.Due, "整改期限已到、无期限或已整改"},
		{r.Rectified, "截至统计时点已整改"},
		{r.RectificationRate, "已整改 ÷ 应整改隐患；移交执法计为未整改"},
		{r.RectifiedShare, "已整改 ÷ 发现隐患"},
		{r.HandedOver, ""},
		{r.Overdue, "截至统计时点，含统计期间以前发现的隐患"},
		{r.Open, "截至统计时点，含统计期间以前发现的隐患"},
		{len(r.RepeatOffenders), "同一检查项目在相邻两次已审核检查中均不合格"},
		{r.RepeatOffences, "（检查，项目）次数"},
		{r.Upgrades, "向绿码方向变化"},
		{r.Downgrades, "向红码方向变化"},
	}
}

// cst is China Standard Time, in which the period is printed.
var cst = clock.Location()

// Period returns the period as printed, e.g. "2026-01-01 至 2026-03-31":
// the end is exclusive, so a period ending at midnight ends the day before.
func (r *Report) Period() string {
	return span(r.From, r.To)
}

func span(from, to time.Time) string {
	f, t := from.In(cst), to.In(cst)
	midnight := func(x time.Time) bool {
		return x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0
	}
	if midnight(f) && midnight(t) {
		return f.Format("2006-01-02") + " 至 " + t.AddDate(0, 0, -1).Format("2006-01-02")
	}
	return f.Format("2006-01-02 15:04") + " 至 " + t.Format("2006-01-02 15:04")
}

// Title is the report's title, e.g. "临浦1号网格 检查统计".
func (r *Report) Title() string { return r.GridName + " 检查统计" }

// WriteXLSX writes the report as a workbook: the sheet 检查统计 with the
// figures, the code distribution and changes, the hazards per department and
// four charts (see the layout constants), and the sheet 屡教不改 listing the
// repeat offenders.
func WriteXLSX(w io.Writer, r Report) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := writeBook(f, &r); err != nil {
		return fmt.Errorf("stats: xlsx of %s: %w", r.GridName, err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("stats: xlsx of %s: write: %w", r.GridName, err)
	}
	return nil
}

type sheet struct {
	f    *excelize.File
	name string
	st   *styles
}

// set writes v at 1-based column c and row y with a style; a Ratio becomes
// a percentage, or "—" when undefined.
func (s *sheet) set(c, y int, v any, style int) error {
	cell, err := excelize.CoordinatesToCellName(c, y)
	if err != nil {
		return err
	}
	if rt, ok := v.(Ratio); ok {
		if rt.Valid() {
			v = rt.Value()
			if style == s.st.text || style == s.st.number {
				style = s.st.percent
			}
		} else {
			v = "—"
		}
	}
	if err := s.f.SetCellValue(s.name, cell, v); err != nil {
		return fmt.Errorf("cell %s: %w", cell, err)
	}
	if err := s.f.SetCellStyle(s.name, cell, cell, style); err != nil {
		return fmt.Errorf("cell %s: style: %w", cell, err)
	}
	return nil
}

// row writes values from column 1.
func (s *sheet) row(y int, style int, vs ...any) error {
	for i, v := range vs {
		if err := s.set(i+1, y, v, style); err != nil {
			return err
		}
	}
	return nil
}

func writeBook(f *excelize.File, r *Report) error {
	if err := f.SetSheetName(f.GetSheetName(0), SheetName); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: r.Title() + " " + r.Period(), Creator: "GridDesk", Language: "zh-CN"}); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	s := &sheet{f: f, name: SheetName, st: st}
	if err := s.set(1, 1, r.Title(), st.title); err != nil {
		return err
	}
	if err := s.set(1, 2, fmt.Sprintf("统计期间：%s（统计时点 %s）", r.Period(), r.AsOf.In(cst).Format("2006-01-02 15:04")), st.plain); err != nil {
		return err
	}

	// figures
	if err := s.row(FiguresRow, st.header, "指标", "数值", "说明"); err != nil {
		return err
	}
	for i, fg := range r.figures() {
		y := FiguresRow + 1 + i
		if err := s.row(y, st.text, Figures[i], fg.value, fg.note); err != nil {
			return err
		}
	}

	// codes now
	if err := s.row(CodesRow, st.header, "三色码（当前）", "对象数", "占比"); err != nil {
		return err
	}
	total := 0
	for _, c := range Codes {
		total += r.Codes[c]
	}
	for i, c := range Codes {
		if err := s.row(CodesRow+1+i, st.text, CodeNames[c], r.Codes[c], Ratio{Num: r.Codes[c], Den: total}); err != nil {
			return err
		}
	}

	// code changes
	if err := s.row(ChangesRow, st.header, "三色码变化", "次数"); err != nil {
		return err
	}
	for i, ch := range r.Changes {
		if err := s.row(ChangesRow+1+i, st.text, ch.Name(), ch.N); err != nil {
			return err
		}
	}

	// departments
	if err := s.row(DeptRow, st.header, "部门", "发现隐患", "一般隐患", "重大隐患", "应整改", "已整改", "整改率", "逾期未整改"); err != nil {
		return err
	}
	for i, d := range r.Departments {
		if err := s.row(DeptRow+1+i, st.text, d.Name, d.Hazards, d.General, d.Major, d.Due, d.Rectified, d.Rate, d.Overdue); err != nil {
			return err
		}
	}
	for _, cw := range []struct {
		col   string
		width float64
	}{{"A", 20}, {"B", 11}, {"C", 11}, {"D", 11}, {"E", 9}, {"F", 9}, {"G", 9}, {"H", 11}} {
		if err := f.SetColWidth(SheetName, cw.col, cw.col, cw.width); err != nil {
			return err
		}
	}
	if err := charts(f, r); err != nil {
		return err
	}
	return offenders(f, r, st)
}

// ref is an absolute reference to rows y0..y1 of a column of the figures sheet.
func ref(col string, y0, y1 int) string {
	return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", SheetName, col, y0, col, y1)
}

func cellRef(col string, y int) string { return fmt.Sprintf("'%s'!$%s$%d", SheetName, col, y) }

// Code colours, as on the map and the plates.
var codeColors = map[string]string{"green": "1E9E4A", "yellow": "F5C218", "red": "D92D20"}

func charts(f *excelize.File, r *Report) error {
	title := func(s string) excelize.ChartTitle {
		return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: s}}}
	}
	zero, one := 0.0, 1.0
	noVary := false
	var points []excelize.ChartDataPoint
	for i, c := range Codes {
		points = append(points, excelize.ChartDataPoint{Index: i, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{codeColors[c]}}})
	}
	if err := f.AddChart(SheetName, "J4", &excelize.Chart{
		Type: excelize.Pie,
		Series: []excelize.ChartSeries{{
			Name: cellRef("B", CodesRow), Categories: ref("A", CodesRow+1, CodesRow+3), Values: ref("B", CodesRow+1, CodesRow+3),
			DataPoint: points,
		}},
		Title:     title("三色码分布（当前）"),
		Legend:    excelize.ChartLegend{Position: "right"},
		PlotArea:  excelize.ChartPlotArea{ShowPercent: true, ShowVal: true},
		Dimension: excelize.ChartDimension{Width: 480, Height: 300},
	}); err != nil {
		return fmt.Errorf("pie chart: %w", err)
	}
	if err := f.AddChart(SheetName, "J21", &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name: cellRef("B", ChangesRow), Categories: ref("A", ChangesRow+1, ChangesRow+6), Values: ref("B", ChangesRow+1, ChangesRow+6),
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"4472C4"}},
		}},
		Title:      title("统计期间三色码变化"),
		Legend:     excelize.ChartLegend{Position: "none"},
		VaryColors: &noVary,
		XAxis:      excelize.ChartAxis{ReverseOrder: true},
		YAxis:      excelize.ChartAxis{Minimum: &zero, MajorGridLines: true},
		PlotArea:   excelize.ChartPlotArea{ShowVal: true},
		Dimension:  excelize.ChartDimension{Width: 480, Height: 300},
	}); err != nil {
		return fmt.Errorf("changes chart: %w", err)
	}
	n := len(r.Departments)
	if n == 0 {
		return nil
	}
	y0, y1 := DeptRow+1, DeptRow+n
	if err := f.AddChart(SheetName, "J38", &excelize.Chart{
		Type: excelize.ColStacked,
		Series: []excelize.ChartSeries{
			{Name: cellRef("C", DeptRow), Categories: ref("A", y0, y1), Values: ref("C", y0, y1),
				Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{codeColors["yellow"]}}},
			{Name: cellRef("D", DeptRow), Categories: ref("A", y0, y1), Values: ref("D", y0, y1),
				Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{codeColors["red"]}}},
		},
		Title:     title("各部门发现隐患"),
		Legend:    excelize.ChartLegend{Position: "bottom"},
		YAxis:     excelize.ChartAxis{Minimum: &zero, MajorGridLines: true},
		Dimension: excelize.ChartDimension{Width: 640, Height: 320},
	}); err != nil {
		return fmt.Errorf("department chart: %w", err)
	}
	if err := f.AddChart(SheetName, "J56", &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name: cellRef("G", DeptRow), Categories: ref("A", y0, y1), Values: ref("G", y0, y1),
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{codeColors["green"]}},
		}},
		Title:      title("各部门整改率"),
		Legend:     excelize.ChartLegend{Position: "none"},
		VaryColors: &noVary,
		XAxis:      excelize.ChartAxis{ReverseOrder: true},
		YAxis:      excelize.ChartAxis{Minimum: &zero, Maximum: &one, MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		PlotArea:   excelize.ChartPlotArea{ShowVal: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0.0%"}},
		Dimension:  excelize.ChartDimension{Width: 640, Height: uint(120 + 26*n)},
	}); err != nil {
		return fmt.Errorf("rate chart: %w", err)
	}
	return nil
}

// offenders writes the sheet of repeat offenders.
func offenders(f *excelize.File, r *Report, st *styles) error {
	if _, err := f.NewSheet(OffendersName); err != nil {
		return err
	}
	s := &sheet{f: f, name: OffendersName, st: st}
	if err := s.row(1, st.header, "对象编号", "名称", "网格", "重复不合格项目", "涉及检查次数", "最近一次"); err != nil {
		return err
	}
	for i, o := range r.RepeatOffenders {
		if err := s.row(i+2, st.text, o.EntityID, o.Name, o.GridName, strings.Join(o.ItemNames, "；"), o.Inspections,
			o.Last.In(cst).Format("2006-01-02")); err != nil {
			return err
		}
	}
	for _, cw := range []struct {
		col   string
		width float64
	}{{"A", 12}, {"B", 28}, {"C", 20}, {"D", 48}, {"E", 12}, {"F", 12}} {
		if err := f.SetColWidth(OffendersName, cw.col, cw.col, cw.width); err != nil {
			return err
		}
	}
	return f.SetPanes(OffendersName, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

type styles struct {
	title, plain, header, text, number, percent int
}

func newStyles(f *excelize.File) (*styles, error) {
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	s := &styles{}
	defs := []struct {
		dst *int
		st  excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.plain, excelize.Style{}},
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&s.text, excelize.Style{Border: border}},
		{&s.number, excelize.Style{Border: border, NumFmt: 1}},
		{&s.percent, excelize.Style{Border: border, NumFmt: 10}}, // 0.00%
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
