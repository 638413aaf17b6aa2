package ingest_test

import (
	"bytes"
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"griddesk/core/ingest"
	"griddesk/domain"
)

func linpuGrids(t *testing.T) []domain.Grid {
	t.Helper()
	grids, err := ingest.ImportGrids(bytes.NewReader(readFile(t, "grids_linpu.geojson")), "grids_linpu.geojson", linpuMapping)
	if err != nil {
		t.Fatal(err)
	}
	return grids
}

func readLinpu(t *testing.T, src []byte) ingest.Batch[domain.Grid] {
	t.Helper()
	b, err := ingest.ReadGrids(bytes.NewReader(src), "grids_linpu.geojson", linpuMapping)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ids[T any](rows []T, id func(T) string) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, id(r))
	}
	return out
}

func gridID(g domain.Grid) string     { return g.ID }
func entityID(e domain.Entity) string { return e.ID }

func TestPreviewGrids(t *testing.T) {
	existing := linpuGrids(t)
	// GridDesk holds B01 under an old name, B02 with a moved corner, not
	// the last micro grid, and a grid the file does not mention.
	existing[0].Name = "旧名"
	existing[1].Geometry = existing[1].Geometry.Clone()
	existing[1].Geometry[0][0][2][0] += 0.001
	existing = append(existing[:3], domain.Grid{ID: "X9", Name: "别处", Level: domain.LevelBase, Geometry: existing[2].Geometry})

	d := ingest.PreviewGrids(existing, readLinpu(t, readFile(t, "grids_linpu.geojson")))
	if got := ids(d.New, gridID); !reflect.DeepEqual(got, []string{"330109001"}) {
		t.Errorf("new = %v", got)
	}
	if len(d.Updated) != 2 || d.Updated[0].New.ID != "330109-B01" || !reflect.DeepEqual(d.Updated[0].Fields, []string{"name"}) ||
		d.Updated[0].Old.Name != "旧名" || d.Updated[1].New.ID != "330109-B02" || !reflect.DeepEqual(d.Updated[1].Fields, []string{"geometry"}) ||
		d.Updated[1].Row != 2 {
		t.Errorf("updated = %+v", d.Updated)
	}
	if got := ids(d.Unchanged, gridID); !reflect.DeepEqual(got, []string{"330109-B01-1"}) {
		t.Errorf("unchanged = %v", got)
	}
	if len(d.Errors) != 0 {
		t.Errorf("errors = %v", d.Errors)
	}
	plan, err := d.Plan()
	if err != nil || len(plan) != 3 {
		t.Fatalf("plan = %d grids, %v", len(plan), err)
	}
	if d.String() != "1 new, 2 updated, 1 unchanged, 0 errors" {
		t.Errorf("summary = %q", d.String())
	}
}

func TestPreviewGridsParents(t *testing.T) {
	src := string(readFile(t, "grids_linpu.geojson"))
	t.Run("unknown parent", func(t *testing.T) {
		bad := strings.Replace(src, `"上级网格": "330109-B01", "所属村社": "临浦村" },
  "geometry": { "type": "Polygon", "coordinates": [
    [ [120.245`, `"上级网格": "330109-B99", "所属村社": "临浦村" },
  "geometry": { "type": "Polygon", "coordinates": [
    [ [120.245`, 1)
		d := ingest.PreviewGrids(nil, readLinpu(t, []byte(bad)))
		if len(d.Errors) != 1 || d.Errors[0].Row != 4 || !d.Errors[0].Feature || d.Errors[0].Column != "上级网格" ||
			d.Errors[0].Value != "330109-B99" {
			t.Fatalf("errors = %v", ingest.Errors(d.Errors))
		}
		plan, err := d.Plan()
		var errs ingest.Errors
		if plan != nil || !errors.As(err, &errs) {
			t.Fatalf("plan = %v, %v; want nothing and Errors", plan, err)
		}
		// The parent exists in GridDesk: fine.
		d = ingest.PreviewGrids([]domain.Grid{{ID: "330109-B99"}}, readLinpu(t, []byte(bad)))
		if len(d.Errors) != 0 {
			t.Fatalf("errors = %v", ingest.Errors(d.Errors))
		}
	})
	t.Run("loop", func(t *testing.T) {
		loop := strings.Replace(src, `"上级网格": null`, `"上级网格": "330109-B01-1"`, 1)
		d := ingest.PreviewGrids(nil, readLinpu(t, []byte(loop)))
		if len(d.Errors) != 2 || !strings.Contains(d.Errors[0].Reason, "loop") {
			t.Fatalf("errors = %v", ingest.Errors(d.Errors))
		}
	})
}

