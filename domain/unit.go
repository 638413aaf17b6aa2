package domain

import (
	"time"
)

// Unit kinds: departments 职能部门 own categories; teams, squads and stations do the work.
const (
	UnitDepartment = "department" // 职能部门
	UnitTeam       = "team"       // 检查组
	UnitSquad      = "squad"      // 执法中队
	UnitStation    = "station"    // 村网格工作站
)

// Unit is a department, inspection team, enforcement squad or village station.
type Unit struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Kind       string    `json:"kind"`
	Department string    `json:"department,omitempty"` // department key, e.g. "fire"
	ParentID   string    `json:"parent_id,omitempty"`
	GridIDs    []string  `json:"grid_ids,omitempty"` // grids the unit answers for
	UpdatedAt  time.Time `json:"updated_at"`

	// Town is the town 镇街 the unit works in; empty for a department of
	// the whole database (a city's, or the one town's).
	Town string `json:"town,omitempty"`
}
