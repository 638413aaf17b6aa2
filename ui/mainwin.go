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
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"griddesk/core/report"
	"griddesk/desk"
	"griddesk/desk/replica"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/mapview"
)

// mainWindow is the duty officer's desk: map, open-case queue, status bar.
type mainWindow struct {
	win    fyne.Window
	desk   *desk.Desk
	bridge *bridge

	m        *mapview.Map
	layers   mapLayers
	toggles  map[string]*widget.Check
	fitted   bool
	cases    []desk.CaseRow
	list     *widget.List
	header   *widget.Label
	info     *widget.Label
	status   *widget.Label
	state    replica.Status
	loadedAt time.Time

	allCases     []desk.CaseRow // the whole open queue; cases is what the filters show
	queue        *queueBar
	pickFn       func(orb.Point)      // set while the register form waits for a map click
	seen         map[string]bool      // cases already announced
	freshAt      map[string]time.Time // when a new case arrived (marked NEW for a while)
	late         map[string]bool      // overdue or nearly overdue cases already announced
	actions      *caseActions
	selected     string // ID of the case shown in the detail panel
	outboxBtn    *widget.Button
	usersBtn     *widget.Button
	lastRejected int
	banner       *fyne.Container // the read-only notice of a snapshot under review
	wall         *mapview.Map    // the video-wall map, when open
	wallWin      fyne.Window
	boxed        []mapview.Hit // entities picked with a shift-drag box
	planner      *planWindow
	routes       mapview.Layer // the planner's rounds, drawn over the layers
	newCaseBtn   *widget.Button
	settingsBtn  *widget.Button
	baseTitle    string
	legend       fyne.CanvasObject
}

func newMainWindow(a fyne.App, d *desk.Desk) *mainWindow {
	title := lang.L("GridDesk — grid governance command desk")
	mw := &mainWindow{win: a.NewWindow(title), desk: d, toggles: map[string]*widget.Check{}, baseTitle: title}
	mw.state = d.Status()
	mw.m = mapview.New()
	mw.win.SetContent(mw.build())
	mw.setupMap()
	mw.win.SetMainMenu(mw.mainMenu())
	mw.shortcuts()
	if meta, ok := d.Snapshot(); ok {
		mw.readOnly(meta.ExportedAt, meta.Title, meta.Server)
	}
	mw.win.Resize(fyne.NewSize(1280, 800))
	mw.bridge = newBridge(d, mw.show, mw.setStatus)
	mw.lastRejected = mw.state.Rejected
	mw.renderStatus()
	go func() { // clocks in the queue count every second, the data's age every 15
		n := 0
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
			case <-d.Done():
				return
			}
			n++
			fyne.Do(func() {
				mw.list.Refresh()
				if n%15 == 0 {
					mw.renderStatus()
				}
			})
		}
	}()
	return mw
}

func (mw *mainWindow) build() fyne.CanvasObject {
	mw.header = widget.NewLabelWithStyle(lang.L("Open cases"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	mw.list = widget.NewList(
		func() int { return len(mw.cases) },
		newCaseRowView,
		func(id widget.ListItemID, o fyne.CanvasObject) {
			c := mw.cases[id]
			updateCaseRowView(o, c, time.Now(), time.Since(mw.freshAt[c.ID]) < 10*time.Minute)
		},
	)
	mw.list.OnSelected = func(id widget.ListItemID) { mw.selectCase(id) }
	mw.info = widget.NewLabel(lang.L("Tap an entity, case or grid on the map to see it here."))
	mw.info.Wrapping = fyne.TextWrapWord
	mw.actions = newCaseActions(mw)
	side := container.NewBorder(container.NewVBox(mw.header, mw.queueBar()), container.NewVBox(widget.NewSeparator(), mw.info, mw.actions.box), nil, nil, mw.list)

	mw.status = widget.NewLabel("")
	mw.status.Truncation = fyne.TextTruncateEllipsis
	split := container.NewHSplit(mw.m, side)
	split.Offset = 0.7
	mw.banner = container.NewVBox()
	top := container.NewVBox(mw.banner, mw.toolbar())
	return container.NewBorder(top, container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, nil, mw.legend, mw.status)), nil, nil, split)
}

