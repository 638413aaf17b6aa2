package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"griddesk/domain"
	"strings"
	"time"
)

// redactedPrefix marks, in a desk's users table, a user it knows by
// display name only (the feed gives other desks than an admin's no user
// names and roles): the row keeps "~" and its ID as user name, which no
// real user name can be, and reads back with an empty name and role.
const redactedPrefix = "~"

// PutUser inserts or replaces a user. A user with neither user name nor
// role is one known by display name only (a desk's copy of another user).
func (t *Tx) PutUser(u *domain.User) error {
	redacted := u.Username == "" && u.Role == ""
	if u.ID == "" || (u.Username == "" && !redacted) {
		return fmt.Errorf("store: put user %q: id and username are required", u.ID)
	}
	if !u.Role.Valid() && !redacted {
		return fmt.Errorf("store: put user %s: role %q is unknown", u.ID, u.Role)
	}
	if u.UpdatedAt.IsZero() {
		u.UpdatedAt = fromMS(t.now)
	}
	if err := t.touch(domain.KindUser, u.ID, u); err != nil {
		return err
	}
	username, role := u.Username, u.Role
	if redacted {
		username, role = redactedPrefix+u.ID, domain.RoleReporter
	}
	if _, err := t.exec(`INSERT INTO users (id, username, name, role, unit_id, teams, disabled, updated_at, towns)
		VALUES (?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET username=excluded.username, name=excluded.name, role=excluded.role,
			unit_id=excluded.unit_id, teams=excluded.teams, disabled=excluded.disabled, updated_at=excluded.updated_at,
			towns=excluded.towns`,
		u.ID, username, u.Name, role, u.UnitID, jsonText(u.Teams), boolInt(u.Disabled), ms(u.UpdatedAt), jsonText(u.Towns)); err != nil {
		return fmt.Errorf("store: put user %s: %w", u.ID, err)
	}
	return nil
}

// SetPasswordHash stores a user's password hash (server side).
func (t *Tx) SetPasswordHash(userID, hash string) error {
	if _, err := t.exec(`INSERT INTO credentials (user_id, password_hash) VALUES (?, ?)
		ON CONFLICT(user_id) DO UPDATE SET password_hash = excluded.password_hash`, userID, hash); err != nil {
		return fmt.Errorf("store: set password of %s: %w", userID, err)
	}
	return nil
}

const userCols = `id, username, name, role, unit_id, teams, disabled, updated_at, towns`

// userColsOf is userCols qualified with a table alias.
func userColsOf(alias string) string {
	cols := strings.Split(userCols, ", ")
	for i := range cols {
		cols[i] = alias + "." + cols[i]
	}
	return strings.Join(cols, ", ")
}

func scanUser(sc interface{ Scan(...any) error }) (domain.User, error) {
	var u domain.User
	var dis int
	var upd int64
	var teams, towns string
	if err := sc.Scan(&u.ID, &u.Username, &u.Name, &u.Role, &u.UnitID, &teams, &dis, &upd, &towns); err != nil {
		return u, err
	}
	u.Disabled = dis != 0
	u.UpdatedAt = fromMS(upd)
	if strings.HasPrefix(u.Username, redactedPrefix) {
		u.Username, u.Role = "", ""
	}
	var err error
	if u.Teams, err = fromJSONText[string](teams); err != nil {
		return u, fmt.Errorf("user %s: teams: %w", u.ID, err)
	}
	if u.Towns, err = fromJSONText[string](towns); err != nil {
		return u, fmt.Errorf("user %s: towns: %w", u.ID, err)
	}
	return u, nil
}

// UserByName returns a user and the password hash (empty if none is set).
func (s *Store) UserByName(ctx context.Context, username string) (domain.User, string, error) {
	if strings.HasPrefix(username, redactedPrefix) {
		return domain.User{}, "", fmt.Errorf("store: user %q: %w", username, ErrNotFound)
	}
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColsOf("u")+` FROM users u WHERE u.username = ?`, username))
	if err != nil {
		return u, "", fmt.Errorf("store: user %q: %w", username, notFound(err))
	}
	var hash string
	err = s.db.QueryRowContext(ctx, `SELECT password_hash FROM credentials WHERE user_id = ?`, u.ID).Scan(&hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return u, "", fmt.Errorf("store: user %q: %w", username, err)
	}
	return u, hash, nil
}

// Users returns every user ordered by username.
func (s *Store) Users(ctx context.Context) ([]domain.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	var out []domain.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// PutSession stores a session token hash (server side).
func (t *Tx) PutSession(tokenHash, userID string, expires time.Time) error {
	if _, err := t.exec(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?,?,?,?)`,
		tokenHash, userID, t.now, ms(expires)); err != nil {
		return fmt.Errorf("store: put session of %s: %w", userID, err)
	}
	return nil
}

// DeleteSession revokes a session.
func (t *Tx) DeleteSession(tokenHash string) error {
	if _, err := t.exec(`DELETE FROM sessions WHERE token_hash = ?`, tokenHash); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return t.Announce(TopicSessions)
}

// SessionUser returns the user of an unexpired session.
func (s *Store) SessionUser(ctx context.Context, tokenHash string, now time.Time) (domain.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColsOf("u")+`
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`, tokenHash, now.UnixMilli()))
	if err != nil {
		return u, fmt.Errorf("store: session: %w", notFound(err))
	}
	return u, nil
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// DeleteSessionsOf revokes every session of a user.
func (t *Tx) DeleteSessionsOf(userID string) error {
	if _, err := t.exec(`DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: revoke sessions of %s: %w", userID, err)
	}
	return t.Announce(TopicSessions)
}

// User reads a user inside the transaction.
func (t *Tx) User(id string) (domain.User, error) {
	u, err := scanUser(t.tx.QueryRowContext(t.ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if err != nil {
		return u, fmt.Errorf("store: user %s: %w", id, notFound(err))
	}
	return u, nil
}

// UserName returns a user's display name ("" for an unknown ID).
func (s *Store) UserName(ctx context.Context, id string) (string, error) {
	var name string
	err := s.db.QueryRowContext(ctx, `SELECT name FROM users WHERE id = ?`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: user name %s: %w", id, err)
	}
	return name, nil
}
