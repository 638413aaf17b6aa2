package report

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"griddesk/assets"
)

// Fonts. fpdf keeps fonts per document and parses a UTF-8 TrueType font
// completely when it is added (and again when it embeds the subset), which
// costs about 80 ms for the 4 MB Droid Sans Fallback. So each font is parsed
// here once per process (face), and every document gets a tiny TrueType
// subset with exactly the runes it prints: fpdf then parses a few kilobytes.
//
// Droid Sans Fallback has CJK glyphs but no Latin letters or digits, so text
// is split into runs: runes the Go fonts have are set in Go Regular (or Go
// Bold), the rest in Droid. Droid has no bold; bold CJK is drawn filled and
// stroked.

// fontID names one of the document fonts.
type fontID int

const (
	fontLatin fontID = iota
	fontLatinBold
	fontCJK
	numFonts
)

// family is the fpdf family name of each font.
var family = [numFonts]string{"latin", "latinb", "cjk"}

// fontSet is the parsed faces, shared read-only by all documents.
type fontSet struct {
	face [numFonts]*face
}

var (
	fontsOnce sync.Once
	fontsVal  *fontSet
	fontsErr  error
)

// loadFonts parses the bundled fonts on first use.
func loadFonts() (*fontSet, error) {
	fontsOnce.Do(func() { fontsVal, fontsErr = loadFontSet() })
	return fontsVal, fontsErr
}

func loadFontSet() (*fontSet, error) {
	var fs fontSet
	srcs := [numFonts][]byte{goregular.TTF, gobold.TTF, assets.CJKFont}
	for i, src := range srcs {
		f, err := parseFace(src)
		if err != nil {
			return nil, fmt.Errorf("font %s: %w", family[i], err)
		}
		fs.face[i] = f
	}
	return &fs, nil
}

// replacement is printed for runes no font has.
const replacement = '?'

// pick returns the font that draws r and the rune to draw (r itself, or
// replacement when no font has it). Runes without an advance (combining
// marks, joiners) are dropped: ok is false.
func (fs *fontSet) pick(r rune, bold bool) (id fontID, out rune, ok bool) {
	latin := fontLatin
	if bold {
		latin = fontLatinBold
	}
	switch {
	case fs.face[latin].has(r):
		id, out = latin, r
	case fs.face[fontCJK].has(r):
		id, out = fontCJK, r
	default:
		id, out = latin, replacement
	}
	return id, out, fs.face[id].advance(out) > 0
}

// face is a TrueType (glyf) font parsed once: its tables, character map,
// glyph locations and advances.
type face struct {
	tables    map[string][]byte
	upem      int
	numGlyphs int
	nHMetrics int
	loca      []uint32   // numGlyphs+1 offsets into glyf
	cmap      [][]uint16 // BMP rune → glyph, in pages of 256; nil page = none
	adv1000   []int      // advance per glyph in 1/1000 em, rounded as fpdf does
}

