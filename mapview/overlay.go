package mapview

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// The overlay: light canvas objects drawn above the map's raster — the
// scale bar (bottom-left), the cursor's coordinates (bottom-right), the
// tooltip, the rubber band of a box selection and the pulse halos. They
// are updated on the UI goroutine when the view or the mouse moves; none
// of them needs a render.

// Overlay look.
var (
	overlayText   = color.NRGBA{0x26, 0x2a, 0x33, 0xff}
	overlayPanel  = color.NRGBA{0xff, 0xff, 0xff, 0xc8}
	tooltipPanel  = color.NRGBA{0xff, 0xff, 0xf4, 0xf0}
	tooltipBorder = color.NRGBA{0x55, 0x5b, 0x66, 0xc0}
)

const (
	overlayTextSize = 11
	tooltipTextSize = 12
	overlayMargin   = 6
	scaleBarMax     = 110 // screen units
	earthRadius     = 6378137.0
)

type overlay struct {
	m       *Map
	pulses  pulseLayer
	box     *canvas.Rectangle
	scaleBg *canvas.Rectangle
	bar     [3]*canvas.Rectangle // the bar and its end ticks
	scaleTx *canvas.Text
	coordBg *canvas.Rectangle
	coordTx *canvas.Text
	tipBg   *canvas.Rectangle
	tipBox  *fyne.Container
	tipTx   []*canvas.Text
	objects []fyne.CanvasObject
}

func newOverlay(m *Map) *overlay {
	o := &overlay{m: m}
	o.pulses.box = &fyne.Container{}
	o.box = canvas.NewRectangle(color.NRGBA{SelectionColor.R, SelectionColor.G, SelectionColor.B, 0x30})
	o.box.StrokeColor = SelectionColor
	o.box.StrokeWidth = 1.5
	o.box.Hide()
	o.scaleBg = canvas.NewRectangle(overlayPanel)
	o.scaleBg.CornerRadius = 3
	for i := range o.bar {
		o.bar[i] = canvas.NewRectangle(overlayText)
	}
	o.scaleTx = canvas.NewText("", overlayText)
	o.scaleTx.TextSize = overlayTextSize
	o.coordBg = canvas.NewRectangle(overlayPanel)
	o.coordBg.CornerRadius = 3
	o.coordTx = canvas.NewText("", overlayText)
	o.coordTx.TextSize = overlayTextSize
	o.coordTx.TextStyle.Monospace = true
	o.tipBg = canvas.NewRectangle(tooltipPanel)
	o.tipBg.StrokeColor = tooltipBorder
	o.tipBg.StrokeWidth = 1
	o.tipBg.CornerRadius = 4
	o.tipBox = &fyne.Container{Objects: []fyne.CanvasObject{o.tipBg}}
	o.tipBox.Hide()
	o.objects = []fyne.CanvasObject{o.pulses.box, o.box, o.scaleBg, o.bar[0], o.bar[1], o.bar[2], o.scaleTx, o.coordBg, o.coordTx, o.tipBox}
	return o
}

// niceScale returns the longest length of 1, 2 or 5 × 10^k metres not
// longer than max metres, and its label.
func niceScale(maxM float64) (float64, string) {
	if maxM <= 0 || math.IsInf(maxM, 0) || math.IsNaN(maxM) {
		return 0, ""
	}
	p := math.Pow(10, math.Floor(math.Log10(maxM)))
	n := p
	for _, f := range []float64{5, 2} {
		if f*p <= maxM {
			n = f * p
			break
		}
	}
	if n >= 1000 {
		return n, fmt.Sprintf("%g km", n/1000)
	}
	return n, fmt.Sprintf("%g m", n)
}

// MetresPerUnit returns the ground distance of one screen unit at the
// centre of v.
func (v View) MetresPerUnit() float64 {
	return 2 * math.Pi * earthRadius * math.Cos(v.Center[1]*math.Pi/180) / WorldSize(v.Zoom)
}

