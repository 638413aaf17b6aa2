// Package domain holds GridDesk's types and their pure rules: cases and
// their tasks and timelines, grids, entities, units and users, the check
// catalog, inspections and hazards, plans and visits, settings, commands and
// the change feed's rows, with a named type for every status.
//
// It imports nothing of GridDesk's own: storage (package store), the rules
// shared by desk and server (core) and both sides sit on top of it. Its
// subpackages hold the rules that need more room: workflow (the case state
// machine), colorcode (三色码), clock (working days, response clocks), zone
// (which grid holds a point), geo (coordinate systems) and photo (photo
// checks).
package domain

import "errors"

// ErrNotFound is returned when something asked for by ID does not exist.
var ErrNotFound = errors.New("not found")
