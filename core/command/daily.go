package command

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"griddesk/domain"
	"griddesk/domain/workflow"
	"griddesk/store"
)

// The command centre's daily work around the closed loop (issue 17): urging
// a unit 催办, a leader's oversight 督办, merging a repeat report into the
// open case it repeats 重复件 and undoing that, and the call back to the
// caller 回访.
const (
	CaseUrge      = "case.urge"      // case_id, note: the message to the unit
	CaseSupervise = "case.supervise" // case_id, leader, due, note
	CaseMerge     = "case.merge"     // case_id (the repeat report), into (the open case), note
	CaseUnmerge   = "case.unmerge"   // case_id (the merged report), note: why
	CaseCallback  = "case.callback"  // case_id, reached, satisfaction, reopen, note
)

// maxSupervise is how far ahead a leader's new deadline may lie.
const maxSupervise = 366 * 24 * time.Hour

// checkDailyFields refuses the daily-work arguments on the commands that
// do not take them, and checks them on those that do.
func checkDailyFields(typ string, a CaseArgs) error {
	switch {
	case a.Into != "" && typ != CaseMerge:
		return invalid("args.into", "only case.merge takes into")
	case (a.Reached != nil || a.Reopen) && typ != CaseCallback:
		return invalid("args.reached", "only case.callback takes reached and reopen")
	case (a.Leader != "" || !a.Due.IsZero()) && typ != CaseSupervise:
		return invalid("args.leader", "only case.supervise takes leader and due")
	case a.Satisfaction != "" && typ != CaseEvaluate && typ != CaseCallback:
		return invalid("args.satisfaction", "only case.evaluate and case.callback take satisfaction")
	}
	switch typ {
	case CaseMerge:
		if err := checkID("args.into", a.Into, false); err != nil {
			return err
		}
		if a.Into == a.CaseID {
			return invalid("args.into", "a case cannot be merged into itself").keyed("merge_self", nil)
		}
	case CaseSupervise:
		if err := checkText("args.leader", a.Leader, domain.MaxName); err != nil {
			return err
		}
		if !domain.IsReason(a.Leader) {
			return invalid("args.leader", "name the leader who oversees the case (a person or a role)").keyed("leader", nil)
		}
		if a.Due.IsZero() {
			return invalid("args.due", "a supervised case needs its new deadline").keyed("due", nil)
		}
	case CaseCallback:
		switch {
		case a.Reached == nil:
			return invalid("args.reached", "say whether the caller was reached")
		case *a.Reached && !a.Satisfaction.Valid():
			return invalid("args.satisfaction", "satisfaction %q is not satisfied, basically or dissatisfied", a.Satisfaction).
				keyed("satisfaction", map[string]string{"value": string(a.Satisfaction)})
		case !*a.Reached && (a.Satisfaction != "" || a.Reopen):
			return invalid("args.satisfaction", "a caller not reached gives no verdict")
		case a.Reopen && a.Satisfaction != domain.Dissatisfied:
			return invalid("args.reopen", "only a dissatisfied caller's case is reopened")
		case a.Reopen && !domain.IsReason(a.Note):
			return invalid("args.note", "a reason of at least two characters is required to reopen a case").
				keyed("reason", map[string]string{"action": workflow.Reopen})
		}
	}
	return nil
}

// daily makes the spec of a daily-work command: CaseArgs decoded as every
// case command's, then its own step.
func daily(typ, action string, exec func(*store.Tx, domain.Command, CaseArgs, Actor, Options) ([]domain.Ref, error)) *Spec {
	return def(typ, duty, action, func(c domain.Command) (CaseArgs, error) { return decodeCase(c, action) }, exec)
}

// loadCase reads the case an argument names (404 naming the field).
func loadCase(tx *store.Tx, field, id string) (domain.Case, error) {
	cs, err := tx.Case(id)
	if errors.Is(err, store.ErrNotFound) {
		return cs, &Error{Status: 404, Kind: "not-found", Field: field, Detail: fmt.Sprintf("case %s does not exist", id)}
	}
	return cs, err
}

// workingUnit is the unit working a case: its open task's, else the case's.
func workingUnit(tx *store.Tx, cs domain.Case) (string, error) {
	tasks, err := tx.OpenTasks(cs.ID)
	if err != nil {
		return "", err
	}
	if len(tasks) > 0 {
		return tasks[0].UnitID, nil
	}
	return cs.UnitID, nil
}

