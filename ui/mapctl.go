package ui

import (
	"encoding/json"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"griddesk/assets"
	"griddesk/domain"
	"griddesk/mapview"
	"griddesk/store/mbtiles"
)

const prefView = "map.view"

// mapController is the desk's map: the scenes the loader builds, which
// layers show, what is selected, the video wall that follows it, and taps
// turned into what they mean (a pick for a form, a cluster to zoom into,
// or an item for the detail panel).
type mapController struct {
	m       *mapview.Map
	layers  mapLayers // what the shown scene's item indexes mean
	toggles map[string]*widget.Check
	fitted  bool            // zoomed to the town once (or the user's view restored)
	boxed   []mapview.Hit   // entities picked with a shift-drag box
	pickFn  func(orb.Point) // set while a form waits for a map click
	wall    *mapview.Map    // the video-wall map, when open
	wallWin fyne.Window
	// wallSide makes the wall's side column for its window (nil: the map
	// alone) and the func that ends its work when the wall closes
	wallSide func(w fyne.Window) (fyne.CanvasObject, func())

	onTap    func(h mapview.Hit, ok bool, at orb.Point) // an item (ok) or nothing was tapped
	onBox    func(n int)                                // n entities were boxed
	onRoutes func(mapview.Layer)                        // the planner's rounds, for the next scene
}

func newMapController() *mapController {
	mc := &mapController{m: mapview.New(), toggles: map[string]*widget.Check{}}
	if f, err := mapview.NewFonts(assets.CJKFont); err == nil {
		mc.m.SetFonts(f)
	}
	mc.m.OnTapped = mc.tapped
	mc.m.OnHover = mc.hover
	mc.m.OnBoxSelect = mc.boxSelected
	mc.rememberView()
	return mc
}

// rememberView restores the view of the last run and keeps it while the
// map moves.
func (mc *mapController) rememberView() {
	prefs := fyne.CurrentApp().Preferences()
	if raw := prefs.String(prefView); raw != "" {
		var v mapview.View
		if json.Unmarshal([]byte(raw), &v) == nil && v.Zoom > 0 {
			mc.m.SetView(v)
			mc.fitted = true // the user's view wins over zoom-to-fit
		}
	}
	var last time.Time
	mc.m.OnViewChanged = func(v mapview.View) {
		if mc.wall != nil {
			mc.wall.SetView(v)
		}
		if time.Since(last) < 500*time.Millisecond {
			return
		}
		last = time.Now()
		if raw, err := json.Marshal(v); err == nil {
			prefs.SetString(prefView, string(raw))
		}
	}
}

// togglesBar is the row of layer check boxes.
func (mc *mapController) togglesBar() fyne.CanvasObject {
	var items []fyne.CanvasObject
	for _, l := range []struct{ id, label string }{
		{layerEnforcement, "Enforcement grids"}, {layerInspection, "Inspection grids"}, {layerBase, "Base grids"},
		{layerMicro, "Micro grids"}, {layerHeat, "Hazard density"}, {layerEntities, "Entities"}, {layerCases, "Cases"}, {layerRoutes, "Planned routes"},
	} {
		id := l.id
		c := widget.NewCheck(lang.L(l.label), func(on bool) {
			for _, m := range []*mapview.Map{mc.m, mc.wall} {
				if m != nil {
					setVisible(m, id, on)
				}
			}
		})
		c.SetChecked(id != layerHeat)   // density is an extra view, off at first
		setVisible(mc.m, id, c.Checked) // SetChecked(false) on an unchecked box calls nothing
		mc.toggles[id] = c
		items = append(items, c)
	}
	return container.NewHBox(items...)
}

// setVisible shows or hides a toggle's layers: the entities are three.
func setVisible(m *mapview.Map, id string, on bool) {
	m.SetVisible(id, on)
	if id == layerEntities {
		m.SetVisible(layerRed, on)
		m.SetVisible(layerRedSpecks, on)
	}
}

