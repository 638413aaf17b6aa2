// Package app is the desk's core: the Desk service the screens call. It owns
// the local SQLite copy, the sync loop and, when no server is configured, an
// in-process server seeded with the demo town, so the default run exercises
// the real REST path. It never imports Fyne: everything here is testable
// without a window.
package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"griddesk/app/clock"
	"griddesk/app/dispatch"
	"griddesk/app/replica"
	"griddesk/store"
	"griddesk/store/gpkg"
)

// Config says where the desk keeps its copy and which server it follows.
type Config struct {
	DataDir   string // the cache lives in DataDir/cache.db
	ServerURL string // empty: run the demo server in-process
	User      string // optional; with ServerURL and no user the UI asks
	Password  string
	Seed      string // embedded server's seed: town (default) or city
	Simulate  bool   // the embedded server simulates the town's working day
	// Transport replaces the HTTP transport to the server (fault tests).
	Transport http.RoundTripper
	// Wait is the long-poll wait (default 25s; tests shorten it).
	Wait time.Duration
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
	starting   sync.WaitGroup // a Start under way
	emb        *embedded
	review     *gpkg.Review  // set for a snapshot under review: read-only, no network
	done       chan struct{} // closed by Close
	sugg       *dispatch.Suggester
	cats       []store.Category // categories with the admin's settings
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
		return nil, fmt.Errorf("app: data dir: %w", err)
	}
	cache, err := store.Open(ctx, filepath.Join(cfg.DataDir, "cache.db"), store.Options{})
	if err != nil {
		return nil, fmt.Errorf("app: open cache: %w", err)
	}
	d := &Desk{cfg: cfg, cache: cache, cal: desksCalendar(), done: make(chan struct{}), photoWork: make(chan struct{}, photoSlots)}
	d.status = replica.LocalStatus(ctx, cache)
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
	if e.Reset || e.Data[store.KindGrid] || e.Data[store.KindUnit] {
		d.sugg = nil // the dispatch suggestion's grids and units changed
	}
	settings := e.Reset || e.Data[store.KindSetting]
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
func (d *Desk) User() store.User {
	d.mu.Lock()
	c := d.client
	d.mu.Unlock()
	if c == nil {
		return store.User{}
	}
	return c.User()
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
		return errors.New("app: desk closed")
	}
	if d.started {
		d.mu.Unlock()
		return errors.New("app: desk already started")
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
		return fmt.Errorf("app: start: %w", err)
	}
	url := d.cfg.ServerURL
	if url == "" {
		emb, err := startEmbedded(ctx, d.cfg.DataDir, d.cfg.Seed, d.cfg.Simulate)
		if err != nil {
			return err
		}
		d.mu.Lock()
		if d.closed() { // closed while the demo server was starting
			d.mu.Unlock()
			emb.close()
			return errors.New("app: desk closed")
		}
		d.emb = emb
		d.mu.Unlock()
		url, user, password = emb.url, "admin", emb.password
	}
	if user == "" {
		user, password = d.cfg.User, d.cfg.Password
	}
	c := replica.NewClient(url)
	if d.cfg.Transport != nil {
		c.SetTransport(d.cfg.Transport)
	}
	if _, err := c.Login(ctx, user, password); err != nil {
		if errors.Is(err, replica.ErrUnauthorized) {
			return fmt.Errorf("app: sign in as %s: %w", user, ErrBadCredentials)
		}
		// unreachable: work from the cache, the loop signs in when it can
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
		Rebase: d.rebase,
	})
	d.mu.Lock()
	if d.closed() {
		d.mu.Unlock()
		cancel()
		return errors.New("app: desk closed")
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
	emb := d.emb
	d.mu.Unlock()
	if emb != nil {
		emb.close()
	}
	if d.review != nil {
		return d.review.Close()
	}
	return d.cache.Close()
}

// ServerURL is the server the desk follows (the in-process one once started).
func (d *Desk) ServerURL() string {
	if d.emb != nil {
		return d.emb.url
	}
	return d.cfg.ServerURL
}

// Case reads one case from the local copy.
func (d *Desk) Case(ctx context.Context, id string) (store.Case, error) {
	return d.cache.Case(ctx, id)
}
