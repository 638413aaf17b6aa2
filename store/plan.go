package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Plan is a published inspection plan (one team's part of a period).
type Plan struct {
	ID          string          `json:"id"`
	Title       string          `json:"title"`
	TeamID      string          `json:"team_id,omitempty"`
	Start       time.Time       `json:"start"`
	End         time.Time       `json:"end"`
	Summary     json.RawMessage `json:"summary,omitempty"`
	PublishedBy string          `json:"published_by,omitempty"`
	PublishedAt time.Time       `json:"published_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// Visit is one planned inspection visit: a team's task for an entity on a day.
type Visit struct {
	ID          string    `json:"id"`
	PlanID      string    `json:"plan_id"`
	TeamID      string    `json:"team_id"`
	EntityID    string    `json:"entity_id"`
	Day         time.Time `json:"day"`
	Seq         int       `json:"seq"`
	Items       []string  `json:"items,omitempty"`
	Departments []string  `json:"departments,omitempty"`
	Minutes     float64   `json:"minutes"`
	Joint       bool      `json:"joint,omitempty"`
	Status      string    `json:"status"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// PutPlan inserts or replaces a plan.
func (t *Tx) PutPlan(p *Plan) error {
	if p.ID == "" || p.Title == "" || p.Start.IsZero() || p.End.IsZero() {
		return fmt.Errorf("store: put plan %q: id, title, start and end are required", p.ID)
	}
	if p.End.Before(p.Start) {
		return fmt.Errorf("store: put plan %s: ends before it starts", p.ID)
	}
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = fromMS(t.now)
	}
	summary := string(p.Summary)
	if summary == "" {
		summary = "{}"
	}
	if _, err := t.exec(`INSERT OR REPLACE INTO plans (id, title, team_id, start, end, summary, published_by, published_at, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?)`, p.ID, p.Title, p.TeamID, ms(p.Start), ms(p.End), summary, p.PublishedBy, ms(p.PublishedAt), ms(p.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put plan %s: %w", p.ID, err)
	}
	return t.record(KindPlan, p.ID, p)
}

// PutVisit inserts or replaces a visit.
func (t *Tx) PutVisit(v *Visit) error {
	if v.ID == "" || v.PlanID == "" || v.TeamID == "" || v.EntityID == "" || v.Day.IsZero() {
		return fmt.Errorf("store: put visit %q: id, plan_id, team_id, entity_id and day are required", v.ID)
	}
	switch v.Status {
	case "planned", "done", "cancelled":
	default:
		return fmt.Errorf("store: put visit %s: status %q is not planned, done or cancelled", v.ID, v.Status)
	}
	if v.UpdatedAt.IsZero() {
		v.UpdatedAt = fromMS(t.now)
	}
	if _, err := t.exec(`INSERT OR REPLACE INTO visits (id, plan_id, team_id, entity_id, day, seq, items, departments, minutes, joint, status, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, v.ID, v.PlanID, v.TeamID, v.EntityID, ms(v.Day), v.Seq, jsonText(v.Items), jsonText(v.Departments),
		v.Minutes, boolInt(v.Joint), v.Status, ms(v.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put visit %s: %w", v.ID, err)
	}
	return t.record(KindVisit, v.ID, v)
}

// Plans returns the published plans, newest first.
func (s *Store) Plans(ctx context.Context) ([]Plan, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+planCols+` FROM plans ORDER BY published_at DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("store: plans: %w", err)
	}
	defer rows.Close()
	var out []Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: plans: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Visits returns a plan's visits by team, day and order.
func (s *Store) Visits(ctx context.Context, planID string) ([]Visit, error) {
	return s.visits(ctx, "visits of "+planID, `plan_id = ? ORDER BY team_id, day, seq`, planID)
}

// EntityVisits returns the visits planned for an entity, by day.
func (s *Store) EntityVisits(ctx context.Context, entityID string) ([]Visit, error) {
	return s.visits(ctx, "visits to "+entityID, `entity_id = ? ORDER BY day, seq, id`, entityID)
}

func (s *Store) visits(ctx context.Context, what, where string, args ...any) ([]Visit, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+visitCols+` FROM visits WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []Visit
	for rows.Next() {
		v, err := scanVisit(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// AllInspections returns every inspection (for planning: when each item was
// last checked).
func (s *Store) AllInspections(ctx context.Context) ([]Inspection, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+inspectionCols+` FROM inspections ORDER BY entity_id, at`)
	if err != nil {
		return nil, fmt.Errorf("store: inspections: %w", err)
	}
	defer rows.Close()
	var out []Inspection
	for rows.Next() {
		in, err := scanInspection(rows)
		if err != nil {
			return nil, fmt.Errorf("store: inspections: %w", err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

const planCols = `id, title, team_id, start, end, summary, published_by, published_at, updated_at`

func scanPlan(sc interface{ Scan(...any) error }) (Plan, error) {
	var p Plan
	var start, end, pub, upd int64
	var summary string
	err := sc.Scan(&p.ID, &p.Title, &p.TeamID, &start, &end, &summary, &p.PublishedBy, &pub, &upd)
	p.Start, p.End, p.PublishedAt, p.UpdatedAt, p.Summary = fromMS(start), fromMS(end), fromMS(pub), fromMS(upd), json.RawMessage(summary)
	return p, err
}

const visitCols = `id, plan_id, team_id, entity_id, day, seq, items, departments, minutes, joint, status, updated_at`

func scanVisit(sc interface{ Scan(...any) error }) (Visit, error) {
	var v Visit
	var day, upd int64
	var items, deps string
	var joint int
	if err := sc.Scan(&v.ID, &v.PlanID, &v.TeamID, &v.EntityID, &day, &v.Seq, &items, &deps, &v.Minutes, &joint, &v.Status, &upd); err != nil {
		return v, err
	}
	v.Items, _ = fromJSONText[string](items)
	v.Departments, _ = fromJSONText[string](deps)
	v.Day, v.UpdatedAt, v.Joint = fromMS(day), fromMS(upd), joint != 0
	return v, nil
}
