package server

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"griddesk/domain"
	"griddesk/store"
)

// Signing in. Every attempt is counted before its password is checked, in
// the database (so every server node counts the same attempts) and in one
// transaction (so guesses sent at once are all counted):
//
//   - by account: after accountFree failures in a row the account waits
//     2, 4, 8 … seconds (at most accountMaxWait) before the next attempt;
//   - by address: at most addressMax failures a window (a whole office
//     shares one address, so the window is generous);
//   - a desk that signed in before sends its device token: its attempts
//     count against that device alone, so guessing at the account from
//     elsewhere never locks its owner's desk out.
//
// A right password clears the account's and the device's count and gives
// back the address its attempt. An unknown user name costs the same bcrypt
// comparison as a wrong password.
const (
	accountFree    = 5
	accountMaxWait = 15 * time.Minute
	deviceFree     = 10
	deviceMaxWait  = 5 * time.Minute
	addressMax     = 100
	addressWindow  = 10 * time.Minute
	// bcryptMax is the longest password bcrypt takes (bytes).
	bcryptMax = 72
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// Device is the token the server gave this desk at an earlier sign-in.
	Device string `json:"device,omitempty"`
}

// LoginResponse is the answer of POST /api/v1/login.
type LoginResponse struct {
	Token     string      `json:"token"`
	ExpiresAt time.Time   `json:"expires_at"`
	User      domain.User `json:"user"`
	// Device identifies this desk at its next sign-ins (keep it).
	Device string `json:"device"`
}

// dummyHash is compared when the user name is unknown, so that an unknown
// name takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() []byte {
	h, err := bcrypt.GenerateFromPassword([]byte("no user has this password"), bcrypt.DefaultCost)
	if err != nil {
		panic(err)
	}
	return h
})

// backoff is how long a key waits after failures beyond free.
func backoff(failures, free int, most time.Duration) time.Duration {
	if failures < free {
		return 0
	}
	d := time.Duration(math.Pow(2, float64(failures-free+1))) * time.Second
	return min(d, most)
}

// reserve counts an attempt against its keys before the password is
// checked; it returns how long to wait when a key refuses it.
func reserve(tx *store.Tx, keys []string, now time.Time) (time.Duration, error) {
	var as []store.Attempt
	for _, k := range keys {
		a, err := tx.Attempt(k)
		if err != nil {
			return 0, err
		}
		if wait := a.BlockedUntil.Sub(now); wait > 0 {
			return wait, nil
		}
		as = append(as, a)
	}
	for _, a := range as {
		switch {
		case strings.HasPrefix(a.Key, "ip:"):
			if now.Sub(a.WindowStart) > addressWindow {
				a.Failures, a.WindowStart = 0, now
			}
			a.Failures++
			if a.Failures >= addressMax {
				a.BlockedUntil = a.WindowStart.Add(addressWindow)
			}
		default:
			a.Failures++
			free, most := accountFree, accountMaxWait
			if strings.HasPrefix(a.Key, "dev:") {
				free, most = deviceFree, deviceMaxWait
			}
			if a.WindowStart.IsZero() {
				a.WindowStart = now
			}
			if wait := backoff(a.Failures, free, most); wait > 0 {
				a.BlockedUntil = now.Add(wait)
			}
		}
		if err := tx.PutAttempt(a); err != nil {
			return 0, err
		}
	}
	return 0, nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if !decode(w, r, &req) {
		return
	}
	switch {
	case req.Username == "":
		badField(w, "username", "username is required")
		return
	case len(req.Username) > 64:
		badField(w, "username", "username is longer than 64 bytes")
		return
	case len(req.Password) > bcryptMax:
		badField(w, "password", fmt.Sprintf("a password is at most %d bytes", bcryptMax))
		return
	}
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	now := s.opts.Now()
	device := ""
	if req.Device != "" && len(req.Device) <= 64 {
		device = hashToken(req.Device)
	}
	var wait time.Duration
	var trusted bool
	err := s.update(r.Context(), func(tx *store.Tx) error {
		keys := []string{"ip:" + ip, "user:" + req.Username}
		if device != "" {
			owner, err := tx.DeviceUser(device)
			if err != nil {
				return err
			}
			if u, _, err := s.st.UserByName(r.Context(), req.Username); err == nil && owner != "" && owner == u.ID {
				trusted = true
				keys = []string{"dev:" + device}
			}
		}
		var err error
		wait, err = reserve(tx, keys, now)
		return err
	})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		writeProblem(w, Problem{Type: problemBase + "too-many-attempts", Title: "Too many sign-in attempts", Status: http.StatusTooManyRequests,
			Detail: fmt.Sprintf("too many failed sign-ins; try again in %d seconds", int(math.Ceil(wait.Seconds()))),
			Code:   "too_many_attempts", Params: map[string]string{"seconds": strconv.Itoa(int(math.Ceil(wait.Seconds())))}})
		return
	}
	u, hash, err := s.st.UserByName(r.Context(), req.Username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.internal(w, r, err)
		return
	}
	h := []byte(hash)
	if err != nil || hash == "" {
		h = dummyHash() // the same work for an unknown name
	}
	if bcrypt.CompareHashAndPassword(h, []byte(req.Password)) != nil || err != nil || hash == "" || u.Disabled {
		problem(w, http.StatusUnauthorized, "bad-credentials", "Wrong user name or password", "the user name or password is wrong")
		return
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		s.internal(w, r, err)
		return
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	if !trusted {
		rand.Read(b)
		req.Device = base64.RawURLEncoding.EncodeToString(b)
		device = hashToken(req.Device)
	}
	expires := now.Add(s.opts.TokenTTL)
	err = s.update(r.Context(), func(tx *store.Tx) error {
		if err := tx.PutSession(hashToken(tok), u.ID, expires); err != nil {
			return err
		}
		if err := tx.PutDevice(device, u.ID, now); err != nil {
			return err
		}
		// the right password: the account and device start again, the
		// address gets its attempt back
		for _, k := range []string{"user:" + req.Username, "dev:" + device} {
			if err := tx.PutAttempt(store.Attempt{Key: k}); err != nil {
				return err
			}
		}
		a, err := tx.Attempt("ip:" + ip)
		if err != nil {
			return err
		}
		if !trusted && a.Failures > 0 {
			a.Failures--
			if a.Failures < addressMax {
				a.BlockedUntil = time.Time{}
			}
			if err := tx.PutAttempt(a); err != nil {
				return err
			}
		}
		return tx.PurgeLogins(now, now.Add(-addressWindow))
	})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, LoginResponse{Token: tok, ExpiresAt: expires, User: u, Device: req.Device})
}
