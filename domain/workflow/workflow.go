// Package workflow is the case state machine (DESIGN.md §5), shared by the
// desk (optimistic effects) and the server (the truth):
//
//	reported → registered | rejected
//	registered → dispatched            (creates a task for a unit)
//	dispatched → accepted | registered (return: reason required)
//	accepted → on_site → handled
//	handled → closed (verification passed) | dispatched (failed: rework 返工)
//	any open state → deferred (挂账, reason required, clocks paused) → back
//	any open state → dispatched (escalate to enforcement or the next level)
//	closed → evaluated
//
// Every move is an action with actor, time, note and photos; the list of
// actions is the case's timeline and its audit trail.
package workflow

import (
	"errors"
	"fmt"

	"griddesk/domain"
)

// Actions.
const (
	Report     = "report"
	Register   = "register"
	Reject     = "reject"
	Dispatch   = "dispatch"
	Accept     = "accept"
	Return     = "return"
	Arrive     = "arrive"
	Feedback   = "feedback"
	Handle     = "handle"
	VerifyFail = "verify_fail"
	Close      = "close"
	Defer      = "defer"
	Resume     = "resume"
	Escalate   = "escalate"
	Evaluate   = "evaluate"
)

// The command centre's daily work around the loop (issue 17).
const (
	// Urge 催办: a message to the unit a case is with; the state stays.
	Urge = "urge"
	// Supervise 督办: a leader takes up a late case with a new deadline;
	// the state stays.
	Supervise = "supervise"
	// Merge: a repeat report 重复件 joins an open case on the same matter
	// (state merged); MergeIn is the same step on the case it joins.
	Merge   = "merge"
	MergeIn = "merge_in"
	// Unmerge undoes a wrong merge: the case goes back to where it stood
	// (registered, if it had been dispatched: its tasks were cancelled);
	// MergeOut is the same step on the case it leaves.
	Unmerge  = "unmerge"
	MergeOut = "merge_out"
	// MergedClosed tells a merged report's caller that the case it joined
	// closed; the state stays merged.
	MergedClosed = "merged_closed"
	// Callback 回访: the caller was reached and gave a verdict (closed →
	// evaluated); CallbackMissed: not reached (stays closed); Reopen: the
	// caller was dissatisfied and the case goes back to its unit as rework
	// (closed → dispatched).
	Callback       = "callback"
	CallbackMissed = "callback_missed"
	Reopen         = "reopen"
)

// urgeable are the states a unit is working a case in: it can be urged
// or supervised.
var urgeable = map[domain.CaseStatus]bool{
	domain.StatusDispatched: true, domain.StatusAccepted: true, domain.StatusOnSite: true,
	domain.StatusHandled: true, domain.StatusDeferred: true,
}

// mergeable are the states a repeat report can be merged from, and the
// states of an open case that can take one in.
var mergeable = map[domain.CaseStatus]bool{
	domain.StatusReported: true, domain.StatusRegistered: true, domain.StatusDispatched: true, domain.StatusAccepted: true,
	domain.StatusOnSite: true, domain.StatusHandled: true, domain.StatusDeferred: true,
}

// CanTakeMerge reports whether a case in this state can take a repeat
// report in: it is open.
func CanTakeMerge(s domain.CaseStatus) bool { return mergeable[s] }

// UnmergeTo is where an unmerged case goes back to from the state it was
// merged in: reported and registered stay; a case that had been dispatched
// lost its tasks and is registered again, to be dispatched anew.
func UnmergeTo(mergedFrom domain.CaseStatus) domain.CaseStatus {
	if mergedFrom == domain.StatusReported {
		return domain.StatusReported
	}
	return domain.StatusRegistered
}

// ErrTransition is wrapped by every refused move.
var ErrTransition = errors.New("transition not allowed")

type move struct {
	from   domain.CaseStatus
	action string
}

