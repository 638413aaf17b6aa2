package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/store"
	"griddesk/store/storetest"
)

// Every test of the store runs on SQLite and on PostgreSQL.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

func openTemp(t *testing.T, journal bool) *store.Store {
	t.Helper()
	return storetest.Open(t, store.Options{Journal: journal})
}

func square(lon, lat, d float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}}}
}

func TestMigrationsApplyOnceAndReopen(t *testing.T) {
	ctx := context.Background()
	path := storetest.EmptyDSN(t)
	for i := 0; i < 2; i++ {
		s, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if v, err := s.DBVersion(ctx); err != nil || v != int64(store.SchemaVersion()) || v < 1 {
			t.Fatalf("schema version = %d (%v), want %d", v, err, store.SchemaVersion())
		}
		if s.Engine() == store.EnginePostgres {
			s.Close()
			continue
		}
		var v int
		if err := s.DB().QueryRow("PRAGMA user_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != store.SchemaVersion() {
			t.Fatalf("user_version = %d, want %d", v, store.SchemaVersion())
		}
		var mode string
		s.DB().QueryRow("PRAGMA journal_mode").Scan(&mode)
		var fk int
		s.DB().QueryRow("PRAGMA foreign_keys").Scan(&fk)
		if mode != "wal" || fk != 1 {
			t.Fatalf("journal_mode=%s foreign_keys=%d, want wal and 1", mode, fk)
		}
		s.Close()
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	ctx := context.Background()
	path := storetest.DSN(t)
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// a newer program's migration, as goose records it
	if _, err := s.DB().Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (999, true)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := store.Open(ctx, path, store.Options{}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("open of newer schema: err = %v, want 'newer'", err)
	}
}

func TestRoundTripEveryKind(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, true)
	at := time.UnixMilli(time.Now().UnixMilli())
	err := s.Update(ctx, func(tx *store.Tx) error {
		for _, f := range []func() error{
			func() error {
				return tx.PutGrid(&domain.Grid{ID: "B1", Name: "浦南村1号网格", Level: domain.LevelBase, Village: "浦南村", Geometry: square(120.2, 30, 0.01)})
			},
			func() error {
				return tx.PutEntity(&domain.Entity{ID: "E1", Kind: domain.KindShop, Name: "老王面馆", Lon: 120.205, Lat: 30.005, GridID: "B1", Tags: []string{"gas"}, Code: domain.CodeYellow})
			},
			func() error {
				return tx.PutUnit(&domain.Unit{ID: "D1", Name: "消防", Kind: domain.UnitDepartment, GridIDs: []string{"B1"}})
			},
			func() error {
				return tx.PutUser(&domain.User{ID: "U1", Username: "duty", Name: "王伟", Role: domain.RoleDutyOfficer})
			},
			func() error {
				return tx.PutCase(&domain.Case{ID: "C1", Title: "占道", Category: "city_appearance", Source: domain.SourceHotline, Lon: 120.2, Lat: 30, Status: domain.StatusRegistered, ReportedAt: at})
			},
			func() error {
				return tx.PutTask(&domain.Task{ID: "K1", CaseID: "C1", UnitID: "D1", Status: domain.TaskOpen, CreatedAt: at})
			},
			func() error {
				return tx.PutAction(&domain.Action{ID: "A1", CaseID: "C1", Action: "report", ToStatus: domain.StatusReported, At: at, Photos: []string{"p.jpg"}})
			},
			func() error {
				return tx.PutCheckItem(&domain.CheckItem{ID: "FIRE-01", Department: "fire", Domain: "消防安全", Name: "灭火器", Method: "look", Minutes: 1, FrequencyDays: 90, KeyDomain: true})
			},
			func() error {
				return tx.PutInspection(&domain.Inspection{ID: "N1", EntityID: "E1", At: at, Status: domain.InspectionAccepted, Results: []domain.ItemResult{{ItemID: "FIRE-01", Result: domain.ResultFail}}})
			},
			func() error {
				return tx.PutFinding(&domain.Finding{ID: "H1", InspectionID: "N1", EntityID: "E1", ItemID: "FIRE-01", Severity: domain.SeverityGeneral, Status: domain.FindingOpen})
			},
			func() error {
				return tx.PutPlan(&domain.Plan{ID: "P1", Title: "第四季度", Start: at, End: at.Add(24 * time.Hour), PublishedAt: at})
			},
			func() error {
				return tx.PutSetting(&domain.Setting{ID: "category:noise", Value: []byte(`{"keywords":["噪声"],"policy":"333"}`)})
			},
			func() error {
				return tx.PutVisit(&domain.Visit{ID: "P1/1", PlanID: "P1", TeamID: "T01", EntityID: "E1", Day: at, Seq: 1, Items: []string{"FIRE-01"}, Status: domain.VisitPlanned})
			},
		} {
			if err := f(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	counts, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range domain.Kinds() {
		if counts[k] != 1 {
			t.Errorf("count %s = %d, want 1", k, counts[k])
		}
	}
	grids, _ := s.Grids(ctx)
	if len(grids) != 1 || grids[0].Geometry.Bound() != square(120.2, 30, 0.01).Bound() {
		t.Errorf("grid boundary did not round-trip: %+v", grids)
	}
	e, err := s.Entity(ctx, "E1")
	if err != nil || e.Name != "老王面馆" || e.Tags[0] != "gas" {
		t.Errorf("entity = %+v, %v", e, err)
	}
	c, err := s.Case(ctx, "C1")
	if err != nil || !c.ReportedAt.Equal(at) || c.Version != 1 {
		t.Errorf("case = %+v, %v", c, err)
	}
	tl, _ := s.Timeline(ctx, "C1")
	if len(tl) != 1 || tl[0].Photos[0] != "p.jpg" {
		t.Errorf("timeline = %+v", tl)
	}
	ins, _ := s.Inspections(ctx, "E1")
	if len(ins) != 1 || ins[0].Results[0].Result != domain.ResultFail {
		t.Errorf("inspections = %+v", ins)
	}
	if _, err := s.Case(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing case: err = %v, want ErrNotFound", err)
	}
}

func TestBadRowsRejectedAndNothingHalfWritten(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, true)
	tests := []struct {
		name string
		put  func(*store.Tx) error
		want string
	}{
		{"entity bad kind", func(tx *store.Tx) error {
			return tx.PutEntity(&domain.Entity{ID: "E1", Kind: "castle", Name: "x", Code: "green"})
		}, `kind "castle"`},
		{"entity bad code", func(tx *store.Tx) error {
			return tx.PutEntity(&domain.Entity{ID: "E1", Kind: "shop", Name: "x", Code: "blue"})
		}, `code "blue"`},
		{"entity bad location", func(tx *store.Tx) error {
			return tx.PutEntity(&domain.Entity{ID: "E1", Kind: "shop", Name: "x", Code: "green", Lon: 200})
		}, "location"},
		{"grid bad level", func(tx *store.Tx) error {
			return tx.PutGrid(&domain.Grid{ID: "G", Name: "g", Level: "planet", Geometry: square(0, 0, 1)})
		}, `level "planet"`},
		{"grid empty", func(tx *store.Tx) error { return tx.PutGrid(&domain.Grid{ID: "G", Name: "g", Level: "base"}) }, "boundary is empty"},
		{"case no title", func(tx *store.Tx) error {
			return tx.PutCase(&domain.Case{ID: "C", Category: "x", Status: domain.StatusReported, ReportedAt: time.Now()})
		}, "title is empty"},
		{"user bad role", func(tx *store.Tx) error { return tx.PutUser(&domain.User{ID: "U", Username: "u", Role: "king"}) }, `role "king"`},
		{"finding bad severity", func(tx *store.Tx) error {
			return tx.PutFinding(&domain.Finding{ID: "H", InspectionID: "N", EntityID: "E", ItemID: "I", Severity: "mild"})
		}, `severity "mild"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Update(ctx, func(tx *store.Tx) error {
				if err := tx.PutUnit(&domain.Unit{ID: "before", Name: "written first", Kind: domain.UnitTeam}); err != nil {
					return err
				}
				return tt.put(tx)
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			units, _ := s.Units(ctx)
			if len(units) != 0 {
				t.Fatalf("a failed transaction left %d units behind", len(units))
			}
		})
	}
}

func TestJournalCompactsAndPages(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, true)
	put := func(id, name string) {
		t.Helper()
		if err := s.Update(ctx, func(tx *store.Tx) error {
			return tx.PutUnit(&domain.Unit{ID: id, Name: name, Kind: domain.UnitTeam})
		}); err != nil {
			t.Fatal(err)
		}
	}
	put("a", "A1")
	put("b", "B1")
	put("a", "A2") // a moves behind b
	if err := s.Update(ctx, func(tx *store.Tx) error { return tx.Delete(domain.KindUnit, "b") }); err != nil {
		t.Fatal(err)
	}
	all, last, more, err := s.Changes(ctx, 0, 10)
	if err != nil || more {
		t.Fatalf("changes: %v more=%v", err, more)
	}
	if len(all) != 2 || all[0].ID != "a" || all[1].ID != "b" || all[1].Op != domain.OpDelete || last != all[1].Seq {
		t.Fatalf("changes = %+v", all)
	}
	var u domain.Unit
	json.Unmarshal(all[0].Data, &u)
	if u.Name != "A2" {
		t.Errorf("journal holds %q, want newest A2", u.Name)
	}
	page, last1, more, _ := s.Changes(ctx, 0, 1)
	if len(page) != 1 || !more || last1 != page[0].Seq {
		t.Fatalf("first page = %+v more=%v", page, more)
	}
	rest, _, more, _ := s.Changes(ctx, last1, 1)
	if len(rest) != 1 || more {
		t.Fatalf("second page = %+v more=%v", rest, more)
	}
	if ls, _ := s.LastSeq(ctx); ls != last {
		t.Errorf("LastSeq = %d, want %d", ls, last)
	}
}

func TestApplyIntoCache(t *testing.T) {
	ctx := context.Background()
	server, desk := openTemp(t, true), openTemp(t, false)
	server.Update(ctx, func(tx *store.Tx) error {
		tx.PutGrid(&domain.Grid{ID: "B1", Name: "一号", Level: domain.LevelBase, Geometry: square(120, 30, 0.01)})
		return tx.PutEntity(&domain.Entity{ID: "E1", Kind: domain.KindShop, Name: "店", Lon: 120.001, Lat: 30.001, Code: domain.CodeRed})
	})
	server.Update(ctx, func(tx *store.Tx) error { return tx.Delete(domain.KindGrid, "B1") })
	changes, _, _, _ := server.Changes(ctx, 0, 100)
	if err := desk.Update(ctx, func(tx *store.Tx) error {
		for _, c := range changes {
			if err := tx.Apply(c); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	counts, _ := desk.Counts(ctx)
	if counts[domain.KindEntity] != 1 || counts[domain.KindGrid] != 0 {
		t.Fatalf("desk counts = %v", counts)
	}
	if ls, _ := desk.LastSeq(ctx); ls != 0 {
		t.Errorf("a desk store must not journal, LastSeq = %d", ls)
	}
	bad := []domain.Change{
		{Seq: 9, Kind: "dragon", ID: "x", Op: domain.OpUpsert, Data: json.RawMessage(`{}`)},
		{Seq: 10, Kind: domain.KindEntity, ID: "x", Op: "merge", Data: json.RawMessage(`{}`)},
		{Seq: 11, Kind: domain.KindEntity, ID: "x", Op: domain.OpUpsert, Data: json.RawMessage(`{"id":1}`)},
		{Seq: 12, Kind: domain.KindGrid, ID: "x", Op: domain.OpUpsert, Data: json.RawMessage(`{"id":"x","name":"n","level":"base","geometry":{"type":"Point","coordinates":[1,2]}}`)},
	}
	for _, c := range bad {
		err := desk.Update(ctx, func(tx *store.Tx) error { return tx.Apply(c) })
		if err == nil {
			t.Errorf("apply %+v: no error", c)
		}
	}
}

// TestAdoptsUserVersion: a SQLite database migrated before goose, which
// kept its version in PRAGMA user_version, is taken over: its versions are
// not applied again, the newer ones are.
func TestAdoptsUserVersion(t *testing.T) {
	storetest.Only(t, store.EngineSQLite)
	ctx := context.Background()
	path := storetest.DSN(t)
	// a database of version 7, as the store made it then
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("migrations/000[1-7]_*.sql")
	if len(files) != 7 {
		t.Fatalf("migrations 1-7: %v", files)
	}
	for _, f := range files {
		body, _ := os.ReadFile(f)
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	for _, q := range []string{`PRAGMA user_version = 7`,
		`INSERT INTO units (id, name, kind, updated_at) VALUES ('u1', '一', 'team', 1), ('u2', '二', 'team', 1)`,
		`INSERT INTO changes (kind, id, op, data) VALUES ('unit', 'u1', 'upsert', '{}'), ('unit', 'u2', 'upsert', '{}')`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	var s *store.Store
	s, err = store.Open(ctx, path, store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.DBVersion(ctx); err != nil || v != int64(store.SchemaVersion()) {
		t.Fatalf("schema version = %d (%v), want %d", v, err, store.SchemaVersion())
	}
	// the feed goes on after the journal's rows
	if err := s.Update(ctx, func(tx *store.Tx) error {
		return tx.PutUnit(&domain.Unit{ID: "u3", Name: "三", Kind: domain.UnitTeam})
	}); err != nil {
		t.Fatal(err)
	}
	cs, _, _, _ := s.Changes(ctx, 0, 10)
	if len(cs) != 3 || cs[2].ID != "u3" || cs[2].Seq <= cs[1].Seq {
		t.Fatalf("changes = %+v", cs)
	}
}

// TestBackup: a SQLite database is copied while open, and the copy opens
// with the same rows; PostgreSQL is pg_dump's.
func TestBackup(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, true)
	if err := s.Update(ctx, func(tx *store.Tx) error {
		return tx.PutUnit(&domain.Unit{ID: "u1", Name: "一", Kind: domain.UnitTeam})
	}); err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(t.TempDir(), "backup.db")
	err := s.Backup(ctx, to)
	if s.Engine() == store.EnginePostgres {
		if err == nil || !strings.Contains(err.Error(), "pg_dump") {
			t.Fatalf("backup on PostgreSQL: %v, want a pointer to pg_dump", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.Open(ctx, to, store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if n, _ := b.Counts(ctx); n[domain.KindUnit] != 1 {
		t.Fatalf("backup counts %v", n)
	}
}

// TestMigrationHistoriesMatch: every change to the schema is a file in
// each engine's history under the same number (PostgreSQL's 0001 holds
// SQLite's 1 to 7), so SchemaVersion names one schema on both.
func TestMigrationHistoriesMatch(t *testing.T) {
	storetest.Only(t, store.EngineSQLite)
	versions := func(glob string) map[string]bool {
		files, _ := filepath.Glob(glob)
		out := map[string]bool{}
		for _, f := range files {
			out[strings.SplitN(filepath.Base(f), "_", 2)[0]] = true
		}
		return out
	}
	lite, pg := versions("migrations/*.sql"), versions("migrations/postgres/*.sql")
	for v := range lite {
		if v > "0007" && !pg[v] {
			t.Errorf("migration %s has no PostgreSQL twin in migrations/postgres/", v)
		}
	}
	for v := range pg {
		if v > "0001" && v != "0008" && !lite[v] { // 0008: the lead's, merged with issue 14
			t.Errorf("PostgreSQL migration %s has no SQLite twin", v)
		}
	}
}
