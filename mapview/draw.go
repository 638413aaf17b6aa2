package mapview

import (
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"slices"
)

// Drawing primitives: premultiplied blending, the scanline fill, the
// anti-aliased segment, sprite stamping and marker sprites, all clipped to
// a band (a rectangle of the destination drawn by one worker).

// pixbuf is the destination with its origin moved to (0,0).
type pixbuf struct {
	pix    []uint8
	stride int
	w, h   int
}

// premul is a premultiplied colour packed as in image.RGBA's Pix, read
// as a little-endian uint32: R in the low byte, A in the high byte.
type premul uint32

func premultiply(c color.NRGBA) premul {
	a := uint32(c.A)
	return pack(mul255(uint32(c.R), a), mul255(uint32(c.G), a), mul255(uint32(c.B), a), a)
}

func pack(r, g, b, a uint32) premul { return premul(r | g<<8 | b<<16 | a<<24) }

func (c premul) alpha() uint32 { return uint32(c) >> 24 }

// mul255 returns round(x·y/255) for x, y <= 255.
func mul255(x, y uint32) uint32 {
	t := x*y + 128
	return (t + t>>8) >> 8
}

// blend draws the premultiplied colour c over the pixel at byte offset o:
// dst = c + dst·(255-αc)/255 per channel, rounded. Two channels share each
// multiply (R,B and G,A in 16-bit lanes); the sums cannot carry because a
// premultiplied channel never exceeds its alpha.
func blend(pix []uint8, o int, c premul) {
	p := pix[o : o+4 : o+4]
	ia := 255 - c.alpha()
	if ia == 0 {
		binary.LittleEndian.PutUint32(p, uint32(c))
		return
	}
	binary.LittleEndian.PutUint32(p, uint32(c)+fade(binary.LittleEndian.Uint32(p), ia))
}

// fade returns every channel of d multiplied by ia/255, rounded.
func fade(d, ia uint32) uint32 {
	rb := (d&0x00ff00ff)*ia + 0x00800080
	rb = (rb + (rb>>8)&0x00ff00ff) >> 8 & 0x00ff00ff
	ga := (d>>8&0x00ff00ff)*ia + 0x00800080
	ga = (ga + (ga>>8)&0x00ff00ff) & 0xff00ff00
	return rb | ga
}

// scaled returns c with its coverage multiplied by cov/256 (cov <= 256).
func (c premul) scaled(cov uint32) premul {
	rb := (uint32(c) & 0x00ff00ff) * cov >> 8 & 0x00ff00ff
	ga := (uint32(c) >> 8 & 0x00ff00ff) * cov & 0xff00ff00
	return premul(rb | ga)
}

// fill paints the inside (even-odd) of the rings whose vertices are in
// sc.sx/sc.sy; rings holds the ring offsets relative to rings[0]. Pixels
// whose centre is inside are painted.
func (b *band) fill(rings []int32, c premul) {
	sc := b.sc
	sc.edges = sc.edges[:0]
	top, bot := float64(b.y0)+0.5, float64(b.y1)-0.5 // first and last sample rows
	base := rings[0]
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for r := 0; r+1 < len(rings); r++ {
		a, z := int(rings[r]-base), int(rings[r+1]-base)
		for k := a; k < z; k++ {
			n := k + 1
			if n == z {
				n = a
			}
			x0, y0, x1, y1 := sc.sx[k], sc.sy[k], sc.sx[n], sc.sy[n]
			if y0 == y1 {
				continue
			}
			if y0 > y1 {
				x0, y0, x1, y1 = x1, y1, x0, y0
			}
			if y1 <= top || y0 > bot {
				continue
			}
			sc.edges = append(sc.edges, edge{y0: y0, y1: y1, x0: x0, dxdy: (x1 - x0) / (y1 - y0)})
			ymin, ymax = math.Min(ymin, y0), math.Max(ymax, y1)
		}
	}
	if len(sc.edges) < 2 {
		return
	}
	slices.SortFunc(sc.edges, func(p, q edge) int {
		switch {
		case p.y0 < q.y0:
			return -1
		case p.y0 > q.y0:
			return 1
		}
		return 0
	})
	// Rows whose centre j+0.5 lies in [ymin, ymax).
	j0 := max(b.y0, int(math.Ceil(ymin-0.5)))
	j1 := min(b.y1, int(math.Ceil(ymax-0.5)))
	sc.active = sc.active[:0]
	next := 0
	for j := j0; j < j1; j++ {
		y := float64(j) + 0.5
		// Drop finished edges, add starting ones.
		act := sc.active[:0]
		for _, e := range sc.active {
			if sc.edges[e].y1 > y {
				act = append(act, e)
			}
		}
		for next < len(sc.edges) && sc.edges[next].y0 <= y {
			if sc.edges[next].y1 > y {
				act = append(act, int32(next))
			}
			next++
		}
		sc.active = act
		if len(act) < 2 {
			continue
		}
		xs := sc.xs[:0]
		for _, e := range act {
			ed := &sc.edges[e]
			x := ed.x0 + (y-ed.y0)*ed.dxdy
			// insertion sort: few crossings per row
			k := len(xs)
			xs = append(xs, x)
			for k > 0 && xs[k-1] > x {
				xs[k] = xs[k-1]
				k--
			}
			xs[k] = x
		}
		sc.xs = xs
		row := b.pix[j*b.stride : j*b.stride+b.w*4]
		for k := 0; k+1 < len(xs); k += 2 {
			// Pixels i with xs[k] <= i+0.5 < xs[k+1].
			a := int(math.Ceil(math.Max(xs[k]-0.5, float64(b.x0-1))))
			z := int(math.Ceil(math.Min(xs[k+1]-0.5, float64(b.x1))))
			a, z = max(a, b.x0), min(z, b.x1)
			if a < z {
				span(row[a*4:z*4], c)
			}
		}
	}
}

