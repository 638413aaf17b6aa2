package desk

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"griddesk/domain"
	"griddesk/domain/clock"
)

// CaseLabels words a case list export in the user's language: the column
// names and the names of states, lights, sources and categories (never
// their codes).
type CaseLabels struct {
	Sheet    string
	Header   []string // number, title, category, state, light, grid, unit, source, reported, longitude, latitude, rating
	Status   func(domain.CaseStatus) string
	Light    func(clock.Light) string
	Source   func(string) string
	Category func(domain.Category) string
	Rating   func(domain.Satisfaction) string
}

func (l CaseLabels) record(c CaseRow) []string {
	rating := ""
	if c.Satisfaction != "" {
		rating = l.Rating(c.Satisfaction)
	}
	return []string{c.No, c.Title, l.Category(c.CategoryInfo), l.Status(c.Status), l.Light(c.Light), c.GridName, c.UnitName,
		l.Source(c.Source), c.ReportedAt.In(clock.Location()).Format("2006-01-02 15:04:05"),
		fmt.Sprintf("%.6f", c.Lon), fmt.Sprintf("%.6f", c.Lat), rating}
}

// WriteCaseList writes a case list as CSV (UTF-8 with a BOM, for Excel on
// Chinese Windows) or, format "xlsx", as a workbook, worded by l.
func WriteCaseList(w io.Writer, format string, rows []CaseRow, l CaseLabels) error {
	if format == "xlsx" {
		f := excelize.NewFile()
		defer f.Close()
		f.SetSheetName("Sheet1", l.Sheet)
		put := func(y int, vs []string) {
			for i, v := range vs {
				cell, _ := excelize.CoordinatesToCellName(i+1, y)
				f.SetCellValue(l.Sheet, cell, v)
			}
		}
		put(1, l.Header)
		for i, c := range rows {
			put(i+2, l.record(c))
		}
		f.SetPanes(l.Sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
		if err := f.Write(w); err != nil {
			return fmt.Errorf("desk: case list: %w", err)
		}
		return nil
	}
	if _, err := w.Write([]byte("\ufeff")); err != nil {
		return fmt.Errorf("desk: case list: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Write(l.Header)
	for _, c := range rows {
		cw.Write(l.record(c))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("desk: case list: %w", err)
	}
	return nil
}
