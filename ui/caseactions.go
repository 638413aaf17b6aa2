package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
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
	var rows []formField
	var unit *keySelect
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
		unit = newSelect(names, nil)
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
		rows = append(rows, field(lang.L("Unit"), unit, "args.unit_id"))
		hint := lang.L("No suggestion: choose the unit.")
		if suggErr == nil {
			hint = lang.L("Suggested") + ": " + dp.suggestionText(sugg, c)
			args.Policy = sugg.Policy
		}
		h := widget.NewLabel(hint)
		h.Wrapping = fyne.TextWrapWord
		rows = append(rows, field("", h))
	}
	var rating *widget.RadioGroup
	if action == workflow.Evaluate {
		var labels []string
		for _, s := range domain.Satisfactions {
			labels = append(labels, lang.L(satisfactionLabel[s]))
		}
		rating = widget.NewRadioGroup(labels, nil)
		rating.SetSelected(labels[0])
		rows = append(rows, field(lang.L("Rating"), rating, "args.satisfaction"))
	}
	note := newMultiLineEntry()
	note.SetMinRowsVisible(3)
	noteLabel := lang.L("Note")
	switch {
	case workflow.NeedsReason(action):
		noteLabel = lang.L("Reason (required)")
	case action == workflow.Evaluate:
		noteLabel = lang.L("Follow-up call")
		note.SetPlaceHolder(lang.L("What the caller said when called back (回访)"))
	}
	rows = append(rows, field(noteLabel, note, "args.note"))
	photos := newEntry()
	photos.SetPlaceHolder(lang.L("photo links, separated by spaces (from the field app or the photo server)"))
	rows = append(rows, field(lang.L("Photos"), photos, "args.photos"))
	title := fmt.Sprintf("%s — %s %s", lang.L(actionLabel[action]), c.No, c.Title)
	fd := newFormDialog(dp.br, title, lang.L(actionLabel[action]), rows)
	fd.check = func() error {
		if unit != nil && unit.SelectedIndex() < 0 {
			return refuse("args.unit_id", lang.L("Choose the unit."))
		}
		if workflow.NeedsReason(action) && !domain.IsReason(note.Text) {
			return refuse("args.note", refusalText("reason", map[string]string{"action": action}, ""))
		}
		return nil
	}
	fd.send = func(ctx context.Context) error {
		a := args
		a.Note = note.Text
		a.Photos = strings.Fields(photos.Text)
		if unit != nil && unit.SelectedIndex() >= 0 {
			a.UnitID = unitIDs[unit.SelectedIndex()]
		}
		switch action {
		case workflow.Close:
			passed := true
			a.Passed = &passed
		case workflow.VerifyFail:
			passed := false
			a.Passed = &passed
		case workflow.Evaluate:
			for _, s := range domain.Satisfactions { // the key, never the label
				if lang.L(satisfactionLabel[s]) == rating.Selected {
					a.Satisfaction = s
				}
			}
		}
		spec, ok := command.ForAction(action)
		if !ok {
			return fmt.Errorf("%s: %s", lang.L("Unknown action"), action)
		}
		_, err := dp.desk.Do(ctx, spec.Type, a, c.Version)
		return err
	}
	fd.show(fyne.NewSize(560, 420))
	dp.lastForm = fd
}

// issue runs the command off the UI goroutine; a refusal is shown at once.
func (dp *detailPanel) issue(typ string, args command.CaseArgs, version int64) {
	dp.br.act(func(ctx context.Context) error {
		_, err := dp.desk.Do(ctx, typ, args, version)
		return err
	}, nil)
}

// policyNames name the clock policies, briefly and in full (keys of
// lang.L).
var policyNames = map[string][2]string{
	dispatch.Policy333:        {"333 clocks", "333 clocks (order in 30 s, on site and first feedback in 3 min)"},
	dispatch.Policy135:        {"135 clocks", "135 clocks (green, yellow, red after 1, 3, 5 days)"},
	dispatch.PolicyDepartment: {"Department clocks", "Department clocks (on site in 5, feedback in 15 working days)"},
}

// policyLabel names a clock policy in full.
func policyLabel(p string) string {
	if n, ok := policyNames[p]; ok {
		return n[1]
	}
	return p
}

// policyShort names a clock policy briefly.
func policyShort(p string) string {
	if n, ok := policyNames[p]; ok {
		return n[0]
	}
	return p
}

// suggestionText says in the user's language why a unit and a clock policy
// are suggested for a case (the dispatch package words it in Chinese only).
func (dp *detailPanel) suggestionText(s dispatch.Suggestion, c desk.CaseRow) string {
	cat := categoryName(c.CategoryInfo)
	var why string
	if s.Fallback {
		why = lang.L("No unit below answers for {{.Cat}} cases here: the department unit {{.Unit}} takes it.", map[string]any{"Cat": cat, "Unit": s.UnitName})
	} else {
		grid := s.GridID
		if dp.gridName != nil {
			if n := dp.gridName(s.GridID); n != "" {
				grid = n
			}
		}
		why = lang.L("{{.Unit}} answers for {{.Cat}} cases in {{.Grid}}.", map[string]any{"Cat": cat, "Unit": s.UnitName, "Grid": grid})
	}
	policy := lang.L(policyLabel(s.Policy))
	if s.Policy != c.CategoryInfo.Policy && c.CategoryInfo.Policy != "" {
		return why + "\n" + lang.L("Urgent safety case: {{.P}} instead of the category's usual clocks.", map[string]any{"P": policy})
	}
	return why + "\n" + lang.L("Clocks: {{.P}}.", map[string]any{"P": policy})
}
