package report

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"griddesk/core/bulletin"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/seed"
)

// townMonth is the demo town's bulletin input for the month before now:
// a quarter of history, about 140 cases a month.
func townMonth(tb testing.TB) bulletin.Input {
	tb.Helper()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, clock.Location())
	d := seed.Town(1, now)
	tl := map[string][]domain.Action{}
	for _, a := range d.Actions {
		tl[a.CaseID] = append(tl[a.CaseID], a)
	}
	return bulletin.Input{Month: now.AddDate(0, -1, 0), Cases: d.Cases, Timelines: tl, Units: d.Units, Categories: domain.Categories(),
		Rules: domain.RulesWith(nil), Town: "临浦镇"}
}

// The town's October bulletin: a PDF of a few A4 pages, the same bytes
// for the same figures. GRIDDESK_BULLETIN=file.pdf keeps it to look at.
func TestBulletinPDF(t *testing.T) {
	f := bulletin.Compute(townMonth(t))
	if f.Intake < 50 || len(f.KPI.Ranking) < 5 {
		t.Fatalf("a thin month: %d cases, %d ranked units", f.Intake, len(f.KPI.Ranking))
	}
	var a, b bytes.Buffer
	if err := Bulletin(&a, f); err != nil {
		t.Fatal(err)
	}
	if err := Bulletin(&b, f); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(a.Bytes(), []byte("%PDF-")) || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("not a PDF, or not the same bytes twice")
	}
	if n := strings.Count(a.String(), "/Type /Page\n"); n < 2 || n > 8 {
		t.Errorf("%d pages", n)
	}
	if out := os.Getenv("GRIDDESK_BULLETIN"); out != "" {
		if err := os.WriteFile(out, a.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkMonthlyBulletinTown is the month's bulletin for the demo town:
// the figures, the PDF and the XLSX (budget 1 s, DESIGN.md §7). The town is
// made, and the fonts parsed, before the loop.
func BenchmarkMonthlyBulletinTown(b *testing.B) {
	in := townMonth(b)
	if _, err := loadFonts(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		f := bulletin.Compute(in)
		if err := Bulletin(io.Discard, f); err != nil {
			b.Fatal(err)
		}
		if err := bulletin.WriteXLSX(io.Discard, f); err != nil {
			b.Fatal(err)
		}
	}
}
