package ingest_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"golang.org/x/text/encoding/simplifiedchinese"

	"griddesk/core/ingest"
	"griddesk/domain"
	"griddesk/domain/geo"
)

// linpuMapping maps the property names of testdata/grids_linpu.geojson,
// as a Chinese GIS department names them.
var linpuMapping = ingest.GridMapping{ID: "网格编码", Name: "网格名称", Level: "网格类型", Parent: "上级网格", Village: "所属村社"}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImportGridsMultipartWithHoles(t *testing.T) {
	grids, err := ingest.ImportGrids(bytes.NewReader(readFile(t, "grids_linpu.geojson")), "grids_linpu.geojson", linpuMapping)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]domain.Grid{}
	for _, g := range grids {
		if err := g.Validate(); err != nil {
			t.Errorf("imported grid does not validate: %v", err)
		}
		byID[g.ID] = g
	}
	for _, tc := range []struct {
		id, name, level, parent, village string
		polygons, rings                  int // rings of the first polygon
	}{
		{"330109-B01", "临浦村1号网格", domain.LevelBase, "", "临浦村", 1, 2},
		{"330109-B02", "峙山村1号网格", domain.LevelBase, "", "峙山村", 2, 2},
		{"330109-B01-1", "临浦村1-1微网格", domain.LevelMicro, "330109-B01", "临浦村", 1, 1},
		{"330109001", "临浦村1-2微网格", domain.LevelMicro, "330109-B01", "临浦村", 1, 1}, // a numeric ID kept exactly
	} {
		g, ok := byID[tc.id]
		if !ok {
			t.Errorf("grid %s not imported (got %v)", tc.id, keys(byID))
			continue
		}
		if g.Name != tc.name || g.Level != tc.level || g.ParentID != tc.parent || g.Village != tc.village {
			t.Errorf("grid %s = %q %q parent %q village %q", tc.id, g.Name, g.Level, g.ParentID, g.Village)
		}
		if len(g.Geometry) != tc.polygons || len(g.Geometry[0]) != tc.rings {
			t.Errorf("grid %s: %d polygons, first with %d rings; want %d, %d", tc.id, len(g.Geometry), len(g.Geometry[0]), tc.polygons, tc.rings)
		}
	}
	// The hole is a hole: a point in B01's pond is not in the grid.
	b01 := byID["330109-B01"].Geometry
	if contains(b01, orb.Point{120.245, 30.055}) || !contains(b01, orb.Point{120.241, 30.051}) {
		t.Error("B01's hole is not kept as a hole")
	}
	if !contains(byID["330109-B02"].Geometry, orb.Point{120.263, 30.053}) {
		t.Error("B02's second part (the island) is lost")
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestImportGridsOptions(t *testing.T) {
	data := readFile(t, "grids_linpu.geojson")
	t.Run("fixed level, feature ids", func(t *testing.T) {
		src := `{"type":"FeatureCollection","features":[{"type":"Feature","id":7,"properties":{"name":"检查一组"},
			"geometry":{"type":"Polygon","coordinates":[[[120.24,30.05],[120.25,30.05],[120.25,30.06],[120.24,30.05]]]}}]}`
		grids, err := ingest.ImportGrids(strings.NewReader(src), "insp.geojson", ingest.GridMapping{Name: "name", FixedLevel: "检查网格"})
		if err != nil {
			t.Fatal(err)
		}
		if len(grids) != 1 || grids[0].ID != "7" || grids[0].Level != domain.LevelInspection {
			t.Fatalf("grids = %+v", grids)
		}
	})
	t.Run("gcj02 boundaries", func(t *testing.T) {
		m := linpuMapping
		m.CRS = geo.GCJ02
		grids, err := ingest.ImportGrids(bytes.NewReader(data), "gcj.geojson", m)
		if err != nil {
			t.Fatal(err)
		}
		got := grids[0].Geometry[0][0][1]
		want := geo.GCJ02ToWGS84(orb.Point{120.250, 30.050})
		if got != want {
			t.Fatalf("vertex = %v, want %v (GCJ-02 converted)", got, want)
		}
	})
	t.Run("gbk text", func(t *testing.T) {
		gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(data)
		if err != nil {
			t.Fatal(err)
		}
		grids, err := ingest.ImportGrids(bytes.NewReader(gbk), "gbk.geojson", linpuMapping)
		if err != nil {
			t.Fatal(err)
		}
		if grids[0].Name != "临浦村1号网格" {
			t.Fatalf("name = %q", grids[0].Name)
		}
	})
	t.Run("custom level values", func(t *testing.T) {
		src := strings.ReplaceAll(string(data), `"基础网格"`, `"一级网格"`)
		m := linpuMapping
		m.LevelValues = map[string]string{"一级网格": domain.LevelBase}
		if _, err := ingest.ImportGrids(strings.NewReader(src), "l.geojson", m); err != nil {
			t.Fatal(err)
		}
	})
}

// TestImportGridsBrokenFeatures: every bad feature is named with file,
// feature number, property and why, and ImportGrids returns nothing.
func TestImportGridsBrokenFeatures(t *testing.T) {
	data := readFile(t, "grids_broken.geojson")
	grids, err := ingest.ImportGrids(bytes.NewReader(data), "grids_broken.geojson", ingest.GridMapping{ID: "网格编码", Name: "网格名称", Level: "网格类型"})
	if grids != nil {
		t.Fatalf("got %d grids from a broken file, want none", len(grids))
	}
	var errs ingest.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v, want ingest.Errors", err)
	}
	want := []struct {
		feature int
		prop    string
		reason  string
	}{
		{2, "geometry", "not closed"},
		{3, "geometry", "at least 4 points"},
		{4, "geometry", "longitude 220.25 out of range"},
		{5, "网格名称", "missing"},
		{6, "网格编码", "duplicate ID, first used by feature 1"},
		{7, "geometry", "crosses itself"},
		{8, "geometry", "LineString"},
		{9, "geometry", "missing"},
		{10, "网格类型", "not a grid level"},
		{11, "geometry", "hole 1: lies outside"},
	}
	if len(errs) != len(want) {
		t.Errorf("%d errors, want %d:\n%v", len(errs), len(want), errs)
	}
	for i, w := range want {
		if i >= len(errs) {
			break
		}
		e := errs[i]
		if e.File != "grids_broken.geojson" || !e.Feature || e.Row != w.feature || e.Column != w.prop || !strings.Contains(e.Reason, w.reason) {
			t.Errorf("error %d = %q, want feature %d, property %q, %q", i, e.Error(), w.feature, w.prop, w.reason)
		}
	}
	t.Log(err)

	// ReadGrids hands the preview the good feature along with the bad ones.
	b, err := ingest.ReadGrids(bytes.NewReader(data), "grids_broken.geojson", ingest.GridMapping{ID: "网格编码", Name: "网格名称", Level: "网格类型"})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Records) != 1 || b.Records[0].ID != "G1" || b.Rows[0] != 1 || len(b.Errors) != len(want) {
		t.Errorf("batch = %d records %v, %d errors", len(b.Records), b.Rows, len(b.Errors))
	}
}

