package mapview

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestHitTest(t *testing.T) {
	layers := smallLayers()
	// Two more markers overlapping each other, and a layer above everything
	// that only shows from zoom 18.
	places := layers[1].(*PointLayer)
	places.Points = append(places.Points, at(60.5, 135.5), at(62.5, 135.5), at(120.5, 60.5))
	places.Styles = append(places.Styles, Style{Fill: colRed}, Style{Fill: colBlue}, Style{Fill: colGreen})
	layers = append(layers, &PolygonLayer{ID: "detail", Polygons: []orb.MultiPolygon{rect(0, 0, 200, 150)}, MinZoom: 18})
	s := NewScene(layers...)

	hit := func(x, y float64, hidden map[string]bool) (Hit, bool) {
		return s.HitTest(sceneView, sceneW, sceneH, x, y, hidden)
	}
	for _, tc := range []struct {
		name   string
		x, y   float64
		hidden map[string]bool
		want   Hit
		ok     bool
	}{
		{"background", 190, 140, nil, Hit{}, false},
		{"A only", 30, 60, nil, Hit{Layer: "areas", Index: 0}, true},
		{"B only", 120, 100, nil, Hit{Layer: "areas", Index: 1}, true},
		{"overlap: B is on top", 70, 60, nil, Hit{Layer: "areas", Index: 1}, true},
		{"circle centre", 160.5, 30.5, nil, Hit{Layer: "places", Index: 0}, true},
		{"within radius+3", 160.5 + 7.5, 30.5, nil, Hit{Layer: "places", Index: 0}, true},
		{"beyond radius+3", 160.5 + 8.5, 30.5, nil, Hit{}, false},
		{"square", 170.5, 80.5, nil, Hit{Layer: "places", Index: 1}, true},
		{"marker over polygon", 121, 61, nil, Hit{Layer: "places", Index: 6}, true},
		{"overlapping markers: later on top", 61.5, 135.5, nil, Hit{Layer: "places", Index: 5}, true},
		{"hidden markers: polygon below", 121, 61, map[string]bool{"places": true}, Hit{Layer: "areas", Index: 1}, true},
		{"hidden markers: nothing below", 160.5, 30.5, map[string]bool{"places": true}, Hit{}, false},
		{"hidden polygons", 30, 60, map[string]bool{"areas": true}, Hit{}, false},
	} {
		got, ok := hit(tc.x, tc.y, tc.hidden)
		if !got.Equal(tc.want) || ok != tc.ok {
			t.Errorf("%s: HitTest(%v,%v) = %v, %v; want %v, %v", tc.name, tc.x, tc.y, got, ok, tc.want, tc.ok)
		}
	}

	// At zoom 18 the top layer "detail" covers everything.
	v := sceneView
	v.Zoom = 18
	if got, ok := s.HitTest(v, sceneW, sceneH, 160.5, 30.5, nil); !ok || !got.Equal(Hit{Layer: "detail", Index: 0}) {
		t.Errorf("zoom 18: %v, %v", got, ok)
	}
}

func TestHitTestHole(t *testing.T) {
	outer := orb.Ring{at(20, 20), at(180, 20), at(180, 130), at(20, 130), at(20, 20)}
	hole := orb.Ring{at(60, 50), at(60, 100), at(140, 100), at(140, 50), at(60, 50)}
	s := NewScene(PolygonLayer{ID: "holed", Polygons: []orb.MultiPolygon{
		{{outer, hole}, {{at(90, 70), at(110, 70), at(110, 80), at(90, 80)}}}, // an island in the hole, unclosed ring
	}})
	for _, tc := range []struct {
		x, y float64
		ok   bool
	}{{40, 40, true}, {70, 60, false}, {100, 75, true}, {190, 75, false}} {
		if _, ok := s.HitTest(sceneView, sceneW, sceneH, tc.x, tc.y, nil); ok != tc.ok {
			t.Errorf("(%v,%v): hit %v; want %v", tc.x, tc.y, ok, tc.ok)
		}
	}
}

func TestPointGridQuery(t *testing.T) {
	s := NewScene(synthCity(linpuC, 8, 5.5, 100, 5000, 0)...)
	ps := s.layers[1].points
	marks := make([]uint64, (ps.len()+63)/64)
	q := mbound{ps.grid.b.minX + 0.3*(ps.grid.b.maxX-ps.grid.b.minX), ps.grid.b.minY + 0.2*(ps.grid.b.maxY-ps.grid.b.minY), 0, 0}
	q.maxX = q.minX + 0.25*(ps.grid.b.maxX-ps.grid.b.minX)
	q.maxY = q.minY + 0.4*(ps.grid.b.maxY-ps.grid.b.minY)
	found, all := ps.grid.query(q, nil, marks)
	if all {
		t.Fatal("partial query reported all")
	}
	in := map[int32]bool{}
	for k, i := range found {
		if k > 0 && found[k-1] >= i {
			t.Fatalf("query result not ascending at %d", k)
		}
		in[i] = true
	}
	for i := range ps.xs {
		inside := ps.xs[i] >= q.minX && ps.xs[i] <= q.maxX && ps.ys[i] >= q.minY && ps.ys[i] <= q.maxY
		if inside && !in[int32(i)] {
			t.Fatalf("point %d inside the query was not found", i)
		}
	}
	for _, m := range marks {
		if m != 0 {
			t.Fatal("marks not cleared")
		}
	}
	if _, all := ps.grid.query(q.pad(1), nil, marks); !all {
		t.Error("covering query did not report all")
	}
}