// span blends c over every pixel of row.
func span(row []uint8, c premul) {
	ia := 255 - c.alpha()
	if ia == 0 {
		for x := 0; x+3 < len(row); x += 4 {
			binary.LittleEndian.PutUint32(row[x:x+4:x+4], uint32(c))
		}
		return
	}
	// Runs of equal pixels (the background, an earlier fill) are common:
	// blend once per run.
	pd, pr := uint32(0), uint32(c)+fade(0, ia)
	for x := 0; x+3 < len(row); x += 4 {
		p := row[x : x+4 : x+4]
		d := binary.LittleEndian.Uint32(p)
		if d != pd {
			pd, pr = d, uint32(c)+fade(d, ia)
		}
		binary.LittleEndian.PutUint32(p, pr)
	}
}

// segment draws an anti-aliased line of half-width hw pixels with round
// ends; each pixel gets the coverage clamp(hw+0.5-d, 0, 1) where d is the
// distance from its centre to the segment.
func (b *band) segment(x0, y0, x1, y1, hw float64, c premul) {
	rad := hw + 0.5
	// Coverage is computed from the whole segment, the clipped one only
	// bounds the pixels visited: so a pixel gets the same value whatever
	// rectangle it is drawn in (a band, or a strip uncovered by a pan).
	s := segmentCover{x0: x0, y0: y0, x1: x1, y1: y1, dx: x1 - x0, dy: y1 - y0, rad: rad}
	ok := false
	x0, y0, x1, y1, ok = clipSegment(x0, y0, x1, y1, float64(b.x0)-rad, float64(b.y0)-rad, float64(b.x1)+rad, float64(b.y1)+rad)
	if !ok {
		return
	}
	s.l2 = s.dx*s.dx + s.dy*s.dy
	if s.l2 < 1e-18 {
		s.l2 = 0
	} else {
		l := math.Sqrt(s.l2)
		s.nx, s.ny = -s.dy/l, s.dx/l
	}
	if math.Abs(s.dx) >= math.Abs(s.dy) {
		// Mostly horizontal: walk columns, cover a few rows around the line.
		lo, hi := min(x0, x1), max(x0, x1)
		ext := rad
		if s.l2 > 0 {
			ext = rad * math.Sqrt(s.l2) / math.Abs(s.dx)
		}
		// Only pixel centres strictly within rad (ext across) can be covered.
		i0, i1 := max(b.x0, int(math.Ceil(lo-rad-0.5))), min(b.x1-1, int(math.Floor(hi+rad-0.5)))
		for i := i0; i <= i1; i++ {
			px := float64(i) + 0.5
			cy := y0
			if s.dx != 0 {
				cy = y0 + (max(lo, min(hi, px))-x0)*s.dy/s.dx
			}
			j0, j1 := max(b.y0, int(math.Ceil(cy-ext-0.5))), min(b.y1-1, int(math.Floor(cy+ext-0.5)))
			for j := j0; j <= j1; j++ {
				if cov := s.coverage(px, float64(j)+0.5); cov > 0 {
					blend(b.pix, j*b.stride+i*4, c.scaled(cov))
				}
			}
		}
		return
	}
	// Mostly vertical: walk rows.
	lo, hi := min(y0, y1), max(y0, y1)
	ext := rad * math.Sqrt(s.l2) / math.Abs(s.dy)
	j0, j1 := max(b.y0, int(math.Ceil(lo-rad-0.5))), min(b.y1-1, int(math.Floor(hi+rad-0.5)))
	for j := j0; j <= j1; j++ {
		py := float64(j) + 0.5
		cx := x0 + (max(lo, min(hi, py))-y0)*s.dx/s.dy
		i0, i1 := max(b.x0, int(math.Ceil(cx-ext-0.5))), min(b.x1-1, int(math.Floor(cx+ext-0.5)))
		for i := i0; i <= i1; i++ {
			if cov := s.coverage(float64(i)+0.5, py); cov > 0 {
				blend(b.pix, j*b.stride+i*4, c.scaled(cov))
			}
		}
	}
}

