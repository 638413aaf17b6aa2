package app

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

// embedded is the demo server running inside the desk on loopback.
type embedded struct {
	st       *store.Store
	hs       *http.Server
	url      string
	password string
	stopSim  context.CancelFunc
	simDone  chan struct{}
}

// startEmbedded opens (seeding on first start) DataDir/server.db and serves
// it on a free loopback port. The admin password is made once and kept in
// DataDir/embedded-admin (mode 0600).
func startEmbedded(ctx context.Context, dir, seed string, simulate bool) (*embedded, error) {
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
			return nil, fmt.Errorf("app: embedded server: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("app: embedded server: %w", err)
	}
	st, err := store.Open(ctx, filepath.Join(dir, "server.db"), store.Options{Journal: true})
	if err != nil {
		return nil, fmt.Errorf("app: embedded server: %w", err)
	}
	if _, err := server.Bootstrap(ctx, st, seed, pw, time.Now()); err != nil {
		st.Close()
		return nil, fmt.Errorf("app: embedded server: %w", err)
	}
	srv, err := server.New(ctx, st, server.Options{})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("app: embedded server: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("app: embedded server: %w", err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(l)
	e := &embedded{st: st, hs: hs, url: "http://" + l.Addr().String(), password: pw}
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

func (e *embedded) close() {
	if e.stopSim != nil {
		e.stopSim()
		<-e.simDone // a step in progress must not meet a closed database
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	e.hs.Shutdown(ctx)
	e.st.Close()
}
