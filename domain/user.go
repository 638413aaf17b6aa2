package domain

import (
	"time"
)

// Roles (server-enforced).
const (
	RoleAdmin       = "admin"
	RoleDutyOfficer = "duty_officer"
	RoleTeamLeader  = "team_leader"
	RoleUnitMember  = "unit_member"
	RoleAuditor     = "auditor"
	RoleReporter    = "reporter"
)

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool {
	switch r {
	case RoleAdmin, RoleDutyOfficer, RoleTeamLeader, RoleUnitMember, RoleAuditor, RoleReporter:
		return true
	}
	return false
}

// User is a person or field system that signs in. The password hash is kept
// apart (credentials table) and never leaves the server.
type User struct {
	ID        string    `json:"id"`
	Username  string    `json:"username"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	UnitID    string    `json:"unit_id,omitempty"`
	Disabled  bool      `json:"disabled,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}
