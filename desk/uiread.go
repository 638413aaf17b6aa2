package desk

import (
	"context"
	"fmt"

	"github.com/paulmach/orb"

	"griddesk/domain"
)

// The map's layers one at a time, for screens that re-read only the layer
// whose rows changed (MapData reads them all at once).

// Grids lists every grid in the local copy.
func (d *Desk) Grids(ctx context.Context) ([]domain.Grid, error) {
	gs, err := d.cache.Grids(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: grids: %w", err)
	}
	return gs, nil
}

// HazardPoints are where the entities with open hazards are (the heat
// layer).
func (d *Desk) HazardPoints(ctx context.Context) ([]orb.Point, error) {
	hz, err := d.cache.OpenHazardPoints(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: hazard points: %w", err)
	}
	pts := make([]orb.Point, len(hz))
	for i, p := range hz {
		pts[i] = orb.Point(p)
	}
	return pts, nil
}
