package ui

import (
	"strings"

	"fyne.io/fyne/v2/lang"
)

// docKinds are the kinds of documents docName names (keys of lang.L).
var docKinds = []string{"inspection-report", "rectification-notice", "door-plates", "snapshot", "cases", "plan", "itinerary",
	"check-catalog", "case-statistics", "inspection-statistics", "unit-rankings"}

// docName names a saved document after what it is about (the entity, grid
// or plan, and a date), in the user's language: "检查报告-城北便利店-2026-12-07.pdf",
// never an ID. Characters that file systems refuse become '_'.
func docName(kind, ext string, parts ...string) string {
	name := lang.L(kind)
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			name += "-" + p
		}
	}
	clean := strings.Map(func(r rune) rune {
		switch {
		case r < 0x20, strings.ContainsRune(`/\:*?"<>|`, r):
			return '_'
		case r == ' ':
			return '-'
		}
		return r
	}, name)
	if rs := []rune(clean); len(rs) > 120 {
		clean = string(rs[:120])
	}
	return clean + "." + ext
}
