package ui

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"

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
	for _, l := range []string{"Last 30 days", "Last quarter", "Last year"} {
		used[l] = true
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
