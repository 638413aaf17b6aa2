package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/paulmach/orb"

	"griddesk/core/report"
	"griddesk/domain"
	"griddesk/server"
	"griddesk/store"
	"griddesk/store/storetest"
)

// townDocs is a server seeded with the demo town, and what the document
// tests fetch from it.
type townDocs struct {
	t      *testing.T
	st     *store.Store
	ts     *httptest.Server
	tokens map[domain.Role]string // role → token

	inspection domain.Inspection // has open hazards
	entity     domain.Entity     // the inspection's entity
	clean      domain.Entity     // an entity without open hazards
	grids      []domain.Grid
}

func newTownDocs(t *testing.T) *townDocs {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.DSN(t), store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	if _, err := server.Bootstrap(ctx, st, server.SeedTown, adminPW, now); err != nil {
		t.Fatal(err)
	}
	// an empty grid far from the town
	empty := orb.MultiPolygon{{{{100, 10}, {100.01, 10}, {100.01, 10.01}, {100, 10.01}, {100, 10}}}}
	if err := st.Update(ctx, func(tx *store.Tx) error {
		return tx.PutGrid(&domain.Grid{ID: "EMPTY", Name: "空网格", Level: domain.LevelBase, Geometry: empty})
	}); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ctx, st, server.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	users, err := st.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users { // grid workers sign in with the same password
		if u.Role == domain.RoleReporter && u.UnitID != "" {
			if err := srv.SetPassword(ctx, u.Username, adminPW); err != nil {
				t.Fatal(err)
			}
		}
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); st.Close() })
	d := &townDocs{t: t, st: st, ts: ts, tokens: map[domain.Role]string{}}
	for role, user := range map[domain.Role]string{domain.RoleAdmin: "admin", domain.RoleReporter: "field-app", domain.RoleAuditor: "auditor",
		domain.RoleUnitMember: "member-fire", domain.RoleTeamLeader: "leader01", domain.RoleDutyOfficer: "duty1"} {
		if user != "admin" {
			if err := srv.SetPassword(ctx, user, adminPW); err != nil {
				t.Fatal(err)
			}
		}
		d.tokens[role] = d.login(user)
	}
	findings, err := st.AllFindings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	open := map[string]bool{}
	for _, f := range findings {
		if f.Status == domain.FindingOpen {
			open[f.EntityID] = true
			if d.inspection.ID == "" {
				if d.inspection, err = st.Inspection(ctx, f.InspectionID); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if d.inspection.ID == "" {
		t.Fatal("the town has no open hazard")
	}
	if d.entity, err = st.Entity(ctx, d.inspection.EntityID); err != nil {
		t.Fatal(err)
	}
	ents, err := st.Entities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !open[e.ID] {
			d.clean = e
			break
		}
	}
	if d.grids, err = st.Grids(ctx); err != nil {
		t.Fatal(err)
	}
	return d
}

// workerToken signs in the grid worker whose station serves the entity's
// grid (a grid below one of the station's grids).
func (d *townDocs) workerToken(t *testing.T, e domain.Entity) string {
	t.Helper()
	ctx := context.Background()
	parent := map[string]string{}
	for _, g := range d.grids {
		parent[g.ID] = g.ParentID
	}
	units, err := d.st.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	users, err := d.st.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for g := e.GridID; g != ""; g = parent[g] {
		for _, u := range units {
			if u.Kind == domain.UnitStation && slices.Contains(u.GridIDs, g) {
				for _, w := range users {
					if w.Role == domain.RoleReporter && w.UnitID == u.ID {
						return d.login(w.Username)
					}
				}
			}
		}
	}
	t.Fatalf("no grid worker serves %s (grid %s)", e.Name, e.GridID)
	return ""
}

func (d *townDocs) login(user string) string {
	d.t.Helper()
	res, err := http.Post(d.ts.URL+"/api/v1/login", "application/json", strings.NewReader(`{"username":"`+user+`","password":"`+adminPW+`"}`))
	if err != nil {
		d.t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 200 {
		d.t.Fatalf("login %s: %d %v", user, res.StatusCode, err)
	}
	return out.Token
}

func (d *townDocs) get(path, token string) (*http.Response, []byte) {
	d.t.Helper()
	return d.send("GET", path, token, "", nil)
}

// pdf fetches a document and checks the answer is a PDF with the right
// file name.
func (d *townDocs) pdf(t *testing.T, path, token, filename string) []byte {
	t.Helper()
	res, body := d.get(path, token)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("GET %s: content type %q", path, ct)
	}
	disp, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
	if err != nil || disp != "inline" || params["filename"] != filename {
		t.Errorf("GET %s: Content-Disposition %q, want inline; filename=%s", path, res.Header.Get("Content-Disposition"), filename)
	}
	if !bytes.HasPrefix(body, []byte("%PDF-")) {
		t.Fatalf("GET %s: body starts %q", path, body[:min(len(body), 16)])
	}
	return body
}

// pdfText returns the text pdftotext finds, without white space, and the
// page count; ok is false when pdftotext is not installed.
func pdfText(t *testing.T, pdf []byte) (text string, pages int, ok bool) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return "", 0, false
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", file, "-")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("pdftotext: %v %s", err, stderr.String())
	}
	return strings.Join(strings.Fields(string(out)), ""), strings.Count(string(out), "\f"), true
}

