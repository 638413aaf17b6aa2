package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"griddesk/domain"
	"griddesk/store"
)

type ctxKey struct{}

// userFrom returns the authenticated user of a request.
func userFrom(ctx context.Context) domain.User {
	u, _ := ctx.Value(ctxKey{}).(domain.User)
	return u
}

type roleSet map[domain.Role]bool

var anyRole = roleSet(nil)

func roles(rs ...domain.Role) roleSet {
	m := roleSet{}
	for _, r := range rs {
		m[r] = true
	}
	return m
}

func hashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// auth checks the bearer token and the user's role before calling next.
func (s *Server) auth(allowed roleSet, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || tok == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="griddesk"`)
			problem(w, http.StatusUnauthorized, "unauthorized", "Not signed in", "send Authorization: Bearer <token> from POST /api/v1/login")
			return
		}
		u, err := s.sessionUser(r.Context(), hashToken(tok))
		if errors.Is(err, store.ErrNotFound) || (err == nil && u.Disabled) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="griddesk", error="invalid_token"`)
			problem(w, http.StatusUnauthorized, "unauthorized", "Not signed in", "the token is unknown, expired or revoked")
			return
		}
		if err != nil {
			s.internal(w, r, err)
			return
		}
		if allowed != nil && !allowed[u.Role] {
			problem(w, http.StatusForbidden, "forbidden", "Not allowed", fmt.Sprintf("role %s may not %s %s", u.Role, r.Method, r.URL.Path))
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, u)))
	})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.forgetSessions()
	if err := s.st.Update(r.Context(), func(tx *store.Tx) error { return tx.DeleteSession(hashToken(tok)) }); err != nil {
		s.internal(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, userFrom(r.Context()))
}

// SetPassword sets a user's password (bcrypt).
func (s *Server) SetPassword(ctx context.Context, username, password string) error {
	if len(password) < 8 {
		return fmt.Errorf("server: password of %s: at least 8 characters", username)
	}
	u, _, err := s.st.UserByName(ctx, username)
	if err != nil {
		return fmt.Errorf("server: set password: %w", err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("server: set password of %s: %w", username, err)
	}
	return s.st.Update(ctx, func(tx *store.Tx) error { return tx.SetPasswordHash(u.ID, string(hash)) })
}

// sessionTTL is how long a checked token is trusted without asking the
// database again; logouts and user changes clear the cache at once.
const sessionTTL = 5 * time.Second

type cachedSession struct {
	u     domain.User
	until time.Time
}

// sessionUser resolves a token hash, from a short-lived cache: 200 desks
// long-polling would otherwise query the sessions table on every wake-up.
func (s *Server) sessionUser(ctx context.Context, tokenHash string) (domain.User, error) {
	now := s.opts.Now()
	s.sessMu.Lock()
	c, ok := s.sessions[tokenHash]
	s.sessMu.Unlock()
	if ok && now.Before(c.until) {
		return c.u, nil
	}
	u, err := s.st.SessionUser(ctx, tokenHash, now)
	if err != nil {
		return u, err
	}
	s.sessMu.Lock()
	if s.sessions == nil || len(s.sessions) > 10000 {
		s.sessions = map[string]cachedSession{}
	}
	s.sessions[tokenHash] = cachedSession{u: u, until: now.Add(sessionTTL)}
	s.sessMu.Unlock()
	return u, nil
}

// forgetSessions drops every cached session (a logout, a user changed).
func (s *Server) forgetSessions() {
	s.sessMu.Lock()
	s.sessions = nil
	s.sessMu.Unlock()
	s.scoped.forget()
}
