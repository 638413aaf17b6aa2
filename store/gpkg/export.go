package gpkg

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/store"
)

// ExportOptions choose what a snapshot holds.
type ExportOptions struct {
	// Grids limits the snapshot to these grids, the grids below them and
	// what lies inside them; empty exports the whole town. Units, users and
	// check items are always exported whole.
	Grids []string
	// From and To limit cases (by report time) and inspections (by visit
	// time) to [From, To); a zero bound is open. Tasks and case actions
	// follow their cases, findings their inspections. Grids and entities are
	// current state and not limited by time.
	From, To time.Time
	// Meta says what the export is, who made it and from which server.
	// Export fills in the scope, the counts and the versions itself;
	// ExportedAt defaults to now.
	Meta Metadata
	// Overwrite replaces an existing file; without it Export refuses.
	Overwrite bool
	// Photo reads a photo the exported records name; one it answers
	// store.ErrNotFound for is left out. Default: src.Photo. A desk passes
	// one that fetches the photos it has not kept yet.
	Photo func(ctx context.Context, id string) (domain.Photo, error)
}

// Summary reports what Export wrote.
type Summary struct {
	Path         string
	Bytes        int64
	Counts       map[string]int // rows per kind, as in Metadata.Counts
	Bound        orb.Bound      // extent of the exported grids, entities and cases
	SpatialIndex bool           // R-tree indexes were written
	Photos       int            // photos written (photos are no store kind, so not in Counts)
	Meta         Metadata
}

// Export writes a snapshot of src to path. The file is written next to
// path under a temporary name and renamed into place when complete, so a
// failed or cancelled export leaves nothing behind and a reader never sees
// half a file. An existing path is an error wrapping fs.ErrExist unless
// opts.Overwrite is set.
func Export(ctx context.Context, src *store.Store, path string, opts ExportOptions) (Summary, error) {
	sum, err := export(ctx, src, path, opts)
	if err != nil {
		return Summary{}, fmt.Errorf("gpkg: export %s: %w", path, err)
	}
	return sum, nil
}

