package kpi_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"griddesk/core/kpi"
	"griddesk/domain/clock"
	"griddesk/seed"
)

func TestWriteXLSX(t *testing.T) {
	cases, tl := march(t)
	rep := kpi.Compute(cases, tl, units, nil, at(t, "2026-03-01 00:00:00"))
	var buf bytes.Buffer
	if err := kpi.WriteXLSX(&buf, rep); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != kpi.SheetName {
		t.Fatalf("sheets %v, want [%s]", got, kpi.SheetName)
	}
	const s = kpi.SheetName
	// rows: ranking U-C, U-E, U-B, U-A; then unranked U-F; then 合计.
	// Columns: A 排名 B 单位 C 类型 D 应结案数 E 挂账数 F 结案数 G 按期结案数 H 挂账后结案数
	// I 处置数 J 返工数 K 结案率 L 按期结案率 M 返工率 N 延期率 O 评价数 P 满意率,
	// Q.. step times (AA, AB: 结案 median and P90).
	tests := []struct {
		cell, want string
	}{
		{"A1", "排名"}, {"B1", "单位"}, {"D1", "应结案数"}, {"K1", "结案率"}, {"L1", "按期结案率"},
		{"M1", "返工率"}, {"N1", "延期率"}, {"O1", "评价数"}, {"P1", "满意率"}, {"Q1", "派遣用时中位数"}, {"R1", "派遣用时P90"}, {"AA1", "结案用时中位数"},
		{"A2", "1"}, {"B2", "第1部门"}, {"C2", "职能部门"}, {"D2", "1"}, {"L2", "100.00%"},
		{"A3", "2"}, {"B3", "第0工作站"}, {"L3", "50.00%"},
		{"A4", "3"}, {"B4", "第2工作站"}, {"C4", "村网格工作站"}, {"D4", "4"}, {"E4", "2"}, {"F4", "2"}, {"H4", "1"},
		{"K4", "100.00%"}, {"L4", "50.00%"}, {"M4", "0.00%"}, {"N4", "50.00%"},
		{"A5", "4"}, {"B5", "第3中队"}, {"K5", "66.67%"}, {"L5", "33.33%"}, {"M5", "50.00%"},
		{"O5", "0"}, {"P5", "—"}, {"Q5", "0:00:20"}, {"R5", "0:00:30"}, // U-A dispatch: 20s, 30s
		{"AA5", "1:30:00"}, {"AB5", "73:00:00"}, // U-A close: 1h30m, 73h
		{"A6", "—"}, {"B6", "第5部门"}, {"D6", "0"}, {"K6", "—"}, {"L6", "—"}, {"S6", "—"},
		{"B7", "合计"}, {"D7", "10"}, {"F7", "7"}, {"G7", "4"}, {"K7", "87.50%"}, {"L7", "50.00%"},
		{"M7", "12.50%"}, {"N7", "20.00%"}, {"AA7", "73:00:00"}, {"AB7", "409:00:00"},
		{"A8", ""},
	}
	for _, tt := range tests {
		got, err := f.GetCellValue(s, tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s = %q, want %q", tt.cell, got, tt.want)
		}
	}
	// rates are numbers underneath
	if raw, _ := f.GetCellValue(s, "L5", excelize.Options{RawCellValue: true}); !strings.HasPrefix(raw, "0.333") {
		t.Errorf("L5 raw %q, want 1/3", raw)
	}
	panes, err := f.GetPanes(s)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 2 {
		t.Errorf("panes %+v: want the header row and unit columns frozen", panes)
	}
	// the chart: a bar chart of 按期结案率 (L) over unit names (B), rows 2–5
	chart := zipFile(t, buf.Bytes(), "xl/charts/chart1.xml")
	for _, want := range []string{"<barChart>", `<barDir val="bar">`, `<varyColors val="0">`,
		"月度考核&#39;!$L$2:$L$5", "月度考核&#39;!$B$2:$B$5", "2026年3月 单位考核 按期结案率"} {
		if !strings.Contains(chart, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
}

// TestWriteXLSXTown writes a demo month and an empty one.
func TestWriteXLSXTown(t *testing.T) {
	now := time.Date(2026, 3, 20, 10, 0, 0, 0, clock.Location())
	d := seed.Town(1, now)
	for _, month := range []time.Time{now.AddDate(0, -1, 0), now.AddDate(1, 0, 0)} {
		rep := kpi.Compute(d.Cases, timelines(d.Actions), d.Units, nil, month)
		var buf bytes.Buffer
		if err := kpi.WriteXLSX(&buf, rep); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(kpi.SheetName)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if want := 1 + len(rep.Rows) + 1; len(rows) != want {
			t.Errorf("%s: %d rows, want %d", month.Format("2006-01"), len(rows), want)
		}
		if last := rows[len(rows)-1]; len(last) < 2 || last[1] != "合计" {
			t.Errorf("%s: last row %v, want the total", month.Format("2006-01"), last)
		}
	}
}

func zipFile(t *testing.T, b []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range z.File {
		if zf.Name == name {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			data, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(data)
		}
	}
	t.Fatalf("no %s in the workbook", name)
	return ""
}
