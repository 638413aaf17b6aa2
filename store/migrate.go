package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"strconv"
	"strings"
	"testing/fstest"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"github.com/pressly/goose/v3/lock"
)

// Migrations: one numbered history per engine, plain SQL files embedded in
// the binary (migrations/*.sql for SQLite, migrations/postgres/*.sql for
// PostgreSQL). A change to the schema is a new file in each, under the
// same number, so that SchemaVersion means one schema on both engines.
//
// They are applied by goose (github.com/pressly/goose/v3), chosen over the
// twenty lines of PRAGMA user_version this store had because a city runs
// several server nodes over one PostgreSQL database: goose holds a
// PostgreSQL advisory lock while it migrates, so two nodes started together
// do not both apply a migration; it records each version with its time in
// goose_db_version, which a DBA can read (and goose's command line can
// report on); it speaks both dialects and runs each file in a transaction.
// Its version 3.29 is the newest whose requirements do not move the
// project's other modules. A file needs no goose annotation: the store adds
// "-- +goose Up" to files without one, so the history stays plain SQL.
//
// A SQLite database made before goose kept its version in PRAGMA
// user_version; on first open its versions are written into goose's table,
// and user_version still follows the newest version, so an older program
// keeps refusing a newer database.

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// migrationFiles returns an engine's history as goose reads it.
func migrationFiles(pg bool) (fs.FS, int64, error) {
	dir := "migrations"
	if pg {
		dir = "migrations/postgres"
	}
	names, err := fs.Glob(migrationFS, dir+"/*.sql")
	if err != nil {
		return nil, 0, err
	}
	files := fstest.MapFS{}
	var newest int64
	for _, n := range names {
		base := path.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil {
			return nil, 0, fmt.Errorf("migration %s: name must start with a number", n)
		}
		body, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, 0, err
		}
		if !strings.Contains(string(body), "-- +goose Up") {
			body = append([]byte("-- +goose Up\n"), body...)
		}
		files[base] = &fstest.MapFile{Data: body}
		newest = max(newest, v)
	}
	return files, newest, nil
}

// SchemaVersion is the newest migration this build knows (the same on
// both engines).
func SchemaVersion() int {
	_, v, err := migrationFiles(false)
	if err != nil {
		return 0
	}
	return int(v)
}

const gooseTable = "goose_db_version"

func (s *Store) migrate(ctx context.Context) error {
	files, newest, err := migrationFiles(s.db.pg)
	if err != nil {
		return err
	}
	dialect := goose.DialectSQLite3
	// Out of order: work done in parallel lands with numbers below ones a
	// database already has (issue 14's 0008 after the city's 0009 and 0010);
	// such a file is applied when it arrives rather than refused. Each file
	// must then stand on its own, as ours do.
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithSlog(slog.New(slog.DiscardHandler)),
		goose.WithAllowOutofOrder(true)}
	if s.db.pg {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	} else if err := s.adoptUserVersion(ctx); err != nil {
		return err
	}
	p, err := goose.NewProvider(dialect, s.db.DB, files, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if !s.db.pg {
		var uv int64 // a newer program keeps it too
		if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&uv); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		cur = max(cur, uv)
	}
	if cur > newest {
		return fmt.Errorf("database schema %d is newer than this program (%d)", cur, newest)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if !s.db.pg {
		if _, err := s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", newest)); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return nil
}

// adoptUserVersion writes the versions a SQLite database recorded in
// PRAGMA user_version (before goose) into goose's table.
func (s *Store) adoptUserVersion(ctx context.Context) error {
	var uv int64
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&uv); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, gooseTable).Scan(&n); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if uv == 0 || n > 0 {
		return nil
	}
	vs, err := database.NewStore(database.DialectSQLite3, gooseTable)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("adopt schema version %d: %w", uv, err)
	}
	defer tx.Rollback()
	if err := vs.CreateVersionTable(ctx, tx); err != nil {
		return fmt.Errorf("adopt schema version %d: %w", uv, err)
	}
	for v := int64(0); v <= uv; v++ {
		if err := vs.Insert(ctx, tx, database.InsertRequest{Version: v}); err != nil {
			return fmt.Errorf("adopt schema version %d: %w", uv, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("adopt schema version %d: %w", uv, err)
	}
	return nil
}

// DBVersion is the newest migration applied to the database.
func (s *Store) DBVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version_id), 0) FROM `+gooseTable+` WHERE is_applied`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}
