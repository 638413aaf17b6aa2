package store

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Notices between the server nodes of one database. A node learns that the
// journal grew (a write on any node: its long-polls should look again) or
// that sessions were revoked (drop what it cached of them). On PostgreSQL
// a notice travels by NOTIFY on the channel "griddesk", sent inside the
// writing transaction so that it arrives after the commit, and every node
// LISTENs on one connection of its own; on SQLite the processes sharing the
// file have no such channel, and notices reach this process's watchers
// only. Notices only wake: a desk reads the feed by its sequence, so a lost
// or doubled notice costs a look, never a row.

// Notice topics.
const (
	// TopicFeed: the journal grew to the seq in the notice.
	TopicFeed = "feed"
	// TopicSessions: sessions were revoked or a user changed; nodes drop
	// the sessions they cached.
	TopicSessions = "sessions"
	// TopicGrids: grid boundaries changed outside the feed's order (an
	// import run by another process); nodes reload their grid index.
	TopicGrids = "grids"
)

const notifyChannel = "griddesk"

// watcher dispatches notices to the functions given to Watch.
type watcher struct {
	dsn string // PostgreSQL: the database to LISTEN on

	mu     sync.Mutex
	fns    []func(topic string, n int64)
	last   int64 // newest feed seq dispatched
	cancel context.CancelFunc
	done   chan struct{}
}

// Watch calls fn with every notice from now on: TopicFeed with the
// journal's new top after a write committed on any node (0: look anyway),
// TopicSessions, TopicGrids. fn runs on the notifying goroutine and must not block.
func (s *Store) Watch(fn func(topic string, n int64)) {
	w := s.watch
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fns = append(w.fns, fn)
	if s.db.pg && w.cancel == nil {
		ctx, cancel := context.WithCancel(context.Background())
		w.cancel, w.done = cancel, make(chan struct{})
		go w.listen(ctx)
	}
}

func (s *Store) stopWatch() {
	w := s.watch
	if w == nil {
		return
	}
	w.mu.Lock()
	cancel, done := w.cancel, w.done
	w.cancel = nil
	w.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// dispatch hands a notice to the watchers; a feed notice at or below one
// already dispatched is dropped (this node's own writes come back through
// LISTEN after they woke it directly).
func (w *watcher) dispatch(topic string, n int64) {
	w.mu.Lock()
	if topic == TopicFeed {
		if n != 0 && n <= w.last {
			w.mu.Unlock()
			return
		}
		w.last = max(w.last, n)
	}
	fns := append([]func(string, int64){}, w.fns...)
	w.mu.Unlock()
	for _, fn := range fns {
		fn(topic, n)
	}
}

// wake tells this process's watchers that a local write committed.
func (s *Store) wake(top int64) { s.watch.dispatch(TopicFeed, top) }

// announce sends a notice from inside a transaction: on PostgreSQL it is
// delivered when the transaction commits, and not at all if it rolls back.
func (t *Tx) announce(topic string, n int64) error {
	if slices.Contains(t.notices, topic) {
		return nil
	}
	if !t.tx.pg {
		if topic != TopicFeed {
			t.notices = append(t.notices, topic)
		}
		return nil
	}
	if _, err := t.tx.ExecContext(t.ctx, `SELECT pg_notify(?, ?)`, notifyChannel, topic+":"+strconv.FormatInt(n, 10)); err != nil {
		return fmt.Errorf("store: notify %s: %w", topic, err)
	}
	if topic != TopicFeed {
		t.notices = append(t.notices, topic)
	}
	return nil
}

// Announce sends a notice to every node (TopicSessions, TopicGrids),
// this one included.
func (t *Tx) Announce(topic string) error { return t.announce(topic, 0) }

// Announce sends a notice to every node in a transaction of its own.
func (s *Store) Announce(ctx context.Context, topic string) error {
	return s.Update(ctx, func(tx *Tx) error { return tx.Announce(topic) })
}

// listen keeps a LISTEN connection to the database until ctx ends,
// reconnecting after a failure. After each (re)connection it wakes the
// watchers once: notices sent while it was away are lost, and the readers
// look at the journal themselves.
func (w *watcher) listen(ctx context.Context) {
	defer close(w.done)
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := w.listenOnce(ctx, func() { backoff = 100 * time.Millisecond })
		if ctx.Err() != nil {
			return
		}
		slog.Warn("store: LISTEN connection lost; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func (w *watcher) listenOnce(ctx context.Context, connected func()) error {
	c, err := pgx.Connect(ctx, w.dsn)
	if err != nil {
		return err
	}
	defer c.Close(context.WithoutCancel(ctx))
	if _, err := c.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return err
	}
	connected()
	w.dispatch(TopicFeed, 0)
	w.dispatch(TopicSessions, 0)
	w.dispatch(TopicGrids, 0)
	for {
		n, err := c.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		topic, num, _ := strings.Cut(n.Payload, ":")
		v, _ := strconv.ParseInt(num, 10, 64)
		w.dispatch(topic, v)
	}
}
