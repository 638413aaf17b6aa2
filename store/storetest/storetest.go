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
	stopCluster()
	return code
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
