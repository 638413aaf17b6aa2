package plan

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"griddesk/domain"
)

// Names are the display names WriteXLSX prints. A plan holds IDs; a missing
// name falls back to what the plan knows (a team's or stop's own name) and
// then to the ID.
type Names struct {
	Teams       map[string]string // team ID → name, e.g. 第1检查组
	Entities    map[string]string // entity ID → name
	Addresses   map[string]string // entity ID → address
	Items       map[string]string // check item ID → name
	Departments map[string]string // department key → name, e.g. fire → 消防救援站
}

// NamesOf collects the names of entities, check items and units (teams and
// departments) from store data; any of them may be nil.
func NamesOf(ents []domain.Entity, items []domain.CheckItem, units []domain.Unit) Names {
	n := Names{Teams: map[string]string{}, Entities: make(map[string]string, len(ents)),
		Addresses: make(map[string]string, len(ents)), Items: make(map[string]string, len(items)),
		Departments: map[string]string{}}
	for i := range ents {
		n.Entities[ents[i].ID] = ents[i].Name
		if ents[i].Address != "" {
			n.Addresses[ents[i].ID] = ents[i].Address
		}
	}
	for _, it := range items {
		n.Items[it.ID] = it.Name
	}
	for _, u := range units {
		switch u.Kind {
		case domain.UnitTeam:
			n.Teams[u.ID] = u.Name
		case domain.UnitDepartment:
			if u.Department != "" {
				n.Departments[u.Department] = u.Name
			}
		}
	}
	return n
}

func lookup(m map[string]string, key, fallback string) string {
	if s := m[key]; s != "" {
		return s
	}
	if fallback != "" {
		return fallback
	}
	return key
}

// Text returns the reason in Chinese, for printed plans.
func (r Reason) Text() string {
	switch r {
	case ReasonCapacity:
		return "检查组运力不足"
	case ReasonNoWorkday:
		return "应检日前无工作日"
	case ReasonNoTeam:
		return "无检查组覆盖"
	}
	return string(r)
}

// Sheet names of the workbook WriteXLSX writes, in order.
const (
	SheetItinerary = "行程"
	SheetSummary   = "汇总"
	SheetOverflow  = "未排入"
	SheetCoverage  = "覆盖"
)

// Column headers of the sheets.
var (
	ItineraryHeader = []string{"检查组", "日期", "序号", "对象编号", "对象名称", "地址", "三色码", "到达时间",
		"现场用时（分钟）", "检查事项", "检查事项数", "部门", "联合检查", "应检日期", "备注"}
	SummaryHeader  = []string{"指标", "各部门单独检查（基线）", "合并后（三相一就）", "其中部门单独保留", "减少", "减少率"}
	OverflowHeader = []string{"序号", "对象编号", "对象名称", "地址", "检查组", "部门", "应检日期", "安排日期",
		"用时（分钟）", "检查事项", "原因", "说明"}
	CoverageHeader = []string{"对象编号", "对象名称", "检查事项编号", "检查事项", "部门", "要求频次（天）", "上次检查",
		"计划检查日期", "检查次数", "最长间隔（天）", "结果", "说明"}
)

var codeNames = map[string]string{domain.CodeRed: "红码", domain.CodeYellow: "黄码", domain.CodeGreen: "绿码"}

