package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/server"
	"griddesk/store"
)

const adminPW = "correct-horse-battery"

type fixture struct {
	t   *testing.T
	st  *store.Store
	srv *server.Server
	ts  *httptest.Server
}

func newFixture(t *testing.T) *fixture {
	return newFixtureWith(t, server.Options{MaxWait: 5 * time.Second})
}

// newFixtureWith is newFixture with the server's options (a frozen clock…).
func newFixtureWith(t *testing.T, opts server.Options) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.Bootstrap(ctx, st, server.SeedNone, adminPW, time.Now()); err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		sq := orb.MultiPolygon{{{{120, 30}, {120.1, 30}, {120.1, 30.1}, {120, 30.1}, {120, 30}}}}
		if err := tx.PutGrid(&domain.Grid{ID: "B1", Name: "一号网格", Level: domain.LevelBase, Geometry: sq}); err != nil {
			return err
		}
		return tx.PutUser(&domain.User{ID: "U-AUD", Username: "auditor", Name: "审计", Role: domain.RoleAuditor})
	})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ctx, st, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetPassword(ctx, "auditor", "auditor-password"); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); st.Close() })
	return &fixture{t: t, st: st, srv: srv, ts: ts}
}

func (f *fixture) do(method, path, token string, body any) (*http.Response, map[string]any) {
	f.t.Helper()
	var rd *bytes.Reader
	switch b := body.(type) {
	case nil:
		rd = bytes.NewReader(nil)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, f.ts.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

func (f *fixture) login(user, pw string) string {
	f.t.Helper()
	resp, body := f.do("POST", "/api/v1/login", "", map[string]string{"username": user, "password": pw})
	if resp.StatusCode != 200 {
		f.t.Fatalf("login %s: %d %v", user, resp.StatusCode, body)
	}
	return body["token"].(string)
}

func TestLogin(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"good", map[string]string{"username": "admin", "password": adminPW}, 200, ""},
		{"wrong password", map[string]string{"username": "admin", "password": "nope"}, 401, ""},
		{"unknown user", map[string]string{"username": "ghost", "password": "x"}, 401, ""},
		{"no password set", map[string]string{"username": "nobody", "password": ""}, 401, ""},
		{"missing username", map[string]string{"password": "x"}, 422, "username"},
		{"unknown field", `{"username":"admin","password":"x","otp":1}`, 422, "otp"},
		{"wrong type", `{"username":5,"password":"x"}`, 422, "username"},
		{"malformed", `{"username":`, 400, ""},
		{"empty", ``, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.do("POST", "/api/v1/login", "", tt.body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d (%v)", resp.StatusCode, tt.status, body)
			}
			if tt.status != 200 && resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("content type = %q, want problem+json", resp.Header.Get("Content-Type"))
			}
			if tt.field != "" && body["field"] != tt.field {
				t.Errorf("problem names field %v, want %q", body["field"], tt.field)
			}
		})
	}
}

func TestAuthAndRoles(t *testing.T) {
	f := newFixture(t)
	if resp, _ := f.do("GET", "/api/v1/changes", "", nil); resp.StatusCode != 401 {
		t.Errorf("no token: %d, want 401", resp.StatusCode)
	}
	if resp, _ := f.do("GET", "/api/v1/changes", "forged", nil); resp.StatusCode != 401 {
		t.Errorf("forged token: %d, want 401", resp.StatusCode)
	}
	aud := f.login("auditor", "auditor-password")
	if resp, _ := f.do("GET", "/api/v1/changes", aud, nil); resp.StatusCode != 200 {
		t.Errorf("auditor reads changes: %d, want 200", resp.StatusCode)
	}
	resp, body := f.do("POST", "/api/v1/cases", aud, map[string]any{"title": "x", "category": "noise", "lon": 120.05, "lat": 30.05})
	if resp.StatusCode != 403 {
		t.Errorf("auditor reports a case: %d %v, want 403", resp.StatusCode, body)
	}
	adm := f.login("admin", adminPW)
	if resp, _ := f.do("POST", "/api/v1/logout", adm, nil); resp.StatusCode != 204 {
		t.Errorf("logout: %d", resp.StatusCode)
	}
	if resp, _ := f.do("GET", "/api/v1/me", adm, nil); resp.StatusCode != 401 {
		t.Errorf("revoked token still works: %d", resp.StatusCode)
	}
	if resp, _ := f.do("GET", "/api/v1/nothing", adm, nil); resp.StatusCode != 404 {
		t.Errorf("unknown path: %d", resp.StatusCode)
	}
}

