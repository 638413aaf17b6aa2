package stats_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"griddesk/core/stats"
)

func TestWriteXLSX(t *testing.T) {
	r := stats.Compute(world())
	var buf bytes.Buffer
	if err := stats.WriteXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != stats.SheetName || got[1] != stats.OffendersName {
		t.Fatalf("sheets %v", got)
	}
	fig := func(label string) string { // B cell of a figure
		for i, l := range stats.Figures {
			if l == label {
				return fmt.Sprintf("B%d", stats.FiguresRow+1+i)
			}
		}
		t.Fatalf("no figure %q", label)
		return ""
	}
	row := func(col string, y int) string { return fmt.Sprintf("%s%d", col, y) }
	tests := []struct {
		sheet, cell, want string
	}{
		{stats.SheetName, "A1", "全镇 检查统计"},
		{stats.SheetName, "A2", "统计期间：2026-03-01 至 2026-03-31（统计时点 2026-03-20 12:00）"},
		{stats.SheetName, "A4", "指标"}, {stats.SheetName, "B4", "数值"},
		{stats.SheetName, "A5", "监管对象数"}, {stats.SheetName, "B5", "5"},
		{stats.SheetName, fig("检查次数"), "8"},
		{stats.SheetName, fig("其中：已审核"), "6"},
		{stats.SheetName, fig("覆盖率"), "100.00%"},
		{stats.SheetName, fig("发现隐患"), "6"},
		{stats.SheetName, fig("其中：重大隐患"), "2"},
		{stats.SheetName, fig("应整改隐患"), "5"},
		{stats.SheetName, fig("已整改"), "2"},
		{stats.SheetName, fig("整改率"), "40.00%"},
		{stats.SheetName, fig("已整改占全部隐患"), "33.33%"},
		{stats.SheetName, fig("逾期未整改"), "3"},
		{stats.SheetName, fig("屡教不改对象"), "2"},
		{stats.SheetName, fig("屡教不改次数"), "3"},
		{stats.SheetName, fig("三色码降级"), "2"},
		{stats.SheetName, row("A", stats.CodesRow), "三色码（当前）"},
		{stats.SheetName, row("A", stats.CodesRow+1), "绿码"}, {stats.SheetName, row("B", stats.CodesRow+1), "2"},
		{stats.SheetName, row("C", stats.CodesRow+1), "40.00%"},
		{stats.SheetName, row("A", stats.CodesRow+3), "红码"}, {stats.SheetName, row("B", stats.CodesRow+3), "2"},
		{stats.SheetName, row("A", stats.ChangesRow), "三色码变化"},
		{stats.SheetName, row("A", stats.ChangesRow+3), "黄码→绿码"}, {stats.SheetName, row("B", stats.ChangesRow+3), "1"},
		{stats.SheetName, row("A", stats.ChangesRow+6), "红码→黄码"}, {stats.SheetName, row("B", stats.ChangesRow+6), "0"},
		{stats.SheetName, row("A", stats.DeptRow), "部门"}, {stats.SheetName, row("G", stats.DeptRow), "整改率"},
		{stats.SheetName, row("A", stats.DeptRow+1), "消防救援站"}, {stats.SheetName, row("B", stats.DeptRow+1), "2"},
		{stats.SheetName, row("G", stats.DeptRow+1), "50.00%"}, {stats.SheetName, row("H", stats.DeptRow+1), "1"},
		{stats.SheetName, row("A", stats.DeptRow+3), "市场监督管理所"}, {stats.SheetName, row("G", stats.DeptRow+3), "0.00%"},
		{stats.SheetName, row("A", stats.DeptRow+4), "safety"}, {stats.SheetName, row("G", stats.DeptRow+4), "—"},
		{stats.SheetName, row("A", stats.DeptRow+5), ""},
		{stats.OffendersName, "A1", "对象编号"},
		{stats.OffendersName, "A2", "E3"}, {stats.OffendersName, "B2", "丙厂"}, {stats.OffendersName, "C2", "二号1微网格"},
		{stats.OffendersName, "D2", "通道畅通；燃气报警器"}, {stats.OffendersName, "E2", "2"}, {stats.OffendersName, "F2", "2026-03-18"},
		{stats.OffendersName, "A3", "E1"}, {stats.OffendersName, "A4", ""},
	}
	for _, tt := range tests {
		got, err := f.GetCellValue(tt.sheet, tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s!%s = %q, want %q", tt.sheet, tt.cell, got, tt.want)
		}
	}
	if n := len(stats.Figures); stats.CodesRow != stats.FiguresRow+n+2 {
		t.Errorf("codes table at row %d overlaps %d figures", stats.CodesRow, n)
	}
	// four charts: pie, changes, departments, rates
	charts := chartXML(t, buf.Bytes())
	if len(charts) != 4 {
		t.Fatalf("%d charts, want 4", len(charts))
	}
	for _, want := range []string{"<pieChart>", "<barChart>", `<grouping val="stacked">`, "1E9E4A", "F5C218", "D92D20"} {
		if !strings.Contains(strings.Join(charts, "\n"), want) {
			t.Errorf("charts lack %s", want)
		}
	}
}

// TestWriteXLSXEmpty: a report with nothing in it still makes a workbook,
// with the two code charts and no department charts.
func TestWriteXLSXEmpty(t *testing.T) {
	in := world()
	in.GridID = "NOPE"
	in.Items = nil
	var buf bytes.Buffer
	if err := stats.WriteXLSX(&buf, stats.Compute(in)); err != nil {
		t.Fatal(err)
	}
	if n := len(chartXML(t, buf.Bytes())); n != 2 {
		t.Errorf("%d charts, want 2", n)
	}
}

func chartXML(t *testing.T, b []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			var sb strings.Builder
			buf := make([]byte, 32<<10)
			for {
				n, err := rc.Read(buf)
				sb.Write(buf[:n])
				if err != nil {
					break
				}
			}
			rc.Close()
			out = append(out, sb.String())
		}
	}
	return out
}
