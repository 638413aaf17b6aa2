// Package demo is the GridDesk server a desk runs in-process when no server
// is configured: the demo town (or city) in DataDir/server.db, served on a
// free loopback port through the real REST API, optionally simulating the
// town's working day. main wires it into the desk; the desk itself knows
// only a URL and an account.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"griddesk/server"
	"griddesk/server/sim"
	"griddesk/store"
)

// Server is the demo server running inside the desk on loopback.
type Server struct {
	st       *store.Store
	hs       *http.Server
	url      string
	password string
	stopSim  context.CancelFunc
	simDone  chan struct{}
}

// Start opens (seeding with seed on first start: town, city or none)
// dir/server.db and serves it on a free loopback port. The admin password is
// made once and kept in dir/embedded-admin (mode 0600). With simulate the
// town lives: cases come in, units work them.
func Start(ctx context.Context, dir, seed string, simulate bool) (*Server, error) {
	if seed == "" {
		seed = server.SeedTown
	}
	pwFile := filepath.Join(dir, "embedded-admin")
	raw, err := os.ReadFile(pwFile)
	pw := strings.TrimSpace(string(raw))
	if errors.Is(err, fs.ErrNotExist) || pw == "" {
		b := make([]byte, 18)
		rand.Read(b)
		pw = base64.RawURLEncoding.EncodeToString(b)
		if err := os.WriteFile(pwFile, []byte(pw+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("demo server: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("demo server: %w", err)
	}
	st, err := store.Open(ctx, filepath.Join(dir, "server.db"), store.Options{Journal: true})
	if err != nil {
		return nil, fmt.Errorf("demo server: %w", err)
	}
	if _, err := server.Bootstrap(ctx, st, seed, pw, time.Now()); err != nil {
		st.Close()
		return nil, fmt.Errorf("demo server: %w", err)
	}
	srv, err := server.New(ctx, st, server.Options{})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("demo server: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("demo server: %w", err)
	}
	hs := srv.HTTPServer(l.Addr().String())
	go hs.Serve(l)
	e := &Server{st: st, hs: hs, url: "http://" + l.Addr().String(), password: pw}
	if simulate { // the demo town lives: cases come in, units work them
		simCtx, stop := context.WithCancel(context.Background())
		e.stopSim, e.simDone = stop, make(chan struct{})
		s := sim.New(srv, st, sim.Options{Speed: 1})
		go func() {
			defer close(e.simDone)
			s.Run(simCtx)
		}()
	}
	return e, nil
}

// Starter is Start with its seed and simulation fixed, for a desk that
// starts the server when it connects (desk.BackendFrom(demo.Starter(…))).
func Starter(seed string, simulate bool) func(ctx context.Context, dir string) (*Server, error) {
	return func(ctx context.Context, dir string) (*Server, error) { return Start(ctx, dir, seed, simulate) }
}

// URL is the server's address, http://127.0.0.1:PORT.
func (e *Server) URL() string { return e.url }

// Account is the user name and password to sign in with (the admin).
func (e *Server) Account() (user, password string) { return "admin", e.password }

// Close stops the simulation and the server and closes its database.
func (e *Server) Close() {
	if e.stopSim != nil {
		e.stopSim()
		<-e.simDone // a step in progress must not meet a closed database
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	e.hs.Shutdown(ctx)
	e.st.Close()
}
