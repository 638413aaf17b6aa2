// The server's audit log: every command it was sent, applied or refused,
// with who sent it, when and from where. Desks never keep one.

package store

import (
	"context"
	"encoding/json"
	"fmt"

	"griddesk/domain"
)

// CommandRecord returns the stored record of a command (ErrNotFound if new).
func (t *Tx) CommandRecord(id string) (domain.CommandRecord, error) {
	var r domain.CommandRecord
	var args, problem, result string
	var issued, received int64
	err := t.tx.QueryRowContext(t.ctx, `SELECT id, type, actor, args, issued_at, received_at, remote, status, problem, result, digest
		FROM commands WHERE id = ?`, id).Scan(&r.ID, &r.Type, &r.Actor, &args, &issued, &received, &r.Remote, &r.Status, &problem, &result, &r.Digest)
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
	if _, err := t.exec(`INSERT INTO commands (id, type, actor, args, issued_at, received_at, remote, status, problem, result, digest)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)`, r.ID, r.Type, r.Actor, args, ms(r.IssuedAt), ms(r.ReceivedAt), r.Remote, r.Status,
		string(r.Problem), result, r.Digest); err != nil {
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
