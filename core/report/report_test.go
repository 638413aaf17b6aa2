package report

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"griddesk/domain"
)

var update = flag.Bool("update", false, "rewrite the golden text files in testdata/")

// pdfText returns the text pdftotext extracts from a PDF, and its page count.
func pdfText(t *testing.T, pdf []byte) (string, int) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext (poppler-utils) is not installed; make setup installs it")
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", file, "-")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("pdftotext: %v %s", err, stderr.String())
	}
	return string(out), strings.Count(string(out), "\f")
}

// squeeze drops all white space, so wrapped or spaced text still matches.
func squeeze(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// renderPage1 renders the first page with pdftoppm and fails on any error
// or warning.
func renderPage1(t *testing.T, pdf []byte) {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Fatal("pdftoppm (poppler-utils) is not installed; make setup installs it")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command("pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", file, filepath.Join(dir, "page"))
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("pdftoppm: %v %s", err, stderr.String())
	}
	img, err := os.ReadFile(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	if w, h := cfg.Width, cfg.Height; w < 410 || w > 416 || h < 582 || h > 588 { // A4 is 8.27×11.69 in
		t.Errorf("page 1 renders %d×%d px at 50 dpi, want A4 (413×585)", w, h)
	}
}

// document is one document made from the demo town, with what its text
// must contain.
type document struct {
	name       string
	write      func(io.Writer) error
	want       []string
	pagesRange [2]int
}

func documents(t *testing.T) []document {
	t.Helper()
	insp := inspectionDoc(t)
	items := itemIndex(insp.Items)
	inspWant := []string{insp.Entity.Name, insp.Entity.Address, insp.TeamName, insp.InspectorName, insp.GridName,
		ReportNo(insp.Inspection), "综合检查报告", "检查人员签字", "经营者签字", "照片1", "照片2", "第1页/共"}
	for _, r := range insp.Inspection.Results {
		inspWant = append(inspWant, items[r.ItemID].Name)
	}
	for _, f := range insp.Findings {
		inspWant = append(inspWant, fmtDate(f.Deadline))
	}

	notice := noticeDoc(t)
	noticeWant := []string{notice.Entity.Name, notice.Issuer, "隐患整改通知书", NoticeNo(notice.Entity, notice.Issued),
		fmtDateCN(notice.Issued), "整改要求", "被检查单位签收"}
	for _, f := range notice.Findings {
		noticeWant = append(noticeWant, items[f.ItemID].LegalBasis, items[f.ItemID].Name, fmtDate(f.Deadline))
	}

	plates := platesDoc(t, 20)
	platesWant := []string{plates.GridName, "一店一码", "第3页/共3页"}
	for _, e := range plates.Entities {
		platesWant = append(platesWant, e.Name, e.ID)
	}

	return []document{
		{"inspection", func(w io.Writer) error { return InspectionReport(w, insp) }, inspWant, [2]int{1, 3}},
		{"notice", func(w io.Writer) error { return RectificationNotice(w, notice) }, noticeWant, [2]int{1, 2}},
		{"plates", func(w io.Writer) error { return DoorPlates(w, plates) }, platesWant, [2]int{3, 3}},
	}
}

func TestDocuments(t *testing.T) {
	for _, doc := range documents(t) {
		t.Run(doc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := doc.write(&buf); err != nil {
				t.Fatal(err)
			}
			text, pages := pdfText(t, buf.Bytes())
			flat := squeeze(text)
			for _, s := range doc.want {
				if !strings.Contains(flat, squeeze(s)) {
					t.Errorf("text lacks %q", s)
				}
			}
			if pages < doc.pagesRange[0] || pages > doc.pagesRange[1] {
				t.Errorf("%d pages, want %d to %d", pages, doc.pagesRange[0], doc.pagesRange[1])
			}
			if want := fmt.Sprintf("共%d页", pages); !strings.Contains(flat, want) {
				t.Errorf("page numbers do not say %q", want)
			}
			renderPage1(t, buf.Bytes())
		})
	}
}

// TestGolden compares each document's text with testdata/<name>.txt. The
// demo town feeds them: when the demo generator changes on purpose, run
// go test ./core/report -run Golden -update and review the diff.
func TestGolden(t *testing.T) {
	for _, doc := range documents(t) {
		t.Run(doc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := doc.write(&buf); err != nil {
				t.Fatal(err)
			}
			text, _ := pdfText(t, buf.Bytes())
			golden := filepath.Join("testdata", doc.name+".txt")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if text != string(want) {
				t.Errorf("text differs from %s (if the change is intended — layout, wording or demo data — run with -update and review the diff):\n%s", golden, firstDiff(string(want), text))
			}
		})
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n want %q\n  got %q", i+1, w, g)
		}
	}
	return "(same lines)"
}

