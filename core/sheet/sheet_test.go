package sheet_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"

	"griddesk/core/sheet"
)

// Sheets land in order, with their rows, numbers as numbers.
func TestWrite(t *testing.T) {
	var b bytes.Buffer
	err := sheet.Write(&b, "研判", []sheet.Sheet{
		{Name: "热点网格", Rows: [][]any{{"网格", "合计"}, {"一号网格", 7}}},
		{Name: "高发地址", Rows: sheet.Strings([][]string{{"地址"}, {"峙山路18号"}})},
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tc := range []struct{ sheet, cell, want string }{
		{"热点网格", "A2", "一号网格"}, {"热点网格", "B2", "7"}, {"高发地址", "A2", "峙山路18号"},
	} {
		if got, err := f.GetCellValue(tc.sheet, tc.cell); err != nil || got != tc.want {
			t.Errorf("%s %s: %q %v, want %q", tc.sheet, tc.cell, got, err, tc.want)
		}
	}
	if got := fmt.Sprint(f.GetSheetList()); got != "[热点网格 高发地址]" {
		t.Errorf("sheets %s", got)
	}
	if typ, _ := f.GetCellType("热点网格", "B2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("B2 is a %v, want a number", typ)
	}
}
