package gpkg_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/store"
	"griddesk/store/gpkg"
)

// same fails the test when two reads differ, naming the first difference.
func same[T any](t *testing.T, what string, got, want []T) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("%s[%d]:\n got %+v\nwant %+v", what, i, got[i], want[i])
		}
	}
}

// masked are cases as a snapshot carries them: the callers masked (a
// snapshot leaves the system).
func masked(cs []domain.Case) []domain.Case {
	out := make([]domain.Case, len(cs))
	for i, c := range cs {
		out[i] = c.Masked()
	}
	return out
}

// must unwraps a read; a failed read panics, which fails the test with the
// error and its stack (Go cannot pass t along with a multi-value call).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// ms rounds a time as the store keeps it.
func ms(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.UnixMilli(t.UnixMilli())
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	f := town(t)
	snap := must(gpkg.Open(ctx, f.path))
	defer snap.Close()

	grids := must(f.st.Grids(ctx))
	gotGrids := must(snap.Grids(ctx))
	same(t, "grids", gotGrids, grids)
	for i := range grids {
		if d := maxDiff(gotGrids[i].Geometry, grids[i].Geometry); d > 1e-9 {
			t.Fatalf("grid %s boundary differs by %g", grids[i].ID, d)
		}
	}
	entities := must(f.st.Entities(ctx))
	same(t, "entities", must(snap.Entities(ctx)), entities)
	same(t, "units", must(snap.Units(ctx)), must(f.st.Units(ctx)))
	same(t, "users", must(snap.Users(ctx)), must(f.st.Users(ctx)))
	cases := must(f.st.Cases(ctx))
	same(t, "cases", must(snap.Cases(ctx)), masked(cases))
	same(t, "open cases", must(snap.OpenCases(ctx)), masked(must(f.st.OpenCases(ctx))))
	same(t, "check items", must(snap.CheckItems(ctx)), must(f.st.CheckItems(ctx)))
	for _, c := range cases {
		same(t, "timeline of "+c.ID, must(snap.Timeline(ctx, c.ID)), must(f.st.Timeline(ctx, c.ID)))
	}
	for _, e := range entities {
		same(t, "inspections of "+e.ID, must(snap.Inspections(ctx, e.ID)), must(f.st.Inspections(ctx, e.ID)))
	}

	// The store has no reads for findings and tasks: compare with the data
	// that was saved.
	findings := map[string][]domain.Finding{}
	for _, x := range f.d.Findings {
		x.Deadline, x.RectifiedAt, x.UpdatedAt = ms(x.Deadline), ms(x.RectifiedAt), ms(x.UpdatedAt)
		findings[x.EntityID] = append(findings[x.EntityID], x)
	}
	for id, want := range findings {
		sort.Slice(want, func(i, j int) bool { return want[i].ID < want[j].ID })
		same(t, "findings of "+id, must(snap.Findings(ctx, id)), want)
	}
	tasks := map[string][]domain.Task{}
	for _, x := range f.d.Tasks {
		x.CreatedAt, x.DueAt, x.UpdatedAt = ms(x.CreatedAt), ms(x.DueAt), ms(x.UpdatedAt)
		tasks[x.CaseID] = append(tasks[x.CaseID], x)
	}
	for id, want := range tasks {
		sort.Slice(want, func(i, j int) bool {
			return want[i].CreatedAt.Before(want[j].CreatedAt) || want[i].CreatedAt.Equal(want[j].CreatedAt) && want[i].ID < want[j].ID
		})
		same(t, "tasks of "+id, must(snap.Tasks(ctx, id)), want)
	}

	plans := must(f.st.Plans(ctx))
	same(t, "plans", must(snap.Plans(ctx)), plans)
	for _, p := range plans {
		same(t, "visits of "+p.ID, must(snap.Visits(ctx, p.ID)), must(f.st.Visits(ctx, p.ID)))
	}

	// Photos (their lists are compared with the inspections and findings
	// above): those named that the store has, with their bytes; not the one
	// the store lacks nor one nothing names.
	for _, id := range append(f.inspection.Photos, f.finding.Photos...) {
		if id == f.missing {
			continue
		}
		samePhoto(t, must(snap.Photo(ctx, id)), f.photos[id])
	}
	for _, id := range []string{f.missing, f.unnamed} {
		if _, err := snap.Photo(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Photo(%.12s) = %v, want ErrNotFound", id, err)
		}
	}
	if want := len(f.d.Photos) + 2; f.sum.Photos != want { // the demo's and the fixture's kept and named
		t.Errorf("summary says %d photos written, want %d", f.sum.Photos, want)
	}

	counts := must(f.st.Counts(ctx))
	delete(counts, domain.KindSetting) // nor admin settings (the demo has none)
	if got := must(snap.Counts(ctx)); !reflect.DeepEqual(got, counts) {
		t.Errorf("counts = %v, want %v", got, counts)
	}
	if !reflect.DeepEqual(f.sum.Counts, counts) {
		t.Errorf("summary counts = %v, want %v", f.sum.Counts, counts)
	}
	m := snap.Meta()
	if m.FormatVersion != gpkg.FormatVersion || m.SchemaVersion != store.SchemaVersion() || m.Title != "临浦镇 test snapshot" ||
		m.ExportedBy != "auditor" || m.Server != "https://griddesk.example" || m.ServerID != "abc123" ||
		!m.ExportedAt.Equal(now) || m.Grids != nil || !m.From.IsZero() || !m.To.IsZero() || !reflect.DeepEqual(m.Counts, counts) {
		t.Errorf("meta = %+v", m)
	}
	if !f.sum.SpatialIndex {
		t.Error("no spatial index written; modernc sqlite has the rtree module")
	}
	if f.sum.Bound.IsEmpty() || !f.sum.Bound.Contains(orb.Point{120.25, 30.06}) {
		t.Errorf("bound = %v", f.sum.Bound)
	}
	if c, err := snap.Case(ctx, cases[0].ID); err != nil || !reflect.DeepEqual(c, cases[0].Masked()) {
		t.Errorf("Case(%s) = %+v, %v", cases[0].ID, c, err)
	}
	if _, err := snap.Entity(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Entity(nope) = %v, want ErrNotFound", err)
	}
}

