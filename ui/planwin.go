package ui

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"griddesk/core/plan"
	"griddesk/core/report"
	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/mapview"
)

const layerRoutes = "routes"

// planWindow is the team leader's planner: period, teams and scope in,
// merged itineraries, routes on the map and the 三相一就 totals out.
type planWindow struct {
	desk   *desk.Desk
	br     *bridge  // the planner's own: it ends with the planner's window
	dg     *dialogs // over the desk's window
	m      planMap
	win    fyne.Window
	plan   *plan.Plan
	names  map[string]string // entity ID → name
	items  map[string]string // item ID → name
	teams  []domain.Unit
	dayIdx []int       // list rows → index into plan.Days (filtered by team and week)
	day    int         // selected day index into plan.Days, -1 none
	stop   int         // selected stop in the day, -1 none
	weeks  []time.Time // the Mondays of the plan's weeks

	teamFilter *keySelect // all teams, or one
	weekFilter *keySelect // all weeks, or one
	shownDays  *widget.Label

	period  *keySelect
	start   *keyEntry
	teamSel *widget.CheckGroup
	scope   *widget.RadioGroup
	totals  *widget.Label
	days    *keyList
	stops   *keyList
	detail  *widget.Label
	actions *fyne.Container
	outputs []*widget.Button // print, export, publish (not in a snapshot): disabled until there is a plan
}

var periods = []struct {
	label string
	days  func(time.Time) time.Time
}{
	{"One week", func(s time.Time) time.Time { return s.AddDate(0, 0, 6) }},
	{"Two weeks", func(s time.Time) time.Time { return s.AddDate(0, 0, 13) }},
	{"One month", func(s time.Time) time.Time { return s.AddDate(0, 1, -1) }},
	{"One quarter", func(s time.Time) time.Time { return s.AddDate(0, 3, -1) }},
}

// planMap is the desk's map as the planner uses it: the entities boxed on
// it, and the rounds drawn over it.
type planMap interface {
	boxedEntities() []domain.Entity
	setRoutes(mapview.Layer) // nil: none
	fit(orb.Bound)
}

// newPlanWindow opens the planner; parent is the desk window's bridge.
// Closing it takes its rounds off the map.
func newPlanWindow(parent *bridge, m planMap) *planWindow {
	pw := &planWindow{desk: parent.desk, m: m, day: -1, stop: -1}
	pw.win = fyne.CurrentApp().NewWindow(lang.L("Plan inspection rounds"))
	pw.br = parent.child(pw.win)
	pw.dg = newDialogs(pw.br) // its files and forms open over the planner, not behind it
	pw.br.atClose(func() { m.setRoutes(nil); forgetKeys(pw.win.Canvas()) })
	pw.win.SetContent(pw.build())
	rememberSize(pw.br, "planner", fyne.NewSize(1100, 720))
	pw.win.Show()
	load(pw.br, pw.desk.Units, func(units []domain.Unit) {
		var opts []string
		for _, u := range units {
			if u.Kind == domain.UnitTeam {
				pw.teams = append(pw.teams, u)
				opts = append(opts, u.Name)
			}
		}
		pw.teamSel.Options = opts
		pw.teamSel.SetSelected(opts)
		pw.teamSel.Refresh()
		pw.teamFilter.Options = append([]string{lang.L("All teams")}, opts...)
		pw.teamFilter.SetSelectedIndex(0)
	})
	return pw
}

