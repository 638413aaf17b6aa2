package mapview

import (
	"image"
	"image/color"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Rendering.
//
// Everything is drawn straight into the Pix slice of an *image.RGBA
// (premultiplied, opaque after the background fill) with integer blending;
// there are no per-pixel interface calls and no image/draw.
//
// Fills use our own scanline rasterizer rather than golang.org/x/image/vector:
// vector accumulates coverage in a float32 buffer the size of each path's
// bounding box, which would have to be cleared and composited once per
// polygon (thousands per frame), and its anti-aliased edges leave visible
// seams and double-blended pixels where adjacent areas share a border — the
// normal case for grid maps. The scanline fill samples pixel centres with
// the even-odd rule on half-open spans, so adjacent polygons tile exactly
// and holes and multi-part polygons come for free; anti-aliasing comes from
// the outline strokes drawn on top, which compute exact per-pixel coverage
// from the distance to the segment.
//
// Points are stamped from sprites: each (style, scale) is rasterized once
// with 4×4 supersampling into a list of non-transparent premultiplied
// pixels, and each point costs one blend per sprite pixel. Point centres
// are snapped to whole pixels (at most half a pixel off), which is what
// lets one sprite serve every point of a style. Points are projected once
// per frame and grouped by the bands they touch.
//
// The image is split into horizontal bands drawn by parallel workers; each
// band draws every layer in order, clipped to its rectangle, so the result
// is identical to a sequential render.
//
// A frame is drawn in two steps. prepare does what depends on the whole
// frame: the visible layers, clusters, heat scales, label placement (for
// polygons over the whole layer at the frame's zoom, for points over a
// region around the viewport) and the basemap tiles. drawRegion then draws
// a rectangle of the frame: all of it for a full render, or only the
// strips a pan uncovered (RenderFrom), the rest being copied from the
// previous frame. Everything a region draws is anchored to the world at
// the frame's zoom (cluster cells, heat lattice, label positions, tiles),
// so the strips join the copied pixels seamlessly.

// Background is the colour of the map where nothing is drawn.
var Background = color.NRGBA{0xF2, 0xF1, 0xEC, 0xFF}

// Selection colours: selected items get an outline of SelectionColor
// edged with SelectionEdge, drawn above everything else.
var (
	SelectionColor = color.NRGBA{0x00, 0xc8, 0xff, 0xff}
	SelectionEdge  = color.NRGBA{0x0b, 0x1b, 0x3a, 0xe6}
)

// RenderOptions are what a frame shows besides the scene and the view.
type RenderOptions struct {
	// Hidden holds the IDs of layers not to draw.
	Hidden map[string]bool
	// Selection is highlighted on top of everything.
	Selection []Hit
	// Fonts draws labels and counts; nil means DefaultFonts (Latin only).
	Fonts *Fonts
	// Basemap, when set, draws raster tiles under the layers. Tiles not
	// loaded yet are requested and drawn as a scaled-up ancestor tile or
	// left blank; the cache's OnLoad says when to render again.
	Basemap *TileCache
}

// Renderer draws Scenes into images. It keeps scratch buffers, marker and
// text sprites and the label placement between calls, so reuse one. A
// Renderer is not safe for concurrent use; it parallelizes each frame
// internally.
type Renderer struct {
	// Workers is the number of goroutines drawing bands of the image;
	// zero means runtime.GOMAXPROCS(0).
	Workers int

	scratch []*bandScratch
	sprites map[spriteKey]*sprite
	texts   map[textKey]*sprite
	marks   []uint64 // grid query scratch
	rowBand []int32  // band of each row of the region
	spread  []spreadMark
	next    []int32

	f          frameState // the frame being drawn
	rg         image.Rectangle
	plans      []layerPlan // the region being drawn
	labelMarks markList
	selMarks   markList
	selSegs    []selSeg
	place      placement
	last       lastFrame
}

// NewRenderer returns a Renderer using all CPUs.
func NewRenderer() *Renderer { return &Renderer{} }

// frameState is what prepare computed for a frame.
type frameState struct {
	s      *Scene
	v      View
	scale  float64
	t      transform
	pb     pixbuf
	o      RenderOptions
	fonts  *Fonts
	hidden string // the hidden IDs, sorted, as a key
	layers []frameLayer
	sel    map[string]*selSet
	tiles  []tileDraw
	// tilesVer is the basemap's version when the frame began: a tile
	// arriving later makes the next frame a full one.
	tilesVer uint64
}

// frameLayer is a visible layer with its per-zoom data.
type frameLayer struct {
	l    *sceneLayer
	clus *clustering // clusters, when the points are clustered
	peak float64     // heat: density at the top of the ramp
}

// frameKey is what must not change between two frames for the second to
// reuse the first's pixels.
type frameKey struct {
	s        *Scene
	fonts    *Fonts
	tiles    *TileCache
	tilesVer uint64
	zoom     float64
	scale    float64
	w, h     int
	hidden   string
}

type lastFrame struct {
	dst      *image.RGBA
	view     View
	t        transform // as drawn: may differ from view's by a sub-pixel drift, see RenderFrom
	key      frameKey
	placeGen uint64
	sel      []Hit
}

// layerPlan is what one layer contributes to the region being drawn.
type layerPlan struct {
	fl    *frameLayer
	idx   []int32 // polygons or routes to draw, ascending
	marks markList

	// Routes: the vertices of the routes in idx in pixels; route idx[j]
	// owns rx[rstart[j]:rstart[j+1]].
	rx, ry []float64
	rstart []int32
}

// markList is a list of sprites to stamp, grouped by band: band i stamps
// marks[bandStart[i]:bandStart[i+1]] in order.
type markList struct {
	marks     []pointMark
	bandStart []int32
}

// pointMark is a sprite to stamp, centred on a pixel.
type pointMark struct {
	x, y int32
	sp   *sprite
}

// spreadMark is a mark with the bands it touches.
type spreadMark struct {
	pointMark
	b0, b1 int32
}

// selSeg is a segment of a selection outline, in pixels.
type selSeg struct {
	x0, y0, x1, y1, hw float64
	c                  premul
}

// selSet is what is selected in one layer.
type selSet struct {
	items map[int]bool // polygons, points or routes
	stops map[[2]int]bool
}

// Render draws the visible layers of s into dst as seen through v. scale
// is the number of pixels per screen unit (the canvas scale): the view's
// zoom, the styles' widths and radii are in screen units. Layers whose ID
// is in hidden, or whose zoom range excludes v.Zoom, are skipped. The whole
// of dst.Bounds() is painted, its top-left corner being the viewport's.
func (r *Renderer) Render(dst *image.RGBA, s *Scene, v View, scale float64, hidden map[string]bool) {
	r.RenderWith(dst, s, v, scale, RenderOptions{Hidden: hidden})
}

// RenderWith is Render with labels' fonts, a selection and a basemap.
func (r *Renderer) RenderWith(dst *image.RGBA, s *Scene, v View, scale float64, o RenderOptions) {
	if !r.begin(dst, s, v, scale, o) {
		return
	}
	r.drawRegion(image.Rect(0, 0, r.f.pb.w, r.f.pb.h))
	r.remember(dst)
}

// RenderFrom renders like RenderWith, reusing src — the image this
// Renderer rendered last, for the view from — when v is from panned by
// whole pixels at the same zoom and nothing else changed (scene, options,
// label placement, loaded tiles, size, scale): src's pixels are copied
// shifted and only the uncovered strips are drawn. It reports whether it
// could; when not it renders dst in full. dst and src must differ.
func (r *Renderer) RenderFrom(dst, src *image.RGBA, from View, s *Scene, v View, scale float64, o RenderOptions) bool {
	if scale <= 0 {
		scale = 1
	}
	b := dst.Bounds()
	reusable := src != nil && src != dst && src == r.last.dst && src.Bounds().Size() == b.Size() &&
		from == r.last.view && from.Zoom == v.Zoom && !b.Empty()
	var dx, dy int
	var t transform
	if reusable {
		// Draw exactly as the copied pixels were drawn, moved by whole
		// pixels: View centres pass through lon/lat, so two views a
		// whole-pixel pan apart may differ by a billionth of a pixel more.
		tf := r.last.t
		t = v.transform(float64(b.Dx()), float64(b.Dy()), scale)
		fx, fy := (tf.cx-t.cx)*t.k+t.ox-tf.ox, (tf.cy-t.cy)*t.k+t.oy-tf.oy
		dx, dy = int(math.Round(fx)), int(math.Round(fy))
		reusable = tf.k == t.k && math.Abs(fx-float64(dx)) < 1e-3 && math.Abs(fy-float64(dy)) < 1e-3 &&
			abs(dx) < b.Dx() && abs(dy) < b.Dy()
		t = transform{cx: tf.cx, cy: tf.cy, k: tf.k, ox: tf.ox + float64(dx), oy: tf.oy + float64(dy)}
	}
	if reusable {
		oldKey, oldGen, oldSel := r.last.key, r.last.placeGen, r.last.sel
		r.beginWith(dst, s, v, scale, o, &t)
		reusable = r.key() == oldKey && r.place.gen == oldGen && slices.EqualFunc(o.Selection, oldSel, Hit.Equal)
	}
	if !reusable {
		r.RenderWith(dst, s, v, scale, o)
		return false
	}
	shift(dst, src, dx, dy)
	w, h := r.f.pb.w, r.f.pb.h
	// The uncovered strips: columns on the side the map moved away from,
	// then rows over the remaining width.
	cx0, cx1 := 0, w
	switch {
	case dx > 0:
		r.drawRegion(image.Rect(0, 0, dx, h))
		cx0 = dx
	case dx < 0:
		r.drawRegion(image.Rect(w+dx, 0, w, h))
		cx1 = w + dx
	}
	switch {
	case dy > 0:
		r.drawRegion(image.Rect(cx0, 0, cx1, dy))
	case dy < 0:
		r.drawRegion(image.Rect(cx0, h+dy, cx1, h))
	}
	r.remember(dst)
	return true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// shift copies src into dst moved by (dx, dy) pixels; the pixels src does
// not cover are left as they are.
func shift(dst, src *image.RGBA, dx, dy int) {
	b := dst.Bounds()
	w, h := b.Dx(), b.Dy()
	sb := src.Bounds()
	x0, x1 := max(0, dx), min(w, w+dx)
	if x0 >= x1 {
		return
	}
	for y := max(0, dy); y < min(h, h+dy); y++ {
		d := dst.Pix[dst.PixOffset(b.Min.X+x0, b.Min.Y+y):]
		s := src.Pix[src.PixOffset(sb.Min.X+x0-dx, sb.Min.Y+y-dy):]
		copy(d[:(x1-x0)*4], s[:(x1-x0)*4])
	}
}

// begin prepares a frame; false when there is nothing to draw into.
func (r *Renderer) begin(dst *image.RGBA, s *Scene, v View, scale float64, o RenderOptions) bool {
	return r.beginWith(dst, s, v, scale, o, nil)
}

// beginWith is begin drawing through t instead of v's own transform when
// t is not nil (see RenderFrom).
func (r *Renderer) beginWith(dst *image.RGBA, s *Scene, v View, scale float64, o RenderOptions, t *transform) bool {
	b := dst.Bounds()
	if b.Empty() {
		return false
	}
	if scale <= 0 {
		scale = 1
	}
	pb := pixbuf{pix: dst.Pix[dst.PixOffset(b.Min.X, b.Min.Y):], stride: dst.Stride, w: b.Dx(), h: b.Dy()}
	tt := v.transform(float64(pb.w), float64(pb.h), scale)
	if t != nil {
		tt = *t
	}
	r.prepare(s, v, tt, pb, scale, o)
	return true
}

func (r *Renderer) remember(dst *image.RGBA) {
	r.last = lastFrame{dst: dst, view: r.f.v, t: r.f.t, key: r.key(), placeGen: r.place.gen, sel: slices.Clone(r.f.o.Selection)}
}

func (r *Renderer) key() frameKey {
	f := &r.f
	k := frameKey{s: f.s, fonts: f.fonts, tiles: f.o.Basemap, zoom: f.v.Zoom, scale: f.scale, w: f.pb.w, h: f.pb.h, hidden: f.hidden}
	k.tilesVer = f.tilesVer
	return k
}

// hiddenKey returns the hidden layer IDs, sorted and joined.
func hiddenKey(hidden map[string]bool) string {
	var ids []string
	for id, h := range hidden {
		if h {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return strings.Join(ids, "\x00")
}

// prepare computes what the whole frame needs.
func (r *Renderer) prepare(s *Scene, v View, t transform, pb pixbuf, scale float64, o RenderOptions) {
	fonts := o.Fonts
	if fonts == nil {
		fonts = DefaultFonts()
	}
	if r.sprites == nil || len(r.sprites) > 4096 {
		r.sprites = make(map[spriteKey]*sprite)
	}
	if r.texts == nil || len(r.texts) > 16384 {
		r.texts = make(map[textKey]*sprite)
		r.place.dropSprites()
	}
	r.f = frameState{s: s, v: v, scale: scale, t: t, pb: pb, o: o, fonts: fonts, hidden: hiddenKey(o.Hidden), layers: r.f.layers[:0], tiles: r.f.tiles[:0]}
	if s != nil {
		for _, l := range s.layers {
			if o.Hidden[l.id] || !l.visibleAt(v.Zoom) {
				continue
			}
			fl := frameLayer{l: l}
			switch {
			case l.points != nil && l.points.clustered(v.Zoom):
				fl.clus = l.points.clustersAt(v.Zoom)
			case l.heat != nil:
				fl.peak = l.heat.scaleAt(v.Zoom, scale)
			}
			r.f.layers = append(r.f.layers, fl)
		}
	}
	r.f.sel = nil
	if len(o.Selection) > 0 {
		r.f.sel = map[string]*selSet{}
		for _, h := range o.Selection {
			ss := r.f.sel[h.Layer]
			if ss == nil {
				ss = &selSet{items: map[int]bool{}, stops: map[[2]int]bool{}}
				r.f.sel[h.Layer] = ss
			}
			switch l := s.layer(h.Layer); {
			case l != nil && l.routes != nil && h.Stop >= 0:
				ss.stops[[2]int{h.Index, h.Stop}] = true
			case h.Index < 0:
				for _, i := range h.Cluster {
					ss.items[i] = true
				}
			default:
				ss.items[h.Index] = true
			}
		}
	}
	r.place.update(r)
	r.f.tiles = r.f.tiles[:0]
	if o.Basemap != nil {
		r.f.tilesVer = o.Basemap.version()
		r.f.tiles = o.Basemap.plan(r.f.tiles, t, pb.w, pb.h, scale)
	}
}

// drawRegion draws the rectangle rg of the frame.
func (r *Renderer) drawRegion(rg image.Rectangle) {
	rg = rg.Intersect(image.Rect(0, 0, r.f.pb.w, r.f.pb.h))
	if rg.Empty() {
		return
	}
	r.rg = rg
	workers := r.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// More bands than workers balance uneven content; bands of at least
	// 32 rows keep the per-band overhead small.
	h := rg.Dy()
	nb := max(1, min(workers*4, h/32))
	workers = min(workers, nb)
	r.rowBand = slices.Grow(r.rowBand[:0], h)[:h]
	for i := range nb {
		for y := h * i / nb; y < h*(i+1)/nb; y++ {
			r.rowBand[y] = int32(i)
		}
	}
	r.plan(nb)
	for len(r.scratch) < workers {
		r.scratch = append(r.scratch, &bandScratch{})
	}
	var next atomic.Int32
	work := func(sc *bandScratch) {
		for {
			i := int(next.Add(1)) - 1
			if i >= nb {
				return
			}
			y0, y1 := rg.Min.Y+h*i/nb, rg.Min.Y+h*(i+1)/nb
			r.drawBand(sc, i, rg.Min.X, y0, rg.Max.X, y1)
		}
	}
	if workers == 1 {
		work(r.scratch[0])
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { work(r.scratch[w]) })
	}
	wg.Wait()
}

// regionBound returns the region in Mercator units, padded by pad pixels.
func (r *Renderer) regionBound(pad float64) mbound {
	t := r.f.t
	return mbound{
		t.mx(float64(r.rg.Min.X) - pad), t.my(float64(r.rg.Min.Y) - pad),
		t.mx(float64(r.rg.Max.X) + pad), t.my(float64(r.rg.Max.Y) + pad),
	}
}

// plan selects the items of the region and groups its sprites by band.
func (r *Renderer) plan(nb int) {
	f := &r.f
	scale := f.scale
	r.plans = r.plans[:0]
	for li := range f.layers {
		fl := &f.layers[li]
		l := fl.l
		// Reuse the plan's slices from earlier frames.
		var p layerPlan
		if n := len(r.plans); n < cap(r.plans) {
			p = r.plans[:n+1][n]
		}
		p = layerPlan{fl: fl, idx: p.idx[:0], marks: markList{p.marks.marks[:0], p.marks.bandStart[:0]},
			rx: p.rx[:0], ry: p.ry[:0], rstart: p.rstart[:0]}
		switch {
		case l.polys != nil:
			ps := l.polys
			q := r.regionBound(ps.maxStroke*scale + 2)
			if !q.intersects(l.bound) {
				continue
			}
			r.ensureMarks(ps.len())
			p.idx = ps.grid.query(q, p.idx, r.marks)
			// The grid lists candidates; keep those whose bound meets q.
			k := 0
			for _, i := range p.idx {
				if b := ps.bounds[i]; !b.empty() && b.intersects(q) {
					p.idx[k] = i
					k++
				}
			}
			p.idx = p.idx[:k]
			if len(p.idx) == 0 {
				continue
			}
		case l.points != nil:
			if !r.planPoints(&p, nb) {
				continue
			}
		case l.heat != nil:
			q := r.regionBound(l.heat.radius*scale + 2)
			if !q.intersects(l.bound) {
				continue
			}
		case l.routes != nil:
			if !r.planRoutes(&p, nb) {
				continue
			}
		default:
			continue
		}
		r.plans = append(r.plans, p)
	}
	r.planLabels(nb)
	r.planSelection(nb)
}

func (r *Renderer) ensureMarks(n int) {
	if need := (n + 63) / 64; len(r.marks) < need {
		r.marks = make([]uint64, need)
	}
}

// markAdd queues sprite sp centred on pixel (x, y) when it touches the
// region.
func (r *Renderer) markAdd(x, y int, sp *sprite) {
	rg := r.rg
	if x+sp.maxX < rg.Min.X || x+sp.minX >= rg.Max.X || y+sp.maxY < rg.Min.Y || y+sp.minY >= rg.Max.Y {
		return
	}
	b0 := r.rowBand[max(rg.Min.Y, y+sp.minY)-rg.Min.Y]
	b1 := r.rowBand[min(rg.Max.Y-1, y+sp.maxY)-rg.Min.Y]
	r.spread = append(r.spread, spreadMark{pointMark{int32(x), int32(y), sp}, b0, b1})
}

// markEnd groups the queued marks by band into ml (a counting sort, so
// each band keeps the order) and empties the queue.
func (r *Renderer) markEnd(ml *markList, nb int) {
	sm := r.spread
	ml.bandStart = slices.Grow(ml.bandStart[:0], nb+1)[:nb+1]
	clear(ml.bandStart)
	for _, m := range sm {
		for b := m.b0; b <= m.b1; b++ {
			ml.bandStart[b+1]++
		}
	}
	for b := 1; b <= nb; b++ {
		ml.bandStart[b] += ml.bandStart[b-1]
	}
	n := int(ml.bandStart[nb])
	ml.marks = slices.Grow(ml.marks[:0], n)[:n]
	next := append(r.next[:0], ml.bandStart[:nb]...)
	r.next = next
	for _, m := range sm {
		for b := m.b0; b <= m.b1; b++ {
			ml.marks[next[b]] = m.pointMark
			next[b]++
		}
	}
	r.spread = sm[:0]
}

// snap returns the pixel holding position v (pixels): floor, nudged so
// that positions on whole pixels — common in drawn scenes — do not flip
// between frames that differ by a billionth of a pixel.
func snap(v float64) int { return int(math.Floor(v + 1e-6)) }

// px returns the pixel holding Mercator (mx, my): where a sprite centred
// on it is stamped.
func (f *frameState) px(mx, my float64) (int, int) {
	return snap(f.t.x(mx)), snap(f.t.y(my))
}

// planPoints projects a point layer's candidates (or clusters) once and
// groups them by band.
func (r *Renderer) planPoints(p *layerPlan, nb int) bool {
	f := &r.f
	ps := p.fl.l.points
	stride := f.pb.stride
	sprites := make([]*sprite, len(ps.styles))
	for i, st := range ps.styles {
		sprites[i] = r.sprite(st, f.scale, stride)
	}
	q := r.regionBound(ps.maxRadius*f.scale + 2)
	if !q.intersects(p.fl.l.bound) {
		return false
	}
	r.ensureMarks(ps.len())
	all := false
	p.idx, all = ps.grid.query(q, p.idx, r.marks)
	c := p.fl.clus
	add := func(k int) {
		if c != nil && c.of[k] >= 0 {
			return
		}
		x, y := f.px(ps.xs[k], ps.ys[k])
		r.markAdd(x, y, sprites[ps.style(k)])
	}
	if all {
		for k := range ps.xs {
			add(k)
		}
	} else {
		for _, k := range p.idx {
			add(int(k))
		}
	}
	if c != nil {
		maxR := 0.45 * ps.clusterCell * f.scale
		cq := r.regionBound(maxR + 4)
		for id := range c.cl {
			cl := &c.cl[id]
			if cl.x < cq.minX || cl.x > cq.maxX || cl.y < cq.minY || cl.y > cq.maxY {
				continue
			}
			x, y := f.px(cl.x, cl.y)
			st := ps.styles[cl.style]
			r.markAdd(x, y, r.sprite(clusterStyle(st.Fill, cl.radius), f.scale, stride))
			text, fg := clusterText(cl.n, st.Fill)
			r.markAdd(x, y, r.text(text, clusterTextSize(cl.radius)*f.scale, 0, fg, color.NRGBA{}))
		}
	}
	r.markEnd(&p.marks, nb)
	return len(p.marks.marks) > 0
}

// bandScratch is one worker's scratch space.
type bandScratch struct {
	sx, sy   []float64 // polygon vertices in pixels
	sk       []bool    // whether the edge from each is stroked by a later polygon
	rk       []int32   // their rings
	edges    []edge
	active   []int32
	xs       []float64
	heat     heatScratch
	marks    []uint64
	tileCols []int32
}

// edge is a non-horizontal polygon edge in pixels, with y0 < y1.
type edge struct {
	y0, y1 float64
	x0     float64 // x at y0
	dxdy   float64
}

// band is a rectangle [x0, x1)×[y0, y1) of the destination.
type band struct {
	pixbuf
	x0, x1 int
	y0, y1 int
	sc     *bandScratch
}

func (r *Renderer) drawBand(sc *bandScratch, bi, x0, y0, x1, y1 int) {
	f := &r.f
	t, scale := f.t, f.scale
	b := band{pixbuf: f.pb, x0: x0, x1: x1, y0: y0, y1: y1, sc: sc}
	b.clear(premultiply(Background))
	for i := range f.tiles {
		b.tile(&f.tiles[i])
	}
	for i := range r.plans {
		p := &r.plans[i]
		l := p.fl.l
		switch {
		case l.polys != nil:
			for _, k := range p.idx {
				b.polygon(l.polys, int(k), t, scale)
			}
		case l.points != nil:
			b.stampAll(&p.marks, bi)
		case l.heat != nil:
			b.heat(l.heat, t, scale, p.fl.peak)
		case l.routes != nil:
			b.routeLines(l.routes, p, scale)
			b.stampAll(&p.marks, bi)
		}
	}
	b.stampAll(&r.labelMarks, bi)
	for _, s := range r.selSegs {
		b.segment(s.x0, s.y0, s.x1, s.y1, s.hw, s.c)
	}
	b.stampAll(&r.selMarks, bi)
}

func (b *band) stampAll(ml *markList, bi int) {
	if len(ml.bandStart) <= bi+1 {
		return
	}
	for _, m := range ml.marks[ml.bandStart[bi]:ml.bandStart[bi+1]] {
		b.stamp(int(m.x), int(m.y), m.sp)
	}
}

// clear fills the band with c.
func (b *band) clear(c premul) {
	if b.y0 >= b.y1 || b.x0 >= b.x1 {
		return
	}
	row := b.pix[b.y0*b.stride+b.x0*4 : b.y0*b.stride+b.x1*4]
	span(row, c)
	for y := b.y0 + 1; y < b.y1; y++ {
		copy(b.pix[y*b.stride+b.x0*4:y*b.stride+b.x1*4], row)
	}
}

// simplifyPx is the distance (pixels) under which consecutive vertices of
// a ring are merged when drawing.
const simplifyPx = 0.5

// polygon fills and strokes polygon i of ps. Vertices closer than
// simplifyPx to the last kept one are dropped, so detailed outlines cost
// what they show at low zoom; rings left with fewer than three vertices
// are dropped (they are smaller than a pixel).
func (b *band) polygon(ps *polygonSet, i int, t transform, scale float64) {
	st := ps.styles[i]
	bd := ps.bounds[i]
	hw := st.strokeWidth() * scale / 2
	if st.Stroke.A == 0 {
		hw = 0
	}
	if t.y(bd.maxY)+hw+1 < float64(b.y0) || t.y(bd.minY)-hw-1 > float64(b.y1) ||
		t.x(bd.maxX)+hw+1 < float64(b.x0) || t.x(bd.minX)-hw-1 > float64(b.x1) {
		return
	}
	sc := b.sc
	r0, r1 := ps.polyRings[i], ps.polyRings[i+1]
	sc.sx, sc.sy, sc.sk, sc.rk = sc.sx[:0], sc.sy[:0], sc.sk[:0], append(sc.rk[:0], 0)
	const d2 = simplifyPx * simplifyPx
	for r := r0; r < r1; r++ {
		start := len(sc.sx)
		lx, ly := math.Inf(1), math.Inf(1)
		for k := ps.rings[r]; k < ps.rings[r+1]; k++ {
			x, y := t.x(ps.xs[k]), t.y(ps.ys[k])
			shared := ps.isShared(k)
			if dx, dy := x-lx, y-ly; dx*dx+dy*dy < d2 {
				// Dropped: the last kept vertex's edge now spans this
				// one's, and is shared only if all it spans are.
				n := len(sc.sk) - 1
				sc.sk[n] = sc.sk[n] && shared
				continue
			}
			sc.sx, sc.sy, sc.sk = append(sc.sx, x), append(sc.sy, y), append(sc.sk, shared)
			lx, ly = x, y
		}
		// The ring closes on its first vertex: drop a last one on top of it.
		if n := len(sc.sx); n-start > 1 {
			if dx, dy := sc.sx[n-1]-sc.sx[start], sc.sy[n-1]-sc.sy[start]; dx*dx+dy*dy < d2 {
				sc.sk[n-2] = sc.sk[n-2] && sc.sk[n-1]
				sc.sx, sc.sy, sc.sk = sc.sx[:n-1], sc.sy[:n-1], sc.sk[:n-1]
			}
		}
		if len(sc.sx)-start < 3 {
			sc.sx, sc.sy, sc.sk = sc.sx[:start], sc.sy[:start], sc.sk[:start]
			continue
		}
		sc.rk = append(sc.rk, int32(len(sc.sx)))
	}
	if len(sc.rk) < 2 {
		return
	}
	if st.Fill.A > 0 {
		b.fill(sc.rk, premultiply(st.Fill))
	}
	if st.Stroke.A > 0 {
		c := premultiply(st.Stroke)
		for r := 0; r+1 < len(sc.rk); r++ {
			a, z := int(sc.rk[r]), int(sc.rk[r+1])
			for k := a; k < z; k++ {
				if sc.sk[k] {
					continue // a later polygon strokes it
				}
				n := k + 1
				if n == z {
					n = a
				}
				b.segment(sc.sx[k], sc.sy[k], sc.sx[n], sc.sy[n], hw, c)
			}
		}
	}
}

// textKey identifies a text sprite.
type textKey struct {
	fonts    *Fonts
	text     string
	size, hw float64
	fg, halo color.NRGBA
}

// text returns the sprite of text at size px with a halo of hw px,
// cached, ready for the frame's stride.
func (r *Renderer) text(text string, size, hw float64, fg, halo color.NRGBA) *sprite {
	k := textKey{r.f.fonts, text, size, hw, fg, halo}
	sp := r.texts[k]
	if sp == nil {
		sp = textSprite(r.f.fonts, text, size, hw, fg, halo)
		r.texts[k] = sp
	}
	sp.forStride(r.f.pb.stride)
	return sp
}
