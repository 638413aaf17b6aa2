package gpkg_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"griddesk/domain"
	"griddesk/domain/photo"
	"griddesk/store"
	"griddesk/store/gpkg"
)

// wantErr checks that err wraps target and mentions the words.
func wantErr(t *testing.T, err, target error, words ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", target)
	}
	if !errors.Is(err, target) {
		t.Fatalf("error %q does not wrap %v", err, target)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
}

// edit changes a copy of the snapshot with plain SQL. It drops the R-tree
// triggers first: they call ST_* functions that only GIS tools provide.
func edit(t *testing.T, src string, stmts ...string) string {
	t.Helper()
	p := copyFile(t, src)
	db, err := sql.Open("sqlite", "file:"+p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var triggers []string
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'trigger'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		rows.Scan(&name)
		triggers = append(triggers, "DROP TRIGGER "+name)
	}
	rows.Close()
	for _, q := range append(triggers, stmts...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return p
}

func TestOpenRejectsBadFiles(t *testing.T) {
	ctx := context.Background()
	f := town(t)
	good, err := os.ReadFile(f.path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	random := make([]byte, 64<<10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	// a page in the middle overwritten with noise
	smashed := append([]byte(nil), good...)
	copy(smashed[len(smashed)/2/4096*4096:], random[:4096])

	plain := filepath.Join(dir, "plain.db")
	st, err := store.Open(ctx, plain, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	for _, tc := range []struct {
		name  string
		path  string
		want  error
		words []string
	}{
		{"missing", filepath.Join(dir, "nope.gpkg"), fs.ErrNotExist, nil},
		{"folder", dir, gpkg.ErrNotGeoPackage, []string{"folder"}},
		{"empty", write("empty.gpkg", nil), gpkg.ErrNotGeoPackage, []string{"empty"}},
		{"random bytes", write("random.gpkg", random), gpkg.ErrNotGeoPackage, []string{"not a SQLite database"}},
		{"text", write("notes.gpkg", []byte("这不是地理包\n")), gpkg.ErrNotGeoPackage, []string{"not a SQLite database"}},
		{"zip", write("zipped.gpkg", []byte("PK\x03\x04 rest of a zip")), gpkg.ErrNotGeoPackage, []string{"ZIP"}},
		{"geojson", write("grids.gpkg", []byte(`{"type":"FeatureCollection"}`)), gpkg.ErrNotGeoPackage, []string{"GeoJSON"}},
		{"header only", write("short.gpkg", good[:50]), gpkg.ErrCorrupt, []string{"50 bytes"}},
		{"truncated half", write("half.gpkg", good[:len(good)/2]), gpkg.ErrCorrupt, []string{"cut short"}},
		{"truncated odd", write("odd.gpkg", good[:len(good)-1000]), gpkg.ErrCorrupt, nil},
		{"smashed page", write("smashed.gpkg", smashed), gpkg.ErrCorrupt, nil},
		{"plain sqlite", plain, gpkg.ErrNotGeoPackage, []string{"application_id"}},
		{"no metadata", edit(t, f.path, "DROP TABLE griddesk_metadata"), gpkg.ErrNotSnapshot, []string{"griddesk_metadata"}},
		{"other format", edit(t, f.path, "UPDATE griddesk_metadata SET value = 'x' WHERE key = 'format'"), gpkg.ErrNotSnapshot, nil},
		{"newer format", edit(t, f.path, "UPDATE griddesk_metadata SET value = '99' WHERE key = 'format_version'"),
			gpkg.ErrUnsupported, []string{"99"}},
		{"bad date in metadata", edit(t, f.path, "UPDATE griddesk_metadata SET value = 'yesterday' WHERE key = 'exported_at'"),
			gpkg.ErrCorrupt, []string{"exported_at"}},
		{"missing table", edit(t, f.path, "DROP TABLE findings"), gpkg.ErrCorrupt, []string{"findings"}},
		{"missing column", edit(t, f.path, "ALTER TABLE entities DROP COLUMN qr_token"), gpkg.ErrCorrupt, []string{"qr_token"}},
		{"wrong srs", edit(t, f.path, "UPDATE gpkg_geometry_columns SET srs_id = 0 WHERE table_name = 'cases'"),
			gpkg.ErrCorrupt, []string{"cases"}},
		{"no gpkg_contents", edit(t, f.path, "DROP TABLE gpkg_geometry_columns", "DROP TABLE gpkg_contents"),
			gpkg.ErrNotGeoPackage, []string{"gpkg_contents"}},
		{"old GeoPackage", edit(t, f.path, "PRAGMA application_id = 1196437808"), gpkg.ErrNotSnapshot, []string{"1.0/1.1"}},
		{"future GeoPackage id", edit(t, f.path, "PRAGMA user_version = 10100"), gpkg.ErrUnsupported, []string{"10100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := gpkg.Open(ctx, tc.path)
			if s != nil {
				s.Close()
			}
			wantErr(t, err, tc.want, tc.words...)
			t.Log(err)
			if !strings.Contains(err.Error(), tc.path) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

// TestReadsRejectBadRows: damage that passes Open's checks (bad values in
// single rows) surfaces from the read that meets it, as ErrCorrupt with
// the table and row named, and Load refuses the whole snapshot.
func TestReadsRejectBadRows(t *testing.T) {
	ctx := context.Background()
	f := town(t)
	for _, tc := range []struct {
		name  string
		stmt  string
		read  func(*gpkg.Snapshot) error
		words []string
	}{
		{"geometry garbage", "UPDATE grids SET geom = x'47500003' WHERE fid = 3",
			func(s *gpkg.Snapshot) error { _, err := s.Grids(ctx); return err }, []string{"grids", "fid=3"}},
		{"geometry not GP", "UPDATE entities SET geom = x'01010000000000000000000000000000000000000000' WHERE fid = 7",
			func(s *gpkg.Snapshot) error { _, err := s.Entities(ctx); return err }, []string{"entities", "fid=7", "magic"}},
		{"point as grid", "UPDATE grids SET geom = (SELECT geom FROM entities WHERE fid = 1) WHERE fid = 2",
			func(s *gpkg.Snapshot) error { _, err := s.Grids(ctx); return err }, []string{"Point"}},
		{"bad json list", "UPDATE entities SET tags = '[oops' WHERE fid = 5",
			func(s *gpkg.Snapshot) error { _, err := s.Entities(ctx); return err }, []string{"entities", "fid=5"}},
		{"bad date", "UPDATE cases SET closed_at = 'someday' WHERE fid = 1",
			func(s *gpkg.Snapshot) error { _, err := s.Cases(ctx); return err }, []string{"cases", "closed_at"}},
		{"bad photo list", "UPDATE findings SET photos = '{' WHERE id = '" + f.finding.ID + "'",
			func(s *gpkg.Snapshot) error { _, err := s.Findings(ctx, f.finding.EntityID); return err }, []string{"findings", "photos"}},
		{"photo data not its id", fmt.Sprintf("UPDATE photos SET data = x'%x' WHERE id = '%s'", testPNG(8, 8, 9), f.inspection.Photos[0]),
			func(s *gpkg.Snapshot) error { _, err := s.Photo(ctx, f.inspection.Photos[0]); return err },
			[]string{"photos", "fid=", f.inspection.Photos[0], "SHA-256"}},
		{"photo not an image", fmt.Sprintf("UPDATE photos SET id = '%s', data = CAST('hello' AS BLOB) WHERE id = '%s'",
			photo.ID([]byte("hello")), f.inspection.Photos[0]),
			func(s *gpkg.Snapshot) error { _, err := s.Photo(ctx, photo.ID([]byte("hello"))); return err },
			[]string{"photos", "fid=", "not a JPEG, PNG or GIF"}},
		{"photo size not its data's", fmt.Sprintf("UPDATE photos SET width = 4000 WHERE id = '%s'", f.finding.Photos[0]),
			func(s *gpkg.Snapshot) error { _, err := s.Photo(ctx, f.finding.Photos[0]); return err },
			[]string{"photos", "fid=", "4000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := edit(t, f.path, tc.stmt)
			s, err := gpkg.Open(ctx, p)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			defer s.Close()
			err = tc.read(s)
			wantErr(t, err, gpkg.ErrCorrupt, tc.words...)
			t.Log(err)
			dst, err := store.Open(ctx, filepath.Join(t.TempDir(), "review.db"), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer dst.Close()
			if err := s.Load(ctx, dst); !errors.Is(err, gpkg.ErrCorrupt) {
				t.Fatalf("Load = %v, want ErrCorrupt", err)
			}
			if n, _ := dst.Counts(ctx); n[domain.KindGrid] != 0 || n[domain.KindEntity] != 0 {
				t.Errorf("Load left rows behind: %v", n)
			}
		})
	}
}

// TestLoadValidatesRows: a row the store would refuse (an unknown entity
// kind) stops the load and leaves the destination empty.
func TestLoadValidatesRows(t *testing.T) {
	ctx := context.Background()
	f := town(t)
	p := edit(t, f.path, "UPDATE entities SET kind = 'castle' WHERE fid = 9")
	s, err := gpkg.Open(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dst, err := store.Open(ctx, filepath.Join(t.TempDir(), "review.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	err = s.Load(ctx, dst)
	if err == nil || !strings.Contains(err.Error(), "castle") {
		t.Fatalf("Load = %v, want the bad kind named", err)
	}
	if n, _ := dst.Counts(ctx); n[domain.KindGrid] != 0 {
		t.Errorf("Load left rows behind: %v", n)
	}
}

// TestOpenIsReadOnly: the snapshot cannot be changed through Open, and
// opening leaves the file byte-for-byte as it was.
func TestOpenIsReadOnly(t *testing.T) {
	ctx := context.Background()
	f := town(t)
	p := copyFile(t, f.path)
	before, _ := os.ReadFile(p)
	s, err := gpkg.Open(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Grids(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	after, _ := os.ReadFile(p)
	if string(before) != string(after) {
		t.Error("Open changed the file")
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("Open left files beside the snapshot: %v", entries)
	}
}

// toFormat2 turns a snapshot into one written before photos were carried:
// no photos table and no photos columns on inspections and findings.
var toFormat2 = []string{
	`DELETE FROM gpkg_contents WHERE table_name = 'photos'`, `DROP TABLE photos`,
	`ALTER TABLE inspections DROP COLUMN photos`, `ALTER TABLE findings DROP COLUMN photos`,
	`UPDATE griddesk_metadata SET value = '2' WHERE key = 'format_version'`,
}

// TestOpensFormat2 opens a snapshot written before photos were carried: it
// opens and reviews with no photos; a format 3 file without its photos
// table or columns is corrupt.
func TestOpensFormat2(t *testing.T) {
	ctx := context.Background()
	f := town(t)
	v2 := edit(t, f.path, toFormat2...)
	snap, err := gpkg.Open(ctx, v2)
	if err != nil {
		t.Fatalf("format 2 snapshot: %v", err)
	}
	defer snap.Close()
	for _, in := range must(snap.Inspections(ctx, f.inspection.EntityID)) {
		if in.Photos != nil {
			t.Errorf("format 2 inspection %s has photos %v", in.ID, in.Photos)
		}
	}
	if _, err := snap.Photo(ctx, f.inspection.Photos[0]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("format 2 Photo = %v, want ErrNotFound", err)
	}

	r, err := gpkg.OpenReview(ctx, v2, t.TempDir())
	if err != nil {
		t.Fatalf("format 2 review: %v", err)
	}
	defer r.Close()
	if in := must(r.Store.Inspection(ctx, f.inspection.ID)); in.Photos != nil {
		t.Errorf("format 2 review inspection has photos %v", in.Photos)
	}
	if _, err := r.Store.Photo(ctx, f.inspection.Photos[0]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("format 2 review Photo = %v, want ErrNotFound", err)
	}
	if got, want := len(must(r.Store.Plans(ctx))), len(f.plans); got != want {
		t.Errorf("format 2 review has %d plans, want %d", got, want)
	}

	for _, tc := range []struct {
		name  string
		stmts []string
		words []string
	}{
		{"no photos table", toFormat2[:2], []string{"table photos is missing"}},
		{"no photos column", toFormat2[3:4], []string{"findings", "photos"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := gpkg.Open(ctx, edit(t, f.path, tc.stmts...))
			wantErr(t, err, gpkg.ErrCorrupt, tc.words...)
		})
	}
}

// TestOpensFormat1 opens a snapshot written before plans were carried (its
// plans table had another, always-empty layout and there was no visits
// table, nor photos): it opens and reviews with no plans; a format 2 file
// without its visits table is corrupt.
func TestOpensFormat1(t *testing.T) {
	ctx := context.Background()
	f := town(t)
	drop := []string{
		`DELETE FROM gpkg_contents WHERE table_name IN ('plans', 'visits')`,
		`DROP TABLE visits`, `DROP TABLE plans`,
	}
	v1 := edit(t, f.path, append(append(toFormat2, drop...),
		`CREATE TABLE plans (fid INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL DEFAULT '',
			team_id TEXT NOT NULL DEFAULT '', grid_ids TEXT NOT NULL DEFAULT '[]', period_from DATETIME, period_to DATETIME,
			status TEXT NOT NULL DEFAULT '', visits TEXT NOT NULL DEFAULT '[]', created_by TEXT NOT NULL DEFAULT '', updated_at DATETIME)`,
		`UPDATE griddesk_metadata SET value = '1' WHERE key = 'format_version'`)...)
	r, err := gpkg.OpenReview(ctx, v1, t.TempDir())
	if err != nil {
		t.Fatalf("format 1 snapshot: %v", err)
	}
	defer r.Close()
	if got := must(r.Store.Plans(ctx)); len(got) != 0 {
		t.Errorf("format 1 review has %d plans", len(got))
	}
	if got, want := len(must(r.Store.Entities(ctx))), f.sum.Counts[domain.KindEntity]; got != want {
		t.Errorf("format 1 review has %d entities, want %d", got, want)
	}

	_, err = gpkg.Open(ctx, edit(t, f.path, append(toFormat2, drop[0], drop[1])...))
	wantErr(t, err, gpkg.ErrCorrupt, "visits")
}
