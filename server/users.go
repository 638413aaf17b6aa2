package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/time/rate"

	"griddesk/domain"
	"griddesk/store"
)

// UserRequest creates or changes a user (admin only). On PATCH every field
// is optional.
type UserRequest struct {
	Username *string      `json:"username,omitempty"`
	Name     *string      `json:"name,omitempty"`
	Role     *domain.Role `json:"role,omitempty"`
	UnitID   *string      `json:"unit_id,omitempty"`
	Disabled *bool        `json:"disabled,omitempty"`
	Password *string      `json:"password,omitempty"`
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

func (req *UserRequest) validate(creating bool) (field, detail string) {
	if creating {
		switch {
		case req.Username == nil:
			return "username", "username is required"
		case req.Role == nil:
			return "role", "role is required"
		case req.Password == nil:
			return "password", "password is required"
		}
	}
	if req.Username != nil && !usernameRE.MatchString(*req.Username) {
		return "username", fmt.Sprintf("username %q must be 2–32 lower-case letters, digits, '.', '_' or '-'", *req.Username)
	}
	if req.Role != nil && !req.Role.Valid() {
		return "role", fmt.Sprintf("role %q is not one of admin, duty_officer, team_leader, unit_member, auditor, reporter", *req.Role)
	}
	if req.Password != nil && len(*req.Password) < 8 {
		return "password", "password must have at least 8 characters"
	}
	if req.Name != nil && strings.TrimSpace(*req.Name) == "" {
		return "name", "name must not be empty"
	}
	return "", ""
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.st.Users(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if users == nil {
		users = []domain.User{}
	}
	writeJSON(w, http.StatusOK, users)
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	var req UserRequest
	if !decode(w, r, &req) {
		return
	}
	if f, d := req.validate(true); f != "" {
		badField(w, f, d)
		return
	}
	if _, _, err := s.st.UserByName(r.Context(), *req.Username); err == nil {
		writeProblem(w, Problem{Type: problemBase + "conflict", Title: "User exists", Status: http.StatusConflict, Field: "username",
			Detail: fmt.Sprintf("user %q already exists", *req.Username)})
		return
	}
	u := domain.User{ID: "U-" + uuid.NewString()[:8], Username: *req.Username, Name: *req.Username, Role: *req.Role}
	s.applyUser(&u, req)
	s.saveUser(w, r, u, req, "user.create", http.StatusCreated)
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	var req UserRequest
	if !decode(w, r, &req) {
		return
	}
	if f, d := req.validate(false); f != "" {
		badField(w, f, d)
		return
	}
	var u domain.User
	err := s.st.Update(r.Context(), func(tx *store.Tx) error {
		var err error
		u, err = tx.User(r.PathValue("id"))
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		problem(w, http.StatusNotFound, "not-found", "No such user", fmt.Sprintf("user %s does not exist", r.PathValue("id")))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if req.Username != nil && *req.Username != u.Username {
		badField(w, "username", "a username cannot be changed; create a new user")
		return
	}
	if by := userFrom(r.Context()); by.ID == u.ID && ((req.Disabled != nil && *req.Disabled) || (req.Role != nil && *req.Role != domain.RoleAdmin)) {
		badField(w, "role", "an admin cannot disable or demote themself")
		return
	}
	s.applyUser(&u, req)
	s.saveUser(w, r, u, req, "user.update", http.StatusOK)
}

func (s *Server) applyUser(u *domain.User, req UserRequest) {
	if req.Name != nil {
		u.Name = strings.TrimSpace(*req.Name)
	}
	if req.Role != nil {
		u.Role = *req.Role
	}
	if req.UnitID != nil {
		u.UnitID = *req.UnitID
	}
	if req.Disabled != nil {
		u.Disabled = *req.Disabled
	}
	u.UpdatedAt = s.opts.Now()
}

// saveUser writes the user, its password and an audit record in one
// transaction; a new password or a disabled user ends every session.
func (s *Server) saveUser(w http.ResponseWriter, r *http.Request, u domain.User, req UserRequest, what string, status int) {
	var hash []byte
	if req.Password != nil {
		var err error
		if hash, err = bcrypt.GenerateFromPassword([]byte(*req.Password), bcrypt.DefaultCost); err != nil {
			s.internal(w, r, err)
			return
		}
	}
	audit := req
	if audit.Password != nil {
		masked := "********"
		audit.Password = &masked
	}
	args, _ := json.Marshal(audit)
	by := userFrom(r.Context())
	remote, _, _ := net.SplitHostPort(r.RemoteAddr)
	now := s.opts.Now()
	err := s.update(r.Context(), func(tx *store.Tx) error {
		if err := tx.PutUser(&u); err != nil {
			return err
		}
		if hash != nil {
			if err := tx.SetPasswordHash(u.ID, string(hash)); err != nil {
				return err
			}
		}
		if hash != nil || u.Disabled {
			if err := tx.DeleteSessionsOf(u.ID); err != nil {
				return err
			}
		}
		return tx.PutCommandRecord(domain.CommandRecord{Command: domain.Command{ID: uuid.NewString(), Type: what, Args: args, IssuedAt: now},
			Actor: by.ID, ReceivedAt: now, Remote: remote, Status: domain.Applied})
	})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.forgetSessions() // a new password or a disabled user ends its sessions now
	writeJSON(w, status, u)
}

// loginLimiter allows each client address a burst of 10 failed sign-ins,
// then one every 6 seconds (golang.org/x/time/rate token buckets); good
// sign-ins cost nothing, so a room of desks starting together is not held up.
type loginLimiter struct {
	mu   sync.Mutex
	byIP map[string]*limiterEntry
}

type limiterEntry struct {
	l    *rate.Limiter
	seen time.Time
}

func (ll *loginLimiter) blocked(ip string, now time.Time) bool {
	ll.mu.Lock()
	defer ll.mu.Unlock()
	e, ok := ll.byIP[ip]
	return ok && e.l.TokensAt(now) < 1
}

func (ll *loginLimiter) failed(ip string, now time.Time) {
	ll.take(ip, now)
}

func (ll *loginLimiter) take(ip string, now time.Time) bool {
	ll.mu.Lock()
	defer ll.mu.Unlock()
	if ll.byIP == nil {
		ll.byIP = map[string]*limiterEntry{}
	}
	if len(ll.byIP) > 10000 { // forget addresses idle for ten minutes
		for k, e := range ll.byIP {
			if now.Sub(e.seen) > 10*time.Minute {
				delete(ll.byIP, k)
			}
		}
	}
	e, ok := ll.byIP[ip]
	if !ok {
		e = &limiterEntry{l: rate.NewLimiter(rate.Every(6*time.Second), 10)}
		ll.byIP[ip] = e
	}
	e.seen = now
	return e.l.AllowN(now, 1)
}
