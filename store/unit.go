package store

import (
	"context"
	"fmt"
	"griddesk/domain"
)

// PutUnit inserts or replaces a unit.
func (t *Tx) PutUnit(u *domain.Unit) error {
	if u.ID == "" || u.Name == "" {
		return fmt.Errorf("store: put unit %q: id and name are required", u.ID)
	}
	switch u.Kind {
	case domain.UnitDepartment, domain.UnitTeam, domain.UnitSquad, domain.UnitStation:
	default:
		return fmt.Errorf("store: put unit %s: kind %q is not one of department, team, squad, station", u.ID, u.Kind)
	}
	if u.UpdatedAt.IsZero() {
		u.UpdatedAt = fromMS(t.now)
	}
	if err := t.touch(domain.KindUnit, u.ID, u); err != nil {
		return err
	}
	if _, err := t.exec(upsertSQL("units", unitCols), u.ID, u.Name, u.Kind, u.Department, u.ParentID, jsonText(u.GridIDs), ms(u.UpdatedAt), u.Town); err != nil {
		return fmt.Errorf("store: put unit %s: %w", u.ID, err)
	}
	return nil
}

// Units returns every unit ordered by ID.
func (s *Store) Units(ctx context.Context) ([]domain.Unit, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+unitCols+` FROM units ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: units: %w", err)
	}
	defer rows.Close()
	var out []domain.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("store: units: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

const unitCols = `id, name, kind, department, parent_id, grid_ids, updated_at, town`

func scanUnit(sc interface{ Scan(...any) error }) (domain.Unit, error) {
	var u domain.Unit
	var grids string
	var upd int64
	if err := sc.Scan(&u.ID, &u.Name, &u.Kind, &u.Department, &u.ParentID, &grids, &upd, &u.Town); err != nil {
		return u, err
	}
	var err error
	if u.GridIDs, err = fromJSONText[string](grids); err != nil {
		return u, fmt.Errorf("unit %s: grid_ids: %w", u.ID, err)
	}
	u.UpdatedAt = fromMS(upd)
	return u, nil
}

// Unit returns one unit.
func (s *Store) Unit(ctx context.Context, id string) (domain.Unit, error) {
	u, err := scanUnit(s.db.QueryRowContext(ctx, `SELECT `+unitCols+` FROM units WHERE id = ?`, id))
	if err != nil {
		return u, fmt.Errorf("store: unit %s: %w", id, notFound(err))
	}
	return u, nil
}
