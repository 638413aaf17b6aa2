package report

import (
	"bytes"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"griddesk/core/plan"
	"griddesk/domain"
)

var planPDF = flag.String("plan-pdf", "", "also write the plan itinerary of TestPlanItinerary to this file")

var (
	planDocOnce sync.Once
	planDocVal  PlanDoc
	planDocErr  error
)

// planDoc is the itinerary of a small plan of the demo town: two weeks from
// 23 November 2026 for its first two teams and the entities in their areas,
// plus one shop no team covers, whose monthly items fall due in the period
// and overflow.
func planDoc(tb testing.TB) PlanDoc {
	tb.Helper()
	d := demoTown(tb)
	planDocOnce.Do(func() {
		n := townNames(d)
		teams := plan.TeamsFromUnits(d.Units)[:2]
		areas := map[string]orb.MultiPolygon{}
		for _, g := range d.Grids {
			areas[g.ID] = g.Geometry
		}
		var ents []domain.Entity
		for _, e := range d.Entities {
			for _, t := range teams {
				if planar.MultiPolygonContains(areas[t.GridIDs[0]], orb.Point{e.Lon, e.Lat}) {
					ents = append(ents, e)
					break
				}
			}
		}
		ents = append(ents, domain.Entity{ID: "X-1", Kind: domain.KindShop, Name: "镇外小卖部", Address: "镇外路1号",
			Code: domain.CodeRed, Lon: 119.5, Lat: 29.5})
		last := plan.LastFromInspections(d.Inspections)
		p, err := plan.Generate(plan.Input{
			Start: time.Date(2026, 11, 23, 0, 0, 0, 0, cst), End: time.Date(2026, 12, 6, 0, 0, 0, 0, cst),
			Teams: teams, Entities: ents, Catalog: d.CheckItems, Grids: d.Grids,
			Last: func(entityID, itemID string) (time.Time, bool) {
				if entityID == "X-1" {
					return time.Date(2026, 11, 1, 10, 0, 0, 0, cst), true
				}
				return last(entityID, itemID)
			},
		})
		if err != nil {
			planDocErr = err
			return
		}
		doc := PlanDoc{Plan: p, Entities: map[string]domain.Entity{}, Items: map[string]domain.CheckItem{},
			Teams: map[string]string{}, Departments: n.depts, Issuer: "临浦镇综合行政执法队", Generated: now}
		for _, e := range ents {
			doc.Entities[e.ID] = e
		}
		for _, it := range d.CheckItems {
			doc.Items[it.ID] = it
		}
		for _, t := range teams {
			doc.Teams[t.ID] = n.units[t.ID]
		}
		planDocVal = doc
	})
	if planDocErr != nil {
		tb.Fatal(planDocErr)
	}
	return planDocVal
}

