package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// chart is a small drawn chart: its draw function lays canvas objects out
// for the size it is given (again at every resize).
type chart struct {
	widget.BaseWidget
	min  fyne.Size
	draw func(size fyne.Size) []fyne.CanvasObject
}

func newChart(min fyne.Size, draw func(size fyne.Size) []fyne.CanvasObject) *chart {
	c := &chart{min: min, draw: draw}
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer links the chart to its renderer (Fyne calls it).
func (c *chart) CreateRenderer() fyne.WidgetRenderer { return &chartRenderer{c: c} }

type chartRenderer struct {
	c    *chart
	objs []fyne.CanvasObject
	size fyne.Size
}

func (r *chartRenderer) Layout(s fyne.Size) {
	r.size = s
	r.objs = r.c.draw(s)
}
func (r *chartRenderer) MinSize() fyne.Size           { return r.c.min }
func (r *chartRenderer) Refresh()                     { r.Layout(r.size); canvas.Refresh(r.c) }
func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *chartRenderer) Destroy()                     {}

// chartText is a label of a chart.
func chartText(s string, x, y float32, size float32, align fyne.TextAlign) *canvas.Text {
	t := canvas.NewText(s, theme.Color(theme.ColorNameForeground))
	t.TextSize = size
	w := fyne.MeasureText(s, size, fyne.TextStyle{})
	switch align {
	case fyne.TextAlignTrailing:
		x -= w.Width
	case fyne.TextAlignCenter:
		x -= w.Width / 2
	}
	t.Move(fyne.NewPos(x, y))
	t.Resize(w)
	return t
}

var (
	chartBlue  = color.NRGBA{R: 0x1f, G: 0x77, B: 0xd4, A: 0xff}
	chartGreen = color.NRGBA{R: 0x2e, G: 0x9e, B: 0x44, A: 0xff}
	chartAmber = color.NRGBA{R: 0xe0, G: 0x8a, B: 0x00, A: 0xff}
	chartAxis  = color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xc0}
)

// barsChart draws labelled horizontal bars with their counts, the longest
// bar the width less room for its count.
func barsChart(items []barItem, limit int) *chart {
	items = items[:min(len(items), limit)]
	const row = 24
	return newChart(fyne.NewSize(360, float32(len(items))*row+4), func(s fyne.Size) []fyne.CanvasObject {
		most := 1
		for _, it := range items {
			most = max(most, it.n)
		}
		var out []fyne.CanvasObject
		labelW := s.Width * 0.38
		numW := float32(48)
		for i, it := range items {
			y := float32(i) * row
			out = append(out, chartText(fitText(it.label, 13, fyne.TextStyle{}, labelW-6), 0, y+4, 13, fyne.TextAlignLeading))
			bw := (s.Width - labelW - numW) * float32(it.n) / float32(most)
			b := canvas.NewRectangle(chartBlue)
			b.Move(fyne.NewPos(labelW, y+6))
			b.Resize(fyne.NewSize(bw, row-12))
			// the count follows its bar: flush right, it ran into the next
			// column's labels and under a scroll bar
			out = append(out, b, chartText(fmt.Sprint(it.n), labelW+bw+6, y+4, 13, fyne.TextAlignLeading))
		}
		return out
	})
}

// columnsChart draws one column per value with a label under some of them
// (every step-th).
func columnsChart(values []int, labels []string, step int, fill color.Color) *chart {
	return newChart(fyne.NewSize(360, 150), func(s fyne.Size) []fyne.CanvasObject {
		most := 1
		for _, v := range values {
			most = max(most, v)
		}
		left, base, top := float32(32), s.Height-20, float32(8)
		out := []fyne.CanvasObject{axisLine(left, base, s.Width, base), chartText(fmt.Sprint(most), left-4, top-6, 11, fyne.TextAlignTrailing),
			chartText("0", left-4, base-12, 11, fyne.TextAlignTrailing)}
		if len(values) == 0 {
			return out
		}
		w := (s.Width - left) / float32(len(values))
		for i, v := range values {
			h := (base - top) * float32(v) / float32(most)
			b := canvas.NewRectangle(fill)
			b.Move(fyne.NewPos(left+float32(i)*w+w*0.15, base-h))
			b.Resize(fyne.NewSize(w*0.7, h))
			out = append(out, b)
			if step > 0 && i%step == 0 && i < len(labels) {
				out = append(out, chartText(labels[i], left+float32(i)*w+w/2, base+3, 11, fyne.TextAlignCenter))
			}
		}
		return out
	})
}