func (pw *planWindow) build() fyne.CanvasObject {
	var labels []string
	for _, p := range periods {
		labels = append(labels, lang.L(p.label))
	}
	pw.period = newSelect(labels, nil)
	pw.period.SetSelectedIndex(0)
	next := time.Now().In(clock.Location()).AddDate(0, 0, 1)
	for next.Weekday() != time.Monday {
		next = next.AddDate(0, 0, 1)
	}
	pw.start = newEntry()
	pw.start.SetText(next.Format("2006-01-02"))
	pw.teamSel = widget.NewCheckGroup(nil, nil)
	pw.scope = widget.NewRadioGroup([]string{lang.L("Everything the teams cover"), lang.L("The entities picked on the map (shift-drag)")}, nil)
	pw.scope.SetSelected(lang.L("Everything the teams cover"))
	gen := widget.NewButton(lang.L("Generate"), pw.generate)
	gen.Importance = widget.HighImportance
	form := widget.NewForm(widget.NewFormItem(lang.L("Starting"), pw.start), widget.NewFormItem(lang.L("Period"), pw.period),
		widget.NewFormItem(lang.L("Scope"), pw.scope))
	left := container.NewBorder(container.NewVBox(form, widget.NewLabel(lang.L("Teams"))), gen, nil, nil, container.NewVScroll(pw.teamSel))

	pw.totals = widget.NewLabel(lang.L("Generate a plan to see the merged rounds."))
	pw.totals.Wrapping = fyne.TextWrapWord
	pw.days = newList(func() int { return len(pw.dayIdx) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			d := pw.plan.Days[pw.dayIdx[i]]
			date := d.Date.In(clock.Location())
			o.(*widget.Label).SetText(fmt.Sprintf("%s %s  %s · %d %s · %.1f %s · %.0f/%.0f %s", date.Format("01-02"), lang.L(weekdayShort[date.Weekday()]),
				pw.teamName(d.TeamID), len(d.Stops), lang.L("stops"), d.Km, lang.L("km"), d.Minutes, d.Capacity, lang.L("min")))
		})
	pw.days.OnSelected = func(i widget.ListItemID) { pw.selectDay(pw.dayIdx[i]) }
	pw.stops = newList(func() int {
		if pw.day < 0 {
			return 0
		}
		return len(pw.plan.Days[pw.day].Stops)
	}, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			s := pw.plan.Days[pw.day].Stops[i]
			mark := ""
			if s.Joint {
				mark += " · " + lang.L("joint visit")
			}
			if s.Locked {
				mark += " · 🔒"
			}
			if s.Late {
				mark += " · " + lang.L("late")
			}
			o.(*widget.Label).SetText(fmt.Sprintf("%d. %s %s · %d %s%s", i+1, s.Arrive.In(clock.Location()).Format("15:04"), s.Name, len(s.Items), lang.L("items"), mark))
		})
	pw.stops.OnSelected = func(i widget.ListItemID) { pw.selectStop(i) }
	pw.detail = widget.NewLabel("")
	pw.detail.Wrapping = fyne.TextWrapWord
	pw.actions = container.NewHBox(
		widget.NewButton(lang.L("Earlier"), func() { pw.shift(-1) }),
		widget.NewButton(lang.L("Later"), func() { pw.shift(1) }),
		widget.NewButton(lang.L("Lock / unlock"), pw.toggleLock),
		widget.NewButton(lang.L("Move…"), pw.move),
	)
	right := container.NewBorder(nil, container.NewVBox(pw.actions, pw.detail), nil, nil, pw.stops)
	pw.teamFilter = newSelect([]string{lang.L("All teams")}, func(string) { pw.filterDays() })
	pw.teamFilter.SetSelectedIndex(0)
	pw.weekFilter = newSelect([]string{lang.L("All weeks")}, func(string) { pw.filterDays() })
	pw.weekFilter.SetSelectedIndex(0)
	pw.shownDays = widget.NewLabel("")
	filters := container.NewGridWithColumns(3, pw.teamFilter, pw.weekFilter, pw.shownDays)
	split := container.NewHSplit(container.NewBorder(filters, nil, nil, nil, pw.days), right)
	exportPDF := widget.NewButton(lang.L("Print PDF (team and week shown)…"), pw.exportPDF)
	exportXLSX := widget.NewButton(lang.L("Export XLSX…"), pw.exportXLSX)
	publish := widget.NewButton(lang.L("Publish to the teams"), pw.publish)
	publish.Importance = widget.HighImportance
	pw.outputs = []*widget.Button{exportPDF, exportXLSX}
	if _, review := pw.desk.Snapshot(); !review { // a snapshot under review publishes nothing
		pw.outputs = append(pw.outputs, publish)
	}
	publish.Disable()
	for _, b := range pw.outputs {
		b.Disable()
	}
	center := container.NewBorder(pw.totals, container.NewHBox(exportPDF, exportXLSX, publish), nil, nil, split)
	main := container.NewHSplit(left, center)
	main.Offset = 0.25
	return main
}

