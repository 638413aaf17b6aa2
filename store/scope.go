package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"griddesk/domain"
)

// Scopes: a city's desk copies what its user's work needs, not the city.
// Each journal row carries the scopes it is in (table change_scopes),
// worked out when it is written from the row and the rows it hangs on:
//
//	grid                  town:T, map:T       (T: the grid's town; "" in a one-town database)
//	entity                town:T              (its grid's town)
//	case, task, action    town:T, unit:U…     (the case's grid's town; every unit with a task on the case)
//	inspection, visit     town:T, unit:team   (the entity's town; the team)
//	finding               town:T
//	plan                  town:T, unit:team   (the team's town)
//	user                  town:T, unit:U, user:ID (the user's unit and its town)
//	unit, check item, setting  *              (every desk)
//
// A reader's scope is a set of these keys (server/scope.go says whose is
// what); a row that leaves a scope stays in it as gone, and its readers
// there get it as a removal. When the scopes of a case or an entity change
// (a case dispatched to another unit, an entity moved to another town), the
// rows that hang on it are journaled again, so that readers newly in scope
// get them after their cursor. Closed cases older than the retention
// window are hidden: no desk's feed has them (Retire), desks drop them
// themselves (Prune) and find them on the server.

// Scope keys.
const ScopeEverywhere = "*"

// TownScope is the key of a town's rows; MapScope of its grids alone (a
// unit's map); UnitScope of a unit's work; UserScope of a user's own row.
func TownScope(town string) string { return "town:" + town }
func MapScope(town string) string  { return "map:" + town }
func UnitScope(unit string) string { return "unit:" + unit }
func UserScope(id string) string   { return "user:" + id }

// Scope is what a reader of the feed copies: every row that is not
// hidden (All), or the rows in any of Keys.
type Scope struct {
	All  bool
	Keys []string
}

// String names the scope (a cache key).
func (sc Scope) String() string {
	if sc.All {
		return "all"
	}
	k := append([]string(nil), sc.Keys...)
	sort.Strings(k)
	return strings.Join(k, ",")
}

// Has reports whether a scope holds the key.
func (sc Scope) Has(key string) bool {
	for _, k := range sc.Keys {
		if k == key {
			return true
		}
	}
	return false
}

// JournalRow is a journal row with the scopes it is in (true: gone from
// that one) and whether it is hidden.
type JournalRow struct {
	domain.Change
	Hidden bool
	Scopes map[string]bool
}

// For returns the row as a reader of scope sc gets it: as it is, as a
// removal (it left the reader's scope), or not at all (ok false).
func (r JournalRow) For(sc Scope) (domain.Change, bool) {
	if sc.All {
		return r.Change, !r.Hidden
	}
	in, gone := false, false
	for _, k := range sc.Keys {
		if g, ok := r.Scopes[k]; ok {
			if g {
				gone = true
			} else {
				in = true
			}
		}
	}
	switch {
	case in:
		return r.Change, true
	case gone:
		return domain.Change{Seq: r.Seq, Kind: r.Kind, ID: r.ID, Op: domain.OpDelete, Data: json.RawMessage("null")}, true
	}
	return domain.Change{}, false
}

// DefaultRetention is how long closed cases stay on the desks when the
// setting retention:cases does not say.
const DefaultRetention = 90 * 24 * time.Hour

// RetentionSetting is the ID of the setting {"days": N}.
const RetentionSetting = "retention:cases"

