package ui

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/analysis"
	"griddesk/domain/clock"
)

// analysisPeriods are the periods the analysis window offers, in days.
var analysisPeriods = []struct {
	days  int
	label string
}{{7, "Last 7 days"}, {30, "Last 30 days"}, {90, "Last quarter"}}

// analysis opens the 研判 window: hotspots (grid × hour of day), the top
// addresses and repeat complaints, the 小类 week by week, the units whose
// overdue cases rise; each view exports to XLSX (all in one workbook).
func (dg *dialogs) analysis() {
	w := fyne.CurrentApp().NewWindow(lang.L("Analysis"))
	br := dg.br.child(w)
	var labels []string
	for _, p := range analysisPeriods {
		labels = append(labels, lang.L(p.label))
	}
	body := container.NewStack(widget.NewProgressBarInfinite())
	var rep analysis.Report
	var export *widget.Button
	period := widget.NewSelect(labels, nil)
	period.OnChanged = func(string) {
		days := analysisPeriods[max(period.SelectedIndex(), 0)].days
		to := time.Now()
		body.Objects = []fyne.CanvasObject{widget.NewProgressBarInfinite()}
		body.Refresh()
		export.Disable() // until the period's report is in
		load(br, func(ctx context.Context) (analysis.Report, error) {
			return dg.desk.Analysis(ctx, to.AddDate(0, 0, -days), to)
		},
			func(r analysis.Report) {
				rep = r
				export.Enable()
				body.Objects = []fyne.CanvasObject{analysisTabs(r)}
				body.Refresh()
			})
	}
	export = widget.NewButton(lang.L("Export XLSX…"), func() {
		r := rep
		ndg := &dialogs{win: w, desk: dg.desk, br: br}
		ndg.saveTo("研判-"+time.Now().In(clock.Location()).Format("20060102")+".xlsx", func(_ context.Context, wr io.Writer) error {
			return analysis.WriteXLSX(wr, r)
		})
	})
	w.SetContent(container.NewBorder(container.NewHBox(widget.NewLabel(lang.L("Period")), period, export), nil, nil, nil, body))
	w.Resize(fyne.NewSize(1100, 720))
	period.SetSelectedIndex(1)
	w.Show()
}

// analysisTabs shows a report's views.
func analysisTabs(r analysis.Report) fyne.CanvasObject {
	return container.NewAppTabs(
		container.NewTabItem(lang.L("Hotspots"), container.NewVScroll(heatMap(r))),
		container.NewTabItem(lang.L("Addresses"), container.NewVScroll(addressList(r))),
		container.NewTabItem(lang.L("Trends"), container.NewVScroll(trendTable(r))),
		container.NewTabItem(lang.L("Rising overdue"), container.NewVScroll(overdueTable(r))),
	)
}

// heatMap is the grids with most cases, hour by hour (China time): the
// darker the cell, the more cases.
func heatMap(r analysis.Report) fyne.CanvasObject {
	grids := r.Hotspots
	if len(grids) > 25 {
		grids = grids[:25]
	}
	peak := 1
	for _, g := range grids {
		for _, n := range g.Hours {
			peak = max(peak, n)
		}
	}
	// a row per grid: its name, then 24 cells; the hours above
	row := func(name fyne.CanvasObject, cells []fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(220, 24), name), nil,
			container.NewGridWithColumns(24, cells...))
	}
	var hours []fyne.CanvasObject
	for h := range 24 {
		l := canvas.NewText(fmt.Sprintf("%02d", h), hourColor)
		l.TextSize, l.Alignment = 11, fyne.TextAlignCenter
		hours = append(hours, l)
	}
	rows := container.NewVBox(row(widget.NewLabel(""), hours))
	for _, g := range grids {
		lb := widget.NewLabel(fmt.Sprintf("%s (%d)", g.Name, g.Total))
		lb.Truncation = fyne.TextTruncateEllipsis
		var cells []fyne.CanvasObject
		for _, n := range g.Hours {
			rect := canvas.NewRectangle(heat(float64(n) / float64(peak)))
			rect.StrokeColor, rect.StrokeWidth = color.NRGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}, 1
			t := canvas.NewText("", color.Black)
			if n > 0 {
				t.Text = fmt.Sprint(n)
			}
			t.TextSize, t.Alignment = 10, fyne.TextAlignCenter
			cells = append(cells, container.NewStack(rect, t))
		}
		rows.Add(row(lb, cells))
	}
	grid := rows
	note := widget.NewLabel(lang.L("{{.N}} cases in the period; the grids with most, by hour of the day.", map[string]any{"N": r.Total}))
	return container.NewVBox(note, grid)
}

// heat is a colour from pale to deep red for v in [0, 1].
func heat(v float64) color.NRGBA {
	if v <= 0 {
		return color.NRGBA{R: 0xf7, G: 0xf7, B: 0xf7, A: 0xff}
	}
	return color.NRGBA{R: 0xff, G: uint8(235 - 180*v), B: uint8(220 - 200*v), A: 0xff}
}

