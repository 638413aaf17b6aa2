package mapview

import (
	"image"
	"math"
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
)

// Interaction tuning.
const (
	// scrollPerZoom is the scroll delta that zooms by one level: a wheel
	// notch is 25 units in Fyne's desktop driver, so half a level a notch.
	scrollPerZoom = 50
	// maxScrollZoom caps the zoom change of one scroll event.
	maxScrollZoom = 1.5
	// fitPadding is the free margin FitBounds leaves, in screen units.
	fitPadding = 8
	// pointFitZoom is the zoom FitBounds uses for a bound with no area.
	pointFitZoom = 17
	// poolSize is how many spare frame buffers the map keeps.
	poolSize = 2
)

// minSize is the smallest size of the widget.
var minSize = fyne.NewSize(200, 150)

var (
	_ fyne.Widget         = (*Map)(nil)
	_ fyne.Draggable      = (*Map)(nil)
	_ fyne.Scrollable     = (*Map)(nil)
	_ fyne.Tappable       = (*Map)(nil)
	_ fyne.DoubleTappable = (*Map)(nil)
	_ fyne.Focusable      = (*Map)(nil)
	_ desktop.Hoverable   = (*Map)(nil)
	_ desktop.Mouseable   = (*Map)(nil)
)

// Map is a widget showing a Scene: drag pans, the wheel, double-click and
// the +/- keys zoom (about the cursor for the wheel and double-click), the
// arrow keys pan, shift-drag selects a box, a tap reports the item under it
// (and focuses the map for the keys). A scale bar and the cursor's
// coordinates are drawn over the map (SetScaleBarVisible,
// SetCoordinatesVisible), a tooltip when the UI sets one (SetTooltip), the
// selection highlighted (SetSelection), pulsing items animated, and an
// optional basemap of raster tiles under everything (SetBasemap).
//
// Frames are rendered off the UI goroutine, at most one at a time; a change
// while a frame is being rendered is picked up by the next frame (latest
// wins), and each finished frame is handed to the UI with fyne.Do. While a
// frame is pending the last one is shown moved and scaled to the current
// view, so panning and zooming respond at once. A frame that differs from
// the previous one by a pan of whole pixels copies it and draws only the
// uncovered strips (Renderer.RenderFrom); drags pan by whole pixels.
//
// All methods except RenderNow are meant for the UI goroutine (fyne.Do from
// elsewhere), like any Fyne widget.
type Map struct {
	widget.BaseWidget

	// OnTapped is called on a tap with the top-most item under it (ok is
	// false when there is none) and the tapped lon/lat.
	OnTapped func(h Hit, ok bool, at orb.Point)
	// OnHover is called when the item under the mouse changes (ok false:
	// none); at is the lon/lat under the mouse.
	OnHover func(h Hit, ok bool, at orb.Point)
	// OnViewChanged is called after every change of the view, by the user
	// or by SetView/FitBounds.
	OnViewChanged func(View)
	// OnOtherKey gets the keys the map does not use while it has the
	// focus (a window's F11 or Esc, say).
	OnOtherKey func(*fyne.KeyEvent)
	// OnBoxSelect is called after a shift-drag with the lon/lat box dragged
	// and every item of the visible layers inside it (Scene.HitBox).
	OnBoxSelect func(b orb.Bound, hits []Hit)

	mu       sync.Mutex
	done     sync.Cond // signalled when busy turns false
	scene    *Scene
	hidden   map[string]bool // copied on write: render jobs keep a reference
	sel      []Hit           // copied on write
	fonts    *Fonts
	tiles    *TileCache
	view     View
	size     fyne.Size // as laid out, screen units
	pixW     int       // the raster in pixels
	pixH     int
	pixScale float32    // pixels per screen unit, as the painter last asked
	gen      uint64     // bumped by every change that needs a new frame
	busy     bool       // a render is under way
	fit      *orb.Bound // kept fitted on resize, see FitBounds
	ready    *frame     // rendered, not yet shown
	front    *frame     // shown
	last     *frame     // the newest render (ready or front): the next one may reuse it
	pool     []*image.RGBA
	prev     *image.RGBA   // the moved/scaled stand-in
	shown    *image.RGBA   // the image the generator returned last
	retire   []*image.RGBA // replaced frames the painter may still be reading
	rend     *Renderer
	raster   *canvas.Raster

	// UI goroutine state.
	hover      Hit
	hoverOK    bool
	mouse      fyne.Position
	mouseIn    bool
	tooltip    string
	showScale  bool
	showCoords bool
	drag       dragState
	focused    bool
	ov         *overlay
}