// parseFace reads the tables a subset needs. Only the BMP is mapped: fpdf
// maps character codes to glyphs through a 64K table.
func parseFace(data []byte) (*face, error) {
	if len(data) < 12 {
		return nil, fmt.Errorf("font too short")
	}
	if v := be32(data, 0); v != 0x00010000 && v != 0x74727565 { // 'true'
		return nil, fmt.Errorf("not a TrueType font (version %#x)", v)
	}
	n := int(be16(data, 4))
	if len(data) < 12+16*n {
		return nil, fmt.Errorf("table directory truncated")
	}
	f := &face{tables: make(map[string][]byte, n)}
	for i := range n {
		rec := data[12+16*i:]
		tag := string(rec[:4])
		off, size := int(be32(rec, 8)), int(be32(rec, 12))
		if off < 0 || size < 0 || off+size > len(data) {
			return nil, fmt.Errorf("table %q out of bounds", tag)
		}
		f.tables[tag] = data[off : off+size : off+size]
	}
	for _, tag := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap", "name", "post"} {
		if f.tables[tag] == nil {
			return nil, fmt.Errorf("table %q missing", tag)
		}
	}
	head, hhea, maxp := f.tables["head"], f.tables["hhea"], f.tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 || len(f.tables["post"]) < 16 {
		return nil, fmt.Errorf("head, hhea, maxp or post table too short")
	}
	f.upem = int(be16(head, 18))
	f.numGlyphs = int(be16(maxp, 4))
	f.nHMetrics = int(be16(hhea, 34))
	if f.upem == 0 || f.nHMetrics == 0 || f.nHMetrics > f.numGlyphs {
		return nil, fmt.Errorf("bad metrics: unitsPerEm %d, %d hmetrics for %d glyphs", f.upem, f.nHMetrics, f.numGlyphs)
	}
	hmtx := f.tables["hmtx"]
	if len(hmtx) < 4*f.nHMetrics+2*(f.numGlyphs-f.nHMetrics) {
		return nil, fmt.Errorf("hmtx table too short")
	}
	f.adv1000 = make([]int, f.numGlyphs)
	scale := 1000 / float64(f.upem)
	for g := range f.numGlyphs {
		f.adv1000[g] = int(math.Round(scale * float64(f.rawAdvance(g))))
	}
	loca := f.tables["loca"]
	f.loca = make([]uint32, f.numGlyphs+1)
	switch be16(head, 50) {
	case 0:
		if len(loca) < 2*(f.numGlyphs+1) {
			return nil, fmt.Errorf("loca table too short")
		}
		for i := range f.loca {
			f.loca[i] = 2 * uint32(be16(loca, 2*i))
		}
	case 1:
		if len(loca) < 4*(f.numGlyphs+1) {
			return nil, fmt.Errorf("loca table too short")
		}
		for i := range f.loca {
			f.loca[i] = be32(loca, 4*i)
		}
	default:
		return nil, fmt.Errorf("unknown loca format %d", be16(head, 50))
	}
	glyf := uint32(len(f.tables["glyf"]))
	for i := 1; i < len(f.loca); i++ {
		if f.loca[i] < f.loca[i-1] || f.loca[i] > glyf {
			return nil, fmt.Errorf("glyph %d out of bounds", i-1)
		}
	}
	if err := f.parseCmap(); err != nil {
		return nil, err
	}
	return f, nil
}

// parseCmap reads the Unicode BMP subtable (format 4).
func (f *face) parseCmap() error {
	cm := f.tables["cmap"]
	if len(cm) < 4 {
		return fmt.Errorf("cmap table too short")
	}
	var sub []byte
	for i := range int(be16(cm, 2)) {
		rec := 4 + 8*i
		if rec+8 > len(cm) {
			break
		}
		platform, encoding, off := be16(cm, rec), be16(cm, rec+2), int(be32(cm, rec+4))
		if (platform == 3 && encoding == 1 || platform == 0) && off+4 <= len(cm) && be16(cm, off) == 4 {
			sub = cm[off:]
			break
		}
	}
	if sub == nil {
		return fmt.Errorf("no Unicode BMP character map (format 4)")
	}
	if len(sub) < 14 {
		return fmt.Errorf("cmap format 4 too short")
	}
	segs := int(be16(sub, 6)) / 2
	ends, starts, deltas, ranges := 14, 16+2*segs, 16+4*segs, 16+6*segs
	if len(sub) < ranges+2*segs {
		return fmt.Errorf("cmap format 4 truncated")
	}
	f.cmap = make([][]uint16, 256)
	for s := range segs {
		start, end := int(be16(sub, starts+2*s)), int(be16(sub, ends+2*s))
		delta, rangeOff := be16(sub, deltas+2*s), int(be16(sub, ranges+2*s))
		for c := start; c <= end && c < 0xFFFF; c++ {
			var g uint16
			if rangeOff == 0 {
				g = uint16(c) + delta
			} else {
				at := ranges + 2*s + rangeOff + 2*(c-start)
				if at+2 > len(sub) {
					continue
				}
				if g = be16(sub, at); g != 0 {
					g += delta
				}
			}
			if g == 0 || int(g) >= f.numGlyphs {
				continue
			}
			page := f.cmap[c>>8]
			if page == nil {
				page = make([]uint16, 256)
				f.cmap[c>>8] = page
			}
			page[c&0xFF] = g
		}
	}
	return nil
}

