package mapview

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"sync"
)

// Clusters.
//
// A clustered point layer is cut, at a given zoom, into square cells of
// ClusterCell screen units anchored to the world's origin (so cells do not
// move while panning, and a frame and the strips drawn while panning agree
// on them). The points of a cell with two or more points become one
// cluster at their centroid. Clustering the whole layer costs a few
// milliseconds per 100,000 points; the last two zooms are cached in the
// Scene, so panning never recomputes it and a tap after a frame finds it
// ready.

// clustering is a layer's clusters at one zoom.
type clustering struct {
	zoom    float64
	cell    float64   // cell edge, Mercator units
	singles []int32   // points alone in their cell, ascending
	cl      []cluster // draw order: by count, then cell
	start   []int32   // cluster c has members[start[c]:start[c+1]], ascending
	members []int32
	of      []int32         // per point: its cluster, or -1
	byCell  map[int64]int32 // cell key → cluster
}

type cluster struct {
	x, y   float64 // centroid, Mercator
	n      int32
	style  int32 // the members' style that colours the cluster
	pulse  bool
	pstyle int32   // the highest-priority pulsing members' style
	radius float64 // screen units
}

func cellKey(cx, cy int64) int64 { return cy<<32 ^ (cx & 0xffffffff) }

// clusterRadius is the radius (screen units) of a cluster of n points in
// cells of the given size: growing with log n, within the cell.
func clusterRadius(n int32, cell float64) float64 {
	r := 8 + 2.5*math.Log2(float64(n))
	r = math.Min(r, 0.45*cell)
	return math.Round(r*2) / 2
}

type clusterCache struct {
	mu     sync.Mutex
	recent [2]*clustering
}

// clustersAt returns the layer's clustering at zoom, computing and caching
// it when needed.
func (ps *pointSet) clustersAt(zoom float64) *clustering {
	ps.clusters.mu.Lock()
	defer ps.clusters.mu.Unlock()
	for _, c := range ps.clusters.recent {
		if c != nil && c.zoom == zoom {
			return c
		}
	}
	c := ps.buildClusters(zoom)
	ps.clusters.recent[1] = ps.clusters.recent[0]
	ps.clusters.recent[0] = c
	return c
}

func (ps *pointSet) buildClusters(zoom float64) *clustering {
	n := ps.len()
	cell := ps.clusterCell / WorldSize(zoom)
	c := &clustering{zoom: zoom, cell: cell, of: make([]int32, n)}
	if n == 0 {
		return c
	}
	g := ps.grid.b
	cx0, cy0 := int64(math.Floor(g.minX/cell)), int64(math.Floor(g.minY/cell))
	nx := int64(math.Floor(g.maxX/cell)) - cx0 + 1
	ny := int64(math.Floor(g.maxY/cell)) - cy0 + 1
	cellOf := make([]int32, n)

	// Dense cell numbering when the grid is small enough, else a map.
	var counts []int32
	var ids map[int64]int32
	var keys []int64 // per dense/compact cell: its world cell key
	if nx*ny <= 1<<22 {
		counts = make([]int32, nx*ny)
		for i := range n {
			ix := min(nx-1, max(0, int64(math.Floor(ps.xs[i]/cell))-cx0))
			iy := min(ny-1, max(0, int64(math.Floor(ps.ys[i]/cell))-cy0))
			k := iy*nx + ix
			cellOf[i] = int32(k)
			counts[k]++
		}
	} else {
		ids = make(map[int64]int32)
		for i := range n {
			k := cellKey(int64(math.Floor(ps.xs[i]/cell)), int64(math.Floor(ps.ys[i]/cell)))
			id, ok := ids[k]
			if !ok {
				id = int32(len(counts))
				ids[k] = id
				counts = append(counts, 0)
				keys = append(keys, k)
			}
			cellOf[i] = id
			counts[id]++
		}
	}
	worldKey := func(k int32) int64 {
		if ids != nil {
			return keys[k]
		}
		return cellKey(cx0+int64(k)%nx, cy0+int64(k)/nx)
	}

	// Clusters: cells with two or more points, by count then cell.
	var cells []int32
	for k, cnt := range counts {
		if cnt >= 2 {
			cells = append(cells, int32(k))
		}
	}
	slices.SortFunc(cells, func(a, b int32) int {
		if d := cmp.Compare(counts[a], counts[b]); d != 0 {
			return d
		}
		return cmp.Compare(a, b)
	})
	clusterOf := make([]int32, len(counts))
	for k := range clusterOf {
		clusterOf[k] = -1
	}
	c.cl = make([]cluster, len(cells))
	c.byCell = make(map[int64]int32, len(cells))
	c.start = make([]int32, len(cells)+1)
	for id, k := range cells {
		clusterOf[k] = int32(id)
		c.byCell[worldKey(k)] = int32(id)
		c.cl[id].n = counts[k]
		c.start[id+1] = c.start[id] + counts[k]
	}
	c.members = make([]int32, c.start[len(cells)])
	next := slices.Clone(c.start[:len(cells)])
	nst := len(ps.styles)
	styleCount := make([]int32, len(cells)*nst)
	for i := range n {
		id := clusterOf[cellOf[i]]
		if id < 0 {
			c.of[i] = -1
			c.singles = append(c.singles, int32(i))
			continue
		}
		c.of[i] = id
		c.members[next[id]] = int32(i)
		next[id]++
		cl := &c.cl[id]
		cl.x += ps.xs[i]
		cl.y += ps.ys[i]
		st := ps.style(i)
		styleCount[int(id)*nst+int(st)]++
		if ps.styles[st].Pulse && (!cl.pulse || ps.styles[st].Priority > ps.styles[cl.pstyle].Priority) {
			cl.pulse, cl.pstyle = true, st
		}
	}
	for id := range c.cl {
		cl := &c.cl[id]
		cl.x /= float64(cl.n)
		cl.y /= float64(cl.n)
		cl.radius = clusterRadius(cl.n, ps.clusterCell)
		best := int32(-1)
		for st := range nst {
			cnt := styleCount[id*nst+st]
			if cnt == 0 {
				continue
			}
			if best < 0 {
				best = int32(st)
				continue
			}
			pb, pn := ps.styles[best].Priority, ps.styles[st].Priority
			if pn > pb || pn == pb && cnt > styleCount[id*nst+int(best)] {
				best = int32(st)
			}
		}
		cl.style = max(best, 0)
	}
	return c
}