// segmentCover computes a segment's per-pixel coverage.
type segmentCover struct {
	x0, y0, x1, y1 float64
	dx, dy, l2     float64
	nx, ny         float64 // unit normal
	rad            float64 // half-width + 0.5
}

// coverage returns the coverage of the pixel centred at (px, py), 0..256.
func (s *segmentCover) coverage(px, py float64) uint32 {
	ex, ey := px-s.x0, py-s.y0
	var d float64
	if t := ex*s.dx + ey*s.dy; t <= 0 || s.l2 == 0 {
		d = math.Sqrt(ex*ex + ey*ey)
	} else if t >= s.l2 {
		fx, fy := px-s.x1, py-s.y1
		d = math.Sqrt(fx*fx + fy*fy)
	} else {
		d = math.Abs(ex*s.nx + ey*s.ny)
	}
	cov := s.rad - d
	switch {
	case cov <= 0:
		return 0
	case cov >= 1:
		return 256
	}
	// Rounded, so that outlines on exact half pixels (common in drawn
	// scenes) are not on a quantization step.
	return uint32(cov*256 + 0.5)
}

// clipSegment clips a segment to a rectangle (Liang–Barsky).
func clipSegment(x0, y0, x1, y1, minX, minY, maxX, maxY float64) (float64, float64, float64, float64, bool) {
	t0, t1 := 0.0, 1.0
	dx, dy := x1-x0, y1-y0
	for _, e := range [4][2]float64{{-dx, x0 - minX}, {dx, maxX - x0}, {-dy, y0 - minY}, {dy, maxY - y0}} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return 0, 0, 0, 0, false
			}
			continue
		}
		r := q / p
		if p < 0 {
			if r > t1 {
				return 0, 0, 0, 0, false
			}
			t0 = math.Max(t0, r)
		} else {
			if r < t0 {
				return 0, 0, 0, 0, false
			}
			t1 = math.Min(t1, r)
		}
	}
	return x0 + t0*dx, y0 + t0*dy, x0 + t1*dx, y0 + t1*dy, true
}

// stamp draws sprite sp centred on pixel (cx, cy).
func (b *band) stamp(cx, cy int, sp *sprite) {
	if cy+sp.maxY < b.y0 || cy+sp.minY >= b.y1 || cx+sp.maxX < b.x0 || cx+sp.minX >= b.x1 {
		return
	}
	if cy+sp.minY >= b.y0 && cy+sp.maxY < b.y1 && cx+sp.minX >= b.x0 && cx+sp.maxX < b.x1 {
		base := cy*b.stride + cx*4
		pix := b.pix
		for _, p := range sp.px {
			o := base + int(p.off)
			d := pix[o : o+4 : o+4]
			if ia := 255 - p.c.alpha(); ia == 0 {
				binary.LittleEndian.PutUint32(d, uint32(p.c))
			} else {
				binary.LittleEndian.PutUint32(d, uint32(p.c)+fade(binary.LittleEndian.Uint32(d), ia))
			}
		}
		return
	}
	for n, p := range sp.pos {
		x, y := cx+int(p[0]), cy+int(p[1])
		if x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1 {
			blend(b.pix, y*b.stride+x*4, sp.px[n].c)
		}
	}
}

// Markers.

// shapeExtent is how far a marker of radius 1 reaches from its centre.
func shapeExtent(s Shape) float64 {
	switch s {
	case Square:
		return squareHalf * math.Sqrt2
	case Triangle:
		return triangleCircum
	case Diamond:
		return diamondHalf
	}
	return 1
}

// Marker proportions, relative to the radius; chosen so that the four
// shapes cover roughly the same area and read as the same size.
const (
	squareHalf     = 0.89
	diamondHalf    = 1.25
	triangleCircum = 1.35
)

