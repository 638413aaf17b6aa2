package ui

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// queueBar holds the queue's search, filters and sort order.
type queueBar struct {
	search   *widget.Entry
	status   *widget.Select
	light    *widget.Select
	order    *widget.Select
	category *widget.Select
	source   *widget.Select
	grid     *widget.SelectEntry // a grid's name: its cases and those of the grids below it
	unit     *widget.SelectEntry // a unit's name
	cats     []domain.Category
	obj      fyne.CanvasObject
}

var sourceChoices = []struct{ key, label string }{
	{domain.SourceGridWorker, "Grid worker"}, {domain.SourceHotline, "12345 hotline"}, {domain.SourceSensor, "Sensor"}, {domain.SourceInspection, "Inspection"},
	{domain.SourcePublic, "Public (QR plate)"},
}

var sortLabels = []struct{ key, label string }{
	{desk.SortLight, "Worst light first"}, {desk.SortDeadline, "Nearest deadline"}, {desk.SortNewest, "Newest"}, {desk.SortOldest, "Oldest"},
}

var lightChoices = []clock.Light{clock.LightRed, clock.LightYellow, clock.LightGreen, clock.LightNone}

// queuePanel is the open-case queue: a header with the counts, the
// filters, the list of cases with their running clocks, and the
// announcements of new and late cases.
type queuePanel struct {
	header  *widget.Label
	bar     *queueBar
	list    *widget.List
	newCase *widget.Button
	top     fyne.CanvasObject // header, filters and the New case button

	all     []desk.CaseRow       // the whole open queue
	shown   []desk.CaseRow       // what the filters let through, in order
	seen    map[string]bool      // cases already announced
	freshAt map[string]time.Time // when a new case arrived (marked NEW for a while)
	late    map[string]bool      // overdue or nearly overdue cases already announced
	review  bool                 // a snapshot under review: no tray menu

	onSelect  func(desk.CaseRow) // a row was selected
	onNews    func(text string)  // new cases came in
	onOverdue func(n int)        // the overdue count, for the window title
	onRaise   func()             // bring the desk's window forward (tray menu)
}

