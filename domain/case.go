package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Case sources.
const (
	SourceGridWorker = "grid_worker" // 网格员上报
	SourceHotline    = "hotline"     // 12345 热线
	SourceSensor     = "sensor"      // 物联感知
	SourceInspection = "inspection"  // 检查移交
	SourcePublic     = "public"      // 群众扫码投诉建议 (the door plate's page)
)

// Sources lists the channels a case may come from.
var Sources = []string{SourceGridWorker, SourceHotline, SourceSensor, SourceInspection, SourcePublic}

// ValidSource reports whether s is a known source.
func ValidSource(s string) bool {
	for _, x := range Sources {
		if s == x {
			return true
		}
	}
	return false
}

// Case priorities.
const (
	PriorityNormal = "normal"
	PriorityUrgent = "urgent" // 紧急: the stricter clock policy
)

// ValidPriority reports whether p is a known priority.
func ValidPriority(p string) bool { return p == PriorityNormal || p == PriorityUrgent }

// Case is one event in the closed loop 发现上报 → … → 评价结案.
type Case struct {
	ID          string     `json:"id"`
	No          string     `json:"no,omitempty"` // human number, e.g. 2026-0113
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Category    string     `json:"category"`
	Source      string     `json:"source"`
	Lon         float64    `json:"lon"`
	Lat         float64    `json:"lat"`
	GridID      string     `json:"grid_id,omitempty"`
	EntityID    string     `json:"entity_id,omitempty"`
	Status      CaseStatus `json:"status"`
	Priority    string     `json:"priority,omitempty"`
	Policy      string     `json:"policy,omitempty"` // clock policy name
	UnitID      string     `json:"unit_id,omitempty"`
	Reporter    string     `json:"reporter,omitempty"`
	ReportedAt  time.Time  `json:"reported_at"`
	ClosedAt    time.Time  `json:"closed_at,omitzero"`
	// Satisfaction is the caller's verdict once evaluated (回访).
	Satisfaction Satisfaction `json:"satisfaction,omitempty"`
	Version      int64        `json:"version"`
	UpdatedAt    time.Time    `json:"updated_at"`

	// Address is where it happened, in words (事发地址): what repeat
	// complaints 重复投诉 are counted by.
	Address string `json:"address,omitempty"`
	// Order is the 12345 work order the case came from (nil for others).
	Order *WorkOrder `json:"order,omitempty"`
	// Callers are the people to call back (回访): the caller, if any. Those of
	// repeat reports merged into the case stay on their own cases (merged).
	Callers []Caller `json:"callers,omitempty"`
	// MergedInto is the open case a repeat report 重复件 was merged into
	// (status merged).
	MergedInto string `json:"merged_into,omitempty"`
	// Supervision is set once a leader oversees the case 督办 (case.supervise).
	Supervision *Supervision `json:"supervision,omitempty"`
}

// Supervision is a leader's oversight 督办 of a late case: who, with which
// new deadline.
type Supervision struct {
	Leader string    `json:"leader"` // a named person or a role: 分管副镇长
	Due    time.Time `json:"due"`    // the new deadline
	At     time.Time `json:"at"`
	By     string    `json:"by,omitempty"` // the user who recorded it
	Note   string    `json:"note,omitempty"`
}

// Open reports whether the case still needs someone.
func (c *Case) Open() bool {
	for _, s := range OpenStatuses {
		if c.Status == s {
			return true
		}
	}
	return false
}

// Validate checks the fields a case must have.
func (c *Case) Validate() error {
	switch {
	case c.ID == "":
		return fmt.Errorf("case: id is empty")
	case c.Title == "":
		return fmt.Errorf("case %s: title is empty", c.ID)
	case c.Category == "":
		return fmt.Errorf("case %s: category is empty", c.ID)
	case c.Status == "":
		return fmt.Errorf("case %s: status is empty", c.ID)
	case !validLonLat(c.Lon, c.Lat):
		return fmt.Errorf("case %s: location %v,%v is not a longitude/latitude", c.ID, c.Lon, c.Lat)
	case c.ReportedAt.IsZero():
		return fmt.Errorf("case %s: reported_at is missing", c.ID)
	}
	return nil
}

// Task is a case's work order for one unit.
type Task struct {
	ID        string     `json:"id"`
	CaseID    string     `json:"case_id"`
	UnitID    string     `json:"unit_id"`
	Status    TaskStatus `json:"status"`
	CreatedAt time.Time  `json:"created_at"`
	DueAt     time.Time  `json:"due_at,omitzero"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// Action is one step in a case's timeline: who did what, when, and why.
type Action struct {
	ID         string     `json:"id"`
	CaseID     string     `json:"case_id"`
	Action     string     `json:"action"` // report, register, dispatch, accept, return, arrive, feedback, handle, verify_fail, close, defer, resume, escalate, evaluate, reject
	FromStatus CaseStatus `json:"from_status,omitempty"`
	ToStatus   CaseStatus `json:"to_status"`
	Actor      string     `json:"actor,omitempty"`
	At         time.Time  `json:"at"`
	Note       string     `json:"note,omitempty"`
	Photos     []string   `json:"photos,omitempty"`
	UpdatedAt  time.Time  `json:"updated_at"`
	// Detail holds what some actions carry besides a note: the unit urged,
	// the case merged into, a callback's outcome.
	Detail *ActionDetail `json:"detail,omitempty"`
}

// ActionDetail is the structured part of an urge, a supervision, a merge or
// a callback.
type ActionDetail struct {
	UnitID       string       `json:"unit_id,omitempty"`      // urge: the unit urged (the case's at the time)
	Into         string       `json:"into,omitempty"`         // merge: the open case; merged: the case merged in
	Leader       string       `json:"leader,omitempty"`       // supervise
	Due          time.Time    `json:"due,omitzero"`           // supervise: the new deadline
	Reached      *bool        `json:"reached,omitempty"`      // callback: the caller answered
	Satisfaction Satisfaction `json:"satisfaction,omitempty"` // callback: their verdict
	Light        string       `json:"light,omitempty"`        // urge: the light that called for it
}

// Names maps IDs to display names for lists.
type Names struct {
	Grids map[string]string
	Units map[string]string
	Users map[string]string
}

// IsReason reports whether a note can stand as the reason an action needs
// (return, defer, reject, escalate, a failed verification): at least two
// visible characters once white space is trimmed. Spaces, control and
// format characters (zero-width, bidi marks) are not visible.
func IsReason(note string) bool {
	n := 0
	for _, r := range strings.TrimSpace(note) {
		if unicode.IsGraphic(r) && !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) {
			n++
		}
	}
	return n >= 2
}
