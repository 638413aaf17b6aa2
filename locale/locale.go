// Package locale makes the C and POSIX locales (minimal installs, services,
// CI) read as English before any other package looks at the locale.
//
// Fyne reads the user's locale while its lang package is initialised and
// logs "Error parsing user locale C" for the C locale, which is no BCP 47
// tag. Go initialises packages in import-path order as soon as their imports
// are ready; this package imports only os, so it is ready before Fyne's lang
// package (which needs log and text/template) and sorts before them: a blank
// import from main is enough to run Normalize first.
package locale

import "os"

func init() { Normalize() }

// Normalize maps LC_ALL, LC_MESSAGES and LANG set to C or POSIX (with or
// without a charset) to en_US.UTF-8, and sets LANG to en_US.UTF-8 when none
// of the three is set. Other locales are left as they are.
func Normalize() {
	vars := []string{"LC_ALL", "LC_MESSAGES", "LANG"}
	set := false
	for _, v := range vars {
		val := os.Getenv(v)
		if val == "" {
			continue
		}
		set = true
		if posix(val) {
			os.Setenv(v, "en_US.UTF-8")
		}
	}
	if !set {
		os.Setenv("LANG", "en_US.UTF-8")
	}
}

// posix reports whether a locale value names the C or POSIX locale, such as
// C, C.UTF-8, C.utf8 or POSIX.
func posix(v string) bool {
	name := v
	for i := 0; i < len(v); i++ {
		if v[i] == '.' || v[i] == '@' {
			name = v[:i]
			break
		}
	}
	return name == "C" || name == "POSIX"
}
