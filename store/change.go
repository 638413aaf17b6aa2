package store

import (
	"context"
	"encoding/json"
	"fmt"
	"griddesk/domain"
)

// tables maps each kind to its table.
var tables = map[string]string{
	domain.KindGrid: "grids", domain.KindEntity: "entities", domain.KindUnit: "units", domain.KindUser: "users", domain.KindCase: "cases",
	domain.KindTask: "tasks", domain.KindCaseAction: "case_actions", domain.KindCheckItem: "check_items",
	domain.KindInspection: "inspections", domain.KindFinding: "findings", domain.KindPlan: "plans", domain.KindVisit: "visits", domain.KindSetting: "settings",
}

// record appends the new state of a row to the journal, replacing its
// previous entry so the feed holds one row per (kind, id).
func (t *Tx) record(kind, id string, v any) error {
	if !t.journal {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: journal %s %s: %w", kind, id, err)
	}
	return t.journalRow(kind, id, domain.OpUpsert, string(data))
}

func (t *Tx) journalRow(kind, id, op, data string) error {
	if _, err := t.exec(`DELETE FROM changes WHERE kind = ? AND id = ?`, kind, id); err != nil {
		return fmt.Errorf("store: journal %s %s: %w", kind, id, err)
	}
	if _, err := t.exec(`INSERT INTO changes (kind, id, op, data) VALUES (?,?,?,?)`, kind, id, op, data); err != nil {
		return fmt.Errorf("store: journal %s %s: %w", kind, id, err)
	}
	return nil
}

// Delete removes a row of any kind (a tombstone in the journal).
func (t *Tx) Delete(kind, id string) error {
	table, ok := tables[kind]
	if !ok {
		return fmt.Errorf("store: delete: unknown kind %q", kind)
	}
	if _, err := t.exec(`DELETE FROM `+table+` WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: delete %s %s: %w", kind, id, err)
	}
	if !t.journal {
		return nil
	}
	return t.journalRow(kind, id, domain.OpDelete, "null")
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

// Apply writes one change from the server's feed into this (desk) store.
func (t *Tx) Apply(c domain.Change) error {
	if _, ok := tables[c.Kind]; !ok {
		return fmt.Errorf("store: apply change %d: unknown kind %q", c.Seq, c.Kind)
	}
	switch c.Op {
	case domain.OpDelete:
		return t.Delete(c.Kind, c.ID)
	case domain.OpUpsert:
	default:
		return fmt.Errorf("store: apply change %d: unknown op %q", c.Seq, c.Op)
	}
	var err error
	switch c.Kind {
	case domain.KindGrid:
		err = applyAs(c, t.PutGrid)
	case domain.KindEntity:
		err = applyAs(c, t.PutEntity)
	case domain.KindUnit:
		err = applyAs(c, t.PutUnit)
	case domain.KindUser:
		err = applyAs(c, t.PutUser)
	case domain.KindCase:
		err = applyAs(c, t.PutCase)
	case domain.KindTask:
		err = applyAs(c, t.PutTask)
	case domain.KindCaseAction:
		err = applyAs(c, t.PutAction)
	case domain.KindCheckItem:
		err = applyAs(c, t.PutCheckItem)
	case domain.KindInspection:
		err = applyAs(c, t.PutInspection)
	case domain.KindFinding:
		err = applyAs(c, t.PutFinding)
	case domain.KindPlan:
		err = applyAs(c, t.PutPlan)
	case domain.KindVisit:
		err = applyAs(c, t.PutVisit)
	case domain.KindSetting:
		err = applyAs(c, t.PutSetting)
	}
	if err != nil {
		return fmt.Errorf("store: apply change %d (%s %s): %w", c.Seq, c.Kind, c.ID, err)
	}
	return nil
}

func applyAs[T any](c domain.Change, put func(*T) error) error {
	var v T
	if err := json.Unmarshal(c.Data, &v); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return put(&v)
}

// Counts returns the number of rows of each kind.
func (s *Store) Counts(ctx context.Context) (map[string]int, error) {
	out := make(map[string]int, len(tables))
	for kind, table := range tables {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: count %s: %w", kind, err)
		}
		out[kind] = n
	}
	return out, nil
}

// Reset empties every synced table (a desk starting its copy afresh).
func (t *Tx) Reset() error {
	for _, kind := range domain.Kinds() {
		if _, err := t.exec(`DELETE FROM ` + tables[kind]); err != nil {
			return fmt.Errorf("store: reset %s: %w", kind, err)
		}
	}
	return nil
}