// ratesChart draws rates (0–1, or <0 for none that day) as lines over the
// days, with the labels of some days under them.
func ratesChart(series [][]float64, colors []color.Color, labels []string, step int) *chart {
	return newChart(fyne.NewSize(360, 170), func(s fyne.Size) []fyne.CanvasObject {
		left, base, top := float32(40), s.Height-20, float32(8)
		out := []fyne.CanvasObject{axisLine(left, base, s.Width, base), chartText("100%", left-4, top-6, 11, fyne.TextAlignTrailing),
			chartText("0", left-4, base-12, 11, fyne.TextAlignTrailing), axisLine(left, top, s.Width, top)}
		n := 0
		for _, se := range series {
			n = max(n, len(se))
		}
		if n == 0 {
			return out
		}
		w := (s.Width - left) / float32(n)
		for si, se := range series {
			var px, py float32
			have := false
			for i, v := range se {
				if v < 0 {
					have = false
					continue
				}
				x, y := left+float32(i)*w+w/2, base-(base-top)*float32(v)
				if have {
					l := canvas.NewLine(colors[si])
					l.StrokeWidth = 2
					l.Position1, l.Position2 = fyne.NewPos(px, py), fyne.NewPos(x, y)
					out = append(out, l)
				}
				d := canvas.NewCircle(colors[si])
				d.Move(fyne.NewPos(x-2.5, y-2.5))
				d.Resize(fyne.NewSquareSize(5))
				out = append(out, d)
				px, py, have = x, y, true
			}
		}
		for i := 0; step > 0 && i < len(labels); i += step {
			out = append(out, chartText(labels[i], left+float32(i)*w+w/2, base+3, 11, fyne.TextAlignCenter))
		}
		return out
	})
}

func axisLine(x1, y1, x2, y2 float32) *canvas.Line {
	l := canvas.NewLine(chartAxis)
	l.StrokeWidth = 1
	l.Position1, l.Position2 = fyne.NewPos(x1, y1), fyne.NewPos(x2, y2)
	return l
}

// tableLayout lays cells out row by row in cols columns, each as wide as
// its widest cell, the free width going to column grow: names are never
// cut while there is room.
type tableLayout struct {
	cols, grow int
}

func (t *tableLayout) widths(objs []fyne.CanvasObject) ([]float32, []float32) {
	w := make([]float32, t.cols)
	rows := (len(objs) + t.cols - 1) / t.cols
	h := make([]float32, rows)
	for i, o := range objs {
		m := o.MinSize()
		w[i%t.cols] = max(w[i%t.cols], m.Width)
		h[i/t.cols] = max(h[i/t.cols], m.Height)
	}
	return w, h
}

func (t *tableLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w, h := t.widths(objs)
	var s fyne.Size
	for _, x := range w {
		s.Width += x
	}
	for _, y := range h {
		s.Height += y
	}
	return s
}

func (t *tableLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w, h := t.widths(objs)
	total := float32(0)
	for _, x := range w {
		total += x
	}
	if free := size.Width - total; free > 0 && t.grow >= 0 && t.grow < t.cols {
		w[t.grow] += free
	}
	y := float32(0)
	for r := range h {
		x := float32(0)
		for c := 0; c < t.cols; c++ {
			i := r*t.cols + c
			if i >= len(objs) {
				break
			}
			objs[i].Move(fyne.NewPos(x, y))
			objs[i].Resize(fyne.NewSize(w[c], h[r]))
			x += w[c]
		}
		y += h[r]
	}
}
