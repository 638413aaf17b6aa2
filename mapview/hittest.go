package mapview

// HitSlop is how far (in screen units) outside a point's marker a tap
// still hits it.
const HitSlop = 3

// HitTest returns the top-most visible item at (x, y) in a w×h viewport
// (screen units, origin top-left) showing v: later layers before earlier
// ones, and within a layer later items before earlier ones, which is the
// draw order. Points are hit within their marker's extent plus HitSlop,
// polygons when (x, y) is inside them (even-odd, so holes do not hit).
// Hidden layers and layers outside their zoom range are ignored.
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
		var i int
		switch {
		case l.points != nil:
			i = l.points.hit(mx, my, t.k)
		case l.polys != nil:
			i = l.polys.hit(mx, my)
		default:
			i = -1
		}
		if i >= 0 {
			return Hit{Layer: l.id, Index: i}, true
		}
	}
	return Hit{}, false
}

// hit returns the highest-indexed point whose marker (plus HitSlop) covers
// (mx, my), or -1; k is screen units per normalized unit.
func (ps *pointSet) hit(mx, my, k float64) int {
	reach := (ps.maxRadius + HitSlop) / k
	q := mbound{mx - reach, my - reach, mx + reach, my + reach}
	best := -1
	ps.grid.each(q, func(i int32) {
		if int(i) <= best {
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
	for i := ps.len() - 1; i >= 0; i-- {
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