func (mw *mainWindow) toolbar() fyne.CanvasObject {
	items := []fyne.CanvasObject{}
	for _, l := range []struct{ id, label string }{
		{layerEnforcement, "Enforcement grids"}, {layerInspection, "Inspection grids"}, {layerBase, "Base grids"},
		{layerMicro, "Micro grids"}, {layerHeat, "Hazard density"}, {layerEntities, "Entities"}, {layerCases, "Cases"}, {layerRoutes, "Planned routes"},
	} {
		id := l.id
		c := widget.NewCheck(lang.L(l.label), func(on bool) {
			ids := []string{id}
			if id == layerEntities {
				ids = append(ids, layerRed, layerRedSpecks)
			}
			for _, x := range ids {
				mw.m.SetVisible(x, on)
				if mw.wall != nil {
					mw.wall.SetVisible(x, on)
				}
			}
		})
		c.SetChecked(id != layerHeat) // density is an extra view, off at first
		mw.toggles[id] = c
		items = append(items, c)
	}
	fit := widget.NewButtonWithIcon(lang.L("Whole town"), theme.ZoomFitIcon(), func() { mw.fitAll() })
	sel := widget.NewButtonWithIcon(lang.L("Selection"), theme.ZoomInIcon(), mw.zoomToSelection)
	wall := widget.NewButtonWithIcon(lang.L("Wall (F11)"), theme.ViewFullScreenIcon(), mw.toggleWall)
	mw.outboxBtn = widget.NewButtonWithIcon(lang.L("Outbox"), theme.UploadIcon(), mw.showOutbox)
	mw.usersBtn = widget.NewButtonWithIcon(lang.L("Users"), theme.AccountIcon(), mw.showUsers)
	mw.settingsBtn = widget.NewButtonWithIcon(lang.L("Settings"), theme.SettingsIcon(), mw.showSettings)
	mw.settingsBtn.Disable() // admins only
	rankings := widget.NewButtonWithIcon(lang.L("Unit rankings"), theme.ListIcon(), mw.showKPI)
	planner := widget.NewButtonWithIcon(lang.L("Plan rounds"), theme.CalendarIcon(), mw.showPlanner)
	reviews := widget.NewButtonWithIcon(lang.L("Reviews"), theme.ConfirmIcon(), mw.showReviews)
	statsBtn := widget.NewButtonWithIcon(lang.L("Statistics"), theme.InfoIcon(), func() { mw.showStats("") })
	mw.usersBtn.Disable() // enabled for admins once signed in
	legend := container.NewHBox(
		legendDot(colGreen, lang.L("Green")), legendDot(colYellow, lang.L("Yellow")), legendDot(colRed, lang.L("Red")),
		widget.NewLabel("● "+lang.L("Shop")+" ■ "+lang.L("Enterprise")+" ▲ "+lang.L("Rental house")+" ◆ "+lang.L("Small venue")+" · ◆ "+lang.L("Cases")))
	buttons := container.NewHBox(fit, sel, wall, rankings, statsBtn, planner, reviews, mw.outboxBtn, mw.usersBtn, mw.settingsBtn)
	mw.legend = legend // shown at the right of the status bar, so the toolbar fits 1280 px
	return container.NewVBox(buttons, container.NewHBox(items...))
}

func legendDot(c color.Color, label string) fyne.CanvasObject {
	dot := canvas.NewCircle(c)
	dot.StrokeColor = color.NRGBA{A: 0x80}
	dot.StrokeWidth = 1
	return container.NewHBox(container.NewCenter(container.NewGridWrap(fyne.NewSize(12, 12), dot)), widget.NewLabel(label))
}

