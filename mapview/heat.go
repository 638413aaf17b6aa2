package mapview

import (
	"encoding/binary"
	"image/color"
	"math"
	"sync"
)

// Heat layers.
//
// The density is sampled on a coarse lattice of nodes every few pixels,
// anchored to the world (node i sits at world pixel i·step at the frame's
// zoom), and interpolated bilinearly between nodes; each point adds
// w·(1-d²/R²)² to the nodes within R. Because the lattice is anchored to
// the world and the sums run in point order, a strip drawn after a pan
// matches a full frame. Blocks whose four nodes are empty are skipped.

type heatSet struct {
	xs, ys, ws []float64
	radius     float64 // screen units
	max        float64 // 0: auto
	lut        [256]premul
	grid       *pointGrid

	mu     sync.Mutex
	scales [2]heatScale // recent auto maxima
}

type heatScale struct {
	key heatKey
	max float64
}

type heatKey struct{ zoom, scale float64 }

func newHeatLayer(l *HeatLayer) *sceneLayer {
	n := len(l.Points)
	hs := &heatSet{xs: make([]float64, n), ys: make([]float64, n), ws: make([]float64, n), max: l.Max}
	lb := emptyMBound()
	for i, p := range l.Points {
		x, y := mercator(p)
		hs.xs[i], hs.ys[i] = x, y
		hs.ws[i] = 1
		if i < len(l.Weights) {
			hs.ws[i] = l.Weights[i]
		}
		lb.extend(x, y)
	}
	hs.radius = float64(l.Radius)
	if hs.radius <= 0 {
		hs.radius = DefaultHeatRadius
	}
	ramp := l.Ramp
	if len(ramp) == 0 {
		ramp = DefaultHeatRamp
	}
	hs.lut = rampLUT(ramp)
	hs.grid = newPointGrid(hs.xs, hs.ys, lb)
	return &sceneLayer{id: l.ID, minZoom: l.MinZoom, maxZoom: l.MaxZoom, bound: lb, heat: hs}
}

// rampLUT spreads the ramp's colours evenly over 256 premultiplied
// entries; entry 0 is always transparent (no density, no paint).
func rampLUT(ramp []color.NRGBA) [256]premul {
	var lut [256]premul
	if len(ramp) == 1 {
		ramp = []color.NRGBA{{}, ramp[0]}
	}
	for i := 1; i < 256; i++ {
		f := float64(i) / 255 * float64(len(ramp)-1)
		k := min(int(f), len(ramp)-2)
		u := f - float64(k)
		a, b := ramp[k], ramp[k+1]
		mix := func(x, y uint8) float64 { return float64(x)*(1-u) + float64(y)*u }
		al := mix(a.A, b.A)
		// Interpolate premultiplied, so fading to transparent keeps the hue.
		pm := func(x, y, ax, ay uint8) uint32 {
			return uint32(math.Round((float64(x)*float64(ax)*(1-u) + float64(y)*float64(ay)*u) / 255))
		}
		lut[i] = pack(pm(a.R, b.R, a.A, b.A), pm(a.G, b.G, a.A, b.A), pm(a.B, b.B, a.A, b.A), uint32(math.Round(al)))
	}
	return lut
}

// scaleAt returns the density mapped to the top of the ramp at zoom: Max,
// or an estimate over the whole layer — the largest weight summed over a
// cell of the kernel's radius, which a hot spot reaches — cached.
func (hs *heatSet) scaleAt(zoom, scale float64) float64 {
	if hs.max > 0 {
		return hs.max
	}
	key := heatKey{zoom, scale}
	hs.mu.Lock()
	defer hs.mu.Unlock()
	for _, s := range hs.scales {
		if s.key == key && s.max > 0 {
			return s.max
		}
	}
	cell := hs.radius / WorldSize(zoom) // the same at any scale
	sums := make(map[int64]float64)
	best := 0.0
	for i := range hs.xs {
		k := cellKey(int64(math.Floor(hs.xs[i]/cell)), int64(math.Floor(hs.ys[i]/cell)))
		sums[k] += hs.ws[i]
		best = math.Max(best, sums[k])
	}
	best = math.Max(best*0.7, 1e-9)
	hs.scales[1] = hs.scales[0]
	hs.scales[0] = heatScale{key, best}
	return best
}

// heatScratch is a band's lattice.
type heatScratch struct {
	v    []float32
	idx  []int32
	fx   []float32
	runs []heatRun
}

