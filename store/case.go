package store

import (
	"context"
	"fmt"
	"time"
)

// Case states (DESIGN.md §5). "returned" is an action, not a state: a returned
// case goes back to registered.
const (
	StatusReported   = "reported"
	StatusRegistered = "registered"
	StatusRejected   = "rejected"
	StatusDispatched = "dispatched"
	StatusAccepted   = "accepted"
	StatusOnSite     = "on_site"
	StatusHandled    = "handled"
	StatusClosed     = "closed"
	StatusEvaluated  = "evaluated"
	StatusDeferred   = "deferred"
)

// OpenStatuses are the states in which a case still needs someone.
var OpenStatuses = []string{StatusReported, StatusRegistered, StatusDispatched, StatusAccepted, StatusOnSite, StatusHandled, StatusDeferred}

// Case sources.
const (
	SourceGridWorker = "grid_worker" // 网格员上报
	SourceHotline    = "hotline"     // 12345 热线
	SourceSensor     = "sensor"      // 物联感知
	SourceInspection = "inspection"  // 检查移交
)

// Case is one event in the closed loop 发现上报 → … → 评价结案.
type Case struct {
	ID          string    `json:"id"`
	No          string    `json:"no,omitempty"` // human number, e.g. 2026-0113
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Category    string    `json:"category"`
	Source      string    `json:"source"`
	Lon         float64   `json:"lon"`
	Lat         float64   `json:"lat"`
	GridID      string    `json:"grid_id,omitempty"`
	EntityID    string    `json:"entity_id,omitempty"`
	Status      string    `json:"status"`
	Priority    string    `json:"priority,omitempty"`
	Policy      string    `json:"policy,omitempty"` // clock policy name
	UnitID      string    `json:"unit_id,omitempty"`
	Reporter    string    `json:"reporter,omitempty"`
	ReportedAt  time.Time `json:"reported_at"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	Version     int64     `json:"version"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Open reports whether the case still needs someone.
func (c *Case) Open() bool {
	for _, s := range OpenStatuses {
		if c.Status == s {
			return true
		}
	}
	return false
}

// Validate checks the fields a case must have.
func (c *Case) Validate() error {
	switch {
	case c.ID == "":
		return fmt.Errorf("case: id is empty")
	case c.Title == "":
		return fmt.Errorf("case %s: title is empty", c.ID)
	case c.Category == "":
		return fmt.Errorf("case %s: category is empty", c.ID)
	case c.Status == "":
		return fmt.Errorf("case %s: status is empty", c.ID)
	case !validLonLat(c.Lon, c.Lat):
		return fmt.Errorf("case %s: location %v,%v is not a longitude/latitude", c.ID, c.Lon, c.Lat)
	case c.ReportedAt.IsZero():
		return fmt.Errorf("case %s: reported_at is missing", c.ID)
	}
	return nil
}

// PutCase inserts or replaces a case.
func (t *Tx) PutCase(c *Case) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("store: put %w", err)
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = fromMS(t.now)
	}
	if c.Version == 0 {
		c.Version = 1
	}
	if _, err := t.exec(`INSERT OR REPLACE INTO cases (id, no, title, description, category, source, lon, lat,
		grid_id, entity_id, status, priority, policy, unit_id, reporter, reported_at, closed_at, version, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		c.ID, c.No, c.Title, c.Description, c.Category, c.Source, c.Lon, c.Lat, c.GridID, c.EntityID, c.Status,
		c.Priority, c.Policy, c.UnitID, c.Reporter, ms(c.ReportedAt), ms(c.ClosedAt), c.Version, ms(c.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put case %s: %w", c.ID, err)
	}
	return t.record(KindCase, c.ID, c)
}

const caseCols = `id, no, title, description, category, source, lon, lat, grid_id, entity_id, status, priority,
	policy, unit_id, reporter, reported_at, closed_at, version, updated_at`

func scanCase(sc interface{ Scan(...any) error }) (Case, error) {
	var c Case
	var rep, closed, upd int64
	err := sc.Scan(&c.ID, &c.No, &c.Title, &c.Description, &c.Category, &c.Source, &c.Lon, &c.Lat, &c.GridID,
		&c.EntityID, &c.Status, &c.Priority, &c.Policy, &c.UnitID, &c.Reporter, &rep, &closed, &c.Version, &upd)
	c.ReportedAt, c.ClosedAt, c.UpdatedAt = fromMS(rep), fromMS(closed), fromMS(upd)
	return c, err
}

// Case returns one case.
func (s *Store) Case(ctx context.Context, id string) (Case, error) {
	c, err := scanCase(s.db.QueryRowContext(ctx, `SELECT `+caseCols+` FROM cases WHERE id = ?`, id))
	if err != nil {
		return c, fmt.Errorf("store: case %s: %w", id, notFound(err))
	}
	return c, nil
}

// OpenCases returns every open case, newest report first.
func (s *Store) OpenCases(ctx context.Context) ([]Case, error) {
	return s.queryCases(ctx, `SELECT `+caseCols+` FROM cases
		WHERE status IN ('reported','registered','dispatched','accepted','on_site','handled','deferred')
		ORDER BY reported_at DESC, id`)
}

// Cases returns every case, newest report first.
func (s *Store) Cases(ctx context.Context) ([]Case, error) {
	return s.queryCases(ctx, `SELECT `+caseCols+` FROM cases ORDER BY reported_at DESC, id`)
}

func (s *Store) queryCases(ctx context.Context, q string, args ...any) ([]Case, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: cases: %w", err)
	}
	defer rows.Close()
	var out []Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("store: cases: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Task is a case's work order for one unit.
type Task struct {
	ID        string    `json:"id"`
	CaseID    string    `json:"case_id"`
	UnitID    string    `json:"unit_id"`
	Status    string    `json:"status"` // open, accepted, done, returned, cancelled
	CreatedAt time.Time `json:"created_at"`
	DueAt     time.Time `json:"due_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at"`
}

// PutTask inserts or replaces a task.
func (t *Tx) PutTask(k *Task) error {
	if k.ID == "" || k.CaseID == "" || k.UnitID == "" || k.Status == "" {
		return fmt.Errorf("store: put task %q: id, case_id, unit_id and status are required", k.ID)
	}
	if k.UpdatedAt.IsZero() {
		k.UpdatedAt = fromMS(t.now)
	}
	if _, err := t.exec(`INSERT OR REPLACE INTO tasks (id, case_id, unit_id, status, created_at, due_at, updated_at)
		VALUES (?,?,?,?,?,?,?)`, k.ID, k.CaseID, k.UnitID, k.Status, ms(k.CreatedAt), ms(k.DueAt), ms(k.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put task %s: %w", k.ID, err)
	}
	return t.record(KindTask, k.ID, k)
}

// Action is one step in a case's timeline: who did what, when, and why.
type Action struct {
	ID         string    `json:"id"`
	CaseID     string    `json:"case_id"`
	Action     string    `json:"action"` // report, register, dispatch, accept, return, arrive, feedback, handle, verify_fail, close, defer, resume, escalate, evaluate, reject
	FromStatus string    `json:"from_status,omitempty"`
	ToStatus   string    `json:"to_status"`
	Actor      string    `json:"actor,omitempty"`
	At         time.Time `json:"at"`
	Note       string    `json:"note,omitempty"`
	Photos     []string  `json:"photos,omitempty"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// PutAction inserts or replaces a case action.
func (t *Tx) PutAction(a *Action) error {
	if a.ID == "" || a.CaseID == "" || a.Action == "" || a.At.IsZero() {
		return fmt.Errorf("store: put case action %q: id, case_id, action and at are required", a.ID)
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = fromMS(t.now)
	}
	if _, err := t.exec(`INSERT OR REPLACE INTO case_actions (id, case_id, action, from_status, to_status, actor, at, note, photos, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?)`, a.ID, a.CaseID, a.Action, a.FromStatus, a.ToStatus, a.Actor, ms(a.At), a.Note,
		jsonText(a.Photos), ms(a.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put case action %s: %w", a.ID, err)
	}
	return t.record(KindCaseAction, a.ID, a)
}

// Timeline returns a case's actions in time order.
func (s *Store) Timeline(ctx context.Context, caseID string) ([]Action, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, case_id, action, from_status, to_status, actor, at, note, photos, updated_at
		FROM case_actions WHERE case_id = ? ORDER BY at, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: timeline of %s: %w", caseID, err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		var a Action
		var at, upd int64
		var photos string
		if err := rows.Scan(&a.ID, &a.CaseID, &a.Action, &a.FromStatus, &a.ToStatus, &a.Actor, &at, &a.Note, &photos, &upd); err != nil {
			return nil, fmt.Errorf("store: timeline of %s: %w", caseID, err)
		}
		if a.Photos, err = fromJSONText[string](photos); err != nil {
			return nil, fmt.Errorf("store: action %s: photos: %w", a.ID, err)
		}
		a.At, a.UpdatedAt = fromMS(at), fromMS(upd)
		out = append(out, a)
	}
	return out, rows.Err()
}

// NextCaseNumber returns the next human case number of a year (2026-0001 …).
func (t *Tx) NextCaseNumber(year int) (int, error) {
	var n int
	prefix := fmt.Sprintf("%d-", year)
	row := t.tx.QueryRowContext(t.ctx, `SELECT COALESCE(MAX(CAST(substr(no, 6) AS INTEGER)), 0) FROM cases WHERE no LIKE ?`, prefix+"%")
	if err := row.Scan(&n); err != nil {
		return 0, fmt.Errorf("store: next case number of %d: %w", year, err)
	}
	return n + 1, nil
}

// OpenTimelines returns the actions of every open case, in time order, by case.
func (s *Store) OpenTimelines(ctx context.Context) (map[string][]Action, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.case_id, a.action, a.from_status, a.to_status, a.actor, a.at
		FROM case_actions a JOIN cases c ON c.id = a.case_id
		WHERE c.status IN ('reported','registered','dispatched','accepted','on_site','handled','deferred')
		ORDER BY a.case_id, a.at, a.id`)
	if err != nil {
		return nil, fmt.Errorf("store: open timelines: %w", err)
	}
	defer rows.Close()
	out := map[string][]Action{}
	for rows.Next() {
		var a Action
		var at int64
		if err := rows.Scan(&a.ID, &a.CaseID, &a.Action, &a.FromStatus, &a.ToStatus, &a.Actor, &at); err != nil {
			return nil, fmt.Errorf("store: open timelines: %w", err)
		}
		a.At = fromMS(at)
		out[a.CaseID] = append(out[a.CaseID], a)
	}
	return out, rows.Err()
}

// Names maps IDs to display names for lists.
type Names struct {
	Grids map[string]string
	Units map[string]string
	Users map[string]string
}

// Names reads the display names of grids, units and users.
func (s *Store) Names(ctx context.Context) (Names, error) {
	n := Names{Grids: map[string]string{}, Units: map[string]string{}, Users: map[string]string{}}
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

func scanTask(sc interface{ Scan(...any) error }) (Task, error) {
	var k Task
	var created, due, upd int64
	err := sc.Scan(&k.ID, &k.CaseID, &k.UnitID, &k.Status, &created, &due, &upd)
	k.CreatedAt, k.DueAt, k.UpdatedAt = fromMS(created), fromMS(due), fromMS(upd)
	return k, err
}

const actionCols = `id, case_id, action, from_status, to_status, actor, at, note, photos, updated_at`

func scanAction(sc interface{ Scan(...any) error }) (Action, error) {
	var a Action
	var at, upd int64
	var photos string
	if err := sc.Scan(&a.ID, &a.CaseID, &a.Action, &a.FromStatus, &a.ToStatus, &a.Actor, &at, &a.Note, &photos, &upd); err != nil {
		return a, err
	}
	a.Photos, _ = fromJSONText[string](photos)
	a.At, a.UpdatedAt = fromMS(at), fromMS(upd)
	return a, nil
}

// AllTimelines returns every case's actions, in time order, by case.
func (s *Store) AllTimelines(ctx context.Context) (map[string][]Action, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+actionCols+` FROM case_actions ORDER BY case_id, at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: timelines: %w", err)
	}
	defer rows.Close()
	out := map[string][]Action{}
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
func (s *Store) CasesOf(ctx context.Context, entityID string) ([]Case, error) {
	return s.queryCases(ctx, `SELECT `+caseCols+` FROM cases WHERE entity_id = ? ORDER BY reported_at DESC, id`, entityID)
}
