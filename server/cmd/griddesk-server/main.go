// Command griddesk-server runs GridDesk's REST backend.
//
//	griddesk-server -addr 127.0.0.1:8080 -db griddesk.db -seed town
//
// The admin password comes from GRIDDESK_ADMIN_PASSWORD on first start, else
// a random one is printed once.
//
// Imports check every row and land whole or not at all:
//
//	griddesk-server import grids FILE.geojson -db griddesk.db -map id=网格编码,name=网格名称,level=网格类型,parent=上级网格
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
	"strings"
	"syscall"
	"time"

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
	dbPath := flag.String("db", "griddesk.db", "SQLite database file")
	seed := flag.String("seed", server.SeedTown, "seed an empty database with: town, city or none")
	cert := flag.String("tls-cert", "", "TLS certificate file (with -tls-key)")
	key := flag.String("tls-key", "", "TLS key file (with -tls-cert)")
	simulate := flag.Bool("simulate", false, "simulate the town's working day: reports, duty officers, units")
	publicURL := flag.String("public-url", "", "the https:// address phones reach this server at: the door plates' QR codes carry it")
	proxies := flag.String("trusted-proxy", "", "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For names the client")
	speed := flag.Float64("speed", 1, "with -simulate: simulated seconds per real second (60 = an hour a minute; use a scratch database above 1)")
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
		s := sim.New(srv, st, sim.Options{Speed: *speed, Now: clk.Now})
		go func() {
			if err := s.Run(ctx); err != nil {
				slog.Error("simulator stopped", "err", err)
			}
		}()
		slog.Info("simulating the town's day", "speed", *speed)
	}
	hs := srv.HTTPServer(*addr)
	l, err := server.Listen(*addr)
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() {
		slog.Info("griddesk-server listening", "addr", *addr, "db", *dbPath, "tls", *cert != "")
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

func runImport(args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	dbPath := fs.String("db", "griddesk.db", "SQLite database file")
	mapping := fs.String("map", "", "field=column pairs: id, name, level, parent, village (grids); id, name, kind, address, lon, lat, tags, code (entities)")
	crs := fs.String("crs", "", "coordinates of the file: wgs84 (default), gcj02 or bd09")
	enc := fs.String("encoding", "", "CSV encoding: detected by default (UTF-8, UTF-8 with BOM, GBK)")
	sheet := fs.String("sheet", "", "XLSX sheet (default: the first)")
	level := fs.String("level", "", "grids: one level for every grid when none is mapped")
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
	ctx := context.Background()
	st, err := store.Open(ctx, *dbPath, store.Options{Journal: true})
	if err != nil {
		return err
	}
	defer st.Close()
	return server.Import(ctx, st, what, file, server.ImportOptions{Map: m, CRS: *crs, Encoding: *enc, Sheet: *sheet, Level: *level, Kind: *kind}, os.Stdout)
}
