package replica

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"griddesk/domain"
	"griddesk/store"
)

// Sync states shown in the status bar.
const (
	StateConnecting = "connecting"
	StateSyncing    = "syncing"
	StateOnline     = "online"
	StateOffline    = "offline"
)

// Status is what the desk shows about its copy.
type Status struct {
	State    string
	LastSync time.Time // last successful exchange with the server
	Cursor   int64
	Rows     int // rows in the local copy
	Err      string
	ServerID string
	Pending  int // commands waiting in the outbox
	Rejected int // commands the server refused, kept for the user to see
}

// Online reports whether the server answered the last call.
func (s Status) Online() bool { return s.State == StateOnline || s.State == StateSyncing }

// Options tune a Replica.
type Options struct {
	PageSize int           // rows per page and per transaction (default 2000)
	Wait     time.Duration // long-poll wait (default 25s)
	MinRetry time.Duration // first back-off (default 500ms)
	MaxRetry time.Duration // longest back-off (default 30s)
	// Credentials returns the user name and password to sign in with.
	Credentials func() (user, password string)
	// OnStatus and OnData are called from the sync goroutine.
	OnStatus func(Status)
	OnData   func(kinds map[string]bool)
}

// Replica pulls the server's change feed into a local store.
type Replica struct {
	st   *store.Store
	c    *Client
	opts Options

	mu     sync.Mutex
	status Status
	kick   context.CancelFunc // cancels the current long-poll

	progress atomic.Bool // a call succeeded since the last failure
	pruned   time.Time   // last Prune
}

// pruneEvery is how often the copy drops the closed cases that left the
// retention window.
const pruneEvery = time.Hour

// Prune drops from the copy the closed cases that left the retention
// window (the setting retention:cases): the server keeps them, and the
// feed no longer sends them (store.Retire). Cases a pending command
// changed stay until it is answered.
func (r *Replica) Prune(ctx context.Context, now time.Time) error {
	keep, err := r.st.Retention(ctx)
	if err != nil {
		return err
	}
	n := 0
	if err := r.st.Update(ctx, func(tx *store.Tx) error {
		n, err = tx.Prune(now, keep)
		return err
	}); err != nil {
		return fmt.Errorf("replica: prune: %w", err)
	}
	r.pruned = now
	if n > 0 && r.opts.OnData != nil {
		r.opts.OnData(map[string]bool{domain.KindCase: true, domain.KindTask: true, domain.KindCaseAction: true})
	}
	return nil
}

const (
	metaCursor = "replica.cursor"
	metaServer = "replica.server_id"
	metaSynced = "replica.last_sync"
	metaUser   = "replica.user"
	metaDevice = "desk.device" // kept when the copy is wiped: it is the desk's, not the server's
)

// RememberLogin keeps the signed-in user with the copy, so that work done
// offline later (and its rebase) acts as them, within their scope, and the
// device token the server gave this desk.
func RememberLogin(ctx context.Context, st *store.Store, c *Client) error {
	raw, err := json.Marshal(c.User())
	if err != nil {
		return fmt.Errorf("replica: remember %s: %w", c.User().Username, err)
	}
	return st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetMeta(metaUser, string(raw)); err != nil {
			return err
		}
		return tx.SetMeta(metaDevice, c.Device())
	})
}

// NewClientFor is a client for url that signs in as this desk (with the
// device token kept in st).
func NewClientFor(ctx context.Context, url string, st *store.Store) *Client {
	c := NewClient(url)
	if tok, _ := st.Meta(ctx, metaDevice); tok != "" {
		c.SetDevice(tok)
	}
	return c
}

// LastUser is the user who last signed in on this copy (zero if none).
func LastUser(ctx context.Context, st *store.Store) domain.User {
	var u domain.User
	if v, _ := st.Meta(ctx, metaUser); v != "" {
		json.Unmarshal([]byte(v), &u)
	}
	return u
}

// user is who the copy acts as: the signed-in user, else the last one.
func (r *Replica) user() domain.User {
	if u := r.c.User(); u.ID != "" {
		return u
	}
	return LastUser(context.Background(), r.st)
}