func (pw *planWindow) teamName(id string) string {
	for _, t := range pw.teams {
		if t.ID == id {
			return t.Name
		}
	}
	return id
}

func (pw *planWindow) generate() {
	start, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(pw.start.Text), clock.Location())
	if err != nil {
		pw.br.showError(fmt.Errorf("%s: %q", lang.L("The start is not a date like 2026-12-07"), pw.start.Text))
		return
	}
	req := desk.PlanRequest{Start: start, End: periods[max(pw.period.SelectedIndex(), 0)].days(start)}
	for _, t := range pw.teams {
		if slices.Contains(pw.teamSel.Selected, t.Name) {
			req.TeamIDs = append(req.TeamIDs, t.ID)
		}
	}
	if len(req.TeamIDs) == 0 {
		pw.br.showError(fmt.Errorf("%s", lang.L("Choose at least one team.")))
		return
	}
	if pw.scope.Selected != lang.L("Everything the teams cover") {
		for _, e := range pw.m.boxedEntities() {
			req.EntityIDs = append(req.EntityIDs, e.ID)
		}
		if len(req.EntityIDs) == 0 {
			pw.br.showError(fmt.Errorf("%s", lang.L("Pick entities on the map first: hold shift and drag a box.")))
			return
		}
	}
	prog := dialog.NewCustomWithoutButtons(lang.L("Planning…"), widget.NewProgressBarInfinite(), pw.win)
	prog.Show()
	pw.br.run(func(ctx context.Context) func() {
		p, err := pw.desk.GeneratePlan(ctx, req)
		items := itemNames(ctx, pw.desk)
		return func() {
			prog.Hide()
			if err != nil {
				pw.br.showError(err) // with a plan: it failed its self-check, so show both
			}
			if p != nil {
				pw.items = items
				pw.show(p)
			}
		}
	})
}

// show puts a (re)computed plan on screen.
func (pw *planWindow) show(p *plan.Plan) {
	pw.plan = p
	for _, b := range pw.outputs {
		b.Enable()
	}
	pw.weeks = pw.weeks[:0]
	labels := []string{lang.L("All weeks")}
	for _, d := range p.Days {
		w := mondayOf(d.Date)
		if len(pw.weeks) == 0 || !pw.weeks[len(pw.weeks)-1].Equal(w) {
			pw.weeks = append(pw.weeks, w)
			labels = append(labels, lang.L("Week of {{.D}}", map[string]any{"D": w.Format("01-02")}))
		}
	}
	keep := pw.weekFilter.SelectedIndex()
	pw.weekFilter.Options = labels
	if keep >= len(labels) {
		keep = 0
	}
	pw.weekFilter.SetSelectedIndex(max(keep, 0))
	pw.filterDays()
	pw.totals.SetText(lang.L("Baseline (each department alone): {{.BV}} entity-visits, {{.BT}} trips, {{.BM}} min. Merged (三相一就): {{.MV}} visits, {{.MT}} trips, {{.MM}} min. Fewer visits {{.RV}}%, trips {{.RT}}%, minutes {{.RM}}%, km {{.RK}}%. Not fitted: {{.O}}.",
		map[string]any{"BV": p.Baseline.Visits, "BT": p.Baseline.Trips, "BM": int(p.Baseline.Minutes), "MV": p.Merged.Visits, "MT": p.Merged.Trips,
			"MM": int(p.Merged.Minutes), "RV": fmt.Sprintf("%.1f", p.Reduction.Visits), "RT": fmt.Sprintf("%.1f", p.Reduction.Trips),
			"RM": fmt.Sprintf("%.1f", p.Reduction.Minutes), "RK": fmt.Sprintf("%.1f", p.Reduction.Km), "O": len(p.Overflow)}))
	pw.days.UnselectAll()
	pw.days.Refresh()
	pw.day, pw.stop = -1, -1
	pw.stops.Refresh()
	pw.routes()
}

