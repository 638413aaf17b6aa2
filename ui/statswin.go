package ui

import (
	"context"
	"fmt"
	"io"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/stats"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// showStats: inspections, coverage, hazards, rectification rate and code
// changes for the town or a grid over a period, with bars and XLSX export.
// grids are those it offers (the map's inspection and base grids).
func (dg *dialogs) showStats(gridID string, grids []domain.Grid) {
	var ids, names []string
	ids, names = append(ids, ""), append(names, lang.L("Whole town"))
	for _, g := range grids {
		ids, names = append(ids, g.ID), append(names, g.Name)
	}
	grid := widget.NewSelect(names, nil)
	for i, id := range ids {
		if id == gridID {
			grid.SetSelectedIndex(i)
		}
	}
	periods := []struct {
		label string
		from  func(time.Time) time.Time
	}{{"Last 30 days", func(t time.Time) time.Time { return t.AddDate(0, 0, -30) }},
		{"Last quarter", func(t time.Time) time.Time { return t.AddDate(0, -3, 0) }},
		{"Last year", func(t time.Time) time.Time { return t.AddDate(-1, 0, 0) }}}
	var plabels []string
	for _, p := range periods {
		plabels = append(plabels, lang.L(p.label))
	}
	period := widget.NewSelect(plabels, nil)
	period.SetSelectedIndex(1)
	body := container.NewVBox()
	var rep stats.Report
	load := func() {
		if grid.SelectedIndex() < 0 || period.SelectedIndex() < 0 {
			return
		}
		now := time.Now()
		gid, from := ids[grid.SelectedIndex()], periods[period.SelectedIndex()].from(now)
		load(dg.br, func(ctx context.Context) (stats.Report, error) { return dg.desk.Stats(ctx, gid, from, now) }, func(r stats.Report) {
			rep = r
			body.Objects = []fyne.CanvasObject{statsView(r)}
			body.Refresh()
		})
	}
	grid.OnChanged = func(string) { load() }
	period.OnChanged = func(string) { load() }
	export := widget.NewButton(lang.L("Export XLSX…"), func() {
		r := rep
		dg.saveTo("检查统计-"+time.Now().In(clock.Location()).Format("20060102")+".xlsx", func(_ context.Context, w io.Writer) error { return stats.WriteXLSX(w, r) })
	})
	top := container.NewHBox(grid, period, export)
	d := dialog.NewCustom(lang.L("Inspection statistics"), lang.L("Close"), container.NewBorder(top, nil, nil, nil, container.NewVScroll(body)), dg.win)
	d.Resize(fyne.NewSize(860, 600))
	if grid.SelectedIndex() < 0 {
		grid.SetSelectedIndex(0)
	} else {
		load()
	}
	d.Show()
}

func statsView(r stats.Report) fyne.CanvasObject {
	figures := widget.NewLabel(fmt.Sprintf("%s %s – %s\n%s: %d · %s: %d (%s) · %s: %d (%s %d, %s %d)\n%s: %s · %s: %d · %s: %d",
		r.GridName, r.From.In(clock.Location()).Format("2006-01-02"), r.To.In(clock.Location()).Format("2006-01-02"),
		lang.L("Inspections"), r.Inspections, lang.L("Entities covered"), r.Covered, r.Coverage.String(),
		lang.L("Hazards found"), r.Hazards, lang.L("General hazard"), r.General, lang.L("Major hazard"), r.Major,
		lang.L("Rectification rate"), r.RectificationRate.String(), lang.L("Overdue rectifications"), r.Overdue,
		lang.L("Repeat offenders"), len(r.RepeatOffenders)))
	figures.Wrapping = fyne.TextWrapWord
	codes := container.NewGridWithColumns(3)
	for _, c := range []string{domain.CodeGreen, domain.CodeYellow, domain.CodeRed} {
		codes.Add(container.NewHBox(legendDot(codeColor(c), ""), widget.NewLabel(fmt.Sprintf("%s %d", lang.L(codeLabel[c]), r.Codes[c]))))
	}
	deps := container.NewGridWithColumns(3)
	for _, dep := range r.Departments {
		deps.Add(widget.NewLabel(dep.Name))
		deps.Add(widget.NewLabel(fmt.Sprintf("%s %d · %s %s", lang.L("Hazards found"), dep.Hazards, lang.L("Rectification rate"), dep.Rate.String())))
		deps.Add(bar(dep.Rate))
	}
	changes := widget.NewLabel(fmt.Sprintf("%s: %d · %s: %d", lang.L("Codes improved"), r.Upgrades, lang.L("Codes worsened"), r.Downgrades))
	return container.NewVBox(figures, widget.NewSeparator(), codes, changes, widget.NewSeparator(), deps)
}
