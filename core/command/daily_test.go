package command_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/domain/workflow"
	"griddesk/store"
)

var duty = command.Actor{ID: "U-DUTY1", Role: domain.RoleDutyOfficer}

// as runs a command as the duty officer and returns the refusal, if any.
func as(t *testing.T, st *store.Store, typ string, args command.CaseArgs, at time.Time) error {
	t.Helper()
	c, err := command.New(typ, args, 0, at)
	if err != nil {
		t.Fatal(err)
	}
	return st.Update(context.Background(), func(tx *store.Tx) error {
		_, err := command.Execute(tx, c, duty, command.Options{CheckVersion: true})
		return err
	})
}

func must(t *testing.T, st *store.Store, typ string, args command.CaseArgs, at time.Time) {
	t.Helper()
	if err := as(t, st, typ, args, at); err != nil {
		t.Fatalf("%s %s: %v", typ, args.CaseID, err)
	}
}

// hotlineCase registers a 12345 call with a caller and walks it to state.
func hotlineCase(t *testing.T, st *store.Store, phone string, state domain.CaseStatus, at time.Time) string {
	t.Helper()
	id := uuid.NewString()
	must(t, st, command.CaseRegister, command.CaseArgs{CaseID: id, New: &command.NewCase{Title: "垃圾堆积", Category: "garbage",
		Lon: 120.25, Lat: 30.06, Address: "峙山路18号", Order: &domain.WorkOrder{No: "GD-" + id[:8], AppealType: domain.AppealComplaint},
		Caller: &domain.Caller{Name: "张小梅", Phone: phone}}}, at)
	steps := []struct {
		typ  string
		args command.CaseArgs
		to   domain.CaseStatus
	}{
		{command.CaseDispatch, command.CaseArgs{UnitID: "D-LAW"}, domain.StatusDispatched},
		{command.CaseAccept, command.CaseArgs{}, domain.StatusAccepted},
		{command.CaseArrive, command.CaseArgs{}, domain.StatusOnSite},
		{command.CaseHandle, command.CaseArgs{Note: "已清运"}, domain.StatusHandled},
		{command.CaseClose, command.CaseArgs{Note: "核查通过"}, domain.StatusClosed},
	}
	for i, s := range steps {
		if state == domain.StatusRegistered {
			break
		}
		s.args.CaseID = id
		must(t, st, s.typ, s.args, at.Add(time.Duration(i+1)*time.Minute))
		if s.to == state {
			break
		}
	}
	return id
}

