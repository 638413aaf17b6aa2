package mapview

import (
	"math"
	"math/bits"
	"slices"
)

// Spatial indexes.
//
// Points are indexed by a uniform grid over the layer's bound (about
// pointsPerCell points per cell on average, square cells, stored as
// compressed rows: cell c owns items[start[c]:start[c+1]], each cell's
// items in ascending point order). A uniform grid suits the data: town and
// city points are spread fairly evenly over a bounded area, building one is
// a counting sort (O(n)), and a query is a loop over cells with no
// pointer chasing.
//
// Polygons (and routes) are indexed by a uniform grid too (boxGrid): each
// item is listed in every cell its bound touches, cells sized after the
// items' median size so that an item touches a few cells. Frames query it
// for culling (a strip uncovered by a pan touches a few dozen polygons of
// thousands) and taps for the few polygons under a position.

const pointsPerCell = 4

// maxGridSide caps the grid at maxGridSide² cells.
const maxGridSide = 2048

type pointGrid struct {
	b      mbound
	inv    float64 // cells per normalized unit
	nx, ny int
	start  []int32
	items  []int32
}

func newPointGrid(xs, ys []float64, b mbound) *pointGrid {
	n := len(xs)
	if n == 0 {
		return nil
	}
	w, h := b.maxX-b.minX, b.maxY-b.minY
	cells := math.Max(1, float64(n)/pointsPerCell)
	var cell float64
	switch {
	case w > 0 && h > 0:
		cell = math.Sqrt(w * h / cells)
	case w > 0 || h > 0:
		cell = math.Max(w, h) / cells
	default:
		cell = 1 // all points coincide
	}
	cell = math.Max(cell, math.Max(w, h)/maxGridSide)
	g := &pointGrid{b: b, inv: 1 / cell}
	g.nx = min(maxGridSide, max(1, int(math.Ceil(w*g.inv))))
	g.ny = min(maxGridSide, max(1, int(math.Ceil(h*g.inv))))

	// Counting sort by cell; stable, so each cell lists points in order.
	cellOf := make([]int32, n)
	g.start = make([]int32, g.nx*g.ny+1)
	for i := range n {
		c := g.cell(xs[i], ys[i])
		cellOf[i] = int32(c)
		g.start[c+1]++
	}
	for c := 1; c < len(g.start); c++ {
		g.start[c] += g.start[c-1]
	}
	g.items = make([]int32, n)
	next := make([]int32, g.nx*g.ny)
	copy(next, g.start)
	for i, c := range cellOf {
		g.items[next[c]] = int32(i)
		next[c]++
	}
	return g
}

func (g *pointGrid) col(x float64) int {
	return min(g.nx-1, max(0, int((x-g.b.minX)*g.inv)))
}

func (g *pointGrid) row(y float64) int {
	return min(g.ny-1, max(0, int((y-g.b.minY)*g.inv)))
}

func (g *pointGrid) cell(x, y float64) int { return g.row(y)*g.nx + g.col(x) }

// covers reports whether q contains every point of the grid.
func (g *pointGrid) covers(q mbound) bool {
	return q.minX <= g.b.minX && q.minY <= g.b.minY && q.maxX >= g.b.maxX && q.maxY >= g.b.maxY
}

// each calls fn with every point in the cells that q touches (a superset
// of the points inside q), in no particular order.
func (g *pointGrid) each(q mbound, fn func(i int32)) {
	if g == nil || !q.intersects(g.b) {
		return
	}
	c0, c1, r0, r1 := g.col(q.minX), g.col(q.maxX), g.row(q.minY), g.row(q.maxY)
	for r := r0; r <= r1; r++ {
		for _, i := range g.items[g.start[r*g.nx+c0]:g.start[r*g.nx+c1+1]] {
			fn(i)
		}
	}
}

// drain appends the indexes of the bits set in marks[lo..hi], in ascending
// order, to buf and clears them.
func drain(marks []uint64, lo, hi int, buf []int32) []int32 {
	for w := lo; w <= hi && w < len(marks); w++ {
		m := marks[w]
		if m == 0 {
			continue
		}
		marks[w] = 0
		for m != 0 {
			b := bits.TrailingZeros64(m)
			buf = append(buf, int32(w<<6+b))
			m &= m - 1
		}
	}
	return buf
}