// samePhoto fails the test when a photo read back differs from the one
// kept (but for the state, which a snapshot does not carry).
func samePhoto(t *testing.T, got, want domain.Photo) {
	t.Helper()
	if got.ID != want.ID || got.MIME != want.MIME || got.Width != want.Width || got.Height != want.Height ||
		!bytes.Equal(got.Data, want.Data) || !bytes.Equal(got.Rendition, want.Rendition) || !got.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("photo %.12s = %s %d×%d, %d bytes, %v; want %s %d×%d, %d bytes, %v", want.ID, got.MIME, got.Width,
			got.Height, len(got.Data), got.CreatedAt, want.MIME, want.Width, want.Height, len(want.Data), want.CreatedAt)
	}
}

func maxDiff(a, b orb.MultiPolygon) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var d float64
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return math.Inf(1)
		}
		for j := range a[i] {
			if len(a[i][j]) != len(b[i][j]) {
				return math.Inf(1)
			}
			for k := range a[i][j] {
				d = max(d, math.Abs(a[i][j][k][0]-b[i][j][k][0]), math.Abs(a[i][j][k][1]-b[i][j][k][1]))
			}
		}
	}
	return d
}

// TestReview loads the snapshot into a private store: every store read the
// desk makes gives the source's answer.
func TestReview(t *testing.T) {
	ctx := context.Background()
	f := town(t)
	r := must(gpkg.OpenReview(ctx, f.path, t.TempDir()))
	defer r.Close()
	same(t, "grids", must(r.Store.Grids(ctx)), must(f.st.Grids(ctx)))
	same(t, "entities", must(r.Store.Entities(ctx)), must(f.st.Entities(ctx)))
	same(t, "units", must(r.Store.Units(ctx)), must(f.st.Units(ctx)))
	same(t, "users", must(r.Store.Users(ctx)), must(f.st.Users(ctx)))
	same(t, "cases", must(r.Store.Cases(ctx)), masked(must(f.st.Cases(ctx))))
	same(t, "check items", must(r.Store.CheckItems(ctx)), must(f.st.CheckItems(ctx)))
	plans := must(f.st.Plans(ctx))
	if len(plans) != len(f.plans) {
		t.Fatalf("source has %d plans, the fixture published %d", len(plans), len(f.plans))
	}
	same(t, "plans", must(r.Store.Plans(ctx)), plans)
	for _, p := range plans {
		same(t, "visits of "+p.ID, must(r.Store.Visits(ctx, p.ID)), must(f.st.Visits(ctx, p.ID)))
	}
	if got, want := must(r.Store.OpenTimelines(ctx)), must(f.st.OpenTimelines(ctx)); !reflect.DeepEqual(got, want) {
		t.Error("open timelines differ")
	}
	if got, want := must(r.Store.Names(ctx)), must(f.st.Names(ctx)); !reflect.DeepEqual(got, want) {
		t.Error("names differ")
	}
	if got, want := must(r.Store.Counts(ctx)), must(f.st.Counts(ctx)); !reflect.DeepEqual(got, want) {
		t.Errorf("counts = %v, want %v", got, want)
	}
	// An inspection report of the review (core/report reads st.Inspection,
	// st.FindingsOf and st.Photo) shows the photos the snapshot carries
	// and says the missing one is not at hand.
	in := must(r.Store.Inspection(ctx, f.inspection.ID))
	if !reflect.DeepEqual(in.Photos, f.inspection.Photos) {
		t.Errorf("review inspection photos = %v, want %v", in.Photos, f.inspection.Photos)
	}
	for _, id := range in.Photos {
		p, err := r.Store.Photo(ctx, id)
		switch {
		case id == f.missing:
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("review has the photo the source lacked: %v", err)
			}
		case err != nil:
			t.Errorf("review photo: %v", err)
		default:
			samePhoto(t, p, f.photos[id])
		}
	}
	found := false
	for _, x := range must(r.Store.FindingsOf(ctx, f.finding.InspectionID)) {
		if x.ID == f.finding.ID {
			found = true
			if !reflect.DeepEqual(x.Photos, f.finding.Photos) {
				t.Errorf("review finding photos = %v, want %v", x.Photos, f.finding.Photos)
			}
		}
	}
	if !found {
		t.Errorf("review has no finding %s", f.finding.ID)
	}
	if p, err := r.Store.Photo(ctx, f.finding.Photos[0]); err != nil {
		t.Errorf("review rectification photo: %v", err)
	} else {
		samePhoto(t, p, f.photos[p.ID])
	}
	if _, err := r.Store.Photo(ctx, f.unnamed); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("review has a photo nothing names: %v", err)
	}

	if v := must(r.Store.Meta(ctx, gpkg.MetaKey)); v == "" {
		t.Error("review store does not say it is a snapshot")
	}
	if r.Meta.Title != "临浦镇 test snapshot" {
		t.Errorf("meta title = %q", r.Meta.Title)
	}
	dir := filepath.Dir(r.Store.Path())
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("review files left behind in %s", dir)
	}
}

