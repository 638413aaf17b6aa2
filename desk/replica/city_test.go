package replica_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"griddesk/desk/replica"
	"griddesk/domain"
	"griddesk/seed"
	"griddesk/server"
	"griddesk/store"
	"griddesk/store/storetest"
)

// The city benchmarks (make bench), side by side on SQLite and PostgreSQL:
// the Dongguan-like city is built once per engine (GRIDDESK_BENCH_CITY_DAYS
// days of history, default 365: a year of about 3,000 cases a day), then
//
//	Seed               the city's build time (reported once, as s/city)
//	TownSync           a town duty officer's desk copies its scope from the
//	                   city server: ms/op, rows and the cache's size
//	ChangeAcrossNodes  (PostgreSQL) a case reported through node B reaches a
//	                   desk that follows node A
//
// A town's scope holds its grids, entities and units, its open cases and
// those closed within the retention window: not the city's year.
//
// GRIDDESK_BENCH_CITY_DB=postgres://… (or a SQLite file) measures a city
// built before (griddesk-server -seed city) instead of building one; its
// users dg05-duty1 and admin get the benchmark's password.

type builtCity struct {
	once  sync.Once
	dsn   string
	took  time.Duration
	rows  map[string]int
	err   error
	total int
}

var cities = map[string]*builtCity{}
var citiesMu sync.Mutex

func benchCityDays() int {
	if n, err := strconv.Atoi(os.Getenv("GRIDDESK_BENCH_CITY_DAYS")); err == nil && n > 0 {
		return n
	}
	return 365
}

// cityOn builds the city on an engine once per test binary.
func cityOn(b *testing.B, engine string) *builtCity {
	b.Helper()
	citiesMu.Lock()
	c := cities[engine]
	if c == nil {
		c = &builtCity{}
		cities[engine] = c
	}
	citiesMu.Unlock()
	c.once.Do(func() {
		ctx := context.Background()
		if dsn := os.Getenv("GRIDDESK_BENCH_CITY_DB"); dsn != "" {
			if store.IsPostgres(dsn) != (engine == store.EnginePostgres) {
				c.err = fmt.Errorf("GRIDDESK_BENCH_CITY_DB is not a %s database", engine)
				return
			}
			c.dsn = dsn
		} else if engine == store.EnginePostgres {
			c.dsn = storetest.PostgresBare(b)
		} else {
			dir, err := os.MkdirTemp("", "griddesk-city-")
			if err != nil {
				c.err = err
				return
			}
			cityDirs = append(cityDirs, dir) // removed by TestMain

			c.dsn = filepath.Join(dir, "city.db")
		}
		st, err := store.Open(ctx, c.dsn, store.Options{Journal: true})
		if err != nil {
			c.err = err
			return
		}
		defer st.Close()
		if os.Getenv("GRIDDESK_BENCH_CITY_DB") != "" {
			c.rows, c.err = st.Counts(ctx)
		} else {
			start := time.Now()
			if c.rows, c.err = seed.BuildCity(ctx, st, seed.CityOptions{Seed: 1, Days: benchCityDays()}); c.err != nil {
				return
			}
			c.took = time.Since(start)
		}
		if c.err != nil {
			return
		}
		for _, n := range c.rows {
			c.total += n
		}
		srv, err := server.New(ctx, st, server.Options{})
		if err != nil {
			c.err = err
			return
		}
		for _, u := range []string{"admin", "dg05-duty1"} {
			if c.err = srv.SetPassword(ctx, u, pw); c.err != nil {
				return
			}
		}
	})
	if c.err != nil {
		b.Fatalf("build the city on %s: %v", engine, c.err)
	}
	return c
}

var cityDirs []string

