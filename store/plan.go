package store

import (
	"context"
	"encoding/json"
	"fmt"
	"griddesk/domain"
)

// PutPlan inserts or replaces a plan.
func (t *Tx) PutPlan(p *domain.Plan) error {
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
	if err := t.touch(domain.KindPlan, p.ID, p); err != nil {
		return err
	}
	if _, err := t.exec(upsertSQL("plans", planCols), p.ID, p.Title, p.TeamID, ms(p.Start), ms(p.End), summary, p.PublishedBy, ms(p.PublishedAt), ms(p.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put plan %s: %w", p.ID, err)
	}
	return nil
}

// PutVisit inserts or replaces a visit.
func (t *Tx) PutVisit(v *domain.Visit) error {
	if v.ID == "" || v.PlanID == "" || v.TeamID == "" || v.EntityID == "" || v.Day.IsZero() {
		return fmt.Errorf("store: put visit %q: id, plan_id, team_id, entity_id and day are required", v.ID)
	}
	switch v.Status {
	case domain.VisitPlanned, domain.VisitDone, domain.VisitCancelled:
	default:
		return fmt.Errorf("store: put visit %s: status %q is not planned, done or cancelled", v.ID, v.Status)
	}
	if v.UpdatedAt.IsZero() {
		v.UpdatedAt = fromMS(t.now)
	}
	if err := t.touch(domain.KindVisit, v.ID, v); err != nil {
		return err
	}
	if _, err := t.exec(upsertSQL("visits", `id, plan_id, team_id, entity_id, day, seq, items, departments, minutes, joint, status, updated_at`), v.ID, v.PlanID, v.TeamID, v.EntityID, ms(v.Day), v.Seq, jsonText(v.Items), jsonText(v.Departments),
		v.Minutes, boolInt(v.Joint), v.Status, ms(v.UpdatedAt)); err != nil {
		return fmt.Errorf("store: put visit %s: %w", v.ID, err)
	}
	return nil
}

// Plans returns the published plans, newest first.
func (s *Store) Plans(ctx context.Context) ([]domain.Plan, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+planCols+` FROM plans ORDER BY published_at DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("store: plans: %w", err)
	}
	defer rows.Close()
	var out []domain.Plan
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
func (s *Store) Visits(ctx context.Context, planID string) ([]domain.Visit, error) {
	return s.visits(ctx, "visits of "+planID, `plan_id = ? ORDER BY team_id, day, seq`, planID)
}

// EntityVisits returns the visits planned for an entity, by day.
func (s *Store) EntityVisits(ctx context.Context, entityID string) ([]domain.Visit, error) {
	return s.visits(ctx, "visits to "+entityID, `entity_id = ? ORDER BY day, seq, id`, entityID)
}

func (s *Store) visits(ctx context.Context, what, where string, args ...any) ([]domain.Visit, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+visitCols+` FROM visits WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []domain.Visit
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
func (s *Store) AllInspections(ctx context.Context) ([]domain.Inspection, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+inspectionCols+` FROM inspections ORDER BY entity_id, at`)
	if err != nil {
		return nil, fmt.Errorf("store: inspections: %w", err)
	}
	defer rows.Close()
	var out []domain.Inspection
	for rows.Next() {
		in, err := scanInspection(rows)
		if err != nil {
			return nil, fmt.Errorf("store: inspections: %w", err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// planCols quotes "end", a reserved word of PostgreSQL.
const planCols = `id, title, team_id, start, "end", summary, published_by, published_at, updated_at`

func scanPlan(sc interface{ Scan(...any) error }) (domain.Plan, error) {
	var p domain.Plan
	var start, end, pub, upd int64
	var summary string
	err := sc.Scan(&p.ID, &p.Title, &p.TeamID, &start, &end, &summary, &p.PublishedBy, &pub, &upd)
	p.Start, p.End, p.PublishedAt, p.UpdatedAt, p.Summary = fromMS(start), fromMS(end), fromMS(pub), fromMS(upd), json.RawMessage(summary)
	return p, err
}

const visitCols = `id, plan_id, team_id, entity_id, day, seq, items, departments, minutes, joint, status, updated_at`

func scanVisit(sc interface{ Scan(...any) error }) (domain.Visit, error) {
	var v domain.Visit
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
