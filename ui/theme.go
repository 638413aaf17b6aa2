package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"griddesk/assets"
)

// cjkFont is the bundled Droid Sans Fallback (Apache-2.0): Chinese glyphs on
// machines with no Chinese fonts. Fyne falls back to its own Latin font for
// glyphs the CJK font lacks, so mixed text renders whole.
var cjkFont = fyne.NewStaticResource("DroidSansFallbackFull.ttf", assets.CJKFont)

// deskTheme is Fyne's default theme with the CJK font for text.
type deskTheme struct{ fyne.Theme }

func newTheme() fyne.Theme { return deskTheme{theme.DefaultTheme()} }

func (t deskTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Monospace || s.Symbol {
		return t.Theme.Font(s)
	}
	return cjkFont
}

func (t deskTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNamePrimary {
		return color.NRGBA{R: 0x1f, G: 0x5f, B: 0xa8, A: 0xff} // command-centre blue
	}
	return t.Theme.Color(n, v)
}