func TestMain(m *testing.M) {
	code := m.Run()
	storetest.Stop()
	for _, d := range cityDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// node serves the city's database as one server node.
func (c *builtCity) node(b *testing.B) (*store.Store, *httptest.Server) {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, c.dsn, store.Options{Journal: true})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(ctx, st, server.Options{MaxWait: 10 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(func() { ts.Close(); st.Close() })
	return st, ts
}

func BenchmarkCity(b *testing.B) {
	engines := storetest.Engines()
	if dsn := os.Getenv("GRIDDESK_BENCH_CITY_DB"); dsn != "" {
		engines = []string{store.EngineSQLite}
		if store.IsPostgres(dsn) {
			engines = []string{store.EnginePostgres}
		}
	}
	for _, engine := range engines {
		b.Run(engine, func(b *testing.B) {
			c := cityOn(b, engine)
			b.Run("Seed", func(b *testing.B) {
				for i := 0; i < b.N; i++ { // built once, above
				}
				b.ReportMetric(c.took.Seconds(), "s/city")
				b.ReportMetric(float64(c.rows[domain.KindCase]), "cases")
				b.ReportMetric(float64(c.total), "rows")
			})
			b.Run("TownSync", func(b *testing.B) { benchTownSync(b, c) })
			b.Run("ChangeAcrossNodes", func(b *testing.B) {
				if engine != store.EnginePostgres {
					b.Skip("nodes share a database on PostgreSQL")
				}
				benchAcrossNodes(b, c)
			})
		})
	}
}

// benchTownSync: a duty officer of 石碣镇 (DG05) starts a desk against the
// city server.
func benchTownSync(b *testing.B, c *builtCity) {
	ctx := context.Background()
	_, ts := c.node(b)
	var rows int
	var size int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		desk := openDesk(b, dir)
		cl := replica.NewClient(ts.URL)
		b.StartTimer()
		if _, err := cl.Login(ctx, "dg05-duty1", pw); err != nil {
			b.Fatal(err)
		}
		r := replica.New(desk, cl, replica.Options{PageSize: 5000})
		if _, err := r.Pull(ctx, 0); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		rows = r.Status().Rows
		desk.Close()
		size = 0
		for _, f := range []string{"cache.db", "cache.db-wal"} {
			if fi, err := os.Stat(filepath.Join(dir, f)); err == nil {
				size += fi.Size()
			}
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(size)/(1<<20), "MB/cache")
	b.ReportMetric(float64(c.total), "city-rows")
}

// benchAcrossNodes: a desk follows node A; a field system reports through
// node B; the time until the desk has applied the case.
func benchAcrossNodes(b *testing.B, c *builtCity) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stA, tsA := c.node(b)
	_, tsB := c.node(b)
	desk := openDesk(b, b.TempDir())
	defer desk.Close()
	applied := make(chan time.Time, 64)
	r := replica.New(desk, replica.NewClient(tsA.URL), replica.Options{
		Credentials: func() (string, string) { return "dg05-duty1", pw },
		OnData: func(kinds map[string]bool) {
			if kinds[domain.KindCase] {
				select {
				case applied <- time.Now():
				default:
				}
			}
		},
	})
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	for deadline := time.Now().Add(120 * time.Second); r.Status().State != replica.StateOnline || r.Status().Cursor == 0; {
		if time.Now().After(deadline) {
			b.Fatalf("the desk did not sync: %+v", r.Status())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	for len(applied) > 0 {
		<-applied
	}
	field := replica.NewClient(tsB.URL)
	if _, err := field.Login(ctx, "admin", pw); err != nil {
		b.Fatal(err)
	}
	g, err := cityGridOf(ctx, stA, "DG05")
	if err != nil {
		b.Fatal(err)
	}
	var worst, reporting time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for len(applied) > 0 { // a page from before this report
			<-applied
		}
		start := time.Now()
		cs, err := field.Report(ctx, replica.ReportRequest{Title: fmt.Sprintf("井盖缺失 %d", i), Category: "road", Lon: g[0], Lat: g[1]})
		if err != nil {
			b.Fatal(err)
		}
		reporting += time.Since(start)
		for seen := false; !seen; {
			select {
			case at := <-applied:
				if _, err := desk.Case(ctx, cs.ID); err == nil {
					seen = true
					worst = max(worst, at.Sub(start))
				}
			case <-time.After(10 * time.Second):
				b.Fatal("the case reported through node B never reached the desk on node A")
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(reporting.Seconds()*1000/float64(b.N), "report-ms/op")
	b.ReportMetric(float64(worst.Microseconds())/1000, "max-ms")
}

// cityGridOf is a point in the first grid of a town of the city.
func cityGridOf(ctx context.Context, st *store.Store, town string) ([2]float64, error) {
	grids, err := st.Grids(ctx)
	if err != nil {
		return [2]float64{}, err
	}
	for _, g := range grids {
		if g.Town == town {
			c := g.Geometry.Bound().Center()
			return [2]float64{c[0], c[1]}, nil
		}
	}
	return [2]float64{}, fmt.Errorf("no grid in town %s", town)
}
