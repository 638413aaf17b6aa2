package zone_test

import (
	"testing"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/domain/zone"
	"griddesk/seed"
)

var now = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func TestAssignMatchesGenerator(t *testing.T) {
	d := seed.Town(3, now)
	want := make([]string, len(d.Entities))
	for i, e := range d.Entities {
		want[i] = e.GridID
	}
	ix := zone.New(d.Grids)
	if out := ix.Assign(d.Entities); len(out) != 0 {
		t.Fatalf("%d entities outside every grid", len(out))
	}
	for i, e := range d.Entities {
		if e.GridID != want[i] {
			t.Fatalf("entity %s assigned to %s, generated in %s", e.ID, e.GridID, want[i])
		}
	}
}

func TestLocate(t *testing.T) {
	sq := func(x, y float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}}}
	}
	ix := zone.New([]domain.Grid{
		{ID: "A", Level: domain.LevelBase, Geometry: sq(0, 0)},
		{ID: "B", Level: domain.LevelBase, Geometry: sq(1, 0)},
		{ID: "a1", Level: domain.LevelMicro, Geometry: sq(0, 0)},
	})
	tests := []struct {
		p     orb.Point
		level string
		want  string
	}{
		{orb.Point{0.5, 0.5}, domain.LevelBase, "A"},
		{orb.Point{1.5, 0.5}, domain.LevelBase, "B"},
		{orb.Point{0.5, 0.5}, domain.LevelMicro, "a1"},
		{orb.Point{1.5, 0.5}, domain.LevelMicro, ""},
		{orb.Point{5, 5}, domain.LevelBase, ""},
		{orb.Point{0.5, 0.5}, domain.LevelEnforcement, ""},
	}
	for _, tt := range tests {
		g, ok := ix.Locate(tt.p, tt.level)
		if (tt.want == "") == ok || g.ID != tt.want {
			t.Errorf("Locate(%v, %s) = %q %v, want %q", tt.p, tt.level, g.ID, ok, tt.want)
		}
	}
	if g, _ := ix.Finest(orb.Point{1.5, 0.5}); g.ID != "B" {
		t.Errorf("Finest fell back to %q, want B", g.ID)
	}
}

func BenchmarkAssignCity(b *testing.B) {
	d := seed.City(1, now)
	ix := zone.New(d.Grids)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if out := ix.Assign(d.Entities); len(out) != 0 {
			b.Fatalf("%d outside", len(out))
		}
	}
}
