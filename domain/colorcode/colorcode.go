// Package colorcode applies the three-colour code (三色码) rules to an
// entity's inspection results.
//
// Every supervised entity (shop, enterprise …) carries a green, yellow or red
// code computed from its reviewed inspections. The rules, from the Linpu
// article (seed 000) and GridDesk's completion of it (DESIGN.md §2), applied
// to each inspection in order:
//
//   - A major hazard (重大隐患) turns any code red.
//   - A repeat offence (屡教不改) turns any code red: a check item that failed
//     at the previous inspection fails again at this one, whatever the
//     severity of either finding.
//   - General hazards turn green into yellow; yellow stays yellow and red
//     stays red.
//   - A clean inspection (全项未发现隐患, no finding at all) turns red into
//     yellow at once.
//   - A yellow entity turns green after two consecutive clean inspections
//     made while it was yellow. Precisely: the code turns green when the
//     number of consecutive clean inspections since the code last changed,
//     this one included, reaches two. The clean inspection that turned a red
//     entity yellow was made while it was red and does not count, so red
//     needs three clean inspections to reach green; a hazard in between
//     starts the count again.
//   - A clean inspection leaves green green.
//
// Red and yellow entities are inspected more often (倾斜性检查): see
// Frequency and NextDue.
//
// The package is pure: no clock, no storage, no I/O.
package colorcode

import (
	"fmt"
	"griddesk/domain"
	"sort"
	"strings"
	"time"
)

// Code is a three-colour code.
type Code string

// The three codes.
const (
	Green  Code = "green"
	Yellow Code = "yellow"
	Red    Code = "red"
)

// Valid reports whether c is Green, Yellow or Red.
func (c Code) Valid() bool {
	switch c {
	case Green, Yellow, Red:
		return true
	}
	return false
}

// label is the code's Chinese name, as used in Reason.
func (c Code) label() string {
	switch c {
	case Green:
		return "绿码"
	case Yellow:
		return "黄码"
	case Red:
		return "红码"
	}
	return fmt.Sprintf("%q", string(c))
}

// Finding is one hazard found at an inspection.
type Finding struct {
	Item     string          // check item ID
	Severity domain.Severity // anything but major counts as general
}

// Major reports whether f is a major hazard (重大隐患). The comparison ignores
// case and surrounding space.
func (f Finding) Major() bool {
	return strings.EqualFold(strings.TrimSpace(string(f.Severity)), string(domain.SeverityMajor))
}

// Inspection is one reviewed inspection of an entity.
type Inspection struct {
	ID       string
	At       time.Time
	Findings []Finding // hazards found; none means clean (全项未发现隐患)

	// Code is the code the entity held when this inspection was made,
	// before its result was applied, as recorded in the entity's code
	// history; for inspection i of a Replay it is the Code of result i-1
	// (or the initial code). It is optional: Next uses it only to find
	// where the code last changed (see Next), Replay ignores it.
	Code Code
}

// Clean reports whether the inspection found no hazard at all.
func (in Inspection) Clean() bool { return len(in.Findings) == 0 }

// Stable rule keys reported in Result.Rule, for translation, statistics and
// follow-up (a repeat offence goes to the enforcement team, 移交执法).
const (
	RuleNoInspection   = "no_inspection"    // empty history: unchanged
	RuleInvalidCode    = "invalid_code"     // current code not valid: unchanged
	RuleMajorHazard    = "major_hazard"     // major hazard: red
	RuleRepeatOffence  = "repeat_offence"   // same item failed twice in a row: red
	RuleMajorRepeat    = "major_repeat"     // both of the above at once: red
	RuleGreenHazard    = "green_hazard"     // general hazards: green → yellow
	RuleYellowHazard   = "yellow_hazard"    // general hazards: yellow stays, count restarts
	RuleRedHazard      = "red_hazard"       // general hazards: red stays
	RuleGreenClean     = "green_clean"      // clean: green stays
	RuleYellowOneClean = "yellow_one_clean" // first clean while yellow: yellow stays
	RuleYellowTwoClean = "yellow_two_clean" // second consecutive clean while yellow: green
	RuleRedOneClean    = "red_one_clean"    // clean: red → yellow
)

