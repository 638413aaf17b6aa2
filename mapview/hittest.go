package mapview

import (
	"slices"

	"github.com/paulmach/orb"
)

// HitSlop is how far (in screen units) outside a point's marker a tap
// still hits it.
const HitSlop = 3

// HitTest returns the top-most visible item at (x, y) in a w×h viewport
// (screen units, origin top-left) showing v: later layers before earlier
// ones, and within a layer later items before earlier ones, which is the
// draw order. Points are hit within their marker's extent plus HitSlop,
// clusters within their circle plus HitSlop (Hit.Index -1, Hit.Cluster the
// members), polygons when (x, y) is inside them (even-odd, so holes do not
// hit), routes on a stop or within half the line's width plus HitSlop.
// Heat layers, hidden layers and layers outside their zoom range are
// ignored.
func (s *Scene) HitTest(v View, w, h, x, y float64, hidden map[string]bool) (Hit, bool) {
	if s == nil {
		return Hit{}, false
	}
	t := v.transform(w, h, 1)
	mx, my := t.mx(x), t.my(y)
	for li := len(s.layers) - 1; li >= 0; li-- {
		l := s.layers[li]
		if hidden[l.id] || !l.visibleAt(v.Zoom) {
			continue
		}
		switch {
		case l.points != nil:
			ps := l.points
			var c *clustering
			if ps.clustered(v.Zoom) {
				c = ps.clustersAt(v.Zoom)
				if id := c.hit(mx, my, t.k); id >= 0 {
					return Hit{Layer: l.id, Index: -1, Cluster: c.memberInts(id)}, true
				}
			}
			if i := ps.hit(mx, my, t.k, c); i >= 0 {
				return Hit{Layer: l.id, Index: i}, true
			}
		case l.polys != nil:
			if i := l.polys.hit(mx, my); i >= 0 {
				return Hit{Layer: l.id, Index: i}, true
			}
		case l.routes != nil:
			if i, stop := l.routes.hit(mx, my, t.k); i >= 0 {
				return Hit{Layer: l.id, Index: i, Stop: stop}, true
			}
		}
	}
	return Hit{}, false
}

// hit returns the highest-indexed point whose marker (plus HitSlop) covers
// (mx, my), or -1; k is screen units per normalized unit. Points inside a
// cluster of c (when not nil) are skipped.
func (ps *pointSet) hit(mx, my, k float64, c *clustering) int {
	reach := (ps.maxRadius + HitSlop) / k
	q := mbound{mx - reach, my - reach, mx + reach, my + reach}
	best := -1
	ps.grid.each(q, func(i int32) {
		if int(i) <= best || c != nil && c.of[i] >= 0 {
			return
		}
		st := ps.styles[ps.style(int(i))]
		r := (markerExtent(st) + HitSlop) / k
		dx, dy := ps.xs[i]-mx, ps.ys[i]-my
		if dx*dx+dy*dy <= r*r {
			best = int(i)
		}
	})
	return best
}

// hit returns the highest-indexed polygon containing (mx, my), or -1.
func (ps *polygonSet) hit(mx, my float64) int {
	cands := ps.grid.at(mx, my)
	for j := len(cands) - 1; j >= 0; j-- {
		i := int(cands[j])
		b := ps.bounds[i]
		if mx < b.minX || mx > b.maxX || my < b.minY || my > b.maxY {
			continue
		}
		if ps.contains(i, mx, my) {
			return i
		}
	}
	return -1
}

// contains reports whether (x, y) is inside polygon i by the even-odd rule
// over all its rings, the rule the fill uses.
func (ps *polygonSet) contains(i int, x, y float64) bool {
	in := false
	for r := ps.polyRings[i]; r < ps.polyRings[i+1]; r++ {
		a, z := int(ps.rings[r]), int(ps.rings[r+1])
		j := z - 1
		for k := a; k < z; k++ {
			xk, yk, xj, yj := ps.xs[k], ps.ys[k], ps.xs[j], ps.ys[j]
			if (yk > y) != (yj > y) && x < (xj-xk)*(y-yk)/(yj-yk)+xk {
				in = !in
			}
			j = k
		}
	}
	return in
}

// HitBox returns every item of the layers visible at zoom (not hidden,
// within their zoom range) that lies inside the lon/lat bound b, in draw
// order: each point inside (never a cluster: clusters are a way of
// drawing), each polygon whose bound is inside, and each route stop inside
// (Hit{Index: route, Stop: stop}). Heat layers have no items.
func (s *Scene) HitBox(b orb.Bound, zoom float64, hidden map[string]bool) []Hit {
	if s == nil || b.IsEmpty() {
		return nil
	}
	x0, y1 := mercator(b.Min)
	x1, y0 := mercator(b.Max)
	q := mbound{x0, y0, x1, y1}
	in := func(x, y float64) bool { return x >= q.minX && x <= q.maxX && y >= q.minY && y <= q.maxY }
	var hits []Hit
	for _, l := range s.layers {
		if hidden[l.id] || !l.visibleAt(zoom) || !q.intersects(l.bound) {
			continue
		}
		switch {
		case l.points != nil:
			ps := l.points
			var idx []int32
			ps.grid.each(q, func(i int32) {
				if in(ps.xs[i], ps.ys[i]) {
					idx = append(idx, i)
				}
			})
			slices.Sort(idx)
			for _, i := range idx {
				hits = append(hits, Hit{Layer: l.id, Index: int(i)})
			}
		case l.polys != nil:
			for i, pb := range l.polys.bounds {
				if !pb.empty() && in(pb.minX, pb.minY) && in(pb.maxX, pb.maxY) {
					hits = append(hits, Hit{Layer: l.id, Index: i})
				}
			}
		case l.routes != nil:
			rs := l.routes
			for i := range rs.len() {
				for s := rs.start[i]; s < rs.start[i+1]; s++ {
					if in(rs.xs[s], rs.ys[s]) {
						hits = append(hits, Hit{Layer: l.id, Index: i, Stop: int(s - rs.start[i])})
					}
				}
			}
		}
	}
	return hits
}

// HitsBound returns the lon/lat bound of the items hits identify (cluster
// hits by their members, route stops by the stop, routes by all their
// stops), for Map.FitBounds; it is empty (IsEmpty) when none exists.
func (s *Scene) HitsBound(hits []Hit) orb.Bound {
	b := emptyMBound()
	for _, h := range hits {
		l := s.layer(h.Layer)
		if l == nil {
			continue
		}
		switch {
		case l.points != nil:
			ps := l.points
			idx := h.Cluster
			if h.Index >= 0 {
				idx = []int{h.Index}
			}
			for _, i := range idx {
				if i >= 0 && i < ps.len() {
					b.extend(ps.xs[i], ps.ys[i])
				}
			}
		case l.polys != nil:
			if h.Index >= 0 && h.Index < l.polys.len() {
				b.union(l.polys.bounds[h.Index])
			}
		case l.routes != nil:
			rs := l.routes
			if h.Index < 0 || h.Index >= rs.len() {
				continue
			}
			if k := int(rs.start[h.Index]) + h.Stop; h.Stop >= 0 && k < int(rs.start[h.Index+1]) {
				b.extend(rs.xs[k], rs.ys[k])
			} else {
				b.union(rs.bounds[h.Index])
			}
		}
	}
	if b.empty() {
		return emptyBound
	}
	nw, se := lonLat(b.minX, b.minY), lonLat(b.maxX, b.maxY)
	return orb.Bound{Min: orb.Point{nw[0], se[1]}, Max: orb.Point{se[0], nw[1]}}
}
