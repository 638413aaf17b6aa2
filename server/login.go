package server

import (
	"context"
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

// attempt is one sign-in: who, from where, and with which device.
type attempt struct {
	user    string
	ip      string
	device  string // hash of the device token sent, "" for none
	trusted bool   // the device token was given to this user before
	now     time.Time
}

// keys are the counters the attempt counts against.
func (a attempt) keys() []string {
	if a.trusted {
		return []string{"dev:" + a.device}
	}
	return []string{"ip:" + a.ip, "user:" + a.user}
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
	a := attempt{user: req.Username, now: s.opts.Now()}
	a.ip, _, _ = net.SplitHostPort(r.RemoteAddr)
	if req.Device != "" && len(req.Device) <= 64 {
		a.device = hashToken(req.Device)
	}
	wait, err := s.count(r.Context(), &a)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if wait > 0 {
		secs := strconv.Itoa(int(math.Ceil(wait.Seconds())))
		w.Header().Set("Retry-After", secs)
		writeProblem(w, Problem{Type: problemBase + "too-many-attempts", Title: "Too many sign-in attempts", Status: http.StatusTooManyRequests,
			Detail: "too many failed sign-ins; try again in " + secs + " seconds", Code: "too_many_attempts", Params: map[string]string{"seconds": secs}})
		return
	}
	u, ok, err := s.checkPassword(r.Context(), req.Username, req.Password)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if !ok {
		problem(w, http.StatusUnauthorized, "bad-credentials", "Wrong user name or password", "the user name or password is wrong")
		return
	}
	out, err := s.signIn(r.Context(), u, a, req.Device)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// count counts the attempt before its password is checked (one
// transaction); it returns how long to wait when a counter refuses it.
func (s *Server) count(ctx context.Context, a *attempt) (time.Duration, error) {
	var wait time.Duration
	err := s.update(ctx, func(tx *store.Tx) error {
		if a.device != "" {
			owner, err := tx.DeviceUser(a.device)
			if err != nil {
				return err
			}
			if u, _, err := s.st.UserByName(ctx, a.user); err == nil && owner != "" && owner == u.ID {
				a.trusted = true
			}
		}
		var err error
		wait, err = reserve(tx, a.keys(), a.now)
		return err
	})
	return wait, err
}

// checkPassword compares the password with the user's; an unknown name
// costs the same comparison.
func (s *Server) checkPassword(ctx context.Context, username, password string) (domain.User, bool, error) {
	u, hash, err := s.st.UserByName(ctx, username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return u, false, err
	}
	h := []byte(hash)
	if err != nil || hash == "" {
		h = dummyHash() // the same work for an unknown name
	}
	match := bcrypt.CompareHashAndPassword(h, []byte(password)) == nil
	return u, match && err == nil && hash != "" && !u.Disabled, nil
}

// signIn opens a session for u, gives an untrusted device its token, and
// settles the counters: the one the attempt counted against starts again
// (a desk's own device never clears the account's back-off against
// guessing elsewhere), the address gets its attempt back.
func (s *Server) signIn(ctx context.Context, u domain.User, a attempt, deviceToken string) (LoginResponse, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return LoginResponse{}, err
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	if !a.trusted {
		rand.Read(b)
		deviceToken = base64.RawURLEncoding.EncodeToString(b)
		a.device = hashToken(deviceToken)
	}
	expires := a.now.Add(s.opts.TokenTTL)
	err := s.update(ctx, func(tx *store.Tx) error {
		if err := tx.PutSession(hashToken(tok), u.ID, expires); err != nil {
			return err
		}
		if err := tx.PutDevice(a.device, u.ID, a.now); err != nil {
			return err
		}
		key := "user:" + a.user
		if a.trusted {
			key = "dev:" + a.device
		}
		if err := tx.PutAttempt(store.Attempt{Key: key}); err != nil {
			return err
		}
		if !a.trusted {
			at, err := tx.Attempt("ip:" + a.ip)
			if err != nil {
				return err
			}
			if at.Failures > 0 {
				at.Failures--
				if at.Failures < addressMax {
					at.BlockedUntil = time.Time{}
				}
				if err := tx.PutAttempt(at); err != nil {
					return err
				}
			}
		}
		return tx.PurgeLogins(a.now, a.now.Add(-addressWindow))
	})
	return LoginResponse{Token: tok, ExpiresAt: expires, User: u, Device: deviceToken}, err
}