// glyph returns r's glyph index, 0 if the face lacks it.
func (f *face) glyph(r rune) uint16 {
	if r < 0 || r >= 0xFFFF {
		return 0
	}
	if page := f.cmap[r>>8]; page != nil {
		return page[r&0xFF]
	}
	return 0
}

func (f *face) has(r rune) bool { return f.glyph(r) != 0 }

// advance returns r's advance width in 1/1000 em.
func (f *face) advance(r rune) int {
	return f.adv1000[f.glyph(r)]
}

func (f *face) rawAdvance(g int) uint16 {
	if g >= f.nHMetrics {
		g = f.nHMetrics - 1
	}
	return be16(f.tables["hmtx"], 4*g)
}

func (f *face) lsb(g int) uint16 {
	hmtx := f.tables["hmtx"]
	if g < f.nHMetrics {
		return be16(hmtx, 4*g+2)
	}
	return be16(hmtx, 4*f.nHMetrics+2*(g-f.nHMetrics))
}

func (f *face) glyphData(g uint16) []byte {
	return f.tables["glyf"][f.loca[g]:f.loca[g+1]]
}

// Composite glyph flags.
const (
	argsAreWords   = 0x0001
	haveScale      = 0x0008
	moreComponents = 0x0020
	haveXYScale    = 0x0040
	have2x2        = 0x0080
)

// components calls fn with the offset of each component's glyph index in a
// composite glyph's data; it does nothing for simple glyphs.
func components(data []byte, fn func(at int)) error {
	if len(data) < 10 || int16(be16(data, 0)) >= 0 {
		return nil
	}
	for at := 10; ; {
		if at+4 > len(data) {
			return fmt.Errorf("composite glyph truncated")
		}
		flags := be16(data, at)
		fn(at + 2)
		at += 4
		if flags&argsAreWords != 0 {
			at += 4
		} else {
			at += 2
		}
		switch {
		case flags&haveScale != 0:
			at += 2
		case flags&haveXYScale != 0:
			at += 4
		case flags&have2x2 != 0:
			at += 8
		}
		if flags&moreComponents == 0 {
			return nil
		}
	}
}