// show puts a fresh snapshot on screen (UI goroutine).
func (mw *mainWindow) show(s snapshot) {
	if s.Err != nil {
		mw.info.SetText(lang.L("Could not read the local copy: {{.Err}}", map[string]any{"Err": s.Err.Error()}))
		return
	}
	mw.layers = s.Layers
	if mw.routes != nil {
		s.Scene = mapview.NewScene(append(append([]mapview.Layer{}, mw.layers.layers...), mw.routes)...)
	}
	mw.m.SetScene(s.Scene)
	if mw.wall != nil {
		mw.wall.SetScene(s.Scene)
	}
	for id, c := range mw.toggles {
		mw.m.SetVisible(id, c.Checked)
		if id == layerEntities {
			mw.m.SetVisible(layerRed, c.Checked)
			mw.m.SetVisible(layerRedSpecks, c.Checked)
		}
	}
	if !mw.fitted && len(s.Map.Grids) > 0 {
		mw.fitted = true
		mw.m.FitBounds(s.Map.Bound)
	}
	mw.announce(s.Cases)
	mw.allCases = s.Cases
	mw.arrange()
	if mw.selected != "" { // keep the open case's detail and buttons current
		var cur *desk.CaseRow
		for i := range mw.allCases {
			if mw.allCases[i].ID == mw.selected {
				cur = &mw.allCases[i]
			}
		}
		if cur != nil {
			mw.info.SetText(caseText(*cur))
		}
		mw.actions.show(cur)
	}
	mw.loadedAt = s.At
	mw.renderStatus()
}

func (mw *mainWindow) fitAll() {
	var b orb.Bound
	first := true
	for _, l := range mw.layers.layers {
		if pl, ok := l.(*mapview.PolygonLayer); ok && len(pl.Polygons) > 0 {
			if first {
				b, first = pl.Bound(), false
			} else {
				b = b.Union(pl.Bound())
			}
		}
	}
	if !first {
		mw.m.FitBounds(b)
	}
}

func (mw *mainWindow) setStatus(s replica.Status) {
	mw.state = s
	mw.renderStatus()
	if _, review := mw.desk.Snapshot(); !review && mw.desk.User().Role == domain.RoleAdmin {
		mw.usersBtn.Enable()
		mw.settingsBtn.Enable()
	}
	if s.Rejected > mw.lastRejected {
		mw.showOutbox() // the server refused something: say so, with the reason
	}
	mw.lastRejected = s.Rejected
}

func (mw *mainWindow) renderStatus() {
	s := mw.state
	if _, review := mw.desk.Snapshot(); review {
		mw.status.SetText(mw.baseTitle + "   " + lang.L("Rows cached: {{.N}}", map[string]any{"N": s.Rows}))
		return
	}
	state := map[string]string{
		replica.StateConnecting: lang.L("Connecting…"), replica.StateSyncing: lang.L("Synchronizing…"),
		replica.StateOnline: lang.L("Online"), replica.StateOffline: lang.L("Offline"),
	}[s.State]
	last := lang.L("never")
	if !s.LastSync.IsZero() {
		last = s.LastSync.In(clock.Location()).Format("2006-01-02 15:04:05")
	}
	text := fmt.Sprintf("● %s   %s   %s", state,
		lang.L("Last sync: {{.T}}", map[string]any{"T": last}),
		lang.L("Rows cached: {{.N}}", map[string]any{"N": s.Rows}))
	if u := mw.desk.User(); u.Username != "" {
		text += "   " + lang.L("Signed in as {{.U}}", map[string]any{"U": u.Name})
	}
	if s.Pending > 0 {
		text += "   " + lang.L("Pending: {{.N}}", map[string]any{"N": s.Pending})
	}
	for _, y := range mw.desk.CalendarWarning(time.Now()) {
		text += "   ⚠ " + lang.L("No holiday notice for {{.Y}} yet: statutory holidays only, make-up working days unknown", map[string]any{"Y": y})
	}
	if s.Rejected > 0 {
		text += "   " + lang.L("Refused: {{.N}}", map[string]any{"N": s.Rejected})
	}
	if s.State == replica.StateOffline {
		if !s.LastSync.IsZero() {
			text += "   " + lang.L("Data age: {{.A}}", map[string]any{"A": time.Since(s.LastSync).Round(time.Second).String()})
		}
		if s.Err != "" {
			text += "   " + lang.L("Reason: {{.E}}", map[string]any{"E": s.Err})
		}
	}
	mw.status.SetText(text)
	mw.outboxBtn.SetText(lang.L("Outbox") + fmt.Sprintf(" (%d)", s.Pending+s.Rejected))
}

