package store

import (
	"context"
	"fmt"
	"griddesk/domain"
	"strconv"
	"strings"
)

// PutCase inserts or replaces a case.
func (t *Tx) PutCase(c *domain.Case) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("store: put %w", err)
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = fromMS(t.now)
	}
	if c.Version == 0 {
		c.Version = 1
	}
	if err := t.touch(domain.KindCase, c.ID, c); err != nil {
		return err
	}
	if _, err := t.exec(upsertCase, caseArgs(c)...); err != nil {
		return fmt.Errorf("store: put case %s: %w", c.ID, err)
	}
	// a number given (a seed, an import) is never drawn again (on servers:
	// a desk draws none)
	if y, n, ok := caseNumber(c.No); ok && t.journal {
		if _, err := t.exec(`INSERT INTO counters (key, n) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET n = CASE WHEN excluded.n > counters.n THEN excluded.n ELSE counters.n END`,
			fmt.Sprintf("case_no:%d", y), n); err != nil {
			return fmt.Errorf("store: put case %s: number %s: %w", c.ID, c.No, err)
		}
	}
	return nil
}

// caseNumber splits a human case number 2026-0113 into year and number.
func caseNumber(no string) (year, n int, ok bool) {
	ys, ns, found := strings.Cut(no, "-")
	if !found || len(ys) != 4 {
		return 0, 0, false
	}
	y, err1 := strconv.Atoi(ys)
	v, err2 := strconv.Atoi(ns)
	return y, v, err1 == nil && err2 == nil
}

const caseCols = `id, no, title, description, category, source, lon, lat, grid_id, entity_id, status, priority,
	policy, unit_id, reporter, reported_at, closed_at, version, updated_at, satisfaction,
	address, work_order, callers, merged_into, supervision`

// caseArgs are a case's values in caseCols order (PutCase, Loader.Case).
func caseArgs(c *domain.Case) []any {
	return []any{c.ID, c.No, c.Title, c.Description, c.Category, c.Source, c.Lon, c.Lat, c.GridID, c.EntityID, c.Status,
		c.Priority, c.Policy, c.UnitID, c.Reporter, ms(c.ReportedAt), ms(c.ClosedAt), c.Version, ms(c.UpdatedAt), c.Satisfaction,
		c.Address, jsonObject(c.Order), jsonText(c.Callers), c.MergedInto, jsonObject(c.Supervision)}
}

// actionArgs are a timeline entry's values in actionCols order.
func actionArgs(a *domain.Action) []any {
	return []any{a.ID, a.CaseID, a.Action, a.FromStatus, a.ToStatus, a.Actor, ms(a.At), a.Note,
		jsonText(a.Photos), ms(a.UpdatedAt), jsonObject(a.Detail)}
}

var (
	upsertCase   = upsertSQL("cases", caseCols)
	upsertTask   = upsertSQL("tasks", taskCols)
	upsertAction = upsertSQL("case_actions", actionCols)
)

func scanCase(sc interface{ Scan(...any) error }) (domain.Case, error) {
	var c domain.Case
	var rep, closed, upd int64
	var order, callers, sup string
	err := sc.Scan(&c.ID, &c.No, &c.Title, &c.Description, &c.Category, &c.Source, &c.Lon, &c.Lat, &c.GridID,
		&c.EntityID, &c.Status, &c.Priority, &c.Policy, &c.UnitID, &c.Reporter, &rep, &closed, &c.Version, &upd, &c.Satisfaction,
		&c.Address, &order, &callers, &c.MergedInto, &sup)
	c.ReportedAt, c.ClosedAt, c.UpdatedAt = fromMS(rep), fromMS(closed), fromMS(upd)
	if err != nil {
		return c, err
	}
	if c.Order, err = fromJSONObject[domain.WorkOrder](order); err != nil {
		return c, fmt.Errorf("case %s: work order: %w", c.ID, err)
	}
	if c.Callers, err = fromJSONText[domain.Caller](callers); err != nil {
		return c, fmt.Errorf("case %s: callers: %w", c.ID, err)
	}
	if c.Supervision, err = fromJSONObject[domain.Supervision](sup); err != nil {
		return c, fmt.Errorf("case %s: supervision: %w", c.ID, err)
	}
	return c, nil
}

