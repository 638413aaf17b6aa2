package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/net/netutil"

	"griddesk/store"
)

// What one client can hold of the server: a connection's time to send its
// headers and its body (a phone on 3G sends a 16 MB photo in about two
// minutes), to take an answer (a long-poll waits up to MaxWait), and to
// idle between requests; how many connections there may be; and how many
// PDFs and snapshots are made at once.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 3 * time.Minute
	idleTimeout       = 2 * time.Minute
	writeMargin       = time.Minute // beyond MaxWait
	maxHeaderBytes    = 64 << 10
	// MaxConns is the most connections a node holds; more wait to be
	// accepted.
	MaxConns = 4096
	// maxDocs and maxExports bound the PDFs rendered and the snapshots
	// exported at once (eight door-plate PDFs at once took 1.1 GB).
	maxDocs    = 2
	maxExports = 1
	// docWait is how long a request waits for its turn before 503.
	docWait = 20 * time.Second
)

// HTTPServer is the http.Server for this API on addr, with the timeouts
// above; its Shutdown answers the waiting long-polls at once.
func (s *Server) HTTPServer(addr string) *http.Server {
	hs := &http.Server{
		Addr:              addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       s.opts.ReadTimeout,
		WriteTimeout:      s.opts.MaxWait + writeMargin,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
	hs.RegisterOnShutdown(s.Drain)
	return hs
}

// Listen is net.Listen on addr, holding at most MaxConns connections.
func Listen(addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("server: listen %s: %w", addr, err)
	}
	return netutil.LimitListener(l, MaxConns), nil
}

// Drain makes the waiting long-polls answer at once and new ones not wait
// (the server is shutting down).
func (s *Server) Drain() { s.drain.Do(func() { close(s.closing) }) }

// turn waits for a place in slots (a cap on costly work) for at most
// docWait; without one it answers 503 with Retry-After and returns false.
func (s *Server) turn(w http.ResponseWriter, r *http.Request, slots chan struct{}, what string) (release func(), ok bool) {
	t := time.NewTimer(docWait)
	defer t.Stop()
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, true
	case <-t.C:
		w.Header().Set("Retry-After", strconv.Itoa(int(docWait/time.Second)))
		problem(w, http.StatusServiceUnavailable, "busy", "Busy", fmt.Sprintf("the server is making other %s; try again shortly", what))
	case <-r.Context().Done():
	}
	return nil, false
}

// diskFull answers 507 when err is a full disk, and remembers it for
// /healthz; it reports whether it answered.
func (s *Server) diskFull(w http.ResponseWriter, err error) bool {
	if !errors.Is(err, store.ErrDiskFull) {
		return false
	}
	s.full.Store(true)
	problem(w, http.StatusInsufficientStorage, "disk-full", "Disk full",
		"the server's disk is full: nothing was stored; an administrator must free space (the server recovers by itself)")
	return true
}

// probeDisk checks a disk found full: a small write that succeeds clears it.
func (s *Server) probeDisk(ctx context.Context) bool {
	if !s.full.Load() {
		return true
	}
	err := s.st.ProbeSpace(ctx)
	if err == nil {
		s.full.Store(false)
	}
	return err == nil
}