// show puts a scene the loader built on the map (and the wall); the first
// one with grids is fitted.
func (mc *mapController) show(ml mapLayers, sc *mapview.Scene) {
	mc.layers = ml
	mc.m.SetScene(sc)
	if mc.wall != nil {
		mc.wall.SetScene(sc)
	}
	if !mc.fitted && !ml.bound.IsZero() {
		mc.fitted = true
		mc.m.FitBounds(ml.bound)
	}
}

// fitAll shows every grid.
func (mc *mapController) fitAll() {
	var b orb.Bound
	first := true
	for _, l := range mc.layers.gridL {
		if pl, ok := l.(*mapview.PolygonLayer); ok && len(pl.Polygons) > 0 {
			if first {
				b, first = pl.Bound(), false
			} else {
				b = b.Union(pl.Bound())
			}
		}
	}
	if !first {
		mc.m.FitBounds(b)
	}
}

// fit shows the bound b.
func (mc *mapController) fit(b orb.Bound) { mc.m.FitBounds(b) }

// setRoutes draws (or, nil, removes) the planner's rounds on the map.
func (mc *mapController) setRoutes(l mapview.Layer) {
	if mc.onRoutes != nil {
		mc.onRoutes(l)
	}
}

// pick hands the next tap's place to fn instead of selecting (nil: stop
// waiting).
func (mc *mapController) pick(fn func(orb.Point)) { mc.pickFn = fn }

func (mc *mapController) tapped(h mapview.Hit, ok bool, at orb.Point) {
	if pick := mc.pickFn; pick != nil {
		mc.pickFn = nil
		pick(at)
		return
	}
	if ok && h.IsCluster() { // a cluster: zoom in on its members
		mc.m.FitBounds(mc.m.Scene().HitsBound([]mapview.Hit{h}))
		return
	}
	if ok {
		mc.setSelection([]mapview.Hit{h})
	} else {
		mc.setSelection(nil)
	}
	if mc.onTap != nil {
		mc.onTap(h, ok, at)
	}
}

// hover shows what is under the mouse.
func (mc *mapController) hover(h mapview.Hit, ok bool, at orb.Point) {
	if !ok {
		mc.m.SetTooltip("")
		return
	}
	mc.m.SetTooltip(mc.describe(h, true))
}

// describe names a hit: an entity, a case, a grid or a cluster.
func (mc *mapController) describe(h mapview.Hit, short bool) string {
	if h.IsCluster() {
		return lang.L("{{.N}} entities here — click to zoom in", map[string]any{"N": len(h.Cluster)})
	}
	switch h.Layer {
	case layerEntities, layerRed, layerRedSpecks:
		if e, ok := mc.layers.entity(h); ok {
			if short {
				return e.Name + "\n" + lang.L(kindLabel[e.Kind]) + " · " + lang.L(codeLabel[e.Code])
			}
			return entityText(e)
		}
	case layerCases:
		if h.Index >= 0 && h.Index < len(mc.layers.cases) {
			c := mc.layers.cases[h.Index]
			if short {
				return c.No + " " + c.Title + "\n" + lang.L(statusLabel[c.Status]) + " · " + lang.L(lightLabel[c.Light])
			}
			return caseText(c)
		}
	default:
		if g, ok := mc.grid(h); ok {
			return fmt.Sprintf("%s\n%s · %s", g.Name, lang.L(levelLabel[g.Level]), g.ID)
		}
	}
	return ""
}

// grid resolves a hit on a grid layer.
func (mc *mapController) grid(h mapview.Hit) (domain.Grid, bool) {
	if gs := mc.layers.grids[h.Layer]; h.Index >= 0 && h.Index < len(gs) {
		return gs[h.Index], true
	}
	return domain.Grid{}, false
}

// gridsOf lists the grids of the given layers.
func (mc *mapController) gridsOf(layerIDs ...string) []domain.Grid {
	return mc.layers.gridsOf(layerIDs...)
}

// gridNameAt names the finest grid under a point.
func (mc *mapController) gridNameAt(p orb.Point) string {
	for _, g := range mc.layers.gridsOf(layerMicro, layerBase) {
		if g.Geometry.Bound().Contains(p) && planar.MultiPolygonContains(g.Geometry, p) {
			return g.Name
		}
	}
	return lang.L("outside every grid")
}

