package gpkg

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/planar"

	"griddesk/domain"
	"griddesk/store"
)

// content is everything one snapshot holds.
type content struct {
	grids       []domain.Grid
	entities    []domain.Entity
	units       []domain.Unit
	users       []domain.User
	cases       []domain.Case
	tasks       []domain.Task
	actions     []domain.Action
	checkItems  []domain.CheckItem
	inspections []domain.Inspection
	findings    []domain.Finding
	plans       []domain.Plan
	visits      []domain.Visit
	// photos are the IDs of the photos the inspections and findings name.
	// Their bytes are read one at a time as they are written (photoSource),
	// not held here: a town's photos can be gigabytes.
	photos []string
}

// counts returns the rows per kind, as store.Counts names them.
func (c *content) counts() map[string]int {
	return map[string]int{
		domain.KindGrid: len(c.grids), domain.KindEntity: len(c.entities), domain.KindUnit: len(c.units),
		domain.KindUser: len(c.users), domain.KindCase: len(c.cases), domain.KindTask: len(c.tasks),
		domain.KindCaseAction: len(c.actions), domain.KindCheckItem: len(c.checkItems),
		domain.KindInspection: len(c.inspections), domain.KindFinding: len(c.findings), domain.KindPlan: len(c.plans),
		domain.KindVisit: len(c.visits),
	}
}

// reader runs queries inside one read transaction of the source store.
type reader struct {
	ctx  context.Context
	view *store.View
}

// readSource reads what the options select from src. It holds one
// deferred read transaction on a dedicated connection, so the snapshot is
// consistent while a live server keeps writing (WAL readers do not block
// writers). It reads the store's tables directly: the store has no bulk
// reads of tasks, actions, inspections and findings.
func readSource(ctx context.Context, src *store.Store, opts ExportOptions) (*content, error) {
	view, err := src.View(ctx)
	if err != nil {
		return nil, fmt.Errorf("read source: %w", err)
	}
	defer view.Close()
	r := &reader{ctx: ctx, view: view}

	c := &content{}
	if c.grids, err = r.grids(); err != nil {
		return nil, err
	}
	sc, err := newScope(c.grids, opts.Grids)
	if err != nil {
		return nil, err
	}
	if c.entities, err = r.entities(); err != nil {
		return nil, err
	}
	if c.units, err = r.units(); err != nil {
		return nil, err
	}
	if c.users, err = r.users(); err != nil {
		return nil, err
	}
	if c.checkItems, err = r.checkItems(); err != nil {
		return nil, err
	}
	from, to := rangeMS(opts.From, opts.To)
	if c.cases, err = r.cases(from, to); err != nil {
		return nil, err
	}
	if c.tasks, err = r.tasks(from, to); err != nil {
		return nil, err
	}
	if c.actions, err = r.actions(from, to); err != nil {
		return nil, err
	}
	if c.inspections, err = r.inspections(from, to); err != nil {
		return nil, err
	}
	if c.findings, err = r.findings(from, to); err != nil {
		return nil, err
	}
	if c.plans, err = r.plans(from, to); err != nil {
		return nil, err
	}
	if c.visits, err = r.visits(from, to); err != nil {
		return nil, err
	}
	sc.apply(c)
	c.photos = photoIDs(c)
	return c, nil
}

// rangeMS turns [from, to) into unix-ms bounds; zero times are unbounded.
func rangeMS(from, to time.Time) (int64, int64) {
	lo, hi := int64(-1<<62), int64(1<<62)
	if !from.IsZero() {
		lo = from.UnixMilli()
	}
	if !to.IsZero() {
		hi = to.UnixMilli()
	}
	return lo, hi
}

// scope decides which grids, entities and cases a grid selection covers.
type scope struct {
	all      bool
	grids    map[string]bool // selected grids and their descendants
	selected []domain.Grid   // the selected grids, for location tests
	bounds   []orb.Bound
}