// urge records a message to the unit working a case 催办: on the case's
// timeline (the unit's desks show it), counted in the unit's month. The
// case itself does not change, so an urge never makes the unit's next step
// stale.
func urge(tx *store.Tx, c domain.Command, a CaseArgs, by Actor, _ Options) ([]domain.Ref, error) {
	cs, err := loadCase(tx, "args.case_id", a.CaseID)
	if err != nil {
		return nil, err
	}
	if _, err := workflow.Next(cs.Status, workflow.Urge, ""); err != nil {
		return nil, conflict("case %s is %s: only a case a unit is working can be urged", caseLabel(cs), cs.Status).
			keyed("not_urgeable", map[string]string{"case": caseLabel(cs), "status": string(cs.Status)})
	}
	unit, err := workingUnit(tx, cs)
	if err != nil {
		return nil, err
	}
	act := domain.Action{ID: c.ID, CaseID: cs.ID, Action: workflow.Urge, FromStatus: cs.Status, ToStatus: cs.Status, Actor: by.ID,
		At: c.IssuedAt, Note: strings.TrimSpace(a.Note), UpdatedAt: c.IssuedAt, Detail: &domain.ActionDetail{UnitID: unit}}
	if err := tx.PutAction(&act); err != nil {
		return nil, err
	}
	return []domain.Ref{{Kind: domain.KindCaseAction, ID: act.ID}}, nil
}

// supervise puts a late case under a leader's oversight 督办 with a new
// deadline.
func supervise(tx *store.Tx, c domain.Command, a CaseArgs, by Actor, opts Options) ([]domain.Ref, error) {
	cs, err := loadCase(tx, "args.case_id", a.CaseID)
	if err != nil {
		return nil, err
	}
	if _, err := workflow.Next(cs.Status, workflow.Supervise, ""); err != nil {
		return nil, conflict("case %s is %s: only a case a unit is working can be supervised", caseLabel(cs), cs.Status).
			keyed("not_urgeable", map[string]string{"case": caseLabel(cs), "status": string(cs.Status)})
	}
	if !a.Due.After(c.IssuedAt) || a.Due.After(c.IssuedAt.Add(maxSupervise)) {
		return nil, invalid("args.due", "the new deadline %s is not after now and within a year", a.Due.In(shanghai).Format("2006-01-02 15:04")).keyed("due", nil)
	}
	if opts.CheckVersion && c.BaseVersion != 0 && c.BaseVersion != cs.Version {
		return nil, conflict("%s", staleMessage(tx, cs, workflow.Supervise, opts))
	}
	unit, err := workingUnit(tx, cs)
	if err != nil {
		return nil, err
	}
	at := c.IssuedAt
	cs.Supervision = &domain.Supervision{Leader: strings.TrimSpace(a.Leader), Due: a.Due, At: at, By: by.ID, Note: strings.TrimSpace(a.Note)}
	cs.Version++
	cs.UpdatedAt = at
	if err := tx.PutCase(&cs); err != nil {
		return nil, err
	}
	act := domain.Action{ID: c.ID, CaseID: cs.ID, Action: workflow.Supervise, FromStatus: cs.Status, ToStatus: cs.Status, Actor: by.ID,
		At: at, Note: strings.TrimSpace(a.Note), UpdatedAt: at, Detail: &domain.ActionDetail{UnitID: unit, Leader: cs.Supervision.Leader, Due: a.Due}}
	if err := tx.PutAction(&act); err != nil {
		return nil, err
	}
	return []domain.Ref{{Kind: domain.KindCase, ID: cs.ID}, {Kind: domain.KindCaseAction, ID: act.ID}}, nil
}

