package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// onUTCMachine makes the process's local zone UTC for one test, as on a PC
// set to UTC: times read from the store (time.UnixMilli) come back in it.
// (TZ set with t.Setenv would not reach time.Local once it is loaded.)
func onUTCMachine(t *testing.T) {
	old := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = old })
}

// stored is a China Standard Time moment as the desk's store returns it:
// in the PC's zone.
func stored(y int, m time.Month, d, h, mi int) time.Time {
	return time.UnixMilli(time.Date(y, m, d, h, mi, 0, 0, clock.Location()).UnixMilli())
}

// One clock: a desk on a UTC machine shows China Standard Time everywhere
// (DESIGN.md §2): a case registered at 20:35 with an on-site deadline at
// 04:35 the next morning, an inspection at 01:10 and its hazard's deadline at 01:00.
func TestDeskOnUTCMachineShowsChinaTime(t *testing.T) {
	onUTCMachine(t)
	mw := offlineWindow(t)
	reported := stored(2026, 3, 2, 20, 35)
	deadline := stored(2026, 3, 3, 4, 35)
	row := desk.CaseRow{Case: domain.Case{ID: "C1", No: "2026-0001", Title: "井盖缺失", Status: domain.StatusDispatched, ReportedAt: reported}}
	cd := desk.CaseDetail{Row: row,
		Clocks:   []clock.Status{{Clock: "arrive", Round: 1, Started: reported, Deadline: deadline, Running: true}},
		Timeline: []desk.TimelineEntry{{Action: domain.Action{ID: "A1", CaseID: "C1", Action: "report", ToStatus: domain.StatusReported, At: reported}}},
	}
	inspected := stored(2026, 3, 10, 1, 10)
	page := desk.EntityPage{Entity: domain.Entity{ID: "E1", Name: "浦南小吃店", Kind: "shop", Code: "yellow"},
		Inspections: []domain.Inspection{{ID: "N1", EntityID: "E1", At: inspected, Status: domain.InspectionAccepted}},
		Findings: []domain.Finding{{ID: "H1", InspectionID: "N1", EntityID: "E1", ItemID: "GAS-01", Severity: domain.SeverityGeneral,
			Deadline: stored(2026, 3, 17, 1, 0), Status: domain.FindingOpen}},
		CodeHistory: []desk.CodeChange{{At: inspected, InspectionID: "N1", From: "green", To: "yellow", Reason: "发现一般隐患 1 项，绿码转黄码"}},
	}
	var caseDialog, entityDialog string
	fyne.DoAndWait(func() {
		mw.dg.casePage(cd)
		caseDialog = strings.Join(labels(t, mw.win.Canvas().Overlays().Top()), "\n")
		mw.win.Canvas().Overlays().Top().Hide()
		mw.dg.entityDialog(page)
		entityDialog = strings.Join(labels(t, mw.win.Canvas().Overlays().Top()), "\n")
		mw.win.Canvas().Overlays().Top().Hide()
	})
	for _, tt := range []struct{ where, text, want string }{
		{"case header", caseText(row), "2026-03-02 20:35"},
		{"case page timeline", caseDialog, "2026-03-02 20:35:00"},
		{"case page clock deadline", caseDialog, "03-03 04:35:00"},
		{"entity page inspection", entityDialog, "2026-03-10 01:10"},
		{"entity page code history", entityDialog, "2026-03-10  "},
		{"entity page hazard deadline", entityDialog, "2026-03-17"},
	} {
		if !strings.Contains(tt.text, tt.want) {
			t.Errorf("%s lacks %q (China time):\n%s", tt.where, tt.want, tt.text)
		}
	}
}
