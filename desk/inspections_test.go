package desk_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"griddesk/core/command"
	"griddesk/desk"
	"griddesk/domain"
	"griddesk/server"
)

// A team leader records an inspection for their team; another person (four
// eyes: here the admin) accepts it; the code moves on both desks.
func TestEntityPageRecordReviewAndDocuments(t *testing.T) {
	ctx := context.Background()
	ts := newTownServer(t, server.SeedTown)
	ts.srv.SetPassword(ctx, "leader01", deskPW)
	d := startDesk(t, ts.ts.URL, "leader01", nil)
	admin := startDesk(t, ts.ts.URL, "admin", nil)
	es, _ := d.Entities(ctx)
	var e domain.Entity
	for _, x := range es {
		if x.Kind == domain.KindShop && x.Code == domain.CodeGreen {
			e = x
			break
		}
	}
	p, err := d.EntityPage(ctx, e.ID)
	if err != nil || len(p.Applicable) == 0 || p.GridName == "" {
		t.Fatalf("entity page: %d items, grid %q, %v", len(p.Applicable), p.GridName, err)
	}
	var results []domain.ItemResult
	for i, it := range p.Applicable {
		r := domain.ResultPass
		if i == 0 {
			r = domain.ResultFail
		}
		results = append(results, domain.ItemResult{ItemID: it.ID, Result: r})
	}
	hazard := command.Hazard{ItemID: p.Applicable[0].ID, Severity: domain.SeverityGeneral, Description: "测试隐患"}
	if err := d.RecordInspection(ctx, e.ID, time.Now(), results, []command.Hazard{hazard}, nil); err != nil {
		t.Fatal(err)
	}
	var mine desk.Review
	waitFor(t, "the inspection to wait for review", 60*time.Second, func() bool {
		rs, _ := d.PendingReviews(ctx)
		for _, r := range rs {
			if r.EntityID == e.ID && len(r.Hazards) == 1 {
				mine = r
				return d.Status().Pending == 0
			}
		}
		return false
	})
	if err := d.ReviewInspection(ctx, mine.ID, domain.DecisionAccept, ""); err == nil || !strings.Contains(err.Error(), "yourself") {
		t.Fatalf("the recorder accepted their own inspection: %v", err)
	}
	waitFor(t, "the admin's desk to see it", 30*time.Second, func() bool {
		rs, _ := admin.PendingReviews(ctx)
		for _, r := range rs {
			if r.ID == mine.ID {
				return true
			}
		}
		return false
	})
	if err := admin.ReviewInspection(ctx, mine.ID, domain.DecisionAccept, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the code to turn yellow", 60*time.Second, func() bool {
		x, _ := d.EntityPage(ctx, e.ID)
		if x.Entity.Code == domain.CodeYellow && d.Status().Pending == 0 {
			return true
		}
		if items, _ := d.Outbox(ctx); len(items) > 0 && items[len(items)-1].State == domain.OutboxRejected {
			t.Fatalf("the review was refused: %s", items[len(items)-1].Problem)
		}
		return false
	})
	var b bytes.Buffer
	if err := d.InspectionPDF(ctx, &b, mine.ID); err != nil || !bytes.HasPrefix(b.Bytes(), []byte("%PDF")) {
		t.Fatalf("inspection pdf: %v", err)
	}
	b.Reset()
	if err := d.NoticePDF(ctx, &b, e.ID); err != nil || b.Len() == 0 {
		t.Fatalf("notice pdf: %v", err)
	}
	b.Reset()
	if err := d.PlatesPDF(ctx, &b, e.GridID); err != nil || b.Len() == 0 {
		t.Fatalf("plates pdf: %v", err)
	}
	p, _ = d.EntityPage(ctx, e.ID)
	var open domain.Finding
	for _, f := range p.Findings {
		if f.Status == domain.FindingOpen && f.InspectionID == mine.ID {
			open = f
		}
	}
	if err := d.RectifyHazard(ctx, open.ID, "已整改", nil); err != nil {
		t.Fatal(err)
	}
	rep, err := d.Stats(ctx, "", time.Now().AddDate(0, -3, 0), time.Now().Add(time.Hour))
	if err != nil || rep.Inspections == 0 || !rep.RectificationRate.Valid() {
		t.Fatalf("stats: %+v %v", rep, err)
	}
}
