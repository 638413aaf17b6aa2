package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"griddesk/domain"
	"griddesk/store"
)

// TestLoadMatchesWrites: rows loaded in bulk land as the same journal,
// in the same scopes, as rows written one by one in transactions: a desk
// cannot tell a seeded city from one that grew.
func TestLoadMatchesWrites(t *testing.T) {
	ctx := context.Background()
	now := time.UnixMilli(time.Now().UnixMilli())
	at := now.Add(-time.Hour)
	grids := []domain.Grid{
		{ID: "G1", Name: "一", Level: domain.LevelBase, Town: "T1", Geometry: square(121, 30, 0.1), UpdatedAt: at},
		{ID: "G2", Name: "二", Level: domain.LevelBase, Town: "T2", Geometry: square(122, 30, 0.1), UpdatedAt: at},
	}
	units := []domain.Unit{{ID: "U1", Name: "城管一", Kind: domain.UnitDepartment, Town: "T1", UpdatedAt: at}, {ID: "C", Name: "市", Kind: domain.UnitStation, UpdatedAt: at}}
	users := []domain.User{{ID: "P1", Username: "p1", Name: "甲", Role: domain.RoleUnitMember, UnitID: "U1", UpdatedAt: at},
		{ID: "P2", Username: "p2", Name: "乙", Role: domain.RoleDutyOfficer, UnitID: "C", Towns: []string{"T2"}, UpdatedAt: at}}
	entities := []domain.Entity{{ID: "E1", Kind: domain.KindShop, Name: "店", Lon: 121.05, Lat: 30.05, GridID: "G1", Code: domain.CodeRed, UpdatedAt: at}}
	type caseRows struct {
		c       domain.Case
		tasks   []domain.Task
		actions []domain.Action
	}
	mk := func(id, grid string, closed time.Time, unit string) caseRows {
		c := domain.Case{ID: id, No: "2026-" + id, Title: "案" + id, Category: "road", Source: domain.SourceHotline, Lon: 121.05, Lat: 30.05, GridID: grid,
			Status: domain.StatusDispatched, ReportedAt: at, ClosedAt: closed, Version: 3, UpdatedAt: at}
		if !closed.IsZero() {
			c.Status = domain.StatusClosed
		}
		r := caseRows{c: c, actions: []domain.Action{{ID: id + "/1", CaseID: id, Action: "report", ToStatus: domain.StatusReported, At: at, UpdatedAt: at}}}
		if unit != "" {
			r.tasks = []domain.Task{{ID: id + "/t", CaseID: id, UnitID: unit, Status: domain.TaskOpen, CreatedAt: at, UpdatedAt: at}}
		}
		return r
	}
	cases := []caseRows{mk("K1", "G1", time.Time{}, "U1"), mk("K2", "G2", time.Time{}, ""), mk("K3", "G1", now.Add(-200*24*time.Hour), "U1")}
	items := []domain.CheckItem{{ID: "FIRE-01", Department: "fire", Domain: "消防", Name: "灭火器", Method: "look", Minutes: 1, FrequencyDays: 90, UpdatedAt: at}}

	loaded, written := openTemp(t, true), openTemp(t, true)
	if _, err := loaded.Load(ctx, now, func(l *store.Loader) error {
		for _, g := range grids {
			if err := l.Grid(g); err != nil {
				return err
			}
		}
		for _, u := range units {
			if err := l.Unit(u); err != nil {
				return err
			}
		}
		for _, u := range users {
			if err := l.User(u); err != nil {
				return err
			}
		}
		for _, c := range items {
			if err := l.CheckItem(c); err != nil {
				return err
			}
		}
		for _, e := range entities {
			if err := l.Entity(e); err != nil {
				return err
			}
		}
		for _, c := range cases {
			if err := l.Case(c.c, c.tasks, c.actions); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := written.Update(ctx, func(tx *store.Tx) error {
		for i := range grids {
			if err := tx.PutGrid(&grids[i]); err != nil {
				return err
			}
		}
		for i := range units {
			if err := tx.PutUnit(&units[i]); err != nil {
				return err
			}
		}
		for i := range users {
			if err := tx.PutUser(&users[i]); err != nil {
				return err
			}
		}
		for i := range items {
			if err := tx.PutCheckItem(&items[i]); err != nil {
				return err
			}
		}
		for i := range entities {
			if err := tx.PutEntity(&entities[i]); err != nil {
				return err
			}
		}
		for _, c := range cases {
			if err := tx.PutCase(&c.c); err != nil {
				return err
			}
			for i := range c.tasks {
				if err := tx.PutTask(&c.tasks[i]); err != nil {
					return err
				}
			}
			for i := range c.actions {
				if err := tx.PutAction(&c.actions[i]); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, sc := range []store.Scope{{All: true}, {Keys: []string{store.ScopeEverywhere}}, {Keys: []string{store.TownScope("T1")}},
		{Keys: []string{store.TownScope("T2"), store.UserScope("P2")}}, {Keys: []string{store.UnitScope("U1"), store.MapScope("T1")}}} {
		view := func(st *store.Store) map[string]domain.Change {
			cs, _, more, err := st.ChangesIn(ctx, sc, 0, 1000)
			if err != nil || more {
				t.Fatalf("changes in %s: %v more=%v", sc, err, more)
			}
			out := map[string]domain.Change{}
			for _, c := range cs {
				out[c.Kind+"/"+c.ID] = c
			}
			return out
		}
		a, b := view(loaded), view(written)
		if len(a) != len(b) || len(a) == 0 {
			t.Errorf("scope %s: loaded %d rows, written %d", sc, len(a), len(b))
		}
		for k, ca := range a {
			cb, ok := b[k]
			if !ok || ca.Op != cb.Op || !bytes.Equal(ca.Data, cb.Data) {
				t.Errorf("scope %s: %s loaded as %s %s, written as %s %s", sc, k, ca.Op, ca.Data, cb.Op, cb.Data)
			}
		}
		if _, ok := a["case/K3"]; ok {
			t.Errorf("scope %s: a case closed 200 days ago is in the feed", sc)
		}
	}
	if n, _ := loaded.Counts(ctx); n[domain.KindCase] != 3 || n[domain.KindCaseAction] != 3 {
		t.Errorf("loaded counts %v", n)
	}
}