// ExportTo writes a snapshot of src to w (an HTTP response, say), going
// through a temporary file in dir ("" = the system's temporary directory),
// which it removes afterwards.
func ExportTo(ctx context.Context, src *store.Store, w io.Writer, dir string, opts ExportOptions) (Summary, error) {
	tmp, err := os.MkdirTemp(dir, "griddesk-snapshot-*")
	if err != nil {
		return Summary{}, fmt.Errorf("gpkg: export: %w", err)
	}
	defer os.RemoveAll(tmp)
	opts.Overwrite = false
	sum, err := Export(ctx, src, filepath.Join(tmp, "snapshot.gpkg"), opts)
	if err != nil {
		return Summary{}, err
	}
	f, err := os.Open(sum.Path)
	if err != nil {
		return Summary{}, fmt.Errorf("gpkg: export: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(w, f); err != nil {
		return Summary{}, fmt.Errorf("gpkg: export: send: %w", err)
	}
	sum.Path = ""
	return sum, nil
}

func export(ctx context.Context, src *store.Store, path string, opts ExportOptions) (Summary, error) {
	if !opts.From.IsZero() && !opts.To.IsZero() && !opts.From.Before(opts.To) {
		return Summary{}, fmt.Errorf("time range %s – %s is empty", timeText(opts.From), timeText(opts.To))
	}
	if !opts.Overwrite {
		if _, err := os.Lstat(path); err == nil {
			return Summary{}, fmt.Errorf("file exists (choose another name or overwrite): %w", fs.ErrExist)
		}
	}
	c, err := readSource(ctx, src, opts)
	if err != nil {
		return Summary{}, err
	}
	meta := opts.Meta
	meta.FormatVersion, meta.SchemaVersion = FormatVersion, store.SchemaVersion()
	meta.Grids, meta.From, meta.To = append([]string(nil), opts.Grids...), opts.From, opts.To
	meta.Counts = c.counts()
	if meta.ExportedAt.IsZero() {
		meta.ExportedAt = time.Now()
	}
	meta.ExportedAt = time.UnixMilli(meta.ExportedAt.UnixMilli())

	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return Summary{}, err
	}
	tmpPath := tmp.Name()
	tmp.Close()
	done := false
	defer func() {
		if !done {
			os.Remove(tmpPath)
			os.Remove(tmpPath + "-journal")
		}
	}()
	photos := photoSource(src.Photo)
	if opts.Photo != nil {
		photos = opts.Photo
	}
	sum, err := write(ctx, tmpPath, c, meta, photos)
	if err != nil {
		return Summary{}, err
	}
	if err := syncFile(tmpPath); err != nil {
		return Summary{}, err
	}
	if !opts.Overwrite {
		if _, err := os.Lstat(path); err == nil {
			return Summary{}, fmt.Errorf("file appeared while exporting: %w", fs.ErrExist)
		}
	}
	if err := os.Rename(tmpPath, path); err != nil {
		return Summary{}, err
	}
	done = true
	fi, err := os.Stat(path)
	if err != nil {
		return Summary{}, err
	}
	sum.Path, sum.Bytes = path, fi.Size()
	return sum, nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// fileDSN builds a SQLite URI for path, escaping the characters URIs give
// a meaning to, with the given query parameters.
func fileDSN(path string, q url.Values) string {
	p := filepath.ToSlash(path)
	p = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
	if filepath.VolumeName(path) != "" { // C:/x → file:///C:/x
		p = "/" + p
	}
	return "file:" + p + "?" + q.Encode()
}

// write creates the GeoPackage at path (an empty or missing file), reading
// the bytes of c's photos from photos.
func write(ctx context.Context, path string, c *content, meta Metadata, photos photoSource) (Summary, error) {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(MEMORY)")
	q.Add("_pragma", "synchronous(OFF)")
	q.Add("_pragma", "foreign_keys(1)")
	db, err := sql.Open("sqlite", fileDSN(path, q))
	if err != nil {
		return Summary{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	rtree := rtreeAvailable(ctx, db)

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return Summary{}, err
	}
	defer tx.Rollback()
	w := &writer{ctx: ctx, tx: tx, rtree: rtree, bounds: map[string]orb.Bound{}, photo: photos}
	if err := w.schema(); err != nil {
		return Summary{}, err
	}
	if err := w.content(c, meta); err != nil {
		return Summary{}, err
	}
	if err := w.register(meta.ExportedAt); err != nil {
		return Summary{}, err
	}
	if err := tx.Commit(); err != nil {
		return Summary{}, fmt.Errorf("commit: %w", err)
	}
	// Identity last: a file cut short by a crash is never taken for a
	// GeoPackage.
	if _, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		return Summary{}, err
	}
	if _, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", userVersion)); err != nil {
		return Summary{}, err
	}
	if err := db.Close(); err != nil {
		return Summary{}, err
	}
	var bound orb.Bound
	first := true
	for _, t := range []string{gridsTable.name, entitiesTable.name, casesTable.name} {
		if b, ok := w.bounds[t]; ok {
			if first {
				bound, first = b, false
			} else {
				bound = bound.Union(b)
			}
		}
	}
	return Summary{Counts: meta.Counts, Bound: bound, SpatialIndex: rtree, Photos: w.nPhotos, Meta: meta}, nil
}