func TestImportGridsBrokenFiles(t *testing.T) {
	good := readFile(t, "grids_linpu.geojson")
	for _, tc := range []struct {
		name string
		data string
		m    ingest.GridMapping
		want error
		word string
	}{
		{"truncated", string(good[:len(good)/2]), linpuMapping, ingest.ErrFormat, "truncated"},
		{"not json", "网格编码,网格名称\nB1,一号", linpuMapping, ingest.ErrFormat, "starts with \"网格编码,网格名称\""},
		{"syntax error", "{\"type\": \"FeatureCollection\",\n \"features\": [ {,] }", linpuMapping, ingest.ErrFormat, "line 2"},
		{"bare geometry", `{"type":"Polygon","coordinates":[]}`, linpuMapping, ingest.ErrFormat, "Polygon"},
		{"no type", `{"features":[]}`, linpuMapping, ingest.ErrFormat, "not GeoJSON"},
		{"no features", `{"type":"FeatureCollection","features":[]}`, linpuMapping, ingest.ErrFormat, "no features"},
		{"features not a list", `{"type":"FeatureCollection","features":{}}`, linpuMapping, ingest.ErrFormat, "features"},
		{"empty file", "", linpuMapping, ingest.ErrFormat, "empty"},
		{"mapped property nowhere", string(good), ingest.GridMapping{ID: "code", Name: "网格名称", Level: "网格类型"},
			ingest.ErrMapping, `"code"`},
		{"no level", string(good), ingest.GridMapping{ID: "网格编码", Name: "网格名称"}, ingest.ErrMapping, "FixedLevel"},
		{"no name", string(good), ingest.GridMapping{ID: "网格编码", Level: "网格类型"}, ingest.ErrMapping, "Name"},
		{"bad crs", string(good), ingest.GridMapping{ID: "网格编码", Name: "网格名称", Level: "网格类型", CRS: "utm"}, ingest.ErrMapping, "utm"},
		{"neither utf-8 nor gbk", "{\"type\":\"FeatureCollection\",\"features\":[\xff\xff]}", linpuMapping, ingest.ErrFormat, "GBK"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			grids, err := ingest.ImportGrids(strings.NewReader(tc.data), "in.geojson", tc.m)
			if grids != nil || !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.word) || !strings.HasPrefix(err.Error(), "in.geojson: ") {
				t.Fatalf("ImportGrids = %d grids, %v; want %v mentioning %q", len(grids), err, tc.want, tc.word)
			}
			t.Log(err)
		})
	}
}

func contains(mp orb.MultiPolygon, p orb.Point) bool {
	for _, poly := range mp {
		if ringContains(poly[0], p) {
			in := true
			for _, hole := range poly[1:] {
				if ringContains(hole, p) {
					in = false
				}
			}
			if in {
				return true
			}
		}
	}
	return false
}

// ringContains is a plain even-odd test, independent of the code tested.
func ringContains(r orb.Ring, p orb.Point) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		if (r[i][1] > p[1]) != (r[j][1] > p[1]) && p[0] < (r[j][0]-r[i][0])*(p[1]-r[i][1])/(r[j][1]-r[i][1])+r[i][0] {
			in = !in
		}
	}
	return in
}
