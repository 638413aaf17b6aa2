package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Looking at a whole database: tests prove with these that refused input
// changed nothing, and that a wiped copy is as fresh as a new one.

// tableList returns every table of the schema, by name.
func (s *Store) tableList(ctx context.Context) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name <> '` + gooseTable + `' ORDER BY name`
	if s.db.pg {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
			AND table_type = 'BASE TABLE' AND table_name NOT IN ('` + gooseTable + `', 'spatial_ref_sys') ORDER BY table_name`
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: tables: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("store: tables: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Fingerprint hashes every row of every table.
func (s *Store) Fingerprint(ctx context.Context) (string, error) {
	tables, err := s.tableList(ctx)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, tbl := range tables {
		if err := s.hashTable(ctx, tbl, h); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (s *Store) hashTable(ctx context.Context, tbl string, h interface{ Write([]byte) (int, error) }) error {
	rs, err := s.db.QueryContext(ctx, `SELECT * FROM "`+tbl+`" ORDER BY 1`)
	if err != nil {
		return fmt.Errorf("store: fingerprint %s: %w", tbl, err)
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return fmt.Errorf("store: fingerprint %s: %w", tbl, err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	fmt.Fprintf(h, "table %s\n", tbl)
	for rs.Next() {
		if err := rs.Scan(ptrs...); err != nil {
			return fmt.Errorf("store: fingerprint %s: %w", tbl, err)
		}
		fmt.Fprintf(h, "%v\n", vals)
	}
	return rs.Err()
}

// Summary describes the database in one line: the row count of every table,
// the journal's newest seq and the whole meta table. Against a fresh store that is exact: any row
// written shows.
func (s *Store) Summary(ctx context.Context) (string, error) {
	tables, err := s.tableList(ctx)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, t := range tables {
		switch t {
		case "meta":
		case "changes": // a journal row rewritten keeps the count but not its seq
			parts = append(parts, `'changes=' || (SELECT COUNT(*) || '/' || COALESCE(MAX(seq), 0) FROM changes)`)
		default:
			parts = append(parts, fmt.Sprintf(`'%s=' || (SELECT count(*) FROM "%s")`, t, t))
		}
	}
	concat := `group_concat(key || ':' || value, ';')`
	if s.db.pg {
		concat = `string_agg(key || ':' || value, ';')`
	}
	parts = append(parts, `'meta=' || COALESCE((SELECT `+concat+` FROM (SELECT key, value FROM meta ORDER BY key) m), '')`)
	var out string
	if err := s.db.QueryRowContext(ctx, `SELECT `+strings.Join(parts, ` || ' ' || `)).Scan(&out); err != nil {
		return "", fmt.Errorf("store: summary: %w", err)
	}
	return out, nil
}

// Wipe empties every table but meta and forgets the desk's sync state (the
// replica.* keys): a copy as fresh as a new one.
func (s *Store) Wipe(ctx context.Context) error {
	tables, err := s.tableList(ctx)
	if err != nil {
		return err
	}
	return s.Update(ctx, func(tx *Tx) error {
		for _, t := range tables {
			switch t {
			case "meta":
				continue
			case "feed": // the counter row stays, back at the start
				if _, err := tx.exec(`UPDATE feed SET seq = 0`); err != nil {
					return fmt.Errorf("store: wipe %s: %w", t, err)
				}
				continue
			case "sqlite_sequence": // goose's own counter stays
				if _, err := tx.exec(`DELETE FROM sqlite_sequence WHERE name <> '` + gooseTable + `'`); err != nil {
					return fmt.Errorf("store: wipe %s: %w", t, err)
				}
				continue
			}
			if _, err := tx.exec(`DELETE FROM "` + t + `"`); err != nil {
				return fmt.Errorf("store: wipe %s: %w", t, err)
			}
		}
		if _, err := tx.exec(`DELETE FROM meta WHERE key LIKE 'replica.%'`); err != nil {
			return fmt.Errorf("store: wipe meta: %w", err)
		}
		return nil
	})
}

var errProbe = errors.New("probe: rolled back")

// ProbeSpace tries a write that needs free pages and takes it back: it
// returns ErrDiskFull while the disk (or the size cap) is full, nil once
// there is room again.
func (s *Store) ProbeSpace(ctx context.Context) error {
	err := s.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`INSERT INTO meta(key, value) VALUES ('probe.space', ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, strings.Repeat("x", 16<<10)); err != nil {
			return err
		}
		return errProbe
	})
	if errors.Is(err, errProbe) {
		return nil
	}
	return err
}