// New returns a replica of the server behind c in st.
func New(st *store.Store, c *Client, opts Options) *Replica {
	if opts.PageSize <= 0 {
		opts.PageSize = 2000
	}
	if opts.Wait <= 0 {
		opts.Wait = 25 * time.Second
	}
	if opts.MinRetry <= 0 {
		opts.MinRetry = 500 * time.Millisecond
	}
	if opts.MaxRetry <= 0 {
		opts.MaxRetry = 30 * time.Second
	}
	r := &Replica{st: st, c: c, opts: opts}
	r.status = LocalStatus(context.Background(), st)
	return r
}

// LocalStatus describes a local copy without asking any server.
func LocalStatus(ctx context.Context, st *store.Store) Status {
	s := Status{State: StateOffline}
	if v, _ := st.Meta(ctx, metaCursor); v != "" {
		s.Cursor, _ = strconv.ParseInt(v, 10, 64)
	}
	if v, _ := st.Meta(ctx, metaSynced); v != "" {
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
			s.LastSync = time.UnixMilli(ms)
		}
	}
	s.ServerID, _ = st.Meta(ctx, metaServer)
	if items, err := st.Outbox(ctx, ""); err == nil {
		for _, it := range items {
			if it.State == domain.OutboxRejected {
				s.Rejected++
			} else {
				s.Pending++
			}
		}
	}
	if counts, err := st.Counts(ctx); err == nil {
		for _, n := range counts {
			s.Rows += n
		}
	}
	return s
}

// Status is the current sync status.
func (r *Replica) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

func (r *Replica) setStatus(f func(*Status)) {
	r.mu.Lock()
	f(&r.status)
	s := r.status
	r.mu.Unlock()
	if r.opts.OnStatus != nil {
		r.opts.OnStatus(s)
	}
}

// Run keeps the copy in step until ctx ends: sign in, catch up, long-poll;
// on failure go offline and retry with exponential back-off and jitter.
func (r *Replica) Run(ctx context.Context) {
	backoff := r.opts.MinRetry
	r.setStatus(func(s *Status) { s.State = StateConnecting })
	for ctx.Err() == nil {
		err := r.session(ctx)
		if ctx.Err() != nil {
			return
		}
		r.setStatus(func(s *Status) {
			s.State = StateOffline
			if err != nil {
				s.Err = err.Error()
			}
		})
		sleep := backoff/2 + time.Duration(rand.Int64N(int64(backoff)))
		select {
		case <-ctx.Done():
			return
		case <-time.After(sleep):
		}
		backoff = min(backoff*2, r.opts.MaxRetry)
		if r.progress.Swap(false) {
			backoff = r.opts.MinRetry // it worked for a while: a blip, not an outage
		}
	}
}

// session runs one connected stretch; it returns when a call fails.
func (r *Replica) session(ctx context.Context) error {
	if err := r.connect(ctx); err != nil {
		return err
	}
	for ctx.Err() == nil {
		if _, err := r.Push(ctx); err != nil {
			return r.failed(err)
		}
		if _, err := r.Pull(ctx, 0); err != nil {
			return r.failed(err)
		}
		if time.Since(r.pruned) > pruneEvery {
			if err := r.Prune(ctx, time.Now()); err != nil {
				return err
			}
		}
		pollCtx, cancel := context.WithCancel(ctx)
		r.mu.Lock()
		r.kick = cancel
		r.mu.Unlock()
		pending, _ := r.st.Outbox(ctx, "pending")
		var err error
		if len(pending) == 0 {
			_, err = r.Pull(pollCtx, r.opts.Wait)
		}
		cancel()
		r.mu.Lock()
		r.kick = nil
		r.mu.Unlock()
		if err != nil && pollCtx.Err() == nil {
			return r.failed(err)
		}
	}
	return ctx.Err()
}

func (r *Replica) failed(err error) error {
	if errors.Is(err, ErrUnauthorized) {
		r.c.mu.Lock()
		r.c.token = ""
		r.c.mu.Unlock()
	}
	return err
}

