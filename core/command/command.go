// Package command turns user actions into commands and applies them. The
// same Execute runs on the desk (the optimistic local effect, written with the
// command into the outbox) and on the server (the truth), so both reach the
// same rows: new rows take their IDs from the command's UUID and every time
// is the command's issue time.
package command

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"griddesk/domain"
)

// Command types.
const (
	CaseRegister = "case.register"
	CaseReject   = "case.reject"
	CaseDispatch = "case.dispatch"
	CaseAccept   = "case.accept"
	CaseReturn   = "case.return"
	CaseArrive   = "case.arrive"
	CaseFeedback = "case.feedback"
	CaseHandle   = "case.handle"
	CaseVerify   = "case.verify"
	CaseClose    = "case.close"
	CaseDefer    = "case.defer"
	CaseResume   = "case.resume"
	CaseEscalate = "case.escalate"
	CaseEvaluate = "case.evaluate"

	InspectionRecord = "inspection.record"
	InspectionReview = "inspection.review"
	HazardRectify    = "hazard.rectify"
)

// roles says who may issue each command (the server enforces it).
var roles = map[string][]string{
	CaseRegister: {domain.RoleDutyOfficer, domain.RoleAdmin},
	CaseReject:   {domain.RoleDutyOfficer, domain.RoleAdmin},
	CaseDispatch: {domain.RoleDutyOfficer, domain.RoleAdmin},
	CaseAccept:   {domain.RoleUnitMember, domain.RoleDutyOfficer, domain.RoleAdmin},
	CaseReturn:   {domain.RoleUnitMember, domain.RoleDutyOfficer, domain.RoleAdmin},
	CaseArrive:   {domain.RoleUnitMember, domain.RoleDutyOfficer, domain.RoleAdmin},
	CaseFeedback: {domain.RoleUnitMember, domain.RoleDutyOfficer, domain.RoleAdmin},
	CaseHandle:   {domain.RoleUnitMember, domain.RoleDutyOfficer, domain.RoleAdmin},
	CaseVerify:   {domain.RoleDutyOfficer, domain.RoleAdmin},
	CaseClose:    {domain.RoleDutyOfficer, domain.RoleAdmin},
	CaseDefer:    {domain.RoleDutyOfficer, domain.RoleAdmin},
	CaseResume:   {domain.RoleDutyOfficer, domain.RoleAdmin},
	CaseEscalate: {domain.RoleDutyOfficer, domain.RoleAdmin},
	CaseEvaluate: {domain.RoleDutyOfficer, domain.RoleAdmin},

	InspectionRecord: {domain.RoleReporter, domain.RoleTeamLeader, domain.RoleAdmin},
	InspectionReview: {domain.RoleTeamLeader, domain.RoleAdmin},
	HazardRectify:    {domain.RoleReporter, domain.RoleTeamLeader, domain.RoleAdmin},
}

// Types lists every command type.
func Types() []string {
	out := make([]string, 0, len(roles))
	for _, t := range []string{CaseRegister, CaseReject, CaseDispatch, CaseAccept, CaseReturn, CaseArrive, CaseFeedback, CaseHandle,
		CaseVerify, CaseClose, CaseDefer, CaseResume, CaseEscalate, CaseEvaluate, InspectionRecord, InspectionReview, HazardRectify, PlanPublish, GridImport, EntityImport, SettingPut, CatalogPut} {
		out = append(out, t)
	}
	return out
}

// Allowed reports whether a role may issue a command type.
func Allowed(role, typ string) bool {
	for _, r := range roles[typ] {
		if r == role {
			return true
		}
	}
	return false
}

// Error is a refused command, shaped for a problem+json answer.
type Error struct {
	Status int    // HTTP status: 422 invalid, 409 conflict, 403 forbidden, 404 not found
	Kind   string // problem type suffix
	Field  string
	Detail string
}

func (e *Error) Error() string { return e.Detail }

func invalid(field, format string, a ...any) *Error {
	return &Error{Status: 422, Kind: "invalid-field", Field: field, Detail: fmt.Sprintf(format, a...)}
}