// merge closes a repeat report as merged into the open case it repeats: its
// tasks are cancelled, its callers and photos count with that case (read
// through domain.Case.MergedInto, so an unmerge takes them back), and both
// timelines say so.
func merge(tx *store.Tx, c domain.Command, a CaseArgs, by Actor, _ Options) ([]domain.Ref, error) {
	cs, err := loadCase(tx, "args.case_id", a.CaseID)
	if err != nil {
		return nil, err
	}
	into, err := loadCase(tx, "args.into", a.Into)
	if err != nil {
		return nil, err
	}
	if _, err := workflow.Next(cs.Status, workflow.Merge, ""); err != nil {
		return nil, conflict("case %s is %s: only an open case can be merged into another", caseLabel(cs), cs.Status).
			keyed("not_mergeable", map[string]string{"case": caseLabel(cs), "status": string(cs.Status)})
	}
	if !workflow.CanTakeMerge(into.Status) {
		return nil, conflict("case %s is %s: a report can only be merged into an open case", caseLabel(into), into.Status).
			keyed("merge_closed", map[string]string{"case": caseLabel(into), "status": string(into.Status)})
	}
	at := c.IssuedAt
	refs, err := setTasks(tx, cs.ID, domain.TaskCancelled, at)
	if err != nil {
		return nil, err
	}
	from := cs.Status
	cs.Status, cs.MergedInto = domain.StatusMerged, into.ID
	cs.Version++
	cs.UpdatedAt = at
	if err := tx.PutCase(&cs); err != nil {
		return nil, err
	}
	note := strings.TrimSpace(a.Note)
	act := domain.Action{ID: c.ID, CaseID: cs.ID, Action: workflow.Merge, FromStatus: from, ToStatus: domain.StatusMerged, Actor: by.ID,
		At: at, Note: note, UpdatedAt: at, Detail: &domain.ActionDetail{Into: into.ID}}
	in := domain.Action{ID: c.ID + "/in", CaseID: into.ID, Action: workflow.MergeIn, FromStatus: into.Status, ToStatus: into.Status,
		Actor: by.ID, At: at, Note: note, UpdatedAt: at, Detail: &domain.ActionDetail{Into: cs.ID}}
	for _, x := range []*domain.Action{&act, &in} {
		if err := tx.PutAction(x); err != nil {
			return nil, err
		}
	}
	return append(refs, domain.Ref{Kind: domain.KindCase, ID: cs.ID}, domain.Ref{Kind: domain.KindCaseAction, ID: act.ID},
		domain.Ref{Kind: domain.KindCaseAction, ID: in.ID}), nil
}

// unmerge undoes a wrong merge: the report is a case of its own again,
// back where it stood (registered, if it had been dispatched: its tasks were
// cancelled), and takes its callers and photos with it.
func unmerge(tx *store.Tx, c domain.Command, a CaseArgs, by Actor, _ Options) ([]domain.Ref, error) {
	cs, err := loadCase(tx, "args.case_id", a.CaseID)
	if err != nil {
		return nil, err
	}
	if cs.Status != domain.StatusMerged {
		return nil, conflict("case %s is %s, not merged", caseLabel(cs), cs.Status).
			keyed("not_merged", map[string]string{"case": caseLabel(cs), "status": string(cs.Status)})
	}
	var mergedFrom domain.CaseStatus
	if m, err := tx.LastAction(cs.ID, workflow.Merge); err == nil {
		mergedFrom = m.FromStatus
	}
	to, err := workflow.Next(cs.Status, workflow.Unmerge, mergedFrom)
	if err != nil {
		return nil, conflict("case %s cannot be unmerged: %v", caseLabel(cs), err)
	}
	at := c.IssuedAt
	target := cs.MergedInto
	cs.Status, cs.MergedInto = to, ""
	cs.Version++
	cs.UpdatedAt = at
	if err := tx.PutCase(&cs); err != nil {
		return nil, err
	}
	note := strings.TrimSpace(a.Note)
	act := domain.Action{ID: c.ID, CaseID: cs.ID, Action: workflow.Unmerge, FromStatus: domain.StatusMerged, ToStatus: to, Actor: by.ID,
		At: at, Note: note, UpdatedAt: at, Detail: &domain.ActionDetail{Into: target}}
	if err := tx.PutAction(&act); err != nil {
		return nil, err
	}
	refs := []domain.Ref{{Kind: domain.KindCase, ID: cs.ID}, {Kind: domain.KindCaseAction, ID: act.ID}}
	if into, err := tx.Case(target); err == nil {
		out := domain.Action{ID: c.ID + "/out", CaseID: into.ID, Action: workflow.MergeOut, FromStatus: into.Status, ToStatus: into.Status,
			Actor: by.ID, At: at, Note: note, UpdatedAt: at, Detail: &domain.ActionDetail{Into: cs.ID}}
		if err := tx.PutAction(&out); err != nil {
			return nil, err
		}
		refs = append(refs, domain.Ref{Kind: domain.KindCaseAction, ID: out.ID})
	}
	return refs, nil
}