// frame is a finished render.
type frame struct {
	img    *image.RGBA
	view   View
	scale  float64
	gen    uint64
	pulses []pulse
}

// renderJob is a snapshot of what to render.
type renderJob struct {
	frame
	scene *Scene
	opts  RenderOptions
	src   *frame // the previous render, to reuse when the view only panned
}

// New returns an empty map showing the whole world, with the scale bar
// and the cursor's coordinates shown.
func New() *Map {
	m := &Map{rend: NewRenderer(), view: View{Zoom: 1}, showScale: true, showCoords: true}
	m.done.L = &m.mu
	m.ExtendBaseWidget(m)
	return m
}

// SetSelection highlights hits (a copy is kept) on top of everything:
// polygons and routes outlined, points, clusters holding a selected point
// and route stops ringed, all in SelectionColor. nil clears it.
func (m *Map) SetSelection(hits []Hit) {
	m.mu.Lock()
	if slices.EqualFunc(hits, m.sel, Hit.Equal) {
		m.mu.Unlock()
		return
	}
	m.sel = slices.Clone(hits)
	m.changedLocked()
}

// Selection returns the highlighted hits.
func (m *Map) Selection() []Hit {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.sel)
}

// SetFonts sets the fonts of labels, cluster counts and stop numbers (see
// NewFonts); nil means DefaultFonts, which has Latin glyphs only — give
// the map a CJK font for Chinese labels.
func (m *Map) SetFonts(f *Fonts) {
	m.mu.Lock()
	m.fonts = f
	m.changedLocked()
}

// SetBasemap shows raster tiles of src under the layers (nil: none, the
// neutral Background). Tiles load in the background and appear as they
// arrive; up to 256 stay in memory. A previous basemap's loaders are
// stopped; closing a source (MBTilesSource.Close) is the caller's job.
func (m *Map) SetBasemap(src TileSource) {
	var tc *TileCache
	if src != nil {
		tc = NewTileCache(src, 0, m.tileLoaded)
	}
	m.mu.Lock()
	old := m.tiles
	m.tiles = tc
	m.changedLocked()
	if old != nil {
		old.Close()
	}
}

// tileLoaded asks for a frame with the new tile (loader goroutine).
func (m *Map) tileLoaded() {
	m.mu.Lock()
	m.changedLocked()
}

// SetScaleBarVisible shows or hides the scale bar (bottom-left).
func (m *Map) SetScaleBarVisible(on bool) {
	m.showScale = on
	m.updateOverlay()
}

// SetCoordinatesVisible shows or hides the lon/lat under the mouse
// (bottom-right, while the mouse is over the map).
func (m *Map) SetCoordinatesVisible(on bool) {
	m.showCoords = on
	m.updateOverlay()
}

// SetTooltip shows text (lines split at "\n") in a small box next to the
// mouse while it is over the map; "" hides it. Call it from OnHover.
func (m *Map) SetTooltip(text string) {
	if text == m.tooltip {
		return
	}
	m.tooltip = text
	if m.ov != nil {
		m.ov.updateTooltip()
	}
}

// Tooltip returns the tooltip text.
func (m *Map) Tooltip() string { return m.tooltip }

func (m *Map) updateOverlay() {
	if m.ov != nil {
		m.ov.update()
	}
}

