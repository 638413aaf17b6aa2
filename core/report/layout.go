package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"
)

// Page geometry in millimetres (A4 portrait).
const (
	pageW, pageH = 210.0, 297.0
	margin       = 15.0
	contentW     = pageW - 2*margin
	bodyBottom   = pageH - 18 // the footer lives below
	ptMM         = 25.4 / 72  // one point in millimetres
)

// rgb is a colour.
type rgb struct{ r, g, b int }

var (
	black     = rgb{0x1f, 0x23, 0x28}
	grey      = rgb{0x6b, 0x72, 0x80}
	lightGrey = rgb{0xc8, 0xcd, 0xd3}
	rule      = rgb{0x9a, 0xa1, 0xab}
	headFill  = rgb{0xee, 0xf1, 0xf5}
	labelFill = rgb{0xf6, 0xf7, 0xf9}
	accent    = rgb{0x1e, 0x40, 0x78}
	sealRed   = rgb{0xc8, 0x1e, 0x1e}
	white     = rgb{0xff, 0xff, 0xff}
)

// style is how a run of text looks.
type style struct {
	size  float64 // points
	bold  bool
	color rgb
}

func (s style) mm() float64 { return s.size * ptMM }

// lineH is the height of one line of wrapped text.
func (s style) lineH() float64 { return s.mm() * 1.45 }

// with returns s in another colour.
func (s style) with(c rgb) style { s.color = c; return s }

// Text styles.
var (
	body   = style{size: 9.5, color: black}
	small  = style{size: 8, color: grey}
	tiny   = style{size: 7, color: grey}
	strong = style{size: 9.5, bold: true, color: black}
)

// doc draws a document. Every document is drawn twice by the same function:
// first without a PDF (pdf == nil) to learn which runes each font needs and
// how many pages there are, then for real with fonts subset to those runes.
// Layout uses the fonts' own metrics, so both passes break lines and pages
// identically.
type doc struct {
	pdf    *fpdf.Fpdf // nil in the measuring pass
	fonts  *fontSet
	used   [numFonts]map[rune]bool // runes drawn, per font
	page   int
	pages  int     // total pages; known in the drawing pass
	y      float64 // the cursor: top of the next block
	onPage func(d *doc)
	err    error

	curFont fontID
	curSize float64

	tableHead style // the style of table headers; zero: strong
}

// meta describes a document for its PDF info dictionary.
type meta struct {
	title, subject string
	at             time.Time // creation date: fixed by the input, so output is reproducible
}