// mondayOf is the Monday of t's week (China time, midnight).
func mondayOf(t time.Time) time.Time {
	t = t.In(clock.Location())
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, clock.Location())
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// filterDays lists the days of the team and week chosen.
func (pw *planWindow) filterDays() {
	if pw.plan == nil || pw.days == nil {
		return
	}
	team, week := pw.filter()
	pw.dayIdx = pw.dayIdx[:0]
	for i, d := range pw.plan.Days {
		if team != "" && d.TeamID != team {
			continue
		}
		if !week.IsZero() && !mondayOf(d.Date).Equal(week) {
			continue
		}
		pw.dayIdx = append(pw.dayIdx, i)
	}
	pw.shownDays.SetText(lang.L("{{.N}} team-days", map[string]any{"N": len(pw.dayIdx)}))
	pw.days.UnselectAll()
	pw.days.Refresh()
	pw.day, pw.stop = -1, -1
	pw.stops.Refresh()
}

// filter is the team ("" all) and week (zero all) chosen.
func (pw *planWindow) filter() (string, time.Time) {
	team := ""
	if i := pw.teamFilter.SelectedIndex(); i > 0 && i-1 < len(pw.teams) {
		team = pw.teams[i-1].ID
	}
	var week time.Time
	if i := pw.weekFilter.SelectedIndex(); i > 0 && i-1 < len(pw.weeks) {
		week = pw.weeks[i-1]
	}
	return team, week
}

// shownPlan is the plan cut to the team and week chosen (for printing):
// its days, its team, and its period narrowed to the week.
func (pw *planWindow) shownPlan() (*plan.Plan, string) {
	team, week := pw.filter()
	if team == "" && week.IsZero() {
		return pw.plan, ""
	}
	p := *pw.plan
	p.Days = nil
	for _, i := range pw.dayIdx {
		p.Days = append(p.Days, pw.plan.Days[i])
	}
	var suffix []string
	if team != "" {
		p.Teams = nil
		for _, t := range pw.plan.Teams {
			if t.ID == team {
				p.Teams = append(p.Teams, t)
			}
		}
		suffix = append(suffix, pw.teamName(team))
	}
	if !week.IsZero() {
		from, to := week, week.AddDate(0, 0, 6)
		if from.Before(p.Period.Start) {
			from = p.Period.Start
		}
		if to.After(p.Period.End) {
			to = p.Period.End
		}
		p.Period.Start, p.Period.End = from, to
		p.Period.Days = int(to.Sub(from).Hours()/24+0.5) + 1
		p.Period.Workdays = pw.desk.Calendar().WorkdaysBetween(from, to.AddDate(0, 0, 1))
		suffix = append(suffix, from.In(clock.Location()).Format("0102")+"-"+to.In(clock.Location()).Format("0102"))
	}
	return &p, strings.Join(suffix, "-")
}

func (pw *planWindow) selectDay(i int) {
	pw.day, pw.stop = i, -1
	pw.stops.UnselectAll()
	pw.stops.Refresh()
	pw.detail.SetText("")
	pw.routes()
}

func (pw *planWindow) selectStop(i int) {
	pw.stop = i
	s := pw.plan.Days[pw.day].Stops[i]
	var names []string
	for _, id := range s.Items {
		names = append(names, pw.items[id])
	}
	var deps []string
	for _, d := range s.Departments {
		deps = append(deps, lang.L(departmentLabel(d)))
	}
	pw.detail.SetText(fmt.Sprintf("%s · %s · %s %s\n%s: %s\n%s", s.Name, lang.L(codeLabel[s.Code]), lang.L("due"), s.Due.In(clock.Location()).Format("01-02"),
		lang.L("Merged checklist"), strings.Join(names, "；"), strings.Join(deps, "、")))
}

