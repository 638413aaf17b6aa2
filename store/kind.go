package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"griddesk/domain"
)

// kind is how the store keeps one kind of synced row: its table, how to
// read one row inside a transaction, and how to write one from the change
// feed's JSON. Row, Apply, Delete, Counts and Reset all read this one table,
// so a new kind is added in one place.
type kind struct {
	table string
	get   func(t *Tx, id string) (any, error) // sql.ErrNoRows when absent
	put   func(t *Tx, data []byte) error
}

// kinds is filled in init: its writers reach back to it through the
// shadow (touch → keepShadow → Row), which a package-level initializer
// cannot do.
var kinds map[string]kind

func init() {
	kinds = map[string]kind{
		domain.KindGrid:       {"grids", getRow(gridCols, "grids", scanGrid), putRow((*Tx).PutGrid)},
		domain.KindEntity:     {"entities", getRow(entityCols, "entities", scanEntity), putRow((*Tx).PutEntity)},
		domain.KindUnit:       {"units", getRow(unitCols, "units", scanUnit), putRow((*Tx).PutUnit)},
		domain.KindUser:       {"users", getRow(userCols, "users", scanUser), putRow((*Tx).PutUser)},
		domain.KindCase:       {"cases", getRow(caseCols, "cases", scanCase), putRow((*Tx).PutCase)},
		domain.KindTask:       {"tasks", getRow(taskCols, "tasks", scanTask), putRow((*Tx).PutTask)},
		domain.KindCaseAction: {"case_actions", getRow(actionCols, "case_actions", scanAction), putRow((*Tx).PutAction)},
		domain.KindCheckItem:  {"check_items", getRow(checkItemCols, "check_items", scanCheckItem), putRow((*Tx).PutCheckItem)},
		domain.KindInspection: {"inspections", getRow(inspectionCols, "inspections", scanInspection), putRow((*Tx).PutInspection)},
		domain.KindFinding:    {"findings", getRow(findingCols, "findings", scanFinding), putRow((*Tx).PutFinding)},
		domain.KindPlan:       {"plans", getRow(planCols, "plans", scanPlan), putRow((*Tx).PutPlan)},
		domain.KindVisit:      {"visits", getRow(visitCols, "visits", scanVisit), putRow((*Tx).PutVisit)},
		domain.KindSetting:    {"settings", getRow(settingCols, "settings", scanSetting), putRow((*Tx).PutSetting)},
	}
}

type scanner = interface{ Scan(...any) error }

func getRow[T any](cols, table string, scan func(scanner) (T, error)) func(*Tx, string) (any, error) {
	q := `SELECT ` + cols + ` FROM ` + table + ` WHERE id = ?`
	return func(t *Tx, id string) (any, error) {
		return scan(t.tx.QueryRowContext(t.ctx, q, id))
	}
}

func putRow[T any](put func(*Tx, *T) error) func(*Tx, []byte) error {
	return func(t *Tx, data []byte) error {
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		return put(t, &v)
	}
}

func kindOf(k string) (kind, error) {
	kd, ok := kinds[k]
	if !ok {
		return kd, fmt.Errorf("unknown kind %q", k)
	}
	return kd, nil
}

// Row returns a row of any kind as JSON (ok false when it does not exist).
func (t *Tx) Row(r domain.Ref) (json.RawMessage, bool, error) {
	kd, err := kindOf(r.Kind)
	if err != nil {
		return nil, false, fmt.Errorf("store: row %s: %w", r.ID, err)
	}
	v, err := kd.get(t, r.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: row %s %s: %w", r.Kind, r.ID, err)
	}
	raw, err := json.Marshal(v)
	return raw, true, err
}

// Apply writes one change from the server's feed into this (desk) store.
func (t *Tx) Apply(c domain.Change) error {
	kd, err := kindOf(c.Kind)
	if err != nil {
		return fmt.Errorf("store: apply change %d: %w", c.Seq, err)
	}
	switch c.Op {
	case domain.OpDelete:
		return t.Delete(c.Kind, c.ID)
	case domain.OpUpsert:
	default:
		return fmt.Errorf("store: apply change %d: unknown op %q", c.Seq, c.Op)
	}
	if err := kd.put(t, c.Data); err != nil {
		return fmt.Errorf("store: apply change %d (%s %s): %w", c.Seq, c.Kind, c.ID, err)
	}
	return nil
}

// Delete removes a row of any kind (a tombstone in the journal).
func (t *Tx) Delete(k, id string) error {
	kd, err := kindOf(k)
	if err != nil {
		return fmt.Errorf("store: delete %s: %w", id, err)
	}
	if err := t.touch(k, id, nil); err != nil {
		return err
	}
	if _, err := t.exec(`DELETE FROM `+kd.table+` WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: delete %s %s: %w", k, id, err)
	}
	return t.refPhotos(k, id, nil)
}

// touch is called by every write of a synced row, before it writes: with
// shadows kept (a desk issuing a command) the row's state before the
// transaction's first write to it becomes its shadow, unless an earlier
// pending command already keeps one; with a journal (the server) the row's
// new state (nil: deleted) goes into the change feed. The rows touched are
// remembered (Touched).
func (t *Tx) touch(k, id string, v any) error {
	ref := domain.Ref{Kind: k, ID: id}
	if !t.touched[ref] {
		if t.touched == nil {
			t.touched = map[domain.Ref]bool{}
		}
		t.touched[ref] = true
		t.order = append(t.order, ref)
		if t.shadows {
			if err := t.keepShadow(ref); err != nil {
				return err
			}
		}
	}
	if !t.journal {
		return nil
	}
	if v == nil {
		return t.journalRow(k, id, domain.OpDelete, "null")
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: journal %s %s: %w", k, id, err)
	}
	return t.journalRow(k, id, domain.OpUpsert, string(data))
}

// Touched lists the synced rows the transaction wrote, in the order of
// their first write.
func (t *Tx) Touched() []domain.Ref { return append([]domain.Ref(nil), t.order...) }

// KeepShadows makes the transaction's later writes keep the written rows'
// server state as their shadow first, or stops it (see touch): the desk's
// optimistic effect of a command.
func (t *Tx) KeepShadows(on bool) { t.shadows = on }

// ResetTouched forgets the rows written so far, so that Touched lists the
// next writes alone (one command of several run in a transaction).
func (t *Tx) ResetTouched() { t.touched, t.order = nil, nil }

// keepShadow saves a row's current state as its shadow, unless it has one.
func (t *Tx) keepShadow(r domain.Ref) error {
	if _, ok, err := t.Shadow(r); err != nil || ok {
		return err
	}
	row, ok, err := t.Row(r)
	if err != nil {
		return err
	}
	if !ok {
		row = json.RawMessage("null")
	}
	return t.SetShadow(r, row)
}
