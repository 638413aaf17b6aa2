package server_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/paulmach/orb"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/server"
)

// Every case lands in the grid that contains it (DESIGN.md §2) as the grids
// are now: after a grid import is applied, the very next report lands in
// the new boundaries, on the server that applied it at once and on another
// node of the same database within its recheck interval.
func TestReportAfterGridImportLandsInNewGrids(t *testing.T) {
	f := newFixture(t) // B1: 120–120.1 E, 30–30.1 N
	ctx := context.Background()
	other, err := server.New(ctx, f.st, server.Options{MaxWait: time.Second, GridRecheck: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	node2 := httptest.NewServer(other.Handler())
	defer node2.Close()
	tok := f.login("admin", adminPW)
	report := func(url string, lon float64) string {
		t.Helper()
		f2 := *f
		f2.ts = &httptest.Server{URL: url}
		resp, body := f2.do("POST", "/api/v1/cases", tok, map[string]any{"title": "井盖缺失", "category": "road", "lon": lon, "lat": 30.05})
		if resp.StatusCode != 201 {
			t.Fatalf("report: %d %v", resp.StatusCode, body)
		}
		g, _ := body["grid_id"].(string)
		return g
	}
	tests := []struct {
		lon        float64
		old, fresh string
	}{
		{120.02, "B1", "B1"}, // still in the shrunk B1
		{120.07, "B1", "B2"}, // B1's east part went to B2
		{120.15, "", "B2"},   // outside every grid before
		{120.30, "", ""},     // outside every grid after
	}
	for _, tt := range tests {
		if g := report(f.ts.URL, tt.lon); g != tt.old {
			t.Errorf("before the import: case at %.2f in %q, want %q", tt.lon, g, tt.old)
		}
		if g := report(node2.URL, tt.lon); g != tt.old {
			t.Errorf("before the import, node 2: case at %.2f in %q, want %q", tt.lon, g, tt.old)
		}
	}
	box := func(w, e float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{w, 30}, {e, 30}, {e, 30.1}, {w, 30.1}, {w, 30}}}}
	}
	args, _ := json.Marshal(command.ImportArgs{File: "grids.geojson", Grids: []domain.Grid{
		{ID: "B1", Name: "一号网格", Level: domain.LevelBase, Geometry: box(120, 120.05)},
		{ID: "B2", Name: "二号网格", Level: domain.LevelBase, Geometry: box(120.05, 120.2)},
	}})
	_, raw := f.raw("POST", "/api/v1/commands", tok, `{"commands":[`+cmdJSON(uuid.NewString(), command.GridImport, string(args))+`]}`)
	var res struct{ Results []struct{ Status string } }
	if json.Unmarshal(raw, &res); len(res.Results) != 1 || res.Results[0].Status != "applied" {
		t.Fatalf("grid import: %s", raw)
	}
	for _, tt := range tests {
		if g := report(f.ts.URL, tt.lon); g != tt.fresh {
			t.Errorf("right after the import: case at %.2f in %q, want %q", tt.lon, g, tt.fresh)
		}
	}
	time.Sleep(60 * time.Millisecond) // node 2's recheck interval
	for _, tt := range tests {
		if g := report(node2.URL, tt.lon); g != tt.fresh {
			t.Errorf("node 2 after its recheck: case at %.2f in %q, want %q", tt.lon, g, tt.fresh)
		}
	}
}
