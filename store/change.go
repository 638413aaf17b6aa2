package store

import (
	"context"
	"encoding/json"
	"fmt"
	"griddesk/domain"
)

// entry is one journal row a transaction writes: the newest state of a row
// it touched ("null" when deleted).
type entry struct {
	ref  domain.Ref
	op   string
	data string
}

// journalRow keeps the new state of a row for the journal; the transaction
// writes it, numbered, when it commits (flush).
func (t *Tx) journalRow(kind, id, op, data string) error {
	ref := domain.Ref{Kind: kind, ID: id}
	if i, ok := t.entry[ref]; ok {
		t.entries[i].op, t.entries[i].data = op, data
		return nil
	}
	if t.entry == nil {
		t.entry = map[domain.Ref]int{}
	}
	t.entry[ref] = len(t.entries)
	t.entries = append(t.entries, entry{ref: ref, op: op, data: data})
	return nil
}

// flush writes the transaction's journal rows just before it commits. It
// numbers them from the feed's counter row: the UPDATE holds the row until
// the commit, so a later writer's numbers are drawn after this commit, and
// a reader that sees a row of seq n has every row below n committed too.
// The previous entry of each row goes (one row per kind and id). It
// returns the newest seq, 0 when the transaction journaled nothing.
func (t *Tx) flush() (int64, error) {
	n := len(t.entries)
	if n == 0 {
		return 0, nil
	}
	var top int64
	if err := t.tx.QueryRowContext(t.ctx, `UPDATE feed SET seq = seq + ? WHERE id = 1 RETURNING seq`, n).Scan(&top); err != nil {
		return 0, fmt.Errorf("store: number the journal: %w", err)
	}
	seq := top - int64(n)
	for _, e := range t.entries {
		seq++
		if _, err := t.exec(`DELETE FROM changes WHERE kind = ? AND id = ?`, e.ref.Kind, e.ref.ID); err != nil {
			return 0, fmt.Errorf("store: journal %s %s: %w", e.ref.Kind, e.ref.ID, err)
		}
		if _, err := t.exec(`INSERT INTO changes (seq, kind, id, op, data) VALUES (?,?,?,?,?)`, seq, e.ref.Kind, e.ref.ID, e.op, e.data); err != nil {
			return 0, fmt.Errorf("store: journal %s %s: %w", e.ref.Kind, e.ref.ID, err)
		}
	}
	if err := t.announce(TopicFeed, top); err != nil {
		return 0, err
	}
	// what the nodes keep of grids and users follows them
	for _, k := range []struct{ kind, topic string }{{domain.KindGrid, TopicGrids}, {domain.KindUser, TopicSessions}} {
		for _, e := range t.entries {
			if e.ref.Kind == k.kind {
				if err := t.announce(k.topic, 0); err != nil {
					return 0, err
				}
				break
			}
		}
	}
	return top, nil
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
