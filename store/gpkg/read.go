package gpkg

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/store"
)

// The read methods below return the same rows, in the same order, as the
// store's methods of the same name. Values a GIS tool may have left in odd
// shapes (NULL text, numbers in text columns) are read leniently; values
// that cannot be read (bad dates, bad JSON, bad geometry) are errors
// wrapping ErrCorrupt and naming the table, row and column.

// textCol scans any SQLite value into a string; NULL is "".
type textCol[T ~string] struct{ p *T }

// textOf scans a text column into a string or a named string type (a status).
func textOf[T ~string](p *T) textCol[T] { return textCol[T]{p} }

func (c textCol[T]) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*c.p = ""
	case string:
		*c.p = T(x)
	case []byte:
		*c.p = T(x)
	case int64:
		*c.p = T(strconv.FormatInt(x, 10))
	case float64:
		*c.p = T(strconv.FormatFloat(x, 'f', -1, 64))
	case time.Time: // the driver parses DATETIME-typed columns itself
		*c.p = T(timeText(x))
	default:
		return fmt.Errorf("%T is not text", v)
	}
	return nil
}

// timeCol scans a DATETIME column; NULL and "" are the zero time.
type timeCol struct{ p *time.Time }

func (c timeCol) Scan(v any) error {
	if t, ok := v.(time.Time); ok { // the driver parses DATETIME-typed columns itself
		*c.p = time.UnixMilli(t.UnixMilli())
		return nil
	}
	var s string
	if err := (textOf(&s)).Scan(v); err != nil {
		return err
	}
	t, err := parseTime(s)
	*c.p = t
	return err
}

// listCol scans a JSON list column as the store does ("" and "[]" = nil).
type listCol[T any] struct{ p *[]T }

// objectCol scans an optional JSON object column (empty or NULL: nil).
type objectCol[T any] struct{ p **T }

func (c objectCol[T]) Scan(v any) error {
	var s string
	if err := (textOf(&s)).Scan(v); err != nil {
		return err
	}
	return decodeObject(s, c.p)
}

func (c listCol[T]) Scan(v any) error {
	var s string
	if err := (textOf(&s)).Scan(v); err != nil {
		return err
	}
	return decodeList(s, c.p)
}

// boolCol scans a BOOLEAN column; NULL is false.
type boolCol struct{ p *bool }

func (c boolCol) Scan(v any) error {
	var n sql.NullInt64
	if err := n.Scan(v); err != nil {
		return err
	}
	*c.p = n.Int64 != 0
	return nil
}

// geomCol scans a GeoPackage geometry.
type geomCol struct{ p *orb.Geometry }

func (c geomCol) Scan(v any) error {
	b, ok := v.([]byte)
	if !ok {
		return fmt.Errorf("geometry is %T, not a blob", v)
	}
	g, srs, err := decodeGeom(b)
	if err != nil {
		return err
	}
	if srs != srsWGS84 && srs != 0 {
		return fmt.Errorf("geometry in SRS %d, want 4326", srs)
	}
	*c.p = g
	return nil
}

