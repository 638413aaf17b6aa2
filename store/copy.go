package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
)

// ErrNotEmpty is returned by Copy when the destination holds data.
var ErrNotEmpty = errors.New("the destination database is not empty")

// copyBatch is how many rows Copy sends at once.
const copyBatch = 5000

// Copy moves every row of src into dst, an empty database of either
// engine (a town that outgrew SQLite moves to PostgreSQL): the domain
// rows, the change journal with its sequence numbers and scopes, the audit
// log, users' credentials and sessions, the photos with their renditions,
// the counters and the server's identity, so that desks go on from their
// cursors as if nothing happened. It reads src in one consistent view and
// writes dst in one transaction, then counts every table on both sides:
// it returns the counts, and an error when any differs.
func Copy(ctx context.Context, dst, src *Store, progress func(table string, rows int)) (map[string]int, error) {
	var users, changes int
	if err := dst.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM changes)`).Scan(&users, &changes); err != nil {
		return nil, fmt.Errorf("store: copy: %w", err)
	}
	if users+changes > 0 {
		return nil, fmt.Errorf("store: copy to %s: %w (%d users, %d journal rows)", dst.path, ErrNotEmpty, users, changes)
	}
	tables, err := src.tableList(ctx)
	if err != nil {
		return nil, err
	}
	// users first: credentials and sessions refer to them
	sort.SliceStable(tables, func(i, j int) bool { return tables[i] == "users" && tables[j] != "users" })
	view, err := src.View(ctx)
	if err != nil {
		return nil, err
	}
	defer view.Close()
	copied := map[string]int{}
	err = dst.bulk(ctx, func(k sink) error {
		if err := k.exec(`DELETE FROM meta`); err != nil { // only what opening it wrote
			return err
		}
		for _, t := range tables {
			switch t {
			case "feed", "sqlite_sequence": // the counter follows the journal; SQLite's own
				continue
			}
			n, err := copyTable(ctx, k, view, t, progress)
			if err != nil {
				return fmt.Errorf("table %s: %w", t, err)
			}
			copied[t] = n
		}
		return k.exec(`UPDATE feed SET seq = (SELECT COALESCE(MAX(seq), 0) FROM changes) WHERE id = 1`)
	})
	if err != nil {
		return nil, fmt.Errorf("store: copy %s to %s: %w", src.path, dst.path, err)
	}
	// the counts, on both sides
	for t, n := range copied {
		var got int
		if err := dst.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM "`+t+`"`).Scan(&got); err != nil {
			return copied, fmt.Errorf("store: copy: count %s: %w", t, err)
		}
		var had int
		if err := src.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM "`+t+`"`).Scan(&had); err != nil {
			return copied, fmt.Errorf("store: copy: count %s: %w", t, err)
		}
		if got != n || had != n {
			return copied, fmt.Errorf("store: copy: table %s: %d rows read, %d in the source, %d in the destination", t, n, had, got)
		}
	}
	if err := dst.analyze(ctx); err != nil {
		return copied, err
	}
	dst.watch.dispatch(TopicGrids, 0)
	dst.watch.dispatch(TopicSessions, 0)
	return copied, nil
}

// copyTable sends one table's rows from a view to a sink, in batches.
func copyTable(ctx context.Context, k sink, v *View, table string, progress func(string, int)) (int, error) {
	rows, err := v.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = `"` + c + `"`
	}
	n := 0
	batch := make([][]any, 0, copyBatch)
	flush := func() error {
		if err := k.insert(table, quoted, batch); err != nil {
			return err
		}
		n += len(batch)
		batch = batch[:0]
		if progress != nil {
			progress(table, n)
		}
		return nil
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		batch = append(batch, vals)
		if len(batch) == copyBatch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	if len(batch) > 0 || n == 0 {
		if err := flush(); err != nil {
			return n, err
		}
	}
	return n, nil
}
