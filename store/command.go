package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"griddesk/domain"
)

// CommandRecord returns the stored record of a command (ErrNotFound if new).
func (t *Tx) CommandRecord(id string) (domain.CommandRecord, error) {
	var r domain.CommandRecord
	var args, problem, result string
	var issued, received int64
	err := t.tx.QueryRowContext(t.ctx, `SELECT id, type, actor, args, issued_at, received_at, remote, status, problem, result
		FROM commands WHERE id = ?`, id).Scan(&r.ID, &r.Type, &r.Actor, &args, &issued, &received, &r.Remote, &r.Status, &problem, &result)
	if err != nil {
		return r, fmt.Errorf("store: command %s: %w", id, notFound(err))
	}
	r.Args, r.IssuedAt, r.ReceivedAt = json.RawMessage(args), fromMS(issued), fromMS(received)
	if problem != "" {
		r.Problem = json.RawMessage(problem)
	}
	r.Result = json.RawMessage(result)
	return r, nil
}

// PutCommandRecord stores a command's outcome in the audit log.
func (t *Tx) PutCommandRecord(r domain.CommandRecord) error {
	args := string(r.Args)
	if args == "" {
		args = "null"
	}
	result := string(r.Result)
	if result == "" {
		result = "null"
	}
	if _, err := t.exec(`INSERT INTO commands (id, type, actor, args, issued_at, received_at, remote, status, problem, result)
		VALUES (?,?,?,?,?,?,?,?,?,?)`, r.ID, r.Type, r.Actor, args, ms(r.IssuedAt), ms(r.ReceivedAt), r.Remote, r.Status,
		string(r.Problem), result); err != nil {
		return fmt.Errorf("store: record command %s: %w", r.ID, err)
	}
	return nil
}

