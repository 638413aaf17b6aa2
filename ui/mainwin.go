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
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"griddesk/desk"
	"griddesk/desk/replica"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/mapview"
)

// mainWindow is the duty officer's desk: the map, the open-case queue
// beside it with the detail panel under the queue, the toolbar over them
// and the status bar under them. Each part keeps its own state; the window
// only wires them to each other, to the loader that reads the local copy
// and to the dialogs.
type mainWindow struct {
	win     fyne.Window
	desk    *desk.Desk
	br      *bridge
	loader  *loader
	dg      *dialogs
	mapc    *mapController
	queue   *queuePanel
	detail  *detailPanel
	status  *statusBar
	tools   *toolbar
	notices *noticeBoard
	banner  *fyne.Container // the read-only notice of a snapshot under review
	title   string          // the window's title, without the overdue count
	planner *planWindow     // the open planner, or nil
	review  bool            // a snapshot under review: nothing changes
	finder  *caseFinder     // the last case search opened (tests look at it)
}

func newMainWindow(a fyne.App, d *desk.Desk) *mainWindow {
	title := lang.L("GridDesk — grid governance command desk")
	mw := &mainWindow{win: a.NewWindow(title), desk: d, title: title}
	mw.br = newBridge(mw.win, d)
	mw.dg = newDialogs(mw.br)
	mw.loader = newLoader(mw.br, mw.show)
	mw.mapc = newMapController(viewKey(d))
	_, mw.review = d.Snapshot()
	mw.queue = newQueuePanel(d.Categories(), mw.review, mw.register)
	mw.detail = newDetailPanel(mw.br, mw.dg.showCase)
	mw.notices = newNoticeBoard(mw.win)
	mw.tools = newToolbar(tools{
		fit: mw.mapc.fitAll, selection: mw.mapc.zoomToSelection, wall: mw.mapc.toggleWall,
		rankings: mw.dg.showKPI, stats: func() { mw.dg.showStats("", mw.statGrids()) }, planner: mw.showPlanner,
		reviews: mw.dg.showReviews, outbox: mw.dg.showOutbox, users: mw.dg.showUsers, settings: mw.dg.showSettings,
		find: mw.find,
	}, mw.mapc.togglesBar(), mw.notices.button)
	mw.status = newStatusBar(d, mw.tools.setCount)
	mw.status.relayout = func() {
		if c := mw.win.Content(); c != nil {
			c.Refresh()
		}
	}
	mw.wire()
	mw.win.SetContent(mw.layout())
	mw.win.SetMainMenu(fyne.NewMainMenu(mw.dg.fileMenu(func() []desk.CaseRow { return mw.queue.shown }, mw.review),
		mw.dg.dailyMenu(func() { mw.detail.intake(mw.mapc) }, mw.detail)))
	mw.shortcuts()
	if meta, ok := d.Snapshot(); ok {
		mw.readOnly(meta.ExportedAt, meta.Title, meta.Server)
	}
	rememberSize(mw.br, "desk", fyne.NewSize(1280, 800))
	mw.br.follow(mw.setStatus, mw.loader.take)
	mw.status.render()
	n := 0
	mw.br.tick(time.Second, func() { // clocks in the queue count every second, the data's age every 15
		n++
		mw.queue.refresh()
		if n%15 == 0 {
			mw.status.render()
		}
	})
	return mw
}