// Retention reads how long closed cases stay on the desks.
func (s *Store) Retention(ctx context.Context) (time.Duration, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE id = ?`, RetentionSetting).Scan(&v)
	return retentionOf(v, err)
}

func retentionOf(v string, err error) (time.Duration, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultRetention, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: retention: %w", err)
	}
	var r struct {
		Days int `json:"days"`
	}
	if json.Unmarshal([]byte(v), &r) != nil || r.Days <= 0 {
		return DefaultRetention, nil
	}
	return time.Duration(r.Days) * 24 * time.Hour, nil
}

// scoper works out the scopes of the rows a transaction journals, with
// caches for the rows many of them hang on.
type scoper struct {
	q      querier
	ctx    context.Context
	now    int64
	towns  map[string]string   // grid → town
	cases  map[string]caseKeys // case → its scopes
	cutoff int64               // closed before this (unix ms): hidden; 0 until read
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

type caseKeys struct {
	keys   []string
	hidden bool
}

func newScoper(ctx context.Context, q querier, now int64) *scoper {
	return &scoper{q: q, ctx: ctx, now: now, towns: map[string]string{}, cases: map[string]caseKeys{}}
}

func (sc *scoper) one(q string, args []any, dst ...any) error {
	err := sc.q.QueryRowContext(sc.ctx, q, args...).Scan(dst...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the row is gone: no scopes
	}
	return err
}

func (sc *scoper) gridTown(grid string) (string, error) {
	if town, ok := sc.towns[grid]; ok {
		return town, nil
	}
	var town string
	if grid != "" {
		if err := sc.one(`SELECT town FROM grids WHERE id = ?`, []any{grid}, &town); err != nil {
			return "", err
		}
	}
	sc.towns[grid] = town
	return town, nil
}

func (sc *scoper) entityTown(entity string) (string, error) {
	var grid string
	if err := sc.one(`SELECT grid_id FROM entities WHERE id = ?`, []any{entity}, &grid); err != nil {
		return "", err
	}
	return sc.gridTown(grid)
}

func (sc *scoper) unitTown(unit string) (string, error) {
	var town string
	if unit != "" {
		if err := sc.one(`SELECT town FROM units WHERE id = ?`, []any{unit}, &town); err != nil {
			return "", err
		}
	}
	return town, nil
}

func (sc *scoper) retentionCutoff() (int64, error) {
	if sc.cutoff == 0 {
		var v string
		err := sc.q.QueryRowContext(sc.ctx, `SELECT value FROM settings WHERE id = ?`, RetentionSetting).Scan(&v)
		d, err := retentionOf(v, err)
		if err != nil {
			return 0, err
		}
		sc.cutoff = sc.now - d.Milliseconds()
	}
	return sc.cutoff, nil
}

func (sc *scoper) caseScopes(id string) (caseKeys, error) {
	if k, ok := sc.cases[id]; ok {
		return k, nil
	}
	var grid, unit string
	var closed int64
	if err := sc.one(`SELECT grid_id, unit_id, closed_at FROM cases WHERE id = ?`, []any{id}, &grid, &unit, &closed); err != nil {
		return caseKeys{}, err
	}
	cutoff, err := sc.retentionCutoff()
	if err != nil {
		return caseKeys{}, err
	}
	var k caseKeys
	if closed > 0 && closed < cutoff {
		k.hidden = true
	} else {
		town, err := sc.gridTown(grid)
		if err != nil {
			return k, err
		}
		k.keys = append(k.keys, TownScope(town))
		units := map[string]bool{}
		if unit != "" {
			units[unit] = true
		}
		rows, err := sc.q.QueryContext(sc.ctx, `SELECT DISTINCT unit_id FROM tasks WHERE case_id = ?`, id)
		if err != nil {
			return k, err
		}
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				rows.Close()
				return k, err
			}
			units[u] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return k, err
		}
		for u := range units {
			k.keys = append(k.keys, UnitScope(u))
		}
	}
	sc.cases[id] = k
	return k, nil
}

// keys works out the scopes of a row as it is now in the transaction.
func (sc *scoper) keys(r domain.Ref) (keys []string, hidden bool, err error) {
	switch r.Kind {
	case domain.KindUnit, domain.KindCheckItem, domain.KindSetting:
		return []string{ScopeEverywhere}, false, nil
	case domain.KindGrid:
		town, err := sc.gridTown(r.ID)
		delete(sc.towns, r.ID) // written in this transaction: read it afresh next time
		return []string{TownScope(town), MapScope(town)}, false, err
	case domain.KindEntity:
		town, err := sc.entityTown(r.ID)
		return []string{TownScope(town)}, false, err
	case domain.KindCase:
		delete(sc.cases, r.ID)
		k, err := sc.caseScopes(r.ID)
		return k.keys, k.hidden, err
	case domain.KindTask, domain.KindCaseAction:
		table := "tasks"
		if r.Kind == domain.KindCaseAction {
			table = "case_actions"
		}
		var c string
		if err := sc.one(`SELECT case_id FROM `+table+` WHERE id = ?`, []any{r.ID}, &c); err != nil {
			return nil, false, err
		}
		k, err := sc.caseScopes(c)
		return k.keys, k.hidden, err
	case domain.KindInspection, domain.KindVisit:
		table := "inspections"
		if r.Kind == domain.KindVisit {
			table = "visits"
		}
		var entity, team string
		if err := sc.one(`SELECT entity_id, team_id FROM `+table+` WHERE id = ?`, []any{r.ID}, &entity, &team); err != nil {
			return nil, false, err
		}
		town, err := sc.entityTown(entity)
		keys := []string{TownScope(town)}
		if team != "" {
			keys = append(keys, UnitScope(team))
		}
		return keys, false, err
	case domain.KindFinding:
		var entity string
		if err := sc.one(`SELECT entity_id FROM findings WHERE id = ?`, []any{r.ID}, &entity); err != nil {
			return nil, false, err
		}
		town, err := sc.entityTown(entity)
		return []string{TownScope(town)}, false, err
	case domain.KindPlan:
		var team string
		if err := sc.one(`SELECT team_id FROM plans WHERE id = ?`, []any{r.ID}, &team); err != nil {
			return nil, false, err
		}
		town, err := sc.unitTown(team)
		keys := []string{TownScope(town)}
		if team != "" {
			keys = append(keys, UnitScope(team))
		}
		return keys, false, err
	case domain.KindUser:
		var unit string
		if err := sc.one(`SELECT unit_id FROM users WHERE id = ?`, []any{r.ID}, &unit); err != nil {
			return nil, false, err
		}
		town, err := sc.unitTown(unit)
		keys := []string{TownScope(town), UserScope(r.ID)}
		if unit != "" {
			keys = append(keys, UnitScope(unit))
		}
		return keys, false, err
	}
	return nil, false, fmt.Errorf("no scopes for kind %q", r.Kind)
}

// dependents are the rows whose scopes follow a row's: journaled again
// when its scopes change.
var dependents = map[string][]struct{ kind, table, column string }{
	domain.KindCase:   {{domain.KindTask, "tasks", "case_id"}, {domain.KindCaseAction, "case_actions", "case_id"}},
	domain.KindEntity: {{domain.KindInspection, "inspections", "entity_id"}, {domain.KindFinding, "findings", "entity_id"}, {domain.KindVisit, "visits", "entity_id"}},
	domain.KindGrid:   {{domain.KindEntity, "entities", "grid_id"}, {domain.KindCase, "cases", "grid_id"}},
	domain.KindUnit:   {{domain.KindUser, "users", "unit_id"}, {domain.KindPlan, "plans", "team_id"}},
}

// rejournal adds the rows that hang on r to the transaction's journal.
func (t *Tx) rejournal(r domain.Ref) error {
	for _, d := range dependents[r.Kind] {
		rows, err := t.tx.QueryContext(t.ctx, `SELECT id FROM `+d.table+` WHERE `+d.column+` = ?`, r.ID)
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			ref := domain.Ref{Kind: d.kind, ID: id}
			if _, ok := t.entry[ref]; ok {
				continue
			}
			data, ok, err := t.Row(ref)
			if err != nil || !ok {
				return err
			}
			if err := t.journalRow(d.kind, id, domain.OpUpsert, string(data)); err != nil {
				return err
			}
		}
	}
	return nil
}

// previous is a row's journal entry before this transaction.
type previous struct {
	seq    int64
	town   string          // a unit's town, from its data
	scopes map[string]bool // scope → gone
}

// previousOf reads the journal entries of rows before this transaction,
// in one query.
func (t *Tx) previousOf(refs []domain.Ref) (map[domain.Ref]previous, error) {
	out := make(map[domain.Ref]previous, len(refs))
	for start := 0; start < len(refs); start += 200 {
		batch := refs[start:min(start+200, len(refs))]
		args := make([]any, 0, 2*len(batch))
		for _, r := range batch {
			args = append(args, r.Kind, r.ID)
		}
		rows, err := t.tx.QueryContext(t.ctx, `SELECT c.kind, c.id, c.seq, CASE WHEN c.kind = 'unit' THEN c.data ELSE '' END,
			COALESCE(s.scope, ''), COALESCE(s.gone, 0)
			FROM changes c LEFT JOIN change_scopes s ON s.seq = c.seq
			WHERE (c.kind, c.id) IN ((?,?)`+strings.Repeat(",(?,?)", len(batch)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var r domain.Ref
			var seq int64
			var data, scope string
			var gone int
			if err := rows.Scan(&r.Kind, &r.ID, &seq, &data, &scope, &gone); err != nil {
				rows.Close()
				return nil, err
			}
			p, ok := out[r]
			if !ok {
				p = previous{seq: seq, scopes: map[string]bool{}}
				if data != "" {
					var u struct {
						Town string `json:"town"`
					}
					json.Unmarshal([]byte(data), &u)
					p.town = u.Town
				}
			}
			if scope != "" {
				p.scopes[scope] = gone != 0
			}
			out[r] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scopeEntries works out the scopes of the transaction's journal rows
// (and journals again the rows that hang on one whose scopes changed), and
// drops each row's previous entry.
func (t *Tx) scopeEntries() error {
	sc := newScoper(t.ctx, t.tx, t.now)
	var dropped []any                       // seqs of previous entries
	for done := 0; done < len(t.entries); { // rejournal appends: go round again for those
		round := t.entries[done:]
		refs := make([]domain.Ref, len(round))
		for i, e := range round {
			refs[i] = e.ref
		}
		prevs, err := t.previousOf(refs)
		if err != nil {
			return fmt.Errorf("store: journal: %w", err)
		}
		end := len(t.entries)
		for i := done; i < end; i++ {
			e := &t.entries[i]
			prev := prevs[e.ref]
			if prev.scopes == nil {
				prev.scopes = map[string]bool{}
			}
			if prev.seq > 0 {
				dropped = append(dropped, prev.seq)
			}
			e.scopes = map[string]bool{}
			if e.op == domain.OpDelete {
				for s := range prev.scopes { // every reader that had it, or had it once
					e.scopes[s] = false
				}
				continue
			}
			keys, hidden, err := sc.keys(e.ref)
			if err != nil {
				return fmt.Errorf("store: scopes of %s %s: %w", e.ref.Kind, e.ref.ID, err)
			}
			e.hidden = hidden
			for s := range prev.scopes {
				e.scopes[s] = true
			}
			for _, k := range keys {
				e.scopes[k] = false
			}
			changed := false
			for s, gone := range e.scopes {
				if was, ok := prev.scopes[s]; !ok || was != gone {
					changed = true
				}
			}
			if e.ref.Kind == domain.KindUnit && prev.seq > 0 {
				var town string
				sc.one(`SELECT town FROM units WHERE id = ?`, []any{e.ref.ID}, &town)
				changed = town != prev.town
			}
			if changed && prev.seq > 0 {
				if err := t.rejournal(e.ref); err != nil {
					return fmt.Errorf("store: journal what hangs on %s %s: %w", e.ref.Kind, e.ref.ID, err)
				}
				e = &t.entries[i] // rejournal may have moved the slice
			}
		}
		done = end
	}
	for start := 0; start < len(dropped); start += 500 {
		batch := dropped[start:min(start+500, len(dropped))]
		in := `(?` + strings.Repeat(",?", len(batch)-1) + `)`
		if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM change_scopes WHERE seq IN `+in, batch...); err != nil {
			return fmt.Errorf("store: journal: %w", err)
		}
		if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM changes WHERE seq IN `+in, batch...); err != nil {
			return fmt.Errorf("store: journal: %w", err)
		}
	}
	return nil
}

// writeEntries inserts the transaction's journal rows, numbered from
// first, with their scopes: a few multi-row statements.
func (t *Tx) writeEntries(first int64) error {
	const chunk = 100
	for start := 0; start < len(t.entries); start += chunk {
		batch := t.entries[start:min(start+chunk, len(t.entries))]
		args := make([]any, 0, 6*len(batch))
		var sargs []any
		for i, e := range batch {
			seq := first + int64(start+i)
			args = append(args, seq, e.ref.Kind, e.ref.ID, e.op, e.data, boolInt(e.hidden))
			for s, gone := range e.scopes {
				sargs = append(sargs, s, seq, boolInt(gone))
			}
		}
		if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO changes (seq, kind, id, op, data, hidden) VALUES (?,?,?,?,?,?)`+
			strings.Repeat(",(?,?,?,?,?,?)", len(batch)-1), args...); err != nil {
			return fmt.Errorf("store: journal: %w", err)
		}
		for ss := 0; ss < len(sargs); ss += 3 * 300 {
			part := sargs[ss:min(ss+3*300, len(sargs))]
			if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO change_scopes (scope, seq, gone) VALUES (?,?,?)`+
				strings.Repeat(",(?,?,?)", len(part)/3-1), part...); err != nil {
				return fmt.Errorf("store: journal scopes: %w", err)
			}
		}
	}
	return nil
}

// writeScopes records a journal row's scopes.
func (t *Tx) writeScopes(seq int64, scopes map[string]bool) error {
	for s, gone := range scopes {
		if _, err := t.exec(`INSERT INTO change_scopes (scope, seq, gone) VALUES (?,?,?)`, s, seq, boolInt(gone)); err != nil {
			return err
		}
	}
	return nil
}

// ChangesIn returns up to limit journal rows after seq as a reader of
// scope sc gets them (removals for rows that left it), the seq to go on
// from, and whether more rows follow. The seq to go on from is the
// journal's top when no more rows of the scope follow, so that a reader
// whose scope saw nothing still moves past the rows of others.
func (s *Store) ChangesIn(ctx context.Context, sc Scope, after int64, limit int) ([]domain.Change, int64, bool, error) {
	if limit <= 0 {
		limit = 1000
	}
	// the top first: every row up to it has committed (the sequence is
	// drawn in commit order), so the rows read next hold all of them
	top, err := s.LastSeq(ctx)
	if err != nil {
		return nil, after, false, err
	}
	var q string
	var args []any
	if sc.All {
		q = `SELECT seq, kind, id, op, data, 0 FROM changes WHERE hidden = 0 AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?`
		args = []any{after, top, limit + 1}
	} else {
		if len(sc.Keys) == 0 {
			return []domain.Change{}, max(after, top), false, nil
		}
		// each scope's first rows through its (scope, seq) key, merged
		var parts []string
		for i, k := range sc.Keys {
			parts = append(parts, `SELECT seq, gone FROM (SELECT seq, gone FROM change_scopes WHERE scope = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?) s`+strconv.Itoa(i))
			args = append(args, k, after, top, limit+1)
		}
		q = `SELECT c.seq, c.kind, c.id, c.op, c.data, x.gone FROM (SELECT seq, MIN(gone) AS gone FROM (` +
			strings.Join(parts, ` UNION ALL `) + `) u GROUP BY seq ORDER BY seq LIMIT ?) x JOIN changes c ON c.seq = x.seq ORDER BY c.seq`
		args = append(args, limit+1)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
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
		var gone int
		if err := rows.Scan(&c.Seq, &c.Kind, &c.ID, &c.Op, &data, &gone); err != nil {
			return nil, after, false, fmt.Errorf("store: changes after %d: %w", after, err)
		}
		c.Data = json.RawMessage(data)
		if gone != 0 {
			c.Op, c.Data = domain.OpDelete, json.RawMessage("null")
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, after, false, fmt.Errorf("store: changes after %d: %w", after, err)
	}
	last := max(after, top)
	if more {
		last = out[len(out)-1].Seq
	}
	return out, last, more, nil
}

// Journal returns up to limit journal rows after seq with their scopes,
// the last seq returned (or after) and whether more follow: the server
// keeps the feed's newest rows in memory and filters them for each desk.
func (s *Store) Journal(ctx context.Context, after int64, limit int) ([]JournalRow, int64, bool, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.seq, c.kind, c.id, c.op, c.data, c.hidden, COALESCE(s.scope, ''), COALESCE(s.gone, 0)
		FROM (SELECT seq, kind, id, op, data, hidden FROM changes WHERE seq > ? ORDER BY seq LIMIT ?) c
		LEFT JOIN change_scopes s ON s.seq = c.seq ORDER BY c.seq`, after, limit+1)
	if err != nil {
		return nil, after, false, fmt.Errorf("store: journal after %d: %w", after, err)
	}
	defer rows.Close()
	var out []JournalRow
	more := false
	for rows.Next() {
		var r JournalRow
		var data, scope string
		var hidden, gone int
		if err := rows.Scan(&r.Seq, &r.Kind, &r.ID, &r.Op, &data, &hidden, &scope, &gone); err != nil {
			return nil, after, false, fmt.Errorf("store: journal after %d: %w", after, err)
		}
		if n := len(out); n > 0 && out[n-1].Seq == r.Seq {
			if scope != "" {
				out[n-1].Scopes[scope] = gone != 0
			}
			continue
		}
		if len(out) == limit {
			more = true
			break
		}
		r.Data, r.Hidden, r.Scopes = json.RawMessage(data), hidden != 0, map[string]bool{}
		if scope != "" {
			r.Scopes[scope] = gone != 0
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, after, false, fmt.Errorf("store: journal after %d: %w", after, err)
	}
	last := after
	if n := len(out); n > 0 {
		last = out[n-1].Seq
	}
	return out, last, more, nil
}

