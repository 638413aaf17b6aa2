package desk_test

import (
	"context"
	"testing"
	"time"

	"griddesk/domain"
	"griddesk/store"
)

// TestArchive: a closed case past the retention window stays on the
// server: the desk never copies it, finds it through the server and opens
// it read-only; the rankings of a month before the window come from the
// server; a case that leaves the window while the desk runs is dropped.
func TestArchive(t *testing.T) {
	ctx := context.Background()
	ts := newTownServer(t, "none")
	now := time.Now()
	closed := func(id string, ago time.Duration) domain.Case {
		at := now.Add(-ago)
		return domain.Case{ID: id, No: "2025-9" + id[len(id)-3:], Title: "旧案 " + id, Category: "road", Source: domain.SourceHotline,
			Lon: 120.05, Lat: 30.05, Status: domain.StatusClosed, ReportedAt: at.Add(-72 * time.Hour), ClosedAt: at}
	}
	old, recent := closed("OLD-001", 120*24*time.Hour), closed("NEW-002", 89*24*time.Hour)
	if err := ts.st.Update(ctx, func(tx *store.Tx) error {
		for _, c := range []domain.Case{old, recent} {
			if err := tx.PutCase(&c); err != nil {
				return err
			}
			if err := tx.PutAction(&domain.Action{ID: c.ID + "/close", CaseID: c.ID, Action: "close", FromStatus: domain.StatusHandled,
				ToStatus: domain.StatusClosed, At: c.ClosedAt}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	d := startDesk(t, ts.ts.URL, "admin", nil)
	if _, err := d.Case(ctx, old.ID); err == nil {
		t.Error("the desk copied a case closed 120 days ago")
	}
	if _, err := d.Case(ctx, recent.ID); err != nil {
		t.Errorf("the desk lacks a case closed 89 days ago: %v", err)
	}
	found, err := d.SearchArchive(ctx, "旧案", 10)
	if err != nil || len(found) != 2 || found[0].ID != recent.ID || found[1].ID != old.ID {
		t.Fatalf("archive search = %v, %v; want both cases, newest first", found, err)
	}
	rec, err := d.ArchivedCase(ctx, old.ID)
	if err != nil || rec.Case.Title != old.Title || len(rec.Timeline) != 1 {
		t.Fatalf("archived case = %+v, %v", rec, err)
	}
	// the finder's rows and the read-only page
	rows, err := d.ArchiveRows(ctx, "旧案", 10)
	if err != nil || len(rows) != 2 || rows[1].ID != old.ID || rows[1].CategoryInfo.Key == "" {
		t.Fatalf("archive rows = %+v, %v", rows, err)
	}
	cd, err := d.ArchivedDetail(ctx, old.ID, now)
	if err != nil || !cd.Archived || cd.Row.ID != old.ID || len(cd.Timeline) != 1 || cd.Timeline[0].Action.Action != "close" {
		t.Fatalf("archived detail = %+v, %v", cd, err)
	}
	if _, err := d.Detail(ctx, old.ID, now); err == nil {
		t.Error("the desk's own detail found a case it never copied")
	}
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.Local).AddDate(0, -5, 0)
	if r, err := d.KPI(ctx, month, now); err != nil || r.Month.Format("2006-01") != month.Format("2006-01") || r.AsOf.IsZero() {
		t.Errorf("KPI of %s: %+v, %v; want the server's report", month.Format("2006-01"), r.Month, err)
	}

	// two days on, the recent one leaves the window: the server hides it,
	// the desk drops it
	if _, err := ts.st.Retire(ctx, now.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := d.Prune(ctx, now.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Case(ctx, recent.ID); err == nil {
		t.Error("the desk kept a case that left the retention window")
	}
}
