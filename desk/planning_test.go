package desk_test

import (
	"context"
	"testing"
	"time"

	"griddesk/desk"
	"griddesk/domain"
	"griddesk/server"
)

func TestPlanGenerateAndPublish(t *testing.T) {
	ctx := context.Background()
	ts := newTownServer(t, server.SeedTown)
	ts.srv.SetPassword(ctx, "leader01", deskPW)
	grantTeams(t, ts.st, "leader01", "T02") // leads team 1, granted team 2
	d := startDesk(t, ts.ts.URL, "leader01", nil)
	start := time.Date(2026, 12, 7, 0, 0, 0, 0, time.Local)
	p, err := d.GeneratePlan(ctx, desk.PlanRequest{Start: start, End: start.AddDate(0, 0, 13), TeamIDs: []string{"T01", "T02"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Days) == 0 || p.Merged.Visits == 0 || p.Merged.Visits > p.Baseline.Visits {
		t.Fatalf("plan: %d days, merged %d vs baseline %d visits", len(p.Days), p.Merged.Visits, p.Baseline.Visits)
	}
	n, err := d.PublishPlan(ctx, p, "十二月第二、三周")
	if err != nil || n == 0 {
		t.Fatalf("published %d visits: %v", n, err)
	}
	waitFor(t, "the plan to land", 30*time.Second, func() bool { return d.Status().Pending == 0 })
	if r := d.Status().Rejected; r != 0 {
		items, _ := d.Outbox(ctx)
		t.Fatalf("publish refused: %+v", items)
	}
	plans, _ := ts.st.Plans(ctx)
	if len(plans) != 2 || plans[0].Title != "十二月第二、三周" {
		t.Fatalf("server plans = %+v", plans)
	}
	total := 0
	for _, pl := range plans {
		vs, _ := ts.st.Visits(ctx, pl.ID)
		total += len(vs)
		for _, v := range vs {
			if v.Status != domain.VisitPlanned || len(v.Items) == 0 {
				t.Fatalf("visit %+v", v)
			}
		}
	}
	if total != n {
		t.Fatalf("server has %d visits, published %d", total, n)
	}
	waitFor(t, "the desk to receive the plans", 10*time.Second, func() bool {
		ps, _ := d.Plans(ctx)
		return len(ps) == 2
	})
	// the visited entity's page lists its visit under the plan's title
	vs, _ := ts.st.Visits(ctx, plans[0].ID)
	page, err := d.EntityPage(ctx, vs[0].EntityID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, v := range page.Visits {
		found = found || v.ID == vs[0].ID && v.PlanTitle == "十二月第二、三周" && v.Day.Equal(vs[0].Day)
	}
	if !found {
		t.Fatalf("entity page visits = %+v, want %s", page.Visits, vs[0].ID)
	}
}
