package workflow

import (
	"errors"
	"testing"

	"griddesk/store"
)

var states = []string{store.StatusReported, store.StatusRegistered, store.StatusRejected, store.StatusDispatched, store.StatusAccepted,
	store.StatusOnSite, store.StatusHandled, store.StatusClosed, store.StatusEvaluated, store.StatusDeferred}

var actions = []string{Register, Reject, Dispatch, Accept, Return, Arrive, Feedback, Handle, VerifyFail, Close, Defer, Resume, Escalate, Evaluate}

// TestEveryTransition walks the whole state × action matrix: the allowed
// moves and their targets are listed; everything else must be refused.
func TestEveryTransition(t *testing.T) {
	allowed := map[[2]string]string{
		{store.StatusReported, Register}: store.StatusRegistered, {store.StatusReported, Reject}: store.StatusRejected,
		{store.StatusRegistered, Dispatch}: store.StatusDispatched, {store.StatusRegistered, Escalate}: store.StatusDispatched,
		{store.StatusRegistered, Defer}:  store.StatusDeferred,
		{store.StatusDispatched, Accept}: store.StatusAccepted, {store.StatusDispatched, Return}: store.StatusRegistered,
		{store.StatusDispatched, Feedback}: store.StatusDispatched, {store.StatusDispatched, Escalate}: store.StatusDispatched,
		{store.StatusDispatched, Defer}: store.StatusDeferred,
		{store.StatusAccepted, Arrive}:  store.StatusOnSite, {store.StatusAccepted, Feedback}: store.StatusAccepted,
		{store.StatusAccepted, Escalate}: store.StatusDispatched, {store.StatusAccepted, Defer}: store.StatusDeferred,
		{store.StatusOnSite, Handle}: store.StatusHandled, {store.StatusOnSite, Feedback}: store.StatusOnSite,
		{store.StatusOnSite, Escalate}: store.StatusDispatched, {store.StatusOnSite, Defer}: store.StatusDeferred,
		{store.StatusHandled, Close}: store.StatusClosed, {store.StatusHandled, VerifyFail}: store.StatusDispatched,
		{store.StatusHandled, Feedback}: store.StatusHandled, {store.StatusHandled, Escalate}: store.StatusDispatched,
		{store.StatusHandled, Defer}:   store.StatusDeferred,
		{store.StatusClosed, Evaluate}: store.StatusEvaluated,
		{store.StatusDeferred, Resume}: store.StatusOnSite, // resumeTo below
	}
	for _, from := range states {
		for _, a := range actions {
			to, err := Next(from, a, store.StatusOnSite)
			want, ok := allowed[[2]string{from, a}]
			switch {
			case ok && (err != nil || to != want):
				t.Errorf("%s --%s--> %q, %v; want %s", from, a, to, err, want)
			case !ok && err == nil:
				t.Errorf("%s --%s--> %s was allowed; it must be refused", from, a, to)
			case !ok && !errors.Is(err, ErrTransition):
				t.Errorf("%s --%s--> error %v does not wrap ErrTransition", from, a, err)
			}
		}
	}
}

func TestResumeGoesBack(t *testing.T) {
	for _, prior := range []string{store.StatusRegistered, store.StatusDispatched, store.StatusHandled} {
		if to, err := Next(store.StatusDeferred, Resume, prior); err != nil || to != prior {
			t.Errorf("resume to %s: %s %v", prior, to, err)
		}
	}
	if _, err := Next(store.StatusDeferred, Resume, store.StatusClosed); err == nil {
		t.Error("resume into closed was allowed")
	}
}

func TestAllowedAndReasons(t *testing.T) {
	got := Allowed(store.StatusHandled)
	want := []string{Feedback, Close, VerifyFail, Escalate, Defer}
	if len(got) != len(want) {
		t.Fatalf("Allowed(handled) = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Allowed(handled) = %v, want %v", got, want)
		}
	}
	for _, a := range []string{Return, Defer, Reject, VerifyFail, Escalate} {
		if !NeedsReason(a) {
			t.Errorf("%s needs a reason", a)
		}
	}
	if NeedsReason(Accept) {
		t.Error("accept needs no reason")
	}
}