// subset returns a TrueType font holding only runes (which the face must
// have), their glyphs and the glyphs those are composed of. Glyphs keep their
// outlines, hinting and metrics; the font's tables other than the character
// map, glyphs and metrics are copied.
func (f *face) subset(runes []rune) ([]byte, error) {
	runes = slices.Clone(runes)
	slices.Sort(runes)
	runes = slices.Compact(runes)
	newID := map[uint16]uint16{0: 0}
	order := []uint16{0}
	add := func(g uint16) uint16 {
		id, ok := newID[g]
		if !ok {
			id = uint16(len(order))
			newID[g] = id
			order = append(order, g)
		}
		return id
	}
	type mapping struct {
		r  rune
		id uint16
	}
	cmap := make([]mapping, 0, len(runes))
	for _, r := range runes {
		g := f.glyph(r)
		if g == 0 {
			return nil, fmt.Errorf("subset: font has no glyph for %q", r)
		}
		cmap = append(cmap, mapping{r, add(g)})
	}
	for i := 0; i < len(order); i++ { // order grows while composites pull in components
		data := f.glyphData(order[i])
		if err := components(data, func(at int) {
			if g := be16(data, at); int(g) < f.numGlyphs {
				add(g)
			}
		}); err != nil {
			return nil, fmt.Errorf("subset: glyph %d: %w", order[i], err)
		}
	}

	var glyf, loca, hmtx []byte
	for _, g := range order {
		loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		start := len(glyf)
		glyf = append(glyf, f.glyphData(g)...)
		data := glyf[start:]
		_ = components(data, func(at int) {
			binary.BigEndian.PutUint16(data[at:], newID[be16(data, at)])
		})
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		hmtx = binary.BigEndian.AppendUint16(hmtx, f.rawAdvance(int(g)))
		hmtx = binary.BigEndian.AppendUint16(hmtx, f.lsb(int(g)))
	}
	loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))

	// format 4 character map: one segment per run of consecutive runes with
	// consecutive glyphs, then the closing 0xFFFF segment.
	type segment struct{ start, end, delta uint16 }
	var segs []segment
	for i, m := range cmap {
		if i > 0 && m.r == cmap[i-1].r+1 && m.id == cmap[i-1].id+1 {
			segs[len(segs)-1].end = uint16(m.r)
			continue
		}
		segs = append(segs, segment{uint16(m.r), uint16(m.r), m.id - uint16(m.r)})
	}
	segs = append(segs, segment{0xFFFF, 0xFFFF, 1})
	n := len(segs)
	searchRange, entrySelector := 2, 0
	for searchRange*2 <= 2*n {
		searchRange *= 2
		entrySelector++
	}
	sub := make([]byte, 0, 16+8*n)
	for _, v := range []int{4, 16 + 8*n, 0, 2 * n, searchRange, entrySelector, 2*n - searchRange} {
		sub = binary.BigEndian.AppendUint16(sub, uint16(v))
	}
	for _, s := range segs {
		sub = binary.BigEndian.AppendUint16(sub, s.end)
	}
	sub = binary.BigEndian.AppendUint16(sub, 0) // reservedPad
	for _, s := range segs {
		sub = binary.BigEndian.AppendUint16(sub, s.start)
	}
	for _, s := range segs {
		sub = binary.BigEndian.AppendUint16(sub, s.delta)
	}
	sub = append(sub, make([]byte, 2*n)...) // idRangeOffset: all zero
	cmapTable := append([]byte{0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12}, sub...)

	head := slices.Clone(f.tables["head"])
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 1) // long loca
	hhea := slices.Clone(f.tables["hhea"])
	binary.BigEndian.PutUint16(hhea[34:], uint16(len(order)))
	maxp := slices.Clone(f.tables["maxp"])
	binary.BigEndian.PutUint16(maxp[4:], uint16(len(order)))
	post := append([]byte{0, 3, 0, 0}, f.tables["post"][4:16]...) // version 3: no glyph names
	post = append(post, make([]byte, 16)...)

	tables := map[string][]byte{
		"cmap": cmapTable, "glyf": glyf, "head": head, "hhea": hhea, "hmtx": hmtx,
		"loca": loca, "maxp": maxp, "name": f.tables["name"], "post": post,
	}
	for _, tag := range []string{"OS/2", "cvt ", "fpgm", "prep", "gasp"} {
		if t := f.tables[tag]; t != nil {
			tables[tag] = t
		}
	}
	return assemble(tables), nil
}

// assemble writes an sfnt file from its tables and sets head's checksum
// adjustment.
func assemble(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	size := 12 + 16*len(tables)
	for tag, t := range tables {
		tags = append(tags, tag)
		size += (len(t) + 3) &^ 3
	}
	sort.Strings(tags)
	n := len(tags)
	searchRange, entrySelector := 16, 0
	for searchRange*2 <= 16*n {
		searchRange *= 2
		entrySelector++
	}
	out := make([]byte, 0, size)
	out = binary.BigEndian.AppendUint32(out, 0x00010000)
	for _, v := range []int{n, searchRange, entrySelector, 16*n - searchRange} {
		out = binary.BigEndian.AppendUint16(out, uint16(v))
	}
	off, headAt := 12+16*n, 0
	for _, tag := range tags {
		t := tables[tag]
		if tag == "head" {
			headAt = off
		}
		out = append(out, tag...)
		out = binary.BigEndian.AppendUint32(out, checksum(t))
		out = binary.BigEndian.AppendUint32(out, uint32(off))
		out = binary.BigEndian.AppendUint32(out, uint32(len(t)))
		off += (len(t) + 3) &^ 3
	}
	for _, tag := range tags {
		out = append(out, tables[tag]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

func be16(b []byte, at int) uint16 { return binary.BigEndian.Uint16(b[at:]) }
func be32(b []byte, at int) uint32 { return binary.BigEndian.Uint32(b[at:]) }
