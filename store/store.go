// Package store holds GridDesk's domain types and their SQLite storage.
//
// One schema serves both sides: the server keeps the truth in it and, with
// Options.Journal set, records every write in the change journal that desks
// pull from; the desk keeps a full local copy and applies those changes.
// Migrations are numbered SQL files embedded in the binary and applied in a
// transaction each. The driver is modernc.org/sqlite (pure Go, no cgo).
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"griddesk/domain"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a row asked for by ID does not exist. It is
// domain.ErrNotFound, so either name matches with errors.Is.
var ErrNotFound = domain.ErrNotFound

//go:embed migrations/*.sql
var migrationFS embed.FS

// Options tune a Store.
type Options struct {
	// Journal records every write in the change journal (server side).
	Journal bool
}

// Store is GridDesk's SQLite database.
type Store struct {
	db      *sql.DB
	journal bool
	path    string
	// sizeCap is the most pages the database may grow to (SetSizeCap), 0
	// for SQLite's own limit; capped tells whether one was ever set.
	sizeCap atomic.Int64
	capped  atomic.Bool
}

// SetSizeCap caps the database at pages pages of its page size (0: no cap
// but SQLite's own): a write that would grow it further fails with
// ErrDiskFull, as on a full disk. Operators use it to keep a database off
// the last free bytes of its disk; tests use it to fill "the disk".
func (s *Store) SetSizeCap(pages int64) {
	s.sizeCap.Store(pages)
	s.capped.Store(true)
}

// Open opens (creating if needed) the database at path and migrates it.
// Use ":memory:" only in tests; it is turned into a shared in-memory database.
func Open(ctx context.Context, p string, opts Options) (*Store, error) {
	dsn := dataSource(p)
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", p, err)
	}
	if p == ":memory:" {
		db.SetMaxOpenConns(1)
	} else {
		// keep connections: opening one re-reads the schema, and a server
		// with hundreds of desks long-polling would open one per request.
		// (No cap on open connections: a command handler reads through a
		// second connection inside its transaction.)
		db.SetMaxIdleConns(64)
	}
	s := &Store{db: db, journal: opts.Journal, path: p}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", p, err)
	}
	return s, nil
}

func dataSource(p string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	if p == ":memory:" {
		return "file::memory:?" + q.Encode()
	}
	q.Add("_pragma", "journal_mode(WAL)")
	return "file:" + p + "?" + q.Encode()
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Path is the file the store lives in.
func (s *Store) Path() string { return s.path }

// DB exposes the handle to the storage code under store/ (snapshots); the
// layout test keeps every other package from calling it.
func (s *Store) DB() *sql.DB { return s.db }

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, n := range names {
		base := path.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", base)
		}
		body, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// SchemaVersion is the newest migration this build knows.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	var cur int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if n := len(ms); n > 0 && cur > ms[n-1].version {
		return fmt.Errorf("database schema %d is newer than this program (%d)", cur, ms[n-1].version)
	}
	for _, m := range ms {
		if m.version <= cur {
			continue
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// Tx is one write transaction. Every Put/Delete also lands in the change
// journal when the store keeps one.
type Tx struct {
	tx      *sql.Tx
	ctx     context.Context
	journal bool
	now     int64
	stmts   map[string]*sql.Stmt
	shadows bool                // KeepShadows: writes keep the rows' server state first
	touched map[domain.Ref]bool // the synced rows written (touch)
	order   []domain.Ref
}

// Update runs fn in one transaction: all of it lands, or none.
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	sqlTx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", classify(err))
	}
	tx := &Tx{tx: sqlTx, ctx: ctx, journal: s.journal, now: time.Now().UnixMilli(), stmts: map[string]*sql.Stmt{}}
	defer func() {
		for _, st := range tx.stmts {
			st.Close()
		}
	}()
	if s.capped.Load() { // the cap is per connection: set it on this one
		pages := s.sizeCap.Load()
		if pages <= 0 {
			pages = 1<<30 - 1 // SQLite's default
		}
		if _, err := sqlTx.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
			sqlTx.Rollback()
			return fmt.Errorf("store: size cap: %w", err)
		}
	}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", classify(err))
	}
	return nil
}

// exec runs a statement, preparing it once per transaction.
func (t *Tx) exec(query string, args ...any) (sql.Result, error) {
	st, ok := t.stmts[query]
	if !ok {
		var err error
		st, err = t.tx.PrepareContext(t.ctx, query)
		if err != nil {
			return nil, classify(err)
		}
		t.stmts[query] = st
	}
	res, err := st.ExecContext(t.ctx, args...)
	return res, classify(err)
}

// Now is the transaction's clock, in unix milliseconds.
func (t *Tx) Now() int64 { return t.now }

// SetMeta stores a key/value pair.
func (t *Tx) SetMeta(key, value string) error {
	if _, err := t.exec(`INSERT INTO meta(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("store: set meta %s: %w", key, err)
	}
	return nil
}

// Meta reads a key; a missing key is "" with no error.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: meta %s: %w", key, err)
	}
	return v, nil
}

// SetMeta stores a key/value pair in its own transaction.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	return s.Update(ctx, func(tx *Tx) error { return tx.SetMeta(key, value) })
}
