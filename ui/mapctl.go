package ui

import (
	"encoding/json"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"github.com/paulmach/orb"

	"griddesk/assets"
	"griddesk/mapview"
	"griddesk/store/mbtiles"
)

const prefView = "map.view"

// setupMap gives the map its fonts, hover, box selection and a view that is
// remembered between runs.
func (mw *mainWindow) setupMap() {
	if f, err := mapview.NewFonts(assets.CJKFont); err == nil {
		mw.m.SetFonts(f)
	}
	mw.m.OnTapped = mw.tapped
	mw.m.OnHover = mw.hover
	mw.m.OnBoxSelect = mw.boxSelected
	prefs := fyne.CurrentApp().Preferences()
	if raw := prefs.String(prefView); raw != "" {
		var v mapview.View
		if json.Unmarshal([]byte(raw), &v) == nil && v.Zoom > 0 {
			mw.m.SetView(v)
			mw.fitted = true // the user's view wins over zoom-to-fit
		}
	}
	var last time.Time
	mw.m.OnViewChanged = func(v mapview.View) {
		if mw.wall != nil {
			mw.wall.SetView(v)
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

// hover shows what is under the mouse.
func (mw *mainWindow) hover(h mapview.Hit, ok bool, at orb.Point) {
	if !ok {
		mw.m.SetTooltip("")
		return
	}
	mw.m.SetTooltip(mw.describe(h, true))
}

// describe names a hit: an entity, a case, a grid or a cluster.
func (mw *mainWindow) describe(h mapview.Hit, short bool) string {
	if h.IsCluster() {
		return lang.L("{{.N}} entities here — click to zoom in", map[string]any{"N": len(h.Cluster)})
	}
	switch h.Layer {
	case layerEntities, layerRed, layerRedSpecks:
		if e, ok := mw.layers.entity(h); ok {
			if short {
				return e.Name + "\n" + lang.L(kindLabel[e.Kind]) + " · " + lang.L(codeLabel[e.Code])
			}
			return entityText(e)
		}
	case layerCases:
		if h.Index >= 0 && h.Index < len(mw.layers.cases) {
			c := mw.layers.cases[h.Index]
			if short {
				return c.No + " " + c.Title + "\n" + lang.L(statusLabel[c.Status]) + " · " + lang.L(lightLabel[c.Light])
			}
			return caseText(c)
		}
	default:
		if gs := mw.layers.grids[h.Layer]; h.Index >= 0 && h.Index < len(gs) {
			g := gs[h.Index]
			return fmt.Sprintf("%s\n%s · %s", g.Name, lang.L(levelLabel[g.Level]), g.ID)
		}
	}
	return ""
}

// boxSelected keeps the entities inside a shift-drag box as the selection
// (team leaders pick entities for a round this way).
func (mw *mainWindow) boxSelected(b orb.Bound, hits []mapview.Hit) {
	var kept []mapview.Hit
	for _, h := range hits {
		if (h.Layer == layerEntities || h.Layer == layerRed || h.Layer == layerRedSpecks) && h.Index >= 0 {
			kept = append(kept, h)
		}
	}
	mw.boxed = kept
	mw.setSelection(kept)
	mw.info.SetText(lang.L("{{.N}} entities selected in the box.", map[string]any{"N": len(kept)}))
}

// setSelection highlights items on the map and on the wall.
func (mw *mainWindow) setSelection(hits []mapview.Hit) {
	mw.m.SetSelection(hits)
	if mw.wall != nil {
		mw.wall.SetSelection(hits)
	}
}

// zoomToSelection fits the view to what is selected.
func (mw *mainWindow) zoomToSelection() {
	sel := mw.m.Selection()
	if len(sel) == 0 || mw.m.Scene() == nil {
		return
	}
	b := mw.m.Scene().HitsBound(sel)
	if b.Max[0] < b.Min[0] {
		return
	}
	if b.Min == b.Max { // one point: a street-level view around it
		mw.m.SetView(mapview.View{Center: b.Min, Zoom: max(mw.m.View().Zoom, 16)})
		return
	}
	mw.m.FitBounds(b)
}

// toggleWall opens the map alone in a second, full-screen window for the
// command centre's video wall (F11); it follows the desk's view, layers and
// selection.
func (mw *mainWindow) toggleWall() {
	if mw.wall != nil {
		mw.wallWin.Close()
		return
	}
	a := fyne.CurrentApp()
	w := a.NewWindow(lang.L("GridDesk — wall"))
	m := mapview.New()
	if f, err := mapview.NewFonts(assets.CJKFont); err == nil {
		m.SetFonts(f)
	}
	if sc := mw.m.Scene(); sc != nil {
		m.SetScene(sc)
	}
	for id, c := range mw.toggles {
		m.SetVisible(id, c.Checked)
		if id == layerEntities {
			m.SetVisible(layerRed, c.Checked)
			m.SetVisible(layerRedSpecks, c.Checked)
		}
	}
	m.SetView(mw.m.View())
	m.SetSelection(mw.m.Selection())
	w.SetContent(m)
	w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF11}, func(fyne.Shortcut) { w.Close() })
	w.SetOnClosed(func() { mw.wall, mw.wallWin = nil, nil })
	mw.wall, mw.wallWin = m, w
	w.Resize(fyne.NewSize(1280, 800))
	w.SetFullScreen(true)
	w.Show()
}

// basemap puts optional raster tiles under the layers: an offline MBTiles
// file, or an XYZ URL template with a disk cache. Without either the map
// keeps its neutral background.
func (mw *mainWindow) basemap(o Options) error {
	switch {
	case o.MBTiles != "":
		src, err := mbtiles.Open(o.MBTiles)
		if err != nil {
			return fmt.Errorf("basemap %s: %w", o.MBTiles, err)
		}
		mw.m.SetBasemap(src)
		mw.win.SetOnClosed(func() { src.Close() })
	case o.TileURL != "":
		mw.m.SetBasemap(mapview.XYZ(o.TileURL, o.TileDir))
	}
	return nil
}
