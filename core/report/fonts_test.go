package report

import (
	"bytes"
	"slices"
	"testing"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"griddesk/assets"
)

func sourceBytes(id fontID) []byte {
	return [numFonts][]byte{goregular.TTF, gobold.TTF, assets.CJKFont}[id]
}

// TestSubsetKeepsGlyphs checks that a subset draws every rune exactly as the
// full font does: same outline, same advance.
func TestSubsetKeepsGlyphs(t *testing.T) {
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		font  fontID
		runes string
	}{
		{fontLatin, "GridDesk 0123456789 ÀÉéüñçŽ…—“”·×°/-:"},
		{fontLatinBold, "ABC xyz 0-9 Ää"},
		{fontCJK, "检查报告灭火器配置且在有效期内、疏散通道（安全出口）《消防法》：。，临浦镇"},
	}
	for _, tc := range tests {
		t.Run(family[tc.font], func(t *testing.T) {
			f := fs.face[tc.font]
			var runes []rune
			for _, r := range tc.runes {
				if f.has(r) {
					runes = append(runes, r)
				}
			}
			if len(runes) < 5 {
				t.Fatalf("face has only %q of %q", string(runes), tc.runes)
			}
			sub, err := f.subset(runes)
			if err != nil {
				t.Fatal(err)
			}
			orig, err := sfnt.Parse(sourceBytes(tc.font))
			if err != nil {
				t.Fatal(err)
			}
			got, err := sfnt.Parse(sub)
			if err != nil {
				t.Fatalf("subset does not parse: %v", err)
			}
			if _, err := parseFace(sub); err != nil {
				t.Fatalf("subset does not parse again: %v", err)
			}
			var b1, b2 sfnt.Buffer
			ppem := fixed.I(1000)
			for _, r := range runes {
				g1, _ := orig.GlyphIndex(&b1, r)
				g2, err := got.GlyphIndex(&b2, r)
				if err != nil || g2 == 0 {
					t.Fatalf("%q missing from subset: %v", r, err)
				}
				s1, err1 := orig.LoadGlyph(&b1, g1, ppem, nil)
				s2, err2 := got.LoadGlyph(&b2, g2, ppem, nil)
				if err1 != nil || err2 != nil {
					t.Fatalf("%q: load glyph: %v %v", r, err1, err2)
				}
				if !slices.Equal(s1, s2) {
					t.Errorf("%q: outline differs in subset", r)
				}
				a1, _ := orig.GlyphAdvance(&b1, g1, ppem, font.HintingNone)
				a2, _ := got.GlyphAdvance(&b2, g2, ppem, font.HintingNone)
				if a1 != a2 {
					t.Errorf("%q: advance %v, want %v", r, a2, a1)
				}
			}
			pdf := fpdf.New("P", "mm", "A4", "")
			pdf.AddUTF8FontFromBytes("x", "", sub)
			pdf.AddPage()
			pdf.SetFont("x", "", 12)
			pdf.Text(10, 10, string(runes))
			var out bytes.Buffer
			if err := pdf.Output(&out); err != nil {
				t.Fatalf("fpdf rejects the subset: %v", err)
			}
		})
	}
}

func TestPickFont(t *testing.T) {
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		r    rune
		bold bool
		want fontID
		out  rune
	}{
		{'A', false, fontLatin, 'A'},
		{'7', true, fontLatinBold, '7'},
		{'检', false, fontCJK, '检'},
		{'检', true, fontCJK, '检'},
		{'：', false, fontCJK, '：'},
		{'《', false, fontCJK, '《'},
		{'😀', false, fontLatin, replacement},
	}
	for _, tc := range tests {
		id, out, ok := fs.pick(tc.r, tc.bold)
		if id != tc.want || out != tc.out || !ok {
			t.Errorf("pick(%q, %v) = %v %q %v, want %v %q true", tc.r, tc.bold, id, out, ok, tc.want, tc.out)
		}
	}
}
