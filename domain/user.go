package domain

import (
	"time"
)

// User is a person or field system that signs in. The password hash is kept
// apart (credentials table) and never leaves the server.
type User struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	UnitID   string `json:"unit_id,omitempty"`
	// Teams are the inspection teams a team leader may act for besides
	// their own unit (granted by an admin).
	Teams     []string  `json:"teams,omitempty"`
	Disabled  bool      `json:"disabled,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`

	// Towns are the towns a city officer is given: their desk copies those
	// towns (server/scope.go). Empty: the town of their unit.
	Towns []string `json:"towns,omitempty"`
}
