package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/command"
	"griddesk/core/dispatch"
	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/workflow"
)

// satisfactionLabel names the satisfaction levels (translated with lang.L).
var satisfactionLabel = map[domain.Satisfaction]string{
	domain.Satisfied: "Satisfied", domain.BasicallySatisfied: "Basically satisfied", domain.Dissatisfied: "Dissatisfied",
}

var actionLabel = map[string]string{
	workflow.Register: "Register", workflow.Reject: "Reject", workflow.Dispatch: "Dispatch", workflow.Accept: "Accept",
	workflow.Return: "Return", workflow.Arrive: "Arrive on site", workflow.Feedback: "Feedback", workflow.Handle: "Handled",
	workflow.Close: "Verify and close", workflow.VerifyFail: "Verification failed", workflow.Escalate: "Escalate",
	workflow.Defer: "Defer", workflow.Resume: "Resume", workflow.Evaluate: "Evaluate",
}

// caseActions shows the buttons for what can be done with a case now.
type caseActions struct {
	mw  *mainWindow
	box *fyne.Container
	cur *desk.CaseRow
}

func newCaseActions(mw *mainWindow) *caseActions {
	return &caseActions{mw: mw, box: container.NewGridWrap(fyne.NewSize(130, 36))}
}

func (ca *caseActions) show(c *desk.CaseRow) {
	ca.cur = c
	ca.box.Objects = nil
	if c != nil {
		ca.box.Objects = append(ca.box.Objects, widget.NewButton(lang.L("Details (Ctrl+E)"), ca.mw.showDetail))
		if _, review := ca.mw.desk.Snapshot(); review {
			ca.box.Refresh()
			return // a snapshot under review changes nothing
		}
		for _, a := range workflow.Allowed(c.Status) {
			a := a
			ca.box.Objects = append(ca.box.Objects, widget.NewButton(lang.L(actionLabel[a]), func() { ca.ask(*c, a) }))
		}
	}
	ca.box.Refresh()
}

// ask collects what the action needs (unit, reason, rating), then issues it.
// For dispatch and escalation the units and the suggestion are read first,
// off the UI goroutine.
func (ca *caseActions) ask(c desk.CaseRow, action string) {
	if action != workflow.Dispatch && action != workflow.Escalate {
		ca.form(c, action, nil, dispatch.Suggestion{}, nil)
		return
	}
	go func() {
		ctx := context.Background()
		units, err := ca.mw.desk.Units(ctx)
		sugg, serr := ca.mw.desk.Suggest(ctx, c.ID)
		fyne.Do(func() {
			if err != nil {
				dialog.ShowError(err, ca.mw.win)
				return
			}
			ca.form(c, action, units, sugg, serr)
		})
	}()
}

func (ca *caseActions) form(c desk.CaseRow, action string, units []domain.Unit, sugg dispatch.Suggestion, suggErr error) {
	args := command.CaseArgs{CaseID: c.ID}
	var items []*widget.FormItem
	var unit *widget.Select
	var unitIDs []string
	if action == workflow.Dispatch || action == workflow.Escalate {
		var names []string
		for _, u := range units {
			if u.Kind == domain.UnitTeam {
				continue
			}
			names = append(names, u.Name)
			unitIDs = append(unitIDs, u.ID)
		}
		unit = widget.NewSelect(names, nil)
		unit.PlaceHolder = lang.L("Choose…")
		want := c.UnitID
		if suggErr == nil && sugg.UnitID != "" {
			want = sugg.UnitID
			if action == workflow.Escalate && len(sugg.Alternatives) > 0 {
				want = sugg.Alternatives[len(sugg.Alternatives)-1].UnitID
			}
		}
		for i, id := range unitIDs {
			if id == want {
				unit.SetSelectedIndex(i)
			}
		}
		items = append(items, widget.NewFormItem(lang.L("Unit"), unit))
		hint := lang.L("No suggestion: choose the unit.")
		if suggErr == nil {
			hint = lang.L("Suggested") + ": " + sugg.Reason
			if sugg.PolicyReason != "" {
				hint += "\n" + sugg.PolicyReason
			}
			args.Policy = sugg.Policy
		}
		h := widget.NewLabel(hint)
		h.Wrapping = fyne.TextWrapWord
		items = append(items, widget.NewFormItem("", h))
	}
	note := widget.NewMultiLineEntry()
	note.SetMinRowsVisible(3)
	noteLabel := lang.L("Note")
	if workflow.NeedsReason(action) {
		noteLabel = lang.L("Reason (required)")
	}
	items = append(items, widget.NewFormItem(noteLabel, note))
	photos := widget.NewEntry()
	photos.SetPlaceHolder(lang.L("photo links, separated by spaces (from the field app or the photo server)"))
	items = append(items, widget.NewFormItem(lang.L("Photos"), photos))
	var rating *widget.RadioGroup
	if action == workflow.Evaluate {
		var labels []string
		for _, s := range domain.Satisfactions {
			labels = append(labels, lang.L(satisfactionLabel[s]))
		}
		rating = widget.NewRadioGroup(labels, nil)
		rating.SetSelected(labels[0])
		items = append([]*widget.FormItem{widget.NewFormItem(lang.L("Rating"), rating)}, items...)
	}
	title := fmt.Sprintf("%s — %s %s", lang.L(actionLabel[action]), c.No, c.Title)
	d := dialog.NewForm(title, lang.L(actionLabel[action]), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		args.Note = note.Text
		args.Photos = strings.Fields(photos.Text)
		if unit != nil && unit.SelectedIndex() >= 0 {
			args.UnitID = unitIDs[unit.SelectedIndex()]
		}
		switch action {
		case workflow.Close:
			passed := true
			args.Passed = &passed
		case workflow.VerifyFail:
			passed := false
			args.Passed = &passed
		case workflow.Evaluate:
			for _, s := range domain.Satisfactions { // the key, never the label
				if lang.L(satisfactionLabel[s]) == rating.Selected {
					args.Satisfaction = s
				}
			}
		}
		spec, ok := command.ForAction(action)
		if !ok {
			dialog.ShowError(fmt.Errorf("%s: %s", lang.L("Unknown action"), action), ca.mw.win)
			return
		}
		ca.issue(spec.Type, args, c.Version)
	}, ca.mw.win)
	d.Resize(fyne.NewSize(520, 380))
	d.Show()
}

// issue runs the command off the UI goroutine; a refusal is shown at once.
func (ca *caseActions) issue(typ string, args command.CaseArgs, version int64) {
	go func() {
		_, err := ca.mw.desk.Do(context.Background(), typ, args, version)
		if err == nil {
			return
		}
		fyne.Do(func() { dialog.ShowError(errors.New(refusal(err)), ca.mw.win) })
	}()
}

// showButtons offers other actions in the detail panel (an entity's page, a
// grid's documents).
func (ca *caseActions) showButtons(bs ...fyne.CanvasObject) {
	ca.cur = nil
	ca.box.Objects = bs
	ca.box.Refresh()
}
