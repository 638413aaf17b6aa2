package gpkg_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"griddesk/domain"
	"griddesk/domain/photo"
	"griddesk/seed"
	"griddesk/store"
	"griddesk/store/gpkg"
)

var now = time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// townFixture is the demo town saved in a store and exported once, shared
// by the tests (generating and saving the town is the slow part).
type townFixture struct {
	st   *store.Store
	d    *seed.Dataset
	dir  string
	path string // whole-town snapshot
	sum  gpkg.Summary
	// plans and visits published in the town (the demo publishes none):
	// one round in the past, one under way.
	plans  []domain.Plan
	visits []domain.Visit
	// Photos (besides the demo's, of its last days' inspections): an inspection in base grid B001 during
	// [now-60d, now-10d) with two photos, the first kept in the store, the
	// second not (the store never got it); a rectified finding outside
	// B001 and B040 with a photo kept as pending upload; and a kept photo
	// nothing names. photos are the kept ones, by ID.
	inspection domain.Inspection
	finding    domain.Finding
	photos     map[string]domain.Photo
	missing    string // ID of the inspection's photo the store lacks
	unnamed    string // ID of the kept photo nothing names
}

var (
	fixOnce sync.Once
	fix     *townFixture
	fixErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if fix != nil {
		fix.st.Close()
		os.RemoveAll(fix.dir)
	}
	os.Exit(code)
}

func town(tb testing.TB) *townFixture {
	tb.Helper()
	fixOnce.Do(func() {
		ctx := context.Background()
		f := &townFixture{}
		if f.dir, fixErr = os.MkdirTemp("", "gpkg-test-*"); fixErr != nil {
			return
		}
		if f.st, fixErr = store.Open(ctx, filepath.Join(f.dir, "town.db"), store.Options{}); fixErr != nil {
			return
		}
		f.d = seed.Town(1, now)
		if fixErr = f.d.Save(ctx, f.st); fixErr != nil {
			return
		}
		if fixErr = f.publishPlans(ctx); fixErr != nil {
			return
		}
		if fixErr = f.takePhotos(ctx); fixErr != nil {
			return
		}
		f.path = filepath.Join(f.dir, "town.gpkg")
		f.sum, fixErr = gpkg.Export(ctx, f.st, f.path, gpkg.ExportOptions{Meta: gpkg.Metadata{
			Title: "临浦镇 test snapshot", ExportedBy: "auditor", Server: "https://griddesk.example", ServerID: "abc123",
			ExportedAt: now,
		}})
		fix = f
	})
	if fixErr != nil {
		tb.Fatalf("town fixture: %v", fixErr)
	}
	return fix
}

