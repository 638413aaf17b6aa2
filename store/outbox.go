// The desk's side of the optimistic path: the outbox of commands waiting
// for the server, and the shadow table keeping the server's state of every
// row a pending command changed locally.

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"griddesk/domain"
)

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

// SetTouches replaces the rows a queued command wrote (a rebase ran it
// again and it wrote more).
func (t *Tx) SetTouches(id string, touches []domain.Ref) error {
	if _, err := t.exec(`UPDATE outbox SET touches = ? WHERE id = ?`, jsonText(touches), id); err != nil {
		return fmt.Errorf("store: touches of %s: %w", id, err)
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

// HasShadows reports whether any row has a shadow (a command is pending).
func (t *Tx) HasShadows() (bool, error) {
	var n int
	if err := t.tx.QueryRowContext(t.ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM shadow LIMIT 1) s`).Scan(&n); err != nil {
		return false, fmt.Errorf("store: shadows: %w", err)
	}
	return n > 0, nil
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
