package seed_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"

	"griddesk/domain"
	"griddesk/domain/colorcode"
	"griddesk/domain/photo"
	"griddesk/seed"
	"griddesk/store"
)

var now = time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func TestTownProportions(t *testing.T) {
	d := seed.Town(1, now)
	levels := map[string]int{}
	byID := map[string]domain.Grid{}
	var area float64
	for _, g := range d.Grids {
		levels[g.Level]++
		byID[g.ID] = g
		if g.Level == domain.LevelBase {
			area += geo.Area(g.Geometry)
		}
	}
	want := map[string]int{domain.LevelBase: 92, domain.LevelMicro: 675, domain.LevelInspection: 11, domain.LevelEnforcement: 4}
	for l, n := range want {
		if levels[l] != n {
			t.Errorf("%s grids = %d, want %d", l, levels[l], n)
		}
	}
	if km2 := area / 1e6; km2 < 40.4 || km2 > 44.6 {
		t.Errorf("town area = %.2f km², want about 42.48", km2)
	}
	kinds := map[string]int{}
	codes := map[string]int{}
	for _, e := range d.Entities {
		kinds[e.Kind]++
		codes[e.Code]++
		g, ok := byID[e.GridID]
		if !ok || g.Level != domain.LevelMicro {
			t.Fatalf("entity %s in grid %q, want a micro grid", e.ID, e.GridID)
		}
		if !planar.MultiPolygonContains(g.Geometry, orb.Point{e.Lon, e.Lat}) {
			t.Fatalf("entity %s lies outside its grid %s", e.ID, e.GridID)
		}
	}
	if len(d.Entities) != 5960 || kinds[domain.KindEnterprise] != 1452 || kinds[domain.KindShop] != 4408 {
		t.Errorf("entities = %d %v, want 5960 with 1452 enterprises and 4408 shops", len(d.Entities), kinds)
	}
	for _, c := range []string{domain.CodeGreen, domain.CodeYellow, domain.CodeRed} {
		if share := float64(codes[c]) / float64(len(d.Entities)); share < 0.03 || share > 0.9 {
			t.Errorf("%s share = %.2f, not a realistic mix (%v)", c, share, codes)
		}
	}
	if codes[domain.CodeGreen] < codes[domain.CodeYellow] || codes[domain.CodeYellow] < codes[domain.CodeRed] {
		t.Errorf("code mix %v: want green > yellow > red", codes)
	}
	for _, g := range d.Grids {
		if g.Level != domain.LevelMicro {
			continue
		}
		parent := byID[g.ParentID]
		c, _ := planar.CentroidArea(g.Geometry)
		if parent.Level != domain.LevelBase || !planar.MultiPolygonContains(parent.Geometry, c) {
			t.Fatalf("micro grid %s is not inside its base grid %q", g.ID, g.ParentID)
		}
	}
}

func TestTownHistoryCoversEveryState(t *testing.T) {
	d := seed.Town(1, now)
	states := map[domain.CaseStatus]int{}
	for _, c := range d.Cases {
		states[c.Status]++
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []domain.CaseStatus{domain.StatusReported, domain.StatusRegistered, domain.StatusDispatched, domain.StatusAccepted,
		domain.StatusOnSite, domain.StatusHandled, domain.StatusClosed, domain.StatusEvaluated, domain.StatusRejected} {
		if states[s] == 0 {
			t.Errorf("no case in state %s (%v)", s, states)
		}
	}
	if n := len(d.Cases); n < 200 || n > 800 {
		t.Errorf("%d cases, want a few hundred", n)
	}
	if len(d.Inspections) < 4000 || len(d.Findings) < 500 {
		t.Errorf("%d inspections, %d findings: want a quarter of history", len(d.Inspections), len(d.Findings))
	}
	for _, in := range d.Inspections {
		if in.At.After(now) || in.At.Before(now.Add(-91*24*time.Hour)) {
			t.Fatalf("inspection %s at %v is outside the last quarter", in.ID, in.At)
		}
	}
	// every action's from-state is the state the previous action left
	last := map[string]domain.CaseStatus{}
	for _, a := range d.Actions {
		if a.FromStatus != last[a.CaseID] {
			t.Fatalf("action %s of %s goes from %q but the case was %q", a.ID, a.CaseID, a.FromStatus, last[a.CaseID])
		}
		last[a.CaseID] = a.ToStatus
	}
	for _, c := range d.Cases {
		if last[c.ID] != c.Status {
			t.Fatalf("case %s is %s but its timeline ends in %s", c.ID, c.Status, last[c.ID])
		}
	}
}

func TestDeterministic(t *testing.T) {
	hash := func(n uint64) [32]byte {
		b, _ := json.Marshal(seed.Town(n, now))
		return sha256.Sum256(b)
	}
	if hash(7) != hash(7) {
		t.Fatal("the same seed gave different towns")
	}
	if hash(7) == hash(8) {
		t.Fatal("different seeds gave the same town")
	}
}

func TestSaveTown(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "town.db"), store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d := seed.Town(1, now)
	if err := d.Save(ctx, s); err != nil {
		t.Fatal(err)
	}
	counts, _ := s.Counts(ctx)
	if counts[domain.KindGrid] != len(d.Grids) || counts[domain.KindEntity] != 5960 || counts[domain.KindCase] != len(d.Cases) {
		t.Fatalf("counts = %v", counts)
	}
}