// queryRows runs q over the snapshot and scans each row with scan, which
// gets the row's fid for messages.
func queryRows[T any](ctx context.Context, s *Snapshot, t table, where, order string, scan func(*sql.Rows) (T, error), args ...any) ([]T, error) {
	q := `SELECT fid, ` + t.selectCols(s.meta.FormatVersion) + ` FROM ` + t.name
	if where != "" {
		q += ` WHERE ` + where
	}
	q += ` ORDER BY ` + order
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("gpkg: snapshot %s: %w", t.name, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("gpkg: snapshot %s: %w: %w", t.name, ErrCorrupt, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("gpkg: snapshot %s: %w", t.name, err)
	}
	return out, nil
}

// rowErr names the row (by fid) of a scan error.
func rowErr(fid int64, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("row fid=%d: %w", fid, err)
}

func scanGrid(rows *sql.Rows) (domain.Grid, error) {
	var g domain.Grid
	var fid int64
	var geom orb.Geometry
	if err := rows.Scan(&fid, geomCol{&geom}, textOf(&g.ID), textOf(&g.Name), textOf(&g.Level),
		textOf(&g.ParentID), textOf(&g.Village), timeCol{&g.UpdatedAt}); err != nil {
		return g, rowErr(fid, err)
	}
	switch v := geom.(type) {
	case orb.MultiPolygon:
		g.Geometry = v
	case orb.Polygon:
		g.Geometry = orb.MultiPolygon{v}
	default:
		return g, rowErr(fid, fmt.Errorf("grid %s: boundary is a %s, want a MultiPolygon", g.ID, geom.GeoJSONType()))
	}
	return g, nil
}

// scanPoint reads a POINT geometry into lon/lat.
func scanPoint(fid int64, id string, geom orb.Geometry, lon, lat *float64) error {
	p, ok := geom.(orb.Point)
	if !ok {
		return rowErr(fid, fmt.Errorf("%s: location is a %s, want a Point", id, geom.GeoJSONType()))
	}
	*lon, *lat = p[0], p[1]
	return nil
}

func scanEntity(rows *sql.Rows) (domain.Entity, error) {
	var e domain.Entity
	var fid int64
	var geom orb.Geometry
	if err := rows.Scan(&fid, geomCol{&geom}, textOf(&e.ID), textOf(&e.Kind), textOf(&e.Name), textOf(&e.Address),
		textOf(&e.GridID), listCol[string]{&e.Tags}, textOf(&e.Code), textOf(&e.QRToken), timeCol{&e.UpdatedAt}); err != nil {
		return e, rowErr(fid, err)
	}
	return e, scanPoint(fid, e.ID, geom, &e.Lon, &e.Lat)
}

func scanCase(rows *sql.Rows) (domain.Case, error) {
	var c domain.Case
	var fid int64
	var geom orb.Geometry
	var version sql.NullInt64
	if err := rows.Scan(&fid, geomCol{&geom}, textOf(&c.ID), textOf(&c.No), textOf(&c.Title), textOf(&c.Description),
		textOf(&c.Category), textOf(&c.Source), textOf(&c.GridID), textOf(&c.EntityID), textOf(&c.Status),
		textOf(&c.Priority), textOf(&c.Policy), textOf(&c.UnitID), textOf(&c.Reporter), timeCol{&c.ReportedAt},
		timeCol{&c.ClosedAt}, &version, timeCol{&c.UpdatedAt}, textOf(&c.Satisfaction),
		textOf(&c.Address), objectCol[domain.WorkOrder]{&c.Order}, listCol[domain.Caller]{&c.Callers}, textOf(&c.MergedInto),
		objectCol[domain.Supervision]{&c.Supervision}); err != nil {
		return c, rowErr(fid, err)
	}
	c.Version = version.Int64
	return c, scanPoint(fid, c.ID, geom, &c.Lon, &c.Lat)
}

func scanUnit(rows *sql.Rows) (domain.Unit, error) {
	var u domain.Unit
	var fid int64
	err := rows.Scan(&fid, textOf(&u.ID), textOf(&u.Name), textOf(&u.Kind), textOf(&u.Department),
		textOf(&u.ParentID), listCol[string]{&u.GridIDs}, timeCol{&u.UpdatedAt})
	return u, rowErr(fid, err)
}

func scanUser(rows *sql.Rows) (domain.User, error) {
	var u domain.User
	var fid int64
	err := rows.Scan(&fid, textOf(&u.ID), textOf(&u.Username), textOf(&u.Name), textOf(&u.Role),
		textOf(&u.UnitID), boolCol{&u.Disabled}, timeCol{&u.UpdatedAt})
	return u, rowErr(fid, err)
}

func scanTask(rows *sql.Rows) (domain.Task, error) {
	var t domain.Task
	var fid int64
	err := rows.Scan(&fid, textOf(&t.ID), textOf(&t.CaseID), textOf(&t.UnitID), textOf(&t.Status),
		timeCol{&t.CreatedAt}, timeCol{&t.DueAt}, timeCol{&t.UpdatedAt})
	return t, rowErr(fid, err)
}

func scanAction(rows *sql.Rows) (domain.Action, error) {
	var a domain.Action
	var fid int64
	err := rows.Scan(&fid, textOf(&a.ID), textOf(&a.CaseID), textOf(&a.Action), textOf(&a.FromStatus),
		textOf(&a.ToStatus), textOf(&a.Actor), timeCol{&a.At}, textOf(&a.Note), listCol[string]{&a.Photos},
		timeCol{&a.UpdatedAt}, objectCol[domain.ActionDetail]{&a.Detail})
	return a, rowErr(fid, err)
}

func scanInspection(rows *sql.Rows) (domain.Inspection, error) {
	var in domain.Inspection
	var fid int64
	err := rows.Scan(&fid, textOf(&in.ID), textOf(&in.EntityID), textOf(&in.TeamID), textOf(&in.Inspector),
		timeCol{&in.At}, textOf(&in.Status), listCol[domain.ItemResult]{&in.Results}, listCol[string]{&in.Photos},
		textOf(&in.CodeBefore), textOf(&in.CodeAfter), textOf(&in.ReviewedBy), timeCol{&in.ReviewedAt},
		timeCol{&in.UpdatedAt})
	return in, rowErr(fid, err)
}

func scanFinding(rows *sql.Rows) (domain.Finding, error) {
	var f domain.Finding
	var fid int64
	err := rows.Scan(&fid, textOf(&f.ID), textOf(&f.InspectionID), textOf(&f.EntityID), textOf(&f.ItemID),
		textOf(&f.Severity), textOf(&f.Description), timeCol{&f.Deadline}, textOf(&f.Status),
		timeCol{&f.RectifiedAt}, listCol[string]{&f.Photos}, timeCol{&f.UpdatedAt})
	return f, rowErr(fid, err)
}

func scanCheckItem(rows *sql.Rows) (domain.CheckItem, error) {
	var c domain.CheckItem
	var fid int64
	var minutes sql.NullFloat64
	var freq sql.NullInt64
	err := rows.Scan(&fid, textOf(&c.ID), textOf(&c.Department), textOf(&c.Domain), textOf(&c.Name),
		listCol[string]{&c.Kinds}, listCol[string]{&c.Tags}, textOf(&c.Method), &minutes, &freq,
		boolCol{&c.KeyDomain}, textOf(&c.LegalBasis), timeCol{&c.UpdatedAt})
	c.Minutes, c.FrequencyDays = minutes.Float64, int(freq.Int64)
	return c, rowErr(fid, err)
}

func scanPlan(rows *sql.Rows) (domain.Plan, error) {
	var p domain.Plan
	var fid int64
	var summary string
	err := rows.Scan(&fid, textOf(&p.ID), textOf(&p.Title), textOf(&p.TeamID), timeCol{&p.Start}, timeCol{&p.End},
		textOf(&summary), textOf(&p.PublishedBy), timeCol{&p.PublishedAt}, timeCol{&p.UpdatedAt})
	if err == nil && summary != "" && !json.Valid([]byte(summary)) {
		err = fmt.Errorf("summary is not JSON")
	}
	p.Summary = json.RawMessage(summary)
	return p, rowErr(fid, err)
}

func scanVisit(rows *sql.Rows) (domain.Visit, error) {
	var v domain.Visit
	var fid int64
	var minutes sql.NullFloat64
	var seq sql.NullInt64
	err := rows.Scan(&fid, textOf(&v.ID), textOf(&v.PlanID), textOf(&v.TeamID), textOf(&v.EntityID),
		timeCol{&v.Day}, &seq, listCol[string]{&v.Items}, listCol[string]{&v.Departments}, &minutes,
		boolCol{&v.Joint}, textOf(&v.Status), timeCol{&v.UpdatedAt})
	v.Seq, v.Minutes = int(seq.Int64), minutes.Float64
	return v, rowErr(fid, err)
}

// Plans returns the published plans, newest first (none in a format 1
// snapshot).
func (s *Snapshot) Plans(ctx context.Context) ([]domain.Plan, error) {
	if !plansTable.in(s.meta.FormatVersion) {
		return nil, nil
	}
	return queryRows(ctx, s, plansTable, "", "published_at DESC, id", scanPlan)
}

// Visits returns a plan's visits by team, day and order.
func (s *Snapshot) Visits(ctx context.Context, planID string) ([]domain.Visit, error) {
	if !visitsTable.in(s.meta.FormatVersion) {
		return nil, nil
	}
	return queryRows(ctx, s, visitsTable, "plan_id = ?", "team_id, day, seq", scanVisit, planID)
}

// Grids returns every grid, ordered by level then ID.
func (s *Snapshot) Grids(ctx context.Context) ([]domain.Grid, error) {
	return queryRows(ctx, s, gridsTable, "", "level, id", scanGrid)
}

// Entities returns every entity ordered by ID.
func (s *Snapshot) Entities(ctx context.Context) ([]domain.Entity, error) {
	return queryRows(ctx, s, entitiesTable, "", "id", scanEntity)
}

// Entity returns one entity; a missing one is store.ErrNotFound.
func (s *Snapshot) Entity(ctx context.Context, id string) (domain.Entity, error) {
	return one(queryRows(ctx, s, entitiesTable, "id = ?", "id", scanEntity, id))
}

// Units returns every unit ordered by ID.
func (s *Snapshot) Units(ctx context.Context) ([]domain.Unit, error) {
	return queryRows(ctx, s, unitsTable, "", "id", scanUnit)
}

// Users returns every user ordered by username (no credentials are ever
// exported).
func (s *Snapshot) Users(ctx context.Context) ([]domain.User, error) {
	return queryRows(ctx, s, usersTable, "", "username", scanUser)
}

// Cases returns every case, newest report first.
func (s *Snapshot) Cases(ctx context.Context) ([]domain.Case, error) {
	return queryRows(ctx, s, casesTable, "", "reported_at DESC, id", scanCase)
}

// OpenCases returns every open case, newest report first.
func (s *Snapshot) OpenCases(ctx context.Context) ([]domain.Case, error) {
	return queryRows(ctx, s, casesTable, `status IN ('reported','registered','dispatched','accepted','on_site','handled','deferred')`,
		"reported_at DESC, id", scanCase)
}

// Case returns one case; a missing one is store.ErrNotFound.
func (s *Snapshot) Case(ctx context.Context, id string) (domain.Case, error) {
	return one(queryRows(ctx, s, casesTable, "id = ?", "id", scanCase, id))
}

// Timeline returns a case's actions in time order.
func (s *Snapshot) Timeline(ctx context.Context, caseID string) ([]domain.Action, error) {
	return queryRows(ctx, s, actionsTable, "case_id = ?", "at, id", scanAction, caseID)
}

// Tasks returns a case's work orders, oldest first.
func (s *Snapshot) Tasks(ctx context.Context, caseID string) ([]domain.Task, error) {
	return queryRows(ctx, s, tasksTable, "case_id = ?", "created_at, id", scanTask, caseID)
}

// CheckItems returns the catalog ordered by department and ID.
func (s *Snapshot) CheckItems(ctx context.Context) ([]domain.CheckItem, error) {
	return queryRows(ctx, s, checkItemsTable, "", "department, id", scanCheckItem)
}

// Inspections returns an entity's inspections, oldest first.
func (s *Snapshot) Inspections(ctx context.Context, entityID string) ([]domain.Inspection, error) {
	return queryRows(ctx, s, inspectionsTable, "entity_id = ?", "at, id", scanInspection, entityID)
}

// Findings returns the hazards found at an entity, by ID.
func (s *Snapshot) Findings(ctx context.Context, entityID string) ([]domain.Finding, error) {
	return queryRows(ctx, s, findingsTable, "entity_id = ?", "id", scanFinding, entityID)
}

// Counts returns the number of rows of each kind, keyed like store.Counts.
func (s *Snapshot) Counts(ctx context.Context) (map[string]int, error) {
	kinds := map[string]table{
		domain.KindGrid: gridsTable, domain.KindEntity: entitiesTable, domain.KindUnit: unitsTable,
		domain.KindUser: usersTable, domain.KindCase: casesTable, domain.KindTask: tasksTable,
		domain.KindCaseAction: actionsTable, domain.KindCheckItem: checkItemsTable,
		domain.KindInspection: inspectionsTable, domain.KindFinding: findingsTable, domain.KindPlan: plansTable,
		domain.KindVisit: visitsTable,
	}
	out := make(map[string]int, len(kinds))
	for kind, t := range kinds {
		if !t.in(s.meta.FormatVersion) {
			out[kind] = 0
			continue
		}
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&n); err != nil {
			return nil, fmt.Errorf("gpkg: snapshot count %s: %w", t.name, err)
		}
		out[kind] = n
	}
	return out, nil
}

