package mapview

import (
	"fmt"
	"image/color"
	"math"
)

// Routes: polylines through stops, with a marker per stop (numbered when
// asked). A layer draws all its lines first, then all its stops, so stops
// are never hidden under another route's line.

// DefaultRouteColor is the line colour of a route whose style has none.
var DefaultRouteColor = color.NRGBA{0x1f, 0x5f, 0xa8, 0xff}

type routeSet struct {
	start  []int32 // route r owns stops start[r]..start[r+1]
	xs, ys []float64
	styles []Style
	bounds []mbound
	number bool
	reach  float64 // largest of half a line and a stop's extent, screen units
	grid   *boxGrid
}

func (rs *routeSet) len() int { return len(rs.bounds) }

func newRouteLayer(l *RouteLayer) *sceneLayer {
	n := len(l.Routes)
	rs := &routeSet{start: make([]int32, 1, n+1), styles: make([]Style, n), bounds: make([]mbound, n), number: l.NumberStops}
	lb := emptyMBound()
	for i, route := range l.Routes {
		rs.styles[i] = styleAt(l.Styles, i, Style{})
		b := emptyMBound()
		for _, p := range route {
			x, y := mercator(p)
			rs.xs, rs.ys = append(rs.xs, x), append(rs.ys, y)
			b.extend(x, y)
		}
		rs.start = append(rs.start, int32(len(rs.xs)))
		rs.bounds[i] = b
		lb.union(b)
		rs.reach = math.Max(rs.reach, math.Max(rs.lineWidth(i)/2, markerExtent(rs.stopStyle(i))))
	}
	rs.grid = newBoxGrid(rs.bounds, lb)
	return &sceneLayer{id: l.ID, minZoom: l.MinZoom, maxZoom: l.MaxZoom, bound: lb, routes: rs}
}

// lineColor and lineWidth are route i's line colour and width.
func (rs *routeSet) lineColor(i int) color.NRGBA {
	if c := rs.styles[i].Stroke; c.A > 0 {
		return c
	}
	return DefaultRouteColor
}

func (rs *routeSet) lineWidth(i int) float64 {
	if w := rs.styles[i].StrokeWidth; w > 0 {
		return float64(w)
	}
	return DefaultRouteWidth
}

// stopStyle is the marker of route i's stops: a disc of the style's Fill
// (the line colour when transparent) with a white rim, large enough for a
// number when stops are numbered.
func (rs *routeSet) stopStyle(i int) Style {
	st := rs.styles[i]
	fill := st.Fill
	if fill.A == 0 {
		fill = rs.lineColor(i)
	}
	r := st.Radius
	if r <= 0 {
		r = 4
		if rs.number {
			r = 8
		}
	}
	return Style{Fill: fill, Stroke: color.NRGBA{0xff, 0xff, 0xff, 0xff}, StrokeWidth: 1.5, Radius: r, Shape: st.Shape}
}

// planRoutes projects the routes touching the region and queues their
// stops.
func (r *Renderer) planRoutes(p *layerPlan, nb int) bool {
	f := &r.f
	rs := p.fl.l.routes
	q := r.regionBound(rs.reach*f.scale + 2)
	if !q.intersects(p.fl.l.bound) {
		return false
	}
	r.ensureMarks(rs.len())
	p.idx = rs.grid.query(q, p.idx, r.marks)
	k := 0
	for _, i := range p.idx {
		if b := rs.bounds[i]; !b.empty() && b.intersects(q) {
			p.idx[k] = i
			k++
		}
	}
	p.idx = p.idx[:k]
	if k == 0 {
		return false
	}
	p.rstart = append(p.rstart[:0], 0)
	for _, i := range p.idx {
		for s := rs.start[i]; s < rs.start[i+1]; s++ {
			p.rx = append(p.rx, f.t.x(rs.xs[s]))
			p.ry = append(p.ry, f.t.y(rs.ys[s]))
		}
		p.rstart = append(p.rstart, int32(len(p.rx)))
	}
	for j, i := range p.idx {
		st := rs.stopStyle(int(i))
		sp := r.sprite(st, f.scale, f.pb.stride)
		for n, s := 0, p.rstart[j]; s < p.rstart[j+1]; n, s = n+1, s+1 {
			x, y := snap(p.rx[s]), snap(p.ry[s])
			r.markAdd(x, y, sp)
			if rs.number {
				text, fg := stopText(n, st)
				r.markAdd(x, y, r.text(text, stopTextSize(st)*f.scale, 0, fg, color.NRGBA{}))
			}
		}
	}
	r.markEnd(&p.marks, nb)
	return true
}

// routeLines draws the lines of the routes planned in p.
func (b *band) routeLines(rs *routeSet, p *layerPlan, scale float64) {
	for j, i := range p.idx {
		c := premultiply(rs.lineColor(int(i)))
		hw := rs.lineWidth(int(i)) * scale / 2
		for s := p.rstart[j]; s+1 < p.rstart[j+1]; s++ {
			b.segment(p.rx[s], p.ry[s], p.rx[s+1], p.ry[s+1], hw, c)
		}
	}
}

// hit returns the top-most route item at (mx, my): a stop (route, stop) or
// a line (route, -1); route -1 when none. k is screen units per Mercator
// unit.
func (rs *routeSet) hit(mx, my, k float64) (route, stop int) {
	for i := rs.len() - 1; i >= 0; i-- {
		r := (markerExtent(rs.stopStyle(i)) + HitSlop) / k
		for s := rs.start[i+1] - 1; s >= rs.start[i]; s-- {
			if dx, dy := rs.xs[s]-mx, rs.ys[s]-my; dx*dx+dy*dy <= r*r {
				return i, int(s - rs.start[i])
			}
		}
	}
	for i := rs.len() - 1; i >= 0; i-- {
		r := (rs.lineWidth(i)/2 + HitSlop) / k
		b := rs.bounds[i].pad(r)
		if mx < b.minX || mx > b.maxX || my < b.minY || my > b.maxY {
			continue
		}
		for s := rs.start[i]; s+1 < rs.start[i+1]; s++ {
			if segDist2(mx, my, rs.xs[s], rs.ys[s], rs.xs[s+1], rs.ys[s+1]) <= r*r {
				return i, -1
			}
		}
	}
	return -1, 0
}

// stopText is the number of stop n (0-based) and its colour on st's fill.
func stopText(n int, st Style) (string, color.NRGBA) {
	fg := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	if lum := 0.299*float64(st.Fill.R) + 0.587*float64(st.Fill.G) + 0.114*float64(st.Fill.B); lum > 170 {
		fg = color.NRGBA{0x1a, 0x1a, 0x1a, 0xff}
	}
	return fmt.Sprint(n + 1), fg
}

// stopTextSize is the size (screen units) of a stop's number.
func stopTextSize(st Style) float64 { return math.Max(8, float64(st.Radius)*1.2) }