// AuditLog returns the newest commands first.
func (s *Store) AuditLog(ctx context.Context, limit int) ([]domain.CommandRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, type, actor, args, issued_at, received_at, remote, status, problem, result
		FROM commands ORDER BY received_at DESC, id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	var out []domain.CommandRecord
	for rows.Next() {
		var r domain.CommandRecord
		var args, problem, result string
		var issued, received int64
		if err := rows.Scan(&r.ID, &r.Type, &r.Actor, &args, &issued, &received, &r.Remote, &r.Status, &problem, &result); err != nil {
			return nil, fmt.Errorf("store: audit log: %w", err)
		}
		r.Args, r.IssuedAt, r.ReceivedAt, r.Result = json.RawMessage(args), fromMS(issued), fromMS(received), json.RawMessage(result)
		if problem != "" {
			r.Problem = json.RawMessage(problem)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Enqueue adds a command to the outbox (same transaction as its effect).
func (t *Tx) Enqueue(c domain.Command, touches []domain.Ref) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("store: enqueue %s: %w", c.ID, err)
	}
	if _, err := t.exec(`INSERT INTO outbox (id, command, touches) VALUES (?,?,?)`, c.ID, string(raw), jsonText(touches)); err != nil {
		return fmt.Errorf("store: enqueue %s: %w", c.ID, err)
	}
	return nil
}

// Dequeue removes a command from the outbox.
func (t *Tx) Dequeue(id string) error {
	if _, err := t.exec(`DELETE FROM outbox WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: dequeue %s: %w", id, err)
	}
	return nil
}

// MarkRejected keeps a rejected command, with its reason, for the user to see.
func (t *Tx) MarkRejected(id string, why domain.Refusal) error {
	raw, err := json.Marshal(why)
	if err != nil {
		return fmt.Errorf("store: reject %s: %w", id, err)
	}
	problem := string(raw)
	if _, err := t.exec(`UPDATE outbox SET state = 'rejected', problem = ? WHERE id = ?`, problem, id); err != nil {
		return fmt.Errorf("store: mark %s rejected: %w", id, err)
	}
	return nil
}

// Outbox returns the outbox in issue order; state "" means every state.
func (s *Store) Outbox(ctx context.Context, state string) ([]domain.OutboxItem, error) {
	return scanOutbox(s.db.QueryContext(ctx, `SELECT n, command, touches, state, problem FROM outbox
		WHERE ? = '' OR state = ? ORDER BY n`, state, state))
}

// Pending returns the pending commands in issue order.
func (t *Tx) Pending() ([]domain.OutboxItem, error) {
	return scanOutbox(t.tx.QueryContext(t.ctx, `SELECT n, command, touches, state, problem FROM outbox WHERE state = 'pending' ORDER BY n`))
}

func scanOutbox(rows *sql.Rows, err error) ([]domain.OutboxItem, error) {
	if err != nil {
		return nil, fmt.Errorf("store: outbox: %w", err)
	}
	defer rows.Close()
	var out []domain.OutboxItem
	for rows.Next() {
		var it domain.OutboxItem
		var cmd, touches string
		var problem string
		if err := rows.Scan(&it.N, &cmd, &touches, &it.State, &problem); err != nil {
			return nil, fmt.Errorf("store: outbox: %w", err)
		}
		if err := json.Unmarshal([]byte(cmd), &it.Command); err != nil {
			return nil, fmt.Errorf("store: outbox item %d: %w", it.N, err)
		}
		if it.Touches, err = fromJSONText[domain.Ref](touches); err != nil {
			return nil, fmt.Errorf("store: outbox item %d: %w", it.N, err)
		}
		// a refusal is JSON; a desk of an earlier version kept the words alone
		if problem != "" && (problem[0] != '{' || json.Unmarshal([]byte(problem), &it.Problem) != nil) {
			it.Problem = domain.Refusal{Detail: problem}
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// Shadow returns the server's state of a row a pending command changed
// (ok false when the row has no shadow).
func (t *Tx) Shadow(r domain.Ref) (data json.RawMessage, ok bool, err error) {
	var s string
	err = t.tx.QueryRowContext(t.ctx, `SELECT data FROM shadow WHERE kind = ? AND id = ?`, r.Kind, r.ID).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: shadow %s %s: %w", r.Kind, r.ID, err)
	}
	return json.RawMessage(s), true, nil
}

// SetShadow records the server's state of a row ("null": absent).
func (t *Tx) SetShadow(r domain.Ref, data json.RawMessage) error {
	if len(data) == 0 {
		data = json.RawMessage("null")
	}
	if _, err := t.exec(`INSERT INTO shadow (kind, id, data) VALUES (?,?,?)
		ON CONFLICT(kind, id) DO UPDATE SET data = excluded.data`, r.Kind, r.ID, string(data)); err != nil {
		return fmt.Errorf("store: set shadow %s %s: %w", r.Kind, r.ID, err)
	}
	return nil
}

// DropShadow forgets a row's shadow.
func (t *Tx) DropShadow(r domain.Ref) error {
	if _, err := t.exec(`DELETE FROM shadow WHERE kind = ? AND id = ?`, r.Kind, r.ID); err != nil {
		return fmt.Errorf("store: drop shadow %s %s: %w", r.Kind, r.ID, err)
	}
	return nil
}

// Row returns a row of any kind as JSON (ok false when it does not exist).
func (t *Tx) Row(r domain.Ref) (json.RawMessage, bool, error) {
	var v any
	var err error
	switch r.Kind {
	case domain.KindCase:
		var c domain.Case
		c, err = scanCase(t.tx.QueryRowContext(t.ctx, `SELECT `+caseCols+` FROM cases WHERE id = ?`, r.ID))
		v = c
	case domain.KindEntity:
		var e domain.Entity
		e, err = scanEntity(t.tx.QueryRowContext(t.ctx, `SELECT `+entityCols+` FROM entities WHERE id = ?`, r.ID))
		v = e
	case domain.KindTask:
		var k domain.Task
		k, err = scanTask(t.tx.QueryRowContext(t.ctx, `SELECT `+taskCols+` FROM tasks WHERE id = ?`, r.ID))
		v = k
	case domain.KindCaseAction:
		var a domain.Action
		a, err = scanAction(t.tx.QueryRowContext(t.ctx, `SELECT `+actionCols+` FROM case_actions WHERE id = ?`, r.ID))
		v = a
	case domain.KindInspection:
		var in domain.Inspection
		in, err = scanInspection(t.tx.QueryRowContext(t.ctx, `SELECT `+inspectionCols+` FROM inspections WHERE id = ?`, r.ID))
		v = in
	case domain.KindFinding:
		var f domain.Finding
		f, err = scanFinding(t.tx.QueryRowContext(t.ctx, `SELECT `+findingCols+` FROM findings WHERE id = ?`, r.ID))
		v = f
	case domain.KindGrid:
		var g domain.Grid
		g, err = scanGrid(t.tx.QueryRowContext(t.ctx, `SELECT `+gridCols+` FROM grids WHERE id = ?`, r.ID))
		v = g
	case domain.KindCheckItem:
		items, err2 := scanCheckItems(t.tx.QueryContext(t.ctx, `SELECT `+checkItemCols+` FROM check_items WHERE id = ?`, r.ID))
		if err2 != nil {
			return nil, false, fmt.Errorf("store: row %s %s: %w", r.Kind, r.ID, err2)
		}
		if len(items) == 0 {
			return nil, false, nil
		}
		v = items[0]
	case domain.KindSetting:
		var st domain.Setting
		var val string
		var upd int64
		err = t.tx.QueryRowContext(t.ctx, `SELECT id, value, updated_by, updated_at FROM settings WHERE id = ?`, r.ID).Scan(&st.ID, &val, &st.UpdatedBy, &upd)
		st.Value, st.UpdatedAt = json.RawMessage(val), fromMS(upd)
		v = st
	case domain.KindPlan:
		var p domain.Plan
		p, err = scanPlan(t.tx.QueryRowContext(t.ctx, `SELECT `+planCols+` FROM plans WHERE id = ?`, r.ID))
		v = p
	case domain.KindVisit:
		var vi domain.Visit
		vi, err = scanVisit(t.tx.QueryRowContext(t.ctx, `SELECT `+visitCols+` FROM visits WHERE id = ?`, r.ID))
		v = vi
	default:
		return nil, false, fmt.Errorf("store: row %s %s: kind not readable in a transaction", r.Kind, r.ID)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: row %s %s: %w", r.Kind, r.ID, err)
	}
	raw, err := json.Marshal(v)
	return raw, true, err
}

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
	var u domain.Unit
	var grids string
	var upd int64
	err := t.tx.QueryRowContext(t.ctx, `SELECT id, name, kind, department, parent_id, grid_ids, updated_at FROM units WHERE id = ?`, id).
		Scan(&u.ID, &u.Name, &u.Kind, &u.Department, &u.ParentID, &grids, &upd)
	if err != nil {
		return u, fmt.Errorf("store: unit %s: %w", id, notFound(err))
	}
	u.GridIDs, _ = fromJSONText[string](grids)
	u.UpdatedAt = fromMS(upd)
	return u, nil
}

// AuditCounts counts the commands the server's audit log holds as applied
// and as rejected.
func (s *Store) AuditCounts(ctx context.Context) (applied, rejected int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*) FILTER (WHERE status = 'applied'), COUNT(*) FILTER (WHERE status = 'rejected') FROM commands`).
		Scan(&applied, &rejected)
	if err != nil {
		return 0, 0, fmt.Errorf("store: audit counts: %w", err)
	}
	return applied, rejected, nil
}
