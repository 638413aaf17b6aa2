package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/store"
	"griddesk/store/storetest"
)

// TestSpatialQueries: point-in-grid and box queries answer the same on
// both engines (PostGIS ST_Contains and && on PostgreSQL).
func TestSpatialQueries(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, true)
	err := s.Update(ctx, func(tx *store.Tx) error {
		for _, g := range []domain.Grid{
			{ID: "B1", Name: "基础", Level: domain.LevelBase, Geometry: square(120, 30, 0.1)},
			{ID: "M1", Name: "微", Level: domain.LevelMicro, ParentID: "B1", Geometry: square(120, 30, 0.05)},
			{ID: "B2", Name: "基础二", Level: domain.LevelBase, Geometry: square(120.1, 30, 0.1)},
		} {
			if err := tx.PutGrid(&g); err != nil {
				return err
			}
		}
		for i, p := range []orb.Point{{120.01, 30.01}, {120.07, 30.07}, {120.15, 30.05}} {
			if err := tx.PutEntity(&domain.Entity{ID: string(rune('a' + i)), Kind: domain.KindShop, Name: "店", Lon: p[0], Lat: p[1], Code: domain.CodeGreen}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		p    orb.Point
		want []string
	}{{orb.Point{120.01, 30.01}, []string{"B1", "M1"}}, {orb.Point{120.07, 30.07}, []string{"B1"}}, {orb.Point{120.15, 30.05}, []string{"B2"}}, {orb.Point{121, 31}, nil}} {
		gs, err := s.GridsAt(ctx, c.p[0], c.p[1])
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, g := range gs {
			got = append(got, g.ID)
		}
		if len(got) != len(c.want) || (len(got) > 0 && (got[0] != c.want[0] || got[len(got)-1] != c.want[len(c.want)-1])) {
			t.Errorf("grids at %v = %v, want %v (coarse to fine)", c.p, got, c.want)
		}
	}
	es, err := s.EntitiesIn(ctx, orb.Bound{Min: orb.Point{120, 30}, Max: orb.Point{120.1, 30.1}})
	if err != nil || len(es) != 2 || es[0].ID != "a" || es[1].ID != "b" {
		t.Errorf("entities in the box = %v, %v", es, err)
	}
}

// TestPostGISRefusesInvalidBoundary: on PostgreSQL a grid whose ring
// crosses itself is refused with PostGIS's reason.
func TestPostGISRefusesInvalidBoundary(t *testing.T) {
	storetest.Only(t, store.EnginePostgres)
	s := openTemp(t, true)
	bowtie := orb.MultiPolygon{{{{120, 30}, {120.1, 30.1}, {120.1, 30}, {120, 30.1}, {120, 30}}}}
	err := s.Update(context.Background(), func(tx *store.Tx) error {
		return tx.PutGrid(&domain.Grid{ID: "X", Name: "蝴蝶", Level: domain.LevelBase, Geometry: bowtie})
	})
	if !errors.Is(err, store.ErrInvalidBoundary) {
		t.Fatalf("bow-tie boundary: err = %v, want ErrInvalidBoundary", err)
	}
	t.Log(err)
}