// SetLayers replaces all layers; later layers are drawn on top. See
// NewScene and SetScene to build the scene off the UI goroutine.
func (m *Map) SetLayers(layers ...Layer) {
	m.SetScene(NewScene(layers...))
}

// SetScene replaces what the map shows.
func (m *Map) SetScene(s *Scene) {
	m.mu.Lock()
	m.scene = s
	m.changedLocked()
}

// Scene returns what the map shows (nil before SetLayers/SetScene).
func (m *Map) Scene() *Scene {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.scene
}

// SetVisible shows or hides the layer with the given ID. Visibility
// belongs to the ID and survives SetLayers; all layers start visible.
func (m *Map) SetVisible(layerID string, visible bool) {
	m.mu.Lock()
	if m.hidden[layerID] == !visible {
		m.mu.Unlock()
		return
	}
	h := make(map[string]bool, len(m.hidden)+1)
	for id := range m.hidden {
		h[id] = true
	}
	if visible {
		delete(h, layerID)
	} else {
		h[layerID] = true
	}
	m.hidden = h
	m.changedLocked()
}

// LayerVisible reports whether the layer with the given ID is shown.
func (m *Map) LayerVisible(layerID string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return !m.hidden[layerID]
}

// View returns what the map shows.
func (m *Map) View() View {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.view
}

// SetView shows v (its zoom clamped to [MinZoom, MaxZoom]).
func (m *Map) SetView(v View) {
	m.mu.Lock()
	m.fit = nil
	m.mu.Unlock()
	m.setView(v.clamped())
}

// FitBounds shows the lon/lat bound b as large as fits, centred. Until
// the view is changed otherwise (SetView, drag, scroll), b stays fitted
// when the map is resized — so it can be called before the map is shown.
func (m *Map) FitBounds(b orb.Bound) {
	if b.IsEmpty() {
		return
	}
	m.mu.Lock()
	size := m.size
	m.fit = &b
	m.mu.Unlock()
	if size.IsZero() {
		size = minSize
	}
	m.setView(fitView(b, size))
}

func fitView(b orb.Bound, size fyne.Size) View {
	v := FitView(b, float64(size.Width), float64(size.Height), fitPadding)
	if b.Min == b.Max {
		v.Zoom = pointFitZoom
	}
	return v
}

// ToScreen returns the position of p in the widget.
func (m *Map) ToScreen(p orb.Point) fyne.Position {
	m.mu.Lock()
	v, s := m.view, m.size
	m.mu.Unlock()
	x, y := v.ToScreen(p, float64(s.Width), float64(s.Height))
	return fyne.NewPos(float32(x), float32(y))
}

// ToLonLat returns the lon/lat at pos in the widget.
func (m *Map) ToLonLat(pos fyne.Position) orb.Point {
	m.mu.Lock()
	v, s := m.view, m.size
	m.mu.Unlock()
	return v.ToLonLat(float64(pos.X), float64(pos.Y), float64(s.Width), float64(s.Height))
}

// HitTest returns the top-most visible item under pos (see Scene.HitTest).
func (m *Map) HitTest(pos fyne.Position) (Hit, bool) {
	m.mu.Lock()
	sc, v, s, hidden := m.scene, m.view, m.size, m.hidden
	m.mu.Unlock()
	return sc.HitTest(v, float64(s.Width), float64(s.Height), float64(pos.X), float64(pos.Y), hidden)
}

// RenderNow waits until the current state is rendered and shown by the
// raster: it waits for the render under way, renders on the calling
// goroutine if that one is out of date, and refreshes the raster. Tests
// call it before looking at the canvas; it does nothing before the map has
// a size. Call it from the UI (or test) goroutine.
func (m *Map) RenderNow() {
	m.mu.Lock()
	for m.busy {
		m.done.Wait()
	}
	if m.pixW > 0 && m.pixH > 0 && !m.currentLocked() {
		m.busy = true
		job := m.jobLocked()
		m.mu.Unlock()
		m.render(&job)
		m.mu.Lock()
		m.readyLocked(job.frame)
		m.busy = false
		m.done.Broadcast()
	}
	m.promoteLocked()
	r := m.raster
	f := m.front
	m.mu.Unlock()
	if r != nil {
		r.Refresh()
	}
	if m.ov != nil && f != nil {
		m.ov.pulses.set(f.pulses, m)
	}
}