func (mw *mainWindow) selectCase(id int) {
	if id < 0 || id >= len(mw.cases) {
		return
	}
	c := mw.cases[id]
	mw.selected = c.ID
	mw.info.SetText(caseText(c))
	mw.actions.show(&c)
	for i, lc := range mw.layers.cases {
		if lc.ID == c.ID {
			mw.setSelection([]mapview.Hit{{Layer: layerCases, Index: i}})
		}
	}
	mw.m.SetView(mapview.View{Center: orb.Point{c.Lon, c.Lat}, Zoom: max(mw.m.View().Zoom, 15)})
}

func (mw *mainWindow) tapped(h mapview.Hit, ok bool, at orb.Point) {
	if pick := mw.pickFn; pick != nil {
		mw.pickFn = nil
		pick(at)
		return
	}
	if ok && h.IsCluster() { // a cluster: zoom in on its members
		mw.m.FitBounds(mw.m.Scene().HitsBound([]mapview.Hit{h}))
		return
	}
	if ok {
		mw.setSelection([]mapview.Hit{h})
	} else {
		mw.setSelection(nil)
	}
	if !(ok && h.Layer == layerCases) {
		mw.selected = ""
		mw.actions.show(nil)
	}
	if !ok {
		mw.info.SetText(lang.L("Nothing here ({{.Lon}}, {{.Lat}}).", map[string]any{"Lon": fmt.Sprintf("%.5f", at[0]), "Lat": fmt.Sprintf("%.5f", at[1])}))
		return
	}
	switch h.Layer {
	case layerEntities, layerRed, layerRedSpecks:
		if e, ok := mw.layers.entity(h); ok {
			mw.info.SetText(entityText(e))
			mw.actions.showButtons(widget.NewButton(lang.L("Entity page"), func() { mw.showEntity(e.ID) }))
		}
	case layerCases:
		if h.Index < len(mw.layers.cases) {
			c := mw.layers.cases[h.Index]
			mw.selected = c.ID
			mw.info.SetText(caseText(c))
			mw.actions.show(&c)
		}
	default:
		if text := mw.describe(h, false); text != "" {
			mw.info.SetText(text + "\n" + lang.L("Zoom to selection shows the whole grid."))
		}
		if gs := mw.layers.grids[h.Layer]; h.Index >= 0 && h.Index < len(gs) {
			g := gs[h.Index]
			mw.actions.showButtons(
				widget.NewButton(lang.L("Statistics"), func() { mw.showStats(g.ID) }),
				widget.NewButton(lang.L("Door plates PDF…"), func() {
					mw.saveTo(report.Filename(report.KindPlates, g.ID), func(w io.Writer) error { return mw.desk.PlatesPDF(context.Background(), w, g.ID) })
				}))
		}
	}
}

