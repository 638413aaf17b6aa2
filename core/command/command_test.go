package command_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/domain/photo"
	"griddesk/seed"
	"griddesk/store"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func seeded(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "c.db"), store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d := &seed.Dataset{CheckItems: seed.Catalog(),
		Units: []domain.Unit{{ID: "D-LAW", Name: "综合行政执法队", Kind: domain.UnitDepartment, Department: "law"},
			{ID: "T01", Name: "第1检查组", Kind: domain.UnitTeam}},
		Entities: []domain.Entity{{ID: "E1", Kind: domain.KindShop, Name: "老王面馆", Lon: 120.25, Lat: 30.06, Tags: []string{"catering", "gas"}, Code: domain.CodeYellow}},
	}
	if err := d.Save(ctx, st); err != nil {
		t.Fatal(err)
	}
	return st
}

// leader records inspections of team T01; reviewer, another leader of the
// team, reviews them (four eyes).
var (
	leader   = command.Actor{ID: "U-LEAD01", Role: domain.RoleTeamLeader, UnitID: "T01"}
	reviewer = command.Actor{ID: "U-LEAD02", Role: domain.RoleTeamLeader, UnitID: "T01"}
)

func run(t *testing.T, st *store.Store, typ string, args any, at time.Time) ([]domain.Ref, error) {
	t.Helper()
	c, err := command.New(typ, args, 0, at)
	if err != nil {
		t.Fatal(err)
	}
	var refs []domain.Ref
	err = st.Update(context.Background(), func(tx *store.Tx) error {
		var err error
		by := leader
		if typ == command.InspectionReview {
			by = reviewer
		}
		refs, err = command.Execute(tx, c, by, command.Options{CheckVersion: true})
		return err
	})
	return refs, err
}

func record(t *testing.T, st *store.Store, id string, at time.Time, hazards ...command.Hazard) {
	t.Helper()
	res := []domain.ItemResult{{ItemID: "FIRE-01", Result: domain.ResultPass}, {ItemID: "GAS-01", Result: domain.ResultPass}}
	for _, h := range hazards {
		res = append(res, domain.ItemResult{ItemID: h.ItemID, Result: domain.ResultFail})
	}
	if _, err := run(t, st, command.InspectionRecord, command.InspectionArgs{InspectionID: id, EntityID: "E1", Results: res, Hazards: hazards}, at); err != nil {
		t.Fatalf("record %s: %v", id, err)
	}
}

func review(t *testing.T, st *store.Store, id string, decision domain.Decision, note string, at time.Time) {
	t.Helper()
	if _, err := run(t, st, command.InspectionReview, command.InspectionArgs{InspectionID: id, Decision: decision, Note: note}, at); err != nil {
		t.Fatalf("review %s: %v", id, err)
	}
}

func code(t *testing.T, st *store.Store) string {
	e, err := st.Entity(context.Background(), "E1")
	if err != nil {
		t.Fatal(err)
	}
	return e.Code
}