// hit returns the top-most cluster whose circle (plus HitSlop) covers
// (mx, my), or -1; k is screen units per Mercator unit.
func (c *clustering) hit(mx, my, k float64) int {
	ix, iy := int64(math.Floor(mx/c.cell)), int64(math.Floor(my/c.cell))
	best := -1
	for dy := int64(-1); dy <= 1; dy++ {
		for dx := int64(-1); dx <= 1; dx++ {
			id, ok := c.byCell[cellKey(ix+dx, iy+dy)]
			if !ok || int(id) <= best {
				continue
			}
			cl := c.cl[id]
			r := (cl.radius + HitSlop) / k
			if ddx, ddy := cl.x-mx, cl.y-my; ddx*ddx+ddy*ddy <= r*r {
				best = int(id)
			}
		}
	}
	return best
}

// memberInts returns cluster id's members as ints.
func (c *clustering) memberInts(id int) []int {
	m := c.members[c.start[id]:c.start[id+1]]
	out := make([]int, len(m))
	for i, v := range m {
		out[i] = int(v)
	}
	return out
}

// clusterStyle is the marker style of a cluster of the given colour and
// radius: a disc with a white rim.
func clusterStyle(fill color.NRGBA, radius float64) Style {
	fill.A = 0xff // opaque: stamped without blending
	return Style{Fill: fill, Stroke: color.NRGBA{0xff, 0xff, 0xff, 0xff}, StrokeWidth: 2, Radius: float32(radius)}
}

// clusterText returns the count label of a cluster and its colour: dark
// on light fills, white on dark ones.
func clusterText(n int32, fill color.NRGBA) (string, color.NRGBA) {
	var s string
	switch {
	case n < 1000:
		s = fmt.Sprint(n)
	case n < 10000:
		s = fmt.Sprintf("%.1fk", float64(n)/1000)
	default:
		s = fmt.Sprintf("%dk", (n+500)/1000)
	}
	lum := 0.299*float64(fill.R) + 0.587*float64(fill.G) + 0.114*float64(fill.B)
	if lum > 170 {
		return s, color.NRGBA{0x1a, 0x1a, 0x1a, 0xff}
	}
	return s, color.NRGBA{0xff, 0xff, 0xff, 0xff}
}

// clusterTextSize is the count's text size (screen units) in a cluster.
func clusterTextSize(radius float64) float64 {
	return math.Max(9, math.Min(13, radius*0.8))
}
