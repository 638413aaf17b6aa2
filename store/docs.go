package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/planar"
)

// Read queries for the printed documents (inspection reports, rectification
// notices, door plates) and the statistics.

// Inspection returns one inspection.
func (s *Store) Inspection(ctx context.Context, id string) (Inspection, error) {
	in, err := scanInspection(s.db.QueryRowContext(ctx, `SELECT `+inspectionCols+` FROM inspections WHERE id = ?`, id))
	if err != nil {
		return in, fmt.Errorf("store: inspection %s: %w", id, notFound(err))
	}
	return in, nil
}

// InspectionsBetween returns every inspection made in [from, to), oldest
// first. A zero from or to leaves that end open.
func (s *Store) InspectionsBetween(ctx context.Context, from, to time.Time) ([]Inspection, error) {
	lo, hi := int64(-1<<62), int64(1<<62)
	if !from.IsZero() {
		lo = from.UnixMilli()
	}
	if !to.IsZero() {
		hi = to.UnixMilli()
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+inspectionCols+` FROM inspections WHERE at >= ? AND at < ? ORDER BY at, id`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: inspections between: %w", err)
	}
	defer rows.Close()
	var out []Inspection
	for rows.Next() {
		in, err := scanInspection(rows)
		if err != nil {
			return nil, fmt.Errorf("store: inspections between: %w", err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// FindingsOf returns the hazards recorded at one inspection, by ID.
func (s *Store) FindingsOf(ctx context.Context, inspectionID string) ([]Finding, error) {
	return s.queryFindings(ctx, `SELECT `+findingCols+` FROM findings WHERE inspection_id = ? ORDER BY id`, inspectionID)
}

// AllFindings returns every hazard, by ID.
func (s *Store) AllFindings(ctx context.Context) ([]Finding, error) {
	return s.queryFindings(ctx, `SELECT `+findingCols+` FROM findings ORDER BY id`)
}

func (s *Store) queryFindings(ctx context.Context, q string, args ...any) ([]Finding, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: findings: %w", err)
	}
	defer rows.Close()
	var out []Finding
	for rows.Next() {
		f, err := scanFinding(rows)
		if err != nil {
			return nil, fmt.Errorf("store: findings: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Grid returns one grid with its boundary.
func (s *Store) Grid(ctx context.Context, id string) (Grid, error) {
	var g Grid
	var blob []byte
	var upd int64
	err := s.db.QueryRowContext(ctx, `SELECT id, name, level, parent_id, village, geom, updated_at FROM grids WHERE id = ?`, id).
		Scan(&g.ID, &g.Name, &g.Level, &g.ParentID, &g.Village, &blob, &upd)
	if err != nil {
		return g, fmt.Errorf("store: grid %s: %w", id, notFound(err))
	}
	if g.Geometry, err = decodeBoundary(blob); err != nil {
		return g, fmt.Errorf("store: grid %s: %w", id, err)
	}
	g.UpdatedAt = fromMS(upd)
	return g, nil
}

func decodeBoundary(blob []byte) (orb.MultiPolygon, error) {
	geom, err := wkb.Unmarshal(blob)
	if err != nil {
		return nil, fmt.Errorf("decode boundary: %w", err)
	}
	switch v := geom.(type) {
	case orb.MultiPolygon:
		return v, nil
	case orb.Polygon:
		return orb.MultiPolygon{v}, nil
	}
	return nil, fmt.Errorf("boundary is %s", geom.GeoJSONType())
}

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
		return sc, fmt.Errorf("store: grid %s: %w", gridID, ErrNotFound)
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

// EntitiesInGrid returns the entities in a grid and the grids below it
// (GridScope), ordered by grid then ID. An unknown grid gives ErrNotFound.
func (s *Store) EntitiesInGrid(ctx context.Context, gridID string) ([]Entity, error) {
	g, err := s.Grid(ctx, gridID)
	if err != nil {
		return nil, err
	}
	// the grid and its descendants
	rows, err := s.db.QueryContext(ctx, `WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT g.id FROM grids g JOIN sub ON g.parent_id = sub.id)
		SELECT id FROM sub`, gridID)
	if err != nil {
		return nil, fmt.Errorf("store: entities in grid %s: %w", gridID, err)
	}
	sc := GridScope{GridID: gridID, ids: map[string]bool{}}
	var ids []any
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: entities in grid %s: %w", gridID, err)
		}
		sc.ids[id] = true
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: entities in grid %s: %w", gridID, err)
	}
	sc.setOverlay(&g)
	var out []Entity
	add := func(q string, args ...any) error {
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEntity(rows)
			if err != nil {
				return err
			}
			if sc.Contains(&e) {
				out = append(out, e)
			}
		}
		return rows.Err()
	}
	// SQLite allows 32766 parameters; a subtree is far smaller.
	where := `grid_id IN (?` + strings.Repeat(",?", len(ids)-1) + `)`
	if sc.overlay {
		b := sc.bound
		where += ` OR (lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?)`
		ids = append(ids, b.Min[0], b.Max[0], b.Min[1], b.Max[1])
	}
	if err := add(`SELECT `+entityCols+` FROM entities WHERE `+where+` ORDER BY grid_id, id`, ids...); err != nil {
		return nil, fmt.Errorf("store: entities in grid %s: %w", gridID, err)
	}
	return out, nil
}
