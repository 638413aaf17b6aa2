package store

import (
	"context"
	"encoding/json"
	"fmt"
	"griddesk/domain"
)

// journalRow puts the new state of a row in the journal, replacing its
// previous entry so the feed holds one row per (kind, id).
func (t *Tx) journalRow(kind, id, op, data string) error {
	if _, err := t.exec(`DELETE FROM changes WHERE kind = ? AND id = ?`, kind, id); err != nil {
		return fmt.Errorf("store: journal %s %s: %w", kind, id, err)
	}
	if _, err := t.exec(`INSERT INTO changes (kind, id, op, data) VALUES (?,?,?,?)`, kind, id, op, data); err != nil {
		return fmt.Errorf("store: journal %s %s: %w", kind, id, err)
	}
	return nil
}

// Changes returns up to limit journal rows after seq, the last seq returned
// (or after, when none), and whether more rows follow.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]domain.Change, int64, bool, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, kind, id, op, data FROM changes WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit+1)
	if err != nil {
		return nil, after, false, fmt.Errorf("store: changes after %d: %w", after, err)
	}
	defer rows.Close()
	out := make([]domain.Change, 0, min(limit, 1024))
	more := false
	for rows.Next() {
		if len(out) == limit {
			more = true
			break
		}
		var c domain.Change
		var data string
		if err := rows.Scan(&c.Seq, &c.Kind, &c.ID, &c.Op, &data); err != nil {
			return nil, after, false, fmt.Errorf("store: changes after %d: %w", after, err)
		}
		c.Data = json.RawMessage(data)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, after, false, fmt.Errorf("store: changes after %d: %w", after, err)
	}
	last := after
	if n := len(out); n > 0 {
		last = out[n-1].Seq
	}
	return out, last, more, nil
}

// LastSeq is the newest journal sequence number (0 when empty).
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("store: last seq: %w", err)
	}
	return seq, nil
}

// Counts returns the number of rows of each kind.
func (s *Store) Counts(ctx context.Context) (map[string]int, error) {
	out := make(map[string]int, len(kinds))
	for k, kd := range kinds {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+kd.table).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: count %s: %w", k, err)
		}
		out[k] = n
	}
	return out, nil
}

// Reset empties every synced table (a desk starting its copy afresh).
func (t *Tx) Reset() error {
	for _, k := range domain.Kinds() {
		if _, err := t.exec(`DELETE FROM ` + kinds[k].table); err != nil {
			return fmt.Errorf("store: reset %s: %w", k, err)
		}
	}
	return nil
}
