package ui

import (
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"griddesk/desk"
)

// caseRow is a line of the open-case queue: the case's light, its number
// and title (marked NEW for a while after it came in) and a line of
// details with the running clock.
type caseRow struct {
	widget.BaseWidget

	row   desk.CaseRow
	now   time.Time // the clock counts to here
	fresh bool
}

func newCaseRow() *caseRow {
	r := &caseRow{}
	r.ExtendBaseWidget(r)
	return r
}

// set shows case c as of now.
func (r *caseRow) set(c desk.CaseRow, now time.Time, fresh bool) {
	r.row, r.now, r.fresh = c, now, fresh
	r.Refresh()
}

// CreateRenderer links the row to its renderer (Fyne calls it).
func (r *caseRow) CreateRenderer() fyne.WidgetRenderer {
	dot := canvas.NewCircle(colNone)
	dot.StrokeColor = color.NRGBA{A: 0x90}
	dot.StrokeWidth = 1
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	rr := &caseRowRenderer{row: r, dot: dot, title: title, detail: detail, objects: []fyne.CanvasObject{dot, title, detail}}
	rr.Refresh()
	return rr
}

// caseRowRenderer draws a caseRow: the light at the left, centred, and the
// two lines of text beside it.
type caseRowRenderer struct {
	row           *caseRow
	dot           *canvas.Circle
	title, detail *widget.Label
	objects       []fyne.CanvasObject
}

// caseDot is the side of a row's light.
const caseDot = 14

func (rr *caseRowRenderer) pad() float32 { return rr.row.Theme().Size(theme.SizeNamePadding) }

func (rr *caseRowRenderer) MinSize() fyne.Size {
	t, d := rr.title.MinSize(), rr.detail.MinSize()
	return fyne.NewSize(caseDot+rr.pad()+max(t.Width, d.Width), max(caseDot, t.Height+rr.pad()+d.Height))
}

func (rr *caseRowRenderer) Layout(size fyne.Size) {
	rr.dot.Move(fyne.NewPos(0, (size.Height-caseDot)/2))
	rr.dot.Resize(fyne.NewSquareSize(caseDot))
	x := caseDot + rr.pad()
	t := rr.title.MinSize().Height
	rr.title.Move(fyne.NewPos(x, 0))
	rr.title.Resize(fyne.NewSize(size.Width-x, t))
	rr.detail.Move(fyne.NewPos(x, t+rr.pad()))
	rr.detail.Resize(fyne.NewSize(size.Width-x, rr.detail.MinSize().Height))
}

func (rr *caseRowRenderer) Refresh() {
	c := rr.row.row
	rr.dot.FillColor = lightColor(c.Light)
	rr.dot.Refresh()
	if c.ID == "" && c.No == "" { // a list's template, no case yet
		rr.title.SetText("")
		rr.detail.SetText("")
		return
	}
	title := c.No + "  " + c.Title
	if rr.row.fresh {
		title = lang.L("NEW") + "  " + title
	}
	rr.title.SetText(title)
	parts := []string{categoryName(c.CategoryInfo), lang.L(statusLabel[c.Status])}
	for _, n := range []string{c.GridName, c.UnitName} { // none outside every grid, none before dispatch
		if n != "" {
			parts = append(parts, n)
		}
	}
	detail := strings.Join(parts, " · ")
	if c.Pending {
		detail = lang.L("Pending sync") + " · " + detail
	}
	if !c.NextDeadline.IsZero() { // the running clock, counting live
		if left := c.NextDeadline.Sub(rr.row.now); left >= 0 {
			detail += " · " + lang.L("left {{.T}}", map[string]any{"T": clockText(left)})
		} else {
			detail += " · " + lang.L("over by {{.T}}", map[string]any{"T": clockText(-left)})
		}
	}
	rr.detail.SetText(detail)
}

func (rr *caseRowRenderer) Objects() []fyne.CanvasObject {
	return rr.objects
}

func (rr *caseRowRenderer) Destroy() {}