// TestDeterministic checks that the same input gives the same bytes, also
// when documents are made concurrently.
func TestDeterministic(t *testing.T) {
	for _, doc := range documents(t) {
		t.Run(doc.name, func(t *testing.T) {
			var first bytes.Buffer
			if err := doc.write(&first); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			outs := make([]bytes.Buffer, 3)
			errs := make([]error, len(outs))
			for i := range outs {
				wg.Go(func() { errs[i] = doc.write(&outs[i]) })
			}
			wg.Wait()
			for i := range outs {
				if errs[i] != nil {
					t.Fatal(errs[i])
				}
				if !bytes.Equal(first.Bytes(), outs[i].Bytes()) {
					t.Fatalf("run %d gave different bytes", i+1)
				}
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	insp := inspectionDoc(t)
	notice := noticeDoc(t)
	plates := platesDoc(t, 3)
	id := insp.Inspection.ID
	tests := []struct {
		name  string
		write func() error
		want  string
	}{
		{"inspection without entity", func() error { d := insp; d.Entity = nil; return InspectionReport(io.Discard, d) },
			"report: inspection " + id + ": entity is missing"},
		{"inspection without results", func() error { d := insp; d.Inspection.Results = nil; return InspectionReport(io.Discard, d) },
			"report: inspection " + id + ": no check results"},
		{"inspection without items", func() error { d := insp; d.Items = nil; return InspectionReport(io.Discard, d) },
			"report: inspection " + id + ": no check items"},
		{"inspection of another entity", func() error {
			d := insp
			other := *d.Entity
			other.ID = "E99999"
			d.Entity = &other
			return InspectionReport(io.Discard, d)
		}, "report: inspection " + id + ": inspection is of entity " + insp.Entity.ID + ", got entity E99999"},
		{"inspection without id", func() error { d := insp; d.Inspection.ID = ""; return InspectionReport(io.Discard, d) },
			"report: inspection (no id): inspection id is empty"},
		{"notice without entity", func() error { d := notice; d.Entity = nil; return RectificationNotice(io.Discard, d) },
			"report: notice for (no entity): entity is missing"},
		{"notice without open hazards", func() error {
			d := notice
			d.Findings = []domain.Finding{{ID: "H1", EntityID: d.Entity.ID, ItemID: "FIRE-01", Severity: domain.SeverityGeneral, Status: domain.FindingRectified}}
			return RectificationNotice(io.Discard, d)
		}, "report: notice for " + notice.Entity.ID + ": no open hazards"},
		{"notice without issuer", func() error { d := notice; d.Issuer = ""; return RectificationNotice(io.Discard, d) },
			"issuing unit is missing"},
		{"plates without entities", func() error { d := plates; d.Entities = nil; return DoorPlates(io.Discard, d) },
			"report: plates for grid " + plates.GridID + ": no entities"},
		{"plate without token", func() error {
			d := plates
			d.Entities = append([]domain.Entity(nil), d.Entities...)
			d.Entities[1].QRToken = ""
			return DoorPlates(io.Discard, d)
		}, "entity " + plates.Entities[1].ID + " has no QR token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.write()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	err := InspectionReport(errWriter{}, inspectionDoc(t))
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.HasPrefix(err.Error(), "report: inspection ") {
		t.Errorf("error = %v, want a wrapped write error", err)
	}
}

func TestPhotos(t *testing.T) {
	opaque := testPNG(t, 320, 240, 0)
	clear := image.NewNRGBA(image.Rect(0, 0, 100, 80)) // transparent
	var withAlpha bytes.Buffer
	if err := png.Encode(&withAlpha, clear); err != nil {
		t.Fatal(err)
	}
	big := testPNG(t, 2000, 1500, 1)
	var jpg bytes.Buffer
	gray := image.NewGray(image.Rect(0, 0, 400, 300))
	for i := range gray.Pix {
		gray.Pix[i] = color.Gray{uint8(i % 251)}.Y
	}
	if err := jpeg.Encode(&jpg, gray, nil); err != nil {
		t.Fatal(err)
	}
	photos := preparePhotos([][]byte{opaque, []byte("not a photo"), withAlpha.Bytes(), big, jpg.Bytes(), opaque, opaque, opaque})
	if len(photos) != MaxPhotos {
		t.Fatalf("%d photos prepared, want %d", len(photos), MaxPhotos)
	}
	tests := []struct {
		i       int
		kind    string
		same    bool // embedded unchanged
		maxSide int
		bad     bool
	}{
		{0, "PNG", true, 320, false},
		{1, "", false, 0, true},
		{2, "JPG", false, 100, false},
		{3, "JPG", false, maxPhotoSide, false},
		{4, "JPEG", true, 400, false},
	}
	raw := [][]byte{opaque, nil, withAlpha.Bytes(), big, jpg.Bytes()}
	for _, tc := range tests {
		p := photos[tc.i]
		if tc.bad {
			if p.err == nil {
				t.Errorf("photo %d: no error for garbage", p.index)
			}
			continue
		}
		if p.err != nil || p.kind != tc.kind || bytes.Equal(p.data, raw[tc.i]) != tc.same || max(p.w, p.h) != tc.maxSide {
			t.Errorf("photo %d: kind %q, unchanged %v, %d×%d, err %v; want %q, unchanged %v, longest side %d",
				p.index, p.kind, bytes.Equal(p.data, raw[tc.i]), p.w, p.h, p.err, tc.kind, tc.same, tc.maxSide)
		}
	}

	d := inspectionDoc(t)
	d.Photos = [][]byte{opaque, []byte("not a photo"), withAlpha.Bytes(), big, jpg.Bytes(), opaque, opaque, opaque}
	var buf bytes.Buffer
	if err := InspectionReport(&buf, d); err != nil {
		t.Fatal(err)
	}
	text, _ := pdfText(t, buf.Bytes())
	flat := squeeze(text)
	for _, s := range []string{"照片1", "照片3", "照片6", "照片2无法识别", "另有2张照片"} {
		if !strings.Contains(flat, s) {
			t.Errorf("text lacks %q", s)
		}
	}
	if strings.Contains(flat, "照片7") {
		t.Error("photo 7 is shown, want at most 6")
	}
	renderPage1(t, buf.Bytes())

	// as InspectionDocOf reads them: the inspection names 9 photos, the
	// first 6 are read and the second is not at hand (a desk offline)
	d.Inspection.Photos = make([]string, 9)
	d.Photos = [][]byte{opaque, nil, jpg.Bytes(), opaque, opaque, opaque}
	buf.Reset()
	if err := InspectionReport(&buf, d); err != nil {
		t.Fatal(err)
	}
	text, _ = pdfText(t, buf.Bytes())
	flat = squeeze(text)
	for _, s := range []string{"照片1", "照片3", "照片2尚未取回本机", "另有3张照片"} {
		if !strings.Contains(flat, s) {
			t.Errorf("with a photo not at hand, text lacks %q", s)
		}
	}
}

// TestLongReport checks a report that runs over several pages: every item
// of the catalog, ten hazards, long notes.
func TestLongReport(t *testing.T) {
	d := inspectionDoc(t)
	d.Inspection.Results = nil
	d.Findings = nil
	for i, it := range d.Items {
		r := domain.ItemResult{ItemID: it.ID, Result: domain.ResultPass}
		if i%3 == 0 {
			r.Result, r.Note = domain.ResultFail, strings.Repeat("现场发现问题较多，需要逐项整改。", 3)
			d.Findings = append(d.Findings, domain.Finding{ID: fmt.Sprintf("H%d", i), InspectionID: d.Inspection.ID, EntityID: d.Entity.ID,
				ItemID: it.ID, Severity: []domain.Severity{domain.SeverityGeneral, domain.SeverityMajor}[i%2], Deadline: d.Inspection.At.AddDate(0, 0, 7), Status: domain.FindingOpen})
		}
		d.Inspection.Results = append(d.Inspection.Results, r)
	}
	d.Inspection.Results = append(d.Inspection.Results, domain.ItemResult{ItemID: "OLD-99", Result: domain.ResultNA})
	var buf bytes.Buffer
	if err := InspectionReport(&buf, d); err != nil {
		t.Fatal(err)
	}
	text, pages := pdfText(t, buf.Bytes())
	if pages < 3 || pages > 6 {
		t.Errorf("%d pages, want 3 to 6", pages)
	}
	flat := squeeze(text)
	for _, it := range d.Items {
		if !strings.Contains(flat, squeeze(it.Name)) {
			t.Errorf("text lacks item %q", it.Name)
		}
	}
	for _, s := range []string{"OLD-99", "检查目录中无此项", fmt.Sprintf("第%d页/共%d页", pages, pages)} {
		if !strings.Contains(flat, s) {
			t.Errorf("text lacks %q", s)
		}
	}
	if n := strings.Count(flat, "检查领域"); n < 2 {
		t.Errorf("table header printed %d times, want it repeated on the next page", n)
	}
}

func TestWrap(t *testing.T) {
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	d := &doc{fonts: fs}
	tests := []struct {
		name, text string
		width      float64
		lines      int    // 0: don't check
		notStart   string // no line may start with any of these
	}{
		{"number keeps its measure word", "地址：临浦镇新江村解放路250号", 45, 2, "号"},
		{"no comma at line start", "疏散通道、安全出口畅通，灭火器在有效期内。", 24, 0, "、，。"},
		{"latin words stay whole", "GridDesk prints inspection reports", 30, 0, ""},
		{"over-long word is cut", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ", 20, 0, ""},
		{"hard line breaks", "第一行\n第二行", 100, 2, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lines := d.wrap(tc.text, tc.width, body)
			if tc.lines > 0 && len(lines) != tc.lines {
				t.Errorf("%d lines %q, want %d", len(lines), lines, tc.lines)
			}
			if got := strings.Join(lines, ""); squeeze(got) != squeeze(strings.ReplaceAll(tc.text, "\n", "")) {
				t.Errorf("lines %q lose text of %q", lines, tc.text)
			}
			for i, ln := range lines {
				if w := d.width(ln, body); w > tc.width+1e-9 {
					t.Errorf("line %q is %.1f mm, want ≤ %.1f", ln, w, tc.width)
				}
				if i > 0 && ln != "" && strings.ContainsRune(tc.notStart, []rune(ln)[0]) {
					t.Errorf("line %d starts with %q: %q", i+1, []rune(ln)[0], lines)
				}
				if tc.name == "latin words stay whole" {
					for _, w := range strings.Fields(ln) {
						if !strings.Contains(tc.text, " "+w) && !strings.HasPrefix(tc.text, w) {
							t.Errorf("word cut: %q in %q", w, lines)
						}
					}
				}
			}
		})
	}
}

func TestFilename(t *testing.T) {
	tests := []struct{ kind, id, want string }{
		{KindInspection, "N000123", "inspection-N000123.pdf"},
		{KindNotice, "E00012", "notice-E00012.pdf"},
		{KindPlates, "新江村1-4", "plates-___1-4.pdf"},
		{KindPlates, "../x y", "plates-___x_y.pdf"},
		{KindNotice, "", "notice-unnamed.pdf"},
	}
	for _, tc := range tests {
		if got := Filename(tc.kind, tc.id); got != tc.want {
			t.Errorf("Filename(%q, %q) = %q, want %q", tc.kind, tc.id, got, tc.want)
		}
	}
}

// TestQRCodesScan decodes the printed QR codes with zbarimg, when installed.
func TestQRCodesScan(t *testing.T) {
	if _, err := exec.LookPath("zbarimg"); err != nil {
		t.Fatal("zbarimg (zbar-tools) is not installed; make setup installs it")
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Fatal("pdftoppm is not installed; make setup installs it")
	}
	const base = "https://grid.example.cn"
	insp := inspectionDoc(t)
	insp.PublicURL = base
	plates := platesDoc(t, 8)
	plates.PublicURL = base
	legacy := platesDoc(t, 2) // no public URL: the old griddesk:// codes a desk opens
	tests := []struct {
		name  string
		write func(io.Writer) error
		want  []string
	}{
		{"inspection", func(w io.Writer) error { return InspectionReport(w, insp) },
			[]string{base + "/p/" + insp.Entity.QRToken + "/i/" + insp.Inspection.ID}},
		{"plates", func(w io.Writer) error { return DoorPlates(w, plates) }, nil},
		{"legacy plates", func(w io.Writer) error { return DoorPlates(w, legacy) }, nil},
	}
	for _, e := range plates.Entities {
		tests[1].want = append(tests[1].want, base+"/p/"+e.QRToken)
	}
	for _, e := range legacy.Entities {
		tests[2].want = append(tests[2].want, "griddesk://entity/"+e.QRToken)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var buf bytes.Buffer
			if err := tc.write(&buf); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, "doc.pdf")
			if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command("pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", file, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm: %v %s", err, out)
			}
			out, err := exec.Command("zbarimg", "-q", "--raw", filepath.Join(dir, "page.png")).Output()
			if err != nil {
				t.Fatalf("zbarimg: %v", err)
			}
			got := strings.Fields(string(out))
			for _, w := range tc.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("QR %q not found; decoded %q", w, got)
				}
			}
			if len(got) != len(tc.want) {
				t.Errorf("decoded %d codes, want %d", len(got), len(tc.want))
			}
		})
	}
}

// TestWriteSamples writes the three demo documents into $REPORT_SAMPLES
// (skipped when unset), for looking at: pdftoppm -png -r 70 FILE PREFIX.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("REPORT_SAMPLES")
	if dir == "" {
		t.Skip("REPORT_SAMPLES is not set")
	}
	for _, doc := range documents(t) {
		var buf bytes.Buffer
		if err := doc.write(&buf); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "report-"+doc.name+".pdf"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
