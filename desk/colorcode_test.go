package desk_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"griddesk/core/command"
	"griddesk/desk"
	"griddesk/domain"
	"griddesk/server"
	"griddesk/store"
)

// Seed 000: 黄码商铺和企业在连续两次检查中全项未发现隐患可转为绿码. The code
// follows the accepted inspections in inspection-time order, also when an
// older visit reaches the server through a desk that was offline: a late
// clean visit completes the pair with a newer clean one, a late visit with
// a hazard does not undo two newer clean ones. Every desk's entity page
// shows a history that ends at the entity's code, each row with its reason.
func TestCodeFollowsInspectionTimeAcrossDesks(t *testing.T) {
	ctx := context.Background()
	ts := newTownServer(t, server.SeedNone)
	for _, id := range []string{"E-LATE-CLEAN", "E-LATE-HAZARD"} {
		e := domain.Entity{ID: id, Kind: domain.KindShop, Name: id, Lon: 120.25, Lat: 30.06, Tags: []string{"gas"}, Code: domain.CodeYellow}
		if err := ts.st.Update(ctx, func(tx *store.Tx) error { return tx.PutEntity(&e) }); err != nil {
			t.Fatal(err)
		}
	}
	// a second person, so that no one reviews what they recorded (four eyes)
	if err := ts.st.Update(ctx, func(tx *store.Tx) error {
		return tx.PutUser(&domain.User{ID: "U-ADMIN2", Username: "admin2", Name: "组长", Role: domain.RoleAdmin})
	}); err != nil {
		t.Fatal(err)
	}
	if err := ts.srv.SetPassword(ctx, "admin2", deskPW); err != nil {
		t.Fatal(err)
	}
	cable := &switchable{rt: http.DefaultTransport}
	field := startDesk(t, ts.ts.URL, "admin2", cable) // the team leader's laptop, soon offline in the field
	office := startDesk(t, ts.ts.URL, "admin", nil)

	now := time.Now()
	clean := []domain.ItemResult{{ItemID: "FIRE-01", Result: domain.ResultPass}, {ItemID: "GAS-01", Result: domain.ResultPass}}
	failed := []domain.ItemResult{{ItemID: "FIRE-01", Result: domain.ResultPass}, {ItemID: "GAS-01", Result: domain.ResultFail}}
	hazard := []command.Hazard{{ItemID: "GAS-01", Severity: domain.SeverityGeneral, Description: "软管老化"}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// acceptAll has reviewer accept the want inspections waiting, once the
	// recorder's desk has sent them
	acceptAll := func(reviewer, recorder *desk.Desk, want int) {
		t.Helper()
		var rs []desk.Review
		waitFor(t, "the inspections to wait for review", 30*time.Second, func() bool {
			rs, _ = reviewer.PendingReviews(ctx)
			return len(rs) == want && recorder.Status().Pending == 0
		})
		for _, r := range rs {
			must(reviewer.ReviewInspection(ctx, r.ID, domain.DecisionAccept, ""))
		}
		waitFor(t, "the reviews to land", 30*time.Second, func() bool { return reviewer.Status().Pending == 0 })
	}
	// newer visits recorded at the office and accepted by the team leader
	must(office.RecordInspection(ctx, "E-LATE-CLEAN", now.Add(-24*time.Hour), clean, nil, nil))
	must(office.RecordInspection(ctx, "E-LATE-HAZARD", now.Add(-48*time.Hour), clean, nil, nil))
	must(office.RecordInspection(ctx, "E-LATE-HAZARD", now.Add(-24*time.Hour), clean, nil, nil))
	acceptAll(field, office, 3)
	// then, offline in the field, the paper forms of visits made three days ago
	cable.down.Store(true)
	must(field.RecordInspection(ctx, "E-LATE-CLEAN", now.Add(-72*time.Hour), clean, nil, nil))
	must(field.RecordInspection(ctx, "E-LATE-HAZARD", now.Add(-72*time.Hour), failed, hazard, nil))
	serverCode := func(id string) string {
		e, err := ts.st.Entity(ctx, id)
		must(err)
		return e.Code
	}
	if c, h := serverCode("E-LATE-CLEAN"), serverCode("E-LATE-HAZARD"); c != domain.CodeYellow || h != domain.CodeGreen {
		t.Fatalf("before the field desk syncs: %s, %s; want yellow (one clean visit), green (two)", c, h)
	}

	cable.down.Store(false) // back online: the older visits arrive
	acceptAll(office, field, 2)

	want := map[string]string{"E-LATE-CLEAN": domain.CodeGreen, "E-LATE-HAZARD": domain.CodeGreen}
	for id, code := range want {
		if c := serverCode(id); c != code {
			t.Errorf("server: %s is %s, want %s", id, c, code)
		}
		for name, d := range map[string]*desk.Desk{"field": field, "office": office} {
			var p desk.EntityPage
			waitFor(t, name+" desk to see "+id+" "+code, 30*time.Second, func() bool {
				p, _ = d.EntityPage(ctx, id)
				return p.Entity.Code == code
			})
			h := p.CodeHistory
			if len(h) == 0 || h[len(h)-1].To != p.Entity.Code {
				t.Errorf("%s desk: %s history %+v does not end at its code %s", name, id, h, p.Entity.Code)
			}
			for _, row := range h {
				if row.Reason == "" || row.Rule == "" {
					t.Errorf("%s desk: %s history row %+v says not why", name, id, row)
				}
			}
			if len(h) != 1 || h[0].From != domain.CodeYellow || !h[0].At.Equal(now.Add(-24*time.Hour).Truncate(time.Millisecond)) {
				t.Errorf("%s desk: %s history %+v, want one move yellow→green at the newest visit", name, id, h)
			}
		}
	}
}