func TestReviewMovesTheColourCode(t *testing.T) {
	st := seeded(t)
	// yellow: two clean reviewed visits make it green
	record(t, st, "N1", t0)
	review(t, st, "N1", domain.DecisionAccept, "", t0.Add(time.Hour))
	if c := code(t, st); c != domain.CodeYellow {
		t.Fatalf("after one clean visit: %s, want yellow", c)
	}
	record(t, st, "N2", t0.Add(30*24*time.Hour))
	review(t, st, "N2", domain.DecisionAccept, "", t0.Add(30*24*time.Hour+time.Hour))
	if c := code(t, st); c != domain.CodeGreen {
		t.Fatalf("after two clean visits: %s, want green", c)
	}
	// a major hazard turns it red, and enforcement opens a case
	record(t, st, "N3", t0.Add(60*24*time.Hour), command.Hazard{ItemID: "GAS-02", Severity: domain.SeverityMajor, Description: "钢瓶未固定"})
	review(t, st, "N3", domain.DecisionEnforcement, "拒不整改，移交执法", t0.Add(60*24*time.Hour+time.Hour))
	if c := code(t, st); c != domain.CodeRed {
		t.Fatalf("after a major hazard: %s, want red", c)
	}
	cs, _ := st.Cases(context.Background())
	if len(cs) != 1 || cs[0].Category != "gas_safety" || cs[0].Source != domain.SourceInspection || cs[0].EntityID != "E1" {
		t.Fatalf("enforcement case = %+v", cs)
	}
	fs, _ := st.Findings(context.Background(), "E1")
	if len(fs) != 1 || fs[0].Status != domain.FindingEnforcement || fs[0].Deadline.IsZero() {
		t.Fatalf("findings = %+v", fs)
	}
	// a reviewed inspection cannot be reviewed again
	if _, err := run(t, st, command.InspectionReview, command.InspectionArgs{InspectionID: "N3", Decision: domain.DecisionAccept}, t0.Add(61*24*time.Hour)); err == nil {
		t.Fatal("a second review was accepted")
	}
}

