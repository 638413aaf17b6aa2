package store

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The database's refusals that callers act on.
var (
	// ErrDiskFull: the disk (or the database's size limit) is full; nothing
	// of the transaction was kept. The server answers 507 until space is
	// freed.
	ErrDiskFull = errors.New("the database disk is full")
	// ErrConflict: a unique key is taken (a user name created twice at once).
	ErrConflict = errors.New("already exists")
)

// classify wraps a driver error with the sentinel it stands for.
func classify(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "53100": // disk_full
			return fmt.Errorf("%w: %w", ErrDiskFull, err)
		case "23505": // unique_violation
			return fmt.Errorf("%w: %w", ErrConflict, err)
		}
		return err
	}
	var se *sqlite.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff { // the primary result code
	case sqlite3.SQLITE_FULL:
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return err
}
