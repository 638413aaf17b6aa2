package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// initOnly makes the test binary exit right after the program's package
// initialisation, so a test can run it again and read what init printed.
const initOnly = "GRIDDESK_TEST_INIT_ONLY"

func TestMain(m *testing.M) {
	if os.Getenv(initOnly) == "1" {
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// The desk starts in English on the C locale (and with no locale at all)
// without Fyne's "Error parsing user locale C": package locale runs first.
func TestCLocaleStartsQuietly(t *testing.T) {
	for _, env := range [][]string{
		{"LANG=C"}, {"LANG=C.UTF-8"}, {"LC_ALL=POSIX"}, {"LANG=C", "LC_MESSAGES=C.utf8"}, nil,
	} {
		name := strings.Join(env, " ")
		if name == "" {
			name = "no locale"
		}
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append([]string{initOnly + "=1", "HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}, env...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if len(out) != 0 {
				t.Errorf("start printed:\n%s", out)
			}
		})
	}
}