func status(t *testing.T, st *store.Store, id string) domain.Case {
	t.Helper()
	c, err := st.Case(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func refusedWith(err error, status int) bool {
	var ce *command.Error
	return errors.As(err, &ce) && ce.Status == status
}

// Urges and 督办 go to a case a unit is working; the urge leaves the case
// as it was (no version change: the unit's next step is never stale) and
// names the unit urged.
func TestUrgeAndSupervise(t *testing.T) {
	st := seeded(t)
	reg := hotlineCase(t, st, "13812345678", domain.StatusRegistered, t0)
	work := hotlineCase(t, st, "13812345679", domain.StatusAccepted, t0)
	closed := hotlineCase(t, st, "13812345670", domain.StatusClosed, t0)
	before := status(t, st, work)
	cases := []struct {
		name   string
		typ    string
		args   command.CaseArgs
		status int // 0: applied
	}{
		{"urge a working case", command.CaseUrge, command.CaseArgs{CaseID: work, Note: "请尽快到场"}, 0},
		{"urge without a message", command.CaseUrge, command.CaseArgs{CaseID: work}, 422},
		{"urge a case no unit has", command.CaseUrge, command.CaseArgs{CaseID: reg, Note: "请尽快"}, 409},
		{"urge a closed case", command.CaseUrge, command.CaseArgs{CaseID: closed, Note: "请尽快"}, 409},
		{"urge a case that does not exist", command.CaseUrge, command.CaseArgs{CaseID: uuid.NewString(), Note: "请尽快"}, 404},
		{"supervise without a leader", command.CaseSupervise, command.CaseArgs{CaseID: work, Note: "限期办结", Due: t0.Add(48 * time.Hour)}, 422},
		{"supervise without a deadline", command.CaseSupervise, command.CaseArgs{CaseID: work, Note: "限期办结", Leader: "分管副镇长"}, 422},
		{"supervise with a past deadline", command.CaseSupervise, command.CaseArgs{CaseID: work, Note: "限期办结", Leader: "分管副镇长", Due: t0}, 422},
		{"supervise", command.CaseSupervise, command.CaseArgs{CaseID: work, Note: "限期办结", Leader: "分管副镇长", Due: t0.Add(48 * time.Hour)}, 0},
		{"leader on an urge", command.CaseUrge, command.CaseArgs{CaseID: work, Note: "请尽快", Leader: "x"}, 422},
	}
	at := t0.Add(time.Hour)
	for _, c := range cases {
		at = at.Add(time.Minute)
		err := as(t, st, c.typ, c.args, at)
		switch {
		case c.status == 0 && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.status != 0 && !refusedWith(err, c.status):
			t.Errorf("%s: %v, want %d", c.name, err, c.status)
		}
	}
	after := status(t, st, work)
	if after.Status != before.Status || after.Supervision == nil || after.Supervision.Leader != "分管副镇长" || after.Version != before.Version+1 {
		t.Fatalf("after an urge and 督办: %s v%d %+v (was v%d)", after.Status, after.Version, after.Supervision, before.Version)
	}
	tl, _ := st.Timeline(context.Background(), work)
	var urges int
	for _, a := range tl {
		if a.Action == workflow.Urge {
			urges++
			if a.Detail == nil || a.Detail.UnitID != "D-LAW" || a.Note != "请尽快到场" || a.Actor != duty.ID {
				t.Errorf("urge recorded as %+v %+v", a, a.Detail)
			}
		}
	}
	if urges != 1 {
		t.Errorf("%d urges on the timeline", urges)
	}
}

// A repeat report merges into an open case, never into itself, a closed
// case or a merged one; its callers join the case it repeats (read through
// merged_into), its tasks are cancelled; when that case closes every merged
// caller is told; an unmerge puts it back where it stood.
func TestMergeAndUnmerge(t *testing.T) {
	st := seeded(t)
	ctx := context.Background()
	open := hotlineCase(t, st, "13800000001", domain.StatusAccepted, t0)
	repeat := hotlineCase(t, st, "13800000002", domain.StatusDispatched, t0.Add(time.Hour))
	fresh := hotlineCase(t, st, "13800000003", domain.StatusRegistered, t0.Add(2*time.Hour))
	closed := hotlineCase(t, st, "13800000004", domain.StatusClosed, t0)
	cases := []struct {
		name   string
		args   command.CaseArgs
		status int
	}{
		{"into itself", command.CaseArgs{CaseID: repeat, Into: repeat}, 422},
		{"into a closed case", command.CaseArgs{CaseID: repeat, Into: closed}, 409},
		{"a closed case", command.CaseArgs{CaseID: closed, Into: open}, 409},
		{"into a case that does not exist", command.CaseArgs{CaseID: repeat, Into: uuid.NewString()}, 404},
		{"without into", command.CaseArgs{CaseID: repeat}, 422},
		{"a dispatched repeat", command.CaseArgs{CaseID: repeat, Into: open, Note: "同一地点同一问题"}, 0},
		{"again", command.CaseArgs{CaseID: repeat, Into: open}, 409},
		{"into a merged case", command.CaseArgs{CaseID: fresh, Into: repeat}, 409},
		{"a registered repeat", command.CaseArgs{CaseID: fresh, Into: open}, 0},
	}
	at := t0.Add(3 * time.Hour)
	for _, c := range cases {
		at = at.Add(time.Minute)
		err := as(t, st, command.CaseMerge, c.args, at)
		switch {
		case c.status == 0 && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.status != 0 && !refusedWith(err, c.status):
			t.Errorf("%s: %v, want %d", c.name, err, c.status)
		}
	}
	if r := status(t, st, repeat); r.Status != domain.StatusMerged || r.MergedInto != open {
		t.Fatalf("the repeat: %s into %q", r.Status, r.MergedInto)
	}
	merged, _ := st.MergedInto(ctx, open)
	if len(merged) != 2 {
		t.Fatalf("%d cases merged into the open one", len(merged))
	}
	tasks, _ := st.TasksOf(ctx, repeat)
	for _, k := range tasks {
		if k.Status != domain.TaskCancelled {
			t.Errorf("the repeat's task %s is %s", k.ID, k.Status)
		}
	}
	// unmerge: the dispatched one goes back to registered, the registered one stays
	must(t, st, command.CaseUnmerge, command.CaseArgs{CaseID: fresh, Note: "并非同一事项"}, at.Add(time.Minute))
	if err := as(t, st, command.CaseUnmerge, command.CaseArgs{CaseID: fresh, Note: "再次"}, at.Add(2*time.Minute)); !refusedWith(err, 409) {
		t.Errorf("unmerging an unmerged case: %v", err)
	}
	if err := as(t, st, command.CaseUnmerge, command.CaseArgs{CaseID: repeat}, at.Add(2*time.Minute)); !refusedWith(err, 422) {
		t.Errorf("unmerge without a reason: %v", err)
	}
	if f := status(t, st, fresh); f.Status != domain.StatusRegistered || f.MergedInto != "" {
		t.Errorf("unmerged: %s into %q", f.Status, f.MergedInto)
	}
	// the open case closes: the merged report's caller is told
	for i, s := range []struct {
		typ  string
		args command.CaseArgs
	}{{command.CaseArrive, command.CaseArgs{}}, {command.CaseHandle, command.CaseArgs{}}, {command.CaseClose, command.CaseArgs{Note: "已清运"}}} {
		s.args.CaseID = open
		must(t, st, s.typ, s.args, at.Add(time.Duration(10+i)*time.Minute))
	}
	tl, _ := st.Timeline(ctx, repeat)
	last := tl[len(tl)-1]
	if last.Action != workflow.MergedClosed || last.ToStatus != domain.StatusMerged || last.Note == "" {
		t.Errorf("the merged report's last step: %+v", last)
	}
	into, _ := st.Timeline(ctx, open)
	var ins, outs int
	for _, a := range into {
		switch a.Action {
		case workflow.MergeIn:
			ins++
		case workflow.MergeOut:
			outs++
		}
	}
	if ins != 2 || outs != 1 {
		t.Errorf("the open case's timeline: %d merged in, %d out", ins, outs)
	}
	// a merged report whose case closed can still be unmerged
	must(t, st, command.CaseUnmerge, command.CaseArgs{CaseID: repeat, Note: "误并"}, at.Add(time.Hour))
	if r := status(t, st, repeat); r.Status != domain.StatusRegistered {
		t.Errorf("unmerged after the close: %s", r.Status)
	}
}

// The callback after closing: reached, the verdict is the case's
// satisfaction (evaluated); not reached, it stays closed for another call;
// dissatisfied, it may go back to its unit as rework.
func TestCallback(t *testing.T) {
	st := seeded(t)
	yes, no := true, false
	a := hotlineCase(t, st, "13800000011", domain.StatusClosed, t0)
	b := hotlineCase(t, st, "13800000012", domain.StatusClosed, t0)
	c := hotlineCase(t, st, "13800000013", domain.StatusClosed, t0)
	d := hotlineCase(t, st, "13800000014", domain.StatusAccepted, t0)
	at := t0.Add(24 * time.Hour)
	cases := []struct {
		name   string
		args   command.CaseArgs
		status int
		want   domain.CaseStatus
	}{
		{"reached without a verdict", command.CaseArgs{CaseID: a, Reached: &yes}, 422, domain.StatusClosed},
		{"no reached", command.CaseArgs{CaseID: a, Satisfaction: domain.Satisfied}, 422, domain.StatusClosed},
		{"not reached with a verdict", command.CaseArgs{CaseID: a, Reached: &no, Satisfaction: domain.Satisfied}, 422, domain.StatusClosed},
		{"not reached", command.CaseArgs{CaseID: a, Reached: &no, Note: "无人接听"}, 0, domain.StatusClosed},
		{"reached, basically satisfied", command.CaseArgs{CaseID: a, Reached: &yes, Satisfaction: domain.BasicallySatisfied}, 0, domain.StatusEvaluated},
		{"called again", command.CaseArgs{CaseID: a, Reached: &yes, Satisfaction: domain.Satisfied}, 409, domain.StatusEvaluated},
		{"reopen a satisfied caller's", command.CaseArgs{CaseID: b, Reached: &yes, Satisfaction: domain.Satisfied, Reopen: true, Note: "重办"}, 422, domain.StatusClosed},
		{"reopen without a reason", command.CaseArgs{CaseID: b, Reached: &yes, Satisfaction: domain.Dissatisfied, Reopen: true}, 422, domain.StatusClosed},
		{"dissatisfied, reopened", command.CaseArgs{CaseID: b, Reached: &yes, Satisfaction: domain.Dissatisfied, Reopen: true, Note: "垃圾又堆起来了"}, 0, domain.StatusDispatched},
		{"dissatisfied, kept", command.CaseArgs{CaseID: c, Reached: &yes, Satisfaction: domain.Dissatisfied}, 0, domain.StatusEvaluated},
		{"an open case", command.CaseArgs{CaseID: d, Reached: &yes, Satisfaction: domain.Satisfied}, 409, domain.StatusAccepted},
	}
	for _, k := range cases {
		at = at.Add(time.Minute)
		err := as(t, st, command.CaseCallback, k.args, at)
		switch {
		case k.status == 0 && err != nil:
			t.Errorf("%s: %v", k.name, err)
		case k.status != 0 && !refusedWith(err, k.status):
			t.Errorf("%s: %v, want %d", k.name, err, k.status)
		}
		if got := status(t, st, k.args.CaseID).Status; got != k.want {
			t.Errorf("%s: %s, want %s", k.name, got, k.want)
		}
	}
	if got := status(t, st, a).Satisfaction; got != domain.BasicallySatisfied {
		t.Errorf("a's satisfaction %q", got)
	}
	rb := status(t, st, b)
	if rb.Satisfaction != domain.Dissatisfied || !rb.ClosedAt.IsZero() || rb.UnitID != "D-LAW" {
		t.Errorf("reopened: %+v", rb)
	}
	tasks, _ := st.TasksOf(context.Background(), b)
	if len(tasks) == 0 || tasks[len(tasks)-1].Status != domain.TaskOpen {
		t.Errorf("reopened without an open task: %+v", tasks)
	}
	// the reopened case is worked and closed again, then called back
	for i, s := range []string{command.CaseAccept, command.CaseArrive, command.CaseHandle, command.CaseClose} {
		must(t, st, s, command.CaseArgs{CaseID: b}, at.Add(time.Duration(i+1)*time.Hour))
	}
	must(t, st, command.CaseCallback, command.CaseArgs{CaseID: b, Reached: &yes, Satisfaction: domain.Satisfied}, at.Add(5*time.Hour))
	if rb := status(t, st, b); rb.Status != domain.StatusEvaluated || rb.Satisfaction != domain.Satisfied {
		t.Errorf("after the rework: %s %s", rb.Status, rb.Satisfaction)
	}
}

// A caller's phone is checked; a refusal never repeats it whole.
func TestIntakeFields(t *testing.T) {
	st := seeded(t)
	for _, c := range []struct {
		field string
		n     command.NewCase
	}{
		{"args.new.caller.phone", command.NewCase{Caller: &domain.Caller{Phone: "13812345678abc"}}},
		{"args.new.order.no", command.NewCase{Order: &domain.WorkOrder{Channel: "电话"}}},
		{"args.new.order.appeal_type", command.NewCase{Order: &domain.WorkOrder{No: "GD1", AppealType: "rant"}}},
		{"args.new.order.reply_due", command.NewCase{Order: &domain.WorkOrder{No: "GD1", ReplyDue: t0.AddDate(2, 0, 0)}}},
		{"args.new.caller", command.NewCase{Caller: &domain.Caller{Phone: "13812345678", CaseID: "x"}}},
	} {
		n := c.n
		n.Title, n.Category, n.Lon, n.Lat = "t", "garbage", 120.25, 30.06
		err := as(t, st, command.CaseRegister, command.CaseArgs{CaseID: uuid.NewString(), New: &n}, t0)
		var ce *command.Error
		if !errors.As(err, &ce) || ce.Field != c.field {
			t.Errorf("%s: %v", c.field, err)
			continue
		}
		if c.field == "args.new.caller.phone" && (strings.Contains(ce.Detail, "13812345678") || !strings.Contains(ce.Detail, "138*")) {
			t.Errorf("the refusal shows the phone: %s", ce.Detail)
		}
	}
}