// markerExtent is how far a marker of style st reaches, in screen units.
func markerExtent(st Style) float64 {
	return st.radius() * shapeExtent(st.Shape)
}

// shapeDistance is an approximate signed distance (negative inside) from
// (x, y) to the outline of a marker of shape s and radius r, in the same
// units; exact inside, which is what matters for the outline band.
func shapeDistance(s Shape, x, y, r float64) float64 {
	switch s {
	case Square:
		return math.Max(math.Abs(x), math.Abs(y)) - r*squareHalf
	case Diamond:
		return (math.Abs(x) + math.Abs(y) - r*diamondHalf) / math.Sqrt2
	case Triangle:
		// Equilateral, pointing up (y grows down), centroid at the origin.
		in := r * triangleCircum / 2
		const s60, c60 = 0.8660254037844386, 0.5
		d := y - in
		d = math.Max(d, s60*x-c60*y-in)
		d = math.Max(d, -s60*x-c60*y-in)
		return d
	}
	return math.Hypot(x, y) - r
}

type spriteKey struct {
	st    Style
	scale float64
}

// sprite is a rasterized marker: its non-transparent pixels, as positions
// relative to the centre pixel and as byte offsets for the destination
// stride it was last used with, with their premultiplied colours.
type sprite struct {
	r int // the marker fits in [-r, r]²
	// Its pixels' offsets lie in [minX, maxX]×[minY, maxY].
	minX, minY, maxX, maxY int
	pos                    [][2]int16
	px                     []spritePixel
	stride                 int
}

type spritePixel struct {
	off int32
	c   premul
}

func (r *Renderer) sprite(st Style, scale float64, stride int) *sprite {
	st = st.look()
	k := spriteKey{st, scale}
	sp := r.sprites[k]
	if sp == nil {
		sp = newSprite(st, scale)
		r.sprites[k] = sp
	}
	sp.forStride(stride)
	return sp
}

// forStride computes the pixels' byte offsets for a destination stride.
func (sp *sprite) forStride(stride int) {
	if sp.stride == stride {
		return
	}
	sp.stride = stride
	for n, p := range sp.pos {
		sp.px[n].off = int32(int(p[1])*stride + int(p[0])*4)
	}
}

// ringSprite rasterizes a ring of radius rad and width w (pixels) in c,
// edged on both sides by a one-pixel line of edge: a selection marker
// that reads on any background.
func ringSprite(rad, w float64, c, edge color.NRGBA) *sprite {
	cr, cg, cb, ca := nrgbaF(c)
	er, eg, eb, ea := nrgbaF(edge)
	sp := &sprite{r: int(math.Ceil(rad + w/2 + 1.5)), stride: -1}
	sp.minX, sp.minY, sp.maxX, sp.maxY = -sp.r, -sp.r, sp.r, sp.r
	const ss = 4
	for y := -sp.r; y <= sp.r; y++ {
		for x := -sp.r; x <= sp.r; x++ {
			var in, on int
			for sy := range ss {
				for sx := range ss {
					px := float64(x) + (float64(sx)+0.5)/ss - 0.5
					py := float64(y) + (float64(sy)+0.5)/ss - 0.5
					d := math.Abs(math.Hypot(px, py) - rad)
					switch {
					case d <= w/2:
						in++
					case d <= w/2+1:
						on++
					}
				}
			}
			fi, fo := float64(in)/(ss*ss), float64(on)/(ss*ss)
			a := ca*fi + ea*fo
			if a*255 < 0.5 {
				continue
			}
			sp.pos = append(sp.pos, [2]int16{int16(x), int16(y)})
			sp.px = append(sp.px, spritePixel{c: pack(
				uint32(math.Round((cr*ca*fi+er*ea*fo)*255)),
				uint32(math.Round((cg*ca*fi+eg*ea*fo)*255)),
				uint32(math.Round((cb*ca*fi+eb*ea*fo)*255)),
				uint32(math.Round(a*255)),
			)})
		}
	}
	return sp
}

