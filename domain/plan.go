package domain

import (
	"encoding/json"
	"time"
)

// Plan is a published inspection plan (one team's part of a period).
type Plan struct {
	ID          string          `json:"id"`
	Title       string          `json:"title"`
	TeamID      string          `json:"team_id,omitempty"`
	Start       time.Time       `json:"start"`
	End         time.Time       `json:"end"`
	Summary     json.RawMessage `json:"summary,omitempty"`
	PublishedBy string          `json:"published_by,omitempty"`
	PublishedAt time.Time       `json:"published_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// Visit is one planned inspection visit: a team's task for an entity on a day.
type Visit struct {
	ID          string      `json:"id"`
	PlanID      string      `json:"plan_id"`
	TeamID      string      `json:"team_id"`
	EntityID    string      `json:"entity_id"`
	Day         time.Time   `json:"day"`
	Seq         int         `json:"seq"`
	Items       []string    `json:"items,omitempty"`
	Departments []string    `json:"departments,omitempty"`
	Minutes     float64     `json:"minutes"`
	Joint       bool        `json:"joint,omitempty"`
	Status      VisitStatus `json:"status"`
	UpdatedAt   time.Time   `json:"updated_at"`
}
