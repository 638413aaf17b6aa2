package ingest

import (
	"errors"
	"fmt"
	"strings"
)

// Errors for problems with a whole file, wrapped with the file's name:
// ErrFormat when the file cannot be read as what it claims to be
// (truncated, garbled, wrong encoding, not JSON), ErrMapping when the
// mapping or options do not fit it (a mapped column or property missing, an
// unknown encoding or sheet).
var (
	ErrFormat  = errors.New("unreadable file")
	ErrMapping = errors.New("mapping does not fit the file")
)

// RowError is one bad row of an input file.
type RowError struct {
	File string
	// Row is the row as the user sees it in Excel (the header is row 1);
	// for GeoJSON it is the feature's number, counted from 1.
	Row     int
	Feature bool   // Row counts GeoJSON features
	Column  string // column header or property name; "" for the whole row
	Value   string // the offending value, shortened; "" when missing
	Reason  string
}

// Error reads like `shops.csv: row 7, column "经度": "abc": not a number`.
func (e RowError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	b.WriteString(": ")
	if e.Feature {
		fmt.Fprintf(&b, "feature %d", e.Row)
	} else {
		fmt.Fprintf(&b, "row %d", e.Row)
	}
	if e.Column != "" {
		if e.Feature {
			fmt.Fprintf(&b, ", property %q", e.Column)
		} else {
			fmt.Fprintf(&b, ", column %q", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Value != "" {
		fmt.Fprintf(&b, "%q: ", e.Value)
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Errors is every bad row of an import; an import with any is refused.
type Errors []RowError

// maxListed caps how many problems Errors.Error spells out.
const maxListed = 10

func (es Errors) Error() string {
	if len(es) == 0 {
		return "no errors"
	}
	var b strings.Builder
	if len(es) == 1 {
		return es[0].Error()
	}
	fmt.Fprintf(&b, "%d problems, nothing imported:", len(es))
	for i, e := range es {
		if i == maxListed {
			fmt.Fprintf(&b, "\n  … and %d more", len(es)-maxListed)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(e.Error())
	}
	return b.String()
}

// shorten cuts a value for a message.
func shorten(s string) string {
	const limit = 40
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}