// ScopesOf returns the scopes a row is in, worked out from the rows as
// they are now, retention aside: the scopes that may read it, also when it
// is a closed case kept on the server only. ErrNotFound when it does not
// exist.
func (s *Store) ScopesOf(ctx context.Context, kind, id string) ([]string, error) {
	kd, err := kindOf(kind)
	if err != nil {
		return nil, fmt.Errorf("store: scopes of %s: %w", id, err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+kd.table+` WHERE id = ?`, id).Scan(&n); err != nil {
		return nil, fmt.Errorf("store: scopes of %s %s: %w", kind, id, err)
	}
	if n == 0 {
		return nil, fmt.Errorf("store: scopes of %s %s: %w", kind, id, ErrNotFound)
	}
	sc := newScoper(ctx, s.db, time.Now().UnixMilli())
	sc.cutoff = -1 << 62 // nothing is old enough to hide
	keys, _, err := sc.keys(domain.Ref{Kind: kind, ID: id})
	if err != nil {
		return nil, fmt.Errorf("store: scopes of %s %s: %w", kind, id, err)
	}
	return keys, nil
}

// Retire hides from every desk's feed the closed cases that left the
// retention window since the last time (with their tasks and actions):
// their journal rows lose their scopes. Desks drop them themselves (Prune)
// by the same rule. It returns how many journal rows it hid. Any node may
// run it at any time; it is cheap when there is nothing new to hide.
func (s *Store) Retire(ctx context.Context, now time.Time) (int, error) {
	keep, err := s.Retention(ctx)
	if err != nil {
		return 0, err
	}
	cutoff := now.Add(-keep).UnixMilli()
	n := 0
	err = s.Update(ctx, func(tx *Tx) error {
		var since int64
		var v string
		err := tx.tx.QueryRowContext(tx.ctx, `SELECT value FROM meta WHERE key = 'journal.retired_until'`).Scan(&v)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		since, _ = strconv.ParseInt(v, 10, 64)
		if since >= cutoff {
			return nil
		}
		rows, err := tx.tx.QueryContext(tx.ctx, `WITH old AS (SELECT id FROM cases WHERE closed_at >= ? AND closed_at < ? AND closed_at > 0),
			r AS (SELECT 'case' AS kind, id FROM old
				UNION ALL SELECT 'task', t.id FROM tasks t JOIN old ON old.id = t.case_id
				UNION ALL SELECT 'case_action', a.id FROM case_actions a JOIN old ON old.id = a.case_id)
			SELECT ch.seq FROM changes ch JOIN r ON ch.kind = r.kind AND ch.id = r.id WHERE ch.hidden = 0`, since, cutoff)
		if err != nil {
			return err
		}
		var seqs []int64
		for rows.Next() {
			var seq int64
			if err := rows.Scan(&seq); err != nil {
				rows.Close()
				return err
			}
			seqs = append(seqs, seq)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, seq := range seqs {
			if _, err := tx.exec(`UPDATE changes SET hidden = 1 WHERE seq = ?`, seq); err != nil {
				return err
			}
			if _, err := tx.exec(`DELETE FROM change_scopes WHERE seq = ?`, seq); err != nil {
				return err
			}
		}
		n = len(seqs)
		return tx.SetMeta("journal.retired_until", strconv.FormatInt(cutoff, 10))
	})
	if err != nil {
		return 0, fmt.Errorf("store: retire closed cases: %w", err)
	}
	return n, nil
}

// Prune drops from a desk's copy the closed cases that left the retention
// window, with their tasks and actions, unless a pending command changed
// them. It returns how many cases it dropped.
func (t *Tx) Prune(now time.Time, keep time.Duration) (int, error) {
	cutoff := now.Add(-keep).UnixMilli()
	old := `SELECT id FROM cases WHERE closed_at > 0 AND closed_at < ? AND id NOT IN (SELECT id FROM shadow WHERE kind = 'case')`
	for _, q := range []string{
		`DELETE FROM case_actions WHERE case_id IN (` + old + `)`,
		`DELETE FROM tasks WHERE case_id IN (` + old + `)`,
	} {
		if _, err := t.exec(q, cutoff); err != nil {
			return 0, fmt.Errorf("store: prune closed cases: %w", err)
		}
	}
	res, err := t.exec(`DELETE FROM cases WHERE id IN (`+old+`)`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("store: prune closed cases: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// scopeJournal gives the scopes to the journal rows written before there
// were scopes (a server's database from before migration 10), once.
func (s *Store) scopeJournal(ctx context.Context) error {
	done, err := s.Meta(ctx, "journal.scoped")
	if err != nil || done == "1" {
		return err
	}
	return s.Update(ctx, func(tx *Tx) error {
		rows, err := tx.tx.QueryContext(ctx, `SELECT seq, kind, id, op FROM changes
			WHERE NOT EXISTS (SELECT 1 FROM change_scopes s WHERE s.seq = changes.seq) ORDER BY seq`)
		if err != nil {
			return err
		}
		type row struct {
			seq      int64
			kind, id string
			op       string
		}
		var all []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.seq, &r.kind, &r.id, &r.op); err != nil {
				rows.Close()
				return err
			}
			all = append(all, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		sc := newScoper(ctx, tx.tx, tx.now)
		for _, r := range all {
			keys := []string{ScopeEverywhere} // a removal: every desk
			hidden := false
			if r.op != domain.OpDelete {
				if keys, hidden, err = sc.keys(domain.Ref{Kind: r.kind, ID: r.id}); err != nil {
					return fmt.Errorf("store: scopes of %s %s: %w", r.kind, r.id, err)
				}
			}
			scopes := map[string]bool{}
			for _, k := range keys {
				scopes[k] = false
			}
			if err := tx.writeScopes(r.seq, scopes); err != nil {
				return err
			}
			if hidden {
				if _, err := tx.exec(`UPDATE changes SET hidden = 1 WHERE seq = ?`, r.seq); err != nil {
					return err
				}
			}
		}
		return tx.SetMeta("journal.scoped", "1")
	})
}