// render draws a document with draw in two passes and writes the PDF to w.
func render(w io.Writer, m meta, draw func(d *doc)) error {
	fs, err := loadFonts()
	if err != nil {
		return err
	}
	measure := &doc{fonts: fs}
	for i := range measure.used {
		measure.used[i] = map[rune]bool{}
	}
	for _, r := range "0123456789" { // page numbers: the total is not known yet
		measure.used[fontLatin][r] = true
	}
	draw(measure)
	if measure.err != nil {
		return measure.err
	}

	at := m.at
	if at.IsZero() {
		at = time.Date(2000, 1, 1, 0, 0, 0, 0, cst) // never the clock: same input, same bytes
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(at.UTC())
	pdf.SetModificationDate(at.UTC())
	pdf.SetTitle(m.title, true)
	pdf.SetSubject(m.subject, true)
	pdf.SetCreator("GridDesk", false)
	pdf.SetProducer("GridDesk", false)
	pdf.SetLang("zh-CN")
	for id, set := range measure.used {
		if len(set) == 0 {
			continue
		}
		runes := make([]rune, 0, len(set))
		for r := range set {
			runes = append(runes, r)
		}
		slices.Sort(runes)
		sub, err := fs.face[id].subset(runes)
		if err != nil {
			return fmt.Errorf("font %s: %w", family[id], err)
		}
		pdf.AddUTF8FontFromBytes(family[id], "", sub)
	}
	d := &doc{pdf: pdf, fonts: fs, used: measure.used, pages: measure.page, curFont: -1}
	draw(d)
	if d.err != nil {
		return d.err
	}
	if d.page != measure.page {
		return fmt.Errorf("layout drew %d pages, measured %d", d.page, measure.page)
	}
	return pdf.Output(w)
}

// fail records the first error; drawing goes on harmlessly.
func (d *doc) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// newPage starts a page and draws its header and footer.
func (d *doc) newPage() {
	d.page++
	d.y = margin
	if d.pdf != nil {
		d.pdf.AddPage()
		d.curFont = -1
	}
	if d.onPage != nil {
		d.onPage(d)
	}
}

// ensure starts a new page unless h millimetres fit below the cursor. It
// reports whether it did.
func (d *doc) ensure(h float64) bool {
	if d.y+h <= bodyBottom {
		return false
	}
	d.newPage()
	return true
}

// footer draws the page number centred at the bottom and optional notes left
// and right.
func (d *doc) footer(left, right string) {
	y := pageH - 10
	d.line(margin, y-4.5, pageW-margin, y-4.5, lightGrey, 0.2)
	d.text(margin, y, left, tiny)
	d.textAlign(0, y, pageW, fmt.Sprintf("第 %d 页 / 共 %d 页", d.page, d.pages), tiny, 'C')
	d.textAlign(0, y, pageW-margin, right, tiny, 'R')
}

// runs splits s into runs of one font each.
func (d *doc) runs(s string, bold bool, fn func(id fontID, run string)) {
	var b strings.Builder
	cur := fontID(-1)
	for _, r := range s {
		if r == '\n' || r == '\t' {
			r = ' '
		}
		id, out, ok := d.fonts.pick(r, bold)
		if !ok {
			continue
		}
		if id != cur && b.Len() > 0 {
			fn(cur, b.String())
			b.Reset()
		}
		cur = id
		b.WriteRune(out)
	}
	if b.Len() > 0 {
		fn(cur, b.String())
	}
}

// width returns the width of s in millimetres.
func (d *doc) width(s string, st style) float64 {
	var w int
	for _, r := range s {
		if r == '\n' || r == '\t' {
			r = ' '
		}
		id, out, ok := d.fonts.pick(r, st.bold)
		if ok {
			w += d.fonts.face[id].advance(out)
		}
	}
	return float64(w) / 1000 * st.mm()
}

// text draws s with its baseline at y, starting at x.
func (d *doc) text(x, y float64, s string, st style) {
	d.runs(s, st.bold, func(id fontID, run string) {
		w := d.width(run, st)
		if d.pdf == nil {
			for _, r := range run {
				d.used[id][r] = true
			}
			x += w
			return
		}
		for _, r := range run {
			if !d.used[id][r] {
				d.fail(fmt.Errorf("internal: rune %q drawn but not measured", r))
				return
			}
		}
		if id != d.curFont || st.size != d.curSize {
			d.pdf.SetFont(family[id], "", st.size)
			d.curFont, d.curSize = id, st.size
		}
		d.pdf.SetTextColor(st.color.r, st.color.g, st.color.b)
		fakeBold := st.bold && id == fontCJK
		if fakeBold {
			d.pdf.SetDrawColor(st.color.r, st.color.g, st.color.b)
			d.pdf.SetLineWidth(st.mm() * 0.035)
			d.pdf.SetTextRenderingMode(2)
		}
		d.pdf.Text(x, y, run)
		if fakeBold {
			d.pdf.SetTextRenderingMode(0)
		}
		x += w
	})
}

// textAlign draws s on baseline y aligned ('L', 'C' or 'R') in [x, x+w].
func (d *doc) textAlign(x, y, w float64, s string, st style, align byte) {
	switch align {
	case 'C':
		x += (w - d.width(s, st)) / 2
	case 'R':
		x += w - d.width(s, st)
	}
	d.text(x, y, s, st)
}

// baseline returns the baseline that centres a line of st in a box of height
// h whose top is y.
func baseline(y, h float64, st style) float64 {
	return y + h/2 + st.mm()*0.36
}

// textBox draws one line of s vertically centred in a box, shortened with an
// ellipsis if it does not fit.
func (d *doc) textBox(x, y, w, h float64, s string, st style, align byte) {
	d.textAlign(x, baseline(y, h, st), w, d.fit(s, w, st), st, align)
}

// fit shortens s with "…" to at most w millimetres.
func (d *doc) fit(s string, w float64, st style) string {
	if d.width(s, st) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 {
		rs = rs[:len(rs)-1]
		if t := strings.TrimRight(string(rs), " ") + "…"; d.width(t, st) <= w {
			return t
		}
	}
	return ""
}

// noLineStart lists punctuation that must not begin a line (禁则).
const noLineStart = "，。、；：？！）》」』】〕”’…,.;:?!)]%·"

// noLineEnd lists punctuation that must not end a line.
const noLineEnd = "（《「『【〔“‘([#"

// wrap breaks s into lines at most w millimetres wide: between any two CJK
// characters, at spaces in Latin text, never before closing or after opening
// punctuation; words longer than a line are cut.
func (d *doc) wrap(s string, w float64, st style) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		tokens := tokenize(para)
		var line strings.Builder
		lw := 0.0
		flush := func() {
			lines = append(lines, strings.TrimRight(line.String(), " "))
			line.Reset()
			lw = 0
		}
		for _, tok := range tokens {
			tw := d.width(tok, st)
			if lw+d.width(strings.TrimRight(tok, " "), st) > w && line.Len() > 0 {
				flush()
				tok = strings.TrimLeft(tok, " ")
				tw = d.width(tok, st)
			}
			if tw > w { // a word wider than the line: cut it
				for _, r := range tok {
					rw := d.width(string(r), st)
					if lw+rw > w && line.Len() > 0 {
						flush()
					}
					line.WriteRune(r)
					lw += rw
				}
				continue
			}
			line.WriteString(tok)
			lw += tw
		}
		flush()
	}
	return lines
}