// newScope expands the selected grids with their descendants (parent_id).
// Unknown IDs are an error: a typo must not export an empty file.
func newScope(grids []domain.Grid, ids []string) (*scope, error) {
	if len(ids) == 0 {
		return &scope{all: true}, nil
	}
	byID := make(map[string]domain.Grid, len(grids))
	children := map[string][]string{}
	for _, g := range grids {
		byID[g.ID] = g
		if g.ParentID != "" {
			children[g.ParentID] = append(children[g.ParentID], g.ID)
		}
	}
	sc := &scope{grids: map[string]bool{}}
	queue := []string{}
	for _, id := range ids {
		g, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("grid %q: %w", id, store.ErrNotFound)
		}
		sc.selected = append(sc.selected, g)
		sc.bounds = append(sc.bounds, g.Geometry.Bound())
		queue = append(queue, id)
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if sc.grids[id] {
			continue
		}
		sc.grids[id] = true
		queue = append(queue, children[id]...)
	}
	return sc, nil
}

// covers reports whether something in gridID at p belongs to the scope:
// its grid is selected (or below a selected grid), or p lies inside a
// selected grid (an inspection grid covers the micro grids inside it).
func (sc *scope) covers(gridID string, p orb.Point) bool {
	if sc.all || sc.grids[gridID] {
		return true
	}
	for i, g := range sc.selected {
		if sc.bounds[i].Contains(p) && planar.MultiPolygonContains(g.Geometry, p) {
			return true
		}
	}
	return false
}

// apply filters c down to the scope. Exported grids are the selected ones,
// their descendants and the grids of every exported entity and case, so the
// map can draw and name them.
func (sc *scope) apply(c *content) {
	if sc.all {
		return
	}
	keepGrid := map[string]bool{}
	for id := range sc.grids {
		keepGrid[id] = true
	}
	entityIn := map[string]bool{}
	c.entities = filter(c.entities, func(e domain.Entity) bool {
		if !sc.covers(e.GridID, orb.Point{e.Lon, e.Lat}) {
			return false
		}
		entityIn[e.ID] = true
		keepGrid[e.GridID] = true
		return true
	})
	caseIn := map[string]bool{}
	c.cases = filter(c.cases, func(k domain.Case) bool {
		if !sc.covers(k.GridID, orb.Point{k.Lon, k.Lat}) && !entityIn[k.EntityID] {
			return false
		}
		caseIn[k.ID] = true
		keepGrid[k.GridID] = true
		return true
	})
	c.grids = filter(c.grids, func(g domain.Grid) bool { return keepGrid[g.ID] })
	c.tasks = filter(c.tasks, func(t domain.Task) bool { return caseIn[t.CaseID] })
	c.actions = filter(c.actions, func(a domain.Action) bool { return caseIn[a.CaseID] })
	inspIn := map[string]bool{}
	c.inspections = filter(c.inspections, func(in domain.Inspection) bool {
		inspIn[in.ID] = entityIn[in.EntityID]
		return inspIn[in.ID]
	})
	c.findings = filter(c.findings, func(f domain.Finding) bool { return inspIn[f.InspectionID] })
	// A plan goes with the visits it has in scope: a grid's reviewer sees
	// the rounds planned for that grid's entities and nothing of the rest.
	planIn := map[string]bool{}
	c.visits = filter(c.visits, func(v domain.Visit) bool {
		if !entityIn[v.EntityID] {
			return false
		}
		planIn[v.PlanID] = true
		return true
	})
	c.plans = filter(c.plans, func(p domain.Plan) bool { return planIn[p.ID] })
}

func filter[T any](in []T, keep func(T) bool) []T {
	out := in[:0]
	for _, v := range in {
		if keep(v) {
			out = append(out, v)
		}
	}
	return out
}