// rtreeAvailable reports whether the SQLite build has the R-tree module
// (modernc.org/sqlite is built with SQLITE_ENABLE_RTREE; this keeps the
// index optional, as the spec allows, should a build lack it).
func rtreeAvailable(ctx context.Context, db *sql.DB) bool {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_module_list WHERE name = 'rtree'`).Scan(&n)
	return err == nil && n > 0
}

// writer fills a new GeoPackage inside one transaction.
type writer struct {
	ctx     context.Context
	tx      *sql.Tx
	rtree   bool
	bounds  map[string]orb.Bound // feature table → extent
	photo   photoSource
	nPhotos int // photos written
}

func (w *writer) exec(q string, args ...any) error {
	if _, err := w.tx.ExecContext(w.ctx, q, args...); err != nil {
		return fmt.Errorf("%s: %w", firstLine(q), err)
	}
	return nil
}

func firstLine(q string) string {
	q, _, _ = strings.Cut(strings.TrimSpace(q), "\n")
	return q
}

func (w *writer) schema() error {
	for _, q := range coreDDL {
		if err := w.exec(q); err != nil {
			return err
		}
	}
	for _, t := range allTables {
		for _, q := range t.ddl() {
			if err := w.exec(q); err != nil {
				return err
			}
		}
		if t.features() && w.rtree {
			if err := w.exec(rtreeTable(t.name)); err != nil {
				return err
			}
		}
	}
	return nil
}

// register fills gpkg_contents and gpkg_geometry_columns and, with R-trees,
// gpkg_extensions and the index triggers.
func (w *writer) register(at time.Time) error {
	for _, t := range allTables {
		var minX, minY, maxX, maxY, srs any
		if t.features() {
			srs = srsWGS84
			if b, ok := w.bounds[t.name]; ok {
				minX, minY, maxX, maxY = b.Min[0], b.Min[1], b.Max[0], b.Max[1]
			}
		}
		if err := w.exec(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change,
			min_x, min_y, max_x, max_y, srs_id) VALUES (?,?,?,?,?,?,?,?,?,?)`,
			t.name, t.dataType(), t.name, t.desc, timeText(at), minX, minY, maxX, maxY, srs); err != nil {
			return err
		}
		if !t.features() {
			continue
		}
		if err := w.exec(`INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m)
			VALUES (?, 'geom', ?, ?, 0, 0)`, t.name, t.geomType, srsWGS84); err != nil {
			return err
		}
		if w.rtree {
			for _, q := range rtreeTriggers(t.name) {
				if err := w.exec(q); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// rows inserts values into t; row returns the i-th row's geometry (nil for
// attribute tables) and column values.
func (w *writer) rows(t table, n int, row func(i int) (orb.Geometry, []any)) error {
	st, err := w.tx.PrepareContext(w.ctx, t.insertSQL())
	if err != nil {
		return fmt.Errorf("prepare %s: %w", t.name, err)
	}
	defer st.Close()
	var rt *sql.Stmt
	if t.features() && w.rtree {
		if rt, err = w.tx.PrepareContext(w.ctx, `INSERT INTO `+rtreeName(t.name)+` VALUES (?,?,?,?,?)`); err != nil {
			return fmt.Errorf("prepare %s: %w", rtreeName(t.name), err)
		}
		defer rt.Close()
	}
	for i := 0; i < n; i++ {
		g, vals := row(i)
		if t.features() {
			blob, err := encodeGeom(g, srsWGS84)
			if err != nil {
				return fmt.Errorf("%s %v: %w", t.name, vals[0], err)
			}
			vals = append([]any{blob}, vals...)
		}
		res, err := st.ExecContext(w.ctx, vals...)
		if err != nil {
			return fmt.Errorf("insert into %s: %w", t.name, err)
		}
		if !t.features() {
			continue
		}
		b := g.Bound()
		if old, ok := w.bounds[t.name]; ok {
			w.bounds[t.name] = old.Union(b)
		} else {
			w.bounds[t.name] = b
		}
		if rt != nil {
			fid, err := res.LastInsertId()
			if err != nil {
				return fmt.Errorf("insert into %s: %w", t.name, err)
			}
			if _, err := rt.ExecContext(w.ctx, fid, b.Min[0], b.Max[0], b.Min[1], b.Max[1]); err != nil {
				return fmt.Errorf("index %s: %w", t.name, err)
			}
		}
	}
	return nil
}

// fill is one table's rows for writer.rows.
type fill struct {
	t   table
	n   int
	row func(int) (orb.Geometry, []any)
}

func (w *writer) content(c *content, meta Metadata) error {
	pairs := meta.pairs()
	steps := []fill{
		{gridsTable, len(c.grids), func(i int) (orb.Geometry, []any) {
			g := &c.grids[i]
			return g.Geometry, []any{g.ID, g.Name, g.Level, g.ParentID, g.Village, timeValue(g.UpdatedAt)}
		}},
		{entitiesTable, len(c.entities), func(i int) (orb.Geometry, []any) {
			e := &c.entities[i]
			return orb.Point{e.Lon, e.Lat}, []any{e.ID, e.Kind, e.Name, e.Address, e.GridID, encodeList(e.Tags),
				e.Code, e.QRToken, timeValue(e.UpdatedAt)}
		}},
		{casesTable, len(c.cases), func(i int) (orb.Geometry, []any) {
			k := &c.cases[i]
			return orb.Point{k.Lon, k.Lat}, []any{k.ID, k.No, k.Title, k.Description, k.Category, k.Source, k.GridID,
				k.EntityID, k.Status, k.Priority, k.Policy, k.UnitID, k.Reporter, timeValue(k.ReportedAt),
				timeValue(k.ClosedAt), k.Version, timeValue(k.UpdatedAt), k.Satisfaction,
				k.Address, encodeObject(k.Order), encodeList(domain.MaskCallers(k.Callers)), k.MergedInto, encodeObject(k.Supervision)}
		}},
		{unitsTable, len(c.units), func(i int) (orb.Geometry, []any) {
			u := &c.units[i]
			return nil, []any{u.ID, u.Name, u.Kind, u.Department, u.ParentID, encodeList(u.GridIDs), timeValue(u.UpdatedAt)}
		}},
		{usersTable, len(c.users), func(i int) (orb.Geometry, []any) {
			u := &c.users[i]
			return nil, []any{u.ID, u.Username, u.Name, u.Role, u.UnitID, u.Disabled, timeValue(u.UpdatedAt)}
		}},
		{tasksTable, len(c.tasks), func(i int) (orb.Geometry, []any) {
			t := &c.tasks[i]
			return nil, []any{t.ID, t.CaseID, t.UnitID, t.Status, timeValue(t.CreatedAt), timeValue(t.DueAt), timeValue(t.UpdatedAt)}
		}},
		{actionsTable, len(c.actions), func(i int) (orb.Geometry, []any) {
			a := &c.actions[i]
			return nil, []any{a.ID, a.CaseID, a.Action, a.FromStatus, a.ToStatus, a.Actor, timeValue(a.At), a.Note,
				encodeList(a.Photos), timeValue(a.UpdatedAt), encodeObject(a.Detail)}
		}},
		{inspectionsTable, len(c.inspections), func(i int) (orb.Geometry, []any) {
			in := &c.inspections[i]
			return nil, []any{in.ID, in.EntityID, in.TeamID, in.Inspector, timeValue(in.At), in.Status,
				encodeList(in.Results), encodeList(in.Photos), in.CodeBefore, in.CodeAfter, in.ReviewedBy,
				timeValue(in.ReviewedAt), timeValue(in.UpdatedAt)}
		}},
		{findingsTable, len(c.findings), func(i int) (orb.Geometry, []any) {
			f := &c.findings[i]
			return nil, []any{f.ID, f.InspectionID, f.EntityID, f.ItemID, f.Severity, f.Description,
				timeValue(f.Deadline), f.Status, timeValue(f.RectifiedAt), encodeList(f.Photos), timeValue(f.UpdatedAt)}
		}},
		{checkItemsTable, len(c.checkItems), func(i int) (orb.Geometry, []any) {
			k := &c.checkItems[i]
			return nil, []any{k.ID, k.Department, k.Domain, k.Name, encodeList(k.Kinds), encodeList(k.Tags), k.Method,
				k.Minutes, k.FrequencyDays, k.KeyDomain, k.LegalBasis, timeValue(k.UpdatedAt)}
		}},
		{plansTable, len(c.plans), func(i int) (orb.Geometry, []any) {
			p := &c.plans[i]
			summary := string(p.Summary)
			if summary == "" {
				summary = "{}"
			}
			return nil, []any{p.ID, p.Title, p.TeamID, timeValue(p.Start), timeValue(p.End), summary, p.PublishedBy,
				timeValue(p.PublishedAt), timeValue(p.UpdatedAt)}
		}},
		{visitsTable, len(c.visits), func(i int) (orb.Geometry, []any) {
			v := &c.visits[i]
			return nil, []any{v.ID, v.PlanID, v.TeamID, v.EntityID, timeValue(v.Day), v.Seq, encodeList(v.Items),
				encodeList(v.Departments), v.Minutes, v.Joint, v.Status, timeValue(v.UpdatedAt)}
		}},
		{metadataTable, len(pairs), func(i int) (orb.Geometry, []any) { return nil, []any{pairs[i][0], pairs[i][1]} }},
	}
	for _, s := range steps {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		if err := w.rows(s.t, s.n, s.row); err != nil {
			return err
		}
	}
	return w.photos(c.photos)
}
