package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"griddesk/core/command"
	"io"
	"net/http"
	"strings"
)

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Field  string `json:"field,omitempty"` // the offending input field, when there is one
	// Code and Params name the message for a desk to show in its user's
	// language (a command refusal's key and values), when there is one.
	Code   string            `json:"code,omitempty"`
	Params map[string]string `json:"params,omitempty"`
}

const problemBase = "https://griddesk.example/problems/"

func problem(w http.ResponseWriter, status int, kind, title, detail string) {
	writeProblem(w, Problem{Type: problemBase + kind, Title: title, Status: status, Detail: detail})
}

func writeProblem(w http.ResponseWriter, p Problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}

func badField(w http.ResponseWriter, field, detail string) {
	writeProblem(w, Problem{Type: problemBase + "invalid-field", Title: "Invalid request field", Status: http.StatusUnprocessableEntity, Detail: detail, Field: field})
}

func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.opts.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	if s.diskFull(w, err) {
		return
	}
	problem(w, http.StatusInternalServerError, "internal", "Internal error", "the server could not complete the request")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// maxBody is the largest request body the API reads; a batch of commands
// may be larger (maxCommandsBody), as plan.publish carries a team's visits.
const (
	maxBody         = 1 << 20
	maxCommandsBody = 16 << 20
)

// decode reads a JSON body strictly: size-limited, one value, no unknown
// fields. On error it has already answered with a problem naming the cause.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	return decodeLimit(w, r, v, maxBody)
}

func decodeLimit(w http.ResponseWriter, r *http.Request, v any, limit int64) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		problem(w, http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported media type", "send application/json, not "+ct)
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("extra data after the JSON value")
	}
	if err == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &tooBig):
		problem(w, http.StatusRequestEntityTooLarge, "too-large", "Request body too large", fmt.Sprintf("the body is over %d bytes", limit))
	case errors.As(err, &typeErr):
		badField(w, typeErr.Field, fmt.Sprintf("field %q must be %s, not %s", typeErr.Field, command.JSONType(typeErr.Type), typeErr.Value))
	case errors.As(err, &syntaxErr):
		problem(w, http.StatusBadRequest, "malformed-json", "Malformed JSON", fmt.Sprintf("at byte %d: %v", syntaxErr.Offset, err))
	case errors.Is(err, io.EOF):
		problem(w, http.StatusBadRequest, "malformed-json", "Malformed JSON", "the request body is empty")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		badField(w, field, fmt.Sprintf("unknown field %q", field))
	default:
		problem(w, http.StatusBadRequest, "malformed-json", "Malformed JSON", err.Error())
	}
	return false
}
