package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"griddesk/domain"
)

// What the door plate's public pages need (server/web): an entity found by
// the token printed on its plate, counters that limit the public forms on
// every server node at once, and the phone number a complainant left, kept
// apart from the case so that no feed, snapshot or desk copy carries it.

// EntityByToken returns the entity whose door plate carries token.
func (s *Store) EntityByToken(ctx context.Context, token string) (domain.Entity, error) {
	if token == "" {
		return domain.Entity{}, fmt.Errorf("store: entity by token: %w", ErrNotFound)
	}
	e, err := scanEntity(s.db.QueryRowContext(ctx, `SELECT `+entityCols+` FROM entities WHERE qr_token = ?`, token))
	if err != nil {
		return e, fmt.Errorf("store: entity by token: %w", notFound(err))
	}
	return e, nil
}

// Hit counts one use of key in a fixed window starting at its first use and
// reports whether it stays within most; a use over the limit is not counted.
// Counting and checking happen in the caller's transaction, so uses sent at
// once are all counted. Counters idle for a window are dropped on the way.
func (t *Tx) Hit(key string, most int, window time.Duration, now time.Time) (bool, error) {
	var hits int
	var start int64
	err := t.tx.QueryRowContext(t.ctx, `SELECT hits, window_start FROM rate_limits WHERE key = ?`, key).Scan(&hits, &start)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		hits, start = 0, ms(now)
	case err != nil:
		return false, fmt.Errorf("store: rate limit %s: %w", key, err)
	}
	if now.Sub(fromMS(start)) >= window {
		hits, start = 0, ms(now)
	}
	if hits >= most {
		return false, nil
	}
	if _, err := t.exec(`INSERT INTO rate_limits (key, hits, window_start) VALUES (?,?,?)
		ON CONFLICT(key) DO UPDATE SET hits = excluded.hits, window_start = excluded.window_start`, key, hits+1, start); err != nil {
		return false, fmt.Errorf("store: rate limit %s: %w", key, err)
	}
	if _, err := t.exec(`DELETE FROM rate_limits WHERE window_start < ?`, ms(now.Add(-24*time.Hour))); err != nil {
		return false, fmt.Errorf("store: purge rate limits: %w", err)
	}
	return true, nil
}

// PutContact keeps the phone number left with a case.
func (t *Tx) PutContact(caseID, phone string, now time.Time) error {
	if _, err := t.exec(`INSERT INTO case_contacts (case_id, phone, created_at) VALUES (?,?,?)
		ON CONFLICT(case_id) DO UPDATE SET phone = excluded.phone`, caseID, phone, ms(now)); err != nil {
		return fmt.Errorf("store: contact of case %s: %w", caseID, err)
	}
	return nil
}

// Contact returns the phone number left with a case ("" when none was).
func (s *Store) Contact(ctx context.Context, caseID string) (string, error) {
	var phone string
	err := s.db.QueryRowContext(ctx, `SELECT phone FROM case_contacts WHERE case_id = ?`, caseID).Scan(&phone)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: contact of case %s: %w", caseID, err)
	}
	return phone, nil
}

// VisitsBetween returns the planned visits whose day lies in [from, to), by
// team, day and order (a grid worker's phone asks for today's).
func (s *Store) VisitsBetween(ctx context.Context, from, to time.Time) ([]domain.Visit, error) {
	return s.visits(ctx, "visits between", `day >= ? AND day < ? ORDER BY team_id, day, seq`, ms(from), ms(to))
}

// UnitCases returns the cases assigned to any of units that wait for them
// (dispatched, accepted, on site, or deferred there), newest first.
func (s *Store) UnitCases(ctx context.Context, units []string) ([]domain.Case, error) {
	if len(units) == 0 {
		return nil, nil
	}
	q := `SELECT ` + caseCols + ` FROM cases WHERE status IN ('dispatched','accepted','on_site','deferred') AND unit_id IN (?` +
		strings.Repeat(",?", len(units)-1) + `) ORDER BY reported_at DESC, id`
	args := make([]any, len(units))
	for i, u := range units {
		args[i] = u
	}
	return s.queryCases(ctx, q, args...)
}
