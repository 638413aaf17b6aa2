package command

import (
	"fmt"
	"time"

	"griddesk/domain"
)

// Bounds on what a command may carry, checked by Decode on every path
// (desk, field app, scripts): texts, lists, ids and times.
const (
	maxResults  = 500 // item results of one inspection
	maxHazards  = 200 // hazards of one inspection
	maxLinks    = 24  // photo links of a case action
	maxItems    = 100 // check items of one planned visit
	maxSummary  = 64 << 10
	maxKeywords = 200
	// maxAhead is how far after its visit a hazard's deadline may lie, and
	// maxVisitAge how long before the command a visit may have been.
	maxAhead    = 366 * 24 * time.Hour
	maxVisitAge = 90 * 24 * time.Hour
	// maxIssueSkew is how far a clock may run ahead of another's.
	maxIssueSkew = 2 * time.Minute
)

// checkText refuses a one-line text field: bad UTF-8, a control
// character, a bidirectional override, or longer than max characters.
func checkText(field, s string, max int) error {
	if err := domain.CheckText(s, max); err != nil {
		return invalid(field, "%s %v", field, err)
	}
	return nil
}

// checkNote is checkText for a multi-line field.
func checkNote(field, s string, max int) error {
	if err := domain.CheckNote(s, max); err != nil {
		return invalid(field, "%s %v", field, err)
	}
	return nil
}

// checkID refuses an id field that is malformed (required or, with
// optional, empty).
func checkID(field, id string, optional bool) error {
	if optional && id == "" {
		return nil
	}
	if err := domain.CheckID(id); err != nil {
		if id == "" {
			return invalid(field, "%s is required", field)
		}
		return invalid(field, "%s %v", field, err)
	}
	return nil
}

// checkLen refuses a list longer than max.
func checkLen(field string, n, max int) error {
	if n > max {
		return invalid(field, "%s holds %d entries, at most %d", field, n, max)
	}
	return nil
}

// firstError returns the first refusal of checks run in order.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// itemField names a list entry's field: args.results[3].note.
func itemField(list string, i int, field string) string {
	return fmt.Sprintf("%s[%d].%s", list, i, field)
}