// Result is the outcome of applying the rules to one inspection.
type Result struct {
	Code    Code   // the code after the inspection
	Changed bool   // Code differs from the code before
	Reason  string // Chinese explanation for the UI
	Rule    string // stable key, one of the Rule constants
}

// cleanToGreen is the number of consecutive clean inspections, made while
// yellow, that turn a yellow entity green.
const cleanToGreen = 2

// Next applies the rules to the last inspection of history (oldest first)
// for an entity whose code before that inspection is current. The
// inspection before it, if any, is the "previous inspection" of the repeat
// offence rule.
//
// For the yellow-to-green rule Next must know how many of the clean
// inspections just before the last one were made while the entity was
// yellow. Walking back from the second-to-last inspection it counts clean
// inspections and stops at the first one with findings, at the first one
// whose recorded Code is not Yellow (the code was different then, so it has
// changed since), and, when Code is not recorded, at the first clean
// inspection that directly follows a major hazard or a repeat offence (the
// entity was red then: that inspection was the red-to-yellow step). With
// unrecorded codes Next therefore assumes that the code stayed yellow
// through the trailing clean run unless the history proves otherwise;
// record Code, or use Replay, where that matters.
//
// An empty history or an invalid current code leave the code unchanged
// (Rule RuleNoInspection or RuleInvalidCode).
func Next(current Code, history []Inspection) Result {
	if !current.Valid() {
		return invalid(current)
	}
	n := len(history)
	if n == 0 {
		return Result{Code: current, Reason: "无检查记录，三色码不变", Rule: RuleNoInspection}
	}
	var prev *Inspection
	if n >= 2 {
		prev = &history[n-2]
	}
	return apply(current, yellowCleanRun(history[:n-1]), prev, &history[n-1])
}

// Replay applies the rules to every inspection of history in order, starting
// from initial, and returns the result after each one: the entity's code
// history. It tracks the code at each inspection itself and ignores
// Inspection.Code. With an invalid initial code every result is
// RuleInvalidCode.
func Replay(initial Code, history []Inspection) []Result {
	results := make([]Result, 0, len(history))
	code, run := initial, 0
	for i := range history {
		var prev *Inspection
		if i > 0 {
			prev = &history[i-1]
		}
		cur := &history[i]
		var r Result
		if code.Valid() {
			r = apply(code, run, prev, cur)
		} else {
			r = invalid(code)
		}
		if code == Yellow && r.Code == Yellow && cur.Clean() {
			run++
		} else {
			run = 0
		}
		code = r.Code
		results = append(results, r)
	}
	return results
}

func invalid(c Code) Result {
	return Result{Code: c, Reason: fmt.Sprintf("当前三色码 %q 无效，无法评定", string(c)), Rule: RuleInvalidCode}
}

// yellowCleanRun counts the clean inspections at the end of prev that were
// made while the entity was yellow (see Next).
func yellowCleanRun(prev []Inspection) int {
	run := 0
	for i := len(prev) - 1; i >= 0; i-- {
		in := &prev[i]
		if !in.Clean() {
			break
		}
		if in.Code != "" {
			if in.Code != Yellow {
				break
			}
			run++
			continue
		}
		if i > 0 {
			var before *Inspection
			if i > 1 {
				before = &prev[i-2]
			}
			if majors, repeats := redFindings(before, &prev[i-1]); len(majors) > 0 || len(repeats) > 0 {
				break // prev[i-1] made the entity red; prev[i] was the red→yellow step
			}
		}
		run++
	}
	return run
}

// redFindings returns the items of cur that are major hazards and the items
// of cur that also failed at prev (nil for none), each once, in the order
// they appear in cur. Empty item IDs never make a repeat offence.
func redFindings(prev, cur *Inspection) (majors, repeats []string) {
	failedBefore := map[string]bool{}
	if prev != nil {
		for _, f := range prev.Findings {
			if f.Item != "" {
				failedBefore[f.Item] = true
			}
		}
	}
	seenMajor, seenRepeat := map[string]bool{}, map[string]bool{}
	for _, f := range cur.Findings {
		if f.Major() && !seenMajor[f.Item] {
			seenMajor[f.Item] = true
			majors = append(majors, f.Item)
		}
		if failedBefore[f.Item] && !seenRepeat[f.Item] {
			seenRepeat[f.Item] = true
			repeats = append(repeats, f.Item)
		}
	}
	return majors, repeats
}

