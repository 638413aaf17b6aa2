package domain

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckText(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		max   int
		lines bool
		want  error
	}{
		{"chinese name", "浦南小吃店", MaxName, false, nil},
		{"mixed", "Café 老王 No.3", MaxName, false, nil},
		{"exactly max", strings.Repeat("店", 100), MaxName, false, nil},
		{"too long", strings.Repeat("店", 101), MaxName, false, ErrTooLong},
		{"invalid utf-8", "老王\xff面馆", MaxName, false, ErrNotUTF8},
		{"nul", "老王\x00面馆", MaxName, false, ErrControl},
		{"newline in a name", "老王\n面馆", MaxName, false, ErrControl},
		{"newline in a note", "第一行\n第二行\t完", MaxNote, true, nil},
		{"escape in a note", "\x1b[31m红", MaxNote, true, ErrControl},
		{"c1 control", "a\u0085b", MaxName, false, ErrControl},
		{"rlo", "invoice\u202egpj.exe", MaxName, false, ErrBidi},
		{"isolate", "\u2067x\u2069", MaxNote, true, ErrBidi},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check := CheckText
			if tc.lines {
				check = CheckNote
			}
			err := check(tc.in, tc.max)
			if (tc.want == nil) != (err == nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("check(%q) = %v, want %v", tc.in, err, tc.want)
			}
		})
	}
}

func TestCheckID(t *testing.T) {
	for in, ok := range map[string]bool{
		"E1": true, "2026-0113": true, "0b7e2c8a-7d7c-4f7e-9a2c-1d9e8f0a1b2c/task": true, "网格M01": true,
		"": false, "a b": false, "a\x00": false, strings.Repeat("x", MaxID+1): false, "a\u202eb": false,
	} {
		if err := CheckID(in); (err == nil) != ok {
			t.Errorf("CheckID(%q) = %v", in, err)
		}
	}
}
