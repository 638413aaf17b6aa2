package ui

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"griddesk/desk"
	"griddesk/domain"
	"griddesk/server"
	"griddesk/store"
)

// TestFindInTheArchive: a case closed before the retention window stays on
// the server only. The finder does not find it on the desk; "search the
// server's archive too" lists it, marked, and picking it opens its page
// read-only, its timeline read from the server.
func TestFindInTheArchive(t *testing.T) {
	ctx := context.Background()
	const pw = "archive-test-password"
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "server.db"), store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.Bootstrap(ctx, st, server.SeedNone, pw, time.Now()); err != nil {
		t.Fatal(err)
	}
	closedAt := time.Now().Add(-120 * 24 * time.Hour)
	old := domain.Case{ID: "OLD-001", No: "2025-9001", Title: "旧案 井盖破损", Category: "road", Source: domain.SourceHotline,
		Lon: 120.05, Lat: 30.05, Status: domain.StatusClosed, ReportedAt: closedAt.Add(-72 * time.Hour), ClosedAt: closedAt}
	if err := st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutCase(&old); err != nil {
			return err
		}
		return tx.PutAction(&domain.Action{ID: "OLD-001/close", CaseID: old.ID, Action: "close", FromStatus: domain.StatusHandled,
			ToStatus: domain.StatusClosed, At: closedAt, Note: "已更换井盖"})
	}); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ctx, st, server.Options{MaxWait: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); st.Close() })

	a := newTestApp(t)
	d, err := desk.Open(ctx, desk.Config{DataDir: t.TempDir(), ServerURL: ts.URL, User: "admin", Password: pw, Wait: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	mw, err := Setup(a, d) // starts the desk: it signs in and syncs
	if err != nil {
		t.Fatal(err)
	}
	mw.win.Resize(fyne.NewSize(1280, 800))
	mw.win.Show()
	eventually(t, "the desk to sync", func() bool { return d.Status().State == "online" && d.Status().Cursor > 0 })
	onUI(func() {
		if n := len(mw.win.Canvas().Overlays().List()); n != 0 {
			t.Errorf("%d dialogs over the window before anything was asked", n)
		}
	})

	onUI(func() {
		mw.find()
		test.Type(mw.finder.text, "旧案")
	})
	eventually(t, "the desk's own search", func() bool {
		var done bool
		onUI(func() { done = strings.Contains(mw.finder.found.Text, "found") })
		return done
	})
	onUI(func() {
		if len(mw.finder.rows) != 0 {
			t.Errorf("the desk found %d cases it should not keep", len(mw.finder.rows))
		}
		test.Tap(mw.finder.archive)
	})
	at := -1
	eventually(t, "the archive's answer", func() bool {
		onUI(func() {
			at = slices.IndexFunc(mw.finder.rows, func(r desk.CaseRow) bool { return r.ID == old.ID })
		})
		return at >= 0
	})
	onUI(func() {
		if !mw.finder.archived[old.ID] || !strings.Contains(mw.finder.found.Text, "1 more from the server's archive") {
			t.Errorf("the archived case is not marked: %v, %q", mw.finder.archived, mw.finder.found.Text)
		}
		mw.finder.list.Select(at)
	})
	eventually(t, "the archived case's page", func() bool {
		var shown []string
		onUI(func() {
			if top := mw.win.Canvas().Overlays().Top(); top != nil {
				shown = labels(t, top)
			}
		})
		all := strings.Join(shown, "\n")
		return strings.Contains(all, "From the server's archive") && strings.Contains(all, "已更换井盖")
	})
}
