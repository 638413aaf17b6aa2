package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

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
	Teams    *[]string    `json:"teams,omitempty"` // teams a team leader may act for besides their unit
	Towns    *[]string    `json:"towns,omitempty"` // towns a city officer's desk copies (server/scope.go)
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
	if req.Password != nil && len(*req.Password) > bcryptMax {
		return "password", fmt.Sprintf("password must have at most %d bytes (about %d Chinese characters)", bcryptMax, bcryptMax/3)
	}
	if req.Name != nil {
		if strings.TrimSpace(*req.Name) == "" {
			return "name", "name must not be empty"
		}
		if err := domain.CheckText(*req.Name, domain.MaxName); err != nil {
			return "name", "name " + err.Error()
		}
	}
	if req.UnitID != nil && len(*req.UnitID) > domain.MaxID {
		return "unit_id", "unit_id is too long"
	}
	if req.Teams != nil {
		if len(*req.Teams) > 50 {
			return "teams", "at most 50 teams"
		}
		for i, t := range *req.Teams {
			if t == "" || len(t) > domain.MaxID {
				return fmt.Sprintf("teams[%d]", i), "a team is a unit id"
			}
		}
	}
	if req.Towns != nil {
		if len(*req.Towns) > 100 {
			return "towns", "at most 100 towns"
		}
		for i, t := range *req.Towns {
			if t == "" || len(t) > domain.MaxID {
				return fmt.Sprintf("towns[%d]", i), "a town is a town code"
			}
		}
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
	if req.Teams != nil {
		u.Teams = *req.Teams
	}
	if req.Towns != nil {
		u.Towns = *req.Towns
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
	remote := s.clientAddr(r)
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
	if errors.Is(err, store.ErrConflict) { // created twice at once
		writeProblem(w, Problem{Type: problemBase + "conflict", Title: "User exists", Status: http.StatusConflict, Field: "username",
			Detail: fmt.Sprintf("user %q already exists", u.Username)})
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.forgetSessions() // a new password or a disabled user ends its sessions now
	writeJSON(w, status, u)
}
