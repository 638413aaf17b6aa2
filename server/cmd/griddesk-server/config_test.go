package main

import (
	"io/fs"
	"slices"
	"testing"
)

// TestConfigure: the config file fills the environment without overriding it,
// settings become flags that the command line overrides, the password comes
// from its file, and import gets -db only.
func TestConfigure(t *testing.T) {
	files := map[string]string{
		"/etc/griddesk/server.conf": `# GridDesk server
GRIDDESK_ADDR=0.0.0.0:8443
GRIDDESK_DB="/var/lib/griddesk/griddesk.db"
; empty settings pass no flag
GRIDDESK_PUBLIC_URL=
GRIDDESK_TLS_CERT = '/etc/griddesk/tls/cert.pem'
GRIDDESK_TLS_KEY=/etc/griddesk/tls/key.pem
GRIDDESK_SEED=none
GRIDDESK_ADMIN_PASSWORD_FILE=/etc/griddesk/admin-password
`,
		"/etc/griddesk/admin-password": "s3cret-pass\n",
	}
	read := func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, fs.ErrNotExist
	}
	newEnv := func(init map[string]string) (map[string]string, func(string) (string, bool), func(string, string) error) {
		env := map[string]string{}
		for k, v := range init {
			env[k] = v
		}
		return env, func(k string) (string, bool) { v, ok := env[k]; return v, ok },
			func(k, v string) error { env[k] = v; return nil }
	}

	env, lookup, setenv := newEnv(map[string]string{"GRIDDESK_SEED": "town"})
	got, err := configure([]string{"-config", "/etc/griddesk/server.conf", "-addr", "127.0.0.1:9"}, lookup, setenv, read)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"-addr", "0.0.0.0:8443", "-db", "/var/lib/griddesk/griddesk.db", "-seed", "town",
		"-tls-cert", "/etc/griddesk/tls/cert.pem", "-tls-key", "/etc/griddesk/tls/key.pem", "-addr", "127.0.0.1:9"}
	if !slices.Equal(got, want) {
		t.Errorf("args\n got %q\nwant %q", got, want)
	}
	if env["GRIDDESK_ADMIN_PASSWORD"] != "s3cret-pass" {
		t.Errorf("password %q, want it from the file without its newline", env["GRIDDESK_ADMIN_PASSWORD"])
	}

	// A password in the environment wins; -config=FILE; import gets -db after its file.
	env, lookup, setenv = newEnv(map[string]string{"GRIDDESK_ADMIN_PASSWORD": "from-env-1"})
	got, err = configure([]string{"-config=/etc/griddesk/server.conf", "import", "grids", "g.geojson", "-map", "id=x"}, lookup, setenv, read)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"import", "grids", "g.geojson", "-db", "/var/lib/griddesk/griddesk.db", "-map", "id=x"}; !slices.Equal(got, want) {
		t.Errorf("import args\n got %q\nwant %q", got, want)
	}
	if env["GRIDDESK_ADMIN_PASSWORD"] != "from-env-1" {
		t.Errorf("password %q, want the environment's", env["GRIDDESK_ADMIN_PASSWORD"])
	}

	// Nothing set: the arguments pass through untouched.
	_, lookup, setenv = newEnv(nil)
	args := []string{"-addr", "127.0.0.1:8080", "-db", "x.db"}
	if got, err = configure(args, lookup, setenv, read); err != nil || !slices.Equal(got, args) {
		t.Errorf("got %q, %v; want %q", got, err, args)
	}

	// Errors name what is wrong.
	for _, c := range []struct {
		args []string
		env  map[string]string
	}{
		{[]string{"-config"}, nil},
		{[]string{"-config", "/nowhere.conf"}, nil},
		{nil, map[string]string{"GRIDDESK_ADMIN_PASSWORD_FILE": "/nowhere"}},
	} {
		_, lookup, setenv = newEnv(c.env)
		if _, err := configure(c.args, lookup, setenv, read); err == nil {
			t.Errorf("configure(%q, %v): no error", c.args, c.env)
		}
	}
	if _, err := parseEnvFile([]byte("GRIDDESK_ADDR\n")); err == nil {
		t.Error("a line without = was accepted")
	}
}
