package ui

import (
	"context"
	"time"

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

	desk         *desk.Desk
	br           *bridge
	onPage       func(id string)        // open a case's page
	gridName     func(id string) string // a grid's name, for the dispatch suggestion
	lastForm     *formDialog            // the last form opened here (tests look at it)
	lastRegister *registerForm          // the last hotline form
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
	text := caseText(c)
	if c.Satisfaction != "" {
		text += "\n" + lang.L("Rating") + ": " + lang.L(satisfactionLabel[c.Satisfaction])
	}
	dp.info.SetText(text)
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

// keep shows the case on display as a fresh read has it: its text and
// its steps follow its state. A case that left the open queue (closed,
// say) is read again on its own, so it shows closed, with what may be done
// now (evaluate).
func (dp *detailPanel) keep(row func(id string) (desk.CaseRow, bool)) {
	if dp.selected == "" {
		return
	}
	if c, ok := row(dp.selected); ok {
		dp.showCase(c)
		return
	}
	id := dp.selected
	load(dp.br, func(ctx context.Context) (desk.CaseRow, error) { return dp.desk.CaseRow(ctx, id, time.Now()) }, func(c desk.CaseRow) {
		if dp.selected == id {
			dp.showCase(c)
		}
	})
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

// press taps the panel's i-th button (Ctrl+1 … Ctrl+9).
func (dp *detailPanel) press(i int) {
	if i < len(dp.box.Objects) {
		if b, ok := dp.box.Objects[i].(*widget.Button); ok && !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
	}
}
