package desk_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// One clock: the case list a desk on a UTC machine exports (CSV, XLSX)
// carries China Standard Time (DESIGN.md §2).
func TestCaseExportsOnUTCMachineAreChinaTime(t *testing.T) {
	old := time.Local
	time.Local = time.UTC // a PC set to UTC; the store hands back times in it
	t.Cleanup(func() { time.Local = old })
	reported := time.UnixMilli(time.Date(2026, 3, 2, 20, 35, 0, 0, clock.Location()).UnixMilli())
	rows := []desk.CaseRow{{Case: domain.Case{ID: "C1", No: "2026-0001", Title: "井盖缺失", Status: domain.StatusReported, ReportedAt: reported}}}
	const want = "2026-03-02 20:35:00"
	var csv bytes.Buffer
	if err := desk.WriteCasesCSV(&csv, rows); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv.String(), want) {
		t.Errorf("CSV lacks %s:\n%s", want, csv.String())
	}
	var xlsx bytes.Buffer
	if err := desk.WriteCasesXLSX(&xlsx, rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, _ := f.GetCellValue("案件", "I2"); got != want {
		t.Errorf("XLSX 上报时间 = %q, want %q", got, want)
	}
}