// tokenize splits text into unbreakable pieces: a Latin word with its
// trailing spaces, or one CJK character, with punctuation kept on the side
// it belongs to and a number kept with the character after it.
func tokenize(s string) []string {
	var toks []string
	var cur strings.Builder
	prevLatin, prevDigit, glue := false, false, false
	for _, r := range s {
		latin := r < 0x2E80 && !unicode.IsSpace(r) && !strings.ContainsRune(noLineStart+noLineEnd, r)
		switch {
		case cur.Len() == 0, glue:
			// start, or after opening punctuation
		case strings.ContainsRune(noLineStart, r):
			// closing punctuation stays with what precedes it
		case unicode.IsSpace(r):
			// spaces trail the word
		case latin && prevLatin && !strings.HasSuffix(cur.String(), " "):
			// inside a Latin word
		case prevDigit && !latin && !unicode.IsSpace(r):
			// a number keeps its measure word: 39号, 11项
		default:
			toks = append(toks, cur.String())
			cur.Reset()
		}
		cur.WriteRune(r)
		glue = strings.ContainsRune(noLineEnd, r)
		prevLatin, prevDigit = latin, unicode.IsDigit(r)
	}
	if cur.Len() > 0 {
		toks = append(toks, cur.String())
	}
	return toks
}

// lines draws wrapped lines from y down, at most n of them, the last one
// ending in "…" when more were left out, and returns y below them.
func (d *doc) lines(x, y, w float64, ls []string, n int, st style) float64 {
	for i, ln := range ls {
		if i == n {
			break
		}
		if i == n-1 && len(ls) > n {
			ln = d.fit(ln+"…", w, st)
		}
		d.text(x, y+st.lineH()*0.75, ln, st)
		y += st.lineH()
	}
	return y
}

// paragraph draws wrapped text from the cursor and moves it down.
func (d *doc) paragraph(x, w float64, s string, st style) {
	lh := st.lineH()
	for _, ln := range d.wrap(s, w, st) {
		d.ensure(lh)
		d.text(x, d.y+lh*0.75, ln, st)
		d.y += lh
	}
}

// heading draws a section title with a coloured bar and moves the cursor.
// need is the height of what must follow on the same page.
func (d *doc) heading(s string, need float64) {
	d.ensure(9 + need)
	d.y += 2
	d.rect(margin, d.y+1, 1.2, 5, accent, true, 0)
	d.text(margin+3.5, d.y+5, s, style{size: 11.5, bold: true, color: accent})
	d.y += 8
}

// line draws a line.
func (d *doc) line(x1, y1, x2, y2 float64, c rgb, w float64) {
	if d.pdf == nil {
		return
	}
	d.pdf.SetDrawColor(c.r, c.g, c.b)
	d.pdf.SetLineWidth(w)
	d.pdf.Line(x1, y1, x2, y2)
}

