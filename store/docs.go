package store

import (
	"context"
	"fmt"
	"griddesk/domain"
	"strings"
	"time"
)

// Read queries for the printed documents (inspection reports, rectification
// notices, door plates) and the statistics.

// Inspection returns one inspection.
func (s *Store) Inspection(ctx context.Context, id string) (domain.Inspection, error) {
	in, err := scanInspection(s.db.QueryRowContext(ctx, `SELECT `+inspectionCols+` FROM inspections WHERE id = ?`, id))
	if err != nil {
		return in, fmt.Errorf("store: inspection %s: %w", id, notFound(err))
	}
	return in, nil
}

// InspectionsBetween returns every inspection made in [from, to), oldest
// first. A zero from or to leaves that end open.
func (s *Store) InspectionsBetween(ctx context.Context, from, to time.Time) ([]domain.Inspection, error) {
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
	var out []domain.Inspection
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
func (s *Store) FindingsOf(ctx context.Context, inspectionID string) ([]domain.Finding, error) {
	return s.queryFindings(ctx, `SELECT `+findingCols+` FROM findings WHERE inspection_id = ? ORDER BY id`, inspectionID)
}

// AllFindings returns every hazard, by ID.
func (s *Store) AllFindings(ctx context.Context) ([]domain.Finding, error) {
	return s.queryFindings(ctx, `SELECT `+findingCols+` FROM findings ORDER BY id`)
}

func (s *Store) queryFindings(ctx context.Context, q string, args ...any) ([]domain.Finding, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: findings: %w", err)
	}
	defer rows.Close()
	var out []domain.Finding
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
func (s *Store) Grid(ctx context.Context, id string) (domain.Grid, error) {
	g, err := scanGrid(s.db.QueryRowContext(ctx, `SELECT `+gridCols+` FROM grids WHERE id = ?`, id))
	if err != nil {
		return g, fmt.Errorf("store: grid %s: %w", id, notFound(err))
	}
	return g, nil
}

// EntitiesInGrid returns the entities in a grid and the grids below it
// (GridScope), ordered by grid then ID. An unknown grid gives ErrNotFound.
func (s *Store) EntitiesInGrid(ctx context.Context, gridID string) ([]domain.Entity, error) {
	g, err := s.Grid(ctx, gridID)
	if err != nil {
		return nil, err
	}
	// the grid and its descendants
	rows, err := s.db.QueryContext(ctx, `WITH RECURSIVE sub(id) AS (SELECT id FROM grids WHERE id = ? UNION SELECT g.id FROM grids g JOIN sub ON g.parent_id = sub.id)
		SELECT id FROM sub`, gridID)
	if err != nil {
		return nil, fmt.Errorf("store: entities in grid %s: %w", gridID, err)
	}
	sub := map[string]bool{}
	var ids []any
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: entities in grid %s: %w", gridID, err)
		}
		sub[id] = true
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: entities in grid %s: %w", gridID, err)
	}
	sc := domain.ScopeOf(g, sub)
	var out []domain.Entity
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
	if b, ok := sc.OverlayBound(); ok {
		if s.db.pg { // PostGIS: the points in the boundary, through the GiST index
			where += ` OR ST_Intersects(pt, (SELECT shape FROM grids WHERE id = ?))`
			ids = append(ids, gridID)
		} else {
			where += ` OR (lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?)`
			ids = append(ids, b.Min[0], b.Max[0], b.Min[1], b.Max[1])
		}
	}
	if err := add(`SELECT `+entityCols+` FROM entities WHERE `+where+` ORDER BY grid_id, id`, ids...); err != nil {
		return nil, fmt.Errorf("store: entities in grid %s: %w", gridID, err)
	}
	return out, nil
}
