package command

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/workflow"
	"griddesk/store"
)

// Case command types: each performs one workflow action (DESIGN.md §5).
const (
	CaseRegister = "case.register"
	CaseReject   = "case.reject"
	CaseDispatch = "case.dispatch"
	CaseAccept   = "case.accept"
	CaseReturn   = "case.return"
	CaseArrive   = "case.arrive"
	CaseFeedback = "case.feedback"
	CaseHandle   = "case.handle"
	CaseVerify   = "case.verify"
	CaseClose    = "case.close"
	CaseDefer    = "case.defer"
	CaseResume   = "case.resume"
	CaseEscalate = "case.escalate"
	CaseEvaluate = "case.evaluate"
)

// CaseArgs are the arguments of every case.* command.
type CaseArgs struct {
	CaseID       string              `json:"case_id"`
	Note         string              `json:"note,omitempty"`
	Photos       []string            `json:"photos,omitempty"`
	UnitID       string              `json:"unit_id,omitempty"`      // dispatch, escalate
	Passed       *bool               `json:"passed,omitempty"`       // verify
	Satisfaction domain.Satisfaction `json:"satisfaction,omitempty"` // evaluate
	Policy       string              `json:"policy,omitempty"`       // dispatch: clock policy override
	New          *NewCase            `json:"new,omitempty"`          // register: a case taken from a hotline call

	// The daily work around the loop (daily.go).
	Into    string    `json:"into,omitempty"`    // merge: the open case the report repeats
	Reached *bool     `json:"reached,omitempty"` // callback: the caller answered
	Reopen  bool      `json:"reopen,omitempty"`  // callback: dissatisfied, back to the unit as rework
	Leader  string    `json:"leader,omitempty"`  // supervise: the leader 督办 (a person or a role)
	Due     time.Time `json:"due,omitzero"`      // supervise: the new deadline
}

// NewCase is a case registered at the desk.
type NewCase struct {
	Title       string  `json:"title"`
	Description string  `json:"description,omitempty"`
	Category    string  `json:"category"`
	Source      string  `json:"source,omitempty"`
	Priority    string  `json:"priority,omitempty"`
	Lon         float64 `json:"lon"`
	Lat         float64 `json:"lat"`
	GridID      string  `json:"grid_id,omitempty"`
	EntityID    string  `json:"entity_id,omitempty"`
	// A 12345 call: where in words, the work order and the caller.
	Address string            `json:"address,omitempty"`
	Order   *domain.WorkOrder `json:"order,omitempty"`
	Caller  *domain.Caller    `json:"caller,omitempty"`
}

// decodeCase checks a case command's arguments: everything that can be
// known without reading the case.
func decodeCase(c domain.Command, action string) (CaseArgs, error) {
	var a CaseArgs
	if err := strictDecode(c, &a); err != nil {
		return a, err
	}
	if err := firstError(checkID("args.case_id", a.CaseID, false), checkNote("args.note", a.Note, domain.MaxNote),
		checkID("args.unit_id", a.UnitID, true), checkLen("args.photos", len(a.Photos), maxLinks)); err != nil {
		return a, err
	}
	for i, p := range a.Photos {
		if err := checkText(fmt.Sprintf("args.photos[%d]", i), p, 500); err != nil {
			return a, err
		}
	}
	if err := checkDailyFields(c.Type, a); err != nil {
		return a, err
	}
	if _, ok := clock.PolicyByName(a.Policy); a.Policy != "" && !ok {
		return a, invalid("args.policy", "clock policy %q is not 333, 135 or department", a.Policy)
	}
	if n := a.New; n != nil {
		if c.Type != CaseRegister {
			return a, invalid("args.new", "only case.register takes a new case")
		}
		if err := firstError(checkText("args.new.title", n.Title, domain.MaxTitle), checkNote("args.new.description", n.Description, domain.MaxNote),
			checkID("args.new.grid_id", n.GridID, true), checkID("args.new.entity_id", n.EntityID, true)); err != nil {
			return a, err
		}
		switch {
		case strings.TrimSpace(n.Title) == "":
			return a, invalid("args.new.title", "a title is required").keyed("title", nil)
		case n.Source != "" && !domain.ValidSource(n.Source):
			return a, invalid("args.new.source", "source %q is not one of %s", n.Source, strings.Join(domain.Sources, ", "))
		case n.Priority != "" && !domain.ValidPriority(n.Priority):
			return a, invalid("args.new.priority", "priority %q is not normal or urgent", n.Priority)
		case math.IsNaN(n.Lon) || math.IsNaN(n.Lat) || n.Lon < -180 || n.Lon > 180 || n.Lat < -90 || n.Lat > 90 || (n.Lon == 0 && n.Lat == 0):
			return a, invalid("args.new.lon", "location %v,%v is not a place", n.Lon, n.Lat).keyed("location", nil)
		}
		if err := checkIntake("args.new", n.Address, n.Order, n.Caller, c.IssuedAt); err != nil {
			return a, err
		}
	}
	switch c.Type {
	case CaseVerify:
		if a.Passed == nil {
			return a, invalid("args.passed", "args.passed is required for case.verify")
		}
		if !*a.Passed {
			action = workflow.VerifyFail
		}
	case CaseEvaluate:
		if !a.Satisfaction.Valid() {
			return a, invalid("args.satisfaction", "satisfaction %q is not satisfied, basically or dissatisfied", a.Satisfaction).
				keyed("satisfaction", map[string]string{"value": string(a.Satisfaction)})
		}
	}
	if workflow.NeedsReason(action) && !domain.IsReason(a.Note) {
		return a, invalid("args.note", "a reason of at least two characters is required to %s a case", action).
			keyed("reason", map[string]string{"action": action})
	}
	return a, nil
}