// heat draws heat layer hs over the band; peak is the density at the top
// of the ramp.
func (b *band) heat(hs *heatSet, t transform, scale, peak float64) {
	rad := hs.radius * scale // pixels
	step := math.Max(2, math.Round(rad/6))
	// World pixel of pixel x's centre: x + 0.5 + offX.
	offX, offY := t.cx*t.k-t.ox, t.cy*t.k-t.oy
	ix0 := int64(math.Floor((float64(b.x0) + 0.5 + offX) / step))
	ix1 := int64(math.Floor((float64(b.x1)-0.5+offX)/step)) + 1
	iy0 := int64(math.Floor((float64(b.y0) + 0.5 + offY) / step))
	iy1 := int64(math.Floor((float64(b.y1)-0.5+offY)/step)) + 1
	nx, ny := int(ix1-ix0+1), int(iy1-iy0+1)
	if nx <= 0 || ny <= 0 {
		return
	}
	hsc := &b.sc.heat
	if cap(hsc.v) < nx*ny {
		hsc.v = make([]float32, nx*ny)
	}
	v := hsc.v[:nx*ny]
	clear(v)

	// Points whose kernel reaches a node of the band, in point order.
	q := mbound{
		(float64(ix0)*step - rad) / t.k, (float64(iy0)*step - rad) / t.k,
		(float64(ix1)*step + rad) / t.k, (float64(iy1)*step + rad) / t.k,
	}
	if need := (len(hs.xs) + 63) / 64; len(b.sc.marks) < need {
		b.sc.marks = make([]uint64, need)
	}
	idx, all := hs.grid.query(q, hsc.idx, b.sc.marks)
	hsc.idx = idx
	inv := 1 / (rad * rad)
	add := func(i int) {
		px, py := hs.xs[i]*t.k, hs.ys[i]*t.k // world pixels
		w := float32(hs.ws[i])
		a0 := max(ix0, int64(math.Ceil((px-rad)/step)))
		a1 := min(ix1, int64(math.Floor((px+rad)/step)))
		c0 := max(iy0, int64(math.Ceil((py-rad)/step)))
		c1 := min(iy1, int64(math.Floor((py+rad)/step)))
		for iy := c0; iy <= c1; iy++ {
			dy := float64(iy)*step - py
			row := v[int(iy-iy0)*nx:]
			for ix := a0; ix <= a1; ix++ {
				dx := float64(ix)*step - px
				d := 1 - (dx*dx+dy*dy)*inv
				if d > 0 {
					row[ix-ix0] += w * float32(d*d)
				}
			}
		}
	}
	if all {
		for i := range hs.xs {
			add(i)
		}
	} else {
		for _, i := range idx {
			add(int(i))
		}
	}

	// Colour the pixels, block by block between nodes. The node column and
	// fraction of every pixel column are the same on every row.
	cols := b.x1 - b.x0
	if cap(hsc.fx) < cols {
		hsc.fx = make([]float32, cols)
	}
	fxs := hsc.fx[:cols]
	runs := hsc.runs[:0]
	for x := b.x0; x < b.x1; x++ {
		wx := (float64(x) + 0.5 + offX) / step
		jx := int(int64(math.Floor(wx)) - ix0)
		fxs[x-b.x0] = float32(wx - math.Floor(wx))
		if n := len(runs); n > 0 && runs[n-1].j == jx {
			runs[n-1].x1 = x + 1
		} else {
			runs = append(runs, heatRun{jx, x, x + 1})
		}
	}
	hsc.runs = runs
	k := float32(255 / peak)
	for y := b.y0; y < b.y1; y++ {
		wy := (float64(y) + 0.5 + offY) / step
		jy := int(int64(math.Floor(wy)) - iy0)
		fy := float32(wy - math.Floor(wy))
		if jy < 0 || jy+1 >= ny {
			continue
		}
		r0, r1 := v[jy*nx:(jy+1)*nx], v[(jy+1)*nx:(jy+2)*nx]
		row := b.pix[y*b.stride:]
		for _, run := range runs {
			jx := run.j
			if jx < 0 || jx+1 >= nx {
				continue
			}
			a, bb, c, d := r0[jx], r0[jx+1], r1[jx], r1[jx+1]
			if a == 0 && bb == 0 && c == 0 && d == 0 {
				continue
			}
			top := (a + (c-a)*fy) * k
			bot := (bb + (d-bb)*fy) * k
			for x := run.x0; x < run.x1; x++ {
				val := top + (bot-top)*fxs[x-b.x0]
				if val < 1 {
					continue
				}
				li := 255
				if val < 255 {
					li = int(val)
				}
				cc := hs.lut[li]
				o := x * 4
				p := row[o : o+4 : o+4]
				if ia := 255 - cc.alpha(); ia == 0 {
					binary.LittleEndian.PutUint32(p, uint32(cc))
				} else {
					binary.LittleEndian.PutUint32(p, uint32(cc)+fade(binary.LittleEndian.Uint32(p), ia))
				}
			}
		}
	}
}

// heatRun is a run of pixel columns [x0, x1) between node columns j, j+1.
type heatRun struct{ j, x0, x1 int }
