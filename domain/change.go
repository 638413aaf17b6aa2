package domain

import (
	"encoding/json"
)

// Kinds of rows in the change feed.
const (
	KindGrid       = "grid"
	KindEntity     = "entity"
	KindUnit       = "unit"
	KindUser       = "user"
	KindCase       = "case"
	KindTask       = "task"
	KindCaseAction = "case_action"
	KindCheckItem  = "check_item"
	KindInspection = "inspection"
	KindFinding    = "finding"
	KindPlan       = "plan"
	KindVisit      = "visit"
	KindSetting    = "setting"
)

// Change operations.
const (
	OpUpsert = "upsert"
	OpDelete = "delete"
)

// Kinds lists every kind in the feed.
func Kinds() []string {
	return []string{KindGrid, KindEntity, KindUnit, KindUser, KindCase, KindTask, KindCaseAction, KindCheckItem, KindInspection, KindFinding, KindPlan, KindVisit, KindSetting}
}

// Change is one row of the change feed: the newest state of (Kind, ID).
type Change struct {
	Seq  int64           `json:"seq"`
	Kind string          `json:"kind"`
	ID   string          `json:"id"`
	Op   string          `json:"op"`
	Data json.RawMessage `json:"data"`
}