// dashed draws a dashed line.
func (d *doc) dashed(x1, y1, x2, y2 float64, c rgb, w, dash float64) {
	if d.pdf == nil {
		return
	}
	d.pdf.SetDashPattern([]float64{dash, dash}, 0)
	d.line(x1, y1, x2, y2, c, w)
	d.pdf.SetDashPattern(nil, 0)
}

// rect draws a rectangle filled with c, or outlined in c with line width w.
func (d *doc) rect(x, y, w, h float64, c rgb, fill bool, lw float64) {
	if d.pdf == nil {
		return
	}
	if fill {
		d.pdf.SetFillColor(c.r, c.g, c.b)
		d.pdf.Rect(x, y, w, h, "F")
		return
	}
	d.pdf.SetDrawColor(c.r, c.g, c.b)
	d.pdf.SetLineWidth(lw)
	d.pdf.Rect(x, y, w, h, "D")
}

// roundRect draws a rounded rectangle filled with c, or outlined in c.
func (d *doc) roundRect(x, y, w, h, r float64, c rgb, fill bool, lw float64) {
	if d.pdf == nil {
		return
	}
	if fill {
		d.pdf.SetFillColor(c.r, c.g, c.b)
		d.pdf.RoundedRect(x, y, w, h, r, "1234", "F")
		return
	}
	d.pdf.SetDrawColor(c.r, c.g, c.b)
	d.pdf.SetLineWidth(lw)
	d.pdf.RoundedRect(x, y, w, h, r, "1234", "D")
}

// qr draws a QR code of content as a square of side size at (x, y), as
// vector rectangles (crisp at any print size), with no quiet zone: leave
// white space around it.
func (d *doc) qr(x, y, size float64, content string) {
	if d.pdf == nil {
		return
	}
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		d.fail(fmt.Errorf("qr code %q: %w", content, err))
		return
	}
	q.DisableBorder = true
	bm := q.Bitmap()
	m := size / float64(len(bm))
	d.pdf.SetFillColor(0, 0, 0)
	for row, bits := range bm {
		for col := 0; col < len(bits); {
			if !bits[col] {
				col++
				continue
			}
			end := col
			for end < len(bits) && bits[end] {
				end++
			}
			// one path of all modules, filled once: no seams between them
			x0, y0, x1, y1 := x+float64(col)*m, y+float64(row)*m, x+float64(end)*m, y+float64(row+1)*m
			d.pdf.MoveTo(x0, y0)
			d.pdf.LineTo(x1, y0)
			d.pdf.LineTo(x1, y1)
			d.pdf.LineTo(x0, y1)
			d.pdf.ClosePath()
			col = end
		}
	}
	d.pdf.DrawPath("f")
}

// badge draws a three-colour code badge at (x, y) and returns its width.
func (d *doc) badge(x, y, h float64, code string) float64 {
	label, bg, fg := codeLook(code)
	st := style{size: 9, bold: true, color: fg}
	w := d.width(label, st) + 6
	d.roundRect(x, y, w, h, 1.2, bg, true, 0)
	d.textBox(x, y, w, h, label, st, 'C')
	return w
}

// column is one column of a table.
type column struct {
	title string
	w     float64
	align byte
}

// cell is one table cell: text, and an optional second line in small print.
type cell struct {
	text string
	st   style
	note string
}

const cellPad = 1.6

