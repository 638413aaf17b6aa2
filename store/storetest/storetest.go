// Package storetest runs a package's tests on each storage engine: once on
// SQLite, once on PostgreSQL with PostGIS, in a throwaway cluster that the
// test binary starts for itself (cluster.go). A package opts in with
//
//	func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
//
// and opens its stores with Open or DSN; every test then runs on both
// engines. GRIDDESK_TEST_ENGINES chooses the engines (default
// "sqlite,postgres"); set it to "sqlite" on a machine without PostgreSQL.
// When postgres is asked for and the cluster cannot start, the tests fail:
// they are never skipped for want of it.
package storetest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"griddesk/store"
)

var engine = store.EngineSQLite

// Engines are the engines the tests run on, from GRIDDESK_TEST_ENGINES.
func Engines() []string {
	v := os.Getenv("GRIDDESK_TEST_ENGINES")
	if v == "" {
		return []string{store.EngineSQLite, store.EnginePostgres}
	}
	var out []string
	for _, e := range strings.Split(v, ",") {
		switch e = strings.TrimSpace(e); e {
		case store.EngineSQLite, store.EnginePostgres:
			out = append(out, e)
		case "":
		default:
			fmt.Fprintf(os.Stderr, "storetest: GRIDDESK_TEST_ENGINES: unknown engine %q (sqlite, postgres)\n", e)
			os.Exit(2)
		}
	}
	return out
}

// Main runs the tests (and benchmarks) once per engine and stops the
// PostgreSQL cluster after them. It returns the exit code: non-zero when a
// run failed.
func Main(m *testing.M) int {
	code := 0
	for _, e := range Engines() {
		engine = e
		fmt.Printf("storetest: engine %s\n", e)
		if c := m.Run(); c != 0 {
			code = c
		}
	}
	Stop()
	return code
}

// Stop stops the PostgreSQL cluster and removes the seeded copies: the end
// of a TestMain that calls Postgres or PostgresCopy without Main.
func Stop() {
	stopCluster()
	seededMu.Lock()
	defer seededMu.Unlock()
	for _, d := range seedDirs {
		os.RemoveAll(d)
	}
	seedDirs = nil
}

// Engine is the engine of the current run: store.EngineSQLite or
// store.EnginePostgres.
func Engine() string { return engine }

// Only skips the test unless the current run is on engine e (a test of
// something one engine alone has, run once).
func Only(tb testing.TB, e string) {
	tb.Helper()
	if engine != e {
		tb.Skipf("runs on %s only", e)
	}
}

var files atomic.Int64

// DSN returns a new, empty database on the current engine: a file in the
// test's temporary directory, or a new database of the cluster.
func DSN(tb testing.TB) string {
	tb.Helper()
	if engine == store.EnginePostgres {
		return Postgres(tb)
	}
	return filepath.Join(tb.TempDir(), fmt.Sprintf("s%d.db", files.Add(1)))
}

// Open opens a new store on the current engine, closed when the test ends.
func Open(tb testing.TB, opts store.Options) *store.Store {
	tb.Helper()
	st, err := store.Open(context.Background(), DSN(tb), opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// seeded are the databases filled by Copy, by engine and key: a SQLite
// file, or a PostgreSQL database used as a template.
var seeded = map[string]*seededDB{}

type seededDB struct {
	once sync.Once
	dsn  string // SQLite: the file; PostgreSQL: the template's name
	err  error
}

// Copy returns a new database on the current engine holding what fill
// wrote: fill runs once per engine and key (seeding a town is slow), and
// every test gets its own copy of the result.
func Copy(tb testing.TB, key string, fill func(context.Context, *store.Store) error) string {
	tb.Helper()
	return copyOn(tb, engine, key, fill)
}

// PostgresCopy is Copy on PostgreSQL, whatever the current engine (a test
// of several server nodes).
func PostgresCopy(tb testing.TB, key string, fill func(context.Context, *store.Store) error) string {
	tb.Helper()
	return copyOn(tb, store.EnginePostgres, key, fill)
}

func copyOn(tb testing.TB, engine, key string, fill func(context.Context, *store.Store) error) string {
	tb.Helper()
	seededMu.Lock()
	sd := seeded[engine+"/"+key]
	if sd == nil {
		sd = &seededDB{}
		seeded[engine+"/"+key] = sd
	}
	seededMu.Unlock()
	pg := engine == store.EnginePostgres
	if pg && !wantPostgres() {
		tb.Skip("PostgreSQL left out by GRIDDESK_TEST_ENGINES")
	}
	sd.once.Do(func() {
		ctx := context.Background()
		if pg {
			sd.dsn, sd.err = newTemplate("seed_" + key)
		} else {
			dir, err := os.MkdirTemp("", "griddesk-seed-")
			if err != nil {
				sd.err = err
				return
			}
			seedDirs = append(seedDirs, dir)
			sd.dsn = filepath.Join(dir, key+".db")
		}
		if sd.err != nil {
			return
		}
		dsn := sd.dsn
		if pg {
			dsn = theCluster.url(sd.dsn)
		}
		st, err := store.Open(ctx, dsn, store.Options{Journal: true})
		if err != nil {
			sd.err = err
			return
		}
		sd.err = fill(ctx, st)
		if err := st.Close(); sd.err == nil {
			sd.err = err // closing the last connection checkpoints the WAL into the file
		}
	})
	if sd.err != nil {
		tb.Fatalf("storetest: seed %s: %v", key, sd.err)
	}
	if pg {
		return newDatabase(tb, sd.dsn)
	}
	dst := filepath.Join(tb.TempDir(), fmt.Sprintf("s%d.db", files.Add(1)))
	b, err := os.ReadFile(sd.dsn)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		tb.Fatal(err)
	}
	return dst
}

var (
	seededMu sync.Mutex
	seedDirs []string
)
