package mapview

import "math"

// Label anchors: the pole of inaccessibility (the inside point farthest
// from the outline, where the largest text fits) found with the
// "polylabel" cell search, and the centroid of the largest ring as a
// second choice. Both are computed once per polygon in Mercator units,
// which preserve shapes locally, so they hold at every zoom.

// ringArea returns the signed area and centroid of ring r of ps.
func (ps *polygonSet) ringArea(r int32) (area, cx, cy float64) {
	a, z := int(ps.rings[r]), int(ps.rings[r+1])
	if z-a < 3 {
		return 0, 0, 0
	}
	// Relative to the first vertex for precision.
	x0, y0 := ps.xs[a], ps.ys[a]
	j := z - 1
	for k := a; k < z; k++ {
		xj, yj := ps.xs[j]-x0, ps.ys[j]-y0
		xk, yk := ps.xs[k]-x0, ps.ys[k]-y0
		f := xj*yk - xk*yj
		area += f
		cx += (xj + xk) * f
		cy += (yj + yk) * f
		j = k
	}
	if area == 0 {
		return 0, x0, y0
	}
	return area / 2, x0 + cx/(3*area), y0 + cy/(3*area)
}

// edgeDistance returns the signed distance from (x, y) to the outline of
// polygon i: positive inside (even-odd), negative outside.
func (ps *polygonSet) edgeDistance(i int, x, y float64) float64 {
	in := false
	best := math.Inf(1)
	for r := ps.polyRings[i]; r < ps.polyRings[i+1]; r++ {
		a, z := int(ps.rings[r]), int(ps.rings[r+1])
		j := z - 1
		for k := a; k < z; k++ {
			xk, yk, xj, yj := ps.xs[k], ps.ys[k], ps.xs[j], ps.ys[j]
			if (yk > y) != (yj > y) && x < (xj-xk)*(y-yk)/(yj-yk)+xk {
				in = !in
			}
			best = math.Min(best, segDist2(x, y, xj, yj, xk, yk))
			j = k
		}
	}
	d := math.Sqrt(best)
	if !in {
		return -d
	}
	return d
}

// segDist2 is the squared distance from (px, py) to segment a–b.
func segDist2(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	if dx != 0 || dy != 0 {
		t := ((px-ax)*dx + (py-ay)*dy) / (dx*dx + dy*dy)
		switch {
		case t > 1:
			ax, ay = bx, by
		case t > 0:
			ax += dx * t
			ay += dy * t
		}
	}
	dx, dy = px-ax, py-ay
	return dx*dx + dy*dy
}

type plCell struct {
	x, y, h, d, max float64
}

// plQueue is a max-heap of cells by their potential.
type plQueue []plCell

func (q *plQueue) push(c plCell) {
	*q = append(*q, c)
	h := *q
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p].max >= h[i].max {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func (q *plQueue) pop() plCell {
	h := *q
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && h[l].max > h[m].max {
			m = l
		}
		if r < n && h[r].max > h[m].max {
			m = r
		}
		if m == i {
			break
		}
		h[m], h[i] = h[i], h[m]
		i = m
	}
	*q = h
	return top
}

// labelAnchors computes, for polygon i, the pole of inaccessibility, the
// centroid of its largest ring and that ring's area.
func (ps *polygonSet) labelAnchors(i int) (px, py, cx, cy, area float64) {
	b := ps.bounds[i]
	if b.empty() {
		return 0, 0, 0, 0, 0
	}
	for r := ps.polyRings[i]; r < ps.polyRings[i+1]; r++ {
		a, x, y := ps.ringArea(r)
		if math.Abs(a) > area {
			area, cx, cy = math.Abs(a), x, y
		}
	}
	if area == 0 {
		cx, cy = (b.minX+b.maxX)/2, (b.minY+b.maxY)/2
	}
	w, h := b.maxX-b.minX, b.maxY-b.minY
	size := math.Min(w, h)
	if size <= 0 {
		return cx, cy, cx, cy, area
	}
	precision := math.Max(w, h) / 100
	cell := func(x, y, hh float64) plCell {
		d := ps.edgeDistance(i, x, y)
		return plCell{x, y, hh, d, d + hh*math.Sqrt2}
	}
	best := cell(cx, cy, 0)
	if c := cell((b.minX+b.maxX)/2, (b.minY+b.maxY)/2, 0); c.d > best.d {
		best = c
	}
	q := make(plQueue, 0, 64)
	hh := size / 2
	for x := b.minX; x < b.maxX; x += size {
		for y := b.minY; y < b.maxY; y += size {
			q.push(cell(x+hh, y+hh, hh))
		}
	}
	for n := 0; len(q) > 0 && n < 2048; n++ {
		c := q.pop()
		if c.d > best.d {
			best = c
		}
		if c.max-best.d <= precision {
			continue
		}
		hh := c.h / 2
		q.push(cell(c.x-hh, c.y-hh, hh))
		q.push(cell(c.x+hh, c.y-hh, hh))
		q.push(cell(c.x-hh, c.y+hh, hh))
		q.push(cell(c.x+hh, c.y+hh, hh))
	}
	return best.x, best.y, cx, cy, area
}

// boxInside reports whether the box [x0,x1]×[y0,y1] (Mercator) lies inside
// polygon i: its centre is inside and no edge of the polygon crosses it.
func (ps *polygonSet) boxInside(i int, x0, y0, x1, y1 float64) bool {
	b := ps.bounds[i]
	if x0 < b.minX || y0 < b.minY || x1 > b.maxX || y1 > b.maxY {
		return false
	}
	if !ps.contains(i, (x0+x1)/2, (y0+y1)/2) {
		return false
	}
	for r := ps.polyRings[i]; r < ps.polyRings[i+1]; r++ {
		a, z := int(ps.rings[r]), int(ps.rings[r+1])
		j := z - 1
		for k := a; k < z; k++ {
			if segmentHitsBox(ps.xs[j], ps.ys[j], ps.xs[k], ps.ys[k], x0, y0, x1, y1) {
				return false
			}
			j = k
		}
	}
	return true
}

// segmentHitsBox reports whether segment a–b touches the box.
func segmentHitsBox(ax, ay, bx, by, x0, y0, x1, y1 float64) bool {
	if math.Max(ax, bx) < x0 || math.Min(ax, bx) > x1 || math.Max(ay, by) < y0 || math.Min(ay, by) > y1 {
		return false
	}
	_, _, _, _, ok := clipSegment(ax, ay, bx, by, x0, y0, x1, y1)
	return ok
}