// Scrolled zooms about the pointer; scrolling up zooms in.
func (m *Map) Scrolled(e *fyne.ScrollEvent) {
	dz := float64(e.Scrolled.DY) / scrollPerZoom
	dz = math.Max(-maxScrollZoom, math.Min(maxScrollZoom, dz))
	if dz == 0 {
		return
	}
	m.zoomAbout(dz, e.Position)
}

func (m *Map) zoomAbout(dz float64, pos fyne.Position) {
	m.mu.Lock()
	v, s := m.view, m.size
	m.mu.Unlock()
	m.SetView(v.ZoomAround(dz, float64(pos.X), float64(pos.Y), float64(s.Width), float64(s.Height)))
}

// Tapped reports the item under the tap to OnTapped and focuses the map,
// so that the keys work.
func (m *Map) Tapped(e *fyne.PointEvent) {
	m.requestFocus()
	if m.OnTapped == nil {
		return
	}
	h, ok := m.HitTest(e.Position)
	m.OnTapped(h, ok, m.ToLonLat(e.Position))
}

// MouseIn implements desktop.Hoverable.
func (m *Map) MouseIn(e *desktop.MouseEvent) { m.hoverAt(e.Position) }

// MouseMoved implements desktop.Hoverable.
func (m *Map) MouseMoved(e *desktop.MouseEvent) { m.hoverAt(e.Position) }

// MouseOut implements desktop.Hoverable.
func (m *Map) MouseOut() {
	m.mouseIn = false
	if m.hoverOK && m.OnHover != nil {
		m.hover, m.hoverOK = Hit{}, false
		m.OnHover(Hit{}, false, orb.Point{})
	}
	m.hover, m.hoverOK = Hit{}, false
	m.updateOverlay()
}

func (m *Map) hoverAt(pos fyne.Position) {
	m.mouse, m.mouseIn = pos, true
	if m.OnHover != nil {
		h, ok := m.HitTest(pos)
		if !h.Equal(m.hover) || ok != m.hoverOK {
			m.hover, m.hoverOK = h, ok
			m.OnHover(h, ok, m.ToLonLat(pos))
		}
	}
	m.updateOverlay()
}

// MinSize returns the smallest size of the map.
func (m *Map) MinSize() fyne.Size {
	m.ExtendBaseWidget(m)
	return m.BaseWidget.MinSize()
}

// CreateRenderer implements fyne.Widget.
func (m *Map) CreateRenderer() fyne.WidgetRenderer {
	m.ExtendBaseWidget(m)
	r := canvas.NewRaster(m.generate)
	m.mu.Lock()
	m.raster = r
	m.mu.Unlock()
	m.ov = newOverlay(m)
	if m.front != nil {
		m.ov.pulses.set(m.front.pulses, m)
	}
	return &mapRenderer{m: m, raster: r, objects: append([]fyne.CanvasObject{r}, m.ov.objects...)}
}

// setView shows v, starts a render, refreshes the stand-in image and
// notifies OnViewChanged.
func (m *Map) setView(v View) {
	m.mu.Lock()
	if v == m.view {
		m.mu.Unlock()
		return
	}
	m.view = v
	r := m.raster
	m.changedLocked()
	if r != nil {
		r.Refresh()
	}
	if m.ov != nil {
		m.ov.update()
		m.ov.pulses.place(m)
	}
	if m.OnViewChanged != nil {
		m.OnViewChanged(v)
	}
}