func TestExportRefusesOverwrite(t *testing.T) {
	ctx := context.Background()
	f := town(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "x.gpkg")
	if err := os.WriteFile(path, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := gpkg.Export(ctx, f.st, path, gpkg.ExportOptions{}); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("export over a file = %v, want fs.ErrExist", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "precious" {
		t.Fatal("existing file was changed")
	}
	if _, err := gpkg.Export(ctx, f.st, path, gpkg.ExportOptions{Overwrite: true, Grids: []string{"B001"}}); err != nil {
		t.Fatalf("export with Overwrite: %v", err)
	}
	snap := must(gpkg.Open(ctx, path))
	snap.Close()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files after export: %v, want only x.gpkg", entries)
	}
}

func TestExportErrorsLeaveNothing(t *testing.T) {
	ctx := context.Background()
	f := town(t)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		opts gpkg.ExportOptions
		want error
	}{
		{"unknown grid", ctx, gpkg.ExportOptions{Grids: []string{"B001", "NOPE"}}, store.ErrNotFound},
		{"empty range", ctx, gpkg.ExportOptions{From: now, To: now.Add(-time.Hour)}, nil},
		{"cancelled", cancelled, gpkg.ExportOptions{}, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := gpkg.Export(tc.ctx, f.st, filepath.Join(dir, "x.gpkg"), tc.opts)
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("left behind: %v", entries)
			}
		})
	}
}

func BenchmarkExportTown(b *testing.B) {
	ctx := context.Background()
	f := town(b)
	dir := b.TempDir()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		path := filepath.Join(dir, "town.gpkg")
		if _, err := gpkg.Export(ctx, f.st, path, gpkg.ExportOptions{Overwrite: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOddPaths: file names with spaces, CJK and URI characters export and
// open (SQLite sees them through a file: URI).
func TestOddPaths(t *testing.T) {
	ctx := context.Background()
	f := town(t)
	dir := filepath.Join(t.TempDir(), "审查 #1")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "临浦镇 快照?v=1 100%.gpkg")
	if _, err := gpkg.Export(ctx, f.st, path, gpkg.ExportOptions{Grids: []string{"B003"}}); err != nil {
		t.Fatal(err)
	}
	snap, err := gpkg.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	if n := must(snap.Counts(ctx)); n[domain.KindGrid] == 0 {
		t.Errorf("counts = %v", n)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != filepath.Base(path) {
		t.Errorf("files = %v", entries)
	}
}
