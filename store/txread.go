// Reads inside a write transaction, for the command handlers.

package store

import (
	"database/sql"
	"errors"
	"fmt"

	"griddesk/domain"
)

// Case reads a case inside the transaction.
func (t *Tx) Case(id string) (domain.Case, error) {
	c, err := scanCase(t.tx.QueryRowContext(t.ctx, `SELECT `+caseCols+` FROM cases WHERE id = ?`, id))
	if err != nil {
		return c, fmt.Errorf("store: case %s: %w", id, notFound(err))
	}
	return c, nil
}

// OpenTasks returns the open and accepted tasks of a case.
func (t *Tx) OpenTasks(caseID string) ([]domain.Task, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT `+taskCols+` FROM tasks WHERE case_id = ? AND status IN ('open','accepted') ORDER BY created_at, id`, caseID)
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

// LastAction returns a case's newest action of a kind (ErrNotFound if none).
func (t *Tx) LastAction(caseID, action string) (domain.Action, error) {
	a, err := scanAction(t.tx.QueryRowContext(t.ctx, `SELECT `+actionCols+` FROM case_actions
		WHERE case_id = ? AND action = ? ORDER BY at DESC, id DESC LIMIT 1`, caseID, action))
	if err != nil {
		return a, fmt.Errorf("store: last %s of %s: %w", action, caseID, notFound(err))
	}
	return a, nil
}

// Unit reads a unit inside the transaction.
func (t *Tx) Unit(id string) (domain.Unit, error) {
	u, err := scanUnit(t.tx.QueryRowContext(t.ctx, `SELECT `+unitCols+` FROM units WHERE id = ?`, id))
	if err != nil {
		return u, fmt.Errorf("store: unit %s: %w", id, notFound(err))
	}
	return u, nil
}

// GridParent returns a grid's parent ("" for a top grid; ErrNotFound for
// an unknown grid), without its boundary.
func (t *Tx) GridParent(id string) (string, error) {
	var parent string
	if err := t.tx.QueryRowContext(t.ctx, `SELECT parent_id FROM grids WHERE id = ?`, id).Scan(&parent); err != nil {
		return "", fmt.Errorf("store: grid %s: %w", id, notFound(err))
	}
	return parent, nil
}

// Setting reads a setting inside the transaction (ok false when unset).
func (t *Tx) Setting(id string) (domain.Setting, bool, error) {
	st, err := scanSetting(t.tx.QueryRowContext(t.ctx, `SELECT `+settingCols+` FROM settings WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return st, false, nil
	}
	if err != nil {
		return st, false, fmt.Errorf("store: setting %s: %w", id, err)
	}
	return st, true, nil
}