// WriteXLSX writes the plan as a workbook: 行程 (one row per stop, by team,
// date and visiting order, with the merged checklist), 汇总 (the period, the
// totals of the departments alone against the merged plan with the
// reductions, and one row per team), 未排入 (the overflow with its reasons)
// and 覆盖 (one row per entity and item: the planned checks and the longest
// gap against the required frequency). Every sheet has a frozen Chinese
// header row; the row sheets carry filters. Dates are Excel dates in China
// Standard Time. The same plan and names give the same cells.
func WriteXLSX(w io.Writer, p *Plan, names Names) error {
	if p == nil {
		return fmt.Errorf("plan: xlsx: no plan")
	}
	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(newSortedZip)
	x := &xlsxWriter{f: f, p: p, n: names}
	if err := x.write(); err != nil {
		return fmt.Errorf("plan: xlsx: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("plan: xlsx: write: %w", err)
	}
	return nil
}

type xlsxWriter struct {
	f *excelize.File
	p *Plan
	n Names
	// styles
	header, text, wrap, num, dec, pct, date, clock, bold, boldNum, boldDec, boldPct, warn int
}

func (x *xlsxWriter) write() error {
	p := x.p
	title := fmt.Sprintf("检查计划 %s 至 %s", p.Period.Start.In(shanghai).Format(time.DateOnly), p.Period.End.In(shanghai).Format(time.DateOnly))
	if err := x.f.SetDocProps(&excelize.DocProperties{Title: title, Subject: "三相一就 最多查一次", Creator: "GridDesk",
		Language: "zh-CN", Created: p.Period.Start.UTC().Format(time.RFC3339), Modified: p.Period.Start.UTC().Format(time.RFC3339)}); err != nil {
		return err
	}
	if err := x.styles(); err != nil {
		return err
	}
	if err := x.f.SetSheetName(x.f.GetSheetName(0), SheetItinerary); err != nil {
		return err
	}
	for _, s := range []string{SheetSummary, SheetOverflow, SheetCoverage} {
		if _, err := x.f.NewSheet(s); err != nil {
			return err
		}
	}
	for _, step := range []struct {
		sheet string
		fn    func(*excelize.StreamWriter) error
	}{
		{SheetItinerary, x.itinerary},
		{SheetSummary, x.summary},
		{SheetOverflow, x.overflow},
		{SheetCoverage, x.coverage},
	} {
		sw, err := x.f.NewStreamWriter(step.sheet)
		if err != nil {
			return err
		}
		if err := step.fn(sw); err != nil {
			return fmt.Errorf("sheet %s: %w", step.sheet, err)
		}
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("sheet %s: %w", step.sheet, err)
		}
	}
	// 行程, the first sheet, is the active one: SetActiveSheet would parse
	// the streamed sheets back
	return nil
}

func (x *xlsxWriter) styles() error {
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	bold := &excelize.Font{Bold: true}
	dateFmt, clockFmt, decFmt := "yyyy-mm-dd", "hh:mm", "0.0"
	top := &excelize.Alignment{Vertical: "top"}
	topWrap := &excelize.Alignment{Vertical: "top", WrapText: true}
	defs := []struct {
		dst *int
		st  excelize.Style
	}{
		{&x.header, excelize.Style{Font: bold, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&x.text, excelize.Style{Border: border, Alignment: top}},
		{&x.wrap, excelize.Style{Border: border, Alignment: topWrap}},
		{&x.num, excelize.Style{Border: border, Alignment: top, NumFmt: 1}},
		{&x.dec, excelize.Style{Border: border, Alignment: top, CustomNumFmt: &decFmt}},
		{&x.pct, excelize.Style{Border: border, Alignment: top, NumFmt: 10}},
		{&x.date, excelize.Style{Border: border, Alignment: top, CustomNumFmt: &dateFmt}},
		{&x.clock, excelize.Style{Border: border, Alignment: top, CustomNumFmt: &clockFmt}},
		{&x.bold, excelize.Style{Border: border, Font: bold, Alignment: top}},
		{&x.boldNum, excelize.Style{Border: border, Font: bold, Alignment: top, NumFmt: 1}},
		{&x.boldDec, excelize.Style{Border: border, Font: bold, Alignment: top, CustomNumFmt: &decFmt}},
		{&x.boldPct, excelize.Style{Border: border, Font: bold, Alignment: top, NumFmt: 10}},
		{&x.warn, excelize.Style{Border: border, Font: &excelize.Font{Bold: true, Color: "C81E1E"}, Alignment: top}},
	}
	for _, d := range defs {
		id, err := x.f.NewStyle(&d.st)
		if err != nil {
			return fmt.Errorf("style: %w", err)
		}
		*d.dst = id
	}
	return nil
}

// head writes a header row at row y and sets the column widths.
func (x *xlsxWriter) head(sw *excelize.StreamWriter, y int, header []string, widths []float64) error {
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	row := make([]any, len(header))
	for i, h := range header {
		row[i] = excelize.Cell{Value: h, StyleID: x.header}
	}
	return sw.SetRow(cellName(1, y), row, excelize.RowOpts{Height: 30})
}

// freeze freezes the rows above the first data row and cols columns.
func freeze(sw *excelize.StreamWriter, cols int) error {
	top := cellName(cols+1, 2)
	pane := "bottomLeft"
	if cols > 0 {
		pane = "bottomRight"
	}
	return sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: cols, YSplit: 1, TopLeftCell: top, ActivePane: pane})
}

