package domain

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The rules of the command centre's daily work, each an admin setting
// "rule:<name>" every desk follows; a missing or unreadable setting leaves
// the default.
const (
	RuleHours      = "rule:hours"      // HoursRule
	RuleLadder     = "rule:ladder"     // Ladder
	RuleDuplicates = "rule:duplicates" // DuplicateRule
	RuleHotline    = "rule:hotline"    // HotlineRule
	RuleBulletin   = "rule:bulletin"   // BulletinRule
)

// HoursRule is the working hours time limits in 工作时 count in:
// "08:30-12:00", "13:30-17:30".
type HoursRule struct {
	Windows []string `json:"windows"`
}

// LadderStep is what a rung of the escalation ladder does.
type LadderStep string

// Ladder steps.
const (
	StepUrge      LadderStep = "urge"      // 催办: a message to the unit
	StepSupervise LadderStep = "supervise" // 督办: a leader takes it up, with a new deadline
)

// Rung is one rung of the escalation ladder: once a case's worst running
// clock has shown Light ("yellow" or "red") for After, the desk proposes
// Step; with Every, again each Every after the last time it was done.
type Rung struct {
	Light string        `json:"light"`
	After time.Duration `json:"after"`
	Step  LadderStep    `json:"step"`
	Every time.Duration `json:"every,omitempty"`
}

// Ladder is the escalation ladder 催办/督办, lowest rung first.
type Ladder struct {
	Rungs []Rung `json:"rungs"`
	// Leader is who supervises by default (a person or a role).
	Leader string `json:"leader,omitempty"`
	// Grant is how long a supervised case gets by default.
	Grant time.Duration `json:"grant,omitempty"`
}

// DefaultLadder urges on yellow, urges again on red and every four hours
// after, and proposes 督办 once a case has been red for a day.
func DefaultLadder() Ladder {
	return Ladder{Rungs: []Rung{
		{Light: "yellow", Step: StepUrge},
		{Light: "red", Step: StepUrge, Every: 4 * time.Hour},
		{Light: "red", After: 24 * time.Hour, Step: StepSupervise},
	}, Leader: "分管副镇长", Grant: 48 * time.Hour}
}

// Validate checks the ladder's rungs.
func (l Ladder) Validate() error {
	if len(l.Rungs) == 0 || len(l.Rungs) > 20 {
		return fmt.Errorf("ladder: between 1 and 20 rungs, got %d", len(l.Rungs))
	}
	for i, r := range l.Rungs {
		switch {
		case r.Light != "yellow" && r.Light != "red":
			return fmt.Errorf("ladder: rung %d: light %q is not yellow or red", i+1, r.Light)
		case r.Step != StepUrge && r.Step != StepSupervise:
			return fmt.Errorf("ladder: rung %d: step %q is not urge or supervise", i+1, r.Step)
		case r.After < 0 || r.Every < 0 || r.After > 365*24*time.Hour || r.Every > 365*24*time.Hour:
			return fmt.Errorf("ladder: rung %d: after and every must be between 0 and a year", i+1)
		case r.Every > 0 && r.Every < time.Minute:
			return fmt.Errorf("ladder: rung %d: every %s is shorter than a minute", i+1, r.Every)
		}
	}
	if CheckText(l.Leader, MaxName) != nil {
		return fmt.Errorf("ladder: leader is not a short text")
	}
	if l.Grant < 0 || l.Grant > 366*24*time.Hour {
		return fmt.Errorf("ladder: grant must be between 0 and a year")
	}
	return nil
}

// DuplicateRule says which open cases a new report may repeat: the same
// category within RadiusM metres and Hours hours; and when an address's
// reports count as repeat complaints 重复投诉: RepeatMin or more within
// RepeatDays.
type DuplicateRule struct {
	RadiusM    float64 `json:"radius_m"`
	Hours      float64 `json:"hours"`
	RepeatDays int     `json:"repeat_days"`
	RepeatMin  int     `json:"repeat_min"`
}

// DefaultDuplicateRule: 50 m, 72 h; an address reported twice in 30 days.
func DefaultDuplicateRule() DuplicateRule {
	return DuplicateRule{RadiusM: 50, Hours: 72, RepeatDays: 30, RepeatMin: 2}
}

// Validate checks the rule's bounds.
func (r DuplicateRule) Validate() error {
	switch {
	case r.RadiusM <= 0 || r.RadiusM > 5000:
		return fmt.Errorf("duplicates: radius %v m is not between 0 and 5000", r.RadiusM)
	case r.Hours <= 0 || r.Hours > 24*90:
		return fmt.Errorf("duplicates: %v hours is not between 0 and 90 days", r.Hours)
	case r.RepeatDays < 1 || r.RepeatDays > 366:
		return fmt.Errorf("duplicates: repeat_days %d is not between 1 and 366", r.RepeatDays)
	case r.RepeatMin < 2 || r.RepeatMin > 100:
		return fmt.Errorf("duplicates: repeat_min %d is not between 2 and 100", r.RepeatMin)
	}
	return nil
}

// HotlineRule is the column order of the work orders exported back to the
// 12345 platform (core/hotline.Columns names the columns it knows).
type HotlineRule struct {
	Columns []string `json:"columns"`
}

// BulletinRule sets the monthly bulletin's floor: units whose 按期结案率
// is below FloorOnTime (0–1) are named.
type BulletinRule struct {
	FloorOnTime float64 `json:"floor_on_time"`
	Town        string  `json:"town,omitempty"`   // the town's name in the title, e.g. 临浦镇
	Issuer      string  `json:"issuer,omitempty"` // 发文单位; default the town's 综合信息指挥室
}

// DefaultBulletinRule: a floor of 90% on time.
func DefaultBulletinRule() BulletinRule {
	return BulletinRule{FloorOnTime: 0.9} // the issuer defaults to the town's 综合信息指挥室
}

// Rules are the daily-work rules in force.
type Rules struct {
	Hours      HoursRule
	Ladder     Ladder
	Duplicates DuplicateRule
	Hotline    HotlineRule
	Bulletin   BulletinRule
}

// RulesWith reads the rules from the settings, defaults where missing.
func RulesWith(settings []Setting) Rules {
	r := Rules{Ladder: DefaultLadder(), Duplicates: DefaultDuplicateRule(), Bulletin: DefaultBulletinRule()}
	for _, s := range settings {
		if !strings.HasPrefix(s.ID, "rule:") {
			continue
		}
		switch s.ID {
		case RuleHours:
			var v HoursRule
			if json.Unmarshal(s.Value, &v) == nil {
				r.Hours = v
			}
		case RuleLadder:
			var v Ladder
			if json.Unmarshal(s.Value, &v) == nil && v.Validate() == nil {
				r.Ladder = v
			}
		case RuleDuplicates:
			var v DuplicateRule
			if json.Unmarshal(s.Value, &v) == nil && v.Validate() == nil {
				r.Duplicates = v
			}
		case RuleHotline:
			var v HotlineRule
			if json.Unmarshal(s.Value, &v) == nil {
				r.Hotline = v
			}
		case RuleBulletin:
			var v BulletinRule
			if json.Unmarshal(s.Value, &v) == nil && v.FloorOnTime >= 0 && v.FloorOnTime <= 1 {
				r.Bulletin = v
			}
		}
	}
	return r
}
