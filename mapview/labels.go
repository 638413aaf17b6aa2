package mapview

import (
	"cmp"
	"image/color"
	"math"
	"slices"
)

// Label placement.
//
// Labels are placed greedily, most important first, each only where its
// box overlaps no box placed before (an occupancy grid answers that), so
// labels never overlap. Polygon labels come first, over every visible
// polygon layer at the frame's zoom (a few thousand candidates, a
// millisecond or two), ordered by the layers' LabelStyle.Priority and then
// by polygon area; a label goes at the polygon's pole of inaccessibility,
// or else its centroid, only where its text box lies inside the polygon.
// Point labels follow, beside their markers, over a region around the
// viewport (points can be many): the region is kept while the viewport
// stays inside it, so panning reuses the placement.
//
// Positions are world pixels at the frame's zoom, so the placement does not
// depend on the view's centre: a frame and the strips drawn after a pan
// agree. The placement is recomputed when the scene, zoom, scale, fonts or
// hidden layers change (gen counts recomputations).

// labelGap is the free space (pixels) kept around every label box.
const labelGap = 1

type placeKey struct {
	s      *Scene
	zoom   float64
	scale  float64
	fonts  *Fonts
	hidden string
}

type placement struct {
	key    placeKey
	gen    uint64
	polys  []placedLabel
	points []placedLabel
	occ    occupancy // the polygon labels' boxes

	pointRegion [4]float64 // world pixels: x0, y0, x1, y1
	hasPoints   bool
}

// placedLabel is a label placed at world pixel (wx, wy), the centre of its
// w×h box.
type placedLabel struct {
	wx, wy, w, h float64
	text         string
	size, hw     float64
	fg, halo     color.NRGBA
	sp           *sprite
}

func (pl *placedLabel) box() [4]float64 {
	return [4]float64{pl.wx - pl.w/2, pl.wy - pl.h/2, pl.wx + pl.w/2, pl.wy + pl.h/2}
}

func (p *placement) dropSprites() {
	for i := range p.polys {
		p.polys[i].sp = nil
	}
	for i := range p.points {
		p.points[i].sp = nil
	}
}

// occupancy is a hash grid of placed boxes.
type occupancy struct {
	boxes [][4]float64
	cells map[int64][]int32
}

const occCell = 96 // pixels

func (o *occupancy) reset() {
	o.boxes = o.boxes[:0]
	if o.cells == nil {
		o.cells = map[int64][]int32{}
	}
	clear(o.cells)
}

func (o *occupancy) clone() occupancy {
	c := occupancy{boxes: slices.Clone(o.boxes), cells: make(map[int64][]int32, len(o.cells))}
	for k, v := range o.cells {
		c.cells[k] = slices.Clone(v)
	}
	return c
}

func occRange(b [4]float64) (x0, y0, x1, y1 int64) {
	return int64(math.Floor(b[0] / occCell)), int64(math.Floor(b[1] / occCell)),
		int64(math.Floor(b[2] / occCell)), int64(math.Floor(b[3] / occCell))
}

// free reports whether b overlaps no box.
func (o *occupancy) free(b [4]float64) bool {
	x0, y0, x1, y1 := occRange(b)
	for cy := y0; cy <= y1; cy++ {
		for cx := x0; cx <= x1; cx++ {
			for _, i := range o.cells[cellKey(cx, cy)] {
				q := o.boxes[i]
				if b[0] < q[2] && q[0] < b[2] && b[1] < q[3] && q[1] < b[3] {
					return false
				}
			}
		}
	}
	return true
}

func (o *occupancy) add(b [4]float64) {
	i := int32(len(o.boxes))
	o.boxes = append(o.boxes, b)
	x0, y0, x1, y1 := occRange(b)
	for cy := y0; cy <= y1; cy++ {
		for cx := x0; cx <= x1; cx++ {
			k := cellKey(cx, cy)
			o.cells[k] = append(o.cells[k], i)
		}
	}
}

// update brings the placement up to date for the frame r prepares.
func (p *placement) update(r *Renderer) {
	f := &r.f
	key := placeKey{f.s, f.v.Zoom, f.scale, f.fonts, f.hidden}
	if key != p.key || p.occ.cells == nil {
		p.key = key
		p.gen++
		p.placePolygons(f)
		p.points = p.points[:0]
		p.pointRegion = [4]float64{}
		p.hasPoints = false
		for _, fl := range f.layers {
			if ps := fl.l.points; ps != nil && ps.labels != nil && fl.clus == nil && f.v.Zoom >= ps.labelMinZoom {
				p.hasPoints = true
			}
		}
	}
	if !p.hasPoints {
		return
	}
	// The viewport in world pixels, with room for labels reaching in.
	offX, offY := f.t.cx*f.t.k-f.t.ox, f.t.cy*f.t.k-f.t.oy
	m := 256 * f.scale
	vp := [4]float64{offX - m, offY - m, offX + float64(f.pb.w) + m, offY + float64(f.pb.h) + m}
	pr := p.pointRegion
	if vp[0] >= pr[0] && vp[1] >= pr[1] && vp[2] <= pr[2] && vp[3] <= pr[3] && pr[2] > pr[0] {
		return
	}
	hx, hy := float64(f.pb.w)/2, float64(f.pb.h)/2
	p.pointRegion = [4]float64{vp[0] - hx, vp[1] - hy, vp[2] + hx, vp[3] + hy}
	p.gen++
	p.placePoints(r)
}

type labelCand struct {
	ps   *polygonSet
	i    int32
	prio int
	area float64
}

