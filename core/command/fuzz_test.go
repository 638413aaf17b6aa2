package command_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/domain/photo"
	"griddesk/seed"
	"griddesk/store"
)

// fuzzAt is the issue time of the fuzzed commands and of the seeded rows.
var fuzzAt = time.Date(2026, 3, 14, 9, 14, 0, 0, time.UTC)

const fuzzID = "6f1c1a4e-3b2d-4c5e-8f70-9a1b2c3d4e5f"

// fuzzStore is a small store: two units, a grid, and one case in each of
// the interesting states: c1 reported, c2 registered, c3 dispatched (open
// task), c4 handled, c5 closed, c6 deferred from registered, c7 accepted, c8
// on site; and for the other commands a team, three check items, a shop e1
// with a submitted inspection in1 (open hazard f1) and an accepted one in2.
// fuzzPhotos are the photos kept in the fuzz store (their bytes need not
// be images: the store keeps what domain/photo has checked).
var fuzzPhotos = [][]byte{[]byte("photo one"), []byte("photo two")}

func fuzzStore(tb testing.TB) *store.Store {
	tb.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, ":memory:", store.Options{Journal: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	err = st.Update(ctx, func(tx *store.Tx) error {
		sq := orb.MultiPolygon{{{{120, 30}, {120.1, 30}, {120.1, 30.1}, {120, 30.1}, {120, 30}}}}
		if err := tx.PutGrid(&domain.Grid{ID: "g1", Name: "一号网格", Level: domain.LevelBase, Geometry: sq}); err != nil {
			return err
		}
		for _, u := range []domain.Unit{{ID: "u1", Name: "城管中队", Kind: domain.UnitSquad}, {ID: "u2", Name: "消防站", Kind: domain.UnitStation}} {
			if err := tx.PutUnit(&u); err != nil {
				return err
			}
		}
		for i, s := range []domain.CaseStatus{domain.StatusReported, domain.StatusRegistered, domain.StatusDispatched, domain.StatusHandled, domain.StatusClosed, domain.StatusDeferred, domain.StatusAccepted, domain.StatusOnSite} {
			c := domain.Case{ID: fmt.Sprintf("c%d", i+1), No: fmt.Sprintf("2026-%04d", i+1), Title: "井盖缺失", Category: "road",
				Source: domain.SourceHotline, Lon: 120.05, Lat: 30.05, GridID: "g1", Status: s, Priority: "normal",
				Reporter: "U-FIELD", ReportedAt: fuzzAt.Add(-time.Hour), UpdatedAt: fuzzAt.Add(-time.Hour), Version: 3}
			if s != domain.StatusReported && s != domain.StatusRegistered && s != domain.StatusDeferred {
				c.UnitID = "u1"
			}
			if err := tx.PutCase(&c); err != nil {
				return err
			}
		}
		for _, b := range fuzzPhotos {
			if _, err := tx.PutPhoto(&domain.Photo{ID: photo.ID(b), MIME: "image/png", Width: 1, Height: 1, Data: b}); err != nil {
				return err
			}
		}
		if err := tx.PutTask(&domain.Task{ID: "t3", CaseID: "c3", UnitID: "u1", Status: domain.TaskOpen, CreatedAt: fuzzAt.Add(-time.Hour)}); err != nil {
			return err
		}
		if err := tx.PutTask(&domain.Task{ID: "t7", CaseID: "c7", UnitID: "u1", Status: domain.TaskAccepted, CreatedAt: fuzzAt.Add(-time.Hour)}); err != nil {
			return err
		}
		if err := tx.PutTask(&domain.Task{ID: "t4", CaseID: "c4", UnitID: "u1", Status: domain.TaskDone, CreatedAt: fuzzAt.Add(-time.Hour)}); err != nil {
			return err
		}
		if err := tx.PutAction(&domain.Action{ID: "a6", CaseID: "c6", Action: "defer", FromStatus: domain.StatusRegistered,
			ToStatus: domain.StatusDeferred, Actor: "U-DUTY1", At: fuzzAt.Add(-time.Hour), Note: "等待汛期结束"}); err != nil {
			return err
		}
		// for the inspection, hazard and plan commands
		if err := tx.PutUnit(&domain.Unit{ID: "team1", Name: "第一检查组", Kind: domain.UnitTeam}); err != nil {
			return err
		}
		for _, ci := range seed.Catalog()[:3] {
			if err := tx.PutCheckItem(&ci); err != nil {
				return err
			}
		}
		if err := tx.PutEntity(&domain.Entity{ID: "e1", Kind: domain.KindShop, Name: "好再来餐馆", Lon: 120.05, Lat: 30.05, GridID: "g1", Code: domain.CodeYellow}); err != nil {
			return err
		}
		for _, in := range []domain.Inspection{
			{ID: "in1", EntityID: "e1", TeamID: "team1", At: fuzzAt.Add(-2 * time.Hour), Status: domain.InspectionSubmitted, Results: []domain.ItemResult{{ItemID: "FIRE-01", Result: domain.ResultFail}}, CodeBefore: domain.CodeYellow},
			{ID: "in2", EntityID: "e1", TeamID: "team1", At: fuzzAt.Add(-48 * time.Hour), Status: domain.InspectionAccepted, Results: []domain.ItemResult{{ItemID: "FIRE-02", Result: domain.ResultPass}}, CodeBefore: domain.CodeGreen, CodeAfter: domain.CodeYellow},
		} {
			if err := tx.PutInspection(&in); err != nil {
				return err
			}
		}
		return tx.PutFinding(&domain.Finding{ID: "f1", InspectionID: "in1", EntityID: "e1", ItemID: "FIRE-01", Severity: domain.SeverityMajor,
			Description: "灭火器过期", Deadline: fuzzAt.Add(72 * time.Hour), Status: domain.FindingOpen})
	})
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// FuzzCommand feeds arbitrary bytes to the command decoder: as a whole JSON
// command and as the arguments of a well-formed one of any type. Validate
// must never panic and must refuse with a *command.Error; a command it
// accepts is executed on a small store in a transaction, the way the desk and
// the server run it, which must not panic either (errors are fine). A refused
// case command must not have written anything even inside its transaction
// (the case, its tasks, the action it would add); for every type the store is
// unchanged once the transaction is gone. Nothing is ever committed, so every
// input meets the same store.
func FuzzCommand(f *testing.F) {
	seeds := commandSeeds(f)
	for _, s := range seeds {
		f.Add(s.raw, s.typ, s.args)
	}
	st := fuzzStore(f)
	want, wantQuick := fingerprint(f, st), quick(f, st)
	types := command.Types()
	n := 0 // inputs run by this process
	f.Fuzz(func(t *testing.T, raw []byte, typ uint8, args []byte) {
		var c domain.Command
		if json.Unmarshal(raw, &c) == nil {
			tryCommand(t, st, c, typ&0x80 != 0)
		}
		tryCommand(t, st, domain.Command{ID: fuzzID, Type: types[int(typ)%len(types)], Args: args, BaseVersion: int64(typ>>4) & 3, IssuedAt: fuzzAt}, typ&0x80 != 0)
		// hashing the whole store costs more than an exec: the journal and the
		// counters are checked after every exec, every row on every seed and
		// then on every 64th input
		if got := quick(t, st); got != wantQuick {
			t.Fatalf("the store changed: %s, was %s", got, wantQuick)
		}
		if n++; n <= len(seeds) || n%64 == 0 {
			if got := fingerprint(t, st); got != want {
				t.Fatalf("the store changed (a rolled-back transaction left rows behind)")
			}
		}
	})
}

var errRollback = errors.New("roll back")

func tryCommand(t *testing.T, st *store.Store, c domain.Command, checkVersion bool) (applied bool) {
	t.Helper()
	dec, err := command.Decode(c)
	if err != nil {
		var ce *command.Error
		if !errors.As(err, &ce) || ce.Status < 400 || ce.Detail == "" {
			t.Fatalf("Decode refused %s with %T %v, want a *command.Error naming the problem", c.Type, err, err)
		}
		return false
	}
	a, isCase := dec.Args.(command.CaseArgs)
	if isCase && a.CaseID == "" {
		t.Fatalf("Decode accepted a case command without a case id: %s", c.Args)
	}
	by := command.Actor{ID: "U-DUTY1", Name: "值班员", Role: domain.RoleAdmin}
	opts := command.Options{CheckVersion: checkVersion, Locate: func(lon, lat float64) string { return "g1" },
		UserName: func(id string) string { return "王伟" }}
	err = st.Update(context.Background(), func(tx *store.Tx) error {
		var before string
		if isCase {
			before = caseState(t, tx, a.CaseID, c.ID)
		}
		refs, err := dec.Execute(tx, by, opts)
		if err != nil {
			if after := ""; isCase {
				if after = caseState(t, tx, a.CaseID, c.ID); after != before {
					t.Fatalf("%s refused (%v) but it wrote:\nbefore %s\nafter  %s", c.Type, err, before, after)
				}
			}
			var ce *command.Error
			if errors.As(err, &ce) && (ce.Status < 400 || ce.Detail == "") {
				t.Fatalf("%s refused with a bad problem %+v", c.Type, ce)
			}
			return errRollback
		}
		// applied: the rows it says it wrote are there
		if isCase {
			if cs, err := tx.Case(a.CaseID); err != nil || cs.ID != a.CaseID || cs.Status == "" {
				t.Fatalf("%s applied, but its case %q reads %+v, %v", c.Type, a.CaseID, cs, err)
			}
		}
		for _, r := range refs {
			_, ok, err := tx.Row(r)
			if err != nil && strings.Contains(err.Error(), "not readable") {
				continue // a kind Row does not read inside a transaction
			}
			if err != nil || !ok {
				t.Fatalf("%s applied and names %v, which is not there (%v)", c.Type, r, err)
			}
		}
		applied = true
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("%s: transaction: %v", c.Type, err)
	}
	return applied
}

// quick describes the store in one line (store.Summary): every write to a
// synced table adds a journal row, the commands, outbox and shadow tables
// count too.
func quick(tb testing.TB, st *store.Store) string {
	tb.Helper()
	s, err := st.Summary(context.Background())
	if err != nil {
		tb.Fatalf("quick look at the store: %v", err)
	}
	return s
}

// TestCommandSeeds keeps the fuzz seeds honest: every real command applies
// on the fuzz store (with its version checked or not), so the fuzzer starts
// from inputs that reach deep into Execute.
func TestCommandSeeds(t *testing.T) {
	st := fuzzStore(t)
	seeds := commandSeeds(t)
	for _, s := range seeds[:realSeeds] {
		var c domain.Command
		if err := json.Unmarshal(s.raw, &c); err != nil {
			t.Fatal(err)
		}
		if !tryCommand(t, st, c, s.typ&0x80 != 0) {
			t.Errorf("seed %s %s is refused", c.Type, c.Args)
		}
	}
}

// caseState describes the rows a command on caseID may touch, read inside tx.
func caseState(t *testing.T, tx *store.Tx, caseID, cmdID string) string {
	t.Helper()
	var b strings.Builder
	row := func(kind, id string) {
		raw, ok, err := tx.Row(domain.Ref{Kind: kind, ID: id})
		if err != nil {
			t.Fatalf("read %s %s: %v", kind, id, err)
		}
		fmt.Fprintf(&b, "%s %s %v %s\n", kind, id, ok, raw)
	}
	row(domain.KindCase, caseID)
	row(domain.KindCaseAction, cmdID)
	row(domain.KindTask, cmdID+"/task")
	tasks, err := tx.OpenTasks(caseID)
	if err != nil {
		t.Fatalf("tasks of %s: %v", caseID, err)
	}
	for _, k := range tasks {
		fmt.Fprintf(&b, "task %+v\n", k)
	}
	return b.String()
}

// fingerprint hashes every row of every table.
func fingerprint(tb testing.TB, st *store.Store) string {
	tb.Helper()
	s, err := st.Fingerprint(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

const realSeeds = 25

type commandSeed struct {
	raw  []byte
	typ  uint8
	args []byte
}

// commandSeeds are real commands as the desk makes them (command.New) for
// every type, and nasty ones.
func commandSeeds(tb testing.TB) []commandSeed {
	passed, failed := true, false
	square := orb.MultiPolygon{{{{120.1, 30}, {120.2, 30}, {120.2, 30.1}, {120.1, 30.1}, {120.1, 30}}}}
	real := []struct {
		typ  string
		args any
	}{
		{command.CaseRegister, command.CaseArgs{CaseID: "c1"}},
		{command.CaseRegister, command.CaseArgs{CaseID: "c9", New: &command.NewCase{Title: "路灯不亮", Category: "road", Lon: 120.05, Lat: 30.05, Priority: "urgent"}}},
		{command.CaseReject, command.CaseArgs{CaseID: "c1", Note: "重复上报"}},
		{command.CaseDispatch, command.CaseArgs{CaseID: "c2", UnitID: "u1", Policy: "333"}},
		{command.CaseAccept, command.CaseArgs{CaseID: "c3"}},
		{command.CaseReturn, command.CaseArgs{CaseID: "c3", Note: "不属于本单位"}},
		{command.CaseArrive, command.CaseArgs{CaseID: "c7", Photos: []string{"p1.jpg"}}},
		{command.CaseFeedback, command.CaseArgs{CaseID: "c3", Note: "已联系业主"}},
		{command.CaseHandle, command.CaseArgs{CaseID: "c8", Note: "已更换井盖", Photos: []string{"before.jpg", "after.jpg"}}},
		{command.CaseVerify, command.CaseArgs{CaseID: "c4", Passed: &passed}},
		{command.CaseVerify, command.CaseArgs{CaseID: "c4", Passed: &failed, Note: "仍有缺口"}},
		{command.CaseClose, command.CaseArgs{CaseID: "c4"}},
		{command.CaseDefer, command.CaseArgs{CaseID: "c2", Note: "等待汛期结束"}},
		{command.CaseResume, command.CaseArgs{CaseID: "c6"}},
		{command.CaseEscalate, command.CaseArgs{CaseID: "c3", UnitID: "u2", Note: "需要执法"}},
		{command.CaseEvaluate, command.CaseArgs{CaseID: "c5", Satisfaction: domain.Satisfied}},
		{command.InspectionRecord, command.InspectionArgs{InspectionID: "in9", EntityID: "e1", TeamID: "team1",
			Results: []domain.ItemResult{{ItemID: "FIRE-01", Result: domain.ResultFail, Note: "过期"}, {ItemID: "FIRE-02", Result: domain.ResultPass}},
			Hazards: []command.Hazard{{ItemID: "FIRE-01", Severity: domain.SeverityMajor, Description: "灭火器过期"}}, Photos: []string{photo.ID(fuzzPhotos[0])}}},
		{command.InspectionReview, command.InspectionArgs{InspectionID: "in1", Decision: domain.DecisionAccept}},
		{command.InspectionReview, command.InspectionArgs{InspectionID: "in1", Decision: domain.DecisionEnforcement, Note: "拒不整改"}},
		{command.InspectionReview, command.InspectionArgs{InspectionID: "in1", Decision: domain.DecisionReturn, Note: "照片不清"}},
		{command.HazardRectify, command.InspectionArgs{FindingID: "f1", Note: "已更换", Photos: []string{photo.ID(fuzzPhotos[1])}}},
		{command.PlanPublish, command.PlanArgs{PlanID: "p1", Title: "二季度检查计划", TeamID: "team1", Start: fuzzAt, End: fuzzAt.Add(90 * 24 * time.Hour),
			Summary: json.RawMessage(`{"visits":1}`), Visits: []command.PlannedVisit{{EntityID: "e1", Day: fuzzAt.Add(24 * time.Hour), Seq: 1, Items: []string{"FIRE-01", "FIRE-03"}, Departments: []string{"fire"}, Minutes: 1.5}}}},
		{command.GridImport, command.ImportArgs{File: "grids.geojson", Grids: []domain.Grid{{ID: "g2", Name: "二号网格", Level: domain.LevelMicro, ParentID: "g1", Geometry: square}}}},
		{command.EntityImport, command.ImportArgs{File: "shops.xlsx", Entities: []domain.Entity{{ID: "e2", Kind: domain.KindVenue, Name: "星光网吧", Lon: 120.06, Lat: 30.06, Code: domain.CodeGreen, Tags: []string{"网吧"}}}}},
		{command.SettingPut, command.SettingArgs{ID: "category:noise", Value: json.RawMessage(`{"keywords":["噪声","广场舞"],"policy":"333","urgent_policy":"135"}`)}},
	}
	index := map[string]uint8{}
	for i, t := range command.Types() {
		index[t] = uint8(i)
	}
	var out []commandSeed
	for i, r := range real {
		c, err := command.New(r.typ, r.args, 3, fuzzAt)
		if err != nil {
			tb.Fatal(err)
		}
		raw, _ := json.Marshal(c)
		typ := index[r.typ]
		if i%2 == 0 {
			typ |= 0x80 // check versions
		}
		out = append(out, commandSeed{raw, typ, c.Args})
	}
	if len(out) != realSeeds {
		tb.Fatalf("%d real seeds, want %d", len(out), realSeeds)
	}
	nasty := []struct{ raw, args string }{
		{``, ``},
		{`null`, `null`},
		{`{}`, `{}`},
		{`[]`, `[]`},
		{`"case.dispatch"`, `"c1"`},
		{`{"id":"` + fuzzID + `","type":"case.dispatch","args":{"case_id":"c2","unit_id":"u9"},"issued_at":"2026-03-14T09:14:00Z"}`, `{"case_id":"c2","unit_id":""}`},
		{`{"id":"` + fuzzID + `","type":"case.dispatch","args":{"case_id":"c2","unit_id":"u1"},"issued_at":"0001-01-01T00:00:00Z"}`, `{"case_id":"c3","unit_id":"u1"}`},
		{`{"id":"not-a-uuid","type":"case.accept","args":{"case_id":"c3"},"issued_at":"2026-03-14T09:14:00Z"}`, `{"case_id":"c3","note":1}`},
		{`{"id":"` + strings.ToUpper(fuzzID) + `","type":"case.accept","args":{"case_id":"c3"},"issued_at":"2026-03-14T09:14:00+08:00"}`, `{"case_id":"c3","passed":"yes"}`},
		{`{"id":"{` + fuzzID + `}","type":"case.accept","args":{"case_id":"c3"},"issued_at":"2026-03-14T09:14:00Z"}`, `{"case_id":"c3","photos":[1,2]}`},
		{`{"id":"` + fuzzID + `","type":"case.accept","args":{"case_id":"c3","extra":true},"issued_at":"2026-03-14T09:14:00Z"}`, `{"case_id":"c3","extra":true}`},
		{`{"id":"` + fuzzID + `","type":"CASE.ACCEPT","args":{"case_id":"c3"},"issued_at":"2026-03-14T09:14:00Z"}`, `{"case_id":"c3"}{"case_id":"c4"}`},
		{`{"id":"` + fuzzID + `","type":"case.accept","args":"{\"case_id\":\"c3\"}","issued_at":"2026-03-14T09:14:00Z"}`, `{"case_id":"c3"} trailing`},
		{`{"id":"` + fuzzID + `","type":"case.verify","args":{"case_id":"c4","passed":null},"issued_at":"2026-03-14T09:14:00Z","base_version":-1}`, `{"case_id":"c4","passed":null}`},
		{`{"id":"` + fuzzID + `","type":"case.register","args":{"case_id":"c9","new":{"title":"","category":"road","lon":0,"lat":0}},"issued_at":"2026-03-14T09:14:00Z"}`, `{"case_id":"c9","new":{"title":"x","category":"road","lon":1e308,"lat":-1e308}}`},
		{`{"id":"` + fuzzID + `","type":"case.register","args":{"case_id":"c9","new":null},"issued_at":"2026-03-14T09:14:00Z"}`, `{"case_id":"c9","new":{"title":"x","category":"ufo","lon":120.05,"lat":30.05}}`},
		{`{"id":"` + fuzzID + `","type":"case.register","args":{"case_id":"c1","new":{"title":"x","category":"road","lon":120.05,"lat":30.05}},"issued_at":"2026-03-14T09:14:00Z"}`, `{"case_id":"c9","new":{"title":"\u0000","category":"noise","lon":-180,"lat":90,"grid_id":"nowhere"}}`},
		{`{"id":"` + fuzzID + `","type":"case.reject","args":{"case_id":"c1","note":"x"},"issued_at":"2026-03-14T09:14:00Z"}`, `{"case_id":"c1","note":"` + strings.Repeat("长", 1400) + `"}`},
		{`{"id":"` + fuzzID + `","type":"case.defer","args":{"case_id":"c5","note":"太晚了"},"issued_at":"2026-03-14T09:14:00Z"}`, `{"case_id":"' OR 1=1; DROP TABLE cases; --"}`},
		{`{"id":"` + fuzzID + `","type":"case.resume","args":{"case_id":"c2"},"issued_at":"9999-12-31T23:59:59Z","base_version":9223372036854775807}`, `{"case_id":"c6","note":"\ud800"}`},
		{`{"id":"` + fuzzID + `","type":"case.escalate","args":{"case_id":"c4","unit_id":"u1","note":"\u202e反转"},"issued_at":"2026-03-14T09:14:00Z"}`, `{"case_id":"c4","unit_id":"u1","note":"ab","policy":"` + strings.Repeat("x", 5000) + `"}`},
		{`{"id":"` + fuzzID + `","type":"case.evaluate","args":{"case_id":"c5","satisfaction":"dissatisfied","case_id":"c4"},"issued_at":"2026-03-14T09:14:00Z"}`, `{"case_id":"c5","satisfaction":123}`},
		{`{"id":"` + fuzzID + `","type":"case.handle","args":` + strings.Repeat(`[`, 200) + strings.Repeat(`]`, 200) + `,"issued_at":"2026-03-14T09:14:00Z"}`, strings.Repeat(`{"case_id":`, 100) + `"c3"` + strings.Repeat(`}`, 100)},
		{"\xff\xfe{\"id\":1}", "\x00\x01\x02"},
		{`{"id":"` + fuzzID + `","type":"inspection.record","args":{"inspection_id":"in1","entity_id":"e1","results":[{"item":"FIRE-01","result":"pass"}]},"issued_at":"2026-03-14T09:14:00Z"}`, `{"inspection_id":"in9","entity_id":"e1","results":[{"item":"NOPE","result":"fail"}]}`},
		{`{"id":"` + fuzzID + `","type":"inspection.record","args":{"inspection_id":"in9","entity_id":"e9","results":[{"item":"FIRE-01","result":"maybe"}]},"issued_at":"2026-03-14T09:14:00Z"}`, `{"inspection_id":"in9","entity_id":"e1","results":[{"item":"FIRE-01","result":"fail"}],"hazards":[{"item_id":"FIRE-01","severity":"apocalyptic"}]}`},
		{`{"id":"` + fuzzID + `","type":"inspection.review","args":{"inspection_id":"in2","decision":"accept"},"issued_at":"2026-03-14T09:14:00Z"}`, `{"inspection_id":"in1","decision":"enforcement","note":"x"}`},
		{`{"id":"` + fuzzID + `","type":"hazard.rectify","args":{"finding_id":"f9"},"issued_at":"2026-03-14T09:14:00Z"}`, `{"finding_id":"f1","at":"yesterday"}`},
		{`{"id":"` + fuzzID + `","type":"plan.publish","args":{"plan_id":"p1","title":"t","team_id":"c1","start":"2026-03-14T00:00:00Z","end":"2026-03-15T00:00:00Z","visits":[{"entity_id":"e1","day":"2026-03-14T00:00:00Z","items":["FIRE-01"],"minutes":1}]},"issued_at":"2026-03-14T09:14:00Z"}`,
			`{"plan_id":"p1","title":"t","team_id":"team1","start":"2026-03-14T00:00:00Z","end":"2026-03-15T00:00:00Z","visits":[{"entity_id":"e1","day":"2026-03-14T00:00:00Z","items":["FIRE-01"],"minutes":1},{"entity_id":"e404","day":"2026-03-14T00:00:00Z","items":["FIRE-01"],"minutes":1}]}`},
		{`{"id":"` + fuzzID + `","type":"grid.import","args":{"file":"a","grids":[{"id":"g3","name":"n","level":"base","geometry":{"type":"MultiPolygon","coordinates":[[[[120,30],[121,30],[121,31],[120,30]]]]}},{"id":"g4","name":"","level":"base","geometry":null}]},"issued_at":"2026-03-14T09:14:00Z"}`,
			`{"file":"b","grids":[{"id":"g3","name":"n","level":"base","geometry":{"type":"Polygon","coordinates":[[[120,30],[121,30],[121,31],[120,30]]]}}],"entities":[]}`},
		{`{"id":"` + fuzzID + `","type":"entity.import","args":{"file":"a","entities":[{"id":"e3","kind":"shop","name":"n","lon":120,"lat":30,"code":"green"},{"id":"e3","kind":"shop","name":"dup","lon":120,"lat":30,"code":"red"}]},"issued_at":"2026-03-14T09:14:00Z"}`,
			`{"file":"b","entities":[{"id":"e4","kind":"castle","name":"n","lon":120,"lat":30,"code":"green"}]}`},
		{`{"id":"` + fuzzID + `","type":"setting.put","args":{"id":"calendar:2027","value":{"year":2027,"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}},"issued_at":"2026-03-14T09:14:00Z"}`,
			`{"id":"category:ufo","value":{"keywords":[""],"policy":"999"}}`},
	}
	for i, n := range nasty {
		out = append(out, commandSeed{[]byte(n.raw), uint8(i * 37), []byte(n.args)})
	}
	if !bytes.Contains(out[0].raw, []byte(`"issued_at"`)) {
		tb.Fatal("seed commands do not look like commands")
	}
	return out
}
