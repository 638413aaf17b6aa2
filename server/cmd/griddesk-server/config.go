package main

// Settings for running the server as a service: from the environment and from
// a config file, so that the systemd unit (and a Windows service wrapper or a
// plain shortcut) needs no long command line and the admin password is on no
// command line at all.
//
//	griddesk-server -config /etc/griddesk/server.conf [flags]
//
// The file holds KEY=VALUE lines, the subset of systemd's EnvironmentFile syntax
// that both read alike: blank lines and lines starting with # or ; are skipped,
// a value may be wrapped in "" or '', nothing is escaped or expanded. The same
// file is the unit's EnvironmentFile. A variable already in the environment wins
// over the file, and a flag given on the command line wins over both.
//
//	GRIDDESK_ADDR                 -addr
//	GRIDDESK_DB                   -db (also for `griddesk-server import`)
//	GRIDDESK_SEED                 -seed
//	GRIDDESK_TLS_CERT             -tls-cert
//	GRIDDESK_TLS_KEY              -tls-key
//	GRIDDESK_PUBLIC_URL           -public-url: only passed when set, so a server
//	                              built before that flag existed still starts
//	                              with the file as shipped (where it is empty)
//	GRIDDESK_ADMIN_PASSWORD_FILE  the file holding the admin password for the
//	                              first start (GRIDDESK_ADMIN_PASSWORD wins)
//
// It lives in a file of its own, applied in init before main reads os.Args, so
// main.go stays as it is.

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

// settingFlags maps each environment setting to the flag it stands for.
var settingFlags = []struct{ env, flag string }{
	{"GRIDDESK_ADDR", "-addr"},
	{"GRIDDESK_DB", "-db"},
	{"GRIDDESK_SEED", "-seed"},
	{"GRIDDESK_TLS_CERT", "-tls-cert"},
	{"GRIDDESK_TLS_KEY", "-tls-key"},
	{"GRIDDESK_PUBLIC_URL", "-public-url"},
}

func init() {
	if testing.Testing() { // tests call run with their own arguments
		return
	}
	args, err := configure(os.Args[1:], os.LookupEnv, os.Setenv, os.ReadFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "griddesk-server:", err)
		os.Exit(2)
	}
	os.Args = append(os.Args[:1], args...)
}

// configure loads the -config file named in args into the environment (where a
// variable is not set already), reads the admin password file, and returns args
// without -config and with the settings' flags put before the given ones, so
// that the given ones win.
func configure(args []string, lookup func(string) (string, bool), setenv func(string, string) error, readFile func(string) ([]byte, error)) ([]string, error) {
	args, file, err := takeConfigFlag(args)
	if err != nil {
		return nil, err
	}
	if file != "" {
		data, err := readFile(file)
		if err != nil {
			return nil, err
		}
		kv, err := parseEnvFile(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		for _, p := range kv {
			if _, set := lookup(p[0]); !set {
				if err := setenv(p[0], p[1]); err != nil {
					return nil, err
				}
			}
		}
	}
	get := func(k string) string { v, _ := lookup(k); return v }

	if pwFile := get("GRIDDESK_ADMIN_PASSWORD_FILE"); pwFile != "" && get("GRIDDESK_ADMIN_PASSWORD") == "" {
		data, err := readFile(pwFile)
		if err != nil {
			return nil, fmt.Errorf("GRIDDESK_ADMIN_PASSWORD_FILE: %w", err)
		}
		pw := strings.TrimRight(string(data), "\r\n")
		if pw == "" {
			return nil, fmt.Errorf("GRIDDESK_ADMIN_PASSWORD_FILE: %s is empty", pwFile)
		}
		if err := setenv("GRIDDESK_ADMIN_PASSWORD", pw); err != nil {
			return nil, err
		}
	}

	if len(args) > 0 && args[0] == "import" {
		// import WHAT FILE [flags]: its flags come after the file; only -db applies.
		if db := get("GRIDDESK_DB"); db != "" && len(args) >= 3 {
			return append(append(args[:3:3], "-db", db), args[3:]...), nil
		}
		return args, nil
	}
	var pre []string
	for _, s := range settingFlags {
		if v := get(s.env); v != "" {
			pre = append(pre, s.flag, v)
		}
	}
	return append(pre, args...), nil
}

// takeConfigFlag removes "-config FILE" (or --config, or -config=FILE) from the
// flags in args and returns FILE.
func takeConfigFlag(args []string) (rest []string, file string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") {
			break // flags end here
		}
		name, val, hasVal := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if name != "config" {
			continue
		}
		if !hasVal {
			if i+1 == len(args) {
				return nil, "", fmt.Errorf("-config needs a file")
			}
			val = args[i+1]
			rest = append(append(rest, args[:i]...), args[i+2:]...)
		} else {
			rest = append(append(rest, args[:i]...), args[i+1:]...)
		}
		return rest, val, nil
	}
	return args, "", nil
}

// parseEnvFile reads KEY=VALUE lines.
func parseEnvFile(data []byte) ([][2]string, error) {
	var kv [][2]string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			return nil, fmt.Errorf("line %d: want KEY=VALUE", n)
		}
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		kv = append(kv, [2]string{k, v})
	}
	return kv, sc.Err()
}
