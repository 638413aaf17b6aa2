// Package desk is the desk service the screens call. It owns the local
// SQLite copy, the sync loop and the optimistic path of every user action;
// when no server is configured it starts the Backend main gives it (the
// in-process demo town), so the default run exercises the real REST path. It
// never imports Fyne: everything here is testable without a window.
package desk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"griddesk/core/dispatch"
	"griddesk/desk/replica"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/store"
	"griddesk/store/gpkg"
)

// Config says where the desk keeps its copy and which server it follows.
type Config struct {
	DataDir   string // the cache lives in DataDir/cache.db
	ServerURL string // empty: run the demo server in-process
	User      string // optional; with ServerURL and no user the UI asks
	Password  string
	// Backend starts the server to follow when ServerURL is empty (main
	// wires the in-process demo server); it is called once, by Start, with
	// DataDir. Neither set: Start fails.
	Backend func(ctx context.Context, dataDir string) (Backend, error)
	// Transport replaces the HTTP transport to the server (fault tests).
	Transport http.RoundTripper
	// Wait is the long-poll wait (default 25s; tests shorten it).
	Wait time.Duration
}

// Backend is a server the desk started itself and stops when it closes.
type Backend interface {
	URL() string
	Account() (user, password string)
	Close()
}

// BackendFrom adapts a function that starts a concrete Backend (such as the
// demo server's Starter) to Config.Backend.
func BackendFrom[B Backend](start func(ctx context.Context, dataDir string) (B, error)) func(context.Context, string) (Backend, error) {
	return func(ctx context.Context, dir string) (Backend, error) {
		b, err := start(ctx, dir)
		if err != nil {
			return nil, err
		}
		return b, nil
	}
}

// Event tells listeners what changed. Listeners run on the sync goroutine;
// the UI hands them to widgets with fyne.Do.
type Event struct {
	Status *replica.Status // set when the sync status changed
	Data   map[string]bool // kinds that changed; nil map with DataReset = everything
	Reset  bool
}

// Desk is the desk's core service.
type Desk struct {
	cfg   Config
	cache *store.Store
	cal   *clock.Calendar

	mu         sync.Mutex
	listeners  []func(Event)
	status     replica.Status
	rep        *replica.Replica
	client     *replica.Client
	cancel     context.CancelFunc
	wg         sync.WaitGroup
	starting   sync.WaitGroup    // a Start under way
	backend    Backend           // the server Start started (Config.Backend)
	offline    domain.User       // who signed in here last, read at Open: who acts offline
	parents    map[string]string // unit → parent unit (unitParents), nil when stale
	review     *gpkg.Review      // set for a snapshot under review: read-only, no network
	done       chan struct{}     // closed by Close
	sugg       *dispatch.Suggester
	cats       []domain.Category // categories with the admin's settings
	rules      domain.Rules      // the daily-work rules with the admin's settings (rules.go)
	started    bool
	lastIssued time.Time
	photoWork  chan struct{} // bounds the photos fetched and decoded at once (photoSlots)
}

// desksCalendar is the working-day calendar every desk shares.
func desksCalendar() *clock.Calendar { return clock.China() }

// DefaultDataDir is the user's config dir plus "griddesk".
func DefaultDataDir() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "griddesk")
	}
	return filepath.Join(dir, "griddesk")
}

// Open opens the local copy. It touches no network: the cached town is
// there to show at once; Start connects.
func Open(ctx context.Context, cfg Config) (*Desk, error) {
	if cfg.DataDir == "" {
		cfg.DataDir = DefaultDataDir()
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("desk: data dir: %w", err)
	}
	cache, err := store.Open(ctx, filepath.Join(cfg.DataDir, "cache.db"), store.Options{})
	if err != nil {
		return nil, fmt.Errorf("desk: open cache: %w", err)
	}
	d := &Desk{cfg: cfg, cache: cache, cal: desksCalendar(), done: make(chan struct{}), photoWork: make(chan struct{}, photoSlots)}
	d.status = replica.LocalStatus(ctx, cache)
	d.offline = replica.LastUser(ctx, cache)
	d.applySettings(ctx)
	return d, nil
}

// Config returns the desk's configuration.
func (d *Desk) Config() Config { return d.cfg }

// Calendar is the working-day calendar the clocks use.
func (d *Desk) Calendar() *clock.Calendar { return d.cal }

// NeedsLogin reports whether the UI must ask for a user name and password.
func (d *Desk) NeedsLogin() bool {
	return d.cfg.ServerURL != "" && (d.cfg.User == "" || d.cfg.Password == "")
}

// Subscribe registers a listener for status and data events.
func (d *Desk) Subscribe(fn func(Event)) {
	d.mu.Lock()
	d.listeners = append(d.listeners, fn)
	d.mu.Unlock()
}

func (d *Desk) emit(e Event) {
	d.mu.Lock()
	if e.Status != nil {
		d.status = *e.Status
	}
	if e.Reset || e.Data[domain.KindGrid] || e.Data[domain.KindUnit] {
		d.sugg = nil // the dispatch suggestion's grids and units changed
	}
	if e.Reset || e.Data[domain.KindUnit] {
		d.parents = nil
	}
	settings := e.Reset || e.Data[domain.KindSetting]
	ls := append([]func(Event){}, d.listeners...)
	d.mu.Unlock()
	if settings {
		d.applySettings(context.Background())
	}
	for _, fn := range ls {
		fn(e)
	}
}

