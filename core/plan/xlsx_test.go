package plan

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/xuri/excelize/v2"

	"griddesk/domain"
	"griddesk/seed"
)

// twoWeeks is a small plan of the demo town: two weeks of April 2026 (with
// the Qingming holiday) for its first three teams and every third entity in
// their areas, plus one shop no team covers, which overflows.
var twoWeeks = sync.OnceValues(func() (*Plan, Names) {
	now := time.Date(2026, 3, 31, 18, 0, 0, 0, shanghai)
	d := seed.Town(1, now)
	teams := TeamsFromUnits(d.Units)[:3]
	areas := map[string]orb.MultiPolygon{}
	for _, g := range d.Grids {
		areas[g.ID] = g.Geometry
	}
	var ents []domain.Entity
	for i, e := range d.Entities {
		if i%3 != 0 {
			continue
		}
		for _, t := range teams {
			if planar.MultiPolygonContains(areas[t.GridIDs[0]], orb.Point{e.Lon, e.Lat}) {
				ents = append(ents, e)
				break
			}
		}
	}
	ents = append(ents, domain.Entity{ID: "X-1", Kind: domain.KindShop, Name: "镇外小卖部", Address: "镇外路1号",
		Code: domain.CodeRed, Lon: 119.5, Lat: 29.5})
	// the shop was last checked on 10 March: its monthly items fall due
	// within the period, with no team to do them
	last := LastFromInspections(d.Inspections)
	lastOrShop := func(entityID, itemID string) (time.Time, bool) {
		if entityID == "X-1" {
			return time.Date(2026, 3, 10, 10, 0, 0, 0, shanghai), true
		}
		return last(entityID, itemID)
	}
	p, err := Generate(Input{
		Start:    time.Date(2026, 4, 1, 0, 0, 0, 0, shanghai),
		End:      time.Date(2026, 4, 14, 0, 0, 0, 0, shanghai),
		Teams:    teams,
		Entities: ents,
		Catalog:  d.CheckItems,
		Grids:    d.Grids,
		Last:     lastOrShop,
	})
	if err != nil {
		panic(err)
	}
	return p, NamesOf(ents, d.CheckItems, d.Units)
})