// update lays the overlay out for the widget's size and state.
func (o *overlay) update() {
	m := o.m
	size := m.Size()
	v := m.View()

	// Scale bar.
	o.setVisible(m.showScale, o.scaleBg, o.bar[0], o.bar[1], o.bar[2], o.scaleTx)
	if m.showScale {
		mpu := v.MetresPerUnit()
		metres, label := niceScale(scaleBarMax * mpu)
		w := float32(metres / mpu)
		o.scaleTx.Text = label
		ts := fyne.MeasureText(label, overlayTextSize, o.scaleTx.TextStyle)
		x0 := float32(overlayMargin + 4)
		yb := size.Height - overlayMargin - 4 // the bar's baseline
		panelW := max(w, ts.Width) + 8
		panelH := ts.Height + 10
		o.scaleBg.Move(fyne.NewPos(overlayMargin, yb-panelH+4))
		o.scaleBg.Resize(fyne.NewSize(panelW, panelH))
		o.bar[0].Move(fyne.NewPos(x0, yb-2))
		o.bar[0].Resize(fyne.NewSize(w, 2))
		o.bar[1].Move(fyne.NewPos(x0, yb-6))
		o.bar[1].Resize(fyne.NewSize(1.5, 6))
		o.bar[2].Move(fyne.NewPos(x0+w-1.5, yb-6))
		o.bar[2].Resize(fyne.NewSize(1.5, 6))
		o.scaleTx.Move(fyne.NewPos(x0, yb-6-ts.Height))
		o.scaleTx.Resize(ts)
		for _, obj := range []fyne.CanvasObject{o.scaleBg, o.bar[0], o.bar[1], o.bar[2], o.scaleTx} {
			obj.Refresh()
		}
	}

	// Coordinates of the cursor.
	show := m.showCoords && m.mouseIn
	o.setVisible(show, o.coordBg, o.coordTx)
	if show {
		p := v.ToLonLat(float64(m.mouse.X), float64(m.mouse.Y), float64(size.Width), float64(size.Height))
		o.coordTx.Text = formatLonLat(p[0], p[1])
		ts := fyne.MeasureText(o.coordTx.Text, overlayTextSize, o.coordTx.TextStyle)
		x := size.Width - overlayMargin - ts.Width - 8
		y := size.Height - overlayMargin - ts.Height - 4
		o.coordBg.Move(fyne.NewPos(x, y))
		o.coordBg.Resize(fyne.NewSize(ts.Width+8, ts.Height+4))
		o.coordTx.Move(fyne.NewPos(x+4, y+2))
		o.coordTx.Resize(ts)
		o.coordBg.Refresh()
		o.coordTx.Refresh()
	}

	o.updateTooltip()
	o.updateBox()
}

func (o *overlay) setVisible(on bool, objs ...fyne.CanvasObject) {
	for _, obj := range objs {
		if on != obj.Visible() {
			if on {
				obj.Show()
			} else {
				obj.Hide()
			}
		}
	}
}

// formatLonLat writes a position as "113.75012°E 23.02034°N".
func formatLonLat(lon, lat float64) string {
	ew, ns := "E", "N"
	if lon < 0 {
		ew, lon = "W", -lon
	}
	if lat < 0 {
		ns, lat = "S", -lat
	}
	return fmt.Sprintf("%.5f°%s %.5f°%s", lon, ew, lat, ns)
}

// updateTooltip shows the tooltip text near the mouse, inside the widget.
func (o *overlay) updateTooltip() {
	m := o.m
	if m.tooltip == "" || !m.mouseIn {
		o.setVisible(false, o.tipBox)
		return
	}
	lines := strings.Split(m.tooltip, "\n")
	for len(o.tipTx) < len(lines) {
		t := canvas.NewText("", overlayText)
		t.TextSize = tooltipTextSize
		o.tipTx = append(o.tipTx, t)
	}
	o.tipBox.Objects = o.tipBox.Objects[:1]
	var w, h float32
	sizes := make([]fyne.Size, len(lines))
	for i, line := range lines {
		sizes[i] = fyne.MeasureText(line, tooltipTextSize, fyne.TextStyle{})
		w = max(w, sizes[i].Width)
		h += sizes[i].Height
	}
	const pad = 6
	bw, bh := w+2*pad, h+2*pad
	size := m.Size()
	x, y := m.mouse.X+14, m.mouse.Y+18
	if x+bw > size.Width {
		x = m.mouse.X - 8 - bw
	}
	if y+bh > size.Height {
		y = m.mouse.Y - 8 - bh
	}
	x, y = max(0, x), max(0, y)
	o.tipBox.Move(fyne.NewPos(x, y))
	o.tipBox.Resize(fyne.NewSize(bw, bh))
	o.tipBg.Move(fyne.NewPos(0, 0))
	o.tipBg.Resize(fyne.NewSize(bw, bh))
	ty := float32(pad)
	for i, line := range lines {
		t := o.tipTx[i]
		t.Text = line
		t.Move(fyne.NewPos(pad, ty))
		t.Resize(sizes[i])
		ty += sizes[i].Height
		o.tipBox.Objects = append(o.tipBox.Objects, t)
	}
	o.setVisible(true, o.tipBox)
	o.tipBox.Refresh()
}

// updateBox shows the rubber band of a box selection under way.
func (o *overlay) updateBox() {
	d := &o.m.drag
	if d.mode != dragBox {
		o.setVisible(false, o.box)
		return
	}
	x0, x1 := min(d.start.X, d.end.X), max(d.start.X, d.end.X)
	y0, y1 := min(d.start.Y, d.end.Y), max(d.start.Y, d.end.Y)
	o.box.Move(fyne.NewPos(x0, y0))
	o.box.Resize(fyne.NewSize(x1-x0, y1-y0))
	o.setVisible(true, o.box)
	o.box.Refresh()
}
