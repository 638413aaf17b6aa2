package mapview

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Text.
//
// Map text (labels, cluster counts, stop numbers) is rasterized by the
// renderer itself, so it lands in the same image as the geometry and moves
// with it while panning. Fonts is a fallback chain: each rune is drawn with
// the first font that has a glyph for it, so a CJK font without Latin
// glyphs (like the Droid Sans Fallback GridDesk bundles) followed by a
// Latin font draws mixed text whole. Go Regular always ends the chain.
//
// Glyphs are rasterized once per font, rune and size, and whole labels
// (text, halo and colours) once per Renderer as sprites, so a frame only
// stamps pixels.

// Fonts is an immutable fallback chain of fonts for map text; build it
// with NewFonts and give it to Map.SetFonts (or RenderOptions.Fonts). It is
// safe for concurrent use.
type Fonts struct {
	fonts []*sfnt.Font
	asc   float64 // ascent per em, the largest of the chain
	desc  float64 // descent per em

	mu     sync.Mutex
	buf    sfnt.Buffer
	faces  map[faceKey]font.Face
	glyphs map[glyphKey]*glyph
	which  map[rune]int8      // font of a rune, -1 for none
	widths map[string]float64 // advance width per em
}

type faceKey struct {
	font int
	size fixed.Int26_6
}

type glyphKey struct {
	font int
	r    rune
	size fixed.Int26_6
}

// glyph is a rasterized glyph: its coverage mask placed at off relative to
// the pen on the baseline, and its advance in pixels.
type glyph struct {
	mask    *image.Alpha
	off     image.Point
	advance float64
}

// NewFonts parses OpenType/TrueType font files into a fallback chain, in
// order; Go Regular (Latin) is appended as the last fallback. With no
// files the chain is Go Regular alone (DefaultFonts).
func NewFonts(files ...[]byte) (*Fonts, error) {
	f := &Fonts{
		faces:  map[faceKey]font.Face{},
		glyphs: map[glyphKey]*glyph{},
		which:  map[rune]int8{},
		widths: map[string]float64{},
	}
	for i, b := range append(files[:len(files):len(files)], goregular.TTF) {
		ft, err := sfnt.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("mapview: font %d: %w", i+1, err)
		}
		const em = 64 << 6 // metrics at 64 px per em
		m, err := ft.Metrics(&f.buf, em, font.HintingNone)
		if err != nil {
			return nil, fmt.Errorf("mapview: font %d metrics: %w", i+1, err)
		}
		f.asc = math.Max(f.asc, float64(m.Ascent)/em)
		f.desc = math.Max(f.desc, float64(m.Descent)/em)
		f.fonts = append(f.fonts, ft)
	}
	return f, nil
}

var defaultFonts = sync.OnceValue(func() *Fonts {
	f, err := NewFonts()
	if err != nil {
		panic(err) // Go Regular is embedded and valid
	}
	return f
})

// DefaultFonts returns the chain of Go Regular alone: Latin text only.
func DefaultFonts() *Fonts { return defaultFonts() }

// fontFor returns the index of the first font with a glyph for r, or -1.
func (f *Fonts) fontFor(r rune) int {
	if k, ok := f.which[r]; ok {
		return int(k)
	}
	k := -1
	for i, ft := range f.fonts {
		if x, err := ft.GlyphIndex(&f.buf, r); err == nil && x != 0 {
			k = i
			break
		}
	}
	f.which[r] = int8(k)
	return k
}

// widthEm returns the advance width of text in ems.
func (f *Fonts) widthEm(text string) float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	if w, ok := f.widths[text]; ok {
		return w
	}
	const em = 64 << 6
	var w float64
	for _, r := range text {
		k := f.fontFor(r)
		if k < 0 {
			k = len(f.fonts) - 1 // drawn as the last font's .notdef box
		}
		x, _ := f.fonts[k].GlyphIndex(&f.buf, r)
		if adv, err := f.fonts[k].GlyphAdvance(&f.buf, x, em, font.HintingNone); err == nil {
			w += float64(adv) / em
		}
	}
	if len(f.widths) > 1<<16 {
		clear(f.widths)
	}
	f.widths[text] = w
	return w
}

// textBox returns the size in pixels of text at size px with a halo of hw
// px: what the label sprite will measure, within a pixel.
func (f *Fonts) textBox(text string, size, hw float64) (w, h float64) {
	pad := 2 * (math.Ceil(hw) + 1)
	return math.Ceil(f.widthEm(text)*size) + pad, math.Ceil((f.asc+f.desc)*size) + pad
}

// glyph returns the rasterized glyph of r in font k at size (f.mu held).
func (f *Fonts) glyph(k int, r rune, size fixed.Int26_6) *glyph {
	gk := glyphKey{k, r, size}
	if g, ok := f.glyphs[gk]; ok {
		return g
	}
	fk := faceKey{k, size}
	face := f.faces[fk]
	if face == nil {
		face, _ = opentype.NewFace(f.fonts[k], &opentype.FaceOptions{Size: float64(size) / 64, DPI: 72, Hinting: font.HintingNone})
		f.faces[fk] = face
	}
	g := &glyph{}
	if face != nil {
		dr, mask, mp, adv, _ := face.Glyph(fixed.Point26_6{}, r)
		g.advance = float64(adv) / 64
		if a, ok := mask.(*image.Alpha); ok && !dr.Empty() {
			g.mask = image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
			for y := range dr.Dy() {
				copy(g.mask.Pix[y*g.mask.Stride:y*g.mask.Stride+dr.Dx()], a.Pix[a.PixOffset(mp.X, mp.Y+y):])
			}
			g.off = dr.Min
		}
	}
	if len(f.glyphs) > 1<<15 {
		clear(f.glyphs)
	}
	f.glyphs[gk] = g
	return g
}