var table = map[move]domain.CaseStatus{
	{domain.StatusReported, Register}:   domain.StatusRegistered,
	{domain.StatusReported, Reject}:     domain.StatusRejected,
	{domain.StatusRegistered, Dispatch}: domain.StatusDispatched,
	{domain.StatusDispatched, Accept}:   domain.StatusAccepted,
	{domain.StatusDispatched, Return}:   domain.StatusRegistered,
	{domain.StatusAccepted, Arrive}:     domain.StatusOnSite,
	{domain.StatusOnSite, Handle}:       domain.StatusHandled,
	{domain.StatusHandled, Close}:       domain.StatusClosed,
	{domain.StatusHandled, VerifyFail}:  domain.StatusDispatched,
	{domain.StatusClosed, Evaluate}:     domain.StatusEvaluated,
	{domain.StatusDispatched, Feedback}: domain.StatusDispatched,
	{domain.StatusAccepted, Feedback}:   domain.StatusAccepted,
	{domain.StatusOnSite, Feedback}:     domain.StatusOnSite,
	{domain.StatusHandled, Feedback}:    domain.StatusHandled,
	{domain.StatusRegistered, Escalate}: domain.StatusDispatched,
	{domain.StatusDispatched, Escalate}: domain.StatusDispatched,
	{domain.StatusAccepted, Escalate}:   domain.StatusDispatched,
	{domain.StatusOnSite, Escalate}:     domain.StatusDispatched,
	{domain.StatusHandled, Escalate}:    domain.StatusDispatched,

	{domain.StatusClosed, Callback}:       domain.StatusEvaluated,
	{domain.StatusClosed, CallbackMissed}: domain.StatusClosed,
	{domain.StatusClosed, Reopen}:         domain.StatusDispatched,
	{domain.StatusMerged, MergedClosed}:   domain.StatusMerged,
}

// deferrable are the open states a case can be deferred from.
var deferrable = map[domain.CaseStatus]bool{
	domain.StatusRegistered: true, domain.StatusDispatched: true, domain.StatusAccepted: true,
	domain.StatusOnSite: true, domain.StatusHandled: true,
}

// Next returns the state after action from state from. Resume needs the
// state the case was deferred from (resumeTo); other actions ignore it.
func Next(from domain.CaseStatus, action string, resumeTo domain.CaseStatus) (domain.CaseStatus, error) {
	switch action {
	case Defer:
		if deferrable[from] {
			return domain.StatusDeferred, nil
		}
	case Resume:
		if from == domain.StatusDeferred {
			if !deferrable[resumeTo] {
				return "", fmt.Errorf("workflow: resume to %q: %w", resumeTo, ErrTransition)
			}
			return resumeTo, nil
		}
	case Urge, Supervise:
		if urgeable[from] {
			return from, nil
		}
	case Merge:
		if mergeable[from] {
			return domain.StatusMerged, nil
		}
	case MergeIn:
		if mergeable[from] {
			return from, nil
		}
	case MergeOut:
		return from, nil // the case the report leaves may have moved on since
	case Unmerge:
		if from == domain.StatusMerged {
			return UnmergeTo(resumeTo), nil
		}
	default:
		if to, ok := table[move{from, action}]; ok {
			return to, nil
		}
	}
	return "", fmt.Errorf("workflow: %s a case that is %s: %w", action, from, ErrTransition)
}

// NeedsReason reports whether an action must carry a note.
func NeedsReason(action string) bool {
	switch action {
	case Reject, Return, Defer, VerifyFail, Escalate, Urge, Supervise, Unmerge, Reopen:
		return true
	}
	return false
}

// Allowed lists the actions possible from a state (for the UI's buttons).
func Allowed(from domain.CaseStatus) []string {
	var out []string
	for _, a := range []string{Register, Reject, Dispatch, Accept, Return, Arrive, Feedback, Handle, Close, VerifyFail, Escalate, Defer, Resume, Evaluate} {
		if _, err := Next(from, a, domain.StatusRegistered); err == nil {
			out = append(out, a)
		}
	}
	return out
}