// table draws a table with a header row (repeated on each new page) from the
// cursor down, breaking rows across pages as needed.
func (d *doc) table(cols []column, rows [][]cell) {
	header := func() {
		h := 7.0
		x := margin
		for _, c := range cols {
			d.rect(x, d.y, c.w, h, headFill, true, 0)
			d.rect(x, d.y, c.w, h, rule, false, 0.2)
			hs := strong.with(black)
			if d.tableHead.size > 0 {
				hs = d.tableHead
			}
			d.textBox(x+cellPad, d.y, c.w-2*cellPad, h, c.title, hs, 'C')
			x += c.w
		}
		d.y += h
	}
	d.ensure(7 + 8)
	header()
	for _, row := range rows {
		lines := make([][]string, len(cols))
		notes := make([][]string, len(cols))
		h := 0.0
		for i, c := range row {
			st := c.st
			if st.size == 0 {
				st = body
			}
			w := cols[i].w - 2*cellPad
			lines[i] = d.wrap(c.text, w, st)
			if c.note != "" {
				notes[i] = d.wrap(c.note, w, small)
			}
			ch := float64(len(lines[i]))*st.lineH() + float64(len(notes[i]))*small.lineH() + 2*cellPad
			h = max(h, ch)
		}
		h = max(h, 7)
		if d.ensure(h) {
			header()
		}
		x := margin
		for i, c := range row {
			st := c.st
			if st.size == 0 {
				st = body
			}
			d.rect(x, d.y, cols[i].w, h, rule, false, 0.2)
			content := float64(len(lines[i]))*st.lineH() + float64(len(notes[i]))*small.lineH()
			ty := d.y + (h-content)/2
			for _, ln := range lines[i] {
				d.textAlign(x+cellPad, ty+st.lineH()*0.75, cols[i].w-2*cellPad, ln, st, cols[i].align)
				ty += st.lineH()
			}
			for _, ln := range notes[i] {
				d.textAlign(x+cellPad, ty+small.lineH()*0.75, cols[i].w-2*cellPad, ln, small, cols[i].align)
				ty += small.lineH()
			}
			x += cols[i].w
		}
		d.y += h
	}
}

// field is one label/value pair of an information grid.
type field struct {
	label, value string
	full         bool                          // spans the whole row
	draw         func(d *doc, x, y, h float64) // draws the value instead of text
}

// fields draws label/value pairs two to a row (or one, when full) as a
// bordered grid from the cursor down.
func (d *doc) fields(fs []field) {
	const labelW, rowH = 24.0, 7.5
	half := contentW / 2
	for i := 0; i < len(fs); {
		row := []field{fs[i]}
		i++
		if !row[0].full && i < len(fs) && !fs[i].full {
			row = append(row, fs[i])
			i++
		}
		cw := half
		if len(row) == 1 && row[0].full {
			cw = contentW
		}
		h := rowH
		wrapped := make([][]string, len(row))
		for j, f := range row {
			if f.draw == nil {
				wrapped[j] = d.wrap(f.value, cw-labelW-2*cellPad, body)
				h = max(h, float64(len(wrapped[j]))*body.lineH()+2*cellPad)
			}
		}
		d.ensure(h)
		x := margin
		for j, f := range row {
			d.rect(x, d.y, labelW, h, labelFill, true, 0)
			d.rect(x, d.y, labelW, h, rule, false, 0.2)
			d.rect(x+labelW, d.y, cw-labelW, h, rule, false, 0.2)
			d.textBox(x+cellPad, d.y, labelW-2*cellPad, h, f.label, small.with(black), 'L')
			if f.draw != nil {
				f.draw(d, x+labelW+cellPad, d.y, h)
			} else {
				ty := d.y + (h-float64(len(wrapped[j]))*body.lineH())/2
				for _, ln := range wrapped[j] {
					d.text(x+labelW+cellPad, ty+body.lineH()*0.75, ln, body)
					ty += body.lineH()
				}
			}
			x += cw
		}
		if len(row) == 1 && !row[0].full { // an odd last field: close the grid
			d.rect(x, d.y, half, h, rule, false, 0.2)
		}
		d.y += h
	}
}

// image draws a JPEG or PNG (kind "JPG" or "PNG") of iw×ih pixels into the
// box (x, y, w, h), centred and scaled to keep its aspect ratio.
func (d *doc) image(name, kind string, data []byte, iw, ih int, x, y, w, h float64) {
	if d.pdf == nil {
		return
	}
	opt := fpdf.ImageOptions{ImageType: kind}
	d.pdf.RegisterImageOptionsReader(name, opt, bytes.NewReader(data))
	s := min(w/float64(iw), h/float64(ih))
	dw, dh := float64(iw)*s, float64(ih)*s
	d.pdf.ImageOptions(name, x+(w-dw)/2, y+(h-dh)/2, dw, dh, false, opt, 0, "")
}

// dateBlanks draws "____年__月__日" from x on a line of text at y: blanks
// of the given widths to write a date on by hand (signatures, receipts).
func (d *doc) dateBlanks(x, y float64, widths [3]float64, st style) {
	for i, unit := range []string{"年", "月", "日"} {
		d.line(x, y+1, x+widths[i], y+1, black, 0.25)
		x += widths[i] + 0.5
		d.text(x, y, unit, st)
		x += d.width(unit, st) + 0.5
	}
}
