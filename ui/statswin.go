package ui

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"strings"
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

// statPeriods are the statistics window's periods (keys of lang.L).
var statPeriods = []struct {
	label string
	from  func(time.Time) time.Time
}{{"Today", func(t time.Time) time.Time { return startOfDay(t) }},
	{"Last 7 days", func(t time.Time) time.Time { return startOfDay(t).AddDate(0, 0, -6) }},
	{"Last 30 days", func(t time.Time) time.Time { return startOfDay(t).AddDate(0, 0, -29) }},
	{"Last quarter", func(t time.Time) time.Time { return startOfDay(t).AddDate(0, -3, 0) }},
	{"Last year", func(t time.Time) time.Time { return startOfDay(t).AddDate(-1, 0, 0) }}}

func startOfDay(t time.Time) time.Time {
	t = t.In(clock.Location())
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, clock.Location())
}

// showStats: the statistics of the town or a grid over a period, for cases
// (intake by category, source, grid and hour; closure and on-time rates by
// day) and for inspections (coverage, hazards, rectification, codes), drawn
// as charts, each exportable to XLSX. grids are those offered (the map's
// inspection and base grids).
func (dg *dialogs) showStats(gridID string, grids []domain.Grid) {
	var ids, names []string
	ids, names = append(ids, ""), append(names, lang.L("Whole town"))
	for _, g := range grids {
		ids, names = append(ids, g.ID), append(names, g.Name)
	}
	grid := newSelect(names, nil)
	for i, id := range ids {
		if id == gridID {
			grid.SetSelectedIndex(i)
		}
	}
	var plabels []string
	for _, p := range statPeriods {
		plabels = append(plabels, lang.L(p.label))
	}
	period := newSelect(plabels, nil)
	period.SetSelectedIndex(2)
	caseBody, inspBody := container.NewVBox(), container.NewVBox()
	var caseRep stats.CaseReport
	var inspRep stats.Report
	tabs := container.NewAppTabs(
		container.NewTabItem(lang.L("Cases"), container.NewVScroll(caseBody)),
		container.NewTabItem(lang.L("Inspections"), container.NewVScroll(inspBody)))
	read := func() {
		if grid.SelectedIndex() < 0 || period.SelectedIndex() < 0 {
			return
		}
		now := time.Now()
		gid, from := ids[grid.SelectedIndex()], statPeriods[period.SelectedIndex()].from(now)
		to := startOfDay(now).AddDate(0, 0, 1)
		load(dg.br, func(ctx context.Context) (stats.CaseReport, error) { return dg.desk.CaseStats(ctx, gid, from, to) }, func(r stats.CaseReport) {
			caseRep = r
			caseBody.Objects = []fyne.CanvasObject{caseStatsView(r)}
			caseBody.Refresh()
		})
		load(dg.br, func(ctx context.Context) (stats.Report, error) { return dg.desk.Stats(ctx, gid, from, now) }, func(r stats.Report) {
			inspRep = r
			inspBody.Objects = []fyne.CanvasObject{statsView(r)}
			inspBody.Refresh()
		})
	}
	grid.OnChanged = func(string) { read() }
	period.OnChanged = func(string) { read() }
	export := widget.NewButton(lang.L("Export XLSX…"), func() {
		stamp := time.Now().In(clock.Location()).Format("20060102")
		if tabs.SelectedIndex() == 0 {
			r := caseRep
			dg.saveTo(docName("case-statistics", "xlsx", r.GridName, stamp), func(_ context.Context, w io.Writer) error { return stats.WriteCasesXLSX(w, r) })
			return
		}
		r := inspRep
		dg.saveTo(docName("inspection-statistics", "xlsx", r.GridName, stamp), func(_ context.Context, w io.Writer) error { return stats.WriteXLSX(w, r) })
	})
	top := container.NewHBox(grid, period, export)
	d := dialog.NewCustom(lang.L("Statistics"), lang.L("Close"), container.NewBorder(top, nil, nil, nil, tabs), dg.win)
	d.Resize(fyne.NewSize(980, 700))
	if grid.SelectedIndex() < 0 {
		grid.SetSelectedIndex(0)
	} else {
		read()
	}
	keysOf(dg.win.Canvas()).track(d)
	dg.stats = tabs
}

// caseStatsView shows case statistics: the figures, then charts of intake
// by category, source, hour and grid, and the daily rates.
func caseStatsView(r stats.CaseReport) fyne.CanvasObject {
	loc := clock.Location()
	figures := widget.NewLabel(fmt.Sprintf("%s %s – %s\n%s: %d · %s: %d · %s: %d · %s: %s · %s: %s · %s: %d · %s: %d",
		r.GridName, r.From.In(loc).Format("2006-01-02"), r.To.Add(-time.Second).In(loc).Format("2006-01-02"),
		lang.L("Intake"), r.Intake, lang.L("Closed"), r.Closed, lang.L("On time"), r.ClosedOnTime,
		lang.L("Close rate"), r.CloseRate.String(), lang.L("On-time rate"), r.OnTimeRate.String(),
		lang.L("state.open"), r.Open, lang.L("Overdue"), r.Overdue))
	if r.GridID == "" {
		figures.SetText(strings.Replace(figures.Text, stats.TownName, lang.L("Whole town"), 1))
	}
	figures.Wrapping = fyne.TextWrapWord
	var src []barItem
	for _, c := range r.BySource {
		src = append(src, barItem{lang.L(sourceLabel(c.Key)), c.N})
	}
	var grids []barItem
	for _, c := range r.ByGrid {
		grids = append(grids, barItem{c.Name, c.N})
	}
	hours := make([]int, 24)
	hourLabels := make([]string, 24)
	for h := range 24 {
		hours[h], hourLabels[h] = r.ByHour[h], fmt.Sprintf("%02d", h)
	}
	var days []int
	var dayLabels []string
	closeRate, onTime := make([]float64, len(r.Days)), make([]float64, len(r.Days))
	for i, d := range r.Days {
		days = append(days, d.Intake)
		dayLabels = append(dayLabels, d.Day.In(loc).Format("01-02"))
		closeRate[i], onTime[i] = -1, -1
		if d.Intake > 0 {
			closeRate[i] = min(1, float64(d.Closed)/float64(d.Intake))
		}
		if d.Closed > 0 {
			onTime[i] = float64(d.OnTime) / float64(d.Closed)
		}
	}
	step := max(1, len(r.Days)/8)
	legend := container.NewHBox(legendDot(chartGreen, lang.L("Closed ÷ intake of the day")), legendDot(chartAmber, lang.L("On time ÷ closed of the day")))
	return container.NewVBox(figures, widget.NewSeparator(),
		container.NewGridWithColumns(2,
			container.NewVBox(bold(lang.L("Intake by category")), barsChart(categoryCounts(r.ByCategory), 12)),
			container.NewVBox(bold(lang.L("Intake by source")), barsChart(src, 4), bold(lang.L("Intake by hour")), columnsChart(hours, hourLabels, 3, chartBlue))),
		bold(lang.L("Intake by day")), columnsChart(days, dayLabels, step, chartBlue),
		bold(lang.L("Closure and on-time rates by day")), legend, ratesChart([][]float64{closeRate, onTime}, []color.Color{chartGreen, chartAmber}, dayLabels, step),
		bold(lang.L("Intake by grid (the 15 with most)")), barsChart(grids, 15))
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
