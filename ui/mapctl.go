package ui

import (
	"encoding/json"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"griddesk/assets"
	"griddesk/desk"
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
	selCase string          // the highlighted case's ID: its index moves with every read
	wall    *wallWindow     // the video wall, when open

	onTap    func(h mapview.Hit, ok bool, at orb.Point) // an item (ok) or nothing was tapped
	onBox    func(n int)                                // n entities were boxed
	onRoutes func(mapview.Layer)                        // the planner's rounds, for the next scene
	onFocus  func(c *desk.CaseRow)                      // a case not in the open queue to draw (nil: none)
	onWall   func(open bool)                            // the wall opened or closed
	wallFeed func() *wallWindow                         // opens the wall (the main window builds it)
}

func newMapController(viewKey string) *mapController {
	mc := &mapController{m: mapview.New(), toggles: map[string]*widget.Check{}}
	if f, err := mapview.NewFonts(assets.CJKFont); err == nil {
		mc.m.SetFonts(f)
	}
	mc.m.OnTapped = mc.tapped
	mc.m.OnHover = mc.hover
	mc.m.OnBoxSelect = mc.boxSelected
	mc.rememberView(viewKey)
	return mc
}

// rememberView restores the view of the last run on the same data (key)
// and keeps it while the map moves; key "" keeps nothing.
func (mc *mapController) rememberView(key string) {
	prefs := fyne.CurrentApp().Preferences()
	if key == "" {
		mc.m.OnViewChanged = func(v mapview.View) {
			if mc.wall != nil {
				mc.wall.follow(v, mc.m.Size())
			}
		}
		return
	}
	if raw := prefs.String(key); raw != "" {
		var v mapview.View
		if json.Unmarshal([]byte(raw), &v) == nil && v.Zoom > 0 {
			mc.m.SetView(v)
			mc.fitted = true // the user's view wins over zoom-to-fit
		}
	}
	var last time.Time
	mc.m.OnViewChanged = func(v mapview.View) {
		if mc.wall != nil {
			mc.wall.follow(v, mc.m.Size())
		}
		if time.Since(last) < 500*time.Millisecond {
			return
		}
		last = time.Now()
		if raw, err := json.Marshal(v); err == nil {
			prefs.SetString(key, string(raw))
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
			setVisible(mc.m, id, on)
			if mc.wall != nil {
				setVisible(mc.wall.m, id, on)
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
		mc.wall.m.SetScene(sc)
	}
	if mc.selCase != "" { // the case's index in the new layer, never the old index
		mc.setSelection(mc.caseHits(mc.selCase))
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
	mc.selCase = ""
	if ok {
		if h.Layer == layerCases && h.Index >= 0 && h.Index < len(mc.layers.cases) {
			mc.selCase = mc.layers.cases[h.Index].ID
		}
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

// gridName names grid id ("" when unknown).
func (mc *mapController) gridName(id string) string {
	for _, gs := range mc.layers.grids {
		for _, g := range gs {
			if g.ID == id {
				return g.Name
			}
		}
	}
	return ""
}

// codeCounts counts the entities on the map by colour code.
func (mc *mapController) codeCounts() map[string]int {
	if mc.layers.entityAt == nil {
		return nil // not read yet
	}
	n := map[string]int{}
	for _, e := range mc.layers.entities {
		n[e.Code]++
	}
	return n
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
	mc.selCase = ""
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
		mc.wall.m.SetSelection(hits)
	}
}

// caseHits is the hit of case id on the case layer (none: not drawn).
func (mc *mapController) caseHits(id string) []mapview.Hit {
	for i, lc := range mc.layers.cases {
		if lc.ID == id {
			return []mapview.Hit{{Layer: layerCases, Index: i}}
		}
	}
	return nil
}

// showCase highlights a case and centres the map on it. A case that is
// not open (closed, evaluated) is drawn for as long as it is selected.
func (mc *mapController) showCase(c desk.CaseRow) {
	mc.selCase = c.ID
	if mc.onFocus != nil {
		if c.Open() {
			mc.onFocus(nil)
		} else {
			mc.onFocus(&c)
		}
	}
	mc.setSelection(mc.caseHits(c.ID))
	mc.m.SetView(mapview.View{Center: orb.Point{c.Lon, c.Lat}, Zoom: max(mc.m.View().Zoom, 15)})
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

// toggleWall opens the video wall in a window of its own (F11), the tiles
// of the daily work beside its board, or closes it.
func (mc *mapController) toggleWall() {
	if mc.wall != nil {
		mc.wall.win.Close()
		return
	}
	if mc.wallFeed == nil {
		return
	}
	mc.wall = mc.wallFeed()
	w := mc.wall
	if sc := mc.m.Scene(); sc != nil {
		w.m.SetScene(sc)
	}
	for id, c := range mc.toggles {
		setVisible(w.m, id, c.Checked)
	}
	w.follow(mc.m.View(), mc.m.Size())
	w.m.SetSelection(mc.m.Selection())
	w.br.atClose(func() {
		mc.wall = nil
		if mc.onWall != nil {
			mc.onWall(false)
		}
	})
	if mc.onWall != nil {
		mc.onWall(true)
	}
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
