package gpkg_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"griddesk/domain"
	"griddesk/store/gpkg"
)

// TestGDALReadsSnapshot: the file is what GIS tools expect. ogrinfo lists
// the layers with the right feature counts, ogr2ogr converts the grids to
// GeoJSON and, where GDAL's Python samples are installed, GDAL's own
// GeoPackage validator passes it with warnings as errors.
func TestGDALReadsSnapshot(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Fatal("ogrinfo not installed; make setup installs it")
	}
	f := town(t)
	out, err := exec.Command("ogrinfo", "-so", "-al", f.path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "Warning") || strings.Contains(string(out), "ERROR") {
		t.Errorf("ogrinfo complains:\n%s", out)
	}
	layers := parseOgrinfo(string(out))
	want := map[string]struct {
		geom  string
		count int
	}{
		"grids":    {"Multi Polygon", f.sum.Counts[domain.KindGrid]},
		"entities": {"Point", f.sum.Counts[domain.KindEntity]},
		"cases":    {"Point", f.sum.Counts[domain.KindCase]},
		"units":    {"None", f.sum.Counts[domain.KindUnit]},
		"findings": {"None", f.sum.Counts[domain.KindFinding]},
		"plans":    {"None", f.sum.Counts[domain.KindPlan]},
		"visits":   {"None", f.sum.Counts[domain.KindVisit]},
		"photos":   {"None", f.sum.Photos},
	}
	for name, w := range want {
		l, ok := layers[name]
		if !ok {
			t.Errorf("ogrinfo lists no layer %s", name)
			continue
		}
		if l.geom != w.geom || l.count != w.count {
			t.Errorf("layer %s: %s, %d features; want %s, %d", name, l.geom, l.count, w.geom, w.count)
		}
	}
	if f.sum.Photos == 0 || !regexp.MustCompile(`(?m)^data: Binary`).MatchString(string(out)) {
		t.Errorf("no photos with their bytes as a Binary field (%d photos written)", f.sum.Photos)
	}
	if !strings.Contains(string(out), `ID["EPSG",4326]`) {
		t.Error("layers are not in EPSG:4326")
	}

	geojson := filepath.Join(t.TempDir(), "grids.geojson")
	if out, err := exec.Command("ogr2ogr", "-f", "GeoJSON", geojson, f.path, "grids").CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, out)
	}
	b, err := os.ReadFile(geojson)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Geometry   struct{ Type string }
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatalf("ogr2ogr output: %v", err)
	}
	if len(fc.Features) != f.sum.Counts[domain.KindGrid] {
		t.Fatalf("GeoJSON has %d grids, want %d", len(fc.Features), f.sum.Counts[domain.KindGrid])
	}
	for _, ft := range fc.Features {
		if ft.Geometry.Type != "MultiPolygon" || ft.Properties["id"] == "" || ft.Properties["level"] == "" {
			t.Fatalf("converted grid = %+v", ft)
		}
	}

	validator := findValidator()
	if validator == "" {
		t.Log("GDAL's validate_gpkg.py not found; spec validation skipped")
		return
	}
	if out, err := exec.Command("python3", validator, "--extra", "--warning-as-error", f.path).CombinedOutput(); err != nil {
		t.Errorf("validate_gpkg.py: %v\n%s", err, out)
	}
}

type ogrLayer struct {
	geom  string
	count int
}

var (
	reLayer = regexp.MustCompile(`(?m)^Layer name: (\S+)$`)
	reGeom  = regexp.MustCompile(`(?m)^Geometry: (.+)$`)
	reCount = regexp.MustCompile(`(?m)^Feature Count: (\d+)$`)
)

// parseOgrinfo reads the layer blocks of `ogrinfo -so -al`.
func parseOgrinfo(out string) map[string]ogrLayer {
	layers := map[string]ogrLayer{}
	idx := reLayer.FindAllStringSubmatchIndex(out, -1)
	for i, m := range idx {
		end := len(out)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		block := out[m[0]:end]
		var l ogrLayer
		if g := reGeom.FindStringSubmatch(block); g != nil {
			l.geom = g[1]
		}
		if c := reCount.FindStringSubmatch(block); c != nil {
			l.count, _ = strconv.Atoi(c[1])
		}
		layers[out[m[2]:m[3]]] = l
	}
	return layers
}

// findValidator looks for GDAL's validate_gpkg.py (python3-gdal).
func findValidator() string {
	if _, err := exec.LookPath("python3"); err != nil {
		return ""
	}
	for _, p := range []string{
		os.Getenv("GDAL_VALIDATE_GPKG"),
		"/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py",
		"/usr/share/doc/python3-gdal/examples/validate_gpkg.py",
	} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// TestOpenForeignGeoPackage: a GeoPackage GDAL made from GeoJSON opens
// with ErrNotSnapshot.
func TestOpenForeignGeoPackage(t *testing.T) {
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Fatal("ogr2ogr not installed; make setup installs it")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "in.geojson")
	if err := os.WriteFile(src, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a"},
		"geometry":{"type":"Point","coordinates":[120.25,30.06]}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "qgis.gpkg")
	if out, err := exec.Command("ogr2ogr", "-f", "GPKG", dst, src).CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, out)
	}
	_, err := gpkg.Open(t.Context(), dst)
	wantErr(t, err, gpkg.ErrNotSnapshot, "griddesk_metadata")
}
