package server_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/server"
	"griddesk/store"
)

// Nothing a user sends can hurt the server (issue 14): each test sends
// what an attacker with an account would.

// A command id is bound to its content and sender: the same id with
// another payload or from another user is refused (409, naming the id),
// upper- and lower-case spellings are one command, and a refusal kept for
// one user is never answered to another.
func TestCommandIDsBoundToContentAndSender(t *testing.T) {
	tw := newTown(t)
	post := func(role domain.Role, c domain.Command) server.CommandResult {
		t.Helper()
		resp, body := tw.f.do("POST", "/api/v1/commands", tw.tokens[role], server.CommandsRequest{Commands: []domain.Command{c}})
		if resp.StatusCode != 200 {
			t.Fatalf("HTTP %d %v", resp.StatusCode, body)
		}
		raw, _ := json.Marshal(body)
		var out server.CommandsResponse
		json.Unmarshal(raw, &out)
		return out.Results[0]
	}
	c, _ := command.New(command.CaseFeedback, command.CaseArgs{CaseID: tw.caseOwn, Note: "已到现场核实"}, 0, time.Now())
	if r := post(domain.RoleDutyOfficer, c); r.Status != domain.Applied {
		t.Fatalf("first: %+v", r.Problem)
	}
	if r := post(domain.RoleDutyOfficer, c); r.Status != domain.Duplicate {
		t.Fatalf("the same command again: %s, want duplicate", r.Status)
	}
	upper := c
	upper.ID = strings.ToUpper(c.ID)
	if r := post(domain.RoleDutyOfficer, upper); r.Status != domain.Duplicate || r.ID != upper.ID {
		t.Fatalf("the id in upper case: %s (id %s), want duplicate answered as sent", r.Status, r.ID)
	}
	other := c
	other.Args = json.RawMessage(`{"case_id":"` + tw.caseOwn + `","note":"另一条反馈"}`)
	if r := post(domain.RoleDutyOfficer, other); r.Status != domain.Rejected || r.Problem.Status != 409 || !strings.Contains(r.Problem.Detail, c.ID) {
		t.Fatalf("the id with other arguments: %s %+v, want 409 naming the id", r.Status, r.Problem)
	}
	if r := post(domain.RoleAdmin, c); r.Status != domain.Rejected || r.Problem.Status != 409 {
		t.Fatalf("the id from another user: %s %+v, want 409", r.Status, r.Problem)
	}
	// a refusal for one user is not another's answer
	bad, _ := command.New(command.CaseFeedback, command.CaseArgs{CaseID: "no-such-case", Note: "x"}, 0, time.Now())
	if r := post(domain.RoleDutyOfficer, bad); r.Status != domain.Rejected || r.Problem.Status != 404 {
		t.Fatalf("unknown case: %+v", r.Problem)
	}
	if r := post(domain.RoleAdmin, bad); r.Problem == nil || r.Problem.Status != 409 {
		t.Fatalf("another user's refused id: %+v, want 409 (not the first user's 404)", r.Problem)
	}
}

// A forbidden 15 MB command costs the database its summary, not its bulk.
func TestRefusedCommandKeptWithoutItsBulk(t *testing.T) {
	tw := newTown(t)
	dbSize := func() int64 {
		var n int64
		for _, suffix := range []string{"", "-wal"} {
			if fi, err := os.Stat(tw.st.Path() + suffix); err == nil {
				n += fi.Size()
			}
		}
		return n
	}
	tw.st.Update(context.Background(), func(tx *store.Tx) error { return nil })
	before := dbSize()
	huge := strings.Repeat("巨", 5<<20) // 15 MB of note
	c, _ := command.New(command.CaseFeedback, command.CaseArgs{CaseID: tw.caseOwn, Note: huge}, 0, time.Now())
	raw, _ := json.Marshal(server.CommandsRequest{Commands: []domain.Command{c}})
	resp, body := tw.f.do("POST", "/api/v1/commands", tw.tokens[domain.RoleAuditor], string(raw))
	if resp.StatusCode != 200 {
		t.Fatalf("HTTP %d %v", resp.StatusCode, body)
	}
	if grew := dbSize() - before; grew > 1<<20 {
		t.Errorf("the database grew %d bytes for a refused command; want < 1 MB", grew)
	}
	recs, err := tw.st.AuditLog(context.Background(), 1)
	if err != nil || len(recs) != 1 || recs[0].ID != c.ID || recs[0].Status != domain.Rejected {
		t.Fatalf("audit log: %+v %v", recs, err)
	}
	if len(recs[0].Args) > 1024 || !strings.Contains(string(recs[0].Args), `"sha256"`) {
		t.Errorf("kept arguments: %d bytes: %.200s", len(recs[0].Args), recs[0].Args)
	}
}