func newQueuePanel(cats []domain.Category, review bool, register func()) *queuePanel {
	q := &queuePanel{review: review}
	q.header = widget.NewLabelWithStyle(lang.L("Open cases"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	q.list = widget.NewList(
		func() int { return len(q.shown) },
		func() fyne.CanvasObject { return newCaseRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			c := q.shown[id]
			o.(*caseRow).set(c, time.Now(), time.Since(q.freshAt[c.ID]) < 10*time.Minute)
		},
	)
	q.list.OnSelected = func(id widget.ListItemID) {
		if id >= 0 && id < len(q.shown) && q.onSelect != nil {
			q.onSelect(q.shown[id])
		}
	}
	q.bar = newQueueBar(cats, q.arrange)
	q.newCase = widget.NewButton(lang.L("New case (Ctrl+N)"), register)
	q.top = container.NewVBox(q.header, q.bar.obj, q.newCase)
	return q
}

func newQueueBar(cats []domain.Category, changed func()) *queueBar {
	q := &queueBar{cats: cats}
	on := func(string) { changed() }
	q.search = widget.NewEntry()
	q.search.SetPlaceHolder(lang.L("Search number, title, grid, unit… (Ctrl+F)"))
	q.search.OnChanged = on
	statuses := []string{lang.L("All states")}
	for _, s := range domain.OpenStatuses {
		statuses = append(statuses, lang.L(statusLabel[s]))
	}
	q.status = widget.NewSelect(statuses, on)
	q.status.SetSelectedIndex(0)
	lights := []string{lang.L("All lights")}
	for _, l := range lightChoices {
		lights = append(lights, lang.L(lightLabel[l]))
	}
	q.light = widget.NewSelect(lights, on)
	q.light.SetSelectedIndex(0)
	var orders []string
	for _, o := range sortLabels {
		orders = append(orders, lang.L(o.label))
	}
	q.order = widget.NewSelect(orders, on)
	q.order.SetSelectedIndex(0)
	catNames := []string{lang.L("All categories")}
	for _, c := range q.cats {
		catNames = append(catNames, categoryName(c))
	}
	q.category = widget.NewSelect(catNames, on)
	q.category.SetSelectedIndex(0)
	srcNames := []string{lang.L("All sources")}
	for _, sc := range sourceChoices {
		srcNames = append(srcNames, lang.L(sc.label))
	}
	q.source = widget.NewSelect(srcNames, on)
	q.source.SetSelectedIndex(0)
	q.grid = widget.NewSelectEntry(nil)
	q.grid.SetPlaceHolder(lang.L("Grid…"))
	q.grid.OnChanged = on
	q.unit = widget.NewSelectEntry(nil)
	q.unit.SetPlaceHolder(lang.L("Unit…"))
	q.unit.OnChanged = on
	q.obj = container.NewVBox(q.search, container.NewGridWithColumns(3, q.status, q.light, q.order),
		container.NewGridWithColumns(2, q.category, q.source), container.NewGridWithColumns(2, q.grid, q.unit))
	return q
}

// filter reads the bar into a desk.Filter and sort order.
func (q *queueBar) filter() (desk.Filter, string) {
	f := desk.Filter{Text: q.search.Text}
	if i := q.status.SelectedIndex(); i > 0 {
		f.Status = domain.OpenStatuses[i-1]
	}
	if i := q.light.SelectedIndex(); i > 0 {
		l := lightChoices[i-1]
		f.Light = &l
	}
	if i := q.category.SelectedIndex(); i > 0 {
		f.Category = q.cats[i-1].Key
	}
	if i := q.source.SelectedIndex(); i > 0 {
		f.Source = sourceChoices[i-1].key
	}
	f.GridName, f.UnitName = strings.TrimSpace(q.grid.Text), strings.TrimSpace(q.unit.Text)
	order := desk.SortLight
	if i := q.order.SelectedIndex(); i >= 0 {
		order = sortLabels[i].key
	}
	return f, order
}

// setRows puts a fresh read of the open queue in, announcing what is new.
func (q *queuePanel) setRows(rows []desk.CaseRow) {
	q.announce(rows)
	q.all = rows
	q.arrange()
}

// row is the freshest row of case id.
func (q *queuePanel) row(id string) (desk.CaseRow, bool) {
	for _, c := range q.all {
		if c.ID == id {
			return c, true
		}
	}
	return desk.CaseRow{}, false
}

// refresh redraws the rows: their clocks count every second.
func (q *queuePanel) refresh() { q.list.Refresh() }

// arrange shows the queue filtered and sorted as the bar says.
func (q *queuePanel) arrange() {
	if q.bar == nil {
		return // the filters being set up
	}
	q.bar.offer(q.all)
	f, order := q.bar.filter()
	q.shown = desk.Arrange(q.all, f, order)
	q.list.UnselectAll()
	q.list.Refresh()
	overdue := 0
	for _, c := range q.all {
		if c.Overdue {
			overdue++
		}
	}
	q.header.SetText(lang.L("Open cases: {{.N}}", map[string]any{"N": len(q.all)}) +
		fmt.Sprintf("  ·  %s", lang.L("Shown: {{.N}}", map[string]any{"N": len(q.shown)})) +
		fmt.Sprintf("  ·  %s", lang.L("Overdue: {{.N}}", map[string]any{"N": overdue})))
	q.alertOverdue()
	if q.onOverdue != nil {
		q.onOverdue(overdue)
	}
}

// announce raises a desktop notification for cases that arrived since the
// last read (not for the first).
func (q *queuePanel) announce(rows []desk.CaseRow) {
	first := q.seen == nil
	if first {
		q.seen = map[string]bool{}
	}
	var fresh []desk.CaseRow
	if q.freshAt == nil {
		q.freshAt = map[string]time.Time{}
	}
	for _, r := range rows {
		if !q.seen[r.ID] {
			q.seen[r.ID] = true
			if !first {
				fresh = append(fresh, r)
				q.freshAt[r.ID] = time.Now()
			}
		}
	}
	if len(fresh) == 0 {
		return
	}
	body := fresh[0].No + " " + fresh[0].Title + " · " + fresh[0].GridName
	if len(fresh) > 1 {
		body = lang.L("{{.N}} new cases", map[string]any{"N": len(fresh)}) + ": " + body + " …"
	}
	fyne.CurrentApp().SendNotification(fyne.NewNotification(lang.L("New case"), body))
	if q.onNews != nil {
		q.onNews(lang.L("New case") + ": " + body)
	}
}

// alertOverdue announces cases that became overdue (or nearly) since the
// last look, and keeps the system tray's menu counting them.
func (q *queuePanel) alertOverdue() {
	first := q.late == nil
	if first {
		q.late = map[string]bool{}
	}
	var fresh []desk.CaseRow
	overdue, soon := 0, 0
	for _, c := range q.all {
		switch {
		case c.Overdue:
			overdue++
		case c.DueSoon:
			soon++
		}
		if (c.Overdue || c.DueSoon) && !q.late[c.ID] {
			q.late[c.ID] = true
			if !first {
				fresh = append(fresh, c)
			}
		}
	}
	if len(fresh) > 0 {
		body := fresh[0].No + " " + fresh[0].Title + " · " + fresh[0].UnitName
		if len(fresh) > 1 {
			body = lang.L("{{.N}} cases", map[string]any{"N": len(fresh)}) + ": " + body + " …"
		}
		fyne.CurrentApp().SendNotification(fyne.NewNotification(lang.L("Overdue or about to be"), body))
	}
	if d, ok := fyne.CurrentApp().(desktop.App); ok && !q.review && q.onRaise != nil && trayAvailable() {
		show := fyne.NewMenuItem(lang.L("Show the desk"), q.onRaise)
		late := fyne.NewMenuItem(lang.L("Overdue: {{.N}}", map[string]any{"N": overdue})+" · "+lang.L("Due within the hour: {{.N}}", map[string]any{"N": soon}), func() {
			q.onRaise()
			q.bar.light.SetSelectedIndex(1) // red
		})
		d.SetSystemTrayMenu(fyne.NewMenu("GridDesk", late, show))
	}
}

// trayAvailable: on Linux the system tray needs a D-Bus session (Fyne's
// tray crashes on quit without one, as under Xvfb or a bare X server).
func trayAvailable() bool {
	return runtime.GOOS != "linux" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") != ""
}

// offer fills the grid and unit pickers with the names in the queue.
func (q *queueBar) offer(rows []desk.CaseRow) {
	grids, units := map[string]bool{}, map[string]bool{}
	for _, r := range rows {
		grids[r.GridName], units[r.UnitName] = true, true
	}
	list := func(m map[string]bool) []string {
		var out []string
		for k := range m {
			if k != "" {
				out = append(out, k)
			}
		}
		sort.Strings(out)
		return out
	}
	q.grid.SetOptions(list(grids))
	q.unit.SetOptions(list(units))
}