// announce raises a desktop notification for cases that arrived since the
// last snapshot (not for the first load).
func (mw *mainWindow) announce(rows []desk.CaseRow) {
	first := mw.seen == nil
	if first {
		mw.seen = map[string]bool{}
	}
	var fresh []desk.CaseRow
	if mw.freshAt == nil {
		mw.freshAt = map[string]time.Time{}
	}
	for _, r := range rows {
		if !mw.seen[r.ID] {
			mw.seen[r.ID] = true
			if !first {
				fresh = append(fresh, r)
				mw.freshAt[r.ID] = time.Now()
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
	mw.info.SetText(lang.L("New case") + ": " + body)
}

var levelLabel = map[string]string{
	domain.LevelBase: "Base grid", domain.LevelMicro: "Micro grid", domain.LevelInspection: "Inspection grid", domain.LevelEnforcement: "Enforcement grid",
}

var kindLabel = map[string]string{
	domain.KindShop: "Shop", domain.KindEnterprise: "Enterprise", domain.KindRental: "Rental house", domain.KindVenue: "Small venue",
}

var codeLabel = map[string]string{domain.CodeGreen: "Green code", domain.CodeYellow: "Yellow code", domain.CodeRed: "Red code"}

var statusLabel = map[domain.CaseStatus]string{
	domain.StatusReported: "Reported", domain.StatusRegistered: "Registered", domain.StatusRejected: "Rejected",
	domain.StatusDispatched: "Dispatched", domain.StatusAccepted: "Accepted", domain.StatusOnSite: "On site",
	domain.StatusHandled: "Handled", domain.StatusClosed: "Closed", domain.StatusEvaluated: "Evaluated", domain.StatusDeferred: "Deferred",
}

var lightLabel = map[clock.Light]string{clock.LightNone: "No light", clock.LightGreen: "Green light", clock.LightYellow: "Yellow light", clock.LightRed: "Red light"}

func entityText(e domain.Entity) string {
	return fmt.Sprintf("%s\n%s · %s\n%s", e.Name, lang.L(kindLabel[e.Kind]), lang.L(codeLabel[e.Code]), e.Address)
}

func categoryName(c domain.Category) string {
	if chinese() || c.NameEn == "" {
		return c.Name
	}
	return c.NameEn
}

func caseText(c desk.CaseRow) string {
	return fmt.Sprintf("%s  %s\n%s · %s · %s\n%s · %s\n%s: %s", c.No, c.Title, categoryName(c.CategoryInfo),
		lang.L(statusLabel[c.Status]), lang.L(lightLabel[c.Light]), c.GridName, c.UnitName,
		lang.L("Reported"), c.ReportedAt.In(clock.Location()).Format("2006-01-02 15:04"))
}

// newCaseRowView is the queue's row template: a light, a title line and a detail line.
func newCaseRowView() fyne.CanvasObject {
	dot := canvas.NewCircle(colNone)
	dot.StrokeColor = color.NRGBA{A: 0x90}
	dot.StrokeWidth = 1
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, container.NewCenter(container.NewGridWrap(fyne.NewSize(14, 14), dot)), nil,
		container.NewVBox(title, detail))
}

func updateCaseRowView(o fyne.CanvasObject, c desk.CaseRow, now time.Time, fresh bool) {
	b := o.(*fyne.Container)
	texts := b.Objects[0].(*fyne.Container)
	dot := b.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container).Objects[0].(*canvas.Circle)
	dot.FillColor = lightColor(c.Light)
	dot.Refresh()
	title := c.No + "  " + c.Title
	if fresh {
		title = lang.L("NEW") + "  " + title
	}
	texts.Objects[0].(*widget.Label).SetText(title)
	detail := fmt.Sprintf("%s · %s · %s · %s", categoryName(c.CategoryInfo), lang.L(statusLabel[c.Status]), c.GridName, c.UnitName)
	if c.Pending {
		detail = lang.L("Pending sync") + " · " + detail
	}
	if !c.NextDeadline.IsZero() { // the running clock, counting live
		if left := c.NextDeadline.Sub(now); left >= 0 {
			detail += " · " + lang.L("left {{.T}}", map[string]any{"T": clockText(left)})
		} else {
			detail += " · " + lang.L("over by {{.T}}", map[string]any{"T": clockText(-left)})
		}
	}
	texts.Objects[1].(*widget.Label).SetText(detail)
}

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
	mw.baseTitle = text
	mw.win.SetTitle(text)
	mw.newCaseBtn.Disable()
	mw.outboxBtn.Disable()
	mw.usersBtn.Disable()
}

// setRoutes draws (or, nil, removes) the planner's rounds on the map.
func (mw *mainWindow) setRoutes(l mapview.Layer) {
	mw.routes = l
	layers := append([]mapview.Layer{}, mw.layers.layers...)
	if l != nil {
		layers = append(layers, l)
	}
	sc := mapview.NewScene(layers...)
	mw.m.SetScene(sc)
	if mw.wall != nil {
		mw.wall.SetScene(sc)
	}
}

// clockText shows a duration as the desk's clocks do: H:MM:SS, or days.
func clockText(d time.Duration) string {
	d = d.Round(time.Second)
	if d >= 48*time.Hour {
		return lang.L("{{.D}} days", map[string]any{"D": int(d.Hours() / 24)})
	}
	h := int(d.Hours())
	m := int(d.Minutes()) % 60
	sec := int(d.Seconds()) % 60
	return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
}
