package domain

import (
	"encoding/json"
	"time"
)

// Command is one user action as it travels from desk to server.
type Command struct {
	ID          string          `json:"id"`   // client-made UUID, the idempotency key
	Type        string          `json:"type"` // e.g. case.dispatch
	Args        json.RawMessage `json:"args"`
	BaseVersion int64           `json:"base_version,omitempty"` // version of the target the desk saw
	IssuedAt    time.Time       `json:"issued_at"`
}

// Ref names one row.
type Ref struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// CommandRecord is a command as the server's audit log keeps it.
type CommandRecord struct {
	Command
	Actor      string          `json:"actor"`
	ReceivedAt time.Time       `json:"received_at"`
	Remote     string          `json:"remote"`
	Status     CommandStatus   `json:"status"`
	Problem    json.RawMessage `json:"problem,omitempty"`
	Result     json.RawMessage `json:"result,omitempty"`
	// Digest binds the id to the command's content (type, arguments, base
	// version, issue time): the same id with other content is another
	// command, refused.
	Digest string `json:"digest,omitempty"`
}

// Refusal is why the server refused a command, as a desk keeps it: the
// words in English, and the message code and values that say it in the
// user's language (empty when the server gave none).
type Refusal struct {
	Detail string            `json:"detail"`
	Code   string            `json:"code,omitempty"`
	Params map[string]string `json:"params,omitempty"`
}

// OutboxItem is a command waiting on the desk.
type OutboxItem struct {
	N       int64
	Command Command
	Touches []Ref
	State   OutboxState
	Problem Refusal
}
