package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/desk"
)

// detailPanel is the side panel under the queue: what is selected (a case,
// an entity, a grid, a place) and buttons for what can be done with it; for
// a case, its workflow steps, asked for and issued here (caseactions.go).
type detailPanel struct {
	info     *widget.Label
	box      *fyne.Container // the buttons
	obj      fyne.CanvasObject
	cur      *desk.CaseRow // the case whose steps the buttons offer, or nil
	selected string        // ID of the case shown, or ""

	desk   *desk.Desk
	br     *bridge
	onPage func(id string) // open a case's page
}

func newDetailPanel(br *bridge, onPage func(id string)) *detailPanel {
	dp := &detailPanel{desk: br.desk, br: br, onPage: onPage, box: container.NewGridWrap(fyne.NewSize(130, 36))}
	dp.info = widget.NewLabel(lang.L("Tap an entity, case or grid on the map to see it here."))
	dp.info.Wrapping = fyne.TextWrapWord
	dp.obj = container.NewVBox(widget.NewSeparator(), dp.info, dp.box)
	return dp
}

// say shows a message in the panel, leaving the selection.
func (dp *detailPanel) say(text string) { dp.info.SetText(text) }

// showCase shows a case with its steps.
func (dp *detailPanel) showCase(c desk.CaseRow) {
	dp.selected = c.ID
	dp.info.SetText(caseText(c))
	dp.steps(&c)
}

// showOther shows something that is not a case (text "" keeps the text)
// with buttons of its own.
func (dp *detailPanel) showOther(text string, buttons ...fyne.CanvasObject) {
	dp.selected, dp.cur = "", nil
	if text != "" {
		dp.info.SetText(text)
	}
	dp.box.Objects = buttons
	dp.box.Refresh()
}

// keep shows the case on display as a fresh read has it (its steps
// follow its state); a case that left the open queue keeps its text and
// loses its buttons.
func (dp *detailPanel) keep(row func(id string) (desk.CaseRow, bool)) {
	if dp.selected == "" {
		return
	}
	if c, ok := row(dp.selected); ok {
		dp.info.SetText(caseText(c))
		dp.steps(&c)
		return
	}
	dp.steps(nil)
}

// page opens the shown case's page (Ctrl+E).
func (dp *detailPanel) page() {
	if dp.selected != "" {
		dp.onPage(dp.selected)
	}
}

// quick asks for a step of the shown case by keyboard (Ctrl+D).
func (dp *detailPanel) quick(action string) {
	if dp.cur != nil {
		dp.ask(*dp.cur, action)
	}
}
