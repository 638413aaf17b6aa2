package workflow

import (
	"errors"
	"testing"

	"griddesk/domain"
)

var states = []domain.CaseStatus{domain.StatusReported, domain.StatusRegistered, domain.StatusRejected, domain.StatusDispatched, domain.StatusAccepted,
	domain.StatusOnSite, domain.StatusHandled, domain.StatusClosed, domain.StatusEvaluated, domain.StatusDeferred}

var actions = []string{Register, Reject, Dispatch, Accept, Return, Arrive, Feedback, Handle, VerifyFail, Close, Defer, Resume, Escalate, Evaluate}

// TestEveryTransition walks the whole state × action matrix: the allowed
// moves and their targets are listed; everything else must be refused.
func TestEveryTransition(t *testing.T) {
	allowed := map[move]domain.CaseStatus{
		{domain.StatusReported, Register}: domain.StatusRegistered, {domain.StatusReported, Reject}: domain.StatusRejected,
		{domain.StatusRegistered, Dispatch}: domain.StatusDispatched, {domain.StatusRegistered, Escalate}: domain.StatusDispatched,
		{domain.StatusRegistered, Defer}:  domain.StatusDeferred,
		{domain.StatusDispatched, Accept}: domain.StatusAccepted, {domain.StatusDispatched, Return}: domain.StatusRegistered,
		{domain.StatusDispatched, Feedback}: domain.StatusDispatched, {domain.StatusDispatched, Escalate}: domain.StatusDispatched,
		{domain.StatusDispatched, Defer}: domain.StatusDeferred,
		{domain.StatusAccepted, Arrive}:  domain.StatusOnSite, {domain.StatusAccepted, Feedback}: domain.StatusAccepted,
		{domain.StatusAccepted, Escalate}: domain.StatusDispatched, {domain.StatusAccepted, Defer}: domain.StatusDeferred,
		{domain.StatusOnSite, Handle}: domain.StatusHandled, {domain.StatusOnSite, Feedback}: domain.StatusOnSite,
		{domain.StatusOnSite, Escalate}: domain.StatusDispatched, {domain.StatusOnSite, Defer}: domain.StatusDeferred,
		{domain.StatusHandled, Close}: domain.StatusClosed, {domain.StatusHandled, VerifyFail}: domain.StatusDispatched,
		{domain.StatusHandled, Feedback}: domain.StatusHandled, {domain.StatusHandled, Escalate}: domain.StatusDispatched,
		{domain.StatusHandled, Defer}:   domain.StatusDeferred,
		{domain.StatusClosed, Evaluate}: domain.StatusEvaluated,
		{domain.StatusDeferred, Resume}: domain.StatusOnSite, // resumeTo below
	}
	for _, from := range states {
		for _, a := range actions {
			to, err := Next(from, a, domain.StatusOnSite)
			want, ok := allowed[move{from, a}]
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
	for _, prior := range []domain.CaseStatus{domain.StatusRegistered, domain.StatusDispatched, domain.StatusHandled} {
		if to, err := Next(domain.StatusDeferred, Resume, prior); err != nil || to != prior {
			t.Errorf("resume to %s: %s %v", prior, to, err)
		}
	}
	if _, err := Next(domain.StatusDeferred, Resume, domain.StatusClosed); err == nil {
		t.Error("resume into closed was allowed")
	}
}

func TestAllowedAndReasons(t *testing.T) {
	got := Allowed(domain.StatusHandled)
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
