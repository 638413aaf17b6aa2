package ui

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"

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
}

var sourceChoices = []struct{ key, label string }{
	{domain.SourceGridWorker, "Grid worker"}, {domain.SourceHotline, "12345 hotline"}, {domain.SourceSensor, "Sensor"}, {domain.SourceInspection, "Inspection"},
}

var sortLabels = []struct{ key, label string }{
	{desk.SortLight, "Worst light first"}, {desk.SortDeadline, "Nearest deadline"}, {desk.SortNewest, "Newest"}, {desk.SortOldest, "Oldest"},
}

var lightChoices = []clock.Light{clock.LightRed, clock.LightYellow, clock.LightGreen, clock.LightNone}

func (mw *mainWindow) queueBar() fyne.CanvasObject {
	q := &queueBar{}
	q.search = widget.NewEntry()
	q.search.SetPlaceHolder(lang.L("Search number, title, grid, unit… (Ctrl+F)"))
	q.search.OnChanged = func(string) { mw.arrange() }
	statuses := []string{lang.L("All states")}
	for _, s := range domain.OpenStatuses {
		statuses = append(statuses, lang.L(statusLabel[s]))
	}
	q.status = widget.NewSelect(statuses, func(string) { mw.arrange() })
	q.status.SetSelectedIndex(0)
	lights := []string{lang.L("All lights")}
	for _, l := range lightChoices {
		lights = append(lights, lang.L(lightLabel[l]))
	}
	q.light = widget.NewSelect(lights, func(string) { mw.arrange() })
	q.light.SetSelectedIndex(0)
	var orders []string
	for _, o := range sortLabels {
		orders = append(orders, lang.L(o.label))
	}
	q.order = widget.NewSelect(orders, func(string) { mw.arrange() })
	q.order.SetSelectedIndex(0)
	q.cats = mw.desk.Categories()
	catNames := []string{lang.L("All categories")}
	for _, c := range q.cats {
		catNames = append(catNames, categoryName(c))
	}
	q.category = widget.NewSelect(catNames, func(string) { mw.arrange() })
	q.category.SetSelectedIndex(0)
	srcNames := []string{lang.L("All sources")}
	for _, sc := range sourceChoices {
		srcNames = append(srcNames, lang.L(sc.label))
	}
	q.source = widget.NewSelect(srcNames, func(string) { mw.arrange() })
	q.source.SetSelectedIndex(0)
	q.grid = widget.NewSelectEntry(nil)
	q.grid.SetPlaceHolder(lang.L("Grid…"))
	q.grid.OnChanged = func(string) { mw.arrange() }
	q.unit = widget.NewSelectEntry(nil)
	q.unit.SetPlaceHolder(lang.L("Unit…"))
	q.unit.OnChanged = func(string) { mw.arrange() }
	mw.queue = q
	mw.newCaseBtn = widget.NewButton(lang.L("New case (Ctrl+N)"), mw.showRegister)
	return container.NewVBox(q.search, container.NewGridWithColumns(3, q.status, q.light, q.order),
		container.NewGridWithColumns(2, q.category, q.source), container.NewGridWithColumns(2, q.grid, q.unit), mw.newCaseBtn)
}

// filter reads the bar into an app.Filter and sort order.
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

// arrange shows the queue filtered and sorted as the bar says.
func (mw *mainWindow) arrange() {
	if mw.queue == nil {
		return
	}
	mw.queue.offer(mw.allCases)
	f, order := mw.queue.filter()
	mw.cases = desk.Arrange(mw.allCases, f, order)
	mw.list.UnselectAll()
	mw.list.Refresh()
	overdue := 0
	for _, c := range mw.allCases {
		if c.Overdue {
			overdue++
		}
	}
	mw.header.SetText(lang.L("Open cases: {{.N}}", map[string]any{"N": len(mw.allCases)}) +
		fmt.Sprintf("  ·  %s", lang.L("Shown: {{.N}}", map[string]any{"N": len(mw.cases)})) +
		fmt.Sprintf("  ·  %s", lang.L("Overdue: {{.N}}", map[string]any{"N": overdue})))
	mw.alertOverdue()
	title := mw.baseTitle
	if overdue > 0 {
		title = lang.L("({{.N}} overdue)", map[string]any{"N": overdue}) + " " + title
	}
	mw.win.SetTitle(title)
}

// shortcuts make the queue work without the mouse.
func (mw *mainWindow) shortcuts() {
	c := mw.win.Canvas()
	ctrl := func(k fyne.KeyName, fn func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { fn() })
	}
	ctrl(fyne.KeyF, func() { c.Focus(mw.queue.search) })
	ctrl(fyne.KeyN, func() {
		if !mw.newCaseBtn.Disabled() {
			mw.showRegister()
		}
	})
	ctrl(fyne.KeyL, func() { c.Focus(mw.list) })
	ctrl(fyne.KeyD, func() { mw.quickAction("dispatch") })
	ctrl(fyne.KeyE, mw.showDetail)
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF11}, func(fyne.Shortcut) { mw.toggleWall() })
}

// quickAction runs a selected case's action by keyboard.
func (mw *mainWindow) quickAction(action string) {
	if mw.actions.cur == nil {
		return
	}
	mw.actions.ask(*mw.actions.cur, action)
}

// alertOverdue announces cases that became overdue (or nearly) since the
// last look, and keeps the system tray's menu counting them.
func (mw *mainWindow) alertOverdue() {
	first := mw.late == nil
	if first {
		mw.late = map[string]bool{}
	}
	var fresh []desk.CaseRow
	overdue, soon := 0, 0
	for _, c := range mw.allCases {
		switch {
		case c.Overdue:
			overdue++
		case c.DueSoon:
			soon++
		}
		if (c.Overdue || c.DueSoon) && !mw.late[c.ID] {
			mw.late[c.ID] = true
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
	if d, ok := fyne.CurrentApp().(desktop.App); ok && mw.desk != nil && trayAvailable() {
		if _, review := mw.desk.Snapshot(); review {
			return
		}
		show := fyne.NewMenuItem(lang.L("Show the desk"), func() { mw.win.Show(); mw.win.RequestFocus() })
		late := fyne.NewMenuItem(lang.L("Overdue: {{.N}}", map[string]any{"N": overdue})+" · "+lang.L("Due within the hour: {{.N}}", map[string]any{"N": soon}), func() {
			mw.win.Show()
			mw.queue.light.SetSelectedIndex(1) // red
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
