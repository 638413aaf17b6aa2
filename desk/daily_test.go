package desk_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/server"
)

// call registers a 12345 call at the desk: at once in the local copy.
func call(t *testing.T, d interface {
	Do(context.Context, string, command.CaseArgs, int64) (domain.Command, error)
}, lon, lat float64, phone string) string {
	t.Helper()
	id := uuid.NewString()
	if _, err := d.Do(context.Background(), command.CaseRegister, command.CaseArgs{CaseID: id, New: &command.NewCase{
		Title: "小区门口垃圾堆积", Category: "garbage", Lon: lon, Lat: lat, Address: "峙山路18号",
		Order:  &domain.WorkOrder{No: "GD-" + id[:8], Channel: "电话", AppealType: domain.AppealComplaint},
		Caller: &domain.Caller{Name: "张小梅", Phone: phone}}}, 0); err != nil {
		t.Fatal(err)
	}
	return id
}

// A repeat call is found beside the case it repeats, merged into it on the
// desk at once and on the server when pushed, its caller then counted with
// that case; unmerged, both go back. Another role's desk reads the callers
// masked.
func TestMergeAndUnmergeThroughTheServer(t *testing.T) {
	ts := newTownServer(t, server.SeedTown)
	ctx := context.Background()
	d := startDesk(t, ts.ts.URL, "duty1", nil)
	first := call(t, d, 120.2501, 30.0601, "13800000001")
	again := call(t, d, 120.25012, 30.06018, "13800000002") // 20 m away
	repeat := localCase(t, d, again)
	dups, err := d.Duplicates(ctx, repeat)
	if err != nil {
		t.Fatal(err)
	}
	if len(dups) != 1 || dups[0].Case.ID != first || len(dups[0].Callers) != 1 || dups[0].Callers[0].Phone != "13800000001" {
		t.Fatalf("duplicates of the repeat call: %+v", dups)
	}
	if err := d.Merge(ctx, repeat, first, "同一事项"); err != nil {
		t.Fatal(err)
	}
	if got := localCase(t, d, again); got.Status != domain.StatusMerged || got.MergedInto != first {
		t.Fatalf("on the desk at once: %s into %q", got.Status, got.MergedInto)
	}
	more, err := d.CaseMore(ctx, first)
	if err != nil || len(more.Callers) != 2 || more.Callers[1].CaseID != again {
		t.Fatalf("the first case's callers: %+v %v", more.Callers, err)
	}
	waitFor(t, "the outbox to drain", 20*time.Second, func() bool { return d.Status().Pending == 0 })
	if sc, _ := ts.st.Case(ctx, again); sc.Status != domain.StatusMerged || sc.MergedInto != first {
		t.Fatalf("on the server: %s into %q", sc.Status, sc.MergedInto)
	}
	// an auditor's desk: the merge is there, the phones are masked
	if err := ts.srv.SetPassword(ctx, "auditor", deskPW); err != nil {
		t.Fatal(err)
	}
	aud := startDesk(t, ts.ts.URL, "auditor", nil)
	waitFor(t, "the auditor's copy", 20*time.Second, func() bool {
		c, err := aud.Case(ctx, again)
		return err == nil && c.Status == domain.StatusMerged
	})
	am, err := aud.CaseMore(ctx, first)
	if err != nil || len(am.Callers) != 2 || am.Callers[0].Phone != "138****0001" || am.Callers[1].Phone != "138****0002" {
		t.Fatalf("the auditor reads callers %+v %v", am.Callers, err)
	}
	if raw, _ := aud.Case(ctx, first); raw.Callers[0].Phone != "138****0001" {
		t.Fatalf("the auditor's copy holds %q", raw.Callers[0].Phone)
	}
	// unmerge: back to registered, on both sides; the first case loses the caller
	if err := d.Unmerge(ctx, localCase(t, d, again), "并非同一事项"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the unmerge on the server", 20*time.Second, func() bool {
		sc, _ := ts.st.Case(ctx, again)
		return sc.Status == domain.StatusRegistered && sc.MergedInto == ""
	})
	if more, _ := d.CaseMore(ctx, first); len(more.Callers) != 1 {
		t.Errorf("after the unmerge the first case has %d callers", len(more.Callers))
	}
	// never into itself, never into a closed case: refused on the desk already
	if err := d.Merge(ctx, localCase(t, d, again), again, ""); err == nil {
		t.Error("a case merged into itself")
	}
}

// An urge reaches the unit's desk; a dissatisfied callback reopens the
// case as rework, on the desk and on the server.
func TestUrgeAndCallbackThroughTheServer(t *testing.T) {
	ts := newTownServer(t, server.SeedTown)
	ctx := context.Background()
	if err := ts.srv.SetPassword(ctx, "member-law", deskPW); err != nil {
		t.Fatal(err)
	}
	d := startDesk(t, ts.ts.URL, "duty1", nil)
	unit := startDesk(t, ts.ts.URL, "member-law", nil)
	since := time.Now()
	id := call(t, d, 120.2601, 30.0701, "13900000009")
	do(t, d, command.CaseDispatch, command.CaseArgs{CaseID: id, UnitID: "D-LAW"})
	if err := d.Urge(ctx, localCase(t, d, id), "请尽快到场"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the urge on the unit's desk", 30*time.Second, func() bool {
		ns, err := unit.UrgesFor(ctx, since)
		return err == nil && len(ns) == 1 && ns[0].Urge.Note == "请尽快到场" && ns[0].Case.ID == id
	})
	for _, s := range []struct {
		typ  string
		args command.CaseArgs
	}{{command.CaseAccept, command.CaseArgs{}}, {command.CaseArrive, command.CaseArgs{}}, {command.CaseHandle, command.CaseArgs{Note: "已清运"}},
		{command.CaseClose, command.CaseArgs{Note: "核查通过"}}} {
		s.args.CaseID = id
		do(t, d, s.typ, s.args)
	}
	tasks, err := d.Callbacks(ctx)
	found := false
	for _, k := range tasks {
		found = found || (k.Row.ID == id && len(k.Callers) == 1 && k.Callers[0].Phone == "13900000009")
	}
	if err != nil || !found {
		t.Fatalf("the callback list lacks the case: %v", err)
	}
	if err := d.Callback(ctx, localCase(t, d, id), true, domain.Dissatisfied, true, "垃圾又堆起来了"); err != nil {
		t.Fatal(err)
	}
	if c := localCase(t, d, id); c.Status != domain.StatusDispatched || c.Satisfaction != domain.Dissatisfied {
		t.Fatalf("reopened on the desk: %s %s", c.Status, c.Satisfaction)
	}
	waitFor(t, "the reopen on the server", 20*time.Second, func() bool {
		sc, _ := ts.st.Case(ctx, id)
		return sc.Status == domain.StatusDispatched && sc.Satisfaction == domain.Dissatisfied
	})
}