// Case returns one case.
func (s *Store) Case(ctx context.Context, id string) (domain.Case, error) {
	c, err := scanCase(s.db.QueryRowContext(ctx, `SELECT `+caseCols+` FROM cases WHERE id = ?`, id))
	if err != nil {
		return c, fmt.Errorf("store: case %s: %w", id, notFound(err))
	}
	return c, nil
}

// OpenCases returns every open case, newest report first.
func (s *Store) OpenCases(ctx context.Context) ([]domain.Case, error) {
	return s.queryCases(ctx, `SELECT `+caseCols+` FROM cases
		WHERE status IN ('reported','registered','dispatched','accepted','on_site','handled','deferred')
		ORDER BY reported_at DESC, id`)
}

// Cases returns every case, newest report first.
func (s *Store) Cases(ctx context.Context) ([]domain.Case, error) {
	return s.queryCases(ctx, `SELECT `+caseCols+` FROM cases ORDER BY reported_at DESC, id`)
}

func (s *Store) queryCases(ctx context.Context, q string, args ...any) ([]domain.Case, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: cases: %w", err)
	}
	return collectCases(rows, "cases")
}

// PutTask inserts or replaces a task.
func (t *Tx) PutTask(k *domain.Task) error {
	if k.ID == "" || k.CaseID == "" || k.UnitID == "" || k.Status == "" {
		return fmt.Errorf("store: put task %q: id, case_id, unit_id and status are required", k.ID)
	}
	if k.UpdatedAt.IsZero() {
		k.UpdatedAt = fromMS(t.now)
	}
	if err := t.touch(domain.KindTask, k.ID, k); err != nil {
		return err
	}
	if _, err := t.exec(upsertTask, k.ID, k.CaseID, k.UnitID, k.Status, ms(k.CreatedAt), ms(k.DueAt), ms(k.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put task %s: %w", k.ID, err)
	}
	return nil
}

// PutAction inserts or replaces a case action.
func (t *Tx) PutAction(a *domain.Action) error {
	if a.ID == "" || a.CaseID == "" || a.Action == "" || a.At.IsZero() {
		return fmt.Errorf("store: put case action %q: id, case_id, action and at are required", a.ID)
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = fromMS(t.now)
	}
	if err := t.touch(domain.KindCaseAction, a.ID, a); err != nil {
		return err
	}
	if _, err := t.exec(upsertAction, actionArgs(a)...); err != nil {
		return fmt.Errorf("store: put case action %s: %w", a.ID, err)
	}
	return t.refPhotos(domain.KindCaseAction, a.ID, a.Photos)
}

// Timeline returns a case's actions in time order.
func (s *Store) Timeline(ctx context.Context, caseID string) ([]domain.Action, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+actionCols+` FROM case_actions WHERE case_id = ? ORDER BY at, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: timeline of %s: %w", caseID, err)
	}
	defer rows.Close()
	var out []domain.Action
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			return nil, fmt.Errorf("store: timeline of %s: %w", caseID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// NextCaseNumber draws the next human case number of a year (2026-0001 …)
// from the year's counter: one row read and written, however many cases the
// city has, and drawn in turn by the writers of every node.
func (t *Tx) NextCaseNumber(year int) (int, error) {
	var n int
	row := t.tx.QueryRowContext(t.ctx, `INSERT INTO counters (key, n) VALUES (?, 1)
		ON CONFLICT (key) DO UPDATE SET n = counters.n + 1 RETURNING n`, fmt.Sprintf("case_no:%d", year))
	if err := row.Scan(&n); err != nil {
		return 0, fmt.Errorf("store: next case number of %d: %w", year, err)
	}
	return n, nil
}

// OpenTimelines returns the actions of every open case, in time order, by case.
func (s *Store) OpenTimelines(ctx context.Context) (map[string][]domain.Action, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.case_id, a.action, a.from_status, a.to_status, a.actor, a.at
		FROM case_actions a JOIN cases c ON c.id = a.case_id
		WHERE c.status IN ('reported','registered','dispatched','accepted','on_site','handled','deferred')
		ORDER BY a.case_id, a.at, a.id`)
	if err != nil {
		return nil, fmt.Errorf("store: open timelines: %w", err)
	}
	defer rows.Close()
	out := map[string][]domain.Action{}
	for rows.Next() {
		var a domain.Action
		var at int64
		if err := rows.Scan(&a.ID, &a.CaseID, &a.Action, &a.FromStatus, &a.ToStatus, &a.Actor, &at); err != nil {
			return nil, fmt.Errorf("store: open timelines: %w", err)
		}
		a.At = fromMS(at)
		out[a.CaseID] = append(out[a.CaseID], a)
	}
	return out, rows.Err()
}