func conflict(format string, a ...any) *Error {
	return &Error{Status: 409, Kind: "conflict", Detail: fmt.Sprintf(format, a...)}
}

// CaseArgs are the arguments of every case.* command.
type CaseArgs struct {
	CaseID       string   `json:"case_id"`
	Note         string   `json:"note,omitempty"`
	Photos       []string `json:"photos,omitempty"`
	UnitID       string   `json:"unit_id,omitempty"`      // dispatch, escalate
	Passed       *bool    `json:"passed,omitempty"`       // verify
	Satisfaction string   `json:"satisfaction,omitempty"` // evaluate: satisfied, basically, dissatisfied
	Policy       string   `json:"policy,omitempty"`       // dispatch: clock policy override
	New          *NewCase `json:"new,omitempty"`          // register: a case taken from a hotline call
}

// NewCase is a case registered at the desk.
type NewCase struct {
	Title       string  `json:"title"`
	Description string  `json:"description,omitempty"`
	Category    string  `json:"category"`
	Source      string  `json:"source,omitempty"`
	Priority    string  `json:"priority,omitempty"`
	Lon         float64 `json:"lon"`
	Lat         float64 `json:"lat"`
	GridID      string  `json:"grid_id,omitempty"`
	EntityID    string  `json:"entity_id,omitempty"`
}

// New makes a command with a fresh UUID, issued now.
func New(typ string, args any, baseVersion int64, now time.Time) (domain.Command, error) {
	if _, ok := roles[typ]; !ok {
		return domain.Command{}, fmt.Errorf("command: unknown type %q", typ)
	}
	raw, err := json.Marshal(args)
	if err != nil {
		return domain.Command{}, fmt.Errorf("command: %s: %w", typ, err)
	}
	return domain.Command{ID: uuid.NewString(), Type: typ, Args: raw, BaseVersion: baseVersion, IssuedAt: now}, nil
}

// Validate checks a command's envelope and decodes its arguments strictly
// (unknown fields and wrong types are errors naming the field). The
// CaseArgs are set for case.* commands; inspection and hazard commands are
// checked against InspectionArgs.
func Validate(c domain.Command) (CaseArgs, error) {
	var a CaseArgs
	if err := validateEnvelope(c); err != nil {
		return a, err
	}
	if c.Type == PlanPublish {
		_, err := decodePlan(c)
		return a, err
	}
	if c.Type == GridImport || c.Type == EntityImport {
		_, err := decodeImport(c)
		return a, err
	}
	if c.Type == SettingPut {
		_, err := decodeSetting(c)
		return a, err
	}
	if c.Type == CatalogPut {
		_, err := decodeCatalog(c)
		return a, err
	}
	if !strings.HasPrefix(c.Type, "case.") {
		_, err := decodeInspection(c)
		return a, err
	}
	if err := strictDecode(c, &a); err != nil {
		return a, err
	}
	if a.CaseID == "" {
		return a, invalid("args.case_id", "args.case_id is required")
	}
	if len(a.Note) > 4000 {
		return a, invalid("args.note", "args.note is longer than 4000 bytes")
	}
	return a, nil
}

func validateEnvelope(c domain.Command) error {
	if _, err := uuid.Parse(c.ID); err != nil || len(c.ID) != 36 {
		return invalid("id", "id %q is not a UUID", c.ID)
	}
	if _, ok := roles[c.Type]; !ok {
		return invalid("type", "type %q is not a known command", c.Type)
	}
	if c.IssuedAt.IsZero() {
		return invalid("issued_at", "issued_at is missing")
	}
	if len(c.Args) == 0 || string(c.Args) == "null" {
		return invalid("args", "args are missing")
	}
	return nil
}

// strictDecode decodes a command's args into v, naming the offending field.
func strictDecode(c domain.Command, v any) error {
	dec := json.NewDecoder(bytes.NewReader(c.Args))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te):
			return invalid("args."+te.Field, "args.%s must be %s", te.Field, te.Type)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return invalid("args."+f, "args.%s is not a field of %s", f, c.Type)
		default:
			return invalid("args", "args: %v", err)
		}
	}
	return nil
}