// newSprite rasterizes a marker centred on the centre of pixel (0, 0).
func newSprite(st Style, scale float64) *sprite {
	rad := st.radius() * scale
	ow := math.Max(st.strokeWidth()*scale, 0.5)
	fill := st.Fill
	line := st.Stroke
	if line.A == 0 {
		line = color.NRGBA{uint8(int(fill.R) * 3 / 5), uint8(int(fill.G) * 3 / 5), uint8(int(fill.B) * 3 / 5), fill.A}
	}
	fr, fg, fb, fa := nrgbaF(fill)
	lr, lg, lb, la := nrgbaF(line)
	sp := &sprite{r: int(math.Ceil(rad*shapeExtent(st.Shape) + 0.5)), stride: -1}
	sp.minX, sp.minY, sp.maxX, sp.maxY = -sp.r, -sp.r, sp.r, sp.r
	const ss = 4 // supersampling per axis
	for y := -sp.r; y <= sp.r; y++ {
		for x := -sp.r; x <= sp.r; x++ {
			var inFill, inLine int
			for sy := range ss {
				for sx := range ss {
					px := float64(x) + (float64(sx)+0.5)/ss - 0.5
					py := float64(y) + (float64(sy)+0.5)/ss - 0.5
					d := shapeDistance(st.Shape, px, py, rad)
					switch {
					case d <= -ow:
						inFill++
					case d <= 0:
						inLine++
					}
				}
			}
			cf, cl := float64(inFill)/(ss*ss), float64(inLine)/(ss*ss)
			a := fa*cf + la*cl
			if a*255 < 0.5 {
				continue
			}
			c := pack(
				uint32(math.Round((fr*fa*cf+lr*la*cl)*255)),
				uint32(math.Round((fg*fa*cf+lg*la*cl)*255)),
				uint32(math.Round((fb*fa*cf+lb*la*cl)*255)),
				uint32(math.Round(a*255)),
			)
			sp.pos = append(sp.pos, [2]int16{int16(x), int16(y)})
			sp.px = append(sp.px, spritePixel{c: c})
		}
	}
	return sp
}

func nrgbaF(c color.NRGBA) (r, g, b, a float64) {
	return float64(c.R) / 255, float64(c.G) / 255, float64(c.B) / 255, float64(c.A) / 255
}

// Reproject fills dst with src — an image rendered for view from — as it
// appears for view to, by nearest-neighbour resampling; pixels src does not
// cover get the Background. Both images use the same scale (pixels per
// screen unit). It is a fast stand-in while a real render is under way:
// a pure pan is a row copy.
func Reproject(dst, src *image.RGBA, from, to View, scale float64) {
	db, sb := dst.Bounds(), src.Bounds()
	if db.Empty() {
		return
	}
	if scale <= 0 {
		scale = 1
	}
	tf := from.transform(float64(sb.Dx()), float64(sb.Dy()), scale)
	tt := to.transform(float64(db.Dx()), float64(db.Dy()), scale)
	// src pixel = a·(dst pixel) + off, per axis.
	a := tf.k / tt.k
	cols := make([]int32, db.Dx())
	contiguous := math.Abs(a-1) < 1e-9
	for x := range cols {
		sx := int(math.Floor(tf.x(tt.mx(float64(x) + 0.5))))
		if sx < 0 || sx >= sb.Dx() {
			sx = -1
		}
		cols[x] = int32(sx)
	}
	bg := premultiply(Background)
	for y := range db.Dy() {
		drow := dst.Pix[dst.PixOffset(db.Min.X, db.Min.Y+y):]
		drow = drow[:db.Dx()*4]
		sy := int(math.Floor(tf.y(tt.my(float64(y) + 0.5))))
		if sy < 0 || sy >= sb.Dy() {
			span(drow, bg)
			continue
		}
		srow := src.Pix[src.PixOffset(sb.Min.X, sb.Min.Y+sy):]
		srow = srow[:sb.Dx()*4]
		if contiguous {
			// Find the covered run and copy it.
			x0 := 0
			for x0 < len(cols) && cols[x0] < 0 {
				x0++
			}
			x1 := x0
			for x1 < len(cols) && cols[x1] >= 0 {
				x1++
			}
			// floating-point rounding can repeat or skip a source column
			// even at scale 1: copy only a run that really is consecutive
			if x1 == x0 || int(cols[x1-1]-cols[x0]) == x1-1-x0 {
				span(drow[:x0*4], bg)
				if x1 > x0 {
					s0 := int(cols[x0])
					copy(drow[x0*4:x1*4], srow[s0*4:(s0+x1-x0)*4])
				}
				span(drow[x1*4:], bg)
				continue
			}
		}
		for x, sx := range cols {
			d := drow[x*4 : x*4+4 : x*4+4]
			if sx < 0 {
				binary.LittleEndian.PutUint32(d, uint32(bg))
				continue
			}
			s := srow[sx*4 : sx*4+4 : sx*4+4]
			d[0], d[1], d[2], d[3] = s[0], s[1], s[2], s[3]
		}
	}
}