func TestReportCase(t *testing.T) {
	f := newFixture(t)
	tok := f.login("admin", adminPW)
	good := map[string]any{"title": "井盖缺失", "category": "road", "source": "hotline", "lon": 120.05, "lat": 30.05}
	resp, body := f.do("POST", "/api/v1/cases", tok, good)
	if resp.StatusCode != 201 {
		t.Fatalf("report: %d %v", resp.StatusCode, body)
	}
	if body["grid_id"] != "B1" || body["status"] != "reported" || !strings.HasPrefix(body["no"].(string), time.Now().Format("2006")+"-0001") {
		t.Errorf("reported case = %v", body)
	}
	bad := []struct {
		name  string
		body  any
		field string
	}{
		{"no title", map[string]any{"category": "road", "lon": 120.05, "lat": 30.05}, "title"},
		{"bad category", map[string]any{"title": "x", "category": "ufo", "lon": 120.05, "lat": 30.05}, "category"},
		{"bad lat", map[string]any{"title": "x", "category": "road", "lon": 120.05, "lat": 95}, "lat"},
		{"bad source", map[string]any{"title": "x", "category": "road", "lon": 120.05, "lat": 30.05, "source": "pigeon"}, "source"},
		{"lat as string", `{"title":"x","category":"road","lon":120.05,"lat":"north"}`, "lat"},
		{"unknown field", `{"title":"x","category":"road","lon":120.05,"lat":30.05,"color":"red"}`, "color"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.do("POST", "/api/v1/cases", tok, tt.body)
			if resp.StatusCode != 422 || body["field"] != tt.field {
				t.Fatalf("status %d field %v, want 422 naming %q (%v)", resp.StatusCode, body["field"], tt.field, body)
			}
		})
	}
	huge := `{"title":"` + strings.Repeat("长", 1<<20) + `"}`
	if resp, _ := f.do("POST", "/api/v1/cases", tok, huge); resp.StatusCode != 413 {
		t.Errorf("oversize body: %d, want 413", resp.StatusCode)
	}
	cases, _ := f.st.Cases(context.Background())
	if len(cases) != 1 {
		t.Errorf("%d cases stored, want only the good one", len(cases))
	}
}

func TestChangesPagingAndLongPoll(t *testing.T) {
	f := newFixture(t)
	tok := f.login("admin", adminPW)
	var after float64
	total := 0
	for {
		resp, body := f.do("GET", "/api/v1/changes?limit=1&after="+jsonNum(after), tok, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("changes: %d %v", resp.StatusCode, body)
		}
		total += len(body["changes"].([]any))
		after = body["last_seq"].(float64)
		if body["more"] != true {
			break
		}
	}
	if total < 2 {
		t.Fatalf("paged %d changes, want the seeded rows", total)
	}
	if resp, body := f.do("GET", "/api/v1/changes?limit=0", tok, nil); resp.StatusCode != 422 || body["field"] != "limit" {
		t.Errorf("limit=0: %d %v", resp.StatusCode, body)
	}
	// a long-poll wakes up when a case is reported
	done := make(chan map[string]any)
	start := time.Now()
	go func() {
		_, body := f.do("GET", "/api/v1/changes?wait=5&after="+jsonNum(after), tok, nil)
		done <- body
	}()
	time.Sleep(200 * time.Millisecond)
	f.do("POST", "/api/v1/cases", tok, map[string]any{"title": "噪声", "category": "noise", "lon": 120.05, "lat": 30.05})
	body := <-done
	if n := len(body["changes"].([]any)); n != 2 { // the case and its report action
		t.Fatalf("woken long-poll got %d changes, want 2: %v", n, body)
	}
	if waited := time.Since(start); waited > 4*time.Second {
		t.Errorf("long-poll answered after %v, it should wake at once", waited)
	}
	// and times out empty when nothing happens
	_, body = f.do("GET", "/api/v1/changes?wait=1&after="+jsonNum(body["last_seq"].(float64)), tok, nil)
	if n := len(body["changes"].([]any)); n != 0 {
		t.Errorf("idle long-poll returned %d changes", n)
	}
}

func jsonNum(f float64) string {
	b, _ := json.Marshal(int64(f))
	return string(b)
}

func TestHealthz(t *testing.T) {
	f := newFixture(t)
	resp, body := f.do("GET", "/healthz", "", nil)
	if resp.StatusCode != 200 || body["status"] != "ok" || body["server_id"] != f.srv.ID() {
		t.Fatalf("healthz = %d %v", resp.StatusCode, body)
	}
}

func TestBootstrapKeepsPassword(t *testing.T) {
	ctx := context.Background()
	st, _ := store.Open(ctx, filepath.Join(t.TempDir(), "b.db"), store.Options{Journal: true})
	defer st.Close()
	pw, err := server.Bootstrap(ctx, st, server.SeedNone, "", time.Now())
	if err != nil || len(pw) < 12 {
		t.Fatalf("generated password %q, %v", pw, err)
	}
	pw2, err := server.Bootstrap(ctx, st, server.SeedNone, "other-password", time.Now())
	if err != nil || pw2 != "" {
		t.Fatalf("second bootstrap changed the password: %q %v", pw2, err)
	}
	if _, err := server.Bootstrap(ctx, st, "village", "", time.Now()); err != nil {
		t.Errorf("an already seeded store ignores the scale, got %v", err)
	}
}
