// Command griddesk-server runs GridDesk's REST backend.
//
//	griddesk-server -addr 127.0.0.1:8080 -db griddesk.db -seed town
//
// The admin password comes from GRIDDESK_ADMIN_PASSWORD on first start, else
// a random one is printed once.
//
// A SQLite database is backed up while the server runs (a PostgreSQL one
// with pg_dump):
//
//	griddesk-server backup -db griddesk.db -to griddesk-20260701.db
//
// A town that outgrew SQLite moves to PostgreSQL, photos and history
// included, the counts checked (stop the server first):
//
//	griddesk-server migrate-db -from griddesk.db -to postgres://griddesk:…@dbhost:5432/griddesk
//
// Imports check every row and land whole or not at all:
//
//	griddesk-server import grids FILE.geojson -db griddesk.db -map id=网格编码,name=网格名称,level=网格类型,parent=上级网格
//	griddesk-server import grids districts.json -db griddesk.db -map id=adcode,parent=parent.adcode -level base -orphans-at-top -crs gcj02
//	griddesk-server import entities FILE.csv|FILE.xlsx -db griddesk.db -map id=统一编码,name=名称,kind=类型,lon=经度,lat=纬度 -crs gcj02
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"griddesk/domain"
	"griddesk/server"
	"griddesk/server/sim"
	"griddesk/store"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "import" {
		if err := runImport(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "griddesk-server:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "backup" {
		if err := backup(context.Background(), os.Args[2:], os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "griddesk-server:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "migrate-db" {
		if err := migrateDB(context.Background(), os.Args[2:], os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "griddesk-server:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "griddesk-server:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends (a signal) or the listener fails.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	flag := flag.NewFlagSet("griddesk-server", flag.ContinueOnError)
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	dbPath := flag.String("db", "griddesk.db", "SQLite database file, or a PostgreSQL URL postgres://user:password@host:5432/dbname")
	seed := flag.String("seed", server.SeedTown, "seed an empty database with: town, city or none")
	cert := flag.String("tls-cert", "", "TLS certificate file (with -tls-key)")
	key := flag.String("tls-key", "", "TLS key file (with -tls-cert)")
	simulate := flag.Bool("simulate", false, "simulate the town's working day: reports, duty officers, units")
	publicURL := flag.String("public-url", "", "the https:// address phones reach this server at: the door plates' QR codes carry it")
	proxies := flag.String("trusted-proxy", "", "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For names the client")
	speed := flag.Float64("speed", 1, "with -simulate: simulated seconds per real second (60 = an hour a minute; use a scratch database above 1)")
	perDay := flag.Float64("cases-per-day", 0, "with -simulate: new cases a day (default a town's 139; a city's ~3000)")
	retention := flag.Int("retention-days", 0, "keep closed cases on the desks this many days (the setting retention:cases, shared by every node; 0: leave it, default 90)")
	if err := flag.Parse(args); err != nil {
		return err
	}
	if (*cert == "") != (*key == "") {
		return errors.New("-tls-cert and -tls-key go together")
	}

	st, err := store.Open(ctx, *dbPath, store.Options{Journal: true})
	if err != nil {
		return err
	}
	defer st.Close()
	pw, err := server.Bootstrap(ctx, st, *seed, os.Getenv("GRIDDESK_ADMIN_PASSWORD"), time.Now())
	if err != nil {
		return err
	}
	if pw != "" {
		fmt.Fprintf(stdout, "admin password (shown once): %s\n", pw)
	}
	if *retention > 0 {
		if err := st.Update(ctx, func(tx *store.Tx) error {
			return tx.PutSetting(&domain.Setting{ID: store.RetentionSetting, Value: []byte(fmt.Sprintf(`{"days":%d}`, *retention)), UpdatedBy: "griddesk-server"})
		}); err != nil {
			return err
		}
	}
	opts := server.Options{PublicURL: *publicURL}
	for _, p := range strings.FieldsFunc(*proxies, func(r rune) bool { return r == ',' || r == ' ' }) {
		if !strings.Contains(p, "/") {
			p += "/128"
			if !strings.Contains(p, ":") {
				p = strings.TrimSuffix(p, "/128") + "/32"
			}
		}
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			return fmt.Errorf("-trusted-proxy %q: %w", p, err)
		}
		opts.TrustedProxies = append(opts.TrustedProxies, pfx)
	}
	var clk *sim.Clock
	if *simulate {
		start := time.Now()
		if *speed != 1 {
			if start, err = sim.StartTime(ctx, st); err != nil {
				return err
			}
		}
		clk = sim.NewClock(start, *speed)
		opts.Now = clk.Now
		opts.TokenTTL = time.Duration(float64(12*time.Hour) * max(*speed, 1)) // sessions expire in server time
	}
	srv, err := server.New(ctx, st, opts)
	if err != nil {
		return err
	}
	if *simulate {
		s := sim.New(srv, st, sim.Options{Speed: *speed, Now: clk.Now, CasesPerDay: *perDay})
		go func() {
			if err := s.Run(ctx); err != nil {
				slog.Error("simulator stopped", "err", err)
			}
		}()
		slog.Info("simulating the day", "speed", *speed)
	}
	now := time.Now
	if clk != nil {
		now = clk.Now
	}
	go retire(ctx, st, now)
	hs := srv.HTTPServer(*addr)
	l, err := server.Listen(*addr)
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() {
		slog.Info("griddesk-server listening", "addr", *addr, "db", st.Path(), "engine", st.Engine(), "server_id", srv.ID(),
			"pid", os.Getpid(), "tls", *cert != "")
		if *cert != "" {
			errc <- hs.ServeTLS(l, *cert, *key)
		} else {
			errc <- hs.Serve(l)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return hs.Shutdown(shut)
}

// retire hides from the desks' feeds, at start and every hour, the closed
// cases that left the retention window (any node may; each run takes only
// what is new).
func retire(ctx context.Context, st *store.Store, now func() time.Time) {
	for {
		n, err := st.Retire(ctx, now())
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			slog.Error("retire closed cases", "err", err)
		case n > 0:
			slog.Info("closed cases past the retention window left the desks' feeds", "journal_rows", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}

func runImport(args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	dbPath := fs.String("db", "griddesk.db", "SQLite database file, or a PostgreSQL URL postgres://…")
	mapping := fs.String("map", "", "field=column pairs: id, name, level, parent, village (grids); id, name, kind, address, lon, lat, tags, code (entities)")
	crs := fs.String("crs", "", "coordinates of the file: wgs84 (default), gcj02 or bd09")
	enc := fs.String("encoding", "", "CSV encoding: detected by default (UTF-8, UTF-8 with BOM, GBK)")
	sheet := fs.String("sheet", "", "XLSX sheet (default: the first)")
	level := fs.String("level", "", "grids: one level for every grid when none is mapped")
	levels := fs.String("levels", "", "grids: level values to levels, e.g. district=base,street=micro")
	atTop := fs.Bool("orphans-at-top", false, "grids: a parent neither in the file nor in the database makes a top-level grid (DataV files name their city)")
	kind := fs.String("kind", "", "entities: one kind for every row when none is mapped")
	if len(args) < 2 {
		return errors.New("usage: griddesk-server import grids|entities FILE [flags]")
	}
	what, file := args[0], args[1]
	if err := fs.Parse(args[2:]); err != nil {
		return err
	}
	m, err := server.ParseMap(*mapping)
	if err != nil {
		return err
	}
	lv, err := server.ParseMap(*levels)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := store.Open(ctx, *dbPath, store.Options{Journal: true})
	if err != nil {
		return err
	}
	defer st.Close()
	return server.Import(ctx, st, what, file, server.ImportOptions{Map: m, CRS: *crs, Encoding: *enc, Sheet: *sheet, Level: *level, Levels: lv, AtTop: *atTop, Kind: *kind}, os.Stdout)
}

// migrateDB copies a database into an empty one (store.Copy) and prints
// the rows of every table.
func migrateDB(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("migrate-db", flag.ContinueOnError)
	from := fs.String("from", "", "the database to copy: a SQLite file (or a PostgreSQL URL)")
	to := fs.String("to", "", "an empty database: a PostgreSQL URL postgres://user:password@host:5432/dbname (or a SQLite file)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return errors.New("usage: griddesk-server migrate-db -from griddesk.db -to postgres://user:password@host:5432/dbname")
	}
	if !store.IsPostgres(*from) {
		if _, err := os.Stat(*from); err != nil {
			return fmt.Errorf("migrate-db: %w", err)
		}
	}
	src, err := store.Open(ctx, *from, store.Options{Journal: true})
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := store.Open(ctx, *to, store.Options{Journal: true})
	if err != nil {
		return err
	}
	defer dst.Close()
	start := time.Now()
	last := time.Now()
	counts, err := store.Copy(ctx, dst, src, func(table string, n int) {
		if time.Since(last) > 5*time.Second {
			fmt.Fprintf(out, "  %s: %d rows…\n", table, n)
			last = time.Now()
		}
	})
	if err != nil {
		return err
	}
	tables := make([]string, 0, len(counts))
	for t := range counts {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	fmt.Fprintf(out, "copied %s (%s) into %s (%s) in %s; rows, the same on both sides:\n", src.Path(), src.Engine(), dst.Path(), dst.Engine(),
		time.Since(start).Round(time.Millisecond))
	for _, t := range tables {
		fmt.Fprintf(out, "  %-16s %9d\n", t, counts[t])
	}
	return nil
}

// backup copies a SQLite database while it is in use.
func backup(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	dbPath := fs.String("db", "griddesk.db", "the SQLite database")
	to := fs.String("to", "", "the backup file to write (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("usage: griddesk-server backup -db griddesk.db -to backup.db")
	}
	if store.IsPostgres(*dbPath) {
		return errors.New("backup: a PostgreSQL database is backed up with pg_dump -Fc (see the README)")
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	st, err := store.Open(ctx, *dbPath, store.Options{Journal: true})
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	if err := st.Backup(ctx, *to); err != nil {
		return err
	}
	fi, err := os.Stat(*to)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "backed up %s to %s (%d MB) in %s\n", *dbPath, *to, fi.Size()>>20, time.Since(start).Round(time.Millisecond))
	return nil
}