// wire connects the parts' callbacks.
func (mw *mainWindow) wire() {
	mw.mapc.onTap = mw.tapped
	mw.mapc.onBox = func(n int) {
		mw.detail.say(lang.L("{{.N}} entities selected in the box.", map[string]any{"N": n}))
	}
	mw.mapc.onRoutes = mw.loader.setRoutes
	mw.mapc.onFocus = func(c *desk.CaseRow) {
		if c == nil {
			mw.loader.setFocus("")
		} else {
			mw.loader.setFocus(c.ID)
		}
	}
	mw.mapc.wallFeed = func() *wallWindow {
		return newWallWindow(mw.br, func() []desk.CaseRow { return mw.queue.all }, mw.mapc.codeCounts,
			func(br *bridge) fyne.CanvasObject { // the daily work's tiles: 督办件, hotspots, repeats
				return newWallTiles(br, func() []desk.CaseRow { return mw.mapc.layers.cases })
			})
	}
	mw.detail.gridName = mw.mapc.gridName
	mw.dg.town = func() []domain.Grid { return mw.mapc.gridsOf(layerBase) }
	mw.queue.onSelect = mw.selectCase
	mw.queue.onNotice = mw.notices.add
	mw.queue.onHistory = mw.loader.setHistory
	mw.notices.onPick = mw.selectCase
	mw.queue.onOverdue = func(n int) {
		title := mw.title
		if n > 0 {
			title = lang.L("({{.N}} overdue)", map[string]any{"N": n}) + " " + title
		}
		mw.win.SetTitle(title)
	}
	mw.queue.onRaise = func() { mw.win.Show(); mw.win.RequestFocus() }
	mw.followUrges()
}

// layout places the parts: the map beside the queue and the detail panel,
// the toolbar over them, the status bar (and legend) under them.
func (mw *mainWindow) layout() fyne.CanvasObject {
	side := container.NewBorder(mw.queue.top, mw.detail.obj, nil, nil, mw.queue.list)
	split := container.NewHSplit(mw.mapc.m, side)
	split.Offset = 0.7
	mw.banner = container.NewVBox()
	top := container.NewVBox(mw.banner, mw.tools.obj)
	bottom := container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, nil, container.NewVBox(mw.tools.legend), mw.status.obj))
	return container.NewBorder(top, bottom, nil, nil, split)
}

// shortcuts make the queue work without the mouse.
func (mw *mainWindow) shortcuts() {
	c := mw.win.Canvas()
	ctrl := func(k fyne.KeyName, fn func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
			if len(c.Overlays().List()) == 0 { // a dialog is modal: the window's keys wait for it
				fn()
			}
		})
	}
	ctrl(fyne.KeyF, func() { c.Focus(mw.queue.bar.search) })
	ctrl(fyne.KeyN, func() {
		if !mw.queue.newCase.Disabled() {
			mw.register()
		}
	})
	ctrl(fyne.KeyL, func() { c.Focus(mw.queue.list) })
	ctrl(fyne.KeyD, func() { mw.detail.quick("dispatch") })
	ctrl(fyne.KeyE, mw.detail.page)
	for i, k := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9} {
		ctrl(k, func() { mw.detail.press(i) }) // the detail panel's buttons, from the left: Details, then the steps
	}
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift},
		func(fyne.Shortcut) { mw.find() })
	// F11 has no modifier: Fyne's desktop driver fires no shortcut for it,
	// so it is bound on the canvas (and handed on by entries and the map)
	k := keysOf(c)
	k.bind(fyne.KeyF11, mw.mapc.toggleWall)
	mw.mapc.m.OnOtherKey = k.typed
	mw.br.atClose(func() { forgetKeys(c) })
}

// show hands a read of the local copy to the parts it changed (UI goroutine).
func (mw *mainWindow) show(f frame) {
	if f.err != nil {
		mw.detail.say(lang.L("Could not read the local copy: {{.Err}}", map[string]any{"Err": f.err.Error()}))
		return
	}
	if f.scene != nil {
		mw.mapc.show(f.layers, f.scene)
	}
	if f.parts&partQueue != 0 {
		mw.queue.setRows(f.rows, f.history)
		mw.detail.keep(mw.queue.row)
	}
	if w := mw.mapc.wall; w != nil && f.parts&(partQueue|partEntities) != 0 {
		w.refresh()
	}
	mw.status.render()
}

// setStatus shows a new sync status; refused commands open the outbox, so
// the user reads the server's reason.
func (mw *mainWindow) setStatus(s replica.Status) {
	refused := mw.status.setState(s)
	if _, review := mw.desk.Snapshot(); !review && mw.desk.User().Role == domain.RoleAdmin {
		mw.tools.setAdmin()
	}
	if refused {
		mw.dg.showOutbox()
	}
}

