// Package server is GridDesk's REST backend: the source of truth that desks
// synchronize with and field systems report to (DESIGN.md §4).
//
// It speaks JSON over net/http with method patterns, answers errors as
// application/problem+json (RFC 9457), authenticates with bearer tokens from
// POST /api/v1/login, and publishes every write in a change feed that desks
// long-poll. It never imports Fyne and builds with CGO_ENABLED=0.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"griddesk/domain"
	"griddesk/domain/photo"
	"griddesk/domain/zone"
	"griddesk/server/web"
	"griddesk/store"

	"golang.org/x/sync/semaphore"
)

// Options configure a Server.
type Options struct {
	// TokenTTL is how long a login token lives (default 12h).
	TokenTTL time.Duration
	// MaxWait caps the long-poll wait of GET /changes (default 60s).
	MaxWait time.Duration
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
	// Logger receives one line per request error; default slog.Default().
	Logger *slog.Logger
	// ReadTimeout bounds the time a client takes to send a request, body
	// included (default 3 minutes: a 16 MB photo over 3G).
	ReadTimeout time.Duration
	// GridRecheck is how often at most the server asks the store whether
	// the grids changed behind its back (another node, an offline import)
	// before placing a case (default 2s). A grid.import applied by this
	// server refreshes its index at once.
	GridRecheck time.Duration
	// CommandDelay slows every command down (fault-injection tests use it
	// to kill the server in the middle of a batch); zero in production.
	CommandDelay time.Duration
	// PublicURL is the address phones reach this server at (-public-url,
	// e.g. https://grid.linpu.gov.cn): the QR codes carry it and every desk
	// gets it as the setting public_url. Empty: codes stay griddesk://.
	PublicURL string
	// TrustedProxies are the reverse proxies (-trusted-proxy) whose
	// X-Forwarded-For names the client: the public form's limits count the
	// citizen's address, not the proxy's.
	TrustedProxies []netip.Prefix
}

// Server serves the API over one store.
type Server struct {
	st     *store.Store
	opts   Options
	id     string
	notify broadcaster

	mu           sync.RWMutex
	zones        *zone.Index
	zonesStamp   int64     // store.GridsStamp the index was built at
	zonesChecked time.Time // when the stamp was last compared
	zonesLoad    sync.Mutex

	sessMu   sync.Mutex
	sessions map[string]cachedSession

	closing   chan struct{} // closed by Drain: long-polls answer at once
	drain     sync.Once
	docs      chan struct{}       // PDFs being rendered at once
	exports   chan struct{}       // snapshots being exported at once
	full      atomic.Bool         // the last write found the disk full
	decoding  chan struct{}       // photos being read and decoded at once (one per core)
	decodeMem *semaphore.Weighted // bytes of photo decoding under way (decodeBudget)
	web       *web.Pages          // the door plate's pages and the phone app
}

// decodeBudget is the memory every photo decoding under way may take
// together: two of the costliest photos at once.
const decodeBudget = 2 * photo.MaxDecode

