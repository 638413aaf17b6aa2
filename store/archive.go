// Reads of the whole case history on the server, for what desks no longer
// keep: searches that reach closed cases past the retention window, a case
// opened read-only from there, and the rankings of past months.

package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"griddesk/domain"
)

// scopeFilter is the SQL condition (on cases c joined with grids g) that
// keeps the cases of a scope.
func scopeFilter(sc Scope) (string, []any) {
	if sc.All {
		return "1 = 1", nil
	}
	var towns, units []any
	for _, k := range sc.Keys {
		if t, ok := strings.CutPrefix(k, TownScope("")); ok {
			towns = append(towns, t)
		}
		if u, ok := strings.CutPrefix(k, UnitScope("")); ok {
			units = append(units, u)
		}
	}
	var conds []string
	var args []any
	if len(towns) > 0 {
		conds = append(conds, `COALESCE(g.town, '') IN (?`+strings.Repeat(",?", len(towns)-1)+`)`)
		args = append(args, towns...)
	}
	if len(units) > 0 {
		in := `(?` + strings.Repeat(",?", len(units)-1) + `)`
		conds = append(conds, `c.unit_id IN `+in, `c.id IN (SELECT case_id FROM tasks WHERE unit_id IN `+in+`)`)
		args = append(append(args, units...), units...)
	}
	if len(conds) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// qualified is caseCols with the table alias c.
var qualified = "c." + strings.ReplaceAll(strings.Join(strings.Fields(caseCols), " "), ", ", ", c.")

// SearchCases finds the cases of a scope whose number, title or
// description holds q (every case when q is empty), open or closed, kept
// on desks or not, newest report first.
func (s *Store) SearchCases(ctx context.Context, sc Scope, q string, limit int) ([]domain.Case, error) {
	where, args := scopeFilter(sc)
	if q = strings.TrimSpace(q); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
		where += ` AND (c.no LIKE ? ESCAPE '\' OR c.title LIKE ? ESCAPE '\' OR c.description LIKE ? ESCAPE '\')`
		args = append(args, like, like, like)
	}
	args = append(args, limit)
	cs, err := s.queryCases(ctx, `SELECT `+qualified+` FROM cases c LEFT JOIN grids g ON g.id = c.grid_id
		WHERE `+where+` ORDER BY c.reported_at DESC, c.id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search cases %q: %w", q, err)
	}
	return cs, nil
}

// CasesReported returns the cases of a scope reported in [from, to).
func (s *Store) CasesReported(ctx context.Context, sc Scope, from, to time.Time) ([]domain.Case, error) {
	where, args := scopeFilter(sc)
	args = append(args, from.UnixMilli(), to.UnixMilli())
	cs, err := s.queryCases(ctx, `SELECT `+qualified+` FROM cases c LEFT JOIN grids g ON g.id = c.grid_id
		WHERE `+where+` AND c.reported_at >= ? AND c.reported_at < ? ORDER BY c.reported_at, c.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: cases reported from %s: %w", from.Format(time.DateOnly), err)
	}
	return cs, nil
}

// TimelinesOf returns the actions of the given cases, in time order, by case.
func (s *Store) TimelinesOf(ctx context.Context, cases []domain.Case) (map[string][]domain.Action, error) {
	out := map[string][]domain.Action{}
	for start := 0; start < len(cases); start += 500 {
		batch := cases[start:min(start+500, len(cases))]
		args := make([]any, len(batch))
		for i, c := range batch {
			args[i] = c.ID
		}
		rows, err := s.db.QueryContext(ctx, `SELECT `+actionCols+` FROM case_actions WHERE case_id IN (?`+
			strings.Repeat(",?", len(batch)-1)+`) ORDER BY case_id, at, id`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: timelines: %w", err)
		}
		for rows.Next() {
			a, err := scanAction(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: timelines: %w", err)
			}
			out[a.CaseID] = append(out[a.CaseID], a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: timelines: %w", err)
		}
	}
	return out, nil
}

// TasksOf returns a case's tasks, oldest first.
func (s *Store) TasksOf(ctx context.Context, caseID string) ([]domain.Task, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+taskCols+` FROM tasks WHERE case_id = ? ORDER BY created_at, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: tasks of %s: %w", caseID, err)
	}
	defer rows.Close()
	var out []domain.Task
	for rows.Next() {
		k, err := scanTask(rows)
		if err != nil {
			return nil, fmt.Errorf("store: tasks of %s: %w", caseID, err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}
