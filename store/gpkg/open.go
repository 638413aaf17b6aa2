package gpkg

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Errors Open wraps, so callers can tell the user what kind of file they
// picked. Every Open error also names the file and the problem.
var (
	// ErrNotGeoPackage: not a SQLite database, or a SQLite database that
	// is not a GeoPackage.
	ErrNotGeoPackage = errors.New("not a GeoPackage file")
	// ErrNotSnapshot: a GeoPackage, but not one GridDesk wrote (QGIS
	// layers, an OSM extract …).
	ErrNotSnapshot = errors.New("not a GridDesk snapshot")
	// ErrCorrupt: a GridDesk snapshot that is damaged or truncated.
	ErrCorrupt = errors.New("snapshot file is damaged")
	// ErrUnsupported: a snapshot from a newer GridDesk.
	ErrUnsupported = errors.New("snapshot format not supported")
)

// Snapshot is an opened snapshot file, read-only. Its read methods mirror
// the store's and return store types.
type Snapshot struct {
	db   *sql.DB
	path string
	meta Metadata
}

// sqliteMagic starts every SQLite 3 database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// Open validates the file at path and opens it read-only: the SQLite header
// (magic, GeoPackage application_id and version, size against the page
// count), SQLite's own quick_check, the GeoPackage and GridDesk tables and
// their columns, and the metadata. A bad file gives an error wrapping
// ErrNotGeoPackage, ErrNotSnapshot, ErrCorrupt or ErrUnsupported.
func Open(ctx context.Context, path string) (*Snapshot, error) {
	s, err := open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("gpkg: open snapshot %s: %w", path, err)
	}
	return s, nil
}

func open(ctx context.Context, path string) (*Snapshot, error) {
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "query_only(1)")
	q.Add("_pragma", "busy_timeout(5000)")
	db, err := sql.Open("sqlite", fileDSN(path, q))
	if err != nil {
		return nil, err
	}
	s := &Snapshot{db: db, path: path}
	if err := s.validate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// checkHeader reads the 100-byte SQLite header before SQLite sees the file,
// so foreign and truncated files get a precise message.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("%w: it is a folder", ErrNotGeoPackage)
	}
	var h [100]byte
	n, _ := io.ReadFull(f, h[:])
	got := h[:n]
	switch {
	case n == 0:
		return fmt.Errorf("%w: the file is empty", ErrNotGeoPackage)
	case !bytes.HasPrefix(got, sqliteMagic) && !bytes.HasPrefix(sqliteMagic, got):
		return fmt.Errorf("%w: not a SQLite database (%s)", ErrNotGeoPackage, sniff(got))
	case n < len(h):
		return fmt.Errorf("%w: only %d bytes, shorter than a SQLite header (truncated?)", ErrCorrupt, n)
	}
	pageSize := int64(binary.BigEndian.Uint16(h[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return fmt.Errorf("%w: header page size %d is invalid", ErrCorrupt, pageSize)
	}
	pages := int64(binary.BigEndian.Uint32(h[28:32]))
	sizeValid := binary.BigEndian.Uint32(h[92:96]) == binary.BigEndian.Uint32(h[24:28])
	if sizeValid && pages > 0 && fi.Size() < pages*pageSize {
		return fmt.Errorf("%w: %d bytes, but the header says %d pages of %d bytes (%d bytes): the file was cut short",
			ErrCorrupt, fi.Size(), pages, pageSize, pages*pageSize)
	}
	if fi.Size()%pageSize != 0 {
		return fmt.Errorf("%w: %d bytes is not a whole number of %d-byte pages (truncated?)", ErrCorrupt, fi.Size(), pageSize)
	}
	appID := binary.BigEndian.Uint32(h[68:72])
	switch appID {
	case applicationID:
	case 0x47503130, 0x47503131: // "GP10", "GP11"
		return fmt.Errorf("%w: a GeoPackage 1.0/1.1 file; GridDesk snapshots are GeoPackage 1.3", ErrNotSnapshot)
	case 0:
		return fmt.Errorf("%w: a SQLite database without the GeoPackage application_id", ErrNotGeoPackage)
	default:
		return fmt.Errorf("%w: a SQLite database with application_id %#x (%q), not \"GPKG\"", ErrNotGeoPackage, appID, h[68:72])
	}
	if v := binary.BigEndian.Uint32(h[60:64]); v < minVersion {
		return fmt.Errorf("%w: GeoPackage user_version %d, want %d or later", ErrUnsupported, v, minVersion)
	}
	return nil
}

// sniff names a few file types users pick by mistake.
func sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return "a ZIP archive: a zipped .gpkg must be unzipped first; an .xlsx is not a snapshot"
	case bytes.HasPrefix(b, []byte("%PDF")):
		return "a PDF document"
	case bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n\xef\xbb\xbf"), []byte("{")):
		return "JSON text, perhaps GeoJSON: import it instead"
	}
	head := b[:min(len(b), 16)]
	for len(head) > 0 && !utf8.Valid(head) { // a rune cut at the end
		head = head[:len(head)-1]
	}
	text := len(head) > 0
	for _, r := range string(head) {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			text = false
		}
	}
	if text {
		return fmt.Sprintf("it starts with the text %q", head)
	}
	return fmt.Sprintf("it starts with the bytes % x", b[:min(len(b), 8)])
}