// executeCase performs a case command's workflow action.
func executeCase(tx *store.Tx, c domain.Command, action string, a CaseArgs, by Actor, opts Options) ([]domain.Ref, error) {

	at := c.IssuedAt
	if c.Type == CaseRegister && a.New != nil {
		return register(tx, c, a, by, opts)
	}
	cs, err := tx.Case(a.CaseID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &Error{Status: 404, Kind: "not-found", Field: "args.case_id", Detail: fmt.Sprintf("case %s does not exist", a.CaseID)}
	}
	if err != nil {
		return nil, err
	}
	if opts.scope == OwnUnit {
		unit := cs.UnitID
		if tasks, err := tx.OpenTasks(cs.ID); err != nil {
			return nil, err
		} else if len(tasks) > 0 {
			unit = tasks[0].UnitID
		}
		if err := checkUnit(tx, by, unit, "case "+caseLabel(cs)); err != nil {
			return nil, err
		}
	}
	if c.Type == CaseVerify && !*a.Passed {
		action = workflow.VerifyFail
	}
	var resumeTo domain.CaseStatus
	if action == workflow.Resume {
		if d, err := tx.LastAction(cs.ID, workflow.Defer); err == nil {
			resumeTo = d.FromStatus
		}
	}
	to, err := workflow.Next(cs.Status, action, resumeTo)
	if err != nil {
		return nil, conflict("%s", staleMessage(tx, cs, action, opts))
	}
	if opts.CheckVersion && c.BaseVersion != 0 && c.BaseVersion != cs.Version {
		return nil, conflict("%s", staleMessage(tx, cs, action, opts))
	}
	refs := []domain.Ref{{Kind: domain.KindCase, ID: cs.ID}, {Kind: domain.KindCaseAction, ID: c.ID}}
	switch action {
	case workflow.Dispatch, workflow.Escalate, workflow.VerifyFail:
		unitID := a.UnitID
		if unitID == "" && action == workflow.VerifyFail {
			unitID = cs.UnitID // rework goes back to the unit that handled it
		}
		if unitID == "" {
			return nil, invalid("args.unit_id", "args.unit_id is required to %s", action)
		}
		if _, err := tx.Unit(unitID); err != nil {
			return nil, invalid("args.unit_id", "unit %s does not exist", unitID)
		}
		closed, err := setTasks(tx, cs.ID, domain.TaskCancelled, at)
		if err != nil {
			return nil, err
		}
		refs = append(refs, closed...)
		task := domain.Task{ID: c.ID + "/task", CaseID: cs.ID, UnitID: unitID, Status: domain.TaskOpen, CreatedAt: at, UpdatedAt: at}
		if err := tx.PutTask(&task); err != nil {
			return nil, err
		}
		refs = append(refs, domain.Ref{Kind: domain.KindTask, ID: task.ID})
		cs.UnitID = unitID
		if a.Policy != "" {
			cs.Policy = a.Policy
		}
	case workflow.Accept:
		r, err := setTasks(tx, cs.ID, domain.TaskAccepted, at)
		if err != nil {
			return nil, err
		}
		refs = append(refs, r...)
	case workflow.Return:
		r, err := setTasks(tx, cs.ID, domain.TaskReturned, at)
		if err != nil {
			return nil, err
		}
		refs = append(refs, r...)
	case workflow.Handle:
		r, err := setTasks(tx, cs.ID, domain.TaskDone, at)
		if err != nil {
			return nil, err
		}
		refs = append(refs, r...)
	case workflow.Close:
		cs.ClosedAt = at
		told, err := tellMerged(tx, c, cs, a.Note)
		if err != nil {
			return nil, err
		}
		refs = append(refs, told...)
	case workflow.Evaluate:
		cs.Satisfaction = a.Satisfaction
	}
	from := cs.Status
	cs.Status = to
	cs.Version++
	cs.UpdatedAt = at
	if err := tx.PutCase(&cs); err != nil {
		return nil, err
	}
	act := domain.Action{ID: c.ID, CaseID: cs.ID, Action: action, FromStatus: from, ToStatus: to, Actor: by.ID, At: at, Note: a.Note, Photos: a.Photos, UpdatedAt: at}
	if err := tx.PutAction(&act); err != nil {
		return nil, err
	}
	return refs, nil
}

