package ui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/command"
	"griddesk/desk"
	"griddesk/domain"
)

// labels collects the text of every label under o.
func labels(t *testing.T, o fyne.CanvasObject) []string {
	switch v := o.(type) {
	case *widget.Label:
		return []string{v.Text}
	case *fyne.Container:
		var out []string
		for _, c := range v.Objects {
			out = append(out, labels(t, c)...)
		}
		return out
	case fyne.Widget:
		r := test.TempWidgetRenderer(t, v)
		if r == nil {
			return nil
		}
		var out []string
		for _, c := range r.Objects() {
			out = append(out, labels(t, c)...)
		}
		return out
	}
	return nil
}

// offlineWindow is the main window, shown, over a desk with no data and no
// server.
func offlineWindow(t *testing.T) *mainWindow {
	t.Helper()
	_, _, mw := demoWindow(t, "none")
	return mw
}

func TestEntityPageListsPlannedVisits(t *testing.T) {
	mw := offlineWindow(t)
	day := time.Date(2026, 12, 8, 0, 0, 0, 0, time.Local)
	for _, tc := range []struct {
		name   string
		visits []desk.PlannedVisit
		want   []string
		absent string
	}{
		{"none", nil, nil, "Planned visits"},
		{"two", []desk.PlannedVisit{
			{Visit: domain.Visit{ID: "V1", Day: day, Departments: []string{"应急", "消防"}, Minutes: 25, Joint: true, Status: domain.VisitPlanned}, PlanTitle: "十二月第二周"},
			{Visit: domain.Visit{ID: "V2", Day: day.AddDate(0, 0, 14), Departments: []string{"市场监管"}, Minutes: 10, Status: "done"}, PlanTitle: "十二月第四周"},
		}, []string{"Planned visits", "2026-12-08 · 十二月第二周 · 应急, 消防 · 25 min · Planned · joint visit",
			"2026-12-22 · 十二月第四周 · 市场监管 · 10 min · Done"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := desk.EntityPage{Entity: domain.Entity{ID: "E1", Name: "浦南小吃店", Kind: "shop", Code: "yellow"}, Visits: tc.visits}
			var got []string
			fyne.DoAndWait(func() {
				mw.dg.entityDialog(page)
				got = labels(t, mw.win.Canvas().Overlays().Top())
				mw.win.Canvas().Overlays().Top().Hide()
			})
			text := strings.Join(got, "\n")
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("entity page lacks %q:\n%s", w, text)
				}
			}
			if tc.absent != "" && strings.Contains(text, tc.absent) {
				t.Errorf("entity page shows %q with no visits", tc.absent)
			}
		})
	}
}

func TestInspectionFormResults(t *testing.T) {
	newTestApp(t)
	items := []domain.CheckItem{
		{ID: "CI1", Domain: "消防", Name: "灭火器有效"},
		{ID: "CI2", Domain: "燃气", Name: "燃气报警器"},
		{ID: "CI3", Domain: "食品", Name: "健康证"},
	}
	visit := time.Date(2026, 11, 20, 10, 0, 0, 0, time.Local)
	for _, tc := range []struct {
		name    string
		set     func(f *inspectionForm)
		results []domain.ItemResult
		hazards []command.Hazard
		err     string
	}{
		{"all pass by default", func(*inspectionForm) {},
			[]domain.ItemResult{{ItemID: "CI1", Result: domain.ResultPass}, {ItemID: "CI2", Result: domain.ResultPass}, {ItemID: "CI3", Result: domain.ResultPass}}, nil, ""},
		{"fail with a note, major; n/a with a note; fail without a note", func(f *inspectionForm) {
			f.rows[0].result.SetSelected(f.choices[1])
			f.rows[0].severity.SetSelectedIndex(1)
			f.rows[0].note.SetText("  灭火器压力不足，已过期两个月 ")
			f.rows[1].result.SetSelected(f.choices[2])
			f.rows[1].note.SetText("未使用燃气")
			f.rows[2].result.SetSelected(f.choices[1])
		},
			[]domain.ItemResult{{ItemID: "CI1", Result: domain.ResultFail, Note: "灭火器压力不足，已过期两个月"},
				{ItemID: "CI2", Result: domain.ResultNA, Note: "未使用燃气"}, {ItemID: "CI3", Result: domain.ResultFail}},
			[]command.Hazard{{ItemID: "CI1", Severity: domain.SeverityMajor, Description: "灭火器压力不足，已过期两个月"},
				{ItemID: "CI3", Severity: domain.SeverityGeneral, Description: "健康证 not met"}}, ""},
		{"a deadline typed", func(f *inspectionForm) {
			f.rows[1].result.SetSelected(f.choices[1])
			f.rows[1].deadline.SetText(" 2026-11-25 ")
		},
			[]domain.ItemResult{{ItemID: "CI1", Result: domain.ResultPass}, {ItemID: "CI2", Result: domain.ResultFail}, {ItemID: "CI3", Result: domain.ResultPass}},
			[]command.Hazard{{ItemID: "CI2", Severity: domain.SeverityGeneral, Description: "燃气报警器 not met",
				Deadline: time.Date(2026, 11, 25, 23, 59, 0, 0, time.Local)}}, ""},
		{"a deadline not a date", func(f *inspectionForm) {
			f.rows[1].result.SetSelected(f.choices[1])
			f.rows[1].deadline.SetText("下周五")
		}, nil, nil, "燃气报警器: the deadline 下周五 is not a date like 2026-11-30."},
		{"a deadline before the visit", func(f *inspectionForm) {
			f.rows[2].result.SetSelected(f.choices[1])
			f.rows[2].deadline.SetText("2026-11-19")
		}, nil, nil, "健康证: the deadline 2026-11-19 is before the visit."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newInspectionForm(items)
			tc.set(f)
			res, hz, err := f.results(visit)
			if tc.err != "" || err != nil {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if !reflect.DeepEqual(res, tc.results) {
				t.Errorf("results = %+v, want %+v", res, tc.results)
			}
			if !reflect.DeepEqual(hz, tc.hazards) {
				t.Errorf("hazards = %+v, want %+v", hz, tc.hazards)
			}
			if f.rows[0].severity.Visible() != (f.rows[0].result.Selected == f.choices[1]) {
				t.Error("the severity shows only for a failed item")
			}
		})
	}
}

