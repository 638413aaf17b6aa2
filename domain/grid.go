package domain

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/paulmach/orb"
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

	// Town is the town 镇街 the grid lies in, in a city's database; empty
	// in a database of one town. A desk's scope is made of towns.
	Town string `json:"town,omitempty"`
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
	if err := CheckText(g.Name, MaxName); err != nil {
		return fmt.Errorf("grid %s: name %w", g.ID, err)
	}
	return nil
}
