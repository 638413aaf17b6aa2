package mapview

import (
	"image/color"
	"math"
	"slices"
)

// Selection highlight: polygons and route lines get an outline of
// SelectionColor edged with SelectionEdge; points, clusters holding a
// selected point and route stops get a ring. All of it is drawn above
// everything else, as part of the frame (so it pans with it).

// planSelection queues the highlight of the selected items touching the
// region.
func (r *Renderer) planSelection(nb int) {
	f := &r.f
	r.selSegs = r.selSegs[:0]
	if len(f.sel) == 0 {
		r.markEnd(&r.selMarks, nb)
		return
	}
	t, scale := f.t, f.scale
	edge, col := premultiply(SelectionEdge), premultiply(SelectionColor)
	outer, inner := 2.5*scale, 1.5*scale
	q := r.regionBound(40 * scale)
	line := func(x0, y0, x1, y1 float64) {
		r.selSegs = append(r.selSegs, selSeg{x0, y0, x1, y1, outer, edge})
	}
	ring := func(mx, my, radius float64) {
		if mx < q.minX || mx > q.maxX || my < q.minY || my > q.maxY {
			return
		}
		x, y := f.px(mx, my)
		r.markAdd(x, y, r.ring(radius))
	}
	var inners []selSeg
	for _, fl := range f.layers {
		l := fl.l
		ss := f.sel[l.id]
		if ss == nil {
			continue
		}
		switch {
		case l.polys != nil:
			ps := l.polys
			for _, i := range sortedKeys(ss.items) {
				if i < 0 || i >= ps.len() || ps.bounds[i].empty() || !ps.bounds[i].intersects(q) {
					continue
				}
				for rr := ps.polyRings[i]; rr < ps.polyRings[i+1]; rr++ {
					a, z := int(ps.rings[rr]), int(ps.rings[rr+1])
					j := z - 1
					for k := a; k < z; k++ {
						x0, y0, x1, y1 := t.x(ps.xs[j]), t.y(ps.ys[j]), t.x(ps.xs[k]), t.y(ps.ys[k])
						line(x0, y0, x1, y1)
						inners = append(inners, selSeg{x0, y0, x1, y1, inner, col})
						j = k
					}
				}
			}
		case l.points != nil:
			ps := l.points
			seen := map[int32]bool{}
			for _, i := range sortedKeys(ss.items) {
				if i < 0 || i >= ps.len() {
					continue
				}
				if c := fl.clus; c != nil && c.of[i] >= 0 {
					id := c.of[i]
					if !seen[id] {
						seen[id] = true
						cl := c.cl[id]
						ring(cl.x, cl.y, (cl.radius+3)*scale)
					}
					continue
				}
				ring(ps.xs[i], ps.ys[i], (markerExtent(ps.styles[ps.style(i)])+3)*scale)
			}
		case l.routes != nil:
			// A selected route: a translucent band of SelectionColor
			// along it, the route redrawn on top, its stops too.
			rs := l.routes
			halo := SelectionColor
			halo.A = 0x90
			for _, i := range sortedKeys(ss.items) {
				if i < 0 || i >= rs.len() || !rs.bounds[i].pad(40*scale/t.k).intersects(q) {
					continue
				}
				lw := rs.lineWidth(i) * scale / 2
				lc := premultiply(rs.lineColor(i))
				for s := rs.start[i]; s+1 < rs.start[i+1]; s++ {
					x0, y0, x1, y1 := t.x(rs.xs[s]), t.y(rs.ys[s]), t.x(rs.xs[s+1]), t.y(rs.ys[s+1])
					r.selSegs = append(r.selSegs, selSeg{x0, y0, x1, y1, lw + 3.5*scale, premultiply(halo)})
					inners = append(inners, selSeg{x0, y0, x1, y1, lw, lc})
				}
				st := rs.stopStyle(i)
				sp := r.sprite(st, scale, f.pb.stride)
				for n, s := 0, rs.start[i]; s < rs.start[i+1]; n, s = n+1, s+1 {
					x, y := f.px(rs.xs[s], rs.ys[s])
					r.markAdd(x, y, sp)
					if rs.number {
						text, fg := stopText(n, st)
						r.markAdd(x, y, r.text(text, stopTextSize(st)*scale, 0, fg, color.NRGBA{}))
					}
				}
			}
			for st := range ss.stops {
				i, s := st[0], st[1]
				if i < 0 || i >= rs.len() || s < 0 || int(rs.start[i])+s >= int(rs.start[i+1]) {
					continue
				}
				k := int(rs.start[i]) + s
				ring(rs.xs[k], rs.ys[k], (markerExtent(rs.stopStyle(i))+3)*scale)
			}
		}
	}
	r.selSegs = append(r.selSegs, inners...)
	r.markEnd(&r.selMarks, nb)
}

func sortedKeys(m map[int]bool) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ring returns the selection ring sprite of the given radius (pixels).
func (r *Renderer) ring(radius float64) *sprite {
	radius = math.Round(radius*2) / 2
	k := spriteKey{Style{Radius: float32(radius), Shape: 255}, r.f.scale}
	sp := r.sprites[k]
	if sp == nil {
		sp = ringSprite(radius, 2*r.f.scale, SelectionColor, SelectionEdge)
		r.sprites[k] = sp
	}
	sp.forStride(r.f.pb.stride)
	return sp
}