// connect signs in when needed and resets the copy if the server's database changed.
func (r *Replica) connect(ctx context.Context) error {
	h, err := r.c.Health(ctx)
	if err != nil {
		return err
	}
	if !r.c.LoggedIn() {
		if r.opts.Credentials == nil {
			return fmt.Errorf("replica: no credentials to sign in with: %w", ErrUnauthorized)
		}
		u, p := r.opts.Credentials()
		if _, err := r.c.Login(ctx, u, p); err != nil {
			return err
		}
		if err := RememberLogin(ctx, r.st, r.c); err != nil {
			return err
		}
	}
	known, err := r.st.Meta(ctx, metaServer)
	if err != nil {
		return err
	}
	if known != h.ServerID {
		// another server, or its database was replaced: start the copy afresh
		if err := r.st.Update(ctx, func(tx *store.Tx) error {
			if err := tx.Reset(); err != nil {
				return err
			}
			if err := tx.SetMeta(metaCursor, "0"); err != nil {
				return err
			}
			return tx.SetMeta(metaServer, h.ServerID)
		}); err != nil {
			return fmt.Errorf("replica: reset for server %s: %w", h.ServerID, err)
		}
		r.setStatus(func(s *Status) { s.Cursor, s.Rows, s.ServerID = 0, 0, h.ServerID })
		if r.opts.OnData != nil {
			r.opts.OnData(nil)
		}
	}
	r.setStatus(func(s *Status) { s.State, s.Err, s.LastSync = StateSyncing, "", time.Now() })
	return nil
}

// Pull catches up page by page, then (with wait > 0) long-polls once for
// news. It returns how many changes it applied.
func (r *Replica) Pull(ctx context.Context, wait time.Duration) (int, error) {
	total := 0
	// the next page is asked for while this one is written: the server's
	// and the database's part of a long first sync overlaps the desk's
	next := r.fetch(ctx, r.Status().Cursor)
	for {
		f := <-next
		if f.err != nil {
			return total, f.err
		}
		p := f.page
		if len(p.Changes) == 0 {
			break
		}
		if p.More {
			next = r.fetch(ctx, p.LastSeq)
		}
		if err := r.apply(ctx, p); err != nil {
			return total, err // a page fetched ahead is dropped; the cursor says where to go on
		}
		total += len(p.Changes)
		if !p.More {
			break
		}
	}
	r.progress.Store(true)
	r.setStatus(func(s *Status) { s.State, s.LastSync = StateOnline, time.Now() })
	if wait <= 0 {
		return total, nil
	}
	p, err := r.c.Changes(ctx, r.Status().Cursor, r.opts.PageSize, wait)
	if err != nil {
		return total, err
	}
	if len(p.Changes) > 0 {
		if err := r.apply(ctx, p); err != nil {
			return total, err
		}
		total += len(p.Changes)
	}
	r.setStatus(func(s *Status) { s.LastSync = time.Now() })
	return total, nil
}

// fetched is a page asked for ahead (Pull).
type fetched struct {
	page Page
	err  error
}

// fetch asks for the page after a cursor in the background.
func (r *Replica) fetch(ctx context.Context, after int64) <-chan fetched {
	ch := make(chan fetched, 1)
	go func() {
		p, err := r.c.Changes(ctx, after, r.opts.PageSize, 0)
		ch <- fetched{p, err}
	}()
	return ch
}

// apply writes one page and the new cursor in one transaction.
func (r *Replica) apply(ctx context.Context, p Page) error {
	kinds := map[string]bool{}
	now := time.Now()
	err := r.st.Update(ctx, func(tx *store.Tx) error {
		var shadowed []domain.Ref
		// no pending command: no shadow to look up for each row (a first sync)
		pending, err := tx.HasShadows()
		if err != nil {
			return err
		}
		for _, c := range p.Changes {
			if err := tx.Apply(c); err != nil {
				return err
			}
			kinds[c.Kind] = true
			if !pending {
				continue
			}
			ref := domain.Ref{Kind: c.Kind, ID: c.ID}
			if _, ok, err := tx.Shadow(ref); err != nil {
				return err
			} else if ok {
				if err := tx.SetShadow(ref, c.Data); err != nil {
					return err
				}
				shadowed = append(shadowed, ref)
			}
		}
		if err := r.rebase(tx, shadowed, true); err != nil {
			return err
		}
		if err := tx.SetMeta(metaCursor, strconv.FormatInt(p.LastSeq, 10)); err != nil {
			return err
		}
		return tx.SetMeta(metaSynced, strconv.FormatInt(now.UnixMilli(), 10))
	})
	if err != nil {
		return fmt.Errorf("replica: apply page after %d: %w", r.Status().Cursor, err)
	}
	rows := 0
	if counts, err := r.st.Counts(ctx); err == nil {
		for _, n := range counts {
			rows += n
		}
	}
	r.setStatus(func(s *Status) { s.Cursor, s.Rows, s.LastSync = p.LastSeq, rows, now })
	if r.opts.OnData != nil {
		r.opts.OnData(kinds)
	}
	return nil
}