// jpegClaiming is a real small JPEG whose frame header says progressive
// and w×h: what a 375 KB progressive 8000×8000 bomb shows before decoding.
func jpegClaiming(t testing.TB, w, h uint16) []byte {
	b := testJPEG(t, 16, 16)
	for i := 2; i+9 < len(b); {
		if b[i] != 0xff {
			t.Fatal("no frame header")
		}
		size := int(b[i+2])<<8 | int(b[i+3])
		if b[i+1] == 0xc0 {
			b[i+1] = 0xc2 // progressive
			binary.BigEndian.PutUint16(b[i+5:], h)
			binary.BigEndian.PutUint16(b[i+7:], w)
			return b
		}
		i += 2 + size
	}
	t.Fatal("no frame header")
	return nil
}

// png16Claiming is pngClaiming with 16-bit RGBA samples.
func png16Claiming(t testing.TB, w, h uint32) []byte {
	b := pngClaiming(t, w, h)
	b[24], b[25] = 16, 6 // bit depth, colour type RGBA
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// Decompression bombs are refused from their headers: no pixel is
// decoded, and the upload allocates next to nothing.
func TestPhotoBombs(t *testing.T) {
	d := newTownDocs(t)
	reporter := d.tokens[domain.RoleReporter]
	for _, tc := range []struct {
		name  string
		ctype string
		data  []byte
	}{
		{"progressive 8000×8000 JPEG", "image/jpeg", jpegClaiming(t, 8000, 8000)},
		{"16-bit 8000×8000 PNG", "image/png", png16Claiming(t, 8000, 8000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			res, body := d.send("POST", "/api/v1/photos", reporter, tc.ctype, tc.data)
			runtime.ReadMemStats(&after)
			if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "8000×8000") {
				t.Fatalf("%d %s, want 413 naming the size", res.StatusCode, body)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
				t.Errorf("the refusal allocated %d MB", alloc>>20)
			}
		})
	}
}

