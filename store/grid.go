package store

import (
	"context"
	"errors"
	"fmt"
	"griddesk/domain"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/planar"
)

// PutGrid inserts or replaces a grid.
func (t *Tx) PutGrid(g *domain.Grid) error {
	if err := g.Validate(); err != nil {
		return fmt.Errorf("store: put %w", err)
	}
	if g.UpdatedAt.IsZero() {
		g.UpdatedAt = fromMS(t.now)
	}
	blob, err := wkb.Marshal(g.Geometry)
	if err != nil {
		return fmt.Errorf("store: put grid %s: encode boundary: %w", g.ID, err)
	}
	b := g.Geometry.Bound()
	if t.tx.pg { // PostGIS judges the boundary before it is kept
		var why string
		if err := t.tx.QueryRowContext(t.ctx, `SELECT ST_IsValidReason(ST_GeomFromWKB(?))`, blob).Scan(&why); err != nil {
			return fmt.Errorf("store: put grid %s: check boundary: %w", g.ID, err)
		}
		if why != "Valid Geometry" {
			return fmt.Errorf("store: put grid %s: %w: %s", g.ID, ErrInvalidBoundary, why)
		}
	}
	if err := t.touch(domain.KindGrid, g.ID, g); err != nil {
		return err
	}
	if _, err := t.exec(upsertGrid,
		g.ID, g.Name, g.Level, g.ParentID, g.Village, blob, b.Min[0], b.Min[1], b.Max[0], b.Max[1], ms(g.UpdatedAt), g.Town); err != nil {
		return fmt.Errorf("store: put grid %s: %w", g.ID, err)
	}
	return nil
}

// Grids returns every grid, ordered by level then ID.
func (s *Store) Grids(ctx context.Context) ([]domain.Grid, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+gridCols+` FROM grids ORDER BY level, id`)
	if err != nil {
		return nil, fmt.Errorf("store: grids: %w", err)
	}
	defer rows.Close()
	var out []domain.Grid
	for rows.Next() {
		g, err := scanGrid(rows)
		if err != nil {
			return nil, fmt.Errorf("store: grids: %w", err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: grids: %w", err)
	}
	return out, nil
}

const gridCols = `id, name, level, parent_id, village, geom, updated_at, town`

var upsertGrid = upsertSQL("grids", `id, name, level, parent_id, village, geom, min_lon, min_lat, max_lon, max_lat, updated_at, town`)

func scanGrid(sc interface{ Scan(...any) error }) (domain.Grid, error) {
	var g domain.Grid
	var blob []byte
	var upd int64
	if err := sc.Scan(&g.ID, &g.Name, &g.Level, &g.ParentID, &g.Village, &blob, &upd, &g.Town); err != nil {
		return g, err
	}
	geom, err := wkb.Unmarshal(blob)
	if err != nil {
		return g, fmt.Errorf("grid %s: decode boundary: %w", g.ID, err)
	}
	switch v := geom.(type) {
	case orb.MultiPolygon:
		g.Geometry = v
	case orb.Polygon:
		g.Geometry = orb.MultiPolygon{v}
	default:
		return g, fmt.Errorf("grid %s: boundary is %s", g.ID, geom.GeoJSONType())
	}
	g.UpdatedAt = fromMS(upd)
	return g, nil
}

// ErrInvalidBoundary is returned on PostgreSQL when PostGIS finds a grid's
// boundary invalid (a ring crossing itself, holes outside their shell…);
// the error names the reason and the place.
var ErrInvalidBoundary = errors.New("boundary is not a valid polygon")

// GridsAt returns the grids whose boundary holds a point, finest level
// last: PostGIS ST_Contains over the grids' GiST index on PostgreSQL, the
// bounding boxes then the polygons on SQLite.
func (s *Store) GridsAt(ctx context.Context, lon, lat float64) ([]domain.Grid, error) {
	q := `SELECT ` + gridCols + ` FROM grids WHERE ? BETWEEN min_lon AND max_lon AND ? BETWEEN min_lat AND max_lat`
	if s.db.pg {
		q = `SELECT ` + gridCols + ` FROM grids WHERE ST_Contains(shape, ST_SetSRID(ST_MakePoint(?, ?), 4326))`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id`, lon, lat)
	if err != nil {
		return nil, fmt.Errorf("store: grids at %v,%v: %w", lon, lat, err)
	}
	defer rows.Close()
	var out []domain.Grid
	for rows.Next() {
		g, err := scanGrid(rows)
		if err != nil {
			return nil, fmt.Errorf("store: grids at %v,%v: %w", lon, lat, err)
		}
		if s.db.pg || planar.MultiPolygonContains(g.Geometry, orb.Point{lon, lat}) {
			out = append(out, g)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: grids at %v,%v: %w", lon, lat, err)
	}
	rank := map[string]int{}
	for i, l := range domain.GridLevels {
		rank[l] = i
	}
	sort.SliceStable(out, func(i, j int) bool { return rank[out[i].Level] < rank[out[j].Level] })
	return out, nil
}

// EntitiesIn returns the entities in a box (the map's view), by ID: the
// points' GiST index (PostGIS &&) on PostgreSQL.
func (s *Store) EntitiesIn(ctx context.Context, b orb.Bound) ([]domain.Entity, error) {
	q := `SELECT ` + entityCols + ` FROM entities WHERE lon BETWEEN ? AND ? AND lat BETWEEN ? AND ? ORDER BY id`
	args := []any{b.Min[0], b.Max[0], b.Min[1], b.Max[1]}
	if s.db.pg {
		q = `SELECT ` + entityCols + ` FROM entities WHERE pt && ST_MakeEnvelope(?, ?, ?, ?, 4326) ORDER BY id`
		args = []any{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: entities in %v: %w", b, err)
	}
	defer rows.Close()
	var out []domain.Entity
	for rows.Next() {
		e, err := scanEntity(rows)
		if err != nil {
			return nil, fmt.Errorf("store: entities in %v: %w", b, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// GridsStamp changes whenever a grid is written or removed: the journal
// sequence of the latest grid change (0 with none, or without a journal).
// It is cheap (one index range), so a server can ask it before placing a
// case to notice grids that another process or node changed.
func (s *Store) GridsStamp(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM changes WHERE kind = ?`, domain.KindGrid).Scan(&seq); err != nil {
		return 0, fmt.Errorf("store: grids stamp: %w", err)
	}
	return seq, nil
}
