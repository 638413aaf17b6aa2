package domain

import "testing"

// Reasons (return, defer, reject, escalate): at least two visible
// characters after trimming (DESIGN.md §5).
func TestIsReason(t *testing.T) {
	for _, tc := range []struct {
		note string
		want bool
	}{
		{"", false},
		{"   ", false},
		{"\t\n", false},
		{"好", false},
		{" 好 ", false},
		{"　　", false},                 // ideographic spaces
		{"\u200b\u200b\u200b", false}, // zero-width spaces are no characters
		{"\u202e\u202e", false},       // nor bidi overrides
		{"好\u200b", false},
		{"重复", true},
		{" 重复 ", true},
		{"ok", true},
		{"  a b ", true},
		{"非本单位职责", true},
	} {
		if got := IsReason(tc.note); got != tc.want {
			t.Errorf("IsReason(%q) = %v, want %v", tc.note, got, tc.want)
		}
	}
}