// hourColor is the colour of the heat map's hour labels.
var hourColor = color.NRGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}

// addressList is the addresses reported most, and the repeat complaints.
func addressList(r analysis.Report) fyne.CanvasObject {
	box := container.NewVBox(bold(lang.L("Addresses reported most")))
	for _, a := range r.Addresses {
		box.Add(widget.NewLabel(fmt.Sprintf("%d × %s", a.Count, a.Address)))
	}
	box.Add(widget.NewSeparator())
	box.Add(bold(lang.L("Repeat complaints: {{.N}} addresses", map[string]any{"N": len(r.Repeats)})))
	loc := clock.Location()
	for _, rp := range r.Repeats {
		box.Add(wrapped(fmt.Sprintf("%s · %d · %s – %s · %s", rp.Address, rp.Count(), rp.First.In(loc).Format("01-02"), rp.Last.In(loc).Format("01-02"),
			strings.Join(rp.Nos, ", "))))
	}
	return box
}

// trendTable is each 小类 week by week.
func trendTable(r analysis.Report) fyne.CanvasObject {
	head := []string{lang.L("Category")}
	for _, w := range r.Weeks {
		head = append(head, w.Format("01-02"))
	}
	head = append(head, lang.L("In the period"), lang.L("Week on week"))
	var rows [][]string
	for _, t := range r.Trends {
		row := []string{catalogueName(t.Category)}
		for _, n := range t.Weeks {
			row = append(row, fmt.Sprint(n))
		}
		rows = append(rows, append(row, fmt.Sprint(t.Total), fmt.Sprintf("%+d", t.Change)))
	}
	return container.NewVBox(wrapped(lang.L("Cases by 小类 in the last complete weeks (Monday to Sunday).")), table(head, rows))
}

// overdueTable is each unit's cases that went overdue, week by week, the
// rising ones first and marked.
func overdueTable(r analysis.Report) fyne.CanvasObject {
	head := []string{lang.L("Unit")}
	for _, w := range r.Weeks {
		head = append(head, w.Format("01-02"))
	}
	head = append(head, lang.L("Rising"))
	var rows [][]string
	for _, u := range r.Overdue {
		row := []string{u.Name}
		for _, n := range u.Weeks {
			row = append(row, fmt.Sprint(n))
		}
		mark := ""
		if u.Rising {
			mark = "▲"
		}
		rows = append(rows, append(row, mark))
	}
	return container.NewVBox(wrapped(lang.L("Cases that went overdue, by the week their first deadline passed.")), table(head, rows))
}

// table lays out rows under a bold head: a wide first column, the others
// even.
func table(head []string, rows [][]string) fyne.CanvasObject {
	line := func(cells []string, strong bool) fyne.CanvasObject {
		objs := make([]fyne.CanvasObject, len(cells))
		for i, c := range cells {
			l := widget.NewLabel(c)
			l.Truncation = fyne.TextTruncateEllipsis
			l.TextStyle.Bold = strong
			objs[i] = l
		}
		return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(240, 34), objs[0]), nil,
			container.NewGridWithColumns(len(objs)-1, objs[1:]...))
	}
	box := container.NewVBox(line(head, true))
	for _, r := range rows {
		box.Add(line(r, false))
	}
	return box
}

// bulletin makes the monthly bulletin 月度通报: a month, then the PDF or
// the XLSX with the same tables.
func (dg *dialogs) bulletin() {
	now := time.Now().In(clock.Location())
	var labels []string
	var months []time.Time
	for i := 0; i < 12; i++ {
		m := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, clock.Location()).AddDate(0, -i, 0)
		months, labels = append(months, m), append(labels, m.Format("2006-01"))
	}
	month := widget.NewSelect(labels, nil)
	month.SetSelectedIndex(min(1, len(labels)-1)) // last month: the one a bulletin is made for
	d := dialog.NewForm(lang.L("Monthly bulletin"), lang.L("Choose file…"), lang.L("Cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("Month"), month),
			widget.NewFormItem("", wrapped(lang.L("A PDF (.pdf) like the town's bulletins, or the same tables as XLSX (.xlsx)")))},
		func(ok bool) {
			if !ok || month.SelectedIndex() < 0 {
				return
			}
			m := months[month.SelectedIndex()]
			dg.saveTo("月度通报-"+m.Format("2006-01")+".pdf", func(ctx context.Context, w io.Writer) error {
				xlsx := false
				if f, ok := w.(interface{ URI() fyne.URI }); ok && strings.EqualFold(f.URI().Extension(), ".xlsx") {
					xlsx = true
				}
				return dg.desk.WriteBulletin(ctx, w, m, xlsx)
			})
		}, dg.win)
	d.Resize(fyne.NewSize(480, 240))
	d.Show()
}
