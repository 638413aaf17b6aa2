package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Bulk writing, for what fills a database at once (the city seed,
// migrate-db): one transaction, rows sent in large batches: COPY on
// PostgreSQL, INSERTs of many rows each on SQLite.

// sink takes rows for tables inside one bulk transaction.
type sink interface {
	insert(table string, cols []string, rows [][]any) error
	exec(q string, args ...any) error
	top() (int64, error) // the feed's counter
}

// bulk runs fn in one write transaction with a sink. On PostgreSQL it holds
// the feed's row like every writer.
func (s *Store) bulk(ctx context.Context, fn func(sink) error) error {
	if !s.db.pg {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := fn(&sqliteSink{ctx: ctx, tx: tx}); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	c, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(context.WithoutCancel(ctx))
		if _, err := tx.Exec(ctx, `SELECT seq FROM feed WHERE id = 1 FOR UPDATE`); err != nil {
			return err
		}
		if err := fn(&pgSink{ctx: ctx, tx: tx}); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

type pgSink struct {
	ctx context.Context
	tx  pgx.Tx
}

func (p *pgSink) insert(table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = strings.Trim(c, `"`)
	}
	if _, err := p.tx.CopyFrom(p.ctx, pgx.Identifier{table}, quoted, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	return nil
}

func (p *pgSink) exec(q string, args ...any) error {
	_, err := p.tx.Exec(p.ctx, rebind(q), args...)
	return err
}

func (p *pgSink) top() (int64, error) {
	var top int64
	err := p.tx.QueryRow(p.ctx, `SELECT seq FROM feed WHERE id = 1`).Scan(&top)
	return top, err
}

type sqliteSink struct {
	ctx context.Context
	tx  *sql.Tx
}

func (s *sqliteSink) insert(table string, cols []string, rows [][]any) error {
	per := max(1, min(500, 30000/len(cols))) // SQLite takes at most 32766 parameters
	one := "(?" + strings.Repeat(",?", len(cols)-1) + ")"
	for start := 0; start < len(rows); start += per {
		batch := rows[start:min(start+per, len(rows))]
		args := make([]any, 0, len(batch)*len(cols))
		for _, r := range batch {
			args = append(args, r...)
		}
		q := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES ` + one + strings.Repeat(","+one, len(batch)-1)
		if _, err := s.tx.ExecContext(s.ctx, q, args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

func (s *sqliteSink) exec(q string, args ...any) error {
	_, err := s.tx.ExecContext(s.ctx, q, args...)
	return err
}

func (s *sqliteSink) top() (int64, error) {
	var top int64
	err := s.tx.QueryRowContext(s.ctx, `SELECT seq FROM feed WHERE id = 1`).Scan(&top)
	return top, err
}

// analyze refreshes the planner's statistics after a bulk write: without
// them PostgreSQL plans a filled database as an empty one (sequential scans
// of millions of journal rows); VACUUM also marks the pages all-visible, so
// a desk's pages are read from the scopes' index alone.
func (s *Store) analyze(ctx context.Context) error {
	q := `VACUUM ANALYZE`
	if !s.db.pg {
		q = `PRAGMA optimize`
	}
	if _, err := s.db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("store: analyze: %w", err)
	}
	return nil
}