// copyFile copies the fixture snapshot for a test that damages it.
func copyFile(t *testing.T, src string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

// publishPlans stores two published rounds: every 7th entity visited in a
// round that ended three weeks ago, every 5th in one under way.
func (f *townFixture) publishPlans(ctx context.Context) error {
	team := f.d.Inspections[0].TeamID
	for i, r := range []struct {
		start, end time.Time
		every      int
	}{
		{now.AddDate(0, 0, -40), now.AddDate(0, 0, -20), 7},
		{now.AddDate(0, 0, -3), now.AddDate(0, 0, 25), 5},
	} {
		p := domain.Plan{ID: fmt.Sprintf("P%d", i+1), Title: fmt.Sprintf("第%d轮综合查一次", i+1), TeamID: team,
			Start: r.start, End: r.end, Summary: json.RawMessage(`{"visits":1}`), PublishedBy: "leader01",
			PublishedAt: r.start.Add(-time.Hour)}
		f.plans = append(f.plans, p)
		for j := 0; j*r.every < len(f.d.Entities); j++ {
			e := f.d.Entities[j*r.every]
			f.visits = append(f.visits, domain.Visit{ID: fmt.Sprintf("%s-V%04d", p.ID, j), PlanID: p.ID, TeamID: team,
				EntityID: e.ID, Day: r.start.AddDate(0, 0, j/6), Seq: j % 6, Items: []string{"CI001"},
				Departments: []string{"应急", "消防"}, Minutes: 25, Joint: j%2 == 0, Status: domain.VisitPlanned})
		}
	}
	return f.st.Update(ctx, func(tx *store.Tx) error {
		for i := range f.plans {
			if err := tx.PutPlan(&f.plans[i]); err != nil {
				return err
			}
		}
		for i := range f.visits {
			if err := tx.PutVisit(&f.visits[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// testPNG draws a small PNG, different for each seed.
func testPNG(w, h, seed int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(40 * seed), uint8(255 * x / w), uint8(255 * y / h), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// newPhoto describes a test photo as the desk keeps it.
func newPhoto(data []byte, state domain.PhotoState) (domain.Photo, error) {
	info, err := photo.Check(data)
	if err != nil {
		return domain.Photo{}, err
	}
	rendition, err := photo.Rendition(data)
	if err != nil {
		return domain.Photo{}, err
	}
	return domain.Photo{ID: info.ID, MIME: info.MIME, Width: info.Width, Height: info.Height, Data: data, Rendition: rendition,
		UploadedBy: "inspector01", CreatedAt: now.Add(-time.Hour), State: state}, nil
}

// takePhotos attaches photos to an inspection and a finding of the demo
// town (see townFixture) and keeps all but one of them in the store.
func (f *townFixture) takePhotos(ctx context.Context) error {
	gridOf := map[string]string{}
	for _, e := range f.d.Entities {
		gridOf[e.ID] = e.GridID
	}
	parentOf := map[string]string{}
	for _, g := range f.d.Grids {
		parentOf[g.ID] = g.ParentID
	}
	in := func(entityID string, bases ...string) bool {
		for _, b := range bases {
			if g := gridOf[entityID]; g == b || parentOf[g] == b {
				return true
			}
		}
		return false
	}
	from, to := now.AddDate(0, 0, -60), now.AddDate(0, 0, -10)
	atOf := map[string]time.Time{}
	var insp *domain.Inspection
	var find *domain.Finding
	for i := range f.d.Inspections {
		x := &f.d.Inspections[i]
		atOf[x.ID] = x.At
		if insp == nil && in(x.EntityID, "B001") && !x.At.Before(from) && x.At.Before(to) && len(x.Results) > 0 {
			insp = x
		}
	}
	for i := range f.d.Findings {
		x := &f.d.Findings[i]
		at := atOf[x.InspectionID]
		if find == nil && x.Status == domain.FindingRectified && !in(x.EntityID, "B001", "B040") && !at.Before(from) && at.Before(to) {
			find = x
		}
	}
	if insp == nil || find == nil {
		return fmt.Errorf("the demo town has no inspection or rectified finding to photograph")
	}
	f.photos = map[string]domain.Photo{}
	for _, p := range f.d.Photos { // the demo's recent inspections' photos
		p.State = domain.PhotoStored
		f.photos[p.ID] = p
	}
	var kept []domain.Photo
	for i, state := range []domain.PhotoState{domain.PhotoStored, "", domain.PhotoPending, domain.PhotoStored} {
		p, err := newPhoto(testPNG(24+i, 16+i, i), state)
		if err != nil {
			return err
		}
		switch i {
		case 0:
			insp.Photos = append(insp.Photos, p.ID)
		case 1:
			insp.Photos = append(insp.Photos, p.ID)
			f.missing = p.ID
			continue
		case 2:
			find.Photos = append(find.Photos, p.ID)
		case 3:
			f.unnamed = p.ID
		}
		kept = append(kept, p)
	}
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		for i := range kept {
			if _, err := tx.PutPhoto(&kept[i]); err != nil {
				return err
			}
			f.photos[kept[i].ID] = kept[i]
		}
		if err := tx.PutInspection(insp); err != nil {
			return err
		}
		return tx.PutFinding(find)
	})
	f.inspection, f.finding = *insp, *find
	return err
}