// query returns the points in the cells that q touches, in ascending
// order, appended to buf[:0]. all is true (and the slice nil) when q covers
// the whole grid and callers should simply loop over every point. marks is
// scratch space: a bitset of at least n bits, all zero, left all zero.
//
// Ordering matters because the draw order within a layer is the point
// order; a bitset makes it O(found + n/64) instead of a sort.
func (g *pointGrid) query(q mbound, buf []int32, marks []uint64) (found []int32, all bool) {
	buf = buf[:0]
	if g == nil || !q.intersects(g.b) {
		return buf, false
	}
	if g.covers(q) {
		return nil, true
	}
	c0, c1, r0, r1 := g.col(q.minX), g.col(q.maxX), g.row(q.minY), g.row(q.maxY)
	lo, hi := len(marks), 0
	for r := r0; r <= r1; r++ {
		// Cells c0..c1 of a row are contiguous in items.
		for _, i := range g.items[g.start[r*g.nx+c0]:g.start[r*g.nx+c1+1]] {
			w := int(i >> 6)
			marks[w] |= 1 << (uint(i) & 63)
			lo, hi = min(lo, w), max(hi, w)
		}
	}
	return drain(marks, lo, hi, buf), false
}

// boxGrid indexes items by their bounds.
type boxGrid struct {
	b      mbound
	inv    float64
	nx, ny int
	start  []int32
	items  []int32
	n      int // number of items
}

// maxBoxCells caps the number of cells of a boxGrid.
const maxBoxCells = 1 << 20

func newBoxGrid(bounds []mbound, lb mbound) *boxGrid {
	n := len(bounds)
	if n == 0 || lb.empty() {
		return nil
	}
	w, h := lb.maxX-lb.minX, lb.maxY-lb.minY
	// Cell edge: the median of the items' larger sides, no smaller than
	// what keeps the grid within maxBoxCells.
	sides := make([]float64, 0, n)
	for _, b := range bounds {
		if !b.empty() {
			sides = append(sides, math.Max(b.maxX-b.minX, b.maxY-b.minY))
		}
	}
	if len(sides) == 0 {
		return nil
	}
	slices.Sort(sides)
	cell := sides[len(sides)/2]
	cell = math.Max(cell, math.Sqrt(math.Max(w*h, 1e-300)/maxBoxCells))
	cell = math.Max(cell, math.Max(w, h)/4096)
	if cell <= 0 {
		cell = 1
	}
	g := &boxGrid{b: lb, inv: 1 / cell, n: n}
	g.nx = max(1, min(4096, int(math.Ceil(w*g.inv))))
	g.ny = max(1, min(4096, int(math.Ceil(h*g.inv))))
	g.start = make([]int32, g.nx*g.ny+1)
	each := func(b mbound, fn func(c int)) {
		c0, c1, r0, r1 := g.col(b.minX), g.col(b.maxX), g.row(b.minY), g.row(b.maxY)
		for r := r0; r <= r1; r++ {
			for c := c0; c <= c1; c++ {
				fn(r*g.nx + c)
			}
		}
	}
	for _, b := range bounds {
		if !b.empty() {
			each(b, func(c int) { g.start[c+1]++ })
		}
	}
	for c := 1; c < len(g.start); c++ {
		g.start[c] += g.start[c-1]
	}
	g.items = make([]int32, g.start[len(g.start)-1])
	next := slices.Clone(g.start[:len(g.start)-1])
	for i, b := range bounds {
		if !b.empty() {
			each(b, func(c int) {
				g.items[next[c]] = int32(i)
				next[c]++
			})
		}
	}
	return g
}

func (g *boxGrid) col(x float64) int {
	return min(g.nx-1, max(0, int((x-g.b.minX)*g.inv)))
}

func (g *boxGrid) row(y float64) int {
	return min(g.ny-1, max(0, int((y-g.b.minY)*g.inv)))
}

// at returns the items whose cell holds (x, y), ascending; nil outside.
func (g *boxGrid) at(x, y float64) []int32 {
	if g == nil || x < g.b.minX || x > g.b.maxX || y < g.b.minY || y > g.b.maxY {
		return nil
	}
	c := g.row(y)*g.nx + g.col(x)
	return g.items[g.start[c]:g.start[c+1]]
}

// query returns the items listed in the cells q touches (a superset of the
// items whose bound intersects q), ascending, appended to buf[:0]. marks
// is a zeroed bitset of at least n bits, left zeroed.
func (g *boxGrid) query(q mbound, buf []int32, marks []uint64) []int32 {
	buf = buf[:0]
	if g == nil || !q.intersects(g.b) {
		return buf
	}
	c0, c1, r0, r1 := g.col(q.minX), g.col(q.maxX), g.row(q.minY), g.row(q.maxY)
	if c0 == 0 && r0 == 0 && c1 == g.nx-1 && r1 == g.ny-1 {
		// Everything: spare the marks.
		for i := range g.n {
			buf = append(buf, int32(i))
		}
		return buf
	}
	lo, hi := len(marks), 0
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			k := r*g.nx + c
			for _, i := range g.items[g.start[k]:g.start[k+1]] {
				w := int(i >> 6)
				marks[w] |= 1 << (uint(i) & 63)
				lo, hi = min(lo, w), max(hi, w)
			}
		}
	}
	return drain(marks, lo, hi, buf)
}
