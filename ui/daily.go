package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/command"
	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/workflow"
)

// The command centre's daily work around the loop (issue 17): its menu,
// the buttons it adds to a case, and what it adds to a case's page.

func init() {
	statusLabel[domain.StatusMerged] = "Merged"
	for k, v := range dailyActionLabel {
		actionLabel[k] = v
	}
}

// timeline labels of the daily work's steps (casepage.go's timelineLabel
// falls back to the action's name)
var dailyActionLabel = map[string]string{
	workflow.Urge: "Urged", workflow.Supervise: "Supervised by a leader", workflow.Merge: "Merged into another case",
	workflow.MergeIn: "A repeat report merged in", workflow.Unmerge: "Unmerged", workflow.MergeOut: "A repeat report unmerged",
	workflow.MergedClosed: "The case it joined closed", workflow.Callback: "Called back", workflow.CallbackMissed: "Callback not reached",
	workflow.Reopen: "Reopened after the callback",
}

// dailyMenu is the Daily work menu.
func (dg *dialogs) dailyMenu(intake func(), dp *detailPanel) *fyne.Menu {
	return fyne.NewMenu(lang.L("Daily work"),
		fyne.NewMenuItem(lang.L("New 12345 work order…"), intake),
		fyne.NewMenuItem(lang.L("Urge round…"), func() { dg.urgeRound(dp) }),
		fyne.NewMenuItem(lang.L("Callbacks to make…"), func() { dg.callbacks(dp) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(lang.L("Analysis…"), dg.analysis),
		fyne.NewMenuItem(lang.L("Monthly bulletin…"), dg.bulletin),
		fyne.NewMenuItem(lang.L("Export 12345 work orders…"), dg.exportWorkOrders),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(lang.L("Case catalogue…"), dg.categoriesDialog),
		fyne.NewMenuItem(lang.L("Import case catalogue (XLSX/CSV)…"), dg.importCategories),
		fyne.NewMenuItem(lang.L("Export case catalogue…"), dg.exportCategories),
	)
}

// dailyButtons are the daily-work steps the user may take on a case now.
func (dp *detailPanel) dailyButtons(c *desk.CaseRow) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	add := func(typ, label string, proposed bool, fn func()) {
		if !dp.desk.May(typ) {
			return
		}
		text := lang.L(label)
		if proposed {
			text += " ●" // the escalation ladder proposes it
		}
		b := widget.NewButton(text, fn)
		if proposed {
			b.Importance = widget.HighImportance
		}
		out = append(out, b)
	}
	cs := c.Case
	if _, err := workflow.Next(cs.Status, workflow.Urge, ""); err == nil && cs.UnitID != "" {
		add(command.CaseUrge, "Urge", c.Ladder.Step == domain.StepUrge, func() { dp.urge(cs, c.Ladder.Light) })
		add(command.CaseSupervise, "Supervise", c.Ladder.Step == domain.StepSupervise, func() { dp.supervise(cs) })
	}
	if workflow.CanTakeMerge(cs.Status) {
		add(command.CaseMerge, "Repeat reports…", false, func() { dp.findDuplicates(cs) })
	}
	if cs.Status == domain.StatusMerged {
		add(command.CaseUnmerge, "Unmerge", false, func() { dp.unmerge(cs) })
	}
	if cs.Status == domain.StatusClosed {
		add(command.CaseCallback, "Callback…", false, func() { dp.callback(cs) })
	}
	return out
}

// caseMore adds to a case's page what the daily work knows of it: the work
// order, the callers (with those of the repeat reports merged in), the
// reports merged, the leader's oversight, the urges.
func (dg *dialogs) caseMore(body *fyne.Container, cd desk.CaseDetail) {
	c := cd.Row.Case
	load(dg.br, func(ctx context.Context) (desk.More, error) { return dg.desk.CaseMore(ctx, c.ID) }, func(m desk.More) {
		var lines []string
		if c.Address != "" {
			lines = append(lines, lang.L("Address")+": "+c.Address)
		}
		if o := c.Order; o != nil {
			line := lang.L("Work order no.") + ": " + o.No
			if o.Channel != "" {
				line += " · " + o.Channel
			}
			if o.AppealType != "" {
				line += " · " + lang.L(appealLabel[o.AppealType])
			}
			if !o.ReplyDue.IsZero() {
				line += " · " + lang.L("Reply by") + " " + o.ReplyDue.In(clock.Location()).Format("2006-01-02 15:04")
			}
			lines = append(lines, line)
		}
		if cat := cd.Row.CategoryInfo; cat.Code != "" {
			lines = append(lines, catalogueName(cat)+" · "+limitText(cat.Limit), lang.L("To close")+": "+cat.CloseStandard)
		}
		for _, cl := range m.Callers {
			who := strings.TrimSpace(cl.Name + " " + cl.Phone)
			if cl.CaseID != "" {
				who += " (" + lang.L("repeat report") + ")"
			}
			lines = append(lines, lang.L("Caller")+": "+who)
		}
		if m.Into != nil {
			lines = append(lines, lang.L("Merged into")+": "+m.Into.No+" "+m.Into.Title)
		}
		if len(m.Merged) > 0 {
			var nos []string
			for _, r := range m.Merged {
				nos = append(nos, r.No)
			}
			lines = append(lines, lang.L("Repeat reports merged in: {{.N}}", map[string]any{"N": len(m.Merged)})+" ("+strings.Join(nos, ", ")+")")
		}
		if s := c.Supervision; s != nil {
			lines = append(lines, fmt.Sprintf("%s: %s · %s %s", lang.L("Supervised by a leader"), s.Leader, lang.L("New deadline"),
				s.Due.In(clock.Location()).Format("2006-01-02 15:04")))
		}
		if len(m.Urges) > 0 {
			lines = append(lines, lang.L("urged {{.N}} times", map[string]any{"N": len(m.Urges)}))
		}
		if len(lines) == 0 && len(m.Photos) == 0 {
			return
		}
		box := container.NewVBox(widget.NewSeparator(), widget.NewLabelWithStyle(lang.L("Daily work"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			wrapped(strings.Join(lines, "\n")))
		if len(m.Merged) > 0 && len(m.Photos) > 0 {
			box.Add(dg.photoStrip(m.Photos, 72))
		}
		body.Add(box)
		body.Refresh()
	})
}
