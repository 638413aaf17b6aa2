// Command griddesk-server runs GridDesk's REST backend.
//
//	griddesk-server -addr 127.0.0.1:8080 -db griddesk.db -seed town
//
// The admin password comes from GRIDDESK_ADMIN_PASSWORD on first start, else
// a random one is printed once.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"griddesk/server"
	"griddesk/store"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "griddesk-server:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	dbPath := flag.String("db", "griddesk.db", "SQLite database file")
	seed := flag.String("seed", server.SeedTown, "seed an empty database with: town, city or none")
	cert := flag.String("tls-cert", "", "TLS certificate file (with -tls-key)")
	key := flag.String("tls-key", "", "TLS key file (with -tls-cert)")
	flag.Parse()
	if (*cert == "") != (*key == "") {
		return errors.New("-tls-cert and -tls-key go together")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
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
		fmt.Printf("admin password (shown once): %s\n", pw)
	}
	srv, err := server.New(ctx, st, server.Options{})
	if err != nil {
		return err
	}
	hs := &http.Server{Addr: *addr, Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() {
		slog.Info("griddesk-server listening", "addr", *addr, "db", *dbPath, "tls", *cert != "")
		if *cert != "" {
			errc <- hs.ListenAndServeTLS(*cert, *key)
		} else {
			errc <- hs.ListenAndServe()
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
