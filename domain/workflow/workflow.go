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
	case Reject, Return, Defer, VerifyFail, Escalate:
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
