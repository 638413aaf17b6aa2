package ui

import (
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	_ "griddesk/locale" // the tests run in English on a C locale, before Fyne reads it
)

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}

// newTestApp is test.NewTempApp with the desk's theme, so that every test
// measures and renders text with the fonts the desk bundles (Droid Sans
// Fallback first, Fyne's own fonts next), never with the host's: the
// goldens hold on a machine with only DejaVu and on one with CJK fonts
// (make test-fonts runs them with extra CJK fonts visible).
func newTestApp(t testing.TB) fyne.App {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newTheme())
	return a
}