// selectCase shows a case of the queue in the detail panel and on the map.
func (mw *mainWindow) selectCase(c desk.CaseRow) {
	mw.detail.showCase(c)
	mw.mapc.showCase(c)
}

// tapped shows what was tapped on the map in the detail panel.
func (mw *mainWindow) tapped(h mapview.Hit, ok bool, at orb.Point) {
	switch {
	case !ok:
		mw.detail.showOther(lang.L("Nothing here ({{.Lon}}, {{.Lat}}).", map[string]any{"Lon": fmt.Sprintf("%.5f", at[0]), "Lat": fmt.Sprintf("%.5f", at[1])}))
	case h.Layer == layerEntities || h.Layer == layerRed || h.Layer == layerRedSpecks:
		e, ok := mw.mapc.layers.entity(h)
		if !ok {
			mw.detail.showOther("")
			return
		}
		mw.detail.showOther(entityText(e), widget.NewButton(lang.L("Entity page"), func() { mw.dg.showEntity(e.ID) }))
	case h.Layer == layerCases:
		if h.Index >= 0 && h.Index < len(mw.mapc.layers.cases) {
			c := mw.mapc.layers.cases[h.Index]
			if fresh, ok := mw.queue.row(c.ID); ok {
				c = fresh
			}
			mw.detail.showCase(c)
		}
	default:
		text := mw.mapc.describe(h, false)
		if text != "" {
			text += "\n" + lang.L("Zoom to selection shows the whole grid.")
		}
		g, ok := mw.mapc.grid(h)
		if !ok {
			mw.detail.showOther(text)
			return
		}
		mw.detail.showOther(text,
			widget.NewButton(lang.L("Statistics"), func() { mw.dg.showStats(g.ID, mw.statGrids()) }),
			widget.NewButton(lang.L("Door plates PDF…"), func() {
				mw.dg.saveTo(docName("door-plates", "pdf", g.Name), func(ctx context.Context, w io.Writer) error { return mw.desk.PlatesPDF(ctx, w, g.ID) })
			}))
	}
}

// statGrids are the grids statistics are offered for.
func (mw *mainWindow) statGrids() []domain.Grid { return mw.mapc.gridsOf(layerInspection, layerBase) }

// register opens the form for a hotline call, placed on the map.
func (mw *mainWindow) register() { mw.detail.register(mw.mapc) }

// showPlanner opens the planner, or brings it forward.
func (mw *mainWindow) showPlanner() {
	if mw.planner != nil {
		mw.planner.win.RequestFocus()
		return
	}
	mw.planner = newPlanWindow(mw.br, mw.mapc)
	mw.planner.br.atClose(func() { mw.planner = nil })
}

// basemap puts optional raster tiles under the map (see mapController).
func (mw *mainWindow) basemap(o Options) error { return mw.mapc.basemap(o, mw.br.atClose) }

// readOnly turns the window into a snapshot review: a banner says what it
// is, and everything that would change something is disabled.
func (mw *mainWindow) readOnly(at time.Time, title, server string) {
	text := lang.L("Snapshot of {{.T}}, read-only", map[string]any{"T": at.In(clock.Location()).Format("2006-01-02 15:04")})
	if title != "" {
		text += " · " + title
	}
	if server != "" {
		text += " · " + server
	}
	bg := canvas.NewRectangle(color.NRGBA{R: 0xb3, G: 0x6b, B: 0x00, A: 0xff})
	label := widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	mw.banner.Add(container.NewStack(bg, label))
	mw.title, mw.status.review = text, text
	mw.win.SetTitle(text)
	mw.queue.newCase.Disable()
	mw.tools.readOnly()
}

// viewKey is the preference the map's view is kept under: one per data
// directory (a snapshot under review keeps none).
func viewKey(d *desk.Desk) string {
	if _, review := d.Snapshot(); review {
		return ""
	}
	return prefView + "." + dirKey(d.Config().DataDir)
}
