// Reads for the command centre's daily work (issue 17): the units in a
// transaction, the cases merged into one, the cases near a place and time,
// the actions of a kind over a period.

package store

import (
	"context"
	"fmt"
	"time"

	"griddesk/domain"
)

// Units reads every unit inside the transaction.
func (t *Tx) Units() ([]domain.Unit, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+unitCols+` FROM units ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: units: %w", err)
	}
	defer rows.Close()
	var out []domain.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("store: units: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// MergedInto reads the cases merged into a case, in report order.
func (t *Tx) MergedInto(caseID string) ([]domain.Case, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+caseCols+` FROM cases WHERE merged_into = ? ORDER BY reported_at, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: cases merged into %s: %w", caseID, err)
	}
	return collectCases(rows, "cases merged into "+caseID)
}

// MergedInto reads the cases merged into a case, in report order.
func (s *Store) MergedInto(ctx context.Context, caseID string) ([]domain.Case, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+caseCols+` FROM cases WHERE merged_into = ? ORDER BY reported_at, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: cases merged into %s: %w", caseID, err)
	}
	return collectCases(rows, "cases merged into "+caseID)
}

// CasesNear reads the cases whose location lies in a box and which were
// reported in [from, to): the candidates of a duplicate search.
func (s *Store) CasesNear(ctx context.Context, minLon, minLat, maxLon, maxLat float64, from, to time.Time) ([]domain.Case, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+caseCols+` FROM cases WHERE reported_at >= ? AND reported_at < ?
		AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ? ORDER BY reported_at, id`, ms(from), ms(to), minLon, maxLon, minLat, maxLat)
	if err != nil {
		return nil, fmt.Errorf("store: cases near: %w", err)
	}
	return collectCases(rows, "cases near")
}

type rowsCloser interface {
	Next() bool
	Scan(...any) error
	Close() error
	Err() error
}

func collectCases(rows rowsCloser, what string) ([]domain.Case, error) {
	defer rows.Close()
	var out []domain.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Actions reads the actions of the given kinds done in [from, to), by time.
func (s *Store) Actions(ctx context.Context, from, to time.Time, kinds ...string) ([]domain.Action, error) {
	q := `SELECT ` + actionCols + ` FROM case_actions WHERE at >= ? AND at < ?`
	args := []any{ms(from), ms(to)}
	if len(kinds) > 0 {
		q += ` AND action IN (?` + repeatMarks(len(kinds)-1) + `)`
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: actions: %w", err)
	}
	defer rows.Close()
	var out []domain.Action
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			return nil, fmt.Errorf("store: actions: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func repeatMarks(n int) string {
	b := make([]byte, 0, 2*n)
	for range n {
		b = append(b, ',', '?')
	}
	return string(b)
}

// CasesInState reads the cases in one state, by report time.
func (s *Store) CasesInState(ctx context.Context, st domain.CaseStatus) ([]domain.Case, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+caseCols+` FROM cases WHERE status = ? ORDER BY reported_at, id`, st)
	if err != nil {
		return nil, fmt.Errorf("store: %s cases: %w", st, err)
	}
	return collectCases(rows, string(st)+" cases")
}