// routes draws the selected day's round (or every day of the first team)
// on the desk's map, with numbered stops.
func (pw *planWindow) routes() {
	if pw.plan == nil {
		return
	}
	var days []plan.Day
	if pw.day >= 0 {
		days = []plan.Day{pw.plan.Days[pw.day]}
	} else {
		days = pw.plan.Days
	}
	base := map[string]orb.Point{}
	for _, t := range pw.plan.Teams {
		base[t.ID] = t.Base
	}
	var routes [][]orb.Point
	var styles []mapview.Style
	palette := []color.NRGBA{{R: 0x1f, G: 0x5f, B: 0xa8, A: 0xff}, {R: 0x8e, G: 0x24, B: 0xaa, A: 0xff}, {R: 0x00, G: 0x83, B: 0x8f, A: 0xff}, {R: 0xc0, G: 0x39, B: 0x2b, A: 0xff}}
	for i, d := range days {
		r := []orb.Point{base[d.TeamID]}
		for _, s := range d.Stops {
			r = append(r, orb.Point{s.Lon, s.Lat})
		}
		r = append(r, base[d.TeamID])
		routes = append(routes, r)
		styles = append(styles, mapview.Style{Stroke: palette[i%len(palette)], StrokeWidth: 2.5, Fill: palette[i%len(palette)]})
		if len(routes) == 40 { // enough to read; a whole quarter is a day at a time
			break
		}
	}
	pw.m.setRoutes(&mapview.RouteLayer{ID: layerRoutes, Routes: routes, Styles: styles, NumberStops: pw.day >= 0})
	if pw.day >= 0 && len(routes) > 0 {
		pw.m.fit(orb.LineString(routes[0]).Bound())
	}
}

func (pw *planWindow) ref() (plan.StopRef, bool) {
	if pw.plan == nil || pw.day < 0 || pw.stop < 0 {
		dialog.ShowInformation(lang.L("Plan"), lang.L("Choose a day and a stop first."), pw.win)
		return plan.StopRef{}, false
	}
	d := pw.plan.Days[pw.day]
	return plan.StopRef{TeamID: d.TeamID, Date: d.Date, EntityID: d.Stops[pw.stop].EntityID}, true
}

// recompute re-routes and re-totals after an edit, keeping the selection.
func (pw *planWindow) recompute(err error) {
	if err == nil {
		err = pw.plan.Recompute()
	}
	if err != nil {
		pw.br.showError(err)
	}
	day, stop := pw.day, pw.stop
	pw.show(pw.plan)
	if row := slices.Index(pw.dayIdx, day); row >= 0 && day < len(pw.plan.Days) {
		pw.days.Select(row)
		if stop >= 0 && stop < len(pw.plan.Days[day].Stops) {
			pw.stops.Select(stop)
		}
	}
}

func (pw *planWindow) shift(by int) {
	ref, ok := pw.ref()
	if !ok {
		return
	}
	d := pw.plan.Days[pw.day]
	order := make([]string, len(d.Stops))
	for i, s := range d.Stops {
		order[i] = s.EntityID
	}
	j := pw.stop + by
	if j < 0 || j >= len(order) {
		return
	}
	order[pw.stop], order[j] = order[j], order[pw.stop]
	pw.stop = j
	pw.recompute(pw.plan.Reorder(plan.DayRef{TeamID: ref.TeamID, Date: ref.Date}, order))
}

func (pw *planWindow) toggleLock() {
	ref, ok := pw.ref()
	if !ok {
		return
	}
	if pw.plan.Days[pw.day].Stops[pw.stop].Locked {
		pw.recompute(pw.plan.Unlock(ref))
	} else {
		pw.recompute(pw.plan.Lock(ref))
	}
}

func (pw *planWindow) move() {
	ref, ok := pw.ref()
	if !ok {
		return
	}
	date := newEntry()
	date.SetText(ref.Date.In(clock.Location()).Format("2006-01-02"))
	var names []string
	for _, t := range pw.teams {
		names = append(names, t.Name)
	}
	team := newSelect(names, nil)
	team.SetSelected(pw.teamName(ref.TeamID))
	fd := newFormDialog(pw.br, lang.L("Move the visit"), lang.L("Move…"), []formField{
		field(lang.L("Day"), date, "date"), field(lang.L("Team"), team, "team")})
	var to time.Time
	fd.check = func() error {
		var err error
		if to, err = time.ParseInLocation("2006-01-02", strings.TrimSpace(date.Text), clock.Location()); err != nil {
			return refuse("date", fmt.Sprintf("%s: %q", lang.L("The start is not a date like 2026-12-07"), date.Text))
		}
		toTeam := ""
		if i := team.SelectedIndex(); i >= 0 {
			toTeam = pw.teams[i].ID
		}
		if err := pw.plan.MoveVisit(ref, to, toTeam); err != nil {
			return refuse("date", err.Error()) // the plan refuses it: the form stays
		}
		return nil
	}
	fd.done = func() {
		pw.stop = -1
		pw.recompute(nil)
	}
	fd.show(fyne.NewSize(460, 240))
}

