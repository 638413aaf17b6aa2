package store

import (
	"context"
	"fmt"
	"griddesk/domain"
)

// PutEntity inserts or replaces an entity.
func (t *Tx) PutEntity(e *domain.Entity) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("store: put %w", err)
	}
	if e.UpdatedAt.IsZero() {
		e.UpdatedAt = fromMS(t.now)
	}
	if err := t.touch(domain.KindEntity, e.ID, e); err != nil {
		return err
	}
	if _, err := t.exec(upsertEntity,
		e.ID, e.Kind, e.Name, e.Address, e.Lon, e.Lat, e.GridID, jsonText(e.Tags), e.Code, e.QRToken, ms(e.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put entity %s: %w", e.ID, err)
	}
	return nil
}

const entityCols = `id, kind, name, address, lon, lat, grid_id, tags, code, qr_token, updated_at`

var upsertEntity = upsertSQL("entities", entityCols)

func scanEntity(sc interface{ Scan(...any) error }) (domain.Entity, error) {
	var e domain.Entity
	var tags string
	var upd int64
	if err := sc.Scan(&e.ID, &e.Kind, &e.Name, &e.Address, &e.Lon, &e.Lat, &e.GridID, &tags, &e.Code, &e.QRToken, &upd); err != nil {
		return e, err
	}
	var err error
	if e.Tags, err = fromJSONText[string](tags); err != nil {
		return e, fmt.Errorf("entity %s: tags: %w", e.ID, err)
	}
	e.UpdatedAt = fromMS(upd)
	return e, nil
}

// Entities returns every entity ordered by ID.
func (s *Store) Entities(ctx context.Context) ([]domain.Entity, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+entityCols+` FROM entities ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: entities: %w", err)
	}
	defer rows.Close()
	var out []domain.Entity
	for rows.Next() {
		e, err := scanEntity(rows)
		if err != nil {
			return nil, fmt.Errorf("store: entities: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: entities: %w", err)
	}
	return out, nil
}

// Entity returns one entity.
func (s *Store) Entity(ctx context.Context, id string) (domain.Entity, error) {
	e, err := scanEntity(s.db.QueryRowContext(ctx, `SELECT `+entityCols+` FROM entities WHERE id = ?`, id))
	if err != nil {
		return e, fmt.Errorf("store: entity %s: %w", id, notFound(err))
	}
	return e, nil
}
