package gpkg_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"griddesk/domain"
	"griddesk/store"
	"griddesk/store/gpkg"
)

// want is what a scope should export: the rows per kind and the photos.
type want struct {
	counts map[string]int
	photos map[string]bool
}

// expected works out what a scope should export from the saved data,
// independently of the exporter.
func expected(f *townFixture, inScope func(gridID string, p orb.Point) bool, grids map[string]bool, from, to time.Time) want {
	inRange := func(t time.Time) bool {
		return (from.IsZero() || !t.Before(from)) && (to.IsZero() || t.Before(to))
	}
	keep := map[string]bool{}
	for id := range grids {
		keep[id] = true
	}
	ents := map[string]bool{}
	for _, e := range f.d.Entities {
		if inScope(e.GridID, orb.Point{e.Lon, e.Lat}) {
			ents[e.ID] = true
			keep[e.GridID] = true
		}
	}
	cases := map[string]bool{}
	for _, c := range f.d.Cases {
		if inRange(c.ReportedAt) && (inScope(c.GridID, orb.Point{c.Lon, c.Lat}) || ents[c.EntityID]) {
			cases[c.ID] = true
			keep[c.GridID] = true
		}
	}
	insp := map[string]bool{}
	photos := map[string]bool{} // named by what is exported, and kept in the store
	keepPhotos := func(ids []string) {
		for _, id := range ids {
			if _, ok := f.photos[id]; ok {
				photos[id] = true
			}
		}
	}
	for _, in := range f.d.Inspections {
		if inRange(in.At) && ents[in.EntityID] {
			insp[in.ID] = true
			keepPhotos(in.Photos)
		}
	}
	n := map[string]int{
		domain.KindGrid: len(keep), domain.KindEntity: len(ents), domain.KindCase: len(cases),
		domain.KindInspection: len(insp), domain.KindUnit: len(f.d.Units), domain.KindUser: len(f.d.Users),
		domain.KindCheckItem: len(f.d.CheckItems),
	}
	plans := map[string]bool{}
	for _, v := range f.visits {
		p := f.plan(v.PlanID)
		if (to.IsZero() || p.Start.Before(to)) && (from.IsZero() || !p.End.Before(from)) && ents[v.EntityID] {
			plans[p.ID] = true
			n[domain.KindVisit]++
		}
	}
	n[domain.KindPlan] = len(plans)
	for _, t := range f.d.Tasks {
		if cases[t.CaseID] {
			n[domain.KindTask]++
		}
	}
	for _, a := range f.d.Actions {
		if cases[a.CaseID] {
			n[domain.KindCaseAction]++
		}
	}
	for _, x := range f.d.Findings {
		if insp[x.InspectionID] {
			n[domain.KindFinding]++
			keepPhotos(x.Photos)
		}
	}
	return want{n, photos}
}

