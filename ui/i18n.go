package ui

import (
	"fmt"
	"io/fs"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"griddesk/assets"
)

// loadTranslations registers the embedded zh and en strings with Fyne. The
// Chinese file is registered as zh-Hans so it joins Fyne's own Chinese
// strings and wins for zh_CN, zh_SG and plain zh locales.
func loadTranslations() error {
	normalizeLocale()
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

// normalizeLocale maps the C/POSIX locale (minimal containers, CI) to
// English so that Fyne's locale lookup does not fail on it.
func normalizeLocale() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		switch os.Getenv(v) {
		case "":
			continue
		case "C", "POSIX", "C.UTF-8", "C.utf8":
			os.Setenv(v, "en_US.UTF-8")
		}
	}
	if os.Getenv("LANG") == "" && os.Getenv("LC_ALL") == "" && os.Getenv("LC_MESSAGES") == "" {
		os.Setenv("LANG", "en_US.UTF-8")
	}
}
