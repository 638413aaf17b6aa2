package store

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Entity kinds 监管对象.
const (
	KindShop       = "shop"       // 商铺
	KindEnterprise = "enterprise" // 企业
	KindRental     = "rental"     // 出租屋
	KindVenue      = "venue"      // 三小场所
)

// Three-colour codes 三色码.
const (
	CodeGreen  = "green"
	CodeYellow = "yellow"
	CodeRed    = "red"
)

// Entity is a supervised object with a door QR code and a colour code.
type Entity struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Name      string    `json:"name"`
	Address   string    `json:"address,omitempty"`
	Lon       float64   `json:"lon"`
	Lat       float64   `json:"lat"`
	GridID    string    `json:"grid_id,omitempty"`
	Tags      []string  `json:"tags,omitempty"`
	Code      string    `json:"code"`
	QRToken   string    `json:"qr_token,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks the fields an entity must have.
func (e *Entity) Validate() error {
	switch {
	case e.ID == "":
		return fmt.Errorf("entity: id is empty")
	case e.Name == "":
		return fmt.Errorf("entity %s: name is empty", e.ID)
	case e.Kind != KindShop && e.Kind != KindEnterprise && e.Kind != KindRental && e.Kind != KindVenue:
		return fmt.Errorf("entity %s: kind %q is not one of shop, enterprise, rental, venue", e.ID, e.Kind)
	case e.Code != CodeGreen && e.Code != CodeYellow && e.Code != CodeRed:
		return fmt.Errorf("entity %s: code %q is not one of green, yellow, red", e.ID, e.Code)
	case !validLonLat(e.Lon, e.Lat):
		return fmt.Errorf("entity %s: location %v,%v is not a longitude/latitude", e.ID, e.Lon, e.Lat)
	}
	return nil
}

func validLonLat(lon, lat float64) bool {
	return !math.IsNaN(lon) && !math.IsNaN(lat) && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90
}

// PutEntity inserts or replaces an entity.
func (t *Tx) PutEntity(e *Entity) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("store: put %w", err)
	}
	if e.UpdatedAt.IsZero() {
		e.UpdatedAt = fromMS(t.now)
	}
	if _, err := t.exec(`INSERT OR REPLACE INTO entities
		(id, kind, name, address, lon, lat, grid_id, tags, code, qr_token, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
		e.ID, e.Kind, e.Name, e.Address, e.Lon, e.Lat, e.GridID, jsonText(e.Tags), e.Code, e.QRToken, ms(e.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put entity %s: %w", e.ID, err)
	}
	return t.record(KindEntity, e.ID, e)
}

const entityCols = `id, kind, name, address, lon, lat, grid_id, tags, code, qr_token, updated_at`

func scanEntity(sc interface{ Scan(...any) error }) (Entity, error) {
	var e Entity
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
func (s *Store) Entities(ctx context.Context) ([]Entity, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+entityCols+` FROM entities ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: entities: %w", err)
	}
	defer rows.Close()
	var out []Entity
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
func (s *Store) Entity(ctx context.Context, id string) (Entity, error) {
	e, err := scanEntity(s.db.QueryRowContext(ctx, `SELECT `+entityCols+` FROM entities WHERE id = ?`, id))
	if err != nil {
		return e, fmt.Errorf("store: entity %s: %w", id, notFound(err))
	}
	return e, nil
}