func TestSubsetExport(t *testing.T) {
	ctx := context.Background()
	f := town(t)
	from, to := now.AddDate(0, 0, -60), now.AddDate(0, 0, -10)
	byID := map[string]domain.Grid{}
	for _, g := range f.d.Grids {
		byID[g.ID] = g
	}

	// Two base grids: they, their micro grids and what lies in those.
	bases := map[string]bool{"B001": true, "B040": true}
	family := map[string]bool{}
	for _, g := range f.d.Grids {
		if bases[g.ID] || bases[g.ParentID] {
			family[g.ID] = true
		}
	}
	// One inspection grid: what lies inside its boundary, whatever the
	// entity's own grid.
	insp := byID["I03"]
	var photosIn, photosOut bool

	for _, tc := range []struct {
		name     string
		grids    []string
		from, to time.Time
		want     want
	}{
		{"two base grids and a range", []string{"B001", "B040"}, from, to,
			expected(f, func(id string, _ orb.Point) bool { return family[id] }, family, from, to)},
		{"two base grids, all time", []string{"B001", "B040"}, time.Time{}, time.Time{},
			expected(f, func(id string, _ orb.Point) bool { return family[id] }, family, time.Time{}, time.Time{})},
		{"inspection grid", []string{"I03"}, time.Time{}, to,
			expected(f, func(id string, p orb.Point) bool { return id == "I03" || planar.MultiPolygonContains(insp.Geometry, p) },
				map[string]bool{"I03": true}, time.Time{}, to)},
		{"whole town, a range", nil, from, to,
			expected(f, func(string, orb.Point) bool { return true }, map[string]bool{}, from, to)},
	} {
		// The scopes between them carry some of the photos, and leave out
		// some the whole town carries.
		if n := len(tc.want.photos); n > 0 && n < f.sum.Photos {
			photosIn, photosOut = true, true
		}
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "part.gpkg")
			sum, err := gpkg.Export(ctx, f.st, path, gpkg.ExportOptions{Grids: tc.grids, From: tc.from, To: tc.to})
			if err != nil {
				t.Fatal(err)
			}
			if tc.grids == nil {
				tc.want.counts[domain.KindGrid] = len(f.d.Grids)
			}
			if !reflect.DeepEqual(sum.Counts, tc.want.counts) {
				t.Errorf("counts = %v\n     want %v", sum.Counts, tc.want.counts)
			}
			if tc.want.counts[domain.KindEntity] == 0 || tc.want.counts[domain.KindCase] == 0 || tc.want.counts[domain.KindInspection] == 0 {
				t.Errorf("scope too small to test anything: %v", tc.want.counts)
			}
			if sum.Photos != len(tc.want.photos) {
				t.Errorf("%d photos written, want %d", sum.Photos, len(tc.want.photos))
			}
			snap, err := gpkg.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer snap.Close()
			got, err := snap.Counts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want.counts) {
				t.Errorf("snapshot counts = %v\n              want %v", got, tc.want.counts)
			}
			for id, kept := range f.photos {
				p, err := snap.Photo(ctx, id)
				switch {
				case !tc.want.photos[id] && !errors.Is(err, store.ErrNotFound):
					t.Errorf("photo %.12s (of nothing exported) = %v, want ErrNotFound", id, err)
				case tc.want.photos[id] && err != nil:
					t.Errorf("photo %.12s: %v", id, err)
				case tc.want.photos[id]:
					samePhoto(t, p, kept)
				}
			}
			m := snap.Meta()
			if !reflect.DeepEqual(m.Grids, tc.grids) || !m.From.Equal(tc.from) || !m.To.Equal(tc.to) {
				t.Errorf("meta scope = %v %v %v, want %v %v %v", m.Grids, m.From, m.To, tc.grids, tc.from, tc.to)
			}
			cases, _ := snap.Cases(ctx)
			for _, c := range cases {
				if !tc.from.IsZero() && c.ReportedAt.Before(tc.from) || !tc.to.IsZero() && !c.ReportedAt.Before(tc.to) {
					t.Fatalf("case %s reported %v is outside the range", c.ID, c.ReportedAt)
				}
			}
		})
	}
	if !photosIn || !photosOut {
		t.Error("no scope carries some photos but not all: the fixture's photos do not test the scopes")
	}
}

// TestExportTo streams the same file to a writer (the server's download).
func TestExportTo(t *testing.T) {
	ctx := context.Background()
	f := town(t)
	var buf bytes.Buffer
	sum, err := gpkg.ExportTo(ctx, f.st, &buf, t.TempDir(), gpkg.ExportOptions{Grids: []string{"B002"}})
	if err != nil {
		t.Fatal(err)
	}
	if int64(buf.Len()) != sum.Bytes || !bytes.HasPrefix(buf.Bytes(), []byte("SQLite format 3\x00")) {
		t.Fatalf("wrote %d bytes, summary says %d", buf.Len(), sum.Bytes)
	}
}

func (f *townFixture) plan(id string) domain.Plan {
	for _, p := range f.plans {
		if p.ID == id {
			return p
		}
	}
	panic("no plan " + id)
}