// Names reads the display names of grids, units and users.
func (s *Store) Names(ctx context.Context) (domain.Names, error) {
	n := domain.Names{Grids: map[string]string{}, Units: map[string]string{}, Users: map[string]string{}}
	for _, q := range []struct {
		sql string
		m   map[string]string
	}{
		{`SELECT id, name FROM grids`, n.Grids},
		{`SELECT id, name FROM units`, n.Units},
		{`SELECT id, name FROM users`, n.Users},
	} {
		rows, err := s.db.QueryContext(ctx, q.sql)
		if err != nil {
			return n, fmt.Errorf("store: names: %w", err)
		}
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return n, fmt.Errorf("store: names: %w", err)
			}
			q.m[id] = name
		}
		rows.Close()
	}
	return n, nil
}

const taskCols = `id, case_id, unit_id, status, created_at, due_at, updated_at`

func scanTask(sc interface{ Scan(...any) error }) (domain.Task, error) {
	var k domain.Task
	var created, due, upd int64
	err := sc.Scan(&k.ID, &k.CaseID, &k.UnitID, &k.Status, &created, &due, &upd)
	k.CreatedAt, k.DueAt, k.UpdatedAt = fromMS(created), fromMS(due), fromMS(upd)
	return k, err
}

const actionCols = `id, case_id, action, from_status, to_status, actor, at, note, photos, updated_at, detail`

func scanAction(sc interface{ Scan(...any) error }) (domain.Action, error) {
	var a domain.Action
	var at, upd int64
	var photos, detail string
	if err := sc.Scan(&a.ID, &a.CaseID, &a.Action, &a.FromStatus, &a.ToStatus, &a.Actor, &at, &a.Note, &photos, &upd, &detail); err != nil {
		return a, err
	}
	a.Photos, _ = fromJSONText[string](photos)
	a.Detail, _ = fromJSONObject[domain.ActionDetail](detail)
	a.At, a.UpdatedAt = fromMS(at), fromMS(upd)
	return a, nil
}

// AllTimelines returns every case's actions, in time order, by case.
func (s *Store) AllTimelines(ctx context.Context) (map[string][]domain.Action, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+actionCols+` FROM case_actions ORDER BY case_id, at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: timelines: %w", err)
	}
	defer rows.Close()
	out := map[string][]domain.Action{}
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			return nil, fmt.Errorf("store: timelines: %w", err)
		}
		out[a.CaseID] = append(out[a.CaseID], a)
	}
	return out, rows.Err()
}

// CasesOf returns an entity's cases, newest first.
func (s *Store) CasesOf(ctx context.Context, entityID string) ([]domain.Case, error) {
	return s.queryCases(ctx, `SELECT `+caseCols+` FROM cases WHERE entity_id = ? ORDER BY reported_at DESC, id`, entityID)
}