func writeXLSX(t *testing.T, p *Plan, n Names) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, p, n); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteXLSX(t *testing.T) {
	p, names := twoWeeks()
	t.Logf("%d teams, %d days, %d stops, %d overflow, %d coverage rows; reduction %+v",
		len(p.Teams), len(p.Days), p.Merged.Visits-p.SeparateTotals.Visits, len(p.Overflow), len(p.Coverage), p.Reduction)
	raw := writeXLSX(t, p, names)
	if again := writeXLSX(t, p, names); !bytes.Equal(raw, again) {
		t.Error("two writes of the same plan differ")
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{SheetItinerary, SheetSummary, SheetOverflow, SheetCoverage}; !slices.Equal(got, want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	if i := f.GetActiveSheetIndex(); i != 0 {
		t.Errorf("active sheet %d, want 0 (%s)", i, SheetItinerary)
	}
	get := func(sheet, cell string) string {
		t.Helper()
		v, err := f.GetCellValue(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	header := func(sheet string, want []string) {
		t.Helper()
		it, err := f.Rows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		if it.Next() {
			got, _ = it.Columns()
		}
		it.Close()
		if !slices.Equal(got, want) {
			t.Errorf("%s header %q, want %q", sheet, got, want)
		}
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: panes %+v, want the header row frozen", sheet, panes)
		}
	}
	header(SheetItinerary, ItineraryHeader)
	header(SheetSummary, SummaryHeader)
	header(SheetOverflow, OverflowHeader)
	header(SheetCoverage, CoverageHeader)

	// 行程: one row per stop, by team, date and order
	rows, err := f.GetRows(SheetItinerary)
	if err != nil {
		t.Fatal(err)
	}
	stops := 0
	for _, d := range p.Days {
		stops += len(d.Stops)
	}
	if len(rows)-1 != stops || stops == 0 {
		t.Fatalf("行程 has %d rows, want %d stops", len(rows)-1, stops)
	}
	y := 2
	cols := "ABCDEFGHIJKLMNO"
	for _, d := range byTeam(p) {
		for i, s := range d.Stops {
			row := rows[y-1]
			for len(row) < len(ItineraryHeader) {
				row = append(row, "")
			}
			cell := func(col string) string { return row[strings.Index(cols, col)] }
			want := map[string]string{
				"A": names.Teams[d.TeamID], "B": d.Date.Format(time.DateOnly), "C": strconv.Itoa(i + 1), "D": s.EntityID,
				"E": names.Entities[s.EntityID], "F": names.Addresses[s.EntityID], "G": codeNames[s.Code],
				"H": s.Arrive.In(shanghai).Format("15:04"), "I": strconv.FormatFloat(round1(s.Minutes), 'f', 1, 64),
				"K": strconv.Itoa(len(s.Items)), "N": s.Due.Format(time.DateOnly),
			}
			if s.Joint {
				want["M"] = "是"
			}
			for col, v := range want {
				if got := cell(col); got != v {
					t.Fatalf("行程!%s%d = %q, want %q (%s stop %d of %s)", col, y, got, v, d.TeamID, i+1, d.Date.Format(time.DateOnly))
				}
			}
			items := cell("J")
			for _, id := range s.Items {
				if !strings.Contains(items, names.Items[id]) {
					t.Fatalf("行程!J%d = %q lacks item %s", y, items, names.Items[id])
				}
			}
			depts := cell("L")
			for _, k := range s.Departments {
				if !strings.Contains(depts, names.Departments[k]) {
					t.Fatalf("行程!L%d = %q lacks department %s", y, depts, k)
				}
			}
			y++
		}
	}
	if get(SheetItinerary, "A2") != "第1检查组" {
		t.Errorf("the first stop is of %q, want 第1检查组", get(SheetItinerary, "A2"))
	}

	// 汇总
	b, m, r := p.Baseline, p.Merged, p.Reduction
	for cell, want := range map[string]string{
		"A2": "入户次数（户次）", "B2": strconv.Itoa(b.Visits), "C2": strconv.Itoa(m.Visits), "D2": strconv.Itoa(p.SeparateTotals.Visits),
		"E2": strconv.Itoa(b.Visits - m.Visits), "F2": fmt.Sprintf("%.2f%%", r.Visits),
		"A3": "出勤（组·天）", "B3": strconv.Itoa(b.Trips), "C3": strconv.Itoa(m.Trips), "F3": fmt.Sprintf("%.2f%%", r.Trips),
		"A4": "检查项次", "F4": fmt.Sprintf("%.2f%%", r.ItemChecks),
		"A5": "用时（分钟）", "B5": fmt.Sprintf("%.1f", b.Minutes), "F5": fmt.Sprintf("%.2f%%", r.Minutes),
		"A6": "里程（公里）", "C6": fmt.Sprintf("%.1f", m.Km), "F6": fmt.Sprintf("%.2f%%", r.Km),
		"A8": "计划期间", "B8": "2026-04-01 至 2026-04-14", "B10": strconv.Itoa(p.Period.Workdays),
		"A15": "检查组", "A16": "第1检查组", "E16": strconv.Itoa(p.Teams[0].Visits), "A18": "第3检查组",
	} {
		if got := get(SheetSummary, cell); got != want {
			t.Errorf("汇总!%s = %q, want %q", cell, got, want)
		}
	}

	// 未排入: the shop outside every team's area
	if len(p.Overflow) == 0 {
		t.Fatal("no overflow; the test wants the uncovered shop to overflow")
	}
	rows, err = f.GetRows(SheetOverflow)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != len(p.Overflow) {
		t.Errorf("未排入 has %d rows, want %d", len(rows)-1, len(p.Overflow))
	}
	found := false
	for i, o := range p.Overflow {
		row := rows[i+1]
		if row[1] != o.EntityID || row[10] != o.Reason.Text() || row[11] != o.Why || row[6] != o.Due.Format(time.DateOnly) {
			t.Errorf("未排入 row %d = %q, want %s %s %q", i+2, row, o.EntityID, o.Reason.Text(), o.Why)
		}
		if o.EntityID == "X-1" {
			found = true
			if row[2] != "镇外小卖部" || row[10] != "无检查组覆盖" || row[4] != "—" || row[7] != "未排入" {
				t.Errorf("未排入 row of the uncovered shop: %q", row)
			}
		}
	}
	if !found {
		t.Error("the uncovered shop X-1 is not in 未排入")
	}

	// 覆盖: one row per coverage entry, gap against frequency
	rows, err = f.GetRows(SheetCoverage, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != len(p.Coverage) {
		t.Fatalf("覆盖 has %d rows, want %d", len(rows)-1, len(p.Coverage))
	}
	bad := 0
	for i, cv := range p.Coverage {
		row := rows[i+1]
		for len(row) < len(CoverageHeader) {
			row = append(row, "")
		}
		want := "达标"
		if !cv.OK {
			want = "超期"
			bad++
		}
		if row[0] != cv.EntityID || row[2] != cv.ItemID || row[5] != strconv.Itoa(cv.FrequencyDays) ||
			row[8] != strconv.Itoa(len(cv.Dates)) || row[9] != strconv.Itoa(cv.MaxGapDays) || row[10] != want {
			t.Fatalf("覆盖 row %d = %q, want %+v", i+2, row, cv)
		}
		if len(cv.Dates) > 0 && !strings.HasPrefix(row[7], cv.Dates[0].In(shanghai).Format("01-02")) {
			t.Fatalf("覆盖 row %d dates %q, want %s first", i+2, row[7], cv.Dates[0].Format(time.DateOnly))
		}
	}
	if bad == 0 {
		t.Error("no coverage row over its frequency; the uncovered shop's should be")
	}
}

// TestWriteXLSXEmpty writes a plan without days or overflow.
func TestWriteXLSXEmpty(t *testing.T) {
	p := &Plan{Period: Period{Start: date(2026, 4, 1), End: date(2026, 4, 7), Days: 7, Workdays: 5},
		Teams: []TeamPlan{{ID: "T1", Name: "一组"}}}
	f, err := excelize.OpenReader(bytes.NewReader(writeXLSX(t, p, Names{})))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for sheet, want := range map[string][2]string{
		SheetItinerary: {"A2", ""}, SheetOverflow: {"A2", "无：所有检查均在应检日期前排入。"},
		SheetSummary: {"A16", "一组"}, SheetCoverage: {"A2", ""},
	} {
		if got, _ := f.GetCellValue(sheet, want[0]); got != want[1] {
			t.Errorf("%s!%s = %q, want %q", sheet, want[0], got, want[1])
		}
	}
	if err := WriteXLSX(&bytes.Buffer{}, nil, Names{}); err == nil {
		t.Error("nil plan: no error")
	}
}

// BenchmarkWriteXLSX writes the workbook of the two-week plan of three demo
// teams (a third of their entities).
func BenchmarkWriteXLSX(b *testing.B) {
	p, names := twoWeeks()
	b.ReportAllocs()
	var n int
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, p, names); err != nil {
			b.Fatal(err)
		}
		n = buf.Len()
	}
	b.ReportMetric(float64(len(p.Coverage)), "coverage-rows")
	b.ReportMetric(float64(n)/1024, "KB")
}