func one[T any](rows []T, err error) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	if len(rows) == 0 {
		return zero, fmt.Errorf("gpkg: snapshot: %w", store.ErrNotFound)
	}
	return rows[0], nil
}

// all reads every row of every kind, for loading into a store.
func (s *Snapshot) all(ctx context.Context) (*content, error) {
	c := &content{}
	var err error
	if c.grids, err = s.Grids(ctx); err != nil {
		return nil, err
	}
	if c.entities, err = s.Entities(ctx); err != nil {
		return nil, err
	}
	if c.units, err = s.Units(ctx); err != nil {
		return nil, err
	}
	if c.users, err = s.Users(ctx); err != nil {
		return nil, err
	}
	if c.cases, err = s.Cases(ctx); err != nil {
		return nil, err
	}
	if c.checkItems, err = s.CheckItems(ctx); err != nil {
		return nil, err
	}
	if c.tasks, err = queryRows(ctx, s, tasksTable, "", "fid", scanTask); err != nil {
		return nil, err
	}
	if c.actions, err = queryRows(ctx, s, actionsTable, "", "fid", scanAction); err != nil {
		return nil, err
	}
	if c.inspections, err = queryRows(ctx, s, inspectionsTable, "", "fid", scanInspection); err != nil {
		return nil, err
	}
	if c.findings, err = queryRows(ctx, s, findingsTable, "", "fid", scanFinding); err != nil {
		return nil, err
	}
	if c.plans, err = s.Plans(ctx); err != nil {
		return nil, err
	}
	if visitsTable.in(s.meta.FormatVersion) {
		if c.visits, err = queryRows(ctx, s, visitsTable, "", "fid", scanVisit); err != nil {
			return nil, err
		}
	}
	return c, nil
}