func TestCityScale(t *testing.T) {
	if testing.Short() {
		t.Skip("city generation in -short")
	}
	d := seed.City(1, now)
	if len(d.Grids) != seed.CityGrids || len(d.Entities) != seed.CityEntities {
		t.Fatalf("city = %d grids, %d entities", len(d.Grids), len(d.Entities))
	}
}

// TestTownPhotos: every inspection waiting for review has its shop front
// and a close-up per failed item (one at most); every photo is a sound
// JPEG named by its content; older inspections have none.
func TestTownPhotos(t *testing.T) {
	d := seed.Town(1, now)
	kept := map[string]bool{}
	for _, p := range d.Photos {
		info, err := photo.Check(p.Data)
		if err != nil || info.ID != p.ID || info.MIME != "image/jpeg" || p.MIME != info.MIME || p.Width != info.Width {
			t.Fatalf("photo %.12s: %+v, %v", p.ID, info, err)
		}
		kept[p.ID] = true
	}
	waiting := 0
	for _, in := range d.Inspections {
		for _, id := range in.Photos {
			if !kept[id] {
				t.Fatalf("inspection %s names photo %.12s, which the town lacks", in.ID, id)
			}
		}
		failed := 0
		for _, r := range in.Results {
			if r.Result == domain.ResultFail {
				failed++
			}
		}
		switch {
		case in.Status == domain.InspectionSubmitted:
			waiting++
			if want := 1 + min(failed, 1); len(in.Photos) != want {
				t.Errorf("inspection %s waiting for review: %d photos, want %d", in.ID, len(in.Photos), want)
			}
		case now.Sub(in.At) > 3*24*time.Hour && len(in.Photos) > 0:
			t.Errorf("inspection %s of %v has photos", in.ID, in.At)
		}
	}
	if waiting == 0 || len(d.Photos) < waiting {
		t.Errorf("%d inspections wait for review, %d photos", waiting, len(d.Photos))
	}
}

// The demo town's codes are the colour-code replay of its accepted
// inspections (the same one the review command and the entity page use), and
// each accepted inspection records the code before and after it.
func TestTownCodesAreTheReplay(t *testing.T) {
	d := seed.Town(1, now)
	ins := map[string][]domain.Inspection{}
	for _, in := range d.Inspections {
		ins[in.EntityID] = append(ins[in.EntityID], in)
	}
	fs := map[string][]domain.Finding{}
	for _, f := range d.Findings {
		fs[f.InspectionID] = append(fs[f.InspectionID], f)
	}
	for _, e := range d.Entities {
		acc := colorcode.Accepted(ins[e.ID])
		code := colorcode.Base(colorcode.Code(e.Code), acc)
		for _, s := range colorcode.History(code, acc, fs) {
			if in := s.Inspection; in.CodeBefore != string(s.Before) || in.CodeAfter != string(s.Code) {
				t.Fatalf("%s inspection %s records %s→%s, the replay %s→%s", e.ID, in.ID, in.CodeBefore, in.CodeAfter, s.Before, s.Code)
			}
			code = s.Code
		}
		if string(code) != e.Code {
			t.Fatalf("%s holds %s, its replay ends at %s", e.ID, e.Code, code)
		}
	}
}
