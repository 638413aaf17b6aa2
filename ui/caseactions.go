package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
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

// steps shows the buttons for what can be done with a case now (nil: none).
func (dp *detailPanel) steps(c *desk.CaseRow) {
	dp.cur = c
	dp.box.Objects = nil
	if c != nil {
		dp.box.Objects = append(dp.box.Objects, widget.NewButton(lang.L("Details (Ctrl+E)"), dp.page))
		if _, review := dp.desk.Snapshot(); review {
			dp.box.Refresh()
			return // a snapshot under review changes nothing
		}
		for _, a := range dp.desk.Actions(c.Case) { // what this user may do: the server's table
			dp.box.Objects = append(dp.box.Objects, widget.NewButton(lang.L(actionLabel[a]), func() { dp.ask(*c, a) }))
		}
		dp.box.Objects = append(dp.box.Objects, dp.dailyButtons(c)...) // urge, 督办, merge, callback (daily.go)
	}
	dp.box.Refresh()
}

// ask collects what the action needs (unit, reason, rating), then issues it.
// For dispatch and escalation the units and the suggestion are read first,
// off the UI goroutine.
func (dp *detailPanel) ask(c desk.CaseRow, action string) {
	if action != workflow.Dispatch && action != workflow.Escalate {
		dp.form(c, action, nil, dispatch.Suggestion{}, nil)
		return
	}
	type read struct {
		units   []domain.Unit
		sugg    dispatch.Suggestion
		suggErr error // no suggestion: the form asks for the unit
	}
	load(dp.br, func(ctx context.Context) (read, error) {
		units, err := dp.desk.Units(ctx)
		if err != nil {
			return read{}, err
		}
		sugg, serr := dp.desk.Suggest(ctx, c.ID)
		return read{units, sugg, serr}, nil
	}, func(r read) { dp.form(c, action, r.units, r.sugg, r.suggErr) })
}

func (dp *detailPanel) form(c desk.CaseRow, action string, units []domain.Unit, sugg dispatch.Suggestion, suggErr error) {
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
			dialog.ShowError(fmt.Errorf("%s: %s", lang.L("Unknown action"), action), dp.br.win)
			return
		}
		dp.issue(spec.Type, args, c.Version)
	}, dp.br.win)
	d.Resize(fyne.NewSize(520, 380))
	d.Show()
}

// issue runs the command off the UI goroutine; a refusal is shown at once.
func (dp *detailPanel) issue(typ string, args command.CaseArgs, version int64) {
	dp.br.act(func(ctx context.Context) error {
		if _, err := dp.desk.Do(ctx, typ, args, version); err != nil {
			return errors.New(refusal(err)) // in the user's language
		}
		return nil
	}, nil)
}