// exports gathers the names the plan's documents need, off the UI goroutine.
func (pw *planWindow) exports(write func(w io.Writer, p *plan.Plan, ents []domain.Entity, items []domain.CheckItem, units []domain.Unit) error, name string) {
	if pw.plan == nil {
		return
	}
	pw.exportsOf(pw.plan, write, name)
}

func (pw *planWindow) exportsOf(p *plan.Plan, write func(w io.Writer, p *plan.Plan, ents []domain.Entity, items []domain.CheckItem, units []domain.Unit) error, name string) {
	pw.dg.saveTo(name, func(ctx context.Context, w io.Writer) error {
		ents, err := pw.desk.Entities(ctx)
		if err != nil {
			return err
		}
		items, err := pw.desk.CheckItems(ctx)
		if err != nil {
			return err
		}
		units, err := pw.desk.Units(ctx)
		if err != nil {
			return err
		}
		return write(w, p, ents, items, units)
	})
}

func (pw *planWindow) exportXLSX() {
	pw.exports(func(w io.Writer, p *plan.Plan, ents []domain.Entity, items []domain.CheckItem, units []domain.Unit) error {
		return plan.WriteXLSX(w, p, plan.NamesOf(ents, items, units))
	}, docName("plan", "xlsx", pw.planStamp()))
}

// exportPDF prints the itinerary of the team and week shown (the whole
// plan when no filter is set): a team's week is a few pages, where the
// whole quarter of every team is over a thousand.
func (pw *planWindow) exportPDF() {
	if pw.plan == nil {
		return
	}
	shown, suffix := pw.shownPlan()
	pw.exportsOf(shown, func(w io.Writer, p *plan.Plan, ents []domain.Entity, items []domain.CheckItem, units []domain.Unit) error {
		names := plan.NamesOf(ents, items, units)
		byID := make(map[string]domain.Entity, len(ents))
		for _, e := range ents {
			byID[e.ID] = e
		}
		itemByID := make(map[string]domain.CheckItem, len(items))
		for _, it := range items {
			itemByID[it.ID] = it
		}
		return report.PlanItinerary(w, report.PlanDoc{Plan: p, Entities: byID, Items: itemByID, Teams: names.Teams,
			Departments: names.Departments, Generated: time.Now()})
	}, docName("itinerary", "pdf", pw.planStamp(), suffix))
}

func (pw *planWindow) planStamp() string {
	if pw.plan == nil {
		return ""
	}
	return pw.plan.Period.Start.In(clock.Location()).Format("20060102")
}

func (pw *planWindow) publish() {
	if pw.plan == nil {
		return
	}
	title := newEntry()
	title.SetText(fmt.Sprintf("%s %s – %s", lang.L("Inspection rounds"), pw.plan.Period.Start.In(clock.Location()).Format("2006-01-02"), pw.plan.Period.End.In(clock.Location()).Format("01-02")))
	fd := newFormDialog(pw.br, lang.L("Publish to the teams"), lang.L("Publish"), []formField{field(lang.L("Title"), title, "args.title")})
	p := pw.plan
	var n int
	fd.check = func() error {
		if strings.TrimSpace(title.Text) == "" {
			return refuse("args.title", lang.L("A title is required."))
		}
		return nil
	}
	fd.send = func(ctx context.Context) error {
		var err error
		n, err = pw.desk.PublishPlan(ctx, p, strings.TrimSpace(title.Text))
		return err
	}
	fd.done = func() {
		dialog.ShowInformation(lang.L("Published"), lang.L("{{.N}} visits are on their way to the teams.", map[string]any{"N": n}), pw.win)
	}
	fd.show(fyne.NewSize(520, 200))
}

// departmentNames names department keys, joined as a list.
func departmentNames(keys []string) string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = lang.L(departmentLabel(k))
	}
	return strings.Join(names, lang.L(", "))
}

// departmentLabel names a department key of the catalog.
func departmentLabel(key string) string {
	if l, ok := map[string]string{"fire": "Fire", "gas": "Gas", "market": "Market supervision", "law": "City management",
		"eco": "Environment", "health": "Health", "safety": "Emergency management", "build": "Construction"}[key]; ok {
		return l
	}
	return key
}
