package server

import (
	"encoding/json"

	"griddesk/domain"
)

// Callers' names and phone numbers are personal data: only duty officers,
// who call them back, and admins read them whole (domain.Role.SeesCallers).
// This is the one place the change feed masks them for everyone else:
// GET /changes passes every page through maskFeed before it is encoded, on
// both of its paths (the in-memory tail, whose shared pages are kept apart
// by whether they are masked, and the journal read). Reports answered to
// POST /cases are masked where they are written (reportCase).

// maskFeed returns the changes as role reads them: unchanged for a role
// that sees callers, else with every case row's callers masked. The input
// is never modified.
func maskFeed(cs []domain.Change, role domain.Role) []domain.Change {
	if role.SeesCallers() {
		return cs
	}
	var out []domain.Change
	for i, c := range cs {
		if c.Kind != domain.KindCase || c.Op != domain.OpUpsert {
			continue
		}
		var k domain.Case
		if json.Unmarshal(c.Data, &k) != nil || len(k.Callers) == 0 {
			continue
		}
		raw, err := json.Marshal(k.Masked())
		if err != nil {
			continue
		}
		if out == nil {
			out = append([]domain.Change(nil), cs...)
		}
		c.Data = raw
		out[i] = c
	}
	if out == nil {
		return cs
	}
	return out
}
