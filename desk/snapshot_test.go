package desk_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"griddesk/core/command"
	"griddesk/desk"
	"griddesk/server/demo"
)

// TestSnapshotRoundTrip exports the desk's copy, opens it for review and
// checks that every screen's data equals the source, read-only.
func TestSnapshotRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d, err := desk.Open(ctx, desk.Config{DataDir: dir, Backend: desk.BackendFrom(demo.Starter("town", false))})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Start(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the town", 60*time.Second, func() bool { return d.Status().State == "online" && d.Status().Cursor > 0 })
	path := filepath.Join(t.TempDir(), "town.gpkg")
	sum, err := d.ExportSnapshot(ctx, path, nil, time.Time{}, time.Time{}, "临浦镇 review")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Counts["entity"] != 5960 {
		t.Fatalf("exported counts = %v", sum.Counts)
	}
	now := time.Now()
	r, err := desk.OpenSnapshot(ctx, path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	meta, ok := r.Snapshot()
	if !ok || meta.Title != "临浦镇 review" || meta.ExportedAt.IsZero() {
		t.Fatalf("snapshot meta = %+v %v", meta, ok)
	}
	m1, _ := d.MapData(ctx)
	m2, _ := r.MapData(ctx)
	if len(m1.Grids) != len(m2.Grids) || len(m1.Entities) != len(m2.Entities) || m1.Bound != m2.Bound {
		t.Fatalf("map data differs: %d/%d grids, %d/%d entities", len(m1.Grids), len(m2.Grids), len(m1.Entities), len(m2.Entities))
	}
	q1, _ := d.OpenCases(ctx, now)
	q2, _ := r.OpenCases(ctx, now)
	if len(q1) != len(q2) {
		t.Fatalf("queue: %d vs %d", len(q1), len(q2))
	}
	for i := range q1 {
		if q1[i].ID != q2[i].ID || q1[i].Light != q2[i].Light || q1[i].GridName != q2[i].GridName || q1[i].UnitName != q2[i].UnitName {
			t.Fatalf("queue row %d differs:\n%+v\n%+v", i, q1[i], q2[i])
		}
	}
	d1, _ := d.Detail(ctx, q1[0].ID, now)
	d2, _ := r.Detail(ctx, q1[0].ID, now)
	if len(d1.Timeline) != len(d2.Timeline) || len(d1.Clocks) != len(d2.Clocks) || d1.Timeline[0].ActorName != d2.Timeline[0].ActorName {
		t.Fatalf("case page differs")
	}
	// read-only: no action, no connection
	if _, err := r.Do(ctx, command.CaseFeedback, command.CaseArgs{CaseID: q1[0].ID, Note: "x"}, 0); !errors.Is(err, desk.ErrReadOnly) {
		t.Errorf("an action on a snapshot: %v", err)
	}
	if err := r.Start(ctx, "", ""); !errors.Is(err, desk.ErrReadOnly) {
		t.Errorf("a snapshot connected: %v", err)
	}
	// the desk's own copy is untouched by the review
	m3, _ := d.MapData(ctx)
	if len(m3.Entities) != len(m1.Entities) {
		t.Error("the desk's cache changed")
	}
	// a foreign file is a clear error
	if _, err := desk.OpenSnapshot(ctx, filepath.Join(dir, "cache.db"), t.TempDir()); err == nil || !strings.Contains(err.Error(), "snapshot") {
		t.Errorf("opening the cache as a snapshot: %v", err)
	}
}

func TestExportsOfListsAndLayers(t *testing.T) {
	ctx := context.Background()
	d := demoDesk(t)
	for layer, n := range map[string]int{"grids.micro": 675, "grids.base": 92, "entities": 5960} {
		var b bytes.Buffer
		if err := d.ExportGeoJSON(ctx, &b, layer); err != nil {
			t.Fatal(err)
		}
		var fc struct {
			Type     string
			Features []json.RawMessage
		}
		if err := json.Unmarshal(b.Bytes(), &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) != n {
			t.Errorf("%s: %s with %d features (%v), want %d", layer, fc.Type, len(fc.Features), err, n)
		}
	}
	if err := d.ExportGeoJSON(ctx, &bytes.Buffer{}, "rivers"); err == nil {
		t.Error("an unknown layer exported")
	}
	rows, _ := d.OpenCases(ctx, time.Now())
	var c bytes.Buffer
	if err := desk.WriteCasesCSV(&c, rows); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(c.Bytes(), []byte("\ufeff")) {
		t.Error("CSV has no BOM for Excel")
	}
	recs, err := csv.NewReader(bytes.NewReader(c.Bytes()[3:])).ReadAll()
	if err != nil || len(recs) != len(rows)+1 || recs[1][0] != rows[0].No {
		t.Fatalf("CSV: %d records, %v", len(recs), err)
	}
	var x bytes.Buffer
	if err := desk.WriteCasesXLSX(&x, rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue("案件", "B2"); v != rows[0].Title {
		t.Errorf("XLSX B2 = %q, want %q", v, rows[0].Title)
	}
}
