package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/paulmach/orb"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/server"
	"griddesk/store"
)

// allowed is the authorization table of issue 14, written from the issue
// (not from the registry): for each command, the roles that may issue it
// on any target ("any") and those that may on their own unit's, team's or
// grids' target only ("own"). A role not named may not issue it at all.
var allowed = map[string]map[domain.Role]string{
	command.CaseRegister: {domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseReject:   {domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseDispatch: {domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseAccept:   {domain.RoleUnitMember: "own", domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseReturn:   {domain.RoleUnitMember: "own", domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseArrive:   {domain.RoleUnitMember: "own", domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseFeedback: {domain.RoleUnitMember: "own", domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseHandle:   {domain.RoleUnitMember: "own", domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseVerify:   {domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseClose:    {domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseDefer:    {domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseResume:   {domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseEscalate: {domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseEvaluate: {domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	// issue 17: the duty officer's daily work around the loop
	command.CaseUrge:      {domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseSupervise: {domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseMerge:     {domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseUnmerge:   {domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},
	command.CaseCallback:  {domain.RoleDutyOfficer: "any", domain.RoleAdmin: "any"},

	command.InspectionRecord: {domain.RoleReporter: "own", domain.RoleTeamLeader: "own", domain.RoleAdmin: "any"},
	command.InspectionReview: {domain.RoleTeamLeader: "own", domain.RoleAdmin: "any"},
	command.HazardRectify:    {domain.RoleReporter: "own", domain.RoleTeamLeader: "own", domain.RoleAdmin: "any"},
	command.PlanPublish:      {domain.RoleTeamLeader: "own", domain.RoleAdmin: "any"},
	command.GridImport:       {domain.RoleAdmin: "any"},
	command.EntityImport:     {domain.RoleAdmin: "any"},
	command.SettingPut:       {domain.RoleAdmin: "any"},
	command.CatalogPut:       {domain.RoleAdmin: "any"},
	command.CategoryImport:   {domain.RoleAdmin: "any"},
}

// town is a running server on the demo town with one account of each role
// and, for every kind of target, one that is its own and one that is not.
type town struct {
	t      *testing.T
	st     *store.Store
	srv    *server.Server
	f      *fixture
	tokens map[domain.Role]string
	users  map[domain.Role]domain.User
	// own and other targets: cases dispatched to D-FIRE (the member's) and
	// to D-GAS; entities in and out of grid01's grids; inspections and
	// hazards of team T01 (leader01's) and T02
	caseOwn, caseOther       string
	entityOwn, entityOther   domain.Entity
	inspOwn, inspOther       string
	findingOwn, findingOther string
	item                     string
}

func newTown(t *testing.T) *town {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "town.db"), store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.Bootstrap(ctx, st, server.SeedTown, adminPW, time.Now()); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ctx, st, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, st: st, srv: srv, ts: newHTTPTest(t, srv)}
	tw := &town{t: t, st: st, srv: srv, f: f, tokens: map[domain.Role]string{}, users: map[domain.Role]domain.User{}}
	for role, name := range map[domain.Role]string{domain.RoleAdmin: "admin", domain.RoleDutyOfficer: "duty1", domain.RoleTeamLeader: "leader01",
		domain.RoleUnitMember: "member-fire", domain.RoleAuditor: "auditor", domain.RoleReporter: "grid01"} {
		if name != "admin" {
			if err := srv.SetPassword(ctx, name, adminPW); err != nil {
				t.Fatal(err)
			}
		}
		u, _, err := st.UserByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		tw.users[role], tw.tokens[role] = u, f.login(name, adminPW)
	}
	// entities in and out of grid01's grids (its station V01)
	units, _ := st.Units(ctx)
	served := map[string]bool{}
	for _, u := range units {
		if u.ID == tw.users[domain.RoleReporter].UnitID {
			for _, g := range u.GridIDs {
				served[g] = true
			}
		}
	}
	grids, _ := st.Grids(ctx)
	parent := map[string]string{}
	for _, g := range grids {
		parent[g.ID] = g.ParentID
	}
	ents, _ := st.Entities(ctx)
	for _, e := range ents {
		in := served[e.GridID] || served[parent[e.GridID]]
		if in && tw.entityOwn.ID == "" {
			tw.entityOwn = e
		}
		if !in && tw.entityOther.ID == "" {
			tw.entityOther = e
		}
	}
	items, _ := st.CheckItems(ctx)
	tw.item = items[0].ID
	// cases dispatched to the member's unit and to another
	tw.caseOwn, tw.caseOther = tw.dispatched("D-FIRE"), tw.dispatched("D-GAS")
	// inspections of team T01 and T02, recorded by the grid worker, each with
	// a hazard in the worker's grids (T01) or not (T02)
	tw.inspOwn, tw.findingOwn = tw.inspection("T01", tw.entityOwn, domain.RoleReporter)
	leader02, _, err := st.UserByName(ctx, "leader02")
	if err != nil {
		t.Fatal(err)
	}
	tw.users["leader02"] = leader02
	tw.inspOther, tw.findingOther = tw.inspection("T02", tw.entityOther, "leader02")
	return tw
}

// apply runs a command through the server as role and fails on refusal.
func (tw *town) apply(role domain.Role, typ string, args any) {
	tw.t.Helper()
	c, err := command.New(typ, args, 0, time.Now())
	if err != nil {
		tw.t.Fatal(err)
	}
	res, err := tw.srv.Apply(context.Background(), c, tw.users[role], "test")
	if err != nil || res.Status != domain.Applied {
		tw.t.Fatalf("%s as %s: %+v %v %+v", typ, role, res, err, res.Problem)
	}
}

func (tw *town) dispatched(unit string) string {
	id := uuid.NewString()
	tw.apply(domain.RoleDutyOfficer, command.CaseRegister, command.CaseArgs{CaseID: id, New: &command.NewCase{Title: "测试事件", Category: "road",
		Lon: tw.entityOwn.Lon, Lat: tw.entityOwn.Lat}})
	tw.apply(domain.RoleDutyOfficer, command.CaseDispatch, command.CaseArgs{CaseID: id, UnitID: unit})
	return id
}

func (tw *town) inspection(team string, e domain.Entity, by domain.Role) (insp, finding string) {
	id := uuid.NewString()
	c, _ := command.New(command.InspectionRecord, command.InspectionArgs{InspectionID: id, EntityID: e.ID, TeamID: team,
		Results: []domain.ItemResult{{ItemID: tw.item, Result: domain.ResultFail}},
		Hazards: []command.Hazard{{ItemID: tw.item, Severity: domain.SeverityGeneral, Description: "测试隐患"}}}, 0, time.Now())
	res, err := tw.srv.Apply(context.Background(), c, tw.users[by], "test")
	if err != nil || res.Status != domain.Applied {
		tw.t.Fatalf("record %s: %+v %v %+v", team, res, err, res.Problem)
	}
	return id, c.ID + "/h1"
}

// send posts one command as role and returns its result.
func (tw *town) send(role domain.Role, typ string, args any) server.CommandResult {
	tw.t.Helper()
	c, err := command.New(typ, args, 0, time.Now())
	if err != nil {
		tw.t.Fatal(err)
	}
	resp, body := tw.f.do("POST", "/api/v1/commands", tw.tokens[role], server.CommandsRequest{Commands: []domain.Command{c}})
	if resp.StatusCode != http.StatusOK {
		tw.t.Fatalf("%s as %s: HTTP %d %v", typ, role, resp.StatusCode, body)
	}
	raw, _ := json.Marshal(body)
	var out server.CommandsResponse
	json.Unmarshal(raw, &out)
	return out.Results[0]
}

// argsFor makes a valid command of each type on the own or the other target.
func (tw *town) argsFor(typ string, own bool) any {
	pick := func(a, b string) string {
		if own {
			return a
		}
		return b
	}
	e := tw.entityOther
	if own {
		e = tw.entityOwn
	}
	caseID := pick(tw.caseOwn, tw.caseOther)
	passed := true
	sq := orb.MultiPolygon{{{{120.30, 30.10}, {120.31, 30.10}, {120.31, 30.11}, {120.30, 30.11}, {120.30, 30.10}}}}
	switch typ {
	case command.CaseRegister:
		return command.CaseArgs{CaseID: uuid.NewString(), New: &command.NewCase{Title: "井盖缺失", Category: "road", Lon: e.Lon, Lat: e.Lat}}
	case command.CaseDispatch, command.CaseEscalate:
		return command.CaseArgs{CaseID: caseID, UnitID: "D-LAW", Note: "转执法处理"}
	case command.CaseVerify:
		return command.CaseArgs{CaseID: caseID, Passed: &passed}
	case command.CaseEvaluate:
		return command.CaseArgs{CaseID: caseID, Satisfaction: domain.Satisfied}
	case command.CaseUrge:
		return command.CaseArgs{CaseID: caseID, Note: "请加快处置"}
	case command.CaseSupervise:
		return command.CaseArgs{CaseID: caseID, Note: "请限期办结", Leader: "分管副镇长", Due: time.Now().Add(48 * time.Hour)}
	case command.CaseMerge:
		return command.CaseArgs{CaseID: caseID, Into: pick(tw.caseOther, tw.caseOwn), Note: "同一事项"}
	case command.CaseCallback:
		return command.CaseArgs{CaseID: caseID, Reached: &passed, Satisfaction: domain.Satisfied}
	case command.InspectionRecord:
		return command.InspectionArgs{InspectionID: uuid.NewString(), EntityID: e.ID, TeamID: pick("T01", "T02"),
			Results: []domain.ItemResult{{ItemID: tw.item, Result: domain.ResultPass}}}
	case command.InspectionReview:
		return command.InspectionArgs{InspectionID: pick(tw.inspOwn, tw.inspOther), Decision: domain.DecisionReturn, Note: "请复查"}
	case command.HazardRectify:
		return command.InspectionArgs{FindingID: pick(tw.findingOwn, tw.findingOther), Note: "已整改完毕"}
	case command.PlanPublish:
		day := time.Now().Truncate(24 * time.Hour)
		return command.PlanArgs{PlanID: uuid.NewString(), Title: "测试计划", TeamID: pick("T01", "T02"), Start: day, End: day.AddDate(0, 0, 6),
			Visits: []command.PlannedVisit{{EntityID: e.ID, Day: day, Items: []string{tw.item}, Minutes: 5}}}
	case command.GridImport:
		return command.ImportArgs{File: "g.geojson", Grids: []domain.Grid{{ID: "X-" + uuid.NewString()[:8], Name: "新网格", Level: domain.LevelBase, Geometry: sq}}}
	case command.EntityImport:
		return command.ImportArgs{File: "e.csv", Entities: []domain.Entity{{ID: "X-" + uuid.NewString()[:8], Kind: domain.KindShop, Name: "新店",
			Lon: 120.305, Lat: 30.105, Code: domain.CodeGreen}}}
	case command.SettingPut:
		return command.SettingArgs{ID: "category:road", Value: json.RawMessage(`{"keywords":["井盖"]}`)}
	case command.CatalogPut:
		items, _ := tw.st.CheckItems(context.Background())
		return command.CatalogArgs{Items: items[:1]}
	case command.CategoryImport:
		return command.CategoryImportArgs{File: "权责清单.xlsx", Categories: domain.Categories()}
	}
	return command.CaseArgs{CaseID: caseID, Note: "测试理由"}
}

// TestAuthorizationMatrix walks role × command × own/other target against
// a running server: every combination the table allows is not forbidden
// (it may still meet the case's state), every other one is refused with
// 403 naming why.
func TestAuthorizationMatrix(t *testing.T) {
	tw := newTown(t)
	if len(allowed) != len(command.Types()) {
		t.Fatalf("the table has %d commands, the registry %d", len(allowed), len(command.Types()))
	}
	for _, typ := range command.Types() {
		for _, role := range domain.Roles {
			for _, own := range []bool{true, false} {
				name := fmt.Sprintf("%s/%s/own=%v", typ, role, own)
				want := allowed[typ][role] == "any" || (own && allowed[typ][role] == "own")
				res := tw.send(role, typ, tw.argsFor(typ, own))
				forbidden := res.Status == domain.Rejected && res.Problem != nil && res.Problem.Status == http.StatusForbidden
				switch {
				case want && forbidden:
					t.Errorf("%s: refused as forbidden: %s", name, res.Problem.Detail)
				case !want && !forbidden:
					detail := ""
					if res.Problem != nil {
						detail = fmt.Sprintf("%d %s", res.Problem.Status, res.Problem.Detail)
					}
					t.Errorf("%s: %s %s, want 403", name, res.Status, detail)
				case !want && res.Problem.Detail == "":
					t.Errorf("%s: 403 without a reason", name)
				}
			}
		}
	}
}

// A unit member acting on another unit's case is told which unit it is.
func TestOtherUnitNamed(t *testing.T) {
	tw := newTown(t)
	res := tw.send(domain.RoleUnitMember, command.CaseAccept, command.CaseArgs{CaseID: tw.caseOther})
	if res.Problem == nil || res.Problem.Status != 403 || !containsAll(res.Problem.Detail, "燃气安全办公室", "D-GAS", "消防救援站") {
		t.Fatalf("accept of D-GAS's case by D-FIRE: %+v", res.Problem)
	}
	if res.Problem.Code != "other_unit" || res.Problem.Params["unit"] == "" {
		t.Errorf("no message code for the desk: %+v", res.Problem)
	}
}

// Nobody accepts an inspection they recorded (four eyes), not even an admin.
func TestFourEyes(t *testing.T) {
	tw := newTown(t)
	id, _ := tw.inspection("T01", tw.entityOwn, domain.RoleAdmin)
	res := tw.send(domain.RoleAdmin, command.InspectionReview, command.InspectionArgs{InspectionID: id, Decision: domain.DecisionAccept})
	if res.Problem == nil || res.Problem.Status != 403 || res.Problem.Code != "own_inspection" {
		t.Fatalf("an admin accepted their own inspection: %+v", res)
	}
	if res := tw.send(domain.RoleTeamLeader, command.InspectionReview, command.InspectionArgs{InspectionID: id, Decision: domain.DecisionAccept}); res.Status != domain.Applied {
		t.Fatalf("the team's leader could not accept it: %+v", res.Problem)
	}
}

// An admin may grant the registers' imports to a role; nothing else can be
// granted.
func TestGrantImport(t *testing.T) {
	tw := newTown(t)
	if res := tw.send(domain.RoleTeamLeader, command.EntityImport, tw.argsFor(command.EntityImport, true)); res.Problem == nil || res.Problem.Status != 403 {
		t.Fatalf("a team leader imported without a grant: %+v", res)
	}
	tw.apply(domain.RoleAdmin, command.SettingPut, command.SettingArgs{ID: "grant:entity.import", Value: json.RawMessage(`{"roles":["team_leader"]}`)})
	if res := tw.send(domain.RoleTeamLeader, command.EntityImport, tw.argsFor(command.EntityImport, true)); res.Status != domain.Applied {
		t.Fatalf("a granted team leader could not import: %+v", res.Problem)
	}
	if res := tw.send(domain.RoleAdmin, command.SettingPut, command.SettingArgs{ID: "grant:case.dispatch", Value: json.RawMessage(`{"roles":["reporter"]}`)}); res.Status != domain.Rejected {
		t.Fatal("case.dispatch was granted")
	}
}

// An import never changes an entity's colour code or QR token, whoever
// sends it.
func TestImportKeepsCodeAndToken(t *testing.T) {
	tw := newTown(t)
	e := tw.entityOwn
	ctx := context.Background()
	red := e
	red.Code = domain.CodeRed
	if err := tw.st.Update(ctx, func(tx *store.Tx) error { return tx.PutEntity(&red) }); err != nil {
		t.Fatal(err)
	}
	changed := red
	changed.Code, changed.QRToken, changed.Name = domain.CodeGreen, "forged", e.Name+"（新址）"
	tw.apply(domain.RoleAdmin, command.EntityImport, command.ImportArgs{File: "e.csv", Entities: []domain.Entity{changed}})
	got, _ := tw.st.Entity(ctx, e.ID)
	if got.Code != domain.CodeRed || got.QRToken != e.QRToken || got.Name != changed.Name {
		t.Fatalf("after the import: code %s token %q name %q; want red, %q, the new name", got.Code, got.QRToken, got.Name, e.QRToken)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// newHTTPTest serves srv for one test.
func newHTTPTest(t *testing.T, srv *server.Server) *httptest.Server {
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}
