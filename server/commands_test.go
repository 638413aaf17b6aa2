package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"griddesk/domain"
)

func cmdJSON(id, typ, args string) string {
	return fmt.Sprintf(`{"id":%q,"type":%q,"args":%s,"issued_at":%q}`, id, typ, args, time.Now().UTC().Format(time.RFC3339Nano))
}

func TestCommandsBadInput(t *testing.T) {
	f := newFixture(t)
	tok := f.login("admin", adminPW)
	resp, body := f.do("POST", "/api/v1/cases", tok, map[string]any{"title": "井盖缺失", "category": "road", "lon": 120.05, "lat": 30.05})
	if resp.StatusCode != 201 {
		t.Fatal(body)
	}
	caseID := body["id"].(string)
	many := make([]string, 101)
	for i := range many {
		many[i] = cmdJSON(uuid.NewString(), "case.register", `{"case_id":"`+caseID+`"}`)
	}
	tests := []struct {
		name   string
		body   string
		status int
		field  string // batch-level problem field, or the first result's
	}{
		{"oversize batch", `{"commands":[` + strings.Join(many, ",") + `]}`, 422, "commands"},
		{"missing commands", `{}`, 422, "commands"},
		{"unknown field", `{"commands":[],"force":true}`, 422, "force"},
		{"bad uuid", `{"commands":[` + cmdJSON("not-a-uuid", "case.register", `{"case_id":"`+caseID+`"}`) + `]}`, 200, "id"},
		{"unknown type", `{"commands":[` + cmdJSON(uuid.NewString(), "case.teleport", `{"case_id":"`+caseID+`"}`) + `]}`, 200, "type"},
		{"wrong arg type", `{"commands":[` + cmdJSON(uuid.NewString(), "case.dispatch", `{"case_id":"`+caseID+`","unit_id":7}`) + `]}`, 200, "args.unit_id"},
		{"unknown arg", `{"commands":[` + cmdJSON(uuid.NewString(), "case.register", `{"case_id":"`+caseID+`","colour":"red"}`) + `]}`, 200, "args.colour"},
		{"invalid transition", `{"commands":[` + cmdJSON(uuid.NewString(), "case.close", `{"case_id":"`+caseID+`"}`) + `]}`, 200, ""},
		{"missing reason", `{"commands":[` + cmdJSON(uuid.NewString(), "case.reject", `{"case_id":"`+caseID+`"}`) + `]}`, 200, "args.note"},
		{"no such case", `{"commands":[` + cmdJSON(uuid.NewString(), "case.register", `{"case_id":"C-none"}`) + `]}`, 200, "args.case_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, raw := f.raw("POST", "/api/v1/commands", tok, tt.body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, raw)
			}
			if tt.status != 200 {
				var p map[string]any
				json.Unmarshal(raw, &p)
				if p["field"] != tt.field || resp.Header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("problem %v, want field %q", p, tt.field)
				}
				return
			}
			var res struct {
				Results []struct {
					Status  string
					Problem map[string]any
				}
			}
			json.Unmarshal(raw, &res)
			if len(res.Results) != 1 || res.Results[0].Status != "rejected" || res.Results[0].Problem == nil {
				t.Fatalf("results = %s", raw)
			}
			if got := res.Results[0].Problem["field"]; tt.field != "" && got != tt.field {
				t.Fatalf("problem names field %v, want %q: %s", got, tt.field, raw)
			}
		})
	}
	c, _ := f.st.Case(context.Background(), caseID)
	if c.Status != domain.StatusReported || c.Version != 1 {
		t.Fatalf("refused commands changed the case: %+v", c)
	}
}

func TestCommandReplayAnswersTheFirstResult(t *testing.T) {
	f := newFixture(t)
	tok := f.login("admin", adminPW)
	_, body := f.do("POST", "/api/v1/cases", tok, map[string]any{"title": "噪声", "category": "noise", "lon": 120.05, "lat": 30.05})
	caseID := body["id"].(string)
	good := cmdJSON(uuid.NewString(), "case.register", `{"case_id":"`+caseID+`"}`)
	bad := cmdJSON(uuid.NewString(), "case.evaluate", `{"case_id":"`+caseID+`"}`)
	want := []string{"applied", "rejected"}
	for round := 0; round < 3; round++ {
		_, raw := f.raw("POST", "/api/v1/commands", tok, `{"commands":[`+good+`,`+bad+`]}`)
		var res struct{ Results []struct{ Status string } }
		json.Unmarshal(raw, &res)
		if res.Results[0].Status != want[0] || res.Results[1].Status != want[1] {
			t.Fatalf("round %d: %s", round, raw)
		}
		want[0] = "duplicate" // a replay of an applied command
	}
	tl, _ := f.st.Timeline(context.Background(), caseID)
	if len(tl) != 2 {
		t.Fatalf("timeline has %d actions, want report + one register", len(tl))
	}
	log, _ := f.st.AuditLog(context.Background(), 10)
	if len(log) != 2 || log[0].Remote == "" {
		t.Fatalf("audit log = %+v", log)
	}
}

func TestLoginRateLimit(t *testing.T) {
	f := newFixture(t)
	limited := false
	for i := 0; i < 15; i++ {
		resp, _ := f.do("POST", "/api/v1/login", "", map[string]string{"username": "admin", "password": "guess"})
		if resp.StatusCode == 429 {
			limited = resp.Header.Get("Retry-After") != ""
			break
		}
	}
	if !limited {
		t.Fatal("15 wrong passwords in a row were never limited")
	}
}
