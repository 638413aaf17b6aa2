package ui

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"griddesk/core/dispatch"

	"griddesk/assets"
)

// TestEveryStringTranslated checks that every string the UI localizes has
// an entry in both zh.json and en.json, and that the files agree on keys.
func TestEveryStringTranslated(t *testing.T) {
	files := map[string]map[string]string{}
	for _, name := range []string{"zh.json", "en.json"} {
		raw, err := fs.ReadFile(assets.Translations(), name)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files[name] = m
	}
	used := map[string]bool{}
	call := regexp.MustCompile(`lang\.L\("((?:[^"\\]|\\.)*)"`)
	srcs, _ := filepath.Glob("*.go")
	for _, src := range srcs {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllSubmatch(b, -1) {
			used[string(m[1])] = true
		}
	}
	for _, labels := range []map[string]string{levelLabel, kindLabel, codeLabel, actionLabel} {
		for _, l := range labels {
			used[l] = true
		}
	}
	for _, l := range statusLabel {
		used[l] = true
	}
	for _, l := range roleLabel {
		used[l] = true
	}
	for _, l := range severityLabel {
		used[l] = true
	}
	for _, l := range inspectionLabel {
		used[l] = true
	}
	for _, l := range lightLabel {
		used[l] = true
	}
	for _, c := range []string{"dispatch", "arrive", "feedback", "close"} {
		used[clockLabel(c)] = true
	}
	for _, l := range []string{"ID column", "Name column", "Kind column", "Address column", "Longitude column", "Latitude column", "Tags column", "Code column"} {
		used[l] = true
	}
	for _, d := range []string{"fire", "gas", "market", "law", "eco", "health", "safety", "build"} {
		used[departmentLabel(d)] = true
	}
	for _, k := range []string{"dispatch", "accept", "arrive", "feedback", "handle", "close"} {
		used[stepLabel(k)] = true
	}
	for _, p := range statPeriods {
		used[p.label] = true
	}
	for _, sc := range sourceChoices {
		used[sc.label] = true
	}
	for _, p := range periods {
		used[p.label] = true
	}
	for _, o := range sortLabels {
		used[o.label] = true
	}
	for _, l := range []string{"Enforcement grids", "Inspection grids", "Base grids", "Micro grids", "Hazard density", "Entities", "Cases", "Planned routes"} {
		used[l] = true
	}
	for _, m := range []map[time.Weekday]string{weekdayLabel, weekdayShort} {
		for _, l := range m {
			used[l] = true
		}
	}
	for _, c := range stateChoices() {
		used[c.label] = true
	}
	for _, c := range findStates {
		used[c.label] = true
	}
	for _, l := range reviewOrders {
		used[l] = true
	}
	for _, m := range []map[string]string{thingLabel, commandLabels} {
		for _, l := range m {
			used[l] = true
		}
	}
	for _, p := range []string{dispatch.Policy333, dispatch.Policy135, dispatch.PolicyDepartment} {
		used[policyLabel(p)] = true
		used[policyShort(p)] = true
	}
	for _, l := range importFixed {
		used[l] = true
	}
	for _, p := range importReasons {
		used[p.key] = true
	}
	for _, k := range docKinds {
		used[k] = true
	}
	for _, l := range caseColumns {
		used[l] = true
	}
	for _, l := range satisfactionLabel {
		used[l] = true
	}
	for _, k := range refusalKeys {
		used["refused."+k] = true
	}
	for _, l := range entityFields {
		used[l] = true
	}
	if len(used) < 40 {
		t.Fatalf("found only %d strings; the scan is broken", len(used))
	}
	for s := range used {
		for name, m := range files {
			if m[s] == "" {
				t.Errorf("%s has no translation of %q", name, s)
			}
		}
	}
	for k := range files["zh.json"] {
		if _, ok := files["en.json"][k]; !ok {
			t.Errorf("zh.json has %q, en.json does not", k)
		}
	}
}

// TestRefusalKeysTranslated checks that every message key the core and the
// server give a refusal (core/command: keyed(…), forbidden(…); server:
// problem Code) is one the desk knows and has a Chinese and an English
// text, with the same parameters in both.
func TestRefusalKeysTranslated(t *testing.T) {
	used := map[string]bool{}
	for _, pat := range []struct {
		glob string
		re   *regexp.Regexp
	}{
		{"../core/command/*.go", regexp.MustCompile(`(?:keyed|forbidden)\("([a-z_]+)"`)},
		{"../server/*.go", regexp.MustCompile(`Code:\s*"([a-z_]+)"`)},
	} {
		files, _ := filepath.Glob(pat.glob)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range pat.re.FindAllSubmatch(b, -1) {
				used[string(m[1])] = true
			}
		}
	}
	if len(used) < 10 {
		t.Fatalf("found only %d keys; the scan is broken", len(used))
	}
	known := map[string]bool{}
	for _, k := range refusalKeys {
		known[k] = true
	}
	param := regexp.MustCompile(`{{\.(\w+)}}`)
	files := map[string]map[string]string{}
	for _, name := range []string{"zh.json", "en.json"} {
		raw, _ := fs.ReadFile(assets.Translations(), name)
		m := map[string]string{}
		json.Unmarshal(raw, &m)
		files[name] = m
	}
	for k := range used {
		if !known[k] {
			t.Errorf("the core refuses with key %q, which ui/refusal.go does not list", k)
		}
		zh, en := files["zh.json"]["refused."+k], files["en.json"]["refused."+k]
		if zh == "" || en == "" {
			t.Errorf("refused.%s: zh %q, en %q", k, zh, en)
			continue
		}
		params := func(s string) string {
			var ps []string
			for _, m := range param.FindAllStringSubmatch(s, -1) {
				ps = append(ps, m[1])
			}
			sort.Strings(ps)
			return strings.Join(ps, ",")
		}
		if params(zh) != params(en) {
			t.Errorf("refused.%s: zh has {%s}, en {%s}", k, params(zh), params(en))
		}
	}
}
