package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
)

// The two engines. SQLite keeps a desk's copy and a town's server in one
// file; PostgreSQL (with PostGIS) keeps a city's, shared by several server
// nodes. The SQL of the store is written once, with ? placeholders and
// syntax both accept (INSERT … ON CONFLICT … DO UPDATE, CAST, COALESCE);
// the few statements that differ ask the store's dialect. The rebinding of
// ? into PostgreSQL's $n happens here, under every query, so the files of
// the aggregates read the same for both.
const (
	EngineSQLite   = "sqlite"
	EnginePostgres = "postgres"
)

// IsPostgres reports whether a -db value names a PostgreSQL database
// (postgres:// or postgresql:// URL) rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Engine is the engine the store runs on: EngineSQLite or EnginePostgres.
func (s *Store) Engine() string {
	if s.db.pg {
		return EnginePostgres
	}
	return EngineSQLite
}

// rebound caches the PostgreSQL form of each query text.
var rebound sync.Map // string → string

// rebind turns ? placeholders into $1, $2 … outside quoted text and comments.
func rebind(q string) string {
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	if !strings.Contains(q, "?") {
		rebound.Store(q, q)
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) && q[j] != c {
				j++
			}
			b.WriteString(q[i:min(j+1, len(q))])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j - 1
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	out := b.String()
	rebound.Store(q, out)
	return out
}

// conn is the store's *sql.DB with the engine's placeholders: the
// aggregates' files call QueryContext and friends on it as on a *sql.DB.
type conn struct {
	*sql.DB
	pg bool
}

func (c conn) bind(q string) string {
	if c.pg {
		return rebind(q)
	}
	return q
}

func (c conn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return c.DB.QueryContext(ctx, c.bind(q), args...)
}

func (c conn) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return c.DB.QueryRowContext(ctx, c.bind(q), args...)
}

func (c conn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return c.DB.ExecContext(ctx, c.bind(q), args...)
}

// sqlTx is a transaction with the engine's placeholders.
type sqlTx struct {
	*sql.Tx
	pg bool
}

func (t sqlTx) bind(q string) string {
	if t.pg {
		return rebind(q)
	}
	return q
}

func (t sqlTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(ctx, t.bind(q), args...)
}

func (t sqlTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(ctx, t.bind(q), args...)
}

func (t sqlTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(ctx, t.bind(q), args...)
}

func (t sqlTx) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return t.Tx.PrepareContext(ctx, t.bind(q))
}

// upsertSQL is the statement that inserts a row of table or, when its id
// exists, replaces every other column: the form both engines accept (not
// SQLite's INSERT OR REPLACE, which also deletes and re-inserts).
func upsertSQL(table, cols string) string {
	names := strings.Split(cols, ",")
	var set []string
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
		if names[i] != "id" {
			set = append(set, names[i]+" = excluded."+names[i])
		}
	}
	return `INSERT INTO ` + table + ` (` + strings.Join(names, ", ") + `) VALUES (?` + strings.Repeat(",?", len(names)-1) +
		`) ON CONFLICT (id) DO UPDATE SET ` + strings.Join(set, ", ")
}
