package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"
)

// Grid levels (DESIGN.md §2).
const (
	LevelBase        = "base"        // 基础网格
	LevelMicro       = "micro"       // 微网格
	LevelInspection  = "inspection"  // 检查网格
	LevelEnforcement = "enforcement" // 执法保障网格
)

// GridLevels lists the levels from coarse to fine for drawing order.
var GridLevels = []string{LevelEnforcement, LevelInspection, LevelBase, LevelMicro}

// Grid is one governance grid 网格 with its boundary.
type Grid struct {
	ID        string           `json:"id"`
	Name      string           `json:"name"`
	Level     string           `json:"level"`
	ParentID  string           `json:"parent_id,omitempty"`
	Village   string           `json:"village,omitempty"`
	Geometry  orb.MultiPolygon `json:"-"`
	UpdatedAt time.Time        `json:"updated_at"`
}

type gridJSON struct {
	*gridAlias
	Geometry *geojson.Geometry `json:"geometry"`
}
type gridAlias Grid

// MarshalJSON writes the boundary as a GeoJSON geometry.
func (g Grid) MarshalJSON() ([]byte, error) {
	return json.Marshal(gridJSON{gridAlias: (*gridAlias)(&g), Geometry: geojson.NewGeometry(g.Geometry)})
}

// UnmarshalJSON reads a grid with a GeoJSON Polygon or MultiPolygon boundary.
func (g *Grid) UnmarshalJSON(b []byte) error {
	v := gridJSON{gridAlias: (*gridAlias)(g)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.Geometry == nil {
		return fmt.Errorf("grid %q: geometry missing", g.ID)
	}
	switch geom := v.Geometry.Geometry().(type) {
	case orb.MultiPolygon:
		g.Geometry = geom
	case orb.Polygon:
		g.Geometry = orb.MultiPolygon{geom}
	default:
		return fmt.Errorf("grid %q: geometry is %s, want Polygon or MultiPolygon", g.ID, v.Geometry.Type)
	}
	return nil
}

// Validate checks the fields a grid must have.
func (g *Grid) Validate() error {
	switch {
	case g.ID == "":
		return fmt.Errorf("grid: id is empty")
	case g.Name == "":
		return fmt.Errorf("grid %s: name is empty", g.ID)
	case g.Level != LevelBase && g.Level != LevelMicro && g.Level != LevelInspection && g.Level != LevelEnforcement:
		return fmt.Errorf("grid %s: level %q is not one of base, micro, inspection, enforcement", g.ID, g.Level)
	case len(g.Geometry) == 0:
		return fmt.Errorf("grid %s: boundary is empty", g.ID)
	}
	return nil
}

// PutGrid inserts or replaces a grid.
func (t *Tx) PutGrid(g *Grid) error {
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
	if _, err := t.exec(`INSERT OR REPLACE INTO grids
		(id, name, level, parent_id, village, geom, min_lon, min_lat, max_lon, max_lat, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
		g.ID, g.Name, g.Level, g.ParentID, g.Village, blob, b.Min[0], b.Min[1], b.Max[0], b.Max[1], ms(g.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put grid %s: %w", g.ID, err)
	}
	return t.record(KindGrid, g.ID, g)
}

// Grids returns every grid, ordered by level then ID.
func (s *Store) Grids(ctx context.Context) ([]Grid, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, level, parent_id, village, geom, updated_at
		FROM grids ORDER BY level, id`)
	if err != nil {
		return nil, fmt.Errorf("store: grids: %w", err)
	}
	defer rows.Close()
	var out []Grid
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

func scanGrid(sc interface{ Scan(...any) error }) (Grid, error) {
	var g Grid
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