func (p *placement) placePolygons(f *frameState) {
	p.polys = p.polys[:0]
	p.occ.reset()
	var cands []labelCand
	for _, fl := range f.layers {
		ps := fl.l.polys
		if ps == nil || len(ps.labelOrder) == 0 || f.v.Zoom < ps.labelMinZoom {
			continue
		}
		for _, i := range ps.labelOrder {
			cands = append(cands, labelCand{ps, i, ps.labelStyle.Priority, ps.anchors[i].area})
		}
	}
	slices.SortStableFunc(cands, func(a, b labelCand) int {
		if c := cmp.Compare(b.prio, a.prio); c != 0 {
			return c
		}
		return cmp.Compare(b.area, a.area)
	})
	k := f.t.k
	for _, c := range cands {
		ps, i := c.ps, int(c.i)
		st := ps.labelStyle
		size, hw := st.size()*f.scale, st.haloWidth()*f.scale
		text := ps.labels[i]
		w, h := f.fonts.textBox(text, size, hw)
		pad := 2 * (math.Ceil(hw) + 1)
		tw, th := w-pad, h-pad // the text alone must fit inside
		b := ps.bounds[i]
		if (b.maxX-b.minX)*k < tw || (b.maxY-b.minY)*k < th {
			continue
		}
		a := ps.anchors[i]
		for _, at := range [2][2]float64{{a.px, a.py}, {a.cx, a.cy}} {
			hx, hy := tw/2/k, th/2/k
			if !ps.boxInside(i, at[0]-hx, at[1]-hy, at[0]+hx, at[1]+hy) {
				continue
			}
			fg, halo := st.colors()
			pl := placedLabel{wx: math.Round(at[0] * k), wy: math.Round(at[1] * k), w: w + 2*labelGap, h: h + 2*labelGap,
				text: text, size: size, hw: hw, fg: fg, halo: halo}
			if bx := pl.box(); p.occ.free(bx) {
				p.occ.add(bx)
				p.polys = append(p.polys, pl)
				break
			}
		}
	}
}

func (p *placement) placePoints(r *Renderer) {
	f := &r.f
	p.points = p.points[:0]
	occ := p.occ.clone()
	k := f.t.k
	pr := p.pointRegion
	q := mbound{pr[0] / k, pr[1] / k, pr[2] / k, pr[3] / k}
	var ls []*frameLayer
	for li := range f.layers {
		fl := &f.layers[li]
		if ps := fl.l.points; ps != nil && ps.labels != nil && fl.clus == nil && f.v.Zoom >= ps.labelMinZoom {
			ls = append(ls, fl)
		}
	}
	// Higher priority first; among equals the layer drawn on top first.
	slices.Reverse(ls)
	slices.SortStableFunc(ls, func(a, b *frameLayer) int {
		return cmp.Compare(b.l.points.labelStyle.Priority, a.l.points.labelStyle.Priority)
	})
	for _, fl := range ls {
		ps := fl.l.points
		st := ps.labelStyle
		size, hw := st.size()*f.scale, st.haloWidth()*f.scale
		fg, halo := st.colors()
		r.ensureMarks(ps.len())
		idx, all := ps.grid.query(q, nil, r.marks)
		try := func(i int) {
			if i >= len(ps.labels) || ps.labels[i] == "" {
				return
			}
			x, y := ps.xs[i], ps.ys[i]
			if x < q.minX || x > q.maxX || y < q.minY || y > q.maxY {
				return
			}
			text := ps.labels[i]
			w, h := f.fonts.textBox(text, size, hw)
			w, h = w+2*labelGap, h+2*labelGap
			ext := markerExtent(ps.styles[ps.style(i)])*f.scale + f.scale
			px, py := math.Round(x*k), math.Round(y*k)
			for _, side := range [2]float64{1, -1} {
				pl := placedLabel{wx: px + side*(ext+w/2), wy: py, w: w, h: h, text: text, size: size, hw: hw, fg: fg, halo: halo}
				pl.wx = math.Round(pl.wx)
				if bx := pl.box(); occ.free(bx) {
					occ.add(bx)
					p.points = append(p.points, pl)
					return
				}
			}
		}
		if all {
			for i := range ps.xs {
				try(i)
			}
		} else {
			for _, i := range idx {
				try(int(i))
			}
		}
	}
}

// planLabels queues the placed labels that touch the region.
func (r *Renderer) planLabels(nb int) {
	f := &r.f
	offX, offY := f.t.cx*f.t.k-f.t.ox, f.t.cy*f.t.k-f.t.oy
	for _, list := range [2][]placedLabel{r.place.polys, r.place.points} {
		for i := range list {
			pl := &list[i]
			x0, y0 := pl.wx-pl.w/2-offX, pl.wy-pl.h/2-offY
			if x0 > float64(r.rg.Max.X) || y0 > float64(r.rg.Max.Y) || x0+pl.w < float64(r.rg.Min.X) || y0+pl.h < float64(r.rg.Min.Y) {
				continue
			}
			if pl.sp == nil {
				pl.sp = r.text(pl.text, pl.size, pl.hw, pl.fg, pl.halo)
			}
			pl.sp.forStride(f.pb.stride)
			r.markAdd(snap(pl.wx-offX), snap(pl.wy-offY), pl.sp)
		}
	}
	r.markEnd(&r.labelMarks, nb)
}

// labelBoxes returns the boxes of the labels placed for the last frame, in
// world pixels (for tests).
func (r *Renderer) labelBoxes() [][4]float64 {
	var out [][4]float64
	for _, list := range [2][]placedLabel{r.place.polys, r.place.points} {
		for i := range list {
			out = append(out, list[i].box())
		}
	}
	return out
}
