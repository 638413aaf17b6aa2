// Package sheet writes plain workbooks: named sheets of rows, the first row
// of each a frozen header. The analysis and the bulletin write their tables
// with it.
package sheet

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Sheet is one sheet: its name and its rows, the header first.
type Sheet struct {
	Name string
	Rows [][]any
}

// Strings makes a sheet's rows from rows of strings.
func Strings(rows [][]string) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = make([]any, len(r))
		for j, v := range r {
			out[i][j] = v
		}
	}
	return out
}

// Write writes a workbook of the sheets, in order, with title as its
// document title.
func Write(w io.Writer, title string, sheets []Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "GridDesk", Language: "zh-CN"}); err != nil {
		return fmt.Errorf("sheet: %s: %w", title, err)
	}
	for i, s := range sheets {
		if err := put(f, i, s); err != nil {
			return fmt.Errorf("sheet: %s: %s: %w", title, s.Name, err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("sheet: %s: %w", title, err)
	}
	return nil
}

// put writes the i-th sheet (the first renames the workbook's own).
func put(f *excelize.File, i int, s Sheet) error {
	if i == 0 {
		if err := f.SetSheetName(f.GetSheetName(0), s.Name); err != nil {
			return err
		}
	} else if _, err := f.NewSheet(s.Name); err != nil {
		return err
	}
	for y, row := range s.Rows {
		for x, v := range row {
			cell, err := excelize.CoordinatesToCellName(x+1, y+1)
			if err != nil {
				return err
			}
			if err := f.SetCellValue(s.Name, cell, v); err != nil {
				return fmt.Errorf("%s: %w", cell, err)
			}
		}
	}
	return f.SetPanes(s.Name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}
