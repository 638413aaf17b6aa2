package ui

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"fyne.io/fyne/v2/lang"

	"griddesk/core/ingest"
)

// rowErrorText words an import's bad row in the user's language: where
// (file, row or feature, column or property), the value, and why.
func rowErrorText(e ingest.RowError) string {
	where := lang.L("row {{.N}}", map[string]any{"N": e.Row})
	if e.Feature {
		where = lang.L("feature {{.N}}", map[string]any{"N": e.Row})
	}
	if e.Column != "" {
		if e.Feature {
			where += lang.L(", property “{{.C}}”", map[string]any{"C": e.Column})
		} else {
			where += lang.L(", column “{{.C}}”", map[string]any{"C": e.Column})
		}
	}
	text := e.File + ": " + where + ": "
	if e.Value != "" {
		text += fmt.Sprintf("%q: ", e.Value)
	}
	return text + importReason(e.Reason)
}

// importReasons translate the importers' reasons: fixed ones by their
// text, the others by a pattern whose parts are kept.
var importReasons = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^not a grid level \(known: (.*)\)$`), "not a grid level (known: {{.A}})"},
	{regexp.MustCompile(`^duplicate ID, first used by feature (\d+)$`), "duplicate ID, first used by feature {{.A}}"},
	{regexp.MustCompile(`^duplicate ID, first used in row (\d+)$`), "duplicate ID, first used in row {{.A}}"},
	{regexp.MustCompile(`^missing: the row ends after (\d+) cells$`), "missing: the row ends after {{.A}} cells"},
	{regexp.MustCompile(`^is a (\w+); want Polygon or MultiPolygon$`), "is a {{.A}}; want Polygon or MultiPolygon"},
	{regexp.MustCompile(`^not (.+) \(known: (.*)\)$`), "not {{.A}} (known: {{.B}})"},
}

var importFixed = []string{
	"missing", "empty", "not a Feature", "a grid cannot be its own parent", "no such grid in the file or in GridDesk",
	"parents form a loop", "the feature has no id: map an ID property", "missing: a grid needs a Polygon or MultiPolygon boundary",
	"has no polygons", "location 0,0 is a placeholder, not a place", "is an object or a list, want text", "not a string", "not a number",
}

func importReason(r string) string {
	for _, f := range importFixed {
		if r == f {
			return lang.L(f)
		}
	}
	for _, p := range importReasons {
		if m := p.re.FindStringSubmatch(r); m != nil {
			data := map[string]any{"A": m[1]}
			if len(m) > 2 {
				data["B"] = m[2]
			}
			return lang.L(p.key, data)
		}
	}
	return r
}

// importErrorText words an error about a whole file.
func importErrorText(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, ingest.ErrMapping):
		_, detail, _ := strings.Cut(msg, ingest.ErrMapping.Error()+": ")
		return lang.L("The mapping does not fit the file") + ": " + detail
	case errors.Is(err, ingest.ErrFormat):
		_, detail, _ := strings.Cut(msg, ingest.ErrFormat.Error()+": ")
		return lang.L("The file cannot be read") + ": " + detail
	}
	return refusal(err)
}