// layout records the widget's size (screen units) and the raster's size in
// pixels, estimated from the painter's last request or the canvas scale;
// the raster's generator corrects it if the painter asks for another.
func (m *Map) layout(size fyne.Size) {
	m.mu.Lock()
	if size == m.size {
		m.mu.Unlock()
		return
	}
	scale := m.pixScale
	m.mu.Unlock()
	if scale <= 0 {
		scale = 1
		if app := fyne.CurrentApp(); app != nil && app.Driver() != nil {
			if c := app.Driver().CanvasForObject(m); c != nil && c.Scale() > 0 {
				scale = c.Scale()
			}
		}
	}
	m.mu.Lock()
	m.size = size
	m.pixW = int(math.Round(float64(size.Width * scale)))
	m.pixH = int(math.Round(float64(size.Height * scale)))
	var fitted *View
	if m.fit != nil && !size.IsZero() {
		if v := fitView(*m.fit, size); v != m.view {
			m.view = v
			fitted = &v
		}
	}
	m.changedLocked()
	if fitted != nil && m.OnViewChanged != nil {
		m.OnViewChanged(*fitted)
	}
}

// changedLocked records a change that needs a new frame, starts a render
// if none is under way, and unlocks m.mu.
func (m *Map) changedLocked() {
	m.gen++
	start := m.startLocked()
	m.mu.Unlock()
	if start {
		go m.renderLoop()
	}
}

// startLocked marks a render as under way if one is needed and possible.
func (m *Map) startLocked() bool {
	if m.busy || m.pixW <= 0 || m.pixH <= 0 || m.currentLocked() {
		return false
	}
	m.busy = true
	return true
}

// currentLocked reports whether the newest frame shows the current state.
func (m *Map) currentLocked() bool {
	f := m.ready
	if f == nil {
		f = m.front
	}
	return f != nil && f.gen == m.gen && f.img.Rect.Dx() == m.pixW && f.img.Rect.Dy() == m.pixH
}

// renderLoop renders frames until one matches the current state.
func (m *Map) renderLoop() {
	for {
		m.mu.Lock()
		job := m.jobLocked()
		m.mu.Unlock()
		m.render(&job)
		m.mu.Lock()
		m.readyLocked(job.frame)
		m.mu.Unlock()

		// The test driver runs this at once, the desktop one queues it.
		runOnUI(m.present)

		m.mu.Lock()
		if m.pixW > 0 && m.pixH > 0 && !m.currentLocked() {
			m.mu.Unlock()
			continue
		}
		m.busy = false
		m.done.Broadcast()
		m.mu.Unlock()
		return
	}
}

func runOnUI(fn func()) {
	if app := fyne.CurrentApp(); app != nil && app.Driver() != nil {
		fyne.Do(fn)
		return
	}
	fn()
}

