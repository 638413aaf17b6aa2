package domain

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// GridScope says which entities are "in a grid and the grids below it":
//
//   - every entity whose GridID is the grid or one of its descendants
//     (grids linked to it through ParentID, at any depth — a base grid and
//     its micro grids);
//   - for an inspection or enforcement grid, which overlay the base/micro
//     tree without parent links, also every entity whose location lies in
//     the grid's boundary.
//
// A GridScope for the empty grid ID holds every entity (the whole town).
type GridScope struct {
	GridID  string
	ids     map[string]bool // the grid and its descendants
	overlay bool
	area    orb.MultiPolygon
	bound   orb.Bound
}

// Overlay reports whether a grid level lies over the base/micro tree rather
// than in it (its entities are found by location).
func Overlay(level string) bool {
	return level == LevelInspection || level == LevelEnforcement
}

// NewGridScope builds the scope of gridID from all grids. An unknown grid
// ID gives ErrNotFound.
func NewGridScope(grids []Grid, gridID string) (GridScope, error) {
	sc := GridScope{GridID: gridID}
	if gridID == "" {
		return sc, nil
	}
	children := map[string][]string{}
	var self *Grid
	for i := range grids {
		g := &grids[i]
		if g.ParentID != "" {
			children[g.ParentID] = append(children[g.ParentID], g.ID)
		}
		if g.ID == gridID {
			self = g
		}
	}
	if self == nil {
		return sc, fmt.Errorf("domain: grid %s: %w", gridID, ErrNotFound)
	}
	sc.ids = map[string]bool{gridID: true}
	queue := []string{gridID}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, c := range children[id] {
			if !sc.ids[c] { // a cycle in bad data must not loop forever
				sc.ids[c] = true
				queue = append(queue, c)
			}
		}
	}
	sc.setOverlay(self)
	return sc, nil
}

// ScopeOf is the scope of grid g given its descendants' IDs (g's own
// included), as a store finds them with a recursive query.
func ScopeOf(g Grid, ids map[string]bool) GridScope {
	sc := GridScope{GridID: g.ID, ids: ids}
	sc.setOverlay(&g)
	return sc
}

// OverlayBound is the bounding box of an overlay grid's boundary; ok is
// false for a grid in the base/micro tree.
func (sc GridScope) OverlayBound() (b orb.Bound, ok bool) { return sc.bound, sc.overlay }

func (sc *GridScope) setOverlay(g *Grid) {
	if Overlay(g.Level) && len(g.Geometry) > 0 {
		sc.overlay, sc.area, sc.bound = true, g.Geometry, g.Geometry.Bound()
	}
}

// All reports whether the scope is the whole town.
func (sc GridScope) All() bool { return sc.GridID == "" }

// GridIDs returns the grid and the grids below it (nil for the whole town).
func (sc GridScope) GridIDs() map[string]bool { return sc.ids }

// Contains reports whether e is in the scope.
func (sc GridScope) Contains(e *Entity) bool {
	if sc.GridID == "" || sc.ids[e.GridID] {
		return true
	}
	if !sc.overlay {
		return false
	}
	p := orb.Point{e.Lon, e.Lat}
	return sc.bound.Contains(p) && planar.MultiPolygonContains(sc.area, p)
}
