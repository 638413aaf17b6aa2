package domain

import (
	"time"
)

// CheckItem is one line of the joint checklist 综合查一次.
type CheckItem struct {
	ID            string    `json:"id"`
	Department    string    `json:"department"` // department key, e.g. "fire"
	Domain        string    `json:"domain"`     // e.g. 消防安全
	Name          string    `json:"name"`
	Kinds         []string  `json:"kinds,omitempty"` // entity kinds it applies to
	Tags          []string  `json:"tags,omitempty"`  // entity tags it applies to (any of); empty = all
	Method        string    `json:"method"`          // look, document, instrument
	Minutes       float64   `json:"minutes"`
	FrequencyDays int       `json:"frequency_days"`
	KeyDomain     bool      `json:"key_domain,omitempty"` // 重点领域
	LegalBasis    string    `json:"legal_basis,omitempty"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// ItemResult is one check item's outcome at an inspection.
type ItemResult struct {
	ItemID string      `json:"item"`
	Result CheckResult `json:"result"`
	Note   string      `json:"note,omitempty"`
}

// Inspection is one visit to an entity by a team.
type Inspection struct {
	ID         string           `json:"id"`
	EntityID   string           `json:"entity_id"`
	TeamID     string           `json:"team_id,omitempty"`
	Inspector  string           `json:"inspector,omitempty"`
	At         time.Time        `json:"at"`
	Status     InspectionStatus `json:"status"`
	Results    []ItemResult     `json:"results,omitempty"`
	Photos     []string         `json:"photos,omitempty"` // photo IDs (domain/photo)
	CodeBefore string           `json:"code_before,omitempty"`
	CodeAfter  string           `json:"code_after,omitempty"`
	ReviewedBy string           `json:"reviewed_by,omitempty"`
	ReviewedAt time.Time        `json:"reviewed_at,omitzero"`
	UpdatedAt  time.Time        `json:"updated_at"`
}

// Finding is a hazard 隐患 found at an inspection, followed until rectified.
type Finding struct {
	ID           string        `json:"id"`
	InspectionID string        `json:"inspection_id"`
	EntityID     string        `json:"entity_id"`
	ItemID       string        `json:"item_id"`
	Severity     Severity      `json:"severity"`
	Description  string        `json:"description,omitempty"`
	Deadline     time.Time     `json:"deadline,omitzero"`
	Status       FindingStatus `json:"status"`
	RectifiedAt  time.Time     `json:"rectified_at,omitzero"`
	Photos       []string      `json:"photos,omitempty"` // rectification photo IDs (domain/photo)
	UpdatedAt    time.Time     `json:"updated_at"`
}
