package command

import (
	"strings"

	"griddesk/domain"
)

// RoleTable is the registry's role × command × scope table in Markdown,
// as the README shows it (a test keeps the README's copy current).
func RoleTable() string {
	var b strings.Builder
	b.WriteString("| command |")
	for _, r := range domain.Roles {
		b.WriteString(" " + string(r) + " |")
	}
	b.WriteString("\n|---|")
	for range domain.Roles {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, s := range registry {
		b.WriteString("| `" + s.Type + "` |")
		for _, r := range domain.Roles {
			cell := "—"
			if sc, ok := s.ScopeOf(r, nil); ok {
				cell = sc.String()
			} else if s.Grantable {
				cell = "if granted"
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}
