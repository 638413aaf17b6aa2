// Package store is GridDesk's persistence: its domain rows, the change
// journal desks pull from, and the server's records (sessions, audit log,
// photos), on SQLite or PostgreSQL.
//
// One schema serves both sides: the server keeps the truth in it and, with
// Options.Journal set, records every write in the change journal that desks
// pull from; the desk keeps a copy of its scope and applies those changes.
// A desk's copy and a town's server are a SQLite file (modernc.org/sqlite,
// pure Go, no cgo); a city's server is PostgreSQL 15 with PostGIS 3 (pgx v5
// through database/sql), which several server nodes share. Migrations are
// numbered SQL files embedded in the binary, one history per engine, applied
// by goose in a transaction each (migrate.go).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"griddesk/domain"
	"net/url"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// ErrNotFound is returned when a row asked for by ID does not exist. It is
// domain.ErrNotFound, so either name matches with errors.Is.
var ErrNotFound = domain.ErrNotFound

// Options tune a Store.
type Options struct {
	// Journal records every write in the change journal (server side).
	Journal bool
}

// Store is GridDesk's database: a SQLite file or a PostgreSQL database.
type Store struct {
	db      conn
	journal bool
	path    string
	watch   *watcher
	// sizeCap is the most pages the database may grow to (SetSizeCap), 0
	// for SQLite's own limit; capped tells whether one was ever set.
	sizeCap atomic.Int64
	capped  atomic.Bool
}

// SetSizeCap caps a SQLite database at pages pages of its page size (0: no
// cap but SQLite's own): a write that would grow it further fails with
// ErrDiskFull, as on a full disk. Operators use it to keep a database off
// the last free bytes of its disk; tests use it to fill "the disk". On
// PostgreSQL the DBA sizes the cluster's disk; a full one is ErrDiskFull
// too (SQLSTATE 53100).
func (s *Store) SetSizeCap(pages int64) {
	s.sizeCap.Store(pages)
	s.capped.Store(true)
}

// Open opens (creating if needed) the database and migrates it. p is a
// SQLite file, or a postgres:// URL (IsPostgres). Use ":memory:" only in
// tests; it is turned into a shared in-memory database.
func Open(ctx context.Context, p string, opts Options) (*Store, error) {
	name := p
	if IsPostgres(p) {
		name = redactURL(p)
	}
	var db *sql.DB
	var err error
	if IsPostgres(p) {
		db, err = sql.Open("pgx", p)
	} else {
		db, err = sql.Open("sqlite", dataSource(p))
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", name, err)
	}
	switch {
	case IsPostgres(p):
		// every node keeps a pool; a long-poll holds no connection while it
		// waits, so a few dozen serve hundreds of desks
		db.SetMaxOpenConns(48)
		db.SetMaxIdleConns(48) // as many as open: a connection closed when the idle ones are full costs a new backend and a SCRAM handshake
		db.SetConnMaxIdleTime(5 * time.Minute)
	case p == ":memory:":
		db.SetMaxOpenConns(1)
	default:
		// keep connections: opening one re-reads the schema, and a server
		// with hundreds of desks long-polling would open one per request.
		// (No cap on open connections: a command handler reads through a
		// second connection inside its transaction.)
		db.SetMaxIdleConns(64)
	}
	s := &Store{db: conn{DB: db, pg: IsPostgres(p)}, journal: opts.Journal, path: name, watch: &watcher{}}
	if IsPostgres(p) {
		s.watch.dsn = p
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", name, err)
	}
	if opts.Journal {
		if err := s.scopeJournal(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: open %s: %w", name, err)
		}
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

// redactURL hides the password of a database URL for messages and logs.
func redactURL(p string) string {
	u, err := url.Parse(p)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// Close closes the database.
func (s *Store) Close() error {
	s.stopWatch()
	return s.db.Close()
}

// Path is the file the store lives in, or its PostgreSQL URL without the
// password.
func (s *Store) Path() string { return s.path }

// DB exposes the handle to the storage code under store/ (snapshots); the
// layout test keeps every other package from calling it.
func (s *Store) DB() *sql.DB { return s.db.DB }

// Tx is one write transaction. Every Put/Delete also lands in the change
// journal when the store keeps one.
type Tx struct {
	tx      sqlTx
	ctx     context.Context
	journal bool
	now     int64
	stmts   map[string]*sql.Stmt
	shadows bool                // KeepShadows: writes keep the rows' server state first
	touched map[domain.Ref]bool // the synced rows written (touch)
	order   []domain.Ref
	// the journal rows this transaction writes, numbered when it commits
	// (change.go): the newest state of each row it touched
	entries []entry
	entry   map[domain.Ref]int
	notices []string // topics announced, for this process's watchers after the commit
}

// Update runs fn in one transaction: all of it lands, or none.
//
// Writers take turns. SQLite's BEGIN IMMEDIATE makes them; on PostgreSQL
// the transaction first locks the feed's counter row, so two server nodes
// run their writes one after the other as one SQLite file does: a command
// reads a case, checks its state and version and writes it back, and no
// other write may slip between the read and the write. The journal rows are
// numbered from the same counter at commit (change.go), so the feed's order
// is the commit order. Reads never wait for it.
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	raw, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", classify(err))
	}
	sqlTx := sqlTx{Tx: raw, pg: s.db.pg}
	if s.db.pg {
		if _, err := sqlTx.ExecContext(ctx, `SELECT seq FROM feed WHERE id = 1 FOR UPDATE`); err != nil {
			raw.Rollback()
			return fmt.Errorf("store: begin: %w", err)
		}
	}
	tx := &Tx{tx: sqlTx, ctx: ctx, journal: s.journal, now: time.Now().UnixMilli(), stmts: map[string]*sql.Stmt{}}
	defer func() {
		for _, st := range tx.stmts {
			st.Close()
		}
	}()
	if s.capped.Load() && !s.db.pg { // the cap is per connection: set it on this one
		pages := s.sizeCap.Load()
		if pages <= 0 {
			pages = 1<<30 - 1 // SQLite's default
		}
		if _, err := sqlTx.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
			raw.Rollback()
			return fmt.Errorf("store: size cap: %w", err)
		}
	}
	if err := fn(tx); err != nil {
		raw.Rollback()
		return err
	}
	top, err := tx.flush()
	if err != nil {
		raw.Rollback()
		return classify(err)
	}
	if err := raw.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", classify(err))
	}
	if top > 0 {
		s.wake(top)
	}
	for _, topic := range tx.notices {
		s.watch.dispatch(topic, 0)
	}
	return nil
}