// query runs q and calls scan for each row.
func (r *reader) query(what, q string, scan func(*sql.Rows) error, args ...any) error {
	rows, err := r.view.QueryContext(r.ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	return nil
}

func (r *reader) grids() ([]domain.Grid, error) {
	var out []domain.Grid
	err := r.query("grids", `SELECT id, name, level, parent_id, village, geom, updated_at FROM grids ORDER BY level, id`,
		func(rows *sql.Rows) error {
			var g domain.Grid
			var blob []byte
			var upd int64
			if err := rows.Scan(&g.ID, &g.Name, &g.Level, &g.ParentID, &g.Village, &blob, &upd); err != nil {
				return err
			}
			geom, err := wkb.Unmarshal(blob)
			if err != nil {
				return fmt.Errorf("grid %s: boundary: %w", g.ID, err)
			}
			switch v := geom.(type) {
			case orb.MultiPolygon:
				g.Geometry = v
			case orb.Polygon:
				g.Geometry = orb.MultiPolygon{v}
			default:
				return fmt.Errorf("grid %s: boundary is a %s", g.ID, geom.GeoJSONType())
			}
			g.UpdatedAt = fromMS(upd)
			out = append(out, g)
			return nil
		})
	return out, err
}

func (r *reader) entities() ([]domain.Entity, error) {
	var out []domain.Entity
	err := r.query("entities", `SELECT id, kind, name, address, lon, lat, grid_id, tags, code, qr_token, updated_at
		FROM entities ORDER BY id`, func(rows *sql.Rows) error {
		var e domain.Entity
		var tags string
		var upd int64
		if err := rows.Scan(&e.ID, &e.Kind, &e.Name, &e.Address, &e.Lon, &e.Lat, &e.GridID, &tags, &e.Code, &e.QRToken, &upd); err != nil {
			return err
		}
		e.UpdatedAt = fromMS(upd)
		if err := decodeList(tags, &e.Tags); err != nil {
			return fmt.Errorf("entity %s: tags: %w", e.ID, err)
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

func (r *reader) units() ([]domain.Unit, error) {
	var out []domain.Unit
	err := r.query("units", `SELECT id, name, kind, department, parent_id, grid_ids, updated_at FROM units ORDER BY id`,
		func(rows *sql.Rows) error {
			var u domain.Unit
			var grids string
			var upd int64
			if err := rows.Scan(&u.ID, &u.Name, &u.Kind, &u.Department, &u.ParentID, &grids, &upd); err != nil {
				return err
			}
			u.UpdatedAt = fromMS(upd)
			if err := decodeList(grids, &u.GridIDs); err != nil {
				return fmt.Errorf("unit %s: grid_ids: %w", u.ID, err)
			}
			out = append(out, u)
			return nil
		})
	return out, err
}

func (r *reader) users() ([]domain.User, error) {
	var out []domain.User
	err := r.query("users", `SELECT id, username, name, role, unit_id, disabled, updated_at FROM users ORDER BY username`,
		func(rows *sql.Rows) error {
			var u domain.User
			var dis int
			var upd int64
			if err := rows.Scan(&u.ID, &u.Username, &u.Name, &u.Role, &u.UnitID, &dis, &upd); err != nil {
				return err
			}
			u.Disabled, u.UpdatedAt = dis != 0, fromMS(upd)
			out = append(out, u)
			return nil
		})
	return out, err
}

func (r *reader) checkItems() ([]domain.CheckItem, error) {
	var out []domain.CheckItem
	err := r.query("check items", `SELECT id, department, domain, name, kinds, tags, method, minutes, frequency_days,
		key_domain, legal_basis, updated_at FROM check_items ORDER BY department, id`, func(rows *sql.Rows) error {
		var c domain.CheckItem
		var kinds, tags string
		var key int
		var upd int64
		if err := rows.Scan(&c.ID, &c.Department, &c.Domain, &c.Name, &kinds, &tags, &c.Method, &c.Minutes,
			&c.FrequencyDays, &key, &c.LegalBasis, &upd); err != nil {
			return err
		}
		c.KeyDomain, c.UpdatedAt = key != 0, fromMS(upd)
		if err := decodeList(kinds, &c.Kinds); err != nil {
			return fmt.Errorf("check item %s: kinds: %w", c.ID, err)
		}
		if err := decodeList(tags, &c.Tags); err != nil {
			return fmt.Errorf("check item %s: tags: %w", c.ID, err)
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// caseRange selects the cases reported in [from, to).
const caseRange = `SELECT id FROM cases WHERE reported_at >= ? AND reported_at < ?`

func (r *reader) cases(from, to int64) ([]domain.Case, error) {
	var out []domain.Case
	err := r.query("cases", `SELECT id, no, title, description, category, source, lon, lat, grid_id, entity_id,
		status, priority, policy, unit_id, reporter, reported_at, closed_at, version, updated_at, satisfaction,
		address, work_order, callers, merged_into, supervision FROM cases
		WHERE reported_at >= ? AND reported_at < ? ORDER BY reported_at DESC, id`, func(rows *sql.Rows) error {
		var c domain.Case
		var rep, closed, upd int64
		var order, callers, supervision string
		if err := rows.Scan(&c.ID, &c.No, &c.Title, &c.Description, &c.Category, &c.Source, &c.Lon, &c.Lat, &c.GridID,
			&c.EntityID, &c.Status, &c.Priority, &c.Policy, &c.UnitID, &c.Reporter, &rep, &closed, &c.Version, &upd, &c.Satisfaction,
			&c.Address, &order, &callers, &c.MergedInto, &supervision); err != nil {
			return err
		}
		c.ReportedAt, c.ClosedAt, c.UpdatedAt = fromMS(rep), fromMS(closed), fromMS(upd)
		if err := errors.Join(decodeObject(order, &c.Order), decodeList(callers, &c.Callers), decodeObject(supervision, &c.Supervision)); err != nil {
			return fmt.Errorf("case %s: %w", c.ID, err)
		}
		out = append(out, c)
		return nil
	}, from, to)
	return out, err
}

func (r *reader) tasks(from, to int64) ([]domain.Task, error) {
	var out []domain.Task
	err := r.query("tasks", `SELECT id, case_id, unit_id, status, created_at, due_at, updated_at FROM tasks
		WHERE case_id IN (`+caseRange+`) ORDER BY case_id, created_at, id`, func(rows *sql.Rows) error {
		var t domain.Task
		var created, due, upd int64
		if err := rows.Scan(&t.ID, &t.CaseID, &t.UnitID, &t.Status, &created, &due, &upd); err != nil {
			return err
		}
		t.CreatedAt, t.DueAt, t.UpdatedAt = fromMS(created), fromMS(due), fromMS(upd)
		out = append(out, t)
		return nil
	}, from, to)
	return out, err
}

func (r *reader) actions(from, to int64) ([]domain.Action, error) {
	var out []domain.Action
	err := r.query("case actions", `SELECT id, case_id, action, from_status, to_status, actor, at, note, photos, updated_at, detail
		FROM case_actions WHERE case_id IN (`+caseRange+`) ORDER BY case_id, at, id`, func(rows *sql.Rows) error {
		var a domain.Action
		var at, upd int64
		var photos, detail string
		if err := rows.Scan(&a.ID, &a.CaseID, &a.Action, &a.FromStatus, &a.ToStatus, &a.Actor, &at, &a.Note, &photos, &upd, &detail); err != nil {
			return err
		}
		a.At, a.UpdatedAt = fromMS(at), fromMS(upd)
		if err := decodeList(photos, &a.Photos); err != nil {
			return fmt.Errorf("case action %s: photos: %w", a.ID, err)
		}
		if err := decodeObject(detail, &a.Detail); err != nil {
			return fmt.Errorf("case action %s: detail: %w", a.ID, err)
		}
		out = append(out, a)
		return nil
	}, from, to)
	return out, err
}

func (r *reader) inspections(from, to int64) ([]domain.Inspection, error) {
	var out []domain.Inspection
	err := r.query("inspections", `SELECT id, entity_id, team_id, inspector, at, status, results, photos, code_before,
		code_after, reviewed_by, reviewed_at, updated_at FROM inspections WHERE at >= ? AND at < ?
		ORDER BY entity_id, at, id`, func(rows *sql.Rows) error {
		var in domain.Inspection
		var at, rev, upd int64
		var res, photos string
		if err := rows.Scan(&in.ID, &in.EntityID, &in.TeamID, &in.Inspector, &at, &in.Status, &res, &photos,
			&in.CodeBefore, &in.CodeAfter, &in.ReviewedBy, &rev, &upd); err != nil {
			return err
		}
		in.At, in.ReviewedAt, in.UpdatedAt = fromMS(at), fromMS(rev), fromMS(upd)
		if err := decodeList(res, &in.Results); err != nil {
			return fmt.Errorf("inspection %s: results: %w", in.ID, err)
		}
		if err := decodeList(photos, &in.Photos); err != nil {
			return fmt.Errorf("inspection %s: photos: %w", in.ID, err)
		}
		out = append(out, in)
		return nil
	}, from, to)
	return out, err
}

func (r *reader) findings(from, to int64) ([]domain.Finding, error) {
	var out []domain.Finding
	err := r.query("findings", `SELECT id, inspection_id, entity_id, item_id, severity, description, deadline, status,
		rectified_at, photos, updated_at FROM findings
		WHERE inspection_id IN (SELECT id FROM inspections WHERE at >= ? AND at < ?)
		ORDER BY entity_id, id`, func(rows *sql.Rows) error {
		var f domain.Finding
		var deadline, rect, upd int64
		var photos string
		if err := rows.Scan(&f.ID, &f.InspectionID, &f.EntityID, &f.ItemID, &f.Severity, &f.Description, &deadline,
			&f.Status, &rect, &photos, &upd); err != nil {
			return err
		}
		f.Deadline, f.RectifiedAt, f.UpdatedAt = fromMS(deadline), fromMS(rect), fromMS(upd)
		if err := decodeList(photos, &f.Photos); err != nil {
			return fmt.Errorf("finding %s: photos: %w", f.ID, err)
		}
		out = append(out, f)
		return nil
	}, from, to)
	return out, err
}

// plans reads the plans whose period overlaps [from, to).
func (r *reader) plans(from, to int64) ([]domain.Plan, error) {
	var out []domain.Plan
	err := r.query("plans", `SELECT id, title, team_id, start, "end", summary, published_by, published_at, updated_at
		FROM plans WHERE start < ? AND "end" >= ? ORDER BY start, id`, func(rows *sql.Rows) error {
		var p domain.Plan
		var start, end, pub, upd int64
		var summary string
		if err := rows.Scan(&p.ID, &p.Title, &p.TeamID, &start, &end, &summary, &p.PublishedBy, &pub, &upd); err != nil {
			return err
		}
		p.Start, p.End, p.PublishedAt, p.UpdatedAt = fromMS(start), fromMS(end), fromMS(pub), fromMS(upd)
		p.Summary = json.RawMessage(summary)
		out = append(out, p)
		return nil
	}, to, from)
	return out, err
}

// visits reads the visits of the plans plans(from, to) reads.
func (r *reader) visits(from, to int64) ([]domain.Visit, error) {
	var out []domain.Visit
	err := r.query("visits", `SELECT id, plan_id, team_id, entity_id, day, seq, items, departments, minutes, joint,
		status, updated_at FROM visits
		WHERE plan_id IN (SELECT id FROM plans WHERE start < ? AND "end" >= ?)
		ORDER BY plan_id, team_id, day, seq`, func(rows *sql.Rows) error {
		var v domain.Visit
		var day, upd int64
		var items, deps string
		if err := rows.Scan(&v.ID, &v.PlanID, &v.TeamID, &v.EntityID, &day, &v.Seq, &items, &deps, &v.Minutes,
			&v.Joint, &v.Status, &upd); err != nil {
			return err
		}
		v.Day, v.UpdatedAt = fromMS(day), fromMS(upd)
		if err := decodeList(items, &v.Items); err != nil {
			return fmt.Errorf("visit %s: items: %w", v.ID, err)
		}
		if err := decodeList(deps, &v.Departments); err != nil {
			return fmt.Errorf("visit %s: departments: %w", v.ID, err)
		}
		out = append(out, v)
		return nil
	}, to, from)
	return out, err
}

// decodeList mirrors the store's decoding of JSON list columns: "" and
// "[]" are nil.
func decodeList[T any](s string, dst *[]T) error {
	*dst = nil
	if s == "" || s == "[]" {
		return nil
	}
	return json.Unmarshal([]byte(s), dst)
}

// decodeObject decodes an optional JSON object column: empty is nil.
func decodeObject[T any](s string, dst **T) error {
	*dst = nil
	if s == "" {
		return nil
	}
	v := new(T)
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return err
	}
	*dst = v
	return nil
}

// encodeObject mirrors the store's encoding of an optional object: nil is "".
func encodeObject[T any](v *T) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "" // plain structs cannot fail to encode
	}
	return string(b)
}

// encodeList mirrors the store's encoding: nil is "[]".
func encodeList[T any](v []T) string {
	if len(v) == 0 {
		return "[]"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "[]" // lists of strings and plain structs cannot fail to encode
	}
	return string(b)
}

// fromMS mirrors the store's decoding of unix-ms columns (0 = zero time).
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v)
}