// TestEntityPageListsRectifiedHazards: the latest rectified hazards show
// with their date, newest first, at most maxRectified, and a photo strip
// for those with photos.
func TestEntityPageListsRectifiedHazards(t *testing.T) {
	mw := offlineWindow(t)
	day := time.Date(2026, 11, 1, 10, 0, 0, 0, time.Local)
	page := desk.EntityPage{Entity: domain.Entity{ID: "E1", Name: "浦南小吃店", Kind: "shop", Code: "yellow"},
		Items: map[string]domain.CheckItem{"FIRE-01": {ID: "FIRE-01", Name: "灭火器有效"}}}
	for i := range maxRectified + 2 {
		f := domain.Finding{ID: fmt.Sprint("H", i), ItemID: "FIRE-01", Severity: domain.SeverityGeneral, Status: domain.FindingRectified,
			RectifiedAt: day.AddDate(0, 0, i), Description: fmt.Sprint("第", i, "次")}
		if i == maxRectified+1 {
			f.Photos = []string{strings.Repeat("a", 64)}
		}
		page.Findings = append(page.Findings, f)
	}
	page.Findings = append(page.Findings, domain.Finding{ID: "OPEN", ItemID: "FIRE-01", Severity: domain.SeverityMajor, Status: domain.FindingOpen, Deadline: day})
	var text string
	var thumbs int
	var top fyne.CanvasObject
	fyne.DoAndWait(func() {
		mw.dg.entityDialog(page)
		top = mw.win.Canvas().Overlays().Top()
		text = strings.Join(labels(t, top), "\n")
		thumbs = countThumbs(t, top)
	})
	// the thumbnail's load has ended (offline, no such photo) before the desk closes
	eventually(t, "the thumbnail to say the photo is not here", func() bool {
		var l []string
		fyne.DoAndWait(func() { l = labels(t, top) })
		return strings.Contains(strings.Join(l, "\n"), "Photo not available offline")
	})
	fyne.DoAndWait(func() { top.Hide() })
	if !strings.Contains(text, "Rectified hazards (7)") {
		t.Fatalf("no rectified section:\n%s", text)
	}
	newest := strings.Index(text, "rectified 2026-11-07")
	oldestShown := strings.Index(text, "rectified 2026-11-03")
	if newest < 0 || oldestShown < newest || strings.Contains(text, "rectified 2026-11-02") {
		t.Errorf("want the five newest, newest first:\n%s", text)
	}
	if thumbs != 1 {
		t.Errorf("%d photo thumbnails, want 1 (the hazard with a photo)", thumbs)
	}
}

// countThumbs counts the photo thumbnails under o.
func countThumbs(t *testing.T, o fyne.CanvasObject) int {
	n := 0
	switch v := o.(type) {
	case *thumb:
		return 1
	case *fyne.Container:
		for _, c := range v.Objects {
			n += countThumbs(t, c)
		}
	case fyne.Widget:
		r := test.TempWidgetRenderer(t, v)
		if r == nil {
			return 0
		}
		for _, c := range r.Objects() {
			n += countThumbs(t, c)
		}
	}
	return n
}
