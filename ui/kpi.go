package ui

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/kpi"
	"griddesk/domain/clock"
)

// showKPI is the monthly assessment of units: the ranking with bars, and
// the export to XLSX.
func (dg *dialogs) showKPI() {
	now := time.Now().In(clock.Location())
	var months []time.Time
	var labels []string
	for i := 0; i < 6; i++ {
		m := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, clock.Location()).AddDate(0, -i, 0)
		months = append(months, m)
		labels = append(labels, m.Format("2006-01"))
	}
	body := container.NewVBox()
	var rep kpi.Report
	load := func(i int) {
		body.Objects = []fyne.CanvasObject{widget.NewProgressBarInfinite()}
		body.Refresh()
		load(dg.br, func(ctx context.Context) (kpi.Report, error) { return dg.desk.KPI(ctx, months[i], time.Now()) }, func(r kpi.Report) {
			rep = r
			body.Objects = []fyne.CanvasObject{kpiTable(r)}
			body.Refresh()
		})
	}
	month := newSelect(labels, func(string) {})
	month.OnChanged = func(string) { load(month.SelectedIndex()) }
	export := widget.NewButton(lang.L("Export XLSX…"), func() {
		r := rep
		dg.saveTo(docName("unit-rankings", "xlsx", r.Month.Format("2006-01")), func(_ context.Context, w io.Writer) error { return kpi.WriteXLSX(w, r) })
	})
	top := container.NewHBox(widget.NewLabel(lang.L("Month")), month, export)
	d := dialog.NewCustom(lang.L("Unit rankings"), lang.L("Close"), container.NewBorder(top, nil, nil, nil, container.NewVScroll(body)), dg.win)
	d.Resize(fyne.NewSize(980, 640))
	month.SetSelectedIndex(0)
	d.Show()
}

func kpiTable(r kpi.Report) fyne.CanvasObject {
	head := []string{"#", lang.L("Unit"), lang.L("Due"), lang.L("Closed"), lang.L("On time"), lang.L("Reworked"), lang.L("Deferred"),
		lang.L("Close rate"), lang.L("On-time rate"), lang.L("Rework rate"), lang.L("Defer rate"), lang.L("Satisfaction rate")}
	grid := container.New(&tableLayout{cols: len(head) + 1, grow: len(head)}) // names whole; the bar takes what is left
	for _, h := range head {
		grid.Add(widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	grid.Add(widget.NewLabelWithStyle(lang.L("On-time rate"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	rows := append(append([]kpi.UnitRow{}, r.Ranking...), r.Total)
	for _, u := range rows {
		rank := "—"
		if u.Rank > 0 {
			rank = fmt.Sprint(u.Rank)
		}
		name := u.UnitName
		if u.UnitID == "" {
			name = lang.L("Total")
		}
		for _, v := range []string{rank, name, fmt.Sprint(u.Due), fmt.Sprint(u.Closed), fmt.Sprint(u.ClosedOnTime), fmt.Sprint(u.Reworked),
			fmt.Sprint(u.Deferred), u.CloseRate.String(), u.OnTimeRate.String(), u.ReworkRate.String(), u.DeferRate.String(), u.SatisfactionRate.String()} {
			grid.Add(widget.NewLabel(v))
		}
		grid.Add(bar(u.OnTimeRate))
	}
	// step times: median / 90th percentile of each clock step, per unit
	steps := container.New(&tableLayout{cols: len(kpi.Steps) + 1, grow: 0})
	steps.Add(widget.NewLabelWithStyle(lang.L("Step times (median / P90)"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, st := range kpi.Steps {
		steps.Add(widget.NewLabelWithStyle(lang.L(stepLabel(st.Key)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	for _, u := range rows {
		name := u.UnitName
		if u.UnitID == "" {
			name = lang.L("Total")
		}
		steps.Add(widget.NewLabel(name))
		byKey := map[string]kpi.StepStat{}
		for _, s := range u.Steps {
			byKey[s.Key] = s
		}
		for _, st := range kpi.Steps {
			s := byKey[st.Key]
			text := "—"
			if s.N > 0 {
				text = clockText(s.Median) + " / " + clockText(s.P90)
			}
			steps.Add(widget.NewLabel(text))
		}
	}
	note := widget.NewLabel(lang.L("Due: cases whose deadline fell in the month. Rates as in the Jinhua assessment: close rate = closed / (due − deferred); on-time rate = closed on time / (due − deferred); rework rate = reworked / handled; defer rate = deferred / due.") + " " +
		lang.L("Satisfaction rate = (satisfied + basically satisfied) / cases evaluated in the month, as in 12345 hotline practice."))
	note.Wrapping = fyne.TextWrapWord
	return container.NewVBox(grid, widget.NewSeparator(), steps, dailyKPI(rows), note)
}

// bar draws a ratio as a horizontal bar.
func bar(r interface {
	Valid() bool
	Value() float64
}) fyne.CanvasObject {
	v := 0.0
	if r.Valid() {
		v = r.Value()
	}
	fill := canvas.NewRectangle(color.NRGBA{R: 0x1f, G: 0x5f, B: 0xa8, A: 0xff})
	track := canvas.NewRectangle(color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0x40})
	return container.New(&barLayout{v: v}, track, fill)
}

type barLayout struct{ v float64 }

func (b *barLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(80, 18) }
func (b *barLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	h := float32(12)
	y := (size.Height - h) / 2
	objs[0].Move(fyne.NewPos(0, y))
	objs[0].Resize(fyne.NewSize(size.Width, h))
	objs[1].Move(fyne.NewPos(0, y))
	objs[1].Resize(fyne.NewSize(size.Width*float32(b.v), h))
}

func stepLabel(key string) string {
	switch key {
	case "dispatch":
		return "Dispatch"
	case "accept":
		return "Accept"
	case "arrive":
		return "On site"
	case "feedback":
		return "Feedback"
	case "handle":
		return "Handled"
	case "close":
		return "Closing"
	}
	return key
}
