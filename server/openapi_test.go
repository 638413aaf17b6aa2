package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/google/uuid"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/server"
)

// TestResponsesMatchOpenAPI sends real requests to a real server and checks
// each request and answer against the served OpenAPI document; every
// operation of the document must be exercised.
func TestResponsesMatchOpenAPI(t *testing.T) {
	f := newFixture(t)
	loader := openapi3.NewLoader()
	resp, raw := f.raw("GET", "/api/v1/openapi.json", "", "")
	if resp.StatusCode != 200 {
		t.Fatalf("openapi.json: %d", resp.StatusCode)
	}
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is invalid: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi %s, want 3.1", doc.OpenAPI)
	}
	doc.Servers = openapi3.Servers{{URL: f.ts.URL}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	checkAs := func(method, path, token, ctype, body string, wantStatus int) []byte {
		t.Helper()
		req, _ := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s %s is not in the OpenAPI document: %v", method, path, err)
		}
		seen[route.Operation.OperationID] = true
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if wantStatus < 300 {
			if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
				t.Fatalf("%s %s: the request does not match the document: %v", method, path, err)
			}
			req.Body = io.NopCloser(strings.NewReader(body))
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		got, _ := io.ReadAll(res.Body)
		if res.StatusCode != wantStatus {
			t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, wantStatus, got)
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
			Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		out.SetBodyBytes(got)
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			t.Errorf("%s %s → %d: the answer does not match the document: %v\n%s", method, path, res.StatusCode, err, got)
		}
		return got
	}
	check := func(method, path, token, body string, wantStatus int) []byte {
		t.Helper()
		ctype := ""
		if body != "" {
			ctype = "application/json"
		}
		return checkAs(method, path, token, ctype, body, wantStatus)
	}
	check("GET", "/healthz", "", "", 200)
	check("GET", "/api/v1/openapi.json", "", "", 200)
	check("POST", "/api/v1/login", "", `{"username":"admin","password":"wrong"}`, 401)
	check("POST", "/api/v1/login", "", `{"username":"admin","password":1}`, 422)
	var login struct{ Token string }
	json.Unmarshal(check("POST", "/api/v1/login", "", `{"username":"admin","password":"`+adminPW+`"}`, 200), &login)
	tok := login.Token
	check("GET", "/api/v1/me", tok, "", 200)
	check("GET", "/api/v1/me", "", "", 401)
	check("GET", "/api/v1/changes?after=0&limit=50", tok, "", 200)
	check("GET", "/api/v1/changes?limit=99999", tok, "", 422)
	var c domain.Case
	json.Unmarshal(check("POST", "/api/v1/cases", tok, `{"title":"占道经营","category":"city_appearance","lon":120.05,"lat":30.05,"source":"hotline"}`, 201), &c)
	check("POST", "/api/v1/cases", tok, `{"title":"","category":"city_appearance","lon":120.05,"lat":30.05}`, 422)
	cmd := func(typ, args string) string {
		return `{"id":"` + uuid.NewString() + `","type":"` + typ + `","args":` + args + `,"issued_at":"` + time.Now().UTC().Format(time.RFC3339Nano) + `"}`
	}
	batch := `{"commands":[` + cmd("case.register", `{"case_id":"`+c.ID+`"}`) + `,` + cmd("case.accept", `{"case_id":"`+c.ID+`"}`) + `]}`
	var results server.CommandsResponse
	json.Unmarshal(check("POST", "/api/v1/commands", tok, batch, 200), &results)
	if len(results.Results) != 2 || results.Results[0].Status != domain.Applied || results.Results[1].Status != domain.Rejected {
		t.Errorf("results = %+v", results)
	}
	check("POST", "/api/v1/commands", tok, `{"commands":[{"id":"x"}],"extra":1}`, 422)
	check("GET", "/api/v1/users", tok, "", 200)
	var u domain.User
	json.Unmarshal(check("POST", "/api/v1/users", tok, `{"username":"duty9","name":"值班员九","role":"duty_officer","password":"long-enough-pw"}`, 201), &u)
	check("POST", "/api/v1/users", tok, `{"username":"duty9","role":"duty_officer","password":"long-enough-pw"}`, 409)
	check("PATCH", "/api/v1/users/"+u.ID, tok, `{"role":"auditor"}`, 200)
	check("PATCH", "/api/v1/users/nobody", tok, `{"role":"auditor"}`, 404)
	check("GET", "/api/v1/snapshot.gpkg?from=2026-01-01&to=2026-12-31", tok, "", 200)
	check("GET", "/api/v1/snapshot.gpkg?from=yesterday", tok, "", 422)
	jpg := string(testJPEG(t, 64, 48))
	var ph struct{ ID string }
	json.Unmarshal(checkAs("POST", "/api/v1/photos", tok, "image/jpeg", jpg, 201), &ph)
	checkAs("POST", "/api/v1/photos", tok, "image/jpeg", jpg, 200)
	checkAs("POST", "/api/v1/photos", tok, "image/png", "not a photo", 422)
	checkAs("POST", "/api/v1/photos", tok, "text/plain", "not a photo", 415)
	checkAs("GET", "/api/v1/photos/"+ph.ID, tok, "", "", 200)
	checkAs("GET", "/api/v1/photos/"+strings.Repeat("0", 64), tok, "", "", 404)
	check("GET", "/api/v1/inspections/NOPE/report.pdf", tok, "", 404)
	check("GET", "/api/v1/entities/NOPE/notice.pdf", tok, "", 404)
	check("GET", "/api/v1/grids/B1/plates.pdf", tok, "", 404)
	again := `{"id":"` + uuid.NewString() + `","title":"井盖缺失","category":"road","lon":120.05,"lat":30.05,"photos":["` + ph.ID + `"]}`
	check("POST", "/api/v1/cases", tok, again, 201)
	check("POST", "/api/v1/cases", tok, again, 200) // sent again: the same case
	check("GET", "/api/v1/cases/"+c.ID+"/contact", tok, "", 200)
	check("GET", "/api/v1/cases/NOPE/contact", tok, "", 404)
	check("GET", "/api/v1/field/today", tok, "", 200)
	check("GET", "/api/v1/field/entities/NOPE", tok, "", 404)
	check("GET", "/api/v1/field/tasks", tok, "", 200)
	check("POST", "/api/v1/logout", tok, "", 204)

	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if !seen[op.OperationID] {
				t.Errorf("%s %s (%s) was never exercised", method, path, op.OperationID)
			}
		}
	}
}

var _ routers.Router

func (f *fixture) raw(method, path, token, body string) (*http.Response, []byte) {
	f.t.Helper()
	req, _ := http.NewRequest(method, f.ts.URL+path, bytes.NewReader([]byte(body)))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// The OpenAPI document lists exactly the command types of the registry, in
// its order.
func TestOpenAPICommandTypes(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas struct {
				Command struct {
					Properties struct {
						Type struct {
							Enum []string `json:"enum"`
						} `json:"type"`
					} `json:"properties"`
				} `json:"Command"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(server.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	got, want := doc.Components.Schemas.Command.Properties.Type.Enum, command.Types()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("OpenAPI command types\n%v\nregistry\n%v", got, want)
	}
}