// Status is the current sync status.
func (d *Desk) Status() replica.Status {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.status
}

// User is the signed-in user (zero before sign-in).
func (d *Desk) User() domain.User {
	d.mu.Lock()
	c := d.client
	d.mu.Unlock()
	if c != nil {
		if u := c.User(); u.ID != "" {
			return u
		}
	}
	return d.offline // offline: whoever signed in here last
}

// looseAfter is how old a photo added at the desk that nothing names must
// be before Start drops it: wide enough that a form being filled in while
// the desk (re)connects keeps its photos.
const looseAfter = 24 * time.Hour

// ErrBadCredentials is returned by Start when the server refused the sign-in.
var ErrBadCredentials = errors.New("wrong user name or password")

// Start connects the desk: it starts the in-process server when none is
// configured, signs in and runs the sync loop in the background. With a
// server that cannot be reached, Start still succeeds and the loop keeps
// trying; only refused credentials are an error (so the UI can ask again).
func (d *Desk) Start(ctx context.Context, user, password string) error {
	if d.review != nil {
		return ErrReadOnly
	}
	d.mu.Lock()
	if d.closed() {
		d.mu.Unlock()
		return errors.New("desk: desk closed")
	}
	if d.started {
		d.mu.Unlock()
		return errors.New("desk: desk already started")
	}
	d.starting.Add(1) // Close waits for Start: the demo server writes into the data dir
	d.mu.Unlock()
	defer d.starting.Done()
	ctx, cancelStart := context.WithCancel(ctx)
	defer cancelStart()
	go func() { // Close cuts a start short
		select {
		case <-d.done:
			cancelStart()
		case <-ctx.Done():
		}
	}()
	// photos taken out of a form again, or whose form was cancelled, a day ago or more
	if _, err := d.cache.DropLoosePhotos(ctx, time.Now().Add(-looseAfter)); err != nil {
		return fmt.Errorf("desk: start: %w", err)
	}
	url := d.cfg.ServerURL
	if url == "" {
		if d.cfg.Backend == nil {
			return errors.New("desk: no server configured")
		}
		b, err := d.cfg.Backend(ctx, d.cfg.DataDir)
		if err != nil {
			return fmt.Errorf("desk: start the server: %w", err)
		}
		d.mu.Lock()
		if d.closed() { // closed while the server was starting
			d.mu.Unlock()
			b.Close()
			return errors.New("desk: closed")
		}
		d.backend = b
		d.mu.Unlock()
		url = b.URL()
		user, password = b.Account()
	}
	if user == "" {
		user, password = d.cfg.User, d.cfg.Password
	}
	c := replica.NewClientFor(ctx, url, d.cache)
	if d.cfg.Transport != nil {
		c.SetTransport(d.cfg.Transport)
	}
	if _, err := c.Login(ctx, user, password); err != nil {
		if errors.Is(err, replica.ErrUnauthorized) {
			return fmt.Errorf("desk: sign in as %s: %w", user, ErrBadCredentials)
		}
		// unreachable: work from the cache, the loop signs in when it can
	} else if err := replica.RememberLogin(ctx, d.cache, c); err != nil {
		return fmt.Errorf("desk: start: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	rep := replica.New(d.cache, c, replica.Options{
		Credentials: func() (string, string) { return user, password },
		Wait:        d.cfg.Wait,
		MinRetry:    100 * time.Millisecond,
		MaxRetry:    5 * time.Second,
		OnStatus:    func(s replica.Status) { d.emit(Event{Status: &s}) },
		OnData: func(kinds map[string]bool) {
			d.emit(Event{Data: kinds, Reset: kinds == nil})
		},
	})
	d.mu.Lock()
	if d.closed() {
		d.mu.Unlock()
		cancel()
		return errors.New("desk: desk closed")
	}
	d.started, d.client, d.rep, d.cancel = true, c, rep, cancel
	d.wg.Add(1)
	d.mu.Unlock()
	go func() {
		defer d.wg.Done()
		rep.Run(runCtx)
	}()
	return nil
}

// closed reports whether Close ran (d.mu held).
func (d *Desk) closed() bool {
	select {
	case <-d.done:
		return true
	default:
		return false
	}
}

// Done is closed when the desk closes (for the UI's own tickers).
func (d *Desk) Done() <-chan struct{} { return d.done }

// Close stops the sync loop and the in-process server and closes the copy.
func (d *Desk) Close() error {
	d.mu.Lock()
	select {
	case <-d.done:
	default:
		close(d.done)
	}
	d.mu.Unlock()
	d.mu.Lock()
	cancel := d.cancel
	d.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	d.starting.Wait()
	d.wg.Wait()
	d.mu.Lock()
	b := d.backend
	d.mu.Unlock()
	if b != nil {
		b.Close()
	}
	if d.review != nil {
		return d.review.Close()
	}
	return d.cache.Close()
}

// ServerURL is the server the desk follows (the one it started, once started).
func (d *Desk) ServerURL() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.backend != nil {
		return d.backend.URL()
	}
	return d.cfg.ServerURL
}

// Case reads one case from the local copy.
func (d *Desk) Case(ctx context.Context, id string) (domain.Case, error) {
	return d.cache.Case(ctx, id)
}