// tellMerged tells the callers of the reports merged into a case that it
// closed: a merged_closed step on each report's timeline (which the hotline
// export sends back as its answer).
func tellMerged(tx *store.Tx, c domain.Command, cs domain.Case, note string) ([]domain.Ref, error) {
	merged, err := tx.MergedInto(cs.ID)
	if err != nil {
		return nil, err
	}
	var refs []domain.Ref
	for i, m := range merged {
		text := fmt.Sprintf("并案主件 %s 已办结", caseLabel(cs))
		if n := strings.TrimSpace(note); n != "" {
			text += "：" + n
		}
		act := domain.Action{ID: fmt.Sprintf("%s/m%d", c.ID, i+1), CaseID: m.ID, Action: workflow.MergedClosed, FromStatus: m.Status,
			ToStatus: m.Status, Actor: "", At: c.IssuedAt, Note: text, UpdatedAt: c.IssuedAt, Detail: &domain.ActionDetail{Into: cs.ID}}
		if err := tx.PutAction(&act); err != nil {
			return nil, err
		}
		refs = append(refs, domain.Ref{Kind: domain.KindCaseAction, ID: act.ID})
	}
	return refs, nil
}

// callback records the call back to a closed case's caller 回访. Reached,
// the verdict becomes the case's satisfaction (domain.Case.Satisfaction, the
// one source 满意率 reads; case.evaluate records a verdict given elsewhere
// the same way) and the case is evaluated; not reached, the attempt is on
// the timeline and the case stays closed for another call. A dissatisfied
// caller's case can be reopened: back to the unit that handled it, as
// rework 返工.
func callback(tx *store.Tx, c domain.Command, a CaseArgs, by Actor, opts Options) ([]domain.Ref, error) {
	cs, err := loadCase(tx, "args.case_id", a.CaseID)
	if err != nil {
		return nil, err
	}
	action := workflow.Callback
	switch {
	case !*a.Reached:
		action = workflow.CallbackMissed
	case a.Reopen:
		action = workflow.Reopen
	}
	to, err := workflow.Next(cs.Status, action, "")
	if err != nil {
		return nil, conflict("case %s is %s: only a closed case is called back", caseLabel(cs), cs.Status).
			keyed("not_closed", map[string]string{"case": caseLabel(cs), "status": string(cs.Status)})
	}
	if opts.CheckVersion && c.BaseVersion != 0 && c.BaseVersion != cs.Version {
		return nil, conflict("%s", staleMessage(tx, cs, action, opts))
	}
	at := c.IssuedAt
	refs := []domain.Ref{{Kind: domain.KindCaseAction, ID: c.ID}}
	detail := &domain.ActionDetail{Reached: a.Reached, Satisfaction: a.Satisfaction}
	from := cs.Status
	if action != workflow.CallbackMissed {
		cs.Satisfaction = a.Satisfaction
		if action == workflow.Reopen {
			if cs.UnitID == "" {
				return nil, conflict("case %s has no unit to reopen it with", caseLabel(cs))
			}
			task := domain.Task{ID: c.ID + "/task", CaseID: cs.ID, UnitID: cs.UnitID, Status: domain.TaskOpen, CreatedAt: at, UpdatedAt: at}
			if err := tx.PutTask(&task); err != nil {
				return nil, err
			}
			refs = append(refs, domain.Ref{Kind: domain.KindTask, ID: task.ID})
			detail.UnitID = cs.UnitID
			cs.ClosedAt = time.Time{}
		}
		cs.Status = to
		cs.Version++
		cs.UpdatedAt = at
		if err := tx.PutCase(&cs); err != nil {
			return nil, err
		}
		refs = append(refs, domain.Ref{Kind: domain.KindCase, ID: cs.ID})
	}
	act := domain.Action{ID: c.ID, CaseID: cs.ID, Action: action, FromStatus: from, ToStatus: to, Actor: by.ID, At: at,
		Note: strings.TrimSpace(a.Note), UpdatedAt: at, Detail: detail}
	if err := tx.PutAction(&act); err != nil {
		return nil, err
	}
	return refs, nil
}
