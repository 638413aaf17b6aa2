package ingest_test

import (
	"bytes"
	"errors"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"griddesk/core/ingest"
	"griddesk/domain"
	"griddesk/domain/geo"
)

// FuzzGeoJSON: any input either fails cleanly or yields grids that pass
// the store's validation with closed rings of valid coordinates, and
// every problem names its feature.
func FuzzGeoJSON(f *testing.F) {
	f.Add(readFile(f, "grids_linpu.geojson"))
	f.Add(readFile(f, "grids_broken.geojson"))
	f.Add([]byte(`{"type":"Feature","properties":{"网格名称":"a","网格类型":"微网格","网格编码":1,"上级网格":null,"所属村社":""},` +
		`"geometry":{"type":"MultiPolygon","coordinates":[[[[120,30],[121,30],[121,31],[120,30]]]]}}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[1]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[null, 1, "x", {"type":"Feature","properties":null}]}`))
	f.Add([]byte("\xef\xbb\xbf{\"type\":\"FeatureCollection\",\"features\":[]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ingest.ReadGrids(bytes.NewReader(data), "fuzz.geojson", linpuMapping)
		if err != nil {
			if !errors.Is(err, ingest.ErrFormat) && !errors.Is(err, ingest.ErrMapping) {
				t.Fatalf("file error %v wraps neither ErrFormat nor ErrMapping", err)
			}
			return
		}
		for i, g := range b.Records {
			if err := g.Validate(); err != nil {
				t.Fatalf("grid %d does not validate: %v", i, err)
			}
			for _, poly := range g.Geometry {
				for _, ring := range poly {
					if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
						t.Fatalf("grid %s has a bad ring %v", g.ID, ring)
					}
					for _, p := range ring {
						if geo.ValidLonLat(p) != nil {
							t.Fatalf("grid %s has a bad point %v", g.ID, p)
						}
					}
				}
			}
		}
		for _, e := range b.Errors {
			if !e.Feature || e.Row < 1 || e.File != "fuzz.geojson" || e.Reason == "" {
				t.Fatalf("badly located error %+v", e)
			}
		}
		grids, err := ingest.ImportGrids(bytes.NewReader(data), "fuzz.geojson", linpuMapping)
		if (err == nil) != (len(b.Errors) == 0) || err == nil && len(grids) != len(b.Records) {
			t.Fatalf("ImportGrids disagrees with ReadGrids: %d grids, %v", len(grids), err)
		}
		ingest.PreviewGrids(nil, b)
	})
}

// FuzzCSV: any register either fails cleanly or yields entities with an
// ID, a name, a known kind and a valid WGS-84 location, and every bad row
// is named below the header.
func FuzzCSV(f *testing.F) {
	utf8 := readFile(f, "shops_utf8bom.csv")
	f.Add(utf8)
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes(bytes.TrimPrefix(utf8, []byte("\xef\xbb\xbf")))
	f.Add(gbk)
	f.Add(utf8[:len(utf8)/2])
	f.Add([]byte("统一编码,名称,类型,经度,纬度\nA,\"b\nc\",商铺,120,30\n\n\nB,x,企业,1e400,NaN\n"))
	f.Add([]byte("\xff\xfe\x00\x00"))
	f.Add([]byte("统一编码\t名称\t类型\t经度\t纬度\r\nA\tb\t商铺\t１２０．１\t３０\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m := ingest.EntityMapping{ID: "统一编码", Name: "名称", Kind: "类型", Lon: "经度", Lat: "纬度", Tags: "标签", CRS: geo.GCJ02}
		b, err := ingest.ReadEntities(bytes.NewReader(data), "fuzz.csv", m, ingest.Options{Format: ingest.FormatCSV})
		if err != nil {
			if !errors.Is(err, ingest.ErrFormat) && !errors.Is(err, ingest.ErrMapping) {
				t.Fatalf("file error %v wraps neither ErrFormat nor ErrMapping", err)
			}
			return
		}
		seen := map[string]bool{}
		for i, e := range b.Records {
			if e.ID == "" || e.Name == "" || seen[e.ID] {
				t.Fatalf("entity %d: empty or duplicate ID/name: %+v", i, e)
			}
			seen[e.ID] = true
			switch e.Kind {
			case domain.KindShop, domain.KindEnterprise, domain.KindRental, domain.KindVenue:
			default:
				t.Fatalf("entity %s: kind %q", e.ID, e.Kind)
			}
			if err := geo.ValidLonLat([2]float64{e.Lon, e.Lat}); err != nil {
				t.Fatalf("entity %s: %v", e.ID, err)
			}
			if b.Rows[i] < 2 || i > 0 && b.Rows[i] <= b.Rows[i-1] {
				t.Fatalf("entity %s: row %d", e.ID, b.Rows[i])
			}
		}
		for _, e := range b.Errors {
			if e.Row < 2 || e.Feature || e.File != "fuzz.csv" || e.Reason == "" {
				t.Fatalf("badly located error %+v", e)
			}
		}
		d := ingest.PreviewEntities(nil, nil, b)
		if plan, err := d.Plan(); (err == nil) != (len(b.Errors) == 0) || err == nil && len(plan) != len(b.Records) {
			t.Fatalf("plan = %d, %v with %d row errors", len(plan), err, len(b.Errors))
		}
	})
}
