// Package assets embeds the files GridDesk ships inside its binaries: the CJK
// font, the translations, China's official holiday calendar and the icon.
//
// It holds bytes only; the ui package wraps them into Fyne resources, so the
// core and the server can read the calendar without importing Fyne.
package assets

import (
	"embed"
	"io/fs"
)

// CJKFont is Droid Sans Fallback (Apache-2.0): Chinese glyphs for machines
// with no Chinese fonts installed.
//
//go:embed fonts/DroidSansFallbackFull.ttf
var CJKFont []byte

// Icon is the application icon (also named in FyneApp.toml).
//
//go:embed icon.png
var Icon []byte

//go:embed i18n/*.json
var translations embed.FS

//go:embed holiday/*.json
var holidays embed.FS

// Translations returns the translation files (zh.json, en.json) at the root of the FS.
func Translations() fs.FS {
	sub, err := fs.Sub(translations, "i18n")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory
	}
	return sub
}

// Holidays returns the holiday-cn calendar files (YYYY.json) at the root of the FS.
// The data is © NateScarlet, MIT licence (holiday/LICENSE).
func Holidays() fs.FS {
	sub, err := fs.Sub(holidays, "holiday")
	if err != nil {
		panic(err)
	}
	return sub
}
