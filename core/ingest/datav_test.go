package ingest

import (
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/domain/geo"
)

// TestDataVDistricts imports a district file in the common DataV layout:
// numeric adcode, level "district", parent {"adcode": …}, center and
// centroid arrays, GCJ-02 MultiPolygons.
func TestDataVDistricts(t *testing.T) {
	f, err := os.Open("testdata/datav_districts.geojson")
	if err != nil {
		t.Fatal(err)
	}
	l, err := InspectGeoJSON(f, "datav_districts.geojson")
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if l.Features != 3 || l.Geometry["MultiPolygon"] != 3 {
		t.Errorf("features %d, geometry %v", l.Features, l.Geometry)
	}
	var names []string
	for _, p := range l.Props {
		names = append(names, p.Name)
	}
	for _, want := range []string{"adcode", "name", "level", "parent", "parent.adcode", "center", "centroid"} {
		if _, ok := l.Prop(want); !ok {
			t.Errorf("layout lacks %q: %v", want, names)
		}
	}
	if p, _ := l.Prop("level"); len(p.Values) != 1 || p.Values[0] != "district" || !UsesLevels(p.Values) {
		t.Errorf("level values %v", p.Values)
	}
	g := l.Guess
	if g.ID != "adcode" || g.Name != "name" || g.Level != "level" || g.Parent != "parent.adcode" || g.CRS != geo.GCJ02 || !g.OrphansAtTop {
		t.Errorf("guess %+v", g)
	}

	read := func(m GridMapping) Diff[domain.Grid] {
		f, _ := os.Open("testdata/datav_districts.geojson")
		defer f.Close()
		b, err := ReadGrids(f, "datav_districts.geojson", m)
		if err != nil {
			t.Fatal(err)
		}
		return PreviewGrids(nil, b)
	}
	// "district" is no GridDesk level until it is mapped to one
	if d := read(g); len(d.Errors) != 3 || !strings.Contains(d.Errors[0].Reason, "not a grid level") {
		t.Errorf("unmapped level: %v", d.Errors)
	}
	g.LevelValues = map[string]string{"district": domain.LevelBase}
	d := read(g)
	if len(d.Errors) != 0 || len(d.New) != 3 || len(d.AtTop) != 3 {
		t.Fatalf("mapped: %s, at top %v, errors %v", d, d.AtTop, d.Errors)
	}
	for _, gr := range d.New {
		if gr.Level != domain.LevelBase || gr.ParentID != "" || !strings.HasPrefix(gr.ID, "3301") {
			t.Errorf("grid %+v", gr)
		}
		// the GCJ-02 corner, in WGS-84 (some 450 m west here)
		corner := map[string]orb.Point{"萧山区": {120.215, 30.045}, "滨江区": {120.262, 30.075}, "上城区": {120.215, 30.075}}[gr.Name]
		if want, got := geo.ToWGS84(geo.GCJ02, corner), gr.Geometry[0][0][0]; got != want || got[0] > corner[0]-0.003 {
			t.Errorf("%s: corner %v, want %v from GCJ-02 %v", gr.Name, got, want, corner)
		}
	}
	// or one fixed level, with the parents refused when they must exist
	g.Level, g.FixedLevel, g.LevelValues, g.OrphansAtTop = "", "base", nil, false
	if d := read(g); len(d.Errors) != 3 || !strings.Contains(d.Errors[0].Reason, "no such grid") {
		t.Errorf("unknown parents: %v", d.Errors)
	}
}