func TestPlanItinerary(t *testing.T) {
	d := planDoc(t)
	p := d.Plan
	var buf bytes.Buffer
	if err := PlanItinerary(&buf, d); err != nil {
		t.Fatal(err)
	}
	pdf := buf.Bytes()
	if *planPDF != "" {
		if err := os.WriteFile(*planPDF, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var again bytes.Buffer
	if err := PlanItinerary(&again, d); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pdf, again.Bytes()) {
		t.Error("two renderings of the same plan differ")
	}

	text, pages := pdfText(t, pdf)
	flat := squeeze(text)
	stops := 0
	for _, day := range p.Days {
		stops += len(day.Stops)
	}
	t.Logf("%d teams, %d days, %d stops, %d overflow: %d pages, %d KB; reduction %+v",
		len(p.Teams), len(p.Days), stops, len(p.Overflow), pages, len(pdf)/1024, p.Reduction)
	want := []string{"检查计划行程单", "临浦镇综合行政执法队", "2026-11-23至2026-12-06", "三相一就合并成效",
		fmtPct(p.Reduction.Visits), fmtPct(p.Reduction.Trips), fmtInt(float64(p.Baseline.Visits)), fmtInt(float64(p.Merged.Visits)),
		"未排入及逾期", "镇外小卖部", "无检查组覆盖", "当日合计", "联合",
		fmt.Sprintf("第1页/共%d页", pages), fmt.Sprintf("第%d页/共%d页", pages, pages)}
	for _, tp := range p.Teams {
		want = append(want, d.Teams[tp.ID]+"行程")
	}
	// every stop's entity, in order: by team, date and stop (the layout
	// text keeps the rows' order)
	layout := squeeze(pdfLayoutText(t, pdf))
	at := 0
	for _, tp := range p.Teams {
		for _, day := range p.Days {
			if day.TeamID != tp.ID {
				continue
			}
			for i, s := range day.Stops {
				name := squeeze(d.Entities[s.EntityID].Name)
				if !strings.Contains(flat, name) {
					t.Fatalf("%s %s stop %d: %q missing", day.TeamID, fmtDate(day.Date), i+1, name)
				}
				if r := []rune(name); len(r) > 8 { // a long name wraps, with other columns on its lines
					name = string(r[:8])
				}
				k := strings.Index(layout[at:], name)
				if k < 0 {
					t.Fatalf("%s %s stop %d: %q out of order", day.TeamID, fmtDate(day.Date), i+1, name)
				}
				at += k + len(name)
			}
		}
	}
	// a checklist: the first stop's items and departments
	s0 := p.Days[0].Stops[0]
	for _, id := range s0.Items {
		want = append(want, d.Items[id].Name)
	}
	for _, dep := range s0.Departments {
		want = append(want, d.Departments[dep])
	}
	want = append(want, d.Entities[s0.EntityID].Address, s0.Arrive.In(cst).Format("15:04"))
	for _, w := range want {
		if !strings.Contains(flat, squeeze(w)) {
			t.Errorf("text lacks %q", w)
		}
	}
	if pages < 2 {
		t.Errorf("%d pages", pages)
	}
	renderPlanPages(t, pdf)
}

// pdfLayoutText returns the text of a PDF as pdftotext -layout lays it out:
// line by line down each page.
func pdfLayoutText(t *testing.T, pdf []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -layout: %v", err)
	}
	return string(out)
}

// renderPlanPages renders pages 1 and 2 with pdftoppm at 60 dpi, failing on
// any error or warning, and checks their size.
func renderPlanPages(t *testing.T, pdf []byte) {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Fatal("pdftoppm (poppler-utils) is not installed; make setup installs it")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "plan.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", file, filepath.Join(dir, "plan"))
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("pdftoppm: %v %s", err, stderr.String())
	}
	for _, page := range []string{"plan-01.png", "plan-02.png"} {
		img, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(img))
		if err != nil {
			t.Fatal(err)
		}
		if w, h := cfg.Width, cfg.Height; w < 494 || w > 500 || h < 699 || h > 705 { // A4 at 60 dpi: 496×702
			t.Errorf("%s is %d×%d px, want A4 (496×702)", page, w, h)
		}
	}
}

// TestPlanItineraryEmpty prints a plan without days: the cover, and a page
// per team saying there is nothing to do.
func TestPlanItineraryEmpty(t *testing.T) {
	p := &plan.Plan{Period: plan.Period{Start: time.Date(2026, 4, 1, 0, 0, 0, 0, cst), End: time.Date(2026, 4, 7, 0, 0, 0, 0, cst),
		Days: 7, Workdays: 5}, Teams: []plan.TeamPlan{{ID: "T1", Name: "一组", Workdays: 5}}}
	var buf bytes.Buffer
	if err := PlanItinerary(&buf, PlanDoc{Plan: p}); err != nil {
		t.Fatal(err)
	}
	text, pages := pdfText(t, buf.Bytes())
	flat := squeeze(text)
	for _, w := range []string{"一组行程", "本期无检查安排", "无：所有检查均在应检日期前排入", "0.00%", "第2页/共2页"} {
		if !strings.Contains(flat, w) {
			t.Errorf("text lacks %q", w)
		}
	}
	if pages != 2 {
		t.Errorf("%d pages, want 2", pages)
	}
	if err := PlanItinerary(io.Discard, PlanDoc{}); err == nil {
		t.Error("no plan: no error")
	}
}

// BenchmarkPlanPDF measures the itinerary of the two-week plan of two demo
// teams (about 40 pages).
func BenchmarkPlanPDF(b *testing.B) {
	d := planDoc(b)
	if _, err := loadFonts(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		var buf bytes.Buffer
		if err := PlanItinerary(&buf, d); err != nil {
			b.Fatal(err)
		}
		n = buf.Len()
	}
	b.ReportMetric(float64(n)/1024, "KB")
}
