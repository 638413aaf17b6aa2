// Package assets embeds the files GridDesk ships inside its binaries: the CJK
// font, the translations and the icon. (China's holiday calendar is data of
// the working-day rules and lives with them in domain/clock.)
//
// It holds bytes only; the ui package wraps them into Fyne resources, so the
// reports and the demo data can use the font without importing Fyne.
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

// Translations returns the translation files (zh.json, en.json) at the root of the FS.
func Translations() fs.FS {
	sub, err := fs.Sub(translations, "i18n")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory
	}
	return sub
}
