package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb/encoding/wkb"

	"griddesk/domain"
)

// Loader fills an empty database fast (the city seed): rows go in large
// batches in one transaction (bulk.go), each with its journal row and
// scopes worked out from the rows given, by the rules of scope.go, instead
// of read back as a Tx does. Closed cases already past the retention
// window get no journal row: they are kept on the server only, as Retire
// would leave them. Give grids before the entities and cases in them, and
// units before their users.
type Loader struct {
	k        sink
	cutoff   int64 // cases closed before it (unix ms) are past the retention window
	now      int64
	seq      int64 // the journal's top so far
	gridTown map[string]string
	unitTown map[string]string
	tables   map[string]*pending
	order    []string
	rows     map[string]int // rows loaded, by kind
}

type pending struct {
	cols []string
	rows [][]any
}

const loadBatch = 20000

// Load runs fn with a Loader in one transaction. now is the loader's
// clock (retention, rows without a time).
func (s *Store) Load(ctx context.Context, now time.Time, fn func(*Loader) error) (map[string]int, error) {
	keep, err := s.Retention(ctx)
	if err != nil {
		return nil, err
	}
	var rows map[string]int
	err = s.bulk(ctx, func(k sink) error {
		top, err := k.top()
		if err != nil {
			return err
		}
		l := &Loader{k: k, now: now.UnixMilli(), cutoff: now.Add(-keep).UnixMilli(), seq: top,
			gridTown: map[string]string{}, unitTown: map[string]string{}, tables: map[string]*pending{}, rows: map[string]int{}}
		if err := fn(l); err != nil {
			return err
		}
		for _, t := range l.order {
			if err := l.flush(t); err != nil {
				return err
			}
		}
		rows = l.rows
		// what closed before the window was never journaled: Retire starts here
		if err := k.exec(`INSERT INTO meta (key, value) VALUES ('journal.retired_until', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, strconv.FormatInt(l.cutoff, 10)); err != nil {
			return err
		}
		return k.exec(`UPDATE feed SET seq = ? WHERE id = 1`, l.seq)
	})
	if err != nil {
		return nil, fmt.Errorf("store: load: %w", err)
	}
	if err := s.analyze(ctx); err != nil {
		return nil, err
	}
	if s.watch != nil {
		s.watch.dispatch(TopicGrids, 0)
		s.wake(0)
	}
	return rows, nil
}

func (l *Loader) add(table, cols string, vals ...any) error {
	p := l.tables[table]
	if p == nil {
		p = &pending{cols: strings.Split(strings.Join(strings.Fields(cols), ""), ",")}
		l.tables[table] = p
		l.order = append(l.order, table)
	}
	p.rows = append(p.rows, vals)
	if len(p.rows) >= loadBatch {
		return l.flush(table)
	}
	return nil
}

func (l *Loader) flush(table string) error {
	p := l.tables[table]
	if err := l.k.insert(table, p.cols, p.rows); err != nil {
		return err
	}
	p.rows = p.rows[:0]
	return nil
}

// journal adds a row's journal entry in its scopes (none when hidden).
func (l *Loader) journal(kind, id string, v any, keys []string, hidden bool) error {
	l.rows[kind]++
	if hidden {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("journal %s %s: %w", kind, id, err)
	}
	l.seq++
	if err := l.add("changes", "seq, kind, id, op, data, hidden", l.seq, kind, id, domain.OpUpsert, string(data), 0); err != nil {
		return err
	}
	for _, k := range keys {
		if err := l.add("change_scopes", "scope, seq, gone", k, l.seq, 0); err != nil {
			return err
		}
	}
	return nil
}

func (l *Loader) stamp(t *time.Time) {
	if t.IsZero() {
		*t = time.UnixMilli(l.now)
	}
}

// Grid loads a grid.
func (l *Loader) Grid(g domain.Grid) error {
	if err := g.Validate(); err != nil {
		return fmt.Errorf("store: load %w", err)
	}
	l.stamp(&g.UpdatedAt)
	blob, err := wkb.Marshal(g.Geometry)
	if err != nil {
		return fmt.Errorf("store: load grid %s: %w", g.ID, err)
	}
	b := g.Geometry.Bound()
	l.gridTown[g.ID] = g.Town
	if err := l.add("grids", `id, name, level, parent_id, village, geom, min_lon, min_lat, max_lon, max_lat, updated_at, town`,
		g.ID, g.Name, g.Level, g.ParentID, g.Village, blob, b.Min[0], b.Min[1], b.Max[0], b.Max[1], ms(g.UpdatedAt), g.Town); err != nil {
		return err
	}
	return l.journal(domain.KindGrid, g.ID, g, []string{TownScope(g.Town), MapScope(g.Town)}, false)
}

// Unit loads a unit.
func (l *Loader) Unit(u domain.Unit) error {
	l.stamp(&u.UpdatedAt)
	l.unitTown[u.ID] = u.Town
	if err := l.add("units", unitCols, u.ID, u.Name, u.Kind, u.Department, u.ParentID, jsonText(u.GridIDs), ms(u.UpdatedAt), u.Town); err != nil {
		return err
	}
	return l.journal(domain.KindUnit, u.ID, u, []string{ScopeEverywhere}, false)
}

// User loads a user (no password: an admin sets those).
func (l *Loader) User(u domain.User) error {
	if u.ID == "" || u.Username == "" || !u.Role.Valid() {
		return fmt.Errorf("store: load user %q: id, username and a role are required", u.ID)
	}
	l.stamp(&u.UpdatedAt)
	if err := l.add("users", userCols, u.ID, u.Username, u.Name, u.Role, u.UnitID, jsonText(u.Teams), boolInt(u.Disabled), ms(u.UpdatedAt),
		jsonText(u.Towns)); err != nil {
		return err
	}
	keys := []string{TownScope(l.unitTown[u.UnitID]), UserScope(u.ID)}
	if u.UnitID != "" {
		keys = append(keys, UnitScope(u.UnitID))
	}
	return l.journal(domain.KindUser, u.ID, u, keys, false)
}

// CheckItem loads an item of the check catalog.
func (l *Loader) CheckItem(c domain.CheckItem) error {
	l.stamp(&c.UpdatedAt)
	if err := l.add("check_items", checkItemCols, c.ID, c.Department, c.Domain, c.Name, jsonText(c.Kinds), jsonText(c.Tags), c.Method,
		c.Minutes, c.FrequencyDays, boolInt(c.KeyDomain), c.LegalBasis, ms(c.UpdatedAt)); err != nil {
		return err
	}
	return l.journal(domain.KindCheckItem, c.ID, c, []string{ScopeEverywhere}, false)
}

// Setting loads a setting.
func (l *Loader) Setting(s domain.Setting) error {
	l.stamp(&s.UpdatedAt)
	if err := l.add("settings", settingCols, s.ID, string(s.Value), s.UpdatedBy, ms(s.UpdatedAt)); err != nil {
		return err
	}
	return l.journal(domain.KindSetting, s.ID, s, []string{ScopeEverywhere}, false)
}

// Entity loads an entity.
func (l *Loader) Entity(e domain.Entity) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("store: load %w", err)
	}
	l.stamp(&e.UpdatedAt)
	if err := l.add("entities", entityCols, e.ID, e.Kind, e.Name, e.Address, e.Lon, e.Lat, e.GridID, jsonText(e.Tags), e.Code, e.QRToken,
		ms(e.UpdatedAt)); err != nil {
		return err
	}
	return l.journal(domain.KindEntity, e.ID, e, []string{TownScope(l.gridTown[e.GridID])}, false)
}

// Case loads a case with its tasks and timeline.
func (l *Loader) Case(c domain.Case, tasks []domain.Task, actions []domain.Action) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("store: load %w", err)
	}
	l.stamp(&c.UpdatedAt)
	if c.Version == 0 {
		c.Version = 1
	}
	hidden := !c.ClosedAt.IsZero() && ms(c.ClosedAt) < l.cutoff
	keys := []string{TownScope(l.gridTown[c.GridID])}
	units := map[string]bool{}
	if c.UnitID != "" {
		units[c.UnitID] = true
	}
	for _, k := range tasks {
		units[k.UnitID] = true
	}
	for u := range units {
		keys = append(keys, UnitScope(u))
	}
	if err := l.add("cases", caseCols, caseArgs(&c)...); err != nil {
		return err
	}
	if err := l.journal(domain.KindCase, c.ID, c, keys, hidden); err != nil {
		return err
	}
	for _, k := range tasks {
		l.stamp(&k.UpdatedAt)
		if err := l.add("tasks", taskCols, k.ID, k.CaseID, k.UnitID, k.Status, ms(k.CreatedAt), ms(k.DueAt), ms(k.UpdatedAt)); err != nil {
			return err
		}
		if err := l.journal(domain.KindTask, k.ID, k, keys, hidden); err != nil {
			return err
		}
	}
	for _, a := range actions {
		l.stamp(&a.UpdatedAt)
		if err := l.add("case_actions", actionCols, actionArgs(&a)...); err != nil {
			return err
		}
		for _, p := range a.Photos {
			if err := l.add("photo_refs", "photo_id, kind, id", p, domain.KindCaseAction, a.ID); err != nil {
				return err
			}
		}
		if err := l.journal(domain.KindCaseAction, a.ID, a, keys, hidden); err != nil {
			return err
		}
	}
	return nil
}

// CaseNumbers sets the counter of a year's case numbers (the highest
// number loaded).
func (l *Loader) CaseNumbers(year, n int) error {
	return l.add("counters", "key, n", fmt.Sprintf("case_no:%d", year), n)
}
