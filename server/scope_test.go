package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/store"
)

// twoTowns is a city of two towns: T1 with grid G1, T2 with grid G2, a
// command center and a department in T1, a department in T2, and a city
// department; a duty officer of T1, a member of T1's department, a city
// officer given T2, and the admin. Each town has an entity and a case.
type twoTowns struct {
	*fixture
	tok      map[string]string // user name → token
	k1, k2   string            // the cases reported in G1 and G2
	k1Report string            // the action that reported k1
}

func newTwoTowns(t *testing.T) *twoTowns {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	sq := func(lon float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{lon, 30}, {lon + 0.1, 30}, {lon + 0.1, 30.1}, {lon, 30.1}, {lon, 30}}}}
	}
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		for _, g := range []domain.Grid{
			{ID: "G1", Name: "一镇一网格", Level: domain.LevelBase, Town: "T1", Geometry: sq(121)},
			{ID: "G2", Name: "二镇一网格", Level: domain.LevelBase, Town: "T2", Geometry: sq(122)},
		} {
			if err := tx.PutGrid(&g); err != nil {
				return err
			}
		}
		for _, u := range []domain.Unit{
			{ID: "CC1", Name: "一镇指挥中心", Kind: domain.UnitStation, Town: "T1"},
			{ID: "U1", Name: "一镇城管", Kind: domain.UnitDepartment, Department: "city_management", Town: "T1"},
			{ID: "U2", Name: "二镇城管", Kind: domain.UnitDepartment, Department: "city_management", Town: "T2"},
			{ID: "CITY", Name: "市指挥中心", Kind: domain.UnitStation},
		} {
			if err := tx.PutUnit(&u); err != nil {
				return err
			}
		}
		for _, u := range []domain.User{
			{ID: "U-D1", Username: "duty1", Name: "一镇值班员", Role: domain.RoleDutyOfficer, UnitID: "CC1"},
			{ID: "U-M1", Username: "member1", Name: "一镇城管队员", Role: domain.RoleUnitMember, UnitID: "U1"},
			{ID: "U-C2", Username: "city2", Name: "市值班员", Role: domain.RoleDutyOfficer, UnitID: "CITY", Towns: []string{"T2"}},
		} {
			if err := tx.PutUser(&u); err != nil {
				return err
			}
		}
		for _, e := range []domain.Entity{
			{ID: "E1", Kind: domain.KindShop, Name: "一镇商铺", Lon: 121.05, Lat: 30.05, GridID: "G1", Code: domain.CodeGreen, QRToken: "q1"},
			{ID: "E2", Kind: domain.KindShop, Name: "二镇商铺", Lon: 122.05, Lat: 30.05, GridID: "G2", Code: domain.CodeGreen, QRToken: "q2"},
		} {
			if err := tx.PutEntity(&e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tt := &twoTowns{fixture: f, tok: map[string]string{}}
	for _, u := range []string{"duty1", "member1", "city2"} {
		if err := f.srv.SetPassword(ctx, u, u+"-password"); err != nil {
			t.Fatal(err)
		}
		tt.tok[u] = f.login(u, u+"-password")
	}
	tt.tok["admin"] = f.login("admin", adminPW)
	for i, lon := range []float64{121.05, 122.05} {
		resp, c := f.do("POST", "/api/v1/cases", tt.tok["admin"], map[string]any{"title": "占道经营", "category": "city_appearance", "lon": lon, "lat": 30.05})
		if resp.StatusCode != 201 {
			t.Fatalf("report: %d %v", resp.StatusCode, c)
		}
		if i == 0 {
			tt.k1 = c["id"].(string)
		} else {
			tt.k2 = c["id"].(string)
		}
	}
	tl, _ := f.st.Timeline(ctx, tt.k1)
	tt.k1Report = tl[0].ID
	return tt
}

// feed reads a user's feed from after to its end: what their desk would
// hold, by kind/id (nil data: removed), and the cursor it ends at.
func (tt *twoTowns) feed(t *testing.T, user string, after int64) (map[string]domain.Change, int64) {
	t.Helper()
	out := map[string]domain.Change{}
	for {
		resp, raw := tt.raw("GET", fmt.Sprintf("/api/v1/changes?after=%d&limit=7", after), tt.tok[user], "")
		if resp.StatusCode != 200 {
			t.Fatalf("changes as %s: %d %s", user, resp.StatusCode, raw)
		}
		var page struct {
			Changes []domain.Change `json:"changes"`
			LastSeq int64           `json:"last_seq"`
			More    bool            `json:"more"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Changes {
			if c.Seq <= after {
				t.Fatalf("%s got seq %d after %d", user, c.Seq, after)
			}
			out[c.Kind+"/"+c.ID] = c
		}
		after = page.LastSeq
		if !page.More {
			return out, after
		}
	}
}

func has(m map[string]domain.Change, key string) bool {
	c, ok := m[key]
	return ok && c.Op == domain.OpUpsert
}

func removed(m map[string]domain.Change, key string) bool {
	c, ok := m[key]
	return ok && c.Op == domain.OpDelete
}

// TestScopedFeed: each desk copies its scope, by the table of
// server/scope.go, and rows that leave a scope arrive there as removals.
func TestScopedFeed(t *testing.T) {
	tt := newTwoTowns(t)
	ctx := context.Background()
	feeds := map[string]map[string]domain.Change{}
	cursor := map[string]int64{}
	for _, u := range []string{"admin", "duty1", "member1", "city2"} {
		feeds[u], cursor[u] = tt.feed(t, u, 0)
	}
	want := []struct {
		user string
		key  string
		in   bool
	}{
		{"admin", "grid/G1", true}, {"admin", "grid/G2", true}, {"admin", "case/" + tt.k1, true}, {"admin", "case/" + tt.k2, true},
		{"duty1", "grid/G1", true}, {"duty1", "grid/G2", false}, {"duty1", "entity/E1", true}, {"duty1", "entity/E2", false},
		{"duty1", "case/" + tt.k1, true}, {"duty1", "case/" + tt.k2, false}, {"duty1", "case_action/" + tt.k1Report, true},
		{"duty1", "unit/U2", true}, {"duty1", "check_item/FIRE-01", true},
		{"city2", "grid/G2", true}, {"city2", "grid/G1", false}, {"city2", "entity/E2", true}, {"city2", "case/" + tt.k2, true},
		{"city2", "case/" + tt.k1, false}, {"city2", "user/U-C2", true},
		{"member1", "grid/G1", true}, {"member1", "grid/G2", false}, {"member1", "entity/E1", false},
		{"member1", "case/" + tt.k1, false}, {"member1", "user/U-M1", true}, {"member1", "unit/U1", true},
	}
	for _, w := range want {
		if got := has(feeds[w.user], w.key); got != w.in {
			t.Errorf("%s's desk has %s: %v, want %v", w.user, w.key, got, w.in)
		}
	}
	// user names and roles are the admin's to see; a desk knows its own
	var m1 domain.User
	json.Unmarshal(feeds["duty1"]["user/U-M1"].Data, &m1)
	if m1.Name != "一镇城管队员" || m1.Username != "" || m1.Role != "" {
		t.Errorf("duty1's desk got member1 as %+v, want the display name alone", m1)
	}
	var own domain.User
	json.Unmarshal(feeds["duty1"]["user/U-D1"].Data, &own)
	if own.Username != "duty1" || own.Role != domain.RoleDutyOfficer {
		t.Errorf("duty1's own row = %+v", own)
	}
	json.Unmarshal(feeds["admin"]["user/U-M1"].Data, &m1)
	if m1.Username != "member1" {
		t.Errorf("the admin's desk got member1 as %+v", m1)
	}

	// dispatched to U1: its member's desk gets the case, its task and its
	// whole timeline, though the report was journaled before its cursor
	for _, c := range []struct{ typ, args string }{
		{"case.register", fmt.Sprintf(`{"case_id":%q}`, tt.k1)},
		{"case.dispatch", fmt.Sprintf(`{"case_id":%q,"unit_id":"U1"}`, tt.k1)},
	} {
		resp, body := tt.do("POST", "/api/v1/commands", tt.tok["duty1"], fmt.Sprintf(`{"commands":[%s]}`, cmdJSON(uuid.NewString(), c.typ, c.args)))
		if resp.StatusCode != 200 || body["results"].([]any)[0].(map[string]any)["status"] != "applied" {
			t.Fatalf("%s: %d %v", c.typ, resp.StatusCode, body)
		}
	}
	got, next := tt.feed(t, "member1", cursor["member1"])
	cursor["member1"] = next
	if !has(got, "case/"+tt.k1) || !has(got, "case_action/"+tt.k1Report) {
		t.Errorf("member1's desk after the dispatch to U1 lacks the case or its report: %v", keys(got))
	}
	tasks := 0
	for k := range got {
		if len(k) > 5 && k[:5] == "task/" {
			tasks++
		}
	}
	if tasks != 1 {
		t.Errorf("member1's desk got %d tasks, want the one of U1", tasks)
	}

	// the case moves to G2 (T2): T1's desk gets removals, T2's the rows,
	// U1's member keeps it (U1 still has its task)
	err := tt.st.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Case(tt.k1)
		if err != nil {
			return err
		}
		c.GridID, c.Lon = "G2", 122.05
		return tx.PutCase(&c)
	})
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := tt.feed(t, "duty1", cursor["duty1"])
	c2, _ := tt.feed(t, "city2", cursor["city2"])
	m, _ := tt.feed(t, "member1", cursor["member1"])
	for _, k := range []string{"case/" + tt.k1, "case_action/" + tt.k1Report} {
		if !removed(d1, k) {
			t.Errorf("duty1's desk: %s left T1 and did not arrive as a removal (%v)", k, d1[k])
		}
		if !has(c2, k) {
			t.Errorf("city2's desk: %s came to T2 and did not arrive", k)
		}
		if removed(m, k) {
			t.Errorf("member1's desk lost %s: U1 still has its task", k)
		}
	}
}

func keys(m map[string]domain.Change) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestScopedDocuments: door plates, reports and photos are read by the
// same scopes as the feed: another town's answer 404, as if absent.
func TestScopedDocuments(t *testing.T) {
	tt := newTwoTowns(t)
	for _, c := range []struct {
		user, path string
		status     int
	}{
		{"duty1", "/api/v1/grids/G1/plates.pdf", 200},
		{"duty1", "/api/v1/grids/G2/plates.pdf", 404},
		{"city2", "/api/v1/grids/G2/plates.pdf", 200},
		{"city2", "/api/v1/grids/G1/plates.pdf", 404},
		{"admin", "/api/v1/grids/G2/plates.pdf", 200},
		{"duty1", "/api/v1/entities/E2/notice.pdf", 404},
		// a complainant's phone: only in the duty officer's own towns
		{"duty1", "/api/v1/cases/" + tt.k1 + "/contact", 200},
		{"duty1", "/api/v1/cases/" + tt.k2 + "/contact", 404},
		{"city2", "/api/v1/cases/" + tt.k2 + "/contact", 200},
	} {
		resp, raw := tt.raw("GET", c.path, tt.tok[c.user], "")
		if resp.StatusCode != c.status {
			t.Errorf("%s GET %s: %d, want %d (%s)", c.user, c.path, resp.StatusCode, c.status, raw[:min(len(raw), 200)])
		}
	}
}

// TestRetention: closed cases older than the retention window stay on the
// server: in no desk's feed, also the admin's; Retire hides those that
// leave the window later.
func TestRetention(t *testing.T) {
	tt := newTwoTowns(t)
	ctx := context.Background()
	now := time.Now()
	old, recent := uuid.NewString(), uuid.NewString()
	err := tt.st.Update(ctx, func(tx *store.Tx) error {
		for _, c := range []struct {
			id     string
			closed time.Time
		}{{old, now.Add(-100 * 24 * time.Hour)}, {recent, now.Add(-80 * 24 * time.Hour)}} {
			cs := domain.Case{ID: c.id, Title: "旧案", Category: "road", Source: domain.SourceHotline, Lon: 121.05, Lat: 30.05, GridID: "G1",
				Status: domain.StatusClosed, ReportedAt: c.closed.Add(-48 * time.Hour), ClosedAt: c.closed}
			if err := tx.PutCase(&cs); err != nil {
				return err
			}
			if err := tx.PutAction(&domain.Action{ID: c.id + "/close", CaseID: c.id, Action: "close", FromStatus: domain.StatusHandled,
				ToStatus: domain.StatusClosed, At: c.closed}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"admin", "duty1"} {
		got, _ := tt.feed(t, u, 0)
		if has(got, "case/"+old) || has(got, "case_action/"+old+"/close") {
			t.Errorf("%s's desk got a case closed 100 days ago", u)
		}
		if !has(got, "case/"+recent) || !has(got, "case_action/"+recent+"/close") {
			t.Errorf("%s's desk lacks a case closed 80 days ago", u)
		}
	}
	n, err := tt.st.Retire(ctx, now.Add(20*24*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("retire 20 days on: %d rows, %v; want the case and its action", n, err)
	}
	for _, u := range []string{"admin", "duty1"} {
		if got, _ := tt.feed(t, u, 0); has(got, "case/"+recent) {
			t.Errorf("%s's desk still gets a case past the window after Retire", u)
		}
	}
	if n, _ := tt.st.Retire(ctx, now.Add(20*24*time.Hour)); n != 0 {
		t.Errorf("a second Retire hid %d rows again", n)
	}
}