func wantText(t *testing.T, pdf []byte, want ...string) {
	t.Helper()
	text, _, ok := pdfText(t, pdf)
	if !ok {
		t.Fatal("pdftotext (poppler-utils) is not installed; make setup installs it")
	}
	for _, w := range want {
		if !strings.Contains(text, strings.Join(strings.Fields(w), "")) {
			t.Errorf("pdftotext does not find %q", w)
		}
	}
}

func (d *townDocs) problem(t *testing.T, path, token string, status int, kind, field string) {
	t.Helper()
	res, body := d.get(path, token)
	if res.StatusCode != status || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("GET %s: %d %s %s, want %d problem", path, res.StatusCode, res.Header.Get("Content-Type"), body, status)
	}
	var p server.Problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != status || p.Field != field || (kind != "" && !strings.HasSuffix(p.Type, "/"+kind)) {
		t.Errorf("GET %s: problem %+v, want type …/%s field %q", path, p, kind, field)
	}
}

func TestDocuments(t *testing.T) {
	d := newTownDocs(t)
	ctx := context.Background()

	t.Run("inspection report", func(t *testing.T) {
		path := "/api/v1/inspections/" + d.inspection.ID + "/report.pdf"
		for _, role := range []domain.Role{domain.RoleReporter, domain.RoleAuditor, domain.RoleTeamLeader} {
			pdf := d.pdf(t, path, d.tokens[role], report.Filename(report.KindInspection, d.inspection.ID))
			if role == domain.RoleReporter {
				wantText(t, pdf, d.entity.Name, report.ReportNo(d.inspection))
			}
		}
	})

	t.Run("rectification notice", func(t *testing.T) {
		path := "/api/v1/entities/" + d.entity.ID + "/notice.pdf"
		for _, role := range []domain.Role{domain.RoleReporter, domain.RoleDutyOfficer} {
			pdf := d.pdf(t, path, d.tokens[role], report.Filename(report.KindNotice, d.entity.ID))
			if role == domain.RoleReporter {
				wantText(t, pdf, d.entity.Name, "隐患整改通知书", "综合行政执法队")
			}
		}
		// a unit member reads their unit's cases, not the town's entities (server/scope.go)
		d.problem(t, path, d.tokens[domain.RoleUnitMember], 404, "not-found", "id")
	})

	t.Run("door plates", func(t *testing.T) {
		micro := d.entity.GridID
		var base string
		for _, g := range d.grids {
			if g.ID == micro {
				base = g.ParentID
			}
		}
		if base == "" {
			t.Fatalf("grid %s has no parent", micro)
		}
		for _, id := range []string{micro, base} {
			ents, err := d.st.EntitiesInGrid(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			res, _ := d.get("/api/v1/grids/"+id+"/plates.pdf", d.tokens[domain.RoleReporter])
			if got := res.Header.Get(server.PlatesSkippedHeader); got != "0" {
				t.Errorf("%s: %s = %q, want 0", id, server.PlatesSkippedHeader, got)
			}
			pdf := d.pdf(t, "/api/v1/grids/"+id+"/plates.pdf", d.tokens[domain.RoleReporter], report.Filename(report.KindPlates, id))
			text, pages, ok := pdfText(t, pdf)
			if !ok {
				t.Fatal("pdftotext (poppler-utils) is not installed; make setup installs it")
			}
			if want := (len(ents) + report.PlatesPerPage - 1) / report.PlatesPerPage; pages != want {
				t.Errorf("%s: %d pages for %d entities, want %d", id, pages, len(ents), want)
			}
			for _, e := range ents {
				if !strings.Contains(text, strings.Join(strings.Fields(e.Name), "")) {
					t.Errorf("%s: pdftotext does not find %s %q", id, e.ID, e.Name)
				}
			}
			if !strings.Contains(text, d.entity.Name) {
				t.Errorf("%s: no plate for %s", id, d.entity.Name)
			}
		}
	})

	t.Run("errors", func(t *testing.T) {
		rep := d.tokens[domain.RoleReporter]
		d.problem(t, "/api/v1/inspections/NOPE/report.pdf", rep, 404, "not-found", "id")
		d.problem(t, "/api/v1/entities/NOPE/notice.pdf", rep, 404, "not-found", "id")
		d.problem(t, "/api/v1/entities/"+d.clean.ID+"/notice.pdf", rep, 404, "no-open-hazards", "id")
		d.problem(t, "/api/v1/grids/NOPE/plates.pdf", rep, 404, "not-found", "id")
		d.problem(t, "/api/v1/grids/EMPTY/plates.pdf", rep, 404, "no-entities", "id")
		d.problem(t, "/api/v1/inspections/"+d.inspection.ID+"/report.pdf", "", 401, "unauthorized", "")
		d.problem(t, "/api/v1/entities/"+d.entity.ID+"/notice.pdf", "forged", 401, "unauthorized", "")
		d.problem(t, "/api/v1/grids/"+d.entity.GridID+"/plates.pdf", "", 401, "unauthorized", "")
	})

	t.Run("openapi", func(t *testing.T) {
		d.matchOpenAPI(t)
	})

	t.Run("entities in grid", func(t *testing.T) {
		ents, err := d.st.Entities(ctx)
		if err != nil {
			t.Fatal(err)
		}
		total := map[string]int{}
		for _, g := range d.grids {
			if g.Level == domain.LevelMicro && g.ID > "M0010" {
				continue // a sample of the 675 micro grids
			}
			got, err := d.st.EntitiesInGrid(ctx, g.ID)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := domain.NewGridScope(d.grids, g.ID)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for i := range ents {
				if sc.Contains(&ents[i]) {
					want = append(want, ents[i].ID)
				}
			}
			var ids []string
			for _, e := range got {
				ids = append(ids, e.ID)
			}
			slices.Sort(ids)
			if !slices.Equal(ids, want) {
				t.Errorf("%s: EntitiesInGrid has %d entities, GridScope %d", g.ID, len(ids), len(want))
			}
			total[g.Level] += len(got)
		}
		// inspection, enforcement and base grids each partition the town
		for _, level := range []string{domain.LevelInspection, domain.LevelEnforcement, domain.LevelBase} {
			if total[level] != len(ents) {
				t.Errorf("%s grids hold %d entities, the town %d", level, total[level], len(ents))
			}
		}
		if _, err := d.st.EntitiesInGrid(ctx, "NOPE"); err == nil {
			t.Error("EntitiesInGrid of an unknown grid: no error")
		}
	})

	t.Run("largest grid", func(t *testing.T) {
		start := time.Now()
		pdf := d.pdf(t, "/api/v1/grids/F1/plates.pdf", d.tokens[domain.RoleAdmin], "plates-F1.pdf")
		t.Logf("plates of F1: %d bytes in %v", len(pdf), time.Since(start))
	})
}

// matchOpenAPI checks the document endpoints' requests and answers against
// the served OpenAPI document, as TestResponsesMatchOpenAPI does for the
// others.
func (d *townDocs) matchOpenAPI(t *testing.T) {
	res, raw := d.get("/api/v1/openapi.json", "")
	if res.StatusCode != 200 {
		t.Fatalf("openapi.json: %d", res.StatusCode)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is invalid: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: d.ts.URL}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	check := func(path, token string, wantStatus int) {
		t.Helper()
		req, _ := http.NewRequest("GET", d.ts.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("GET %s is not in the OpenAPI document: %v", path, err)
		}
		seen[route.Operation.OperationID] = true
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if wantStatus < 300 {
			if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
				t.Fatalf("GET %s: the request does not match the document: %v", path, err)
			}
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		got, _ := io.ReadAll(res.Body)
		if res.StatusCode != wantStatus {
			t.Fatalf("GET %s: status %d, want %d: %.200s", path, res.StatusCode, wantStatus, got)
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
			Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		out.SetBodyBytes(got)
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			t.Errorf("GET %s → %d: the answer does not match the document: %v", path, res.StatusCode, err)
		}
	}
	tok := d.tokens[domain.RoleReporter]
	check("/api/v1/inspections/"+d.inspection.ID+"/report.pdf", tok, 200)
	check("/api/v1/inspections/NOPE/report.pdf", tok, 404)
	check("/api/v1/inspections/"+d.inspection.ID+"/report.pdf", "", 401)
	check("/api/v1/entities/"+d.entity.ID+"/notice.pdf", tok, 200)
	check("/api/v1/entities/"+d.clean.ID+"/notice.pdf", tok, 404)
	check("/api/v1/entities/"+d.entity.ID+"/notice.pdf", "", 401)
	check("/api/v1/grids/"+d.entity.GridID+"/plates.pdf", tok, 200)
	check("/api/v1/grids/EMPTY/plates.pdf", tok, 404)
	check("/api/v1/grids/NOPE/plates.pdf", "", 401)
	for _, op := range []string{"inspectionReport", "rectificationNotice", "doorPlates"} {
		if !seen[op] {
			t.Errorf("operation %s was never exercised", op)
		}
	}
}