// New returns a server over st, which must have been opened with Journal.
func New(ctx context.Context, st *store.Store, opts Options) (*Server, error) {
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = 12 * time.Hour
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = 60 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ReadTimeout <= 0 {
		opts.ReadTimeout = readTimeout
	}
	if opts.GridRecheck <= 0 {
		opts.GridRecheck = 2 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Server{st: st, opts: opts, decoding: make(chan struct{}, runtime.NumCPU()), decodeMem: semaphore.NewWeighted(decodeBudget),
		closing: make(chan struct{}), docs: make(chan struct{}, maxDocs), exports: make(chan struct{}, maxExports)}
	s.notify.ch = make(chan struct{})
	id, err := st.Meta(ctx, "server.id")
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if id == "" {
		b := make([]byte, 8)
		rand.Read(b)
		id = hex.EncodeToString(b)
		if err := st.SetMeta(ctx, "server.id", id); err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
	}
	s.id = id
	if err := s.loadZones(ctx); err != nil {
		return nil, err
	}
	if err := s.publishPublicURL(ctx); err != nil {
		return nil, err
	}
	if s.web, err = s.pages(); err != nil {
		return nil, err
	}
	return s, nil
}

// ID identifies this server's database; desks reset their cache when it changes.
func (s *Server) ID() string { return s.id }

// loadZones builds the grid index from the store, as of the stamp it reads
// first (a change after that stamp is seen by the next check).
func (s *Server) loadZones(ctx context.Context) error {
	s.zonesLoad.Lock()
	defer s.zonesLoad.Unlock()
	return s.loadZonesLocked(ctx)
}

func (s *Server) loadZonesLocked(ctx context.Context) error {
	stamp, err := s.st.GridsStamp(ctx)
	if err != nil {
		return fmt.Errorf("server: load grids: %w", err)
	}
	grids, err := s.st.Grids(ctx)
	if err != nil {
		return fmt.Errorf("server: load grids: %w", err)
	}
	ix := zone.New(grids)
	s.mu.Lock()
	s.zones, s.zonesStamp, s.zonesChecked = ix, stamp, time.Now()
	s.mu.Unlock()
	return nil
}

// zoneIndex returns the grid index to place a case with: the grids as they
// are now. At most every GridRecheck it compares the store's grid stamp with
// the index's and rebuilds the index when the grids changed; on an error it
// keeps the index it has.
func (s *Server) zoneIndex(ctx context.Context) *zone.Index {
	s.mu.RLock()
	ix, checked := s.zones, s.zonesChecked
	s.mu.RUnlock()
	if time.Since(checked) < s.opts.GridRecheck {
		return ix
	}
	s.zonesLoad.Lock()
	defer s.zonesLoad.Unlock()
	s.mu.RLock()
	ix, checked, have := s.zones, s.zonesChecked, s.zonesStamp
	s.mu.RUnlock()
	if time.Since(checked) < s.opts.GridRecheck {
		return ix // another request checked meanwhile
	}
	stamp, err := s.st.GridsStamp(ctx)
	switch {
	case err != nil:
		s.opts.Logger.Error("grid stamp", "err", err)
	case stamp != have:
		if err := s.loadZonesLocked(ctx); err != nil {
			s.opts.Logger.Error("reload grids", "err", err)
		}
	default:
		s.mu.Lock()
		s.zonesChecked = time.Now()
		s.mu.Unlock()
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.zones
}

// update runs one write transaction and wakes the long-polls after it commits.
func (s *Server) update(ctx context.Context, fn func(*store.Tx) error) error {
	if err := s.st.Update(ctx, fn); err != nil {
		if errors.Is(err, store.ErrDiskFull) {
			s.full.Store(true)
		}
		return err
	}
	s.full.Store(false)
	s.notify.wake()
	return nil
}

// Handler returns the HTTP API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("POST /api/v1/login", s.login)
	mux.Handle("POST /api/v1/logout", s.auth(anyRole, s.logout))
	mux.Handle("GET /api/v1/me", s.auth(anyRole, s.me))
	mux.Handle("GET /api/v1/changes", s.auth(anyRole, s.changes))
	mux.Handle("POST /api/v1/cases", s.auth(roles(domain.RoleReporter, domain.RoleDutyOfficer, domain.RoleAdmin), s.reportCase))
	mux.Handle("POST /api/v1/commands", s.auth(anyRole, s.commands))
	mux.Handle("GET /api/v1/users", s.auth(roles(domain.RoleAdmin), s.listUsers))
	mux.Handle("POST /api/v1/users", s.auth(roles(domain.RoleAdmin), s.createUser))
	mux.Handle("PATCH /api/v1/users/{id}", s.auth(roles(domain.RoleAdmin), s.updateUser))
	mux.HandleFunc("GET /api/v1/openapi.json", s.openapi)
	mux.Handle("POST /api/v1/photos", s.auth(photoUploaders, s.uploadPhoto))
	mux.Handle("GET /api/v1/photos/{id}", s.auth(anyRole, s.getPhoto))
	mux.Handle("GET /api/v1/inspections/{id}/report.pdf", s.auth(anyRole, s.inspectionReport))
	mux.Handle("GET /api/v1/entities/{id}/notice.pdf", s.auth(anyRole, s.rectificationNotice))
	mux.Handle("GET /api/v1/grids/{id}/plates.pdf", s.auth(anyRole, s.doorPlates))
	mux.Handle("GET /api/v1/cases/{id}/contact", s.auth(roles(domain.RoleDutyOfficer, domain.RoleAdmin), s.caseContact))
	s.web.Mount(mux) // /p/{token} (public), /m/ (phone app), /api/v1/field/…
	mux.Handle("GET /api/v1/snapshot.gpkg", s.auth(roles(domain.RoleAuditor, domain.RoleDutyOfficer, domain.RoleTeamLeader, domain.RoleAdmin), s.snapshot))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		problem(w, http.StatusNotFound, "not-found", "Not found", fmt.Sprintf("no endpoint %s %s", r.Method, r.URL.Path))
	})
	return mux
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	seq, err := s.st.LastSeq(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	h := map[string]any{"status": "ok", "server_id": s.id, "last_seq": seq}
	if !s.probeDisk(r.Context()) { // reads still work; writes answer 507
		h["status"], h["reason"] = "degraded", "disk full: writes are refused until space is freed"
	}
	writeJSON(w, http.StatusOK, h)
}

// broadcaster wakes every waiter at once: wait returns a channel that is
// closed by the next wake.
type broadcaster struct {
	mu sync.Mutex
	ch chan struct{}
}

func (b *broadcaster) wait() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ch
}

func (b *broadcaster) wake() {
	b.mu.Lock()
	close(b.ch)
	b.ch = make(chan struct{})
	b.mu.Unlock()
}