// exec runs a statement. On SQLite it is prepared once per transaction
// (a batch writes thousands of rows with a few statements); pgx keeps its
// own cache of prepared statements per connection.
func (t *Tx) exec(query string, args ...any) (sql.Result, error) {
	if t.tx.pg {
		res, err := t.tx.ExecContext(t.ctx, query, args...)
		return res, classify(err)
	}
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

// View is one consistent read of the store, for readers that read many
// tables and must see them as of one moment while writers go on (a
// snapshot export): a deferred transaction on SQLite (WAL readers do not
// block writers), a read-only REPEATABLE READ transaction on PostgreSQL.
// Queries take ? placeholders on both engines. Close ends it.
type View struct {
	c  *sql.Conn
	tx *sql.Tx
	pg bool
}

// View opens a consistent read.
func (s *Store) View(ctx context.Context) (*View, error) {
	c, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: view: %w", err)
	}
	v := &View{c: c, pg: s.db.pg}
	if s.db.pg {
		if v.tx, err = c.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}); err != nil {
			c.Close()
			return nil, fmt.Errorf("store: view: %w", err)
		}
		return v, nil
	}
	// BEGIN (deferred), not the BEGIN IMMEDIATE of the store's writers
	if _, err := c.ExecContext(ctx, "BEGIN"); err != nil {
		c.Close()
		return nil, fmt.Errorf("store: view: %w", err)
	}
	return v, nil
}

// QueryContext runs a query in the view.
func (v *View) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if v.pg {
		return v.tx.QueryContext(ctx, rebind(q), args...)
	}
	return v.c.QueryContext(ctx, q, args...)
}

// Close ends the view.
func (v *View) Close() error {
	if v.pg {
		v.tx.Rollback()
	} else {
		v.c.ExecContext(context.Background(), "ROLLBACK")
	}
	return v.c.Close()
}

// Backup writes a consistent copy of a SQLite database to path while it is
// in use (VACUUM INTO: readers and writers go on). A PostgreSQL database is
// backed up with pg_dump.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.db.pg {
		return fmt.Errorf("store: backup %s: use pg_dump for PostgreSQL", s.path)
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("store: backup %s to %s: %w", s.path, path, err)
	}
	return nil
}