func setTasks(tx *store.Tx, caseID string, status domain.TaskStatus, at time.Time) ([]domain.Ref, error) {
	tasks, err := tx.OpenTasks(caseID)
	if err != nil {
		return nil, err
	}
	var refs []domain.Ref
	for _, k := range tasks {
		k.Status, k.UpdatedAt = status, at
		if err := tx.PutTask(&k); err != nil {
			return nil, err
		}
		refs = append(refs, domain.Ref{Kind: domain.KindTask, ID: k.ID})
	}
	return refs, nil
}

// register creates a case taken at the desk (a hotline call) in state registered.
func register(tx *store.Tx, c domain.Command, a CaseArgs, by Actor, opts Options) ([]domain.Ref, error) {
	n := a.New
	if n.GridID != "" {
		if _, err := tx.GridParent(n.GridID); err != nil {
			return nil, invalid("args.new.grid_id", "grid %s does not exist", n.GridID)
		}
	}
	if n.EntityID != "" {
		if _, err := tx.Entity(n.EntityID); err != nil {
			return nil, invalid("args.new.entity_id", "entity %s does not exist", n.EntityID)
		}
	}
	cat, ok := domain.CategoryIn(tx.Categories(), n.Category)
	if !ok || cat.Retired {
		return nil, invalid("args.new.category", "category %q is unknown", n.Category)
	}
	if _, err := tx.Case(a.CaseID); err == nil {
		return nil, conflict("case %s already exists", a.CaseID)
	}
	at := c.IssuedAt
	cs := domain.Case{ID: a.CaseID, Title: strings.TrimSpace(n.Title), Description: n.Description, Category: cat.Key, Source: n.Source,
		Priority: n.Priority, Lon: n.Lon, Lat: n.Lat, GridID: n.GridID, EntityID: n.EntityID, Status: domain.StatusRegistered,
		Policy: cat.PolicyFor(n.Priority), Reporter: by.ID, ReportedAt: at, UpdatedAt: at, Version: 1,
		Address: strings.TrimSpace(n.Address), Order: n.Order}
	if n.Caller != nil {
		caller := *n.Caller
		caller.At, caller.CaseID = at, ""
		cs.Callers = []domain.Caller{caller}
	}
	if cs.Source == "" {
		cs.Source = domain.SourceHotline
	}
	if cs.Priority == "" {
		cs.Priority = domain.PriorityNormal
	}
	if cs.GridID == "" && opts.Locate != nil {
		cs.GridID = opts.Locate(n.Lon, n.Lat)
	}
	if num, err := tx.NextCaseNumber(at.In(clock.Location()).Year()); err == nil {
		cs.No = fmt.Sprintf("%d-%04d", at.In(clock.Location()).Year(), num)
	}
	if err := tx.PutCase(&cs); err != nil {
		return nil, err
	}
	act := domain.Action{ID: c.ID, CaseID: cs.ID, Action: workflow.Register, ToStatus: domain.StatusRegistered, Actor: by.ID, At: at, Note: n.Description, UpdatedAt: at}
	if err := tx.PutAction(&act); err != nil {
		return nil, err
	}
	return []domain.Ref{{Kind: domain.KindCase, ID: cs.ID}, {Kind: domain.KindCaseAction, ID: c.ID}}, nil
}

// caseLabel is how messages name a case: its number, else its ID.
func caseLabel(cs domain.Case) string {
	if cs.No != "" {
		return cs.No
	}
	return cs.ID
}

// staleMessage explains why an action no longer fits, e.g. "case 2026-0113
// was already dispatched to 城管中队 by 王伟 at 09:14".
func staleMessage(tx *store.Tx, cs domain.Case, action string, opts Options) string {
	label := cs.No
	if label == "" {
		label = cs.ID
	}
	msg := fmt.Sprintf("case %s is already %s", label, cs.Status)
	if cs.Status == domain.StatusDispatched && cs.UnitID != "" {
		if u, err := tx.Unit(cs.UnitID); err == nil {
			msg = fmt.Sprintf("case %s was already dispatched to %s", label, u.Name)
		}
	}
	for _, last := range []string{workflow.Dispatch, workflow.Escalate, workflow.Accept, workflow.Register, workflow.Handle, workflow.Close} {
		if a, err := tx.LastAction(cs.ID, last); err == nil && a.ToStatus == cs.Status {
			who := a.Actor
			if opts.UserName != nil {
				if n := opts.UserName(a.Actor); n != "" {
					who = n
				}
			}
			msg += fmt.Sprintf(" by %s at %s", who, a.At.In(shanghai).Format("01-02 15:04"))
			break
		}
	}
	return msg + fmt.Sprintf("; cannot %s it", action)
}

var shanghai = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()