func TestRectifyAndReturn(t *testing.T) {
	st := seeded(t)
	record(t, st, "N1", t0, command.Hazard{ItemID: "FIRE-02", Severity: domain.SeverityGeneral})
	review(t, st, "N1", domain.DecisionReturn, "照片不清晰，请复查", t0.Add(time.Hour))
	ins, _ := st.Inspections(context.Background(), "E1")
	if ins[0].Status != domain.InspectionReturned || code(t, st) != domain.CodeYellow {
		t.Fatalf("returned inspection = %+v, code %s", ins[0], code(t, st))
	}
	fs, _ := st.Findings(context.Background(), "E1")
	if _, err := run(t, st, command.HazardRectify, command.InspectionArgs{FindingID: fs[0].ID, Note: "已清理通道"}, t0.Add(2*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	fs, _ = st.Findings(context.Background(), "E1")
	if fs[0].Status != domain.FindingRectified || !fs[0].RectifiedAt.Equal(t0.Add(2*24*time.Hour)) {
		t.Fatalf("finding = %+v", fs[0])
	}
	if _, err := run(t, st, command.HazardRectify, command.InspectionArgs{FindingID: fs[0].ID}, t0.Add(3*24*time.Hour)); err == nil {
		t.Fatal("rectified twice")
	}
}

func TestInspectionBadArgs(t *testing.T) {
	st := seeded(t)
	kept := keepPhoto(t, st, "门头照片")
	tests := []struct {
		name  string
		typ   string
		args  string
		field string
	}{
		{"no entity", command.InspectionRecord, `{"inspection_id":"N9","results":[{"item":"FIRE-01","result":"pass"}]}`, "args.entity_id"},
		{"no results", command.InspectionRecord, `{"inspection_id":"N9","entity_id":"E1"}`, "args.results"},
		{"bad result", command.InspectionRecord, `{"inspection_id":"N9","entity_id":"E1","results":[{"item":"FIRE-01","result":"maybe"}]}`, "args.results[0].result"},
		{"unknown item", command.InspectionRecord, `{"inspection_id":"N9","entity_id":"E1","results":[{"item":"NOPE","result":"pass"}]}`, "args.results[0].item"},
		{"unknown entity", command.InspectionRecord, `{"inspection_id":"N9","entity_id":"E404","results":[{"item":"FIRE-01","result":"pass"}]}`, "args.entity_id"},
		{"bad severity", command.InspectionRecord, `{"inspection_id":"N9","entity_id":"E1","results":[{"item":"FIRE-01","result":"fail"}],"hazards":[{"item_id":"FIRE-01","severity":"huge"}]}`, "args.hazards[0].severity"},
		{"bad decision", command.InspectionReview, `{"inspection_id":"N1","decision":"maybe"}`, "args.decision"},
		{"return without reason", command.InspectionReview, `{"inspection_id":"N1","decision":"return"}`, "args.note"},
		{"case field", command.InspectionReview, `{"inspection_id":"N1","decision":"accept","case_id":"C1"}`, "args.case_id"},
		{"no finding", command.HazardRectify, `{}`, "args.finding_id"},
		{"hazard of an item not checked", command.InspectionRecord, `{"inspection_id":"N9","entity_id":"E1","results":[{"item":"FIRE-01","result":"fail"}],"hazards":[{"item_id":"GAS-01","severity":"general"}]}`, "args.hazards[0].item_id"},
		{"hazard of an item that passed", command.InspectionRecord, `{"inspection_id":"N9","entity_id":"E1","results":[{"item":"FIRE-01","result":"pass"}],"hazards":[{"item_id":"FIRE-01","severity":"general"}]}`, "args.hazards[0].item_id"},
		{"deadline before the visit", command.InspectionRecord, `{"inspection_id":"N9","entity_id":"E1","at":"2026-11-20T09:00:00Z","results":[{"item":"FIRE-01","result":"fail"}],"hazards":[{"item_id":"FIRE-01","severity":"general","deadline":"2026-11-19T09:00:00Z"}]}`, "args.hazards[0].deadline"},
		{"photo file name", command.InspectionRecord, `{"inspection_id":"N9","entity_id":"E1","results":[{"item":"FIRE-01","result":"pass"}],"photos":["IMG_0012.jpg"]}`, "args.photos[0]"},
		{"photo not uploaded", command.InspectionRecord, `{"inspection_id":"N9","entity_id":"E1","results":[{"item":"FIRE-01","result":"pass"}],"photos":["` + kept + `","` + photo.ID([]byte("never sent")) + `"]}`, "args.photos[1]"},
		{"photo twice", command.InspectionRecord, `{"inspection_id":"N9","entity_id":"E1","results":[{"item":"FIRE-01","result":"pass"}],"photos":["` + kept + `","` + kept + `"]}`, "args.photos[1]"},
		{"review photos", command.InspectionReview, `{"inspection_id":"N1","decision":"accept","photos":["` + kept + `"]}`, "args.photos"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := command.New(tt.typ, json.RawMessage(tt.args), 0, t0)
			err := st.Update(context.Background(), func(tx *store.Tx) error {
				_, err := command.Execute(tx, c, leader, command.Options{})
				return err
			})
			var ce *command.Error
			if !errors.As(err, &ce) || ce.Field != tt.field {
				t.Fatalf("err = %v, want a refusal naming %s", err, tt.field)
			}
		})
	}
	if ins, _ := st.Inspections(context.Background(), "E1"); len(ins) != 0 {
		t.Fatalf("refused records left %d inspections", len(ins))
	}
}

// TestReinspectionConfirmsRectification: a hazard stays open until a
// reviewed re-inspection finds its item in order; a re-inspection sent back
// confirms nothing, and an item failing again keeps it open.
func TestReinspectionConfirmsRectification(t *testing.T) {
	st := seeded(t)
	record(t, st, "N1", t0, command.Hazard{ItemID: "FIRE-02", Severity: domain.SeverityGeneral}, command.Hazard{ItemID: "GAS-02", Severity: domain.SeverityGeneral})
	review(t, st, "N1", domain.DecisionAccept, "", t0.Add(time.Hour))
	status := func() map[string]string {
		fs, _ := st.Findings(context.Background(), "E1")
		out := map[string]string{}
		for _, f := range fs {
			if f.InspectionID == "N1" {
				out[f.ItemID] = string(f.Status)
			}
		}
		return out
	}
	// N2 finds the extinguisher in order and the gas item failing again
	visit := t0.Add(10 * 24 * time.Hour)
	res := []domain.ItemResult{{ItemID: "FIRE-02", Result: domain.ResultPass}, {ItemID: "GAS-02", Result: domain.ResultFail}}
	args := command.InspectionArgs{InspectionID: "N2", EntityID: "E1", At: visit, Results: res,
		Hazards: []command.Hazard{{ItemID: "GAS-02", Severity: domain.SeverityGeneral}}}
	if _, err := run(t, st, command.InspectionRecord, args, visit); err != nil {
		t.Fatal(err)
	}
	review(t, st, "N2", domain.DecisionReturn, "照片不清，重新检查", visit.Add(time.Hour))
	if got := status(); got["FIRE-02"] != "open" || got["GAS-02"] != "open" {
		t.Fatalf("after a re-inspection sent back: %v, want both open", got)
	}
	args.InspectionID = "N3"
	if _, err := run(t, st, command.InspectionRecord, args, visit.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	review(t, st, "N3", domain.DecisionAccept, "", visit.Add(3*time.Hour))
	if got := status(); got["FIRE-02"] != "rectified" || got["GAS-02"] != "open" {
		t.Fatalf("after an accepted re-inspection: %v, want FIRE-02 rectified, GAS-02 open", got)
	}
	fs, _ := st.Findings(context.Background(), "E1")
	openGas := 0
	for _, f := range fs {
		if f.InspectionID == "N1" && f.ItemID == "FIRE-02" && !f.RectifiedAt.Equal(visit) {
			t.Errorf("rectified at %v, want the re-inspection's visit %v", f.RectifiedAt, visit)
		}
		if f.ItemID == "GAS-02" && f.Status == domain.FindingOpen {
			openGas++
			if f.InspectionID != "N1" || !strings.Contains(f.Description, "复查仍不合格") {
				t.Errorf("the open gas hazard is %s %q, want N1's, noted as found again", f.InspectionID, f.Description)
			}
		}
	}
	if openGas != 1 {
		t.Errorf("%d open hazards on the gas item after two failed re-inspections, want the one", openGas)
	}
}

// keepPhoto stores a photo as an upload would and returns its ID.
func keepPhoto(t *testing.T, st *store.Store, content string) string {
	t.Helper()
	b := []byte(content)
	if _, err := st.PutPhoto(context.Background(), &domain.Photo{ID: photo.ID(b), MIME: "image/jpeg", Width: 1, Height: 1, Data: b}); err != nil {
		t.Fatal(err)
	}
	return photo.ID(b)
}

// TestInspectionPhotos: an inspection and a rectification keep the photos
// they name; a rectification naming a photo never uploaded is refused and
// leaves the hazard open.
func TestInspectionPhotos(t *testing.T) {
	st := seeded(t)
	door, extinguisher, after := keepPhoto(t, st, "门头"), keepPhoto(t, st, "灭火器"), keepPhoto(t, st, "整改后")
	res := []domain.ItemResult{{ItemID: "FIRE-01", Result: domain.ResultFail}}
	if _, err := run(t, st, command.InspectionRecord, command.InspectionArgs{InspectionID: "N1", EntityID: "E1", Results: res,
		Hazards: []command.Hazard{{ItemID: "FIRE-01", Severity: domain.SeverityGeneral}}, Photos: []string{door, extinguisher}}, t0); err != nil {
		t.Fatal(err)
	}
	in, err := st.Inspection(context.Background(), "N1")
	if err != nil || len(in.Photos) != 2 || in.Photos[0] != door || in.Photos[1] != extinguisher {
		t.Fatalf("inspection photos = %v (%v)", in.Photos, err)
	}
	fs, _ := st.Findings(context.Background(), "E1")
	missing := photo.ID([]byte("never sent"))
	_, err = run(t, st, command.HazardRectify, command.InspectionArgs{FindingID: fs[0].ID, Photos: []string{after, missing}}, t0.Add(time.Hour))
	var ce *command.Error
	if !errors.As(err, &ce) || ce.Field != "args.photos[1]" {
		t.Fatalf("rectify with a photo never uploaded: %v", err)
	}
	if fs, _ = st.Findings(context.Background(), "E1"); fs[0].Status != domain.FindingOpen || len(fs[0].Photos) != 0 {
		t.Fatalf("a refused rectification changed the hazard: %+v", fs[0])
	}
	if _, err := run(t, st, command.HazardRectify, command.InspectionArgs{FindingID: fs[0].ID, Photos: []string{after}}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if fs, _ = st.Findings(context.Background(), "E1"); fs[0].Status != domain.FindingRectified || len(fs[0].Photos) != 1 || fs[0].Photos[0] != after {
		t.Fatalf("rectified hazard = %+v", fs[0])
	}
}

func TestRoles(t *testing.T) {
	tests := []struct {
		role domain.Role
		typ  string
		ok   bool
	}{
		{domain.RoleDutyOfficer, command.CaseDispatch, true},
		{domain.RoleAuditor, command.CaseDispatch, false},
		{domain.RoleReporter, command.CaseDispatch, false},
		{domain.RoleReporter, command.InspectionRecord, true},
		{domain.RoleReporter, command.InspectionReview, false},
		{domain.RoleTeamLeader, command.InspectionReview, true},
		{domain.RoleUnitMember, command.CaseAccept, true},
		{domain.RoleUnitMember, command.CaseClose, false},
		{domain.RoleAuditor, command.HazardRectify, false},
		{domain.RoleTeamLeader, command.PlanPublish, true},
		{domain.RoleDutyOfficer, command.PlanPublish, false},
	}
	for _, tt := range tests {
		if got := command.Allowed(tt.role, tt.typ); got != tt.ok {
			t.Errorf("Allowed(%s, %s) = %v, want %v", tt.role, tt.typ, got, tt.ok)
		}
	}
}

func TestSettingPut(t *testing.T) {
	st := seeded(t)
	admin := command.Actor{ID: "U-ADMIN", Role: domain.RoleAdmin}
	put := func(id, value string) error {
		c, _ := command.New(command.SettingPut, command.SettingArgs{ID: id, Value: json.RawMessage(value)}, 0, t0)
		return st.Update(context.Background(), func(tx *store.Tx) error {
			_, err := command.Execute(tx, c, admin, command.Options{})
			return err
		})
	}
	tests := []struct {
		id, value, field string
	}{
		{"category:noise", `{"keywords":["噪声","广场舞"],"policy":"333","urgent_policy":"333"}`, ""},
		{"category:ufo", `{"keywords":["x"],"policy":"333"}`, "args.id"},
		{"category:noise", `{"keywords":["x"],"policy":"999"}`, "args.value.policy"},
		{"category:noise", `{"keywords":["x"],"colour":"red"}`, "args.value"},
		{"category:noise", `{"keywords":[" "],"policy":"333"}`, "args.value.keywords[0]"},
		{"calendar:2031", `{"year":2031,"days":[{"name":"元旦","date":"2031-01-01","isOffDay":true}]}`, ""},
		{"calendar:2031", `{"year":2030,"days":[]}`, "args.value"},
		{"calendar:2031", `{"year":2031,"days":[{"name":"元旦","date":"2031-13-01","isOffDay":true}]}`, "args.value"},
		{"colour:red", `{}`, "args.id"},
	}
	for _, tt := range tests {
		err := put(tt.id, tt.value)
		var ce *command.Error
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s %s: %v", tt.id, tt.value, err)
		case tt.field != "" && (!errors.As(err, &ce) || ce.Field != tt.field):
			t.Errorf("%s %s: err %v, want a refusal naming %s", tt.id, tt.value, err, tt.field)
		}
	}
	ss, _ := st.Settings(context.Background())
	if len(ss) != 2 {
		t.Fatalf("settings = %+v", ss)
	}
	cats := domain.CategoriesWith(ss)
	noise, _ := domain.CategoryIn(cats, "noise")
	if len(noise.Keywords) != 2 || noise.Keywords[1] != "广场舞" || noise.PolicyFor("urgent") != "333" {
		t.Errorf("noise with settings = %+v", noise)
	}
}
