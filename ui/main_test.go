package ui

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	normalizeLocale() // the tests run in English whatever the machine's locale
	os.Exit(m.Run())
}
