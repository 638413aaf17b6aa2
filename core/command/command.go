// Package command turns user actions into commands and applies them. The
// same Execute runs on the desk (the optimistic local effect, written with the
// command into the outbox) and on the server (the truth), so both reach the
// same rows: new rows take their IDs from the command's UUID and every time
// is the command's issue time.
//
// Every command type has one entry in the registry (registry.go): who may
// issue it, how its arguments are decoded and checked, and what it does.
// Types, role checks, validation, the OpenAPI list and the desk's action
// buttons all read from it.
package command

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/google/uuid"

	"griddesk/domain"
)

// Error is a refused command, shaped for a problem+json answer. Key names
// the message for translation (assets/i18n: "refused.<key>"), with Params
// filling it in; Detail is the same message in English for logs and API
// clients.
type Error struct {
	Status int    // HTTP status: 422 invalid, 409 conflict, 403 forbidden, 404 not found
	Kind   string // problem type suffix
	Field  string
	Detail string
	Key    string            // message key, "" when Detail is all there is
	Params map[string]string // the message's values, by name
}

func (e *Error) Error() string { return e.Detail }

func invalid(field, format string, a ...any) *Error {
	return &Error{Status: 422, Kind: "invalid-field", Field: field, Detail: fmt.Sprintf(format, a...)}
}

func conflict(format string, a ...any) *Error {
	return &Error{Status: 409, Kind: "conflict", Detail: fmt.Sprintf(format, a...)}
}

// keyed sets the message key and values of a refusal.
func (e *Error) keyed(key string, params map[string]string) *Error {
	e.Key, e.Params = key, params
	return e
}

// New makes a command with a fresh UUID, issued now.
func New(typ string, args any, baseVersion int64, now time.Time) (domain.Command, error) {
	if _, ok := Lookup(typ); !ok {
		return domain.Command{}, fmt.Errorf("command: unknown type %q", typ)
	}
	raw, err := json.Marshal(args)
	if err != nil {
		return domain.Command{}, fmt.Errorf("command: %s: %w", typ, err)
	}
	return domain.Command{ID: uuid.NewString(), Type: typ, Args: raw, BaseVersion: baseVersion, IssuedAt: now}, nil
}

func validateEnvelope(c domain.Command) error {
	if _, err := uuid.Parse(c.ID); err != nil || len(c.ID) != 36 {
		return invalid("id", "id %q is not a UUID", c.ID)
	}
	if _, ok := Lookup(c.Type); !ok {
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
			return invalid("args."+te.Field, "args.%s must be %s, not %s", te.Field, JSONType(te.Type), te.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return invalid("args."+f, "args.%s is not a field of %s", f, c.Type)
		default:
			return invalid("args", "args: %v", err)
		}
	}
	return nil
}

// JSONType names a Go type as a JSON client knows it (string, number,
// boolean, array, object), never by its Go name.
func JSONType(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	if t == reflect.TypeFor[time.Time]() {
		return "a time (RFC 3339)"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Pointer:
		return JSONType(t.Elem())
	}
	return "an object"
}