func (s *Snapshot) validate(ctx context.Context) error {
	if err := s.quickCheck(ctx); err != nil {
		return err
	}
	tables := map[string]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type IN ('table', 'view')`)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		tables[name] = true
	}
	rows.Close()
	for _, name := range []string{"gpkg_spatial_ref_sys", "gpkg_contents", "gpkg_geometry_columns"} {
		if !tables[name] {
			return fmt.Errorf("%w: GeoPackage table %s is missing", ErrNotGeoPackage, name)
		}
	}
	if !tables[metadataTable.name] {
		return fmt.Errorf("%w: no %s table (a GeoPackage from another program)", ErrNotSnapshot, metadataTable.name)
	}
	if err := s.readMeta(ctx); err != nil {
		return err
	}
	for _, t := range allTables {
		if !t.in(s.meta.FormatVersion) {
			continue
		}
		if !tables[t.name] {
			return fmt.Errorf("%w: table %s is missing", ErrCorrupt, t.name)
		}
		if err := s.checkColumns(ctx, t); err != nil {
			return err
		}
	}
	for _, t := range []table{gridsTable, entitiesTable, casesTable} {
		var typ string
		var srs int
		err := s.db.QueryRowContext(ctx, `SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns
			WHERE table_name = ? AND column_name = 'geom'`, t.name).Scan(&typ, &srs)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: %s.geom is not registered in gpkg_geometry_columns", ErrCorrupt, t.name)
		}
		if err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		if !strings.EqualFold(typ, t.geomType) || srs != srsWGS84 {
			return fmt.Errorf("%w: %s.geom is %s in SRS %d, want %s in EPSG:4326", ErrCorrupt, t.name, typ, srs, t.geomType)
		}
	}
	return nil
}

// quickCheck runs SQLite's structural check of every page.
func (s *Snapshot) quickCheck(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `PRAGMA quick_check(4)`)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		if line != "ok" && !strings.HasPrefix(line, "*** in database") {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: SQLite integrity check: %s", ErrCorrupt, strings.Join(problems, "; "))
	}
	return nil
}

func (s *Snapshot) checkColumns(ctx context.Context, t table) error {
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, t.name)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		have[name] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	for _, c := range t.cols {
		if !have[c.name] && t.has(c, s.meta.FormatVersion) {
			return fmt.Errorf("%w: table %s has no column %s", ErrCorrupt, t.name, c.name)
		}
	}
	if t.features() && !have["geom"] {
		return fmt.Errorf("%w: table %s has no geom column", ErrCorrupt, t.name)
	}
	return nil
}

func (s *Snapshot) readMeta(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT key, value FROM `+metadataTable.name)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrNotSnapshot, metadataTable.name, err)
	}
	defer rows.Close()
	kv := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(textOf(&k), textOf(&v)); err != nil {
			return fmt.Errorf("%w: %s: %w", ErrCorrupt, metadataTable.name, err)
		}
		kv[k] = v
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrCorrupt, metadataTable.name, err)
	}
	s.meta, err = parseMetadata(kv)
	return err
}

// Close closes the file.
func (s *Snapshot) Close() error { return s.db.Close() }

// Path is the snapshot's file.
func (s *Snapshot) Path() string { return s.path }

// Meta says what the snapshot holds and where it came from.
func (s *Snapshot) Meta() Metadata { return s.meta }
