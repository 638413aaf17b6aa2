package domain

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Limits on what people and field systems send. Names and titles are
// counted in characters, IDs in bytes.
const (
	MaxID      = 64   // bytes: an id of any row
	MaxName    = 100  // a person's, unit's, grid's or entity's name
	MaxTitle   = 200  // a case's or plan's title
	MaxAddress = 300  // an address
	MaxNote    = 4000 // a note, a description, a reason
	MaxShort   = 40   // a tag, a keyword, a code
)

// Text faults, wrapped with the details.
var (
	ErrNotUTF8    = errors.New("is not valid UTF-8")
	ErrControl    = errors.New("holds a control character")
	ErrBidi       = errors.New("holds a bidirectional override")
	ErrTooLong    = errors.New("is too long")
	ErrEmptyValue = errors.New("is empty")
)

// bidi reports whether r overrides or isolates the text direction (a name
// that reads differently than it sorts: "Trojan Source").
func bidi(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

func checkText(s string, max int, lines bool) error {
	if !utf8.ValidString(s) {
		return ErrNotUTF8
	}
	n := 0
	for _, r := range s {
		n++
		switch {
		case bidi(r):
			return fmt.Errorf("%w (U+%04X)", ErrBidi, r)
		case lines && (r == '\n' || r == '\r' || r == '\t'):
		case unicode.IsControl(r):
			return fmt.Errorf("%w (U+%04X)", ErrControl, r)
		}
	}
	if n > max {
		return fmt.Errorf("%w: %d characters, at most %d", ErrTooLong, n, max)
	}
	return nil
}

// CheckText refuses a one-line text (a name, a title) that is not valid
// UTF-8, holds a control character or a bidirectional override, or is
// longer than max characters.
func CheckText(s string, max int) error { return checkText(s, max, false) }

// CheckNote is CheckText for text of several lines: line breaks and tabs
// are allowed.
func CheckNote(s string, max int) error { return checkText(s, max, true) }

// CheckID refuses an id that is empty, longer than MaxID bytes or not
// plain printable text.
func CheckID(id string) error {
	switch {
	case id == "":
		return ErrEmptyValue
	case len(id) > MaxID:
		return fmt.Errorf("%w: %d bytes, at most %d", ErrTooLong, len(id), MaxID)
	}
	for _, r := range id {
		if r <= ' ' || r == 0x7f || bidi(r) || !unicode.IsPrint(r) {
			return fmt.Errorf("holds %q, which an id cannot", r)
		}
	}
	return nil
}