func TestPreviewEntities(t *testing.T) {
	grids := linpuGrids(t)
	b, err := ingest.ReadEntities(bytes.NewReader(readFile(t, "shops_utf8bom.csv")), "shops.csv", shopsMapping, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	existing := []domain.Entity{
		// S0001: the file says green; GridDesk has it red after an
		// inspection: a register never changes a code, so it stays red and
		// the entity is unchanged.
		{ID: "S0001", Kind: domain.KindShop, Name: "老街面馆", Address: "临浦镇临浦村东藩路12号", Lon: 120.2412, Lat: 30.0531,
			GridID: "330109-B01-1", Tags: []string{"餐饮", "燃气"}, Code: domain.CodeRed, QRToken: "tok-1"},
		// S0002: exactly as the file has it.
		{ID: "S0002", Kind: domain.KindShop, Name: "浦阳五金店", Address: "临浦镇临浦村人民路8号, 一楼", Lon: 120.2448, Lat: 30.0575,
			GridID: "330109-B01-1", Code: domain.CodeYellow, QRToken: "tok-2"},
		// S0003: the file has no code: GridDesk's red stays; the address changes.
		{ID: "S0003", Kind: domain.KindEnterprise, Name: "杭州浦阳纺织有限公司", Address: "旧址", Lon: 120.2571, Lat: 30.0512,
			GridID: "330109-B02", Tags: []string{"纺织", "消防重点"}, Code: domain.CodeRed, QRToken: "tok-3"},
		// not in the file: left alone
		{ID: "S9999", Kind: domain.KindShop, Name: "别的店", Lon: 120.25, Lat: 30.055, Code: domain.CodeGreen},
	}
	d := ingest.PreviewEntities(existing, grids, b)
	if len(d.Errors) != 0 {
		t.Fatalf("errors = %v", ingest.Errors(d.Errors))
	}
	if got := ids(d.New, entityID); !reflect.DeepEqual(got, []string{"S0004", "S0005"}) {
		t.Errorf("new = %v", got)
	}
	if got := ids(d.Unchanged, entityID); !reflect.DeepEqual(got, []string{"S0001", "S0002"}) {
		t.Errorf("unchanged = %v", got)
	}
	if d.CodesKept != 1 {
		t.Errorf("codes kept = %d, want 1 (S0001's red over the file's green)", d.CodesKept)
	}
	if len(d.Updated) != 1 {
		t.Fatalf("updated = %+v", d.Updated)
	}
	u3 := d.Updated[0]
	if u3.New.ID != "S0003" || !reflect.DeepEqual(u3.Fields, []string{"address"}) || u3.New.Code != domain.CodeRed || u3.New.QRToken != "tok-3" {
		t.Errorf("S0003 update = %+v", u3)
	}
	token := regexp.MustCompile(`^[0-9a-f]{16}$`)
	for _, e := range d.New {
		if !token.MatchString(e.QRToken) || e.Code == "" {
			t.Errorf("new entity %s: token %q, code %q", e.ID, e.QRToken, e.Code)
		}
	}
	wantGrid := map[string]string{"S0004": "330109001", "S0005": "330109-B02"} // S0005 is on B02's island: no micro grid there
	for _, e := range d.New {
		if e.GridID != wantGrid[e.ID] {
			t.Errorf("%s in grid %q, want %q", e.ID, e.GridID, wantGrid[e.ID])
		}
	}
	if len(d.Outside) != 0 {
		t.Errorf("outside = %v", ids(d.Outside, entityID))
	}
	plan, err := d.Plan()
	if err != nil || len(plan) != 3 {
		t.Fatalf("plan = %d, %v", len(plan), err)
	}
	for _, e := range plan {
		if err := e.Validate(); err != nil {
			t.Errorf("planned entity does not validate: %v", err)
		}
	}
}

// TestPreviewEntitiesStable: importing a register, then previewing the same
// file against the result, changes nothing.
func TestPreviewEntitiesStable(t *testing.T) {
	grids := linpuGrids(t)
	read := func() ingest.Batch[domain.Entity] {
		b, err := ingest.ReadEntities(bytes.NewReader(readFile(t, "shops_utf8bom.csv")), "shops.csv", shopsMapping, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first, err := ingest.PreviewEntities(nil, grids, read()).Plan()
	if err != nil {
		t.Fatal(err)
	}
	d := ingest.PreviewEntities(first, grids, read())
	if len(d.New)+len(d.Updated) != 0 || len(d.Unchanged) != len(first) {
		t.Fatalf("second preview: %s", d)
	}
}

func TestPreviewEntitiesOutside(t *testing.T) {
	grids := linpuGrids(t)
	src := "编号,名称,经度,纬度\nP1,镇内,120.2412,30.0531\nP2,镇外,120.30,30.10\nP3,池塘里,120.245,30.055\n"
	b, err := ingest.ReadEntities(strings.NewReader(src), "o.csv",
		ingest.EntityMapping{ID: "编号", Name: "名称", Lon: "经度", Lat: "纬度", FixedKind: domain.KindShop}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := ingest.PreviewEntities(nil, grids, b)
	// P3 is in B01's hole (a pond) but inside a micro grid, which has none.
	if got := ids(d.Outside, entityID); !reflect.DeepEqual(got, []string{"P2"}) {
		t.Errorf("outside = %v, want [P2]", got)
	}
	if _, err := d.Plan(); err != nil {
		t.Errorf("entities outside every grid still import: %v", err)
	}
}
