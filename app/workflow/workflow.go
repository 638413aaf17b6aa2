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

	"griddesk/store"
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

type move struct{ from, action string }

var table = map[move]string{
	{store.StatusReported, Register}:   store.StatusRegistered,
	{store.StatusReported, Reject}:     store.StatusRejected,
	{store.StatusRegistered, Dispatch}: store.StatusDispatched,
	{store.StatusDispatched, Accept}:   store.StatusAccepted,
	{store.StatusDispatched, Return}:   store.StatusRegistered,
	{store.StatusAccepted, Arrive}:     store.StatusOnSite,
	{store.StatusOnSite, Handle}:       store.StatusHandled,
	{store.StatusHandled, Close}:       store.StatusClosed,
	{store.StatusHandled, VerifyFail}:  store.StatusDispatched,
	{store.StatusClosed, Evaluate}:     store.StatusEvaluated,
	{store.StatusDispatched, Feedback}: store.StatusDispatched,
	{store.StatusAccepted, Feedback}:   store.StatusAccepted,
	{store.StatusOnSite, Feedback}:     store.StatusOnSite,
	{store.StatusHandled, Feedback}:    store.StatusHandled,
	{store.StatusRegistered, Escalate}: store.StatusDispatched,
	{store.StatusDispatched, Escalate}: store.StatusDispatched,
	{store.StatusAccepted, Escalate}:   store.StatusDispatched,
	{store.StatusOnSite, Escalate}:     store.StatusDispatched,
	{store.StatusHandled, Escalate}:    store.StatusDispatched,
}

// deferrable are the open states a case can be deferred from.
var deferrable = map[string]bool{
	store.StatusRegistered: true, store.StatusDispatched: true, store.StatusAccepted: true,
	store.StatusOnSite: true, store.StatusHandled: true,
}

// Next returns the state after action from state from. Resume needs the
// state the case was deferred from (resumeTo); other actions ignore it.
func Next(from, action, resumeTo string) (string, error) {
	switch action {
	case Defer:
		if deferrable[from] {
			return store.StatusDeferred, nil
		}
	case Resume:
		if from == store.StatusDeferred {
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
func Allowed(from string) []string {
	var out []string
	for _, a := range []string{Register, Reject, Dispatch, Accept, Return, Arrive, Feedback, Handle, Close, VerifyFail, Escalate, Defer, Resume, Evaluate} {
		if _, err := Next(from, a, store.StatusRegistered); err == nil {
			out = append(out, a)
		}
	}
	return out
}
