package seed

import (
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
)

// lattice is a warped rectangular mesh of vertices in lon/lat: cells share
// their edges exactly, so grids built from it tile the town with no gaps.
type lattice struct {
	cols, rows int
	v          [][]orb.Point // [row][col], (rows+1)×(cols+1)
}

// frame converts metres east/north of a centre into lon/lat.
type frame struct {
	center orb.Point
	mLon   float64 // metres per degree of longitude
	mLat   float64
}

func newFrame(center orb.Point) frame {
	return frame{center: center, mLat: 110940, mLon: 111320 * math.Cos(center[1]*math.Pi/180)}
}

func (f frame) point(east, north float64) orb.Point {
	return orb.Point{f.center[0] + east/f.mLon, f.center[1] + north/f.mLat}
}

func newLattice(r *rand.Rand, f frame, cols, rows int, cell float64) *lattice {
	l := &lattice{cols: cols, rows: rows, v: make([][]orb.Point, rows+1)}
	w, h := float64(cols)*cell, float64(rows)*cell
	for y := 0; y <= rows; y++ {
		l.v[y] = make([]orb.Point, cols+1)
		for x := 0; x <= cols; x++ {
			e := float64(x)*cell - w/2
			n := float64(y)*cell - h/2
			// a gentle large-scale warp, then a per-vertex jitter
			e += 0.25 * cell * math.Sin(n/(2.7*cell))
			n += 0.20 * cell * math.Cos(e/(3.1*cell))
			e += (r.Float64() - 0.5) * 0.36 * cell
			n += (r.Float64() - 0.5) * 0.36 * cell
			l.v[y][x] = f.point(e, n)
		}
	}
	return l
}

// quad returns the corners of cell (x, y) counter-clockwise from bottom-left.
func (l *lattice) quad(x, y int) [4]orb.Point {
	return [4]orb.Point{l.v[y][x], l.v[y][x+1], l.v[y+1][x+1], l.v[y+1][x]}
}

// bilinear maps (u, v) in [0,1]² onto a quad.
func bilinear(q [4]orb.Point, u, v float64) orb.Point {
	return orb.Point{
		(1-u)*(1-v)*q[0][0] + u*(1-v)*q[1][0] + u*v*q[2][0] + (1-u)*v*q[3][0],
		(1-u)*(1-v)*q[0][1] + u*(1-v)*q[1][1] + u*v*q[2][1] + (1-u)*v*q[3][1],
	}
}

// subdivide splits a quad into nx×ny cells; interior vertices get a jitter,
// vertices on the quad's edges stay on them so the parts nest exactly.
func subdivide(r *rand.Rand, q [4]orb.Point, nx, ny int) [][4]orb.Point {
	pts := make([][]orb.Point, ny+1)
	for j := 0; j <= ny; j++ {
		pts[j] = make([]orb.Point, nx+1)
		for i := 0; i <= nx; i++ {
			u, v := float64(i)/float64(nx), float64(j)/float64(ny)
			if i > 0 && i < nx {
				u += (r.Float64() - 0.5) * 0.3 / float64(nx)
			}
			if j > 0 && j < ny {
				v += (r.Float64() - 0.5) * 0.3 / float64(ny)
			}
			pts[j][i] = bilinear(q, u, v)
		}
	}
	var out [][4]orb.Point
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			out = append(out, [4]orb.Point{pts[j][i], pts[j][i+1], pts[j+1][i+1], pts[j+1][i]})
		}
	}
	return out
}

func quadPolygon(q [4]orb.Point) orb.MultiPolygon {
	return orb.MultiPolygon{{orb.Ring{q[0], q[1], q[2], q[3], q[0]}}}
}

type cellID struct{ x, y int }

// outline returns the boundary of a set of lattice cells as a MultiPolygon:
// the edges that belong to exactly one cell of the set, chained into rings.
func (l *lattice) outline(cells []cellID) orb.MultiPolygon {
	type vid struct{ x, y int }
	type edge struct{ a, b vid }
	in := map[cellID]bool{}
	for _, c := range cells {
		in[c] = true
	}
	next := map[vid][]vid{}
	for _, c := range cells {
		corners := [4]vid{{c.x, c.y}, {c.x + 1, c.y}, {c.x + 1, c.y + 1}, {c.x, c.y + 1}}
		neigh := [4]cellID{{c.x, c.y - 1}, {c.x + 1, c.y}, {c.x, c.y + 1}, {c.x - 1, c.y}}
		for i := 0; i < 4; i++ {
			if !in[neigh[i]] {
				a, b := corners[i], corners[(i+1)%4]
				next[a] = append(next[a], b)
			}
		}
	}
	var mp orb.MultiPolygon
	for len(next) > 0 {
		var start vid
		first := true
		for k := range next {
			if first || k.y < start.y || (k.y == start.y && k.x < start.x) {
				start, first = k, false
			}
		}
		ring := orb.Ring{l.v[start.y][start.x]}
		cur := start
		for {
			outs := next[cur]
			if len(outs) == 0 {
				break
			}
			nxt := outs[0]
			if len(outs) == 1 {
				delete(next, cur)
			} else {
				next[cur] = outs[1:]
			}
			ring = append(ring, l.v[nxt.y][nxt.x])
			cur = nxt
			if cur == start {
				break
			}
		}
		mp = append(mp, orb.Polygon{ring})
	}
	return mp
}
