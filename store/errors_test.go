package store

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// Both engines' errors map to the same sentinels, so the server answers a
// full disk with 507 and a taken name with 409 whichever engine it runs on.
func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"postgres disk full", &pgconn.PgError{Code: "53100"}, ErrDiskFull},
		{"postgres unique violation", fmt.Errorf("put user: %w", &pgconn.PgError{Code: "23505"}), ErrConflict},
		{"postgres other", &pgconn.PgError{Code: "40001"}, nil},
		{"plain error", errors.New("boom"), nil},
		{"nil", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := classify(tc.err)
			for _, s := range []error{ErrDiskFull, ErrConflict} {
				if errors.Is(got, s) != (s == tc.want) {
					t.Errorf("classify(%v) = %v; is %v: %v, want %v", tc.err, got, s, errors.Is(got, s), s == tc.want)
				}
			}
			if !errors.Is(got, tc.err) && tc.err != nil {
				t.Errorf("classify(%v) lost the driver's error: %v", tc.err, got)
			}
		})
	}
}
