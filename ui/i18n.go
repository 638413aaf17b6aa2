package ui

import (
	"fmt"
	"io/fs"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"griddesk/assets"
	"griddesk/locale"
)

// loadTranslations registers the embedded zh and en strings with Fyne. The
// Chinese file is registered as zh-Hans so it joins Fyne's own Chinese
// strings and wins for zh_CN, zh_SG and plain zh locales.
func loadTranslations() error {
	locale.Normalize()
	for file, locale := range map[string]fyne.Locale{"en.json": "en", "zh.json": "zh-Hans"} {
		data, err := fs.ReadFile(assets.Translations(), file)
		if err != nil {
			return fmt.Errorf("ui: translations %s: %w", file, err)
		}
		if err := lang.AddTranslationsForLocale(data, locale); err != nil {
			return fmt.Errorf("ui: translations %s: %w", file, err)
		}
	}
	return nil
}

// chinese reports whether the UI speaks Chinese (for domain labels that come
// with both names, such as case categories).
func chinese() bool {
	return strings.HasPrefix(string(lang.SystemLocale()), "zh")
}