// mask rasterizes text at size px into a coverage mask with pad pixels
// free on every side; the text's box (advance × ascent+descent) starts at
// (pad, pad).
func (f *Fonts) mask(text string, size float64, pad int) *image.Alpha {
	f.mu.Lock()
	defer f.mu.Unlock()
	sz := fixed.Int26_6(math.Round(size * 64))
	type placed struct {
		g *glyph
		x int
	}
	var gs []placed
	pen := 0.0
	for _, r := range text {
		k := f.fontFor(r)
		if k < 0 {
			k = len(f.fonts) - 1
		}
		g := f.glyph(k, r, sz)
		gs = append(gs, placed{g, int(math.Round(pen))})
		pen += g.advance
	}
	asc := int(math.Round(f.asc * size))
	w := int(math.Ceil(pen)) + 2*pad
	h := int(math.Ceil((f.asc+f.desc)*size)) + 2*pad
	m := image.NewAlpha(image.Rect(0, 0, max(w, 1), max(h, 1)))
	for _, p := range gs {
		if p.g.mask == nil {
			continue
		}
		x0, y0 := pad+p.x+p.g.off.X, pad+asc+p.g.off.Y
		gb := p.g.mask.Rect
		for y := range gb.Dy() {
			dy := y0 + y
			if dy < 0 || dy >= h {
				continue
			}
			src := p.g.mask.Pix[y*p.g.mask.Stride : y*p.g.mask.Stride+gb.Dx()]
			for x, a := range src {
				dx := x0 + x
				if a == 0 || dx < 0 || dx >= w {
					continue
				}
				o := dy*m.Stride + dx
				m.Pix[o] = uint8(min(255, int(m.Pix[o])+int(a)))
			}
		}
	}
	return m
}

// textSprite rasterizes text at size px in fg with a halo of hw px in
// halo as a sprite centred on the middle of its box.
func textSprite(f *Fonts, text string, size, hw float64, fg, halo color.NRGBA) *sprite {
	pad := int(math.Ceil(hw)) + 1
	m := f.mask(text, size, pad)
	w, h := m.Rect.Dx(), m.Rect.Dy()
	var hm []uint8
	if hw > 0 {
		hm = dilate(m, hw)
	}
	fr, fgG, fb, fa := nrgbaF(fg)
	hr, hg, hb, ha := nrgbaF(halo)
	sp := &sprite{stride: -1}
	cx, cy := w/2, h/2
	sp.minX, sp.minY, sp.maxX, sp.maxY = -cx, -cy, w-1-cx, h-1-cy
	sp.r = max(cx, cy, w-cx, h-cy)
	for y := range h {
		for x := range w {
			o := y*m.Stride + x
			t := float64(m.Pix[o]) / 255 * fa
			var hv float64
			if hm != nil {
				hv = float64(hm[o]) / 255 * ha * (1 - t)
			}
			a := t + hv
			if a*255 < 0.5 {
				continue
			}
			c := pack(
				uint32(math.Round((fr*t+hr*hv)*255)),
				uint32(math.Round((fgG*t+hg*hv)*255)),
				uint32(math.Round((fb*t+hb*hv)*255)),
				uint32(math.Round(a*255)),
			)
			sp.pos = append(sp.pos, [2]int16{int16(x - cx), int16(y - cy)})
			sp.px = append(sp.px, spritePixel{c: c})
		}
	}
	return sp
}

// dilate returns the halo of a coverage mask: every pixel gets the largest
// coverage within hw pixels (soft-edged), so the halo hugs the glyphs.
func dilate(m *image.Alpha, hw float64) []uint8 {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out := make([]uint8, len(m.Pix))
	type tap struct {
		dx, dy int
		k      uint32 // weight ×256
	}
	var taps []tap
	r := int(math.Ceil(hw + 0.5))
	for dy := -r; dy <= r; dy++ {
		for dx := -r; dx <= r; dx++ {
			k := hw + 0.5 - math.Hypot(float64(dx), float64(dy))
			if k <= 0 {
				continue
			}
			taps = append(taps, tap{dx, dy, uint32(math.Min(1, k) * 256)})
		}
	}
	for y := range h {
		for x := range w {
			a := uint32(m.Pix[y*m.Stride+x])
			if a == 0 {
				continue
			}
			for _, t := range taps {
				X, Y := x+t.dx, y+t.dy
				if X < 0 || Y < 0 || X >= w || Y >= h {
					continue
				}
				v := uint8(a * t.k >> 8)
				if o := Y*m.Stride + X; out[o] < v {
					out[o] = v
				}
			}
		}
	}
	return out
}