// A client that trickles its body is cut off after the read timeout; it
// holds no connection for ever.
func TestSlowBodiesCutOff(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := server.New(context.Background(), st, server.Options{ReadTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	l, err := server.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := srv.HTTPServer(l.Addr().String())
	go hs.Serve(l)
	defer hs.Close()
	conn, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	start := time.Now()
	for time.Since(start) < 10*time.Second {
		if _, err := conn.Write([]byte(" ")); err != nil {
			break
		}
		conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		if _, err := conn.Read(make([]byte, 512)); err != nil && !isTimeout(err) {
			break // answered or closed
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("a trickling body kept its connection %v; want it cut after about a second", d)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Long-polls end at once when the server shuts down.
func TestShutdownEndsLongPolls(t *testing.T) {
	f := newFixture(t)
	l, err := server.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := f.srv.HTTPServer(l.Addr().String())
	go hs.Serve(l)
	tok := f.login("admin", adminPW)
	done := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("GET", "http://"+l.Addr().String()+"/api/v1/changes?after=999999&wait=5", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- 0
			return
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		done <- res.StatusCode
	}()
	time.Sleep(300 * time.Millisecond) // the poll is waiting
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	if err := hs.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("shutdown took %v with a long-poll waiting", d)
	}
	if code := <-done; code != 200 {
		t.Errorf("the long-poll got %d, want an answer (200)", code)
	}
}

// Sign-ins: guesses sent at once are all counted, the account then waits,
// its owner's desk (with its device token) still signs in from the same
// address, an unknown name costs as much as a wrong password, and a
// password over bcrypt's 72 bytes is refused clearly.
func TestLoginLimits(t *testing.T) {
	frozen := time.Now() // the back-off does not run out while a loaded machine checks 100 guesses
	f := newFixtureWith(t, server.Options{Now: func() time.Time { return frozen }})
	ctx := context.Background()
	if err := f.st.Update(ctx, func(tx *store.Tx) error {
		return tx.PutUser(&domain.User{ID: "U-D1", Username: "duty1", Name: "值班员", Role: domain.RoleDutyOfficer})
	}); err != nil {
		t.Fatal(err)
	}
	if err := f.srv.SetPassword(ctx, "duty1", "duty-password-1"); err != nil {
		t.Fatal(err)
	}
	// the owner signs in once: their desk keeps the device token
	resp, body := f.do("POST", "/api/v1/login", "", map[string]string{"username": "duty1", "password": "duty-password-1"})
	device, _ := body["device"].(string)
	if resp.StatusCode != 200 || device == "" {
		t.Fatalf("login: %d %v", resp.StatusCode, body)
	}
	// 100 guesses at once from this address
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := f.do("POST", "/api/v1/login", "", map[string]string{"username": "duty1", "password": fmt.Sprintf("guess-%d", i)})
			mu.Lock()
			codes[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes[401]+codes[429] != 100 || codes[401] > 8 {
		t.Errorf("100 guesses at once: %v; want at most a handful checked (401), the rest refused (429)", codes)
	}
	// the owner, from the same address, with the desk's device token
	resp, body = f.do("POST", "/api/v1/login", "", map[string]string{"username": "duty1", "password": "duty-password-1", "device": device})
	if resp.StatusCode != 200 {
		t.Errorf("the owner's desk was locked out: %d %v", resp.StatusCode, body)
	}
	// without it, the account waits
	resp, _ = f.do("POST", "/api/v1/login", "", map[string]string{"username": "duty1", "password": "duty-password-1"})
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("right password from an unknown device during the back-off: %d, want 429 with Retry-After", resp.StatusCode)
	}
	long := strings.Repeat("密", 25) // 75 bytes
	if resp, body := f.do("POST", "/api/v1/login", "", map[string]string{"username": "admin", "password": long}); resp.StatusCode != 422 || body["field"] != "password" {
		t.Errorf("a 75-byte password: %d %v, want 422 naming password", resp.StatusCode, body)
	}
	admin := f.login("admin", adminPW)
	if resp, body := f.do("POST", "/api/v1/users", admin, map[string]any{"username": "longpw", "role": "auditor", "password": long}); resp.StatusCode != 422 || body["field"] != "password" {
		t.Errorf("creating a user with a 75-byte password: %d %v, want 422", resp.StatusCode, body)
	}
}

func TestUnknownUserCostsAsMuchAsWrongPassword(t *testing.T) {
	f := newFixture(t)
	const n = 9
	if err := f.st.Update(context.Background(), func(tx *store.Tx) error {
		for i := range n {
			u := fmt.Sprintf("real%d", i)
			if err := tx.PutUser(&domain.User{ID: "U-" + u, Username: u, Name: u, Role: domain.RoleAuditor}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		f.srv.SetPassword(context.Background(), fmt.Sprintf("real%d", i), "the-real-password")
	}
	// interleaved, so that the machine's load falls on both alike
	var known, unknown []time.Duration
	for i := range n {
		for _, who := range []string{"real", "ghost"} {
			start := time.Now()
			f.do("POST", "/api/v1/login", "", map[string]string{"username": fmt.Sprintf("%s%d", who, i), "password": "wrong-password"})
			if who == "real" {
				known = append(known, time.Since(start))
			} else {
				unknown = append(unknown, time.Since(start))
			}
		}
	}
	slices.Sort(known)
	slices.Sort(unknown)
	k, u := known[n/2], unknown[n/2]
	// before: 0.4 ms against 60 ms, 150 times apart
	if ratio := float64(u) / float64(k); ratio < 0.25 || ratio > 4 {
		t.Errorf("unknown user %v, wrong password %v (medians of %d): the difference tells which names exist", u, k, n)
	}
}

// One user name created twice at once: one is created, the other told it
// exists (409), never a 500.
func TestConcurrentUserCreation(t *testing.T) {
	f := newFixture(t)
	admin := f.login("admin", adminPW)
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := f.do("POST", "/api/v1/users", admin, map[string]any{"username": "twin", "role": "auditor", "password": "twin-password"})
			mu.Lock()
			codes[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes[201] != 1 || codes[409] != 7 {
		t.Errorf("eight creations of one name: %v, want one 201 and seven 409", codes)
	}
}

// A full disk: writes answer 507 and store nothing, /healthz says degraded,
// and once space is freed the server works again by itself.
func TestDiskFull(t *testing.T) {
	f := newFixture(t)
	tok := f.login("admin", adminPW)
	report := func() *http.Response {
		resp, _ := f.do("POST", "/api/v1/cases", tok, map[string]any{"title": "路灯不亮", "category": "road", "lon": 120.05, "lat": 30.05})
		return resp
	}
	if r := report(); r.StatusCode != 201 {
		t.Fatalf("before: %d", r.StatusCode)
	}
	pages := fileSize(t, f.st.Path()) / 4096
	f.st.SetSizeCap(pages) // "the disk" is full now
	var full *http.Response
	for range 200 { // fill what is left of the last page
		if full = report(); full.StatusCode != 201 {
			break
		}
	}
	if full.StatusCode != http.StatusInsufficientStorage {
		t.Fatalf("a write on a full disk: %d, want 507", full.StatusCode)
	}
	_, h := f.do("GET", "/healthz", "", nil)
	if h["status"] != "degraded" {
		t.Errorf("healthz on a full disk: %v", h)
	}
	f.st.SetSizeCap(0) // space freed
	_, h = f.do("GET", "/healthz", "", nil)
	if h["status"] != "ok" {
		t.Errorf("healthz after freeing space: %v", h)
	}
	if r := report(); r.StatusCode != 201 {
		t.Errorf("after freeing space: %d", r.StatusCode)
	}
}

func fileSize(t *testing.T, p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size() + 64*4096 // the WAL's pages land in it at the checkpoint
}

// Problem details speak of the request, never of the server: no file
// paths, no Go type or package names.
func TestProblemsShowNoInternals(t *testing.T) {
	f := newFixture(t)
	tok := f.login("admin", adminPW)
	bodies := []string{
		`{"commands":[{"id":"` + uuid.NewString() + `","type":"case.evaluate","args":{"case_id":5},"issued_at":"2026-01-01T00:00:00Z"}]}`,
		`{"commands":[{"id":"` + uuid.NewString() + `","type":"case.register","args":{"case_id":"x","new":{"title":["a"]}},"issued_at":"2026-01-01T00:00:00Z"}]}`,
		`{"commands":[{"id":"` + uuid.NewString() + `","type":"inspection.record","args":{"at":"yesterday"},"issued_at":"2026-01-01T00:00:00Z"}]}`,
		`{"commands":"all"}`,
		`{"commands":[{"id":5}]}`,
	}
	for _, b := range bodies {
		_, raw := f.raw("POST", "/api/v1/commands", tok, b)
		for _, bad := range []string{"domain.", "command.", "server.", "store.", "[]string", "int64", "float64", ".go", "/work/", "/tmp/", "/root/", "*"} {
			if strings.Contains(string(raw), bad) {
				t.Errorf("%s\n→ %s\nshows %q", b, raw, bad)
			}
		}
	}
}

// Texts with control characters, bidirectional overrides or invalid UTF-8
// are refused naming the field, on every path.
func TestTextsChecked(t *testing.T) {
	tw := newTown(t)
	for _, tc := range []struct {
		name  string
		typ   string
		args  any
		field string
	}{
		{"title with RLO", command.CaseRegister, command.CaseArgs{CaseID: uuid.NewString(), New: &command.NewCase{Title: "井盖\u202e缺失", Category: "road", Lon: 120.05, Lat: 30.05}}, "args.new.title"},
		{"note with escape", command.CaseFeedback, command.CaseArgs{CaseID: tw.caseOwn, Note: "\x1b[2J"}, "args.note"},
		{"item note too long", command.InspectionRecord, command.InspectionArgs{InspectionID: uuid.NewString(), EntityID: tw.entityOwn.ID,
			Results: []domain.ItemResult{{ItemID: tw.item, Result: domain.ResultPass, Note: strings.Repeat("长", domain.MaxNote+1)}}}, "args.results[0].note"},
		{"entity name with NUL", command.EntityImport, command.ImportArgs{File: "e.csv", Entities: []domain.Entity{{ID: "X1", Kind: domain.KindShop, Name: "店\x00名", Lon: 120.1, Lat: 30.1, Code: domain.CodeGreen}}}, "args.entities[0]"},
		{"too many hazards", command.InspectionRecord, command.InspectionArgs{InspectionID: uuid.NewString(), EntityID: tw.entityOwn.ID,
			Results: []domain.ItemResult{{ItemID: tw.item, Result: domain.ResultFail}}, Hazards: make([]command.Hazard, 201)}, "args.hazards"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := tw.send(domain.RoleAdmin, tc.typ, tc.args)
			if res.Status != domain.Rejected || res.Problem.Status != 422 || !strings.HasPrefix(res.Problem.Field, tc.field) {
				t.Fatalf("%s %+v, want 422 naming %s", res.Status, res.Problem, tc.field)
			}
		})
	}
	// the field report endpoint too
	resp, body := tw.f.do("POST", "/api/v1/cases", tw.tokens[domain.RoleReporter], map[string]any{"title": "a\u202eb", "category": "road", "lon": 120.05, "lat": 30.05})
	if resp.StatusCode != 422 || body["field"] != "title" {
		t.Errorf("POST /cases with an override: %d %v", resp.StatusCode, body)
	}
	resp, body = tw.f.do("POST", "/api/v1/cases", tw.tokens[domain.RoleReporter], string([]byte(`{"title":"坏\xff","category":"road","lon":120.05,"lat":30.05}`)))
	if resp.StatusCode != 422 && resp.StatusCode != 400 {
		t.Errorf("POST /cases with invalid UTF-8: %d %v", resp.StatusCode, body)
	}
}

// Eight door-plate PDFs asked at once are all made, a few at a time.
func TestDocumentsTakeTurns(t *testing.T) {
	d := newTownDocs(t)
	var wg sync.WaitGroup
	codes := make(chan int, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, _ := d.get("/api/v1/grids/"+d.entity.GridID+"/plates.pdf", d.tokens[domain.RoleAuditor])
			codes <- res.StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != 200 && c != 503 {
			t.Errorf("a document asked with seven others: %d", c)
		}
	}
}
