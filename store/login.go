package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Sign-in attempts, counted in the database so that every server node
// sees the same counts, and checked and counted in one transaction so that
// guesses sent at once are all counted.

// Attempt is a sign-in attempt's counter: failures since WindowStart, and
// until when the key is refused.
type Attempt struct {
	Key          string
	Failures     int
	WindowStart  time.Time
	BlockedUntil time.Time
}

// Attempt reads a counter (zero when there is none).
func (t *Tx) Attempt(key string) (Attempt, error) {
	a := Attempt{Key: key}
	var start, until int64
	err := t.tx.QueryRowContext(t.ctx, `SELECT failures, window_start, blocked_until FROM login_attempts WHERE key = ?`, key).
		Scan(&a.Failures, &start, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil
	}
	if err != nil {
		return a, fmt.Errorf("store: login attempts %s: %w", key, err)
	}
	a.WindowStart, a.BlockedUntil = fromMS(start), fromMS(until)
	return a, nil
}

// PutAttempt writes a counter; one with no failures is removed.
func (t *Tx) PutAttempt(a Attempt) error {
	if a.Failures <= 0 {
		if _, err := t.exec(`DELETE FROM login_attempts WHERE key = ?`, a.Key); err != nil {
			return fmt.Errorf("store: login attempts %s: %w", a.Key, err)
		}
		return nil
	}
	if _, err := t.exec(`INSERT INTO login_attempts (key, failures, window_start, blocked_until) VALUES (?,?,?,?)
		ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
			blocked_until = excluded.blocked_until`, a.Key, a.Failures, ms(a.WindowStart), ms(a.BlockedUntil)); err != nil {
		return fmt.Errorf("store: login attempts %s: %w", a.Key, err)
	}
	return nil
}

// PurgeLogins drops sessions that expired and counters idle since before.
func (t *Tx) PurgeLogins(now, idleSince time.Time) error {
	if _, err := t.exec(`DELETE FROM sessions WHERE expires_at <= ?`, ms(now)); err != nil {
		return fmt.Errorf("store: purge sessions: %w", err)
	}
	if _, err := t.exec(`DELETE FROM login_attempts WHERE window_start < ? AND blocked_until < ?`, ms(idleSince), ms(now)); err != nil {
		return fmt.Errorf("store: purge login attempts: %w", err)
	}
	return nil
}

// DeviceUser returns the user a device token was given to ("" if none).
func (t *Tx) DeviceUser(tokenHash string) (string, error) {
	var id string
	err := t.tx.QueryRowContext(t.ctx, `SELECT user_id FROM devices WHERE token_hash = ?`, tokenHash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: device: %w", err)
	}
	return id, nil
}

// PutDevice records a device token given to a user at a sign-in (or its
// use again).
func (t *Tx) PutDevice(tokenHash, userID string, now time.Time) error {
	if _, err := t.exec(`INSERT INTO devices (token_hash, user_id, created_at, used_at) VALUES (?,?,?,?)
		ON CONFLICT(token_hash) DO UPDATE SET used_at = excluded.used_at`, tokenHash, userID, ms(now), ms(now)); err != nil {
		return fmt.Errorf("store: device of %s: %w", userID, err)
	}
	return nil
}
