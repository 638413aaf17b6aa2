package mapview

import (
	"image/color"
	"math"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// Pulsing items.
//
// Points whose style has Pulse (and clusters holding one) get a halo that
// grows and fades once a second. The halos are not part of the rendered
// frame: each frame lists the pulsing items it shows (in Mercator units),
// and the widget draws their halos as a few canvas.Circle objects above
// the raster, moved and faded by a Fyne animation that runs only while
// there is something to pulse. A tick costs a few object updates, not a
// render.

// maxPulses caps the halos drawn at once.
const maxPulses = 256

// pulsePeriod is the duration of one pulse.
const pulsePeriod = time.Second

type pulse struct {
	mx, my float64
	r      float64 // the item's extent, screen units
	c      color.NRGBA
}

// pulses lists the pulsing items visible in a w×h (screen units) viewport
// showing v.
func (s *Scene) pulses(v View, w, h float64, hidden map[string]bool) []pulse {
	if s == nil {
		return nil
	}
	t := v.transform(w, h, 1)
	var out []pulse
	for _, l := range s.layers {
		ps := l.points
		if ps == nil || len(ps.pulse) == 0 || hidden[l.id] || !l.visibleAt(v.Zoom) {
			continue
		}
		pad := (ps.maxRadius + 20) / t.k
		q := mbound{t.mx(0), t.my(0), t.mx(w), t.my(h)}.pad(pad)
		in := func(x, y float64) bool { return x >= q.minX && x <= q.maxX && y >= q.minY && y <= q.maxY }
		if ps.clustered(v.Zoom) {
			c := ps.clustersAt(v.Zoom)
			for _, i := range ps.pulse {
				if c.of[i] < 0 && in(ps.xs[i], ps.ys[i]) {
					st := ps.styles[ps.style(int(i))]
					out = append(out, pulse{ps.xs[i], ps.ys[i], markerExtent(st), st.Fill})
				}
			}
			for _, cl := range c.cl {
				if cl.pulse && in(cl.x, cl.y) {
					out = append(out, pulse{cl.x, cl.y, cl.radius, ps.styles[cl.pstyle].Fill})
				}
			}
		} else {
			for _, i := range ps.pulse {
				if in(ps.xs[i], ps.ys[i]) {
					st := ps.styles[ps.style(int(i))]
					out = append(out, pulse{ps.xs[i], ps.ys[i], markerExtent(st), st.Fill})
				}
			}
		}
		if len(out) >= maxPulses {
			return out[:maxPulses]
		}
	}
	return out
}

// pulseLayer draws the halos. It is used from the UI goroutine; the lock
// only matters under the test driver, whose fyne.Do runs frames' hand-over
// on the render goroutine.
type pulseLayer struct {
	mu      sync.Mutex
	box     *fyne.Container
	circles []*canvas.Circle
	items   []pulse
	anim    *fyne.Animation
	phase   float32
}

// set replaces the pulsing items, starting or stopping the animation.
func (p *pulseLayer) set(items []pulse, m *Map) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.items = items
	for len(p.circles) < len(items) {
		c := canvas.NewCircle(color.Transparent)
		p.circles = append(p.circles, c)
		p.box.Add(c)
	}
	for i, c := range p.circles {
		if i < len(items) {
			c.Show()
		} else {
			c.Hide()
		}
	}
	switch {
	case len(items) > 0 && p.anim == nil:
		p.anim = &fyne.Animation{Duration: pulsePeriod, RepeatCount: fyne.AnimationRepeatForever, Curve: fyne.AnimationLinear,
			Tick: func(f float32) { p.tick(f, m) }}
		p.placeLocked(m)
		a := p.anim
		p.mu.Unlock()
		a.Start() // the test driver ticks at once
		p.mu.Lock()
	case len(items) == 0 && p.anim != nil:
		p.anim.Stop()
		p.anim = nil
	default:
		p.placeLocked(m)
	}
}

// stop ends the animation.
func (p *pulseLayer) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.anim != nil {
		p.anim.Stop()
		p.anim = nil
	}
}

// count returns the number of pulsing items and whether they animate.
func (p *pulseLayer) count() (int, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.items), p.anim != nil
}

// tick advances the pulse to phase f (0..1).
func (p *pulseLayer) tick(f float32, m *Map) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.phase = f
	p.placeLocked(m)
}

// place moves and fades the halos for the current view and phase.
func (p *pulseLayer) place(m *Map) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.placeLocked(m)
}

func (p *pulseLayer) placeLocked(m *Map) {
	if len(p.items) == 0 {
		return
	}
	v, size := m.View(), m.Size()
	t := v.transform(float64(size.Width), float64(size.Height), 1)
	f := float64(p.phase)
	for i, it := range p.items {
		c := p.circles[i]
		r := it.r + 2 + 14*f
		a := (1 - f) * 0.85
		x, y := t.x(it.mx), t.y(it.my)
		c.StrokeColor = color.NRGBA{it.c.R, it.c.G, it.c.B, uint8(math.Round(a * 255))}
		c.FillColor = color.NRGBA{it.c.R, it.c.G, it.c.B, uint8(math.Round(a * 0.25 * 255))}
		c.StrokeWidth = 2.5
		c.Move(fyne.NewPos(float32(x-r), float32(y-r)))
		c.Resize(fyne.NewSquareSize(float32(2 * r)))
		c.Refresh()
	}
}