// filter puts an Excel table with filter buttons over rows 1..last.
func filter(sw *excelize.StreamWriter, name string, cols, last int) error {
	if last < 2 {
		return nil
	}
	stripes := false
	return sw.AddTable(&excelize.Table{Range: "A1:" + cellName(cols, last), Name: name, StyleName: "TableStyleLight1", ShowRowStripes: &stripes})
}

func cellName(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// c is a styled cell.
func c(v any, style int) excelize.Cell { return excelize.Cell{Value: v, StyleID: style} }

// excelDay returns t's date in China Standard Time as a time excelize stores
// as that wall-clock date.
func excelDay(t time.Time) time.Time {
	y, m, d := t.In(shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// excelTime returns t's wall-clock time in China Standard Time.
func excelTime(t time.Time) time.Time {
	l := t.In(shanghai)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// dateCell is a date, or "—" for the zero time.
func (x *xlsxWriter) dateCell(t time.Time) excelize.Cell {
	if t.IsZero() {
		return c("—", x.text)
	}
	return c(excelDay(t), x.date)
}

func (x *xlsxWriter) itemNames(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = lookup(x.n.Items, id, "")
	}
	return strings.Join(out, "；")
}

func (x *xlsxWriter) deptName(key string) string { return lookup(x.n.Departments, key, "") }

func (x *xlsxWriter) teamName(id string) string {
	fallback := ""
	for _, t := range x.p.Teams {
		if t.ID == id {
			fallback = t.Name
			break
		}
	}
	return lookup(x.n.Teams, id, fallback)
}

// byTeam returns the plan's days grouped by team in the plan's team order,
// each team's days by date; days of teams not in p.Teams come last.
func byTeam(p *Plan) []*Day {
	out := make([]*Day, 0, len(p.Days))
	known := map[string]bool{}
	for _, t := range p.Teams {
		known[t.ID] = true
		for i := range p.Days {
			if p.Days[i].TeamID == t.ID {
				out = append(out, &p.Days[i])
			}
		}
	}
	for i := range p.Days {
		if !known[p.Days[i].TeamID] {
			out = append(out, &p.Days[i])
		}
	}
	return out
}

func (x *xlsxWriter) itinerary(sw *excelize.StreamWriter) error {
	if err := freeze(sw, 3); err != nil {
		return err
	}
	if err := x.head(sw, 1, ItineraryHeader, []float64{12, 11, 6, 10, 24, 30, 7, 9, 10, 60, 8, 30, 9, 11, 12}); err != nil {
		return err
	}
	y := 1
	for _, d := range byTeam(x.p) {
		team := x.teamName(d.TeamID)
		for i, s := range d.Stops {
			y++
			depts := make([]string, len(s.Departments))
			for j, k := range s.Departments {
				depts[j] = x.deptName(k)
			}
			joint := ""
			if s.Joint {
				joint = "是"
			}
			var notes []string
			noteStyle := x.text
			if s.Late {
				notes = append(notes, "逾期")
				noteStyle = x.warn
			}
			if s.Locked {
				notes = append(notes, "已锁定")
			}
			code := codeNames[s.Code]
			if code == "" {
				code = s.Code
			}
			row := []any{
				c(team, x.text), c(excelDay(d.Date), x.date), c(i+1, x.num), c(s.EntityID, x.text),
				c(lookup(x.n.Entities, s.EntityID, s.Name), x.text), c(x.n.Addresses[s.EntityID], x.text), c(code, x.text),
				c(excelTime(s.Arrive), x.clock), c(round1(s.Minutes), x.dec), c(x.itemNames(s.Items), x.wrap),
				c(len(s.Items), x.num), c(strings.Join(depts, "、"), x.wrap), c(joint, x.text), x.dateCell(s.Due),
				c(strings.Join(notes, "，"), noteStyle),
			}
			if err := sw.SetRow(cellName(1, y), row); err != nil {
				return err
			}
		}
	}
	return filter(sw, "Itinerary", len(ItineraryHeader), y)
}

func (x *xlsxWriter) summary(sw *excelize.StreamWriter) error {
	p := x.p
	if err := freeze(sw, 0); err != nil {
		return err
	}
	if err := x.head(sw, 1, SummaryHeader, []float64{24, 22, 22, 18, 12, 12}); err != nil {
		return err
	}
	b, m, s, r := p.Baseline, p.Merged, p.SeparateTotals, p.Reduction
	type metric struct {
		name          string
		base, mg, sep float64
		pct           float64
		dec           bool
	}
	metrics := []metric{
		{"入户次数（户次）", float64(b.Visits), float64(m.Visits), float64(s.Visits), r.Visits, false},
		{"出勤（组·天）", float64(b.Trips), float64(m.Trips), float64(s.Trips), r.Trips, false},
		{"检查项次", float64(b.ItemChecks), float64(m.ItemChecks), float64(s.ItemChecks), r.ItemChecks, false},
		{"用时（分钟）", round1(b.Minutes), round1(m.Minutes), round1(s.Minutes), r.Minutes, true},
		{"里程（公里）", round1(b.Km), round1(m.Km), round1(s.Km), r.Km, true},
	}
	y := 1
	for _, mt := range metrics {
		y++
		ns, bs := x.num, x.boldNum
		if mt.dec {
			ns, bs = x.dec, x.boldDec
		}
		if err := sw.SetRow(cellName(1, y), []any{c(mt.name, x.bold), c(mt.base, ns), c(mt.mg, bs), c(mt.sep, ns),
			c(round1(mt.base-mt.mg), ns), c(mt.pct/100, x.boldPct)}); err != nil {
			return err
		}
	}

	// the period and the teams
	y += 2
	per := p.Period
	info := [][2]any{
		{"计划期间", fmt.Sprintf("%s 至 %s", per.Start.In(shanghai).Format(time.DateOnly), per.End.In(shanghai).Format(time.DateOnly))},
		{"天数", per.Days},
		{"工作日", per.Workdays},
		{"检查组", len(p.Teams)},
		{"部门单独保留检查", len(p.Separate)},
		{"未排入及逾期", len(p.Overflow)},
	}
	for _, kv := range info {
		style := x.text
		if _, ok := kv[1].(int); ok {
			style = x.num
		}
		if err := sw.SetRow(cellName(1, y), []any{c(kv[0], x.bold), c(kv[1], style)}); err != nil {
			return err
		}
		y++
	}
	y++
	teamHeader := []string{"检查组", "覆盖对象", "工作日", "出勤天数", "入户次数", "用时（分钟）", "里程（公里）"}
	row := make([]any, len(teamHeader))
	for i, h := range teamHeader {
		row[i] = c(h, x.header)
	}
	if err := sw.SetRow(cellName(1, y), row, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	for _, t := range p.Teams {
		y++
		if err := sw.SetRow(cellName(1, y), []any{c(x.teamName(t.ID), x.text), c(t.Entities, x.num), c(t.Workdays, x.num),
			c(t.Days, x.num), c(t.Visits, x.num), c(round1(t.Minutes), x.dec), c(round1(t.Km), x.dec)}); err != nil {
			return err
		}
	}
	return nil
}

func (x *xlsxWriter) overflow(sw *excelize.StreamWriter) error {
	if err := freeze(sw, 0); err != nil {
		return err
	}
	if err := x.head(sw, 1, OverflowHeader, []float64{6, 10, 24, 30, 12, 16, 11, 11, 10, 50, 18, 60}); err != nil {
		return err
	}
	y := 1
	for i, o := range x.p.Overflow {
		y++
		team := "—"
		if o.TeamID != "" {
			team = x.teamName(o.TeamID)
		}
		dept := "检查组合并检查"
		if o.Department != "" {
			dept = x.deptName(o.Department)
		}
		sched := c("未排入", x.warn)
		if !o.Scheduled.IsZero() {
			sched = c(excelDay(o.Scheduled), x.date)
		}
		if err := sw.SetRow(cellName(1, y), []any{c(i+1, x.num), c(o.EntityID, x.text),
			c(lookup(x.n.Entities, o.EntityID, ""), x.text), c(x.n.Addresses[o.EntityID], x.text), c(team, x.text),
			c(dept, x.text), x.dateCell(o.Due), sched, c(round1(o.Minutes), x.dec), c(x.itemNames(o.Items), x.wrap),
			c(o.Reason.Text(), x.text), c(o.Why, x.wrap)}); err != nil {
			return err
		}
	}
	if y == 1 {
		return sw.SetRow("A2", []any{c("无：所有检查均在应检日期前排入。", x.text)})
	}
	return filter(sw, "Overflow", len(OverflowHeader), y)
}

func (x *xlsxWriter) coverage(sw *excelize.StreamWriter) error {
	if err := freeze(sw, 2); err != nil {
		return err
	}
	if err := x.head(sw, 1, CoverageHeader, []float64{10, 24, 12, 30, 16, 9, 11, 40, 8, 9, 8, 14}); err != nil {
		return err
	}
	y := 1
	layout := "01-02"
	if x.p.Period.Start.In(shanghai).Year() != x.p.Period.End.In(shanghai).Year() {
		layout = time.DateOnly
	}
	var dates strings.Builder
	for _, cv := range x.p.Coverage {
		y++
		dates.Reset()
		for i, d := range cv.Dates {
			if i > 0 {
				dates.WriteString("、")
			}
			dates.WriteString(d.In(shanghai).Format(layout))
		}
		last := x.dateCell(cv.Last)
		note := ""
		switch {
		case cv.Never:
			note = "从未检查，自期初起算"
			last = c("从未检查", x.text)
		case cv.CatchUp:
			note = "期初已逾期，自期初起算"
		}
		result := c("达标", x.text)
		if !cv.OK {
			result = c("超期", x.warn)
		}
		if err := sw.SetRow(cellName(1, y), []any{c(cv.EntityID, x.text), c(lookup(x.n.Entities, cv.EntityID, ""), x.text),
			c(cv.ItemID, x.text), c(lookup(x.n.Items, cv.ItemID, ""), x.text), c(x.deptName(cv.Department), x.text),
			c(cv.FrequencyDays, x.num), last, c(dates.String(), x.text), c(len(cv.Dates), x.num),
			c(cv.MaxGapDays, x.num), result, c(note, x.text)}); err != nil {
			return err
		}
	}
	return filter(sw, "Coverage", len(CoverageHeader), y)
}

// sortedZip is a zip writer that writes its entries in name order when
// closed. excelize adds streamed sheets in map order; sorting makes the
// same workbook the same bytes. Entries are compressed as they are written
// and kept compressed until Close.
type sortedZip struct {
	zw      *zip.Writer
	entries []*zipEntry
}

type zipEntry struct {
	name string
	buf  bytes.Buffer // compressed
	fw   *flate.Writer
	crc  uint32
	size uint64
}

func (e *zipEntry) Write(b []byte) (int, error) {
	e.crc = crc32.Update(e.crc, crc32.IEEETable, b)
	e.size += uint64(len(b))
	return e.fw.Write(b)
}

func newSortedZip(w io.Writer) excelize.ZipWriter { return &sortedZip{zw: zip.NewWriter(w)} }

func (z *sortedZip) Create(name string) (io.Writer, error) {
	e := &zipEntry{name: name}
	fw, err := flate.NewWriter(&e.buf, flate.DefaultCompression)
	if err != nil {
		return nil, err
	}
	e.fw = fw
	z.entries = append(z.entries, e)
	return e, nil
}

func (z *sortedZip) AddFS(fs.FS) error { return errors.New("sorted zip: AddFS is not supported") }

func (z *sortedZip) Close() error {
	slices.SortStableFunc(z.entries, func(a, b *zipEntry) int { return strings.Compare(a.name, b.name) })
	for _, e := range z.entries {
		if err := e.fw.Close(); err != nil {
			return err
		}
		w, err := z.zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: e.crc,
			CompressedSize64: uint64(e.buf.Len()), UncompressedSize64: e.size})
		if err != nil {
			return err
		}
		if _, err := e.buf.WriteTo(w); err != nil {
			return err
		}
	}
	return z.zw.Close()
}
