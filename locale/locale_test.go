package locale

import (
	"os"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name                string
		lcAll, lcMsg, lang  string
		wantAll, wantMsg, w string
	}{
		{"unset", "", "", "", "", "", "en_US.UTF-8"},
		{"C", "", "", "C", "", "", "en_US.UTF-8"},
		{"C.UTF-8", "", "", "C.UTF-8", "", "", "en_US.UTF-8"},
		{"C.utf8 in LC_ALL", "C.utf8", "", "zh_CN.UTF-8", "en_US.UTF-8", "", "zh_CN.UTF-8"},
		{"POSIX messages", "", "POSIX", "", "", "en_US.UTF-8", ""},
		{"Chinese kept", "", "", "zh_CN.UTF-8", "", "", "zh_CN.UTF-8"},
		{"English kept", "", "", "en_GB.UTF-8", "", "", "en_GB.UTF-8"},
		{"Catalan is no C", "", "", "ca_ES.UTF-8", "", "", "ca_ES.UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for v, val := range map[string]string{"LC_ALL": tc.lcAll, "LC_MESSAGES": tc.lcMsg, "LANG": tc.lang} {
				t.Setenv(v, val)
				if val == "" {
					os.Unsetenv(v)
				}
			}
			Normalize()
			for v, want := range map[string]string{"LC_ALL": tc.wantAll, "LC_MESSAGES": tc.wantMsg, "LANG": tc.w} {
				if got := os.Getenv(v); got != want {
					t.Errorf("%s = %q, want %q", v, got, want)
				}
			}
		})
	}
}
