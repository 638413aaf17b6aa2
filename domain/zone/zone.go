// Package zone finds the grid that contains a point: entities, cases and
// workers belong to the grid their location falls in (DESIGN.md §2).
//
// The index buckets grid bounding boxes into a uniform cell raster over the
// covered area, so a lookup tests only the few polygons whose boxes hold the
// point; 100,000 points against 3,106 grids take a fraction of a second.
package zone

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"griddesk/domain"
)

// Index answers "which grid of this level holds the point".
type Index struct {
	levels map[string]*levelIndex
}

type levelIndex struct {
	grids  []domain.Grid
	bounds []orb.Bound
	box    orb.Bound
	nx, ny int
	cellW  float64
	cellH  float64
	cells  [][]int32
}

// New indexes grids by level.
func New(grids []domain.Grid) *Index {
	by := map[string][]domain.Grid{}
	for _, g := range grids {
		by[g.Level] = append(by[g.Level], g)
	}
	ix := &Index{levels: map[string]*levelIndex{}}
	for level, gs := range by {
		ix.levels[level] = newLevel(gs)
	}
	return ix
}

func newLevel(gs []domain.Grid) *levelIndex {
	li := &levelIndex{grids: gs, bounds: make([]orb.Bound, len(gs))}
	for i, g := range gs {
		li.bounds[i] = g.Geometry.Bound()
		if i == 0 {
			li.box = li.bounds[i]
		} else {
			li.box = li.box.Union(li.bounds[i])
		}
	}
	// about one cell per grid, so a cell holds a handful of candidates
	side := int(math.Ceil(math.Sqrt(float64(len(gs)))))
	li.nx, li.ny = max(side, 1), max(side, 1)
	li.cellW = (li.box.Max[0] - li.box.Min[0]) / float64(li.nx)
	li.cellH = (li.box.Max[1] - li.box.Min[1]) / float64(li.ny)
	li.cells = make([][]int32, li.nx*li.ny)
	for i, b := range li.bounds {
		x0, y0 := li.cell(b.Min)
		x1, y1 := li.cell(b.Max)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				li.cells[y*li.nx+x] = append(li.cells[y*li.nx+x], int32(i))
			}
		}
	}
	return li
}

func (li *levelIndex) cell(p orb.Point) (int, int) {
	x, y := 0, 0
	if li.cellW > 0 {
		x = int((p[0] - li.box.Min[0]) / li.cellW)
	}
	if li.cellH > 0 {
		y = int((p[1] - li.box.Min[1]) / li.cellH)
	}
	return min(max(x, 0), li.nx-1), min(max(y, 0), li.ny-1)
}

// Locate returns the grid of the given level that holds p.
func (ix *Index) Locate(p orb.Point, level string) (domain.Grid, bool) {
	li := ix.levels[level]
	if li == nil || !li.box.Contains(p) {
		return domain.Grid{}, false
	}
	x, y := li.cell(p)
	for _, i := range li.cells[y*li.nx+x] {
		if li.bounds[i].Contains(p) && planar.MultiPolygonContains(li.grids[i].Geometry, p) {
			return li.grids[i], true
		}
	}
	return domain.Grid{}, false
}

// Finest returns the finest grid holding p: micro, else base, else any.
func (ix *Index) Finest(p orb.Point) (domain.Grid, bool) {
	for _, level := range []string{domain.LevelMicro, domain.LevelBase, domain.LevelInspection, domain.LevelEnforcement} {
		if g, ok := ix.Locate(p, level); ok {
			return g, true
		}
	}
	return domain.Grid{}, false
}

// Assign sets each entity's grid to the finest grid holding it and returns
// the indexes of entities that fall outside every grid.
func (ix *Index) Assign(es []domain.Entity) (outside []int) {
	for i := range es {
		g, ok := ix.Finest(orb.Point{es[i].Lon, es[i].Lat})
		if !ok {
			es[i].GridID = ""
			outside = append(outside, i)
			continue
		}
		es[i].GridID = g.ID
	}
	return outside
}
