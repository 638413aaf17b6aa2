package store

import (
	"context"
	"fmt"
	"time"
)

// Unit kinds: departments 职能部门 own categories; teams, squads and stations do the work.
const (
	UnitDepartment = "department" // 职能部门
	UnitTeam       = "team"       // 检查组
	UnitSquad      = "squad"      // 执法中队
	UnitStation    = "station"    // 村网格工作站
)

// Unit is a department, inspection team, enforcement squad or village station.
type Unit struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Kind       string    `json:"kind"`
	Department string    `json:"department,omitempty"` // department key, e.g. "fire"
	ParentID   string    `json:"parent_id,omitempty"`
	GridIDs    []string  `json:"grid_ids,omitempty"` // grids the unit answers for
	UpdatedAt  time.Time `json:"updated_at"`
}

// PutUnit inserts or replaces a unit.
func (t *Tx) PutUnit(u *Unit) error {
	if u.ID == "" || u.Name == "" {
		return fmt.Errorf("store: put unit %q: id and name are required", u.ID)
	}
	switch u.Kind {
	case UnitDepartment, UnitTeam, UnitSquad, UnitStation:
	default:
		return fmt.Errorf("store: put unit %s: kind %q is not one of department, team, squad, station", u.ID, u.Kind)
	}
	if u.UpdatedAt.IsZero() {
		u.UpdatedAt = fromMS(t.now)
	}
	if _, err := t.exec(`INSERT OR REPLACE INTO units (id, name, kind, department, parent_id, grid_ids, updated_at)
		VALUES (?,?,?,?,?,?,?)`, u.ID, u.Name, u.Kind, u.Department, u.ParentID, jsonText(u.GridIDs), ms(u.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put unit %s: %w", u.ID, err)
	}
	return t.record(KindUnit, u.ID, u)
}

// Units returns every unit ordered by ID.
func (s *Store) Units(ctx context.Context) ([]Unit, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, kind, department, parent_id, grid_ids, updated_at FROM units ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: units: %w", err)
	}
	defer rows.Close()
	var out []Unit
	for rows.Next() {
		var u Unit
		var grids string
		var upd int64
		if err := rows.Scan(&u.ID, &u.Name, &u.Kind, &u.Department, &u.ParentID, &grids, &upd); err != nil {
			return nil, fmt.Errorf("store: units: %w", err)
		}
		if u.GridIDs, err = fromJSONText[string](grids); err != nil {
			return nil, fmt.Errorf("store: unit %s: grid_ids: %w", u.ID, err)
		}
		u.UpdatedAt = fromMS(upd)
		out = append(out, u)
	}
	return out, rows.Err()
}