// apply is one step of the rules: code c (valid) before inspection cur,
// run clean inspections made while yellow just before it, prev the
// inspection before cur (nil for the first).
func apply(c Code, run int, prev, cur *Inspection) Result {
	to := func(next Code, rule, reason string) Result {
		return Result{Code: next, Changed: next != c, Reason: reason, Rule: rule}
	}
	change := func(next Code) string {
		if next == c {
			return "维持" + c.label()
		}
		return c.label() + "转" + next.label()
	}

	majors, repeats := redFindings(prev, cur)
	switch {
	case len(majors) > 0 && len(repeats) > 0:
		return to(Red, RuleMajorRepeat, fmt.Sprintf("发现重大隐患（检查项 %s），且检查项 %s 连续两次检查未通过（屡教不改），%s",
			items(majors), items(repeats), change(Red)))
	case len(majors) > 0:
		return to(Red, RuleMajorHazard, fmt.Sprintf("发现重大隐患（检查项 %s），%s", items(majors), change(Red)))
	case len(repeats) > 0:
		return to(Red, RuleRepeatOffence, fmt.Sprintf("检查项 %s 连续两次检查未通过（屡教不改），%s", items(repeats), change(Red)))
	}

	if !cur.Clean() {
		found := fmt.Sprintf("发现一般隐患 %d 项", len(cur.Findings))
		switch c {
		case Green:
			return to(Yellow, RuleGreenHazard, found+"，"+change(Yellow))
		case Yellow:
			return to(Yellow, RuleYellowHazard, found+"，"+change(Yellow)+"，连续无隐患检查重新计数")
		default:
			return to(Red, RuleRedHazard, found+"，"+change(Red))
		}
	}

	switch c {
	case Green:
		return to(Green, RuleGreenClean, "检查未发现隐患，"+change(Green))
	case Red:
		return to(Yellow, RuleRedOneClean, "检查未发现隐患，"+change(Yellow))
	}
	if run+1 >= cleanToGreen {
		return to(Green, RuleYellowTwoClean, "连续两次检查未发现隐患，"+change(Green))
	}
	return to(Yellow, RuleYellowOneClean, fmt.Sprintf("检查未发现隐患（连续第 %d 次，需连续 %d 次），%s", run+1, cleanToGreen, change(Yellow)))
}

// items joins item IDs for a Reason.
func items(ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = id
		if id == "" {
			names[i] = "（未编号）"
		}
	}
	return strings.Join(names, "、")
}

// Step is one accepted inspection of an entity's code history: the code
// before it, and the result of the rules applied to it.
type Step struct {
	Inspection domain.Inspection
	Before     Code
	Result
}

// Accepted returns the inspections that move the code (accepted, or
// accepted and handed to enforcement) in inspection-time order: by At, ties
// by ID. The order they were recorded, synced or reviewed in plays no part.
func Accepted(ins []domain.Inspection) []domain.Inspection {
	var out []domain.Inspection
	for _, in := range ins {
		if in.Status.Counts() {
			out = append(out, in)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Base is the code an entity held before any of its accepted inspections
// (in Accepted order): the code recorded before the earliest one, which
// History keeps there, or current when there is none (or it is not valid).
func Base(current Code, accepted []domain.Inspection) Code {
	if len(accepted) > 0 {
		if c := Code(accepted[0].CodeBefore); c.Valid() {
			return c
		}
	}
	return current
}

// History replays the rules over an entity's accepted inspections (in
// Accepted order) from its base code, with findings keyed by inspection ID.
// The last step's Code is the entity's code (base when there is none); each
// step's Before and Code are what the inspection's CodeBefore and CodeAfter
// must hold.
func History(base Code, accepted []domain.Inspection, findings map[string][]domain.Finding) []Step {
	hist := make([]Inspection, len(accepted))
	for i, in := range accepted {
		hist[i] = Inspection{ID: in.ID, At: in.At}
		for _, f := range findings[in.ID] {
			hist[i].Findings = append(hist[i].Findings, Finding{Item: f.ItemID, Severity: f.Severity})
		}
	}
	steps := make([]Step, len(accepted))
	before := base
	for i, r := range Replay(base, hist) {
		steps[i] = Step{Inspection: accepted[i], Before: before, Result: r}
		before = r.Code
	}
	return steps
}