// boxSelected keeps the entities inside a shift-drag box as the selection
// (team leaders pick entities for a round this way).
func (mc *mapController) boxSelected(b orb.Bound, hits []mapview.Hit) {
	var kept []mapview.Hit
	for _, h := range hits {
		if (h.Layer == layerEntities || h.Layer == layerRed || h.Layer == layerRedSpecks) && h.Index >= 0 {
			kept = append(kept, h)
		}
	}
	mc.boxed = kept
	mc.setSelection(kept)
	if mc.onBox != nil {
		mc.onBox(len(kept))
	}
}

// boxedEntities are the entities of the last shift-drag box.
func (mc *mapController) boxedEntities() []domain.Entity {
	var es []domain.Entity
	for _, h := range mc.boxed {
		if e, ok := mc.layers.entity(h); ok {
			es = append(es, e)
		}
	}
	return es
}

// setSelection highlights items on the map and on the wall.
func (mc *mapController) setSelection(hits []mapview.Hit) {
	mc.m.SetSelection(hits)
	if mc.wall != nil {
		mc.wall.SetSelection(hits)
	}
}

// showCase highlights a case and centres the map on it.
func (mc *mapController) showCase(id string, at orb.Point) {
	for i, lc := range mc.layers.cases {
		if lc.ID == id {
			mc.setSelection([]mapview.Hit{{Layer: layerCases, Index: i}})
		}
	}
	mc.m.SetView(mapview.View{Center: at, Zoom: max(mc.m.View().Zoom, 15)})
}

// zoomToSelection fits the view to what is selected.
func (mc *mapController) zoomToSelection() {
	sel := mc.m.Selection()
	if len(sel) == 0 || mc.m.Scene() == nil {
		return
	}
	b := mc.m.Scene().HitsBound(sel)
	if b.Max[0] < b.Min[0] {
		return
	}
	if b.Min == b.Max { // one point: a street-level view around it
		mc.m.SetView(mapview.View{Center: b.Min, Zoom: max(mc.m.View().Zoom, 16)})
		return
	}
	mc.m.FitBounds(b)
}

// toggleWall opens the map in a second, full-screen window for the
// command centre's video wall (F11), the tiles of the daily work beside it;
// it follows the desk's view, layers and selection.
func (mc *mapController) toggleWall() {
	if mc.wall != nil {
		mc.wallWin.Close()
		return
	}
	w := fyne.CurrentApp().NewWindow(lang.L("GridDesk — wall"))
	m := mapview.New()
	if f, err := mapview.NewFonts(assets.CJKFont); err == nil {
		m.SetFonts(f)
	}
	if sc := mc.m.Scene(); sc != nil {
		m.SetScene(sc)
	}
	for id, c := range mc.toggles {
		setVisible(m, id, c.Checked)
	}
	m.SetView(mc.m.View())
	m.SetSelection(mc.m.Selection())
	var content fyne.CanvasObject = m
	done := func() {}
	if mc.wallSide != nil {
		var side fyne.CanvasObject
		side, done = mc.wallSide(w)
		content = container.NewBorder(nil, nil, nil, side, m)
	}
	w.SetContent(content)
	w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF11}, func(fyne.Shortcut) { w.Close() })
	w.SetOnClosed(func() { done(); mc.wall, mc.wallWin = nil, nil })
	mc.wall, mc.wallWin = m, w
	w.Resize(fyne.NewSize(1280, 800))
	w.SetFullScreen(true)
	w.Show()
}

// basemap puts optional raster tiles under the layers: an offline MBTiles
// file (closed by atClose's caller), or an XYZ URL template with a disk
// cache. Without either the map keeps its neutral background.
func (mc *mapController) basemap(o Options, atClose func(func())) error {
	switch {
	case o.MBTiles != "":
		src, err := mbtiles.Open(o.MBTiles)
		if err != nil {
			return fmt.Errorf("basemap %s: %w", o.MBTiles, err)
		}
		mc.m.SetBasemap(src)
		atClose(func() { src.Close() })
	case o.TileURL != "":
		mc.m.SetBasemap(mapview.XYZ(o.TileURL, o.TileDir))
	}
	return nil
}
