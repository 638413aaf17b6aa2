package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// TestCaseRowGolden renders a queue row: its light, its title (NEW while fresh)
// and details (pending sync, the running clock), truncated to the width.
func TestCaseRowGolden(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, time.Local)
	dispatched := desk.CaseRow{
		Case:         domain.Case{No: "2026-0113", Title: "井盖缺失", Status: domain.StatusDispatched},
		CategoryInfo: domain.Category{Name: "道路设施", NameEn: "Roads and facilities"},
		GridName:     "浦南村1-3微网格", UnitName: "住房和城乡建设办", Light: clock.LightRed,
	}
	fresh := desk.CaseRow{
		Case:         domain.Case{No: "2026-0114", Title: "占道经营", Status: domain.StatusRegistered},
		CategoryInfo: domain.Category{Name: "市容环境", NameEn: "City appearance"},
		GridName:     "浦南村", Light: clock.LightGreen, Pending: true, NextDeadline: now.Add(2*time.Minute + 5*time.Second),
	}
	for _, tt := range []struct {
		golden string
		row    desk.CaseRow
		fresh  bool
		size   fyne.Size
	}{
		{"case_row.xml", dispatched, false, fyne.NewSize(420, 70)},
		{"case_row_fresh.xml", fresh, true, fyne.NewSize(640, 90)},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			newTestApp(t)
			row := newCaseRow()
			row.set(tt.row, now, tt.fresh)
			w := test.NewTempWindow(t, row)
			w.Resize(tt.size)
			test.AssertRendersToMarkup(t, tt.golden, w.Canvas())
		})
	}
}

// TestCaseRowKeepsItsState: the row set before it is first drawn shows the
// same as one set after (state in the widget, drawing in the renderer).
func TestCaseRowKeepsItsState(t *testing.T) {
	newTestApp(t)
	c := desk.CaseRow{Case: domain.Case{No: "2026-0001", Title: "噪音扰民", Status: domain.StatusReported}, Light: clock.LightYellow}
	early, late := newCaseRow(), newCaseRow()
	early.set(c, time.Time{}, true)
	r := test.TempWidgetRenderer(t, late).(*caseRowRenderer)
	late.set(c, time.Time{}, true)
	e := test.TempWidgetRenderer(t, early).(*caseRowRenderer)
	if e.title.Text != r.title.Text || e.detail.Text != r.detail.Text || e.dot.FillColor != r.dot.FillColor {
		t.Errorf("set before drawing: %q %q %v; after: %q %q %v", e.title.Text, e.detail.Text, e.dot.FillColor, r.title.Text, r.detail.Text, r.dot.FillColor)
	}
	if e.title.Text != "NEW  2026-0001  噪音扰民" || e.dot.FillColor != colYellow {
		t.Errorf("row = %q in %v", e.title.Text, e.dot.FillColor)
	}
}
