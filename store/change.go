package store

import (
	"context"
	"fmt"
	"griddesk/domain"
)

// entry is one journal row a transaction writes: the newest state of a row
// it touched ("null" when deleted).
type entry struct {
	ref    domain.Ref
	op     string
	data   string
	scopes map[string]bool // scope → gone (scope.go)
	hidden bool
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
	if len(t.entries) == 0 {
		return 0, nil
	}
	if err := t.scopeEntries(); err != nil { // may journal more rows
		return 0, err
	}
	n := len(t.entries)
	var top int64
	if err := t.tx.QueryRowContext(t.ctx, `UPDATE feed SET seq = seq + ? WHERE id = 1 RETURNING seq`, n).Scan(&top); err != nil {
		return 0, fmt.Errorf("store: number the journal: %w", err)
	}
	if err := t.writeEntries(top - int64(n) + 1); err != nil {
		return 0, err
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
	rows, last, more, err := s.Journal(ctx, after, limit)
	if err != nil {
		return nil, after, false, err
	}
	out := make([]domain.Change, len(rows))
	for i, r := range rows {
		out[i] = r.Change
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
	if _, err := t.exec(`DELETE FROM photo_refs`); err != nil {
		return fmt.Errorf("store: reset: %w", err)
	}
	for _, k := range domain.Kinds() {
		if _, err := t.exec(`DELETE FROM ` + kinds[k].table); err != nil {
			return fmt.Errorf("store: reset %s: %w", k, err)
		}
	}
	return nil
}