// jobLocked snapshots the state to render, with a buffer to render into.
func (m *Map) jobLocked() renderJob {
	w, h := m.pixW, m.pixH
	var img *image.RGBA
	for len(m.pool) > 0 && img == nil {
		img = m.pool[len(m.pool)-1]
		m.pool = m.pool[:len(m.pool)-1]
		if img.Rect.Dx() != w || img.Rect.Dy() != h {
			img = nil
		}
	}
	if img == nil {
		img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	job := renderJob{
		frame: frame{img: img, view: m.view, scale: m.scaleLocked(), gen: m.gen},
		scene: m.scene,
		opts:  RenderOptions{Hidden: m.hidden, Selection: m.sel, Fonts: m.fonts, Basemap: m.tiles},
	}
	if l := m.last; l != nil && l.img.Rect.Dx() == w && l.img.Rect.Dy() == h {
		job.src = l
	}
	return job
}

// render draws a job (off the UI goroutine, or in RenderNow) and lists
// the pulsing items it shows.
func (m *Map) render(job *renderJob) {
	if job.src != nil {
		m.rend.RenderFrom(job.img, job.src.img, job.src.view, job.scene, job.view, job.scale, job.opts)
	} else {
		m.rend.RenderWith(job.img, job.scene, job.view, job.scale, job.opts)
	}
	w, h := float64(job.img.Rect.Dx())/job.scale, float64(job.img.Rect.Dy())/job.scale
	job.pulses = job.scene.pulses(job.view, w, h, job.opts.Hidden)
}

// scaleLocked is the number of raster pixels per screen unit.
func (m *Map) scaleLocked() float64 {
	if m.size.Width <= 0 || m.pixW <= 0 {
		return 1
	}
	return float64(m.pixW) / float64(m.size.Width)
}

// readyLocked queues a finished frame for the UI.
func (m *Map) readyLocked(f frame) {
	if m.ready != nil {
		m.recycleLocked(m.ready.img) // never shown
	}
	m.ready = &f
	m.last = &f
}

// promoteLocked shows the ready frame. The replaced frame is reused once
// the painter is done with it: at once if the generator never returned it
// since, otherwise at the generator's next call (painters are done with an
// image when they ask for the next one).
func (m *Map) promoteLocked() {
	if m.ready == nil {
		return
	}
	if m.front != nil {
		if m.front.img == m.shown {
			m.retire = append(m.retire, m.front.img)
		} else {
			m.recycleLocked(m.front.img)
		}
	}
	m.front, m.ready = m.ready, nil
}

func (m *Map) recycleLocked(img *image.RGBA) {
	if len(m.pool) < poolSize && img.Rect.Dx() == m.pixW && img.Rect.Dy() == m.pixH {
		m.pool = append(m.pool, img)
	}
}

// present shows the newest finished frame (UI goroutine).
func (m *Map) present() {
	m.mu.Lock()
	m.promoteLocked()
	r := m.raster
	f := m.front
	m.mu.Unlock()
	if r != nil {
		r.Refresh()
	}
	if m.ov != nil && f != nil {
		m.ov.pulses.set(f.pulses, m)
	}
}

// generate is the raster's generator (UI goroutine): the newest frame when
// it shows the current view at this size, otherwise that frame moved and
// scaled to the current view.
func (m *Map) generate(w, h int) image.Image {
	m.mu.Lock()
	if w != m.pixW || h != m.pixH {
		m.pixW, m.pixH = w, h
		m.gen++
	}
	if m.size.Width > 0 {
		m.pixScale = float32(w) / m.size.Width
	}
	start := m.startLocked()
	for _, img := range m.retire {
		m.recycleLocked(img)
	}
	m.retire = m.retire[:0]
	m.promoteLocked()
	img := m.imageLocked(w, h)
	m.shown = img
	m.mu.Unlock()
	if start {
		go m.renderLoop()
	}
	return img
}

func (m *Map) imageLocked(w, h int) *image.RGBA {
	f := m.front
	if f != nil && f.view == m.view && f.img.Rect.Dx() == w && f.img.Rect.Dy() == h {
		return f.img
	}
	if m.prev == nil || m.prev.Rect.Dx() != w || m.prev.Rect.Dy() != h {
		m.prev = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	if f == nil {
		Reproject(m.prev, image.NewRGBA(image.Rectangle{}), m.view, m.view, 1)
		return m.prev
	}
	Reproject(m.prev, f.img, f.view, m.view, f.scale)
	return m.prev
}

// mapRenderer lays out the map's single raster.
type mapRenderer struct {
	m       *Map
	raster  *canvas.Raster
	objects []fyne.CanvasObject
}

func (r *mapRenderer) Destroy() { r.m.ov.pulses.stop() }

func (r *mapRenderer) Layout(size fyne.Size) {
	r.raster.Move(fyne.NewPos(0, 0))
	r.raster.Resize(size)
	r.m.layout(size)
	r.m.updateOverlay()
	r.m.ov.pulses.place(r.m)
}

func (r *mapRenderer) MinSize() fyne.Size { return minSize }

func (r *mapRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *mapRenderer) Refresh() {
	r.raster.Refresh()
	r.m.updateOverlay()
}
