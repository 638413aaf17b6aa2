package store

import (
	"context"
	"fmt"
	"griddesk/domain"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
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
	if err := t.touch(domain.KindGrid, g.ID, g); err != nil {
		return err
	}
	if _, err := t.exec(`INSERT OR REPLACE INTO grids
		(id, name, level, parent_id, village, geom, min_lon, min_lat, max_lon, max_lat, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
		g.ID, g.Name, g.Level, g.ParentID, g.Village, blob, b.Min[0], b.Min[1], b.Max[0], b.Max[1], ms(g.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put grid %s: %w", g.ID, err)
	}
	return nil
}

// Grids returns every grid, ordered by level then ID.
func (s *Store) Grids(ctx context.Context) ([]domain.Grid, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, level, parent_id, village, geom, updated_at
		FROM grids ORDER BY level, id`)
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

const gridCols = `id, name, level, parent_id, village, geom, updated_at`

func scanGrid(sc interface{ Scan(...any) error }) (domain.Grid, error) {
	var g domain.Grid
	var blob []byte
	var upd int64
	if err := sc.Scan(&g.ID, &g.Name, &g.Level, &g.ParentID, &g.Village, &blob, &upd); err != nil {
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
