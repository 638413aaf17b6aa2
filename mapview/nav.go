package mapview

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"github.com/paulmach/orb"
)

// Navigation: keys, double-click, panning by whole pixels and box
// selection.

// KeyPanStep is how far (screen units) an arrow key pans the map.
const KeyPanStep = 80

// dragMode is what a drag does.
type dragMode uint8

const (
	dragNone dragMode = iota
	dragPan
	dragBox
)

type dragState struct {
	mode       dragMode
	shift      bool // shift was held when the button went down
	start, end fyne.Position
	remX, remY float64 // sub-pixel pan not applied yet, pixels
}

// ZoomIn zooms in by one level about the centre.
func (m *Map) ZoomIn() { m.zoomBy(1) }

// ZoomOut zooms out by one level about the centre.
func (m *Map) ZoomOut() { m.zoomBy(-1) }

func (m *Map) zoomBy(dz float64) {
	v := m.View()
	v.Zoom += dz
	m.SetView(v.clamped())
}

// Pan slides the content by (dx, dy) screen units (positive dx moves it
// right, showing more of the west), rounded to whole pixels so the next
// frame only draws the uncovered strips.
func (m *Map) Pan(dx, dy float32) {
	s := m.pixelScale()
	px, py := math.Round(float64(dx)*s), math.Round(float64(dy)*s)
	if px == 0 && py == 0 {
		return
	}
	m.SetView(m.View().Pan(px/s, py/s))
}

// pixelScale is the number of raster pixels per screen unit.
func (m *Map) pixelScale() float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.scaleLocked()
}

// panPixels pans by a drag of (dx, dy) screen units, carrying the
// fraction of a pixel over to the next drag event.
func (m *Map) panPixels(dx, dy float32) {
	s := m.pixelScale()
	fx, fy := float64(dx)*s+m.drag.remX, float64(dy)*s+m.drag.remY
	px, py := math.Round(fx), math.Round(fy)
	m.drag.remX, m.drag.remY = fx-px, fy-py
	if px == 0 && py == 0 {
		return
	}
	m.SetView(m.View().Pan(px/s, py/s))
}

// Dragged pans the map with the pointer, or with shift held draws the
// rubber band of a box selection.
func (m *Map) Dragged(e *fyne.DragEvent) {
	if m.drag.mode == dragNone {
		m.drag.mode = dragPan
		if m.drag.shift || shiftHeld() {
			m.drag.mode = dragBox
			m.drag.start = e.Position.Subtract(e.Dragged)
		}
	}
	switch m.drag.mode {
	case dragBox:
		m.drag.end = e.Position
		m.updateOverlay()
	case dragPan:
		m.panPixels(e.Dragged.DX, e.Dragged.DY)
	}
}

// DragEnd ends a pan, or a box selection: OnBoxSelect gets the box and
// the items inside it.
func (m *Map) DragEnd() {
	d := m.drag
	m.drag = dragState{}
	if d.mode != dragBox {
		return
	}
	m.updateOverlay()
	a, b := m.ToLonLat(d.start), m.ToLonLat(d.end)
	box := orb.Bound{
		Min: orb.Point{math.Min(a[0], b[0]), math.Min(a[1], b[1])},
		Max: orb.Point{math.Max(a[0], b[0]), math.Max(a[1], b[1])},
	}
	if m.OnBoxSelect == nil {
		return
	}
	m.mu.Lock()
	sc, zoom, hidden := m.scene, m.view.Zoom, m.hidden
	m.mu.Unlock()
	m.OnBoxSelect(box, sc.HitBox(box, zoom, hidden))
}

// shiftHeld reports whether the desktop driver says shift is down.
func shiftHeld() bool {
	app := fyne.CurrentApp()
	if app == nil {
		return false
	}
	if d, ok := app.Driver().(desktop.Driver); ok {
		return d.CurrentKeyModifiers()&fyne.KeyModifierShift != 0
	}
	return false
}

// MouseDown implements desktop.Mouseable: it notes whether shift is held,
// which makes the drag that may follow a box selection.
func (m *Map) MouseDown(e *desktop.MouseEvent) {
	m.drag.shift = e.Modifier&fyne.KeyModifierShift != 0
}

// MouseUp implements desktop.Mouseable.
func (m *Map) MouseUp(*desktop.MouseEvent) {
	if m.drag.mode == dragNone {
		m.drag.shift = false
	}
}

// DoubleTapped zooms in by one level about the tapped position.
func (m *Map) DoubleTapped(e *fyne.PointEvent) {
	m.requestFocus()
	m.zoomAbout(1, e.Position)
}

// requestFocus gives the map the keyboard focus.
func (m *Map) requestFocus() {
	app := fyne.CurrentApp()
	if app == nil || app.Driver() == nil {
		return
	}
	if c := app.Driver().CanvasForObject(m); c != nil && c.Focused() != m {
		c.Focus(m)
	}
}

// FocusGained implements fyne.Focusable.
func (m *Map) FocusGained() { m.focused = true }

// FocusLost implements fyne.Focusable.
func (m *Map) FocusLost() { m.focused = false }

// Focused reports whether the map has the keyboard focus.
func (m *Map) Focused() bool { return m.focused }

// TypedRune zooms with + (or =) and -.
func (m *Map) TypedRune(r rune) {
	switch r {
	case '+', '=':
		m.ZoomIn()
	case '-', '_':
		m.ZoomOut()
	}
}

// TypedKey pans with the arrow keys and zooms with Page Up/Down.
func (m *Map) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyLeft:
		m.Pan(KeyPanStep, 0)
	case fyne.KeyRight:
		m.Pan(-KeyPanStep, 0)
	case fyne.KeyUp:
		m.Pan(0, KeyPanStep)
	case fyne.KeyDown:
		m.Pan(0, -KeyPanStep)
	case fyne.KeyPageUp:
		m.ZoomIn()
	case fyne.KeyPageDown:
		m.ZoomOut()
	default:
		if m.OnOtherKey != nil {
			m.OnOtherKey(e)
		}
	}
}
