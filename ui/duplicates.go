package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/command"
	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// Repeat reports 重复件: before a call is registered, the open cases of
// its category near it (50 m, 72 h) are shown beside it, callers and photos
// side by side; the duty officer registers it as a case of its own, or
// merges it into the one it repeats. A wrong merge is undone from the
// merged report's buttons.

// registerChecked registers a case taken from a call, after showing the
// open cases it may repeat.
func (dp *detailPanel) registerChecked(args command.CaseArgs) {
	n := args.New
	probe := domain.Case{ID: args.CaseID, Title: n.Title, Description: n.Description, Category: n.Category, Lon: n.Lon, Lat: n.Lat,
		Address: n.Address, ReportedAt: time.Now(), Status: domain.StatusRegistered}
	if n.Caller != nil {
		probe.Callers = []domain.Caller{*n.Caller}
	}
	load(dp.br, func(ctx context.Context) ([]desk.Duplicate, error) { return dp.desk.Duplicates(ctx, probe) }, func(ds []desk.Duplicate) {
		if len(ds) == 0 {
			dp.issue(command.CaseRegister, args, 0)
			return
		}
		dp.compare(probe, ds, func(into string) {
			dp.br.act(func(ctx context.Context) error {
				if _, err := dp.desk.Do(ctx, command.CaseRegister, args, 0); err != nil {
					return refused(err)
				}
				if into == "" {
					return nil
				}
				c, err := dp.desk.Case(ctx, args.CaseID)
				if err != nil {
					return err
				}
				return refused(dp.desk.Merge(ctx, c, into, lang.L("Repeat report of the same matter, merged at registration")))
			}, nil)
		})
	})
}

// findDuplicates shows the open cases an open case may repeat, to merge it
// into one.
func (dp *detailPanel) findDuplicates(c domain.Case) {
	load(dp.br, func(ctx context.Context) ([]desk.Duplicate, error) { return dp.desk.Duplicates(ctx, c) }, func(ds []desk.Duplicate) {
		if len(ds) == 0 {
			dialog.ShowInformation(lang.L("Repeat reports"), lang.L("No open case of the same category nearby."), dp.br.win)
			return
		}
		dp.compare(c, ds, func(into string) {
			if into == "" {
				return
			}
			dp.br.act(func(ctx context.Context) error {
				return refused(dp.desk.Merge(ctx, c, into, lang.L("Repeat report of the same matter")))
			}, nil)
		})
	})
}

// compare shows a report beside the open cases it may repeat; done gets the
// case chosen to merge into, or "" to keep the report a case of its own.
func (dp *detailPanel) compare(report domain.Case, ds []desk.Duplicate, done func(into string)) {
	dg := newDialogs(dp.br)
	left := container.NewVBox(widget.NewLabelWithStyle(lang.L("This report"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		wrapped(caseCard(report, report.Callers)))
	var d dialog.Dialog
	right := container.NewVBox(widget.NewLabelWithStyle(lang.L("Open cases it may repeat"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, m := range ds {
		m := m
		head := fmt.Sprintf("%s · %.0f m · %s", lang.L(statusLabel[m.Case.Status]), m.Distance, apart(m.Apart))
		if m.UnitName != "" {
			head += " · " + m.UnitName
		}
		card := container.NewVBox(widget.NewLabel(head), wrapped(caseCard(m.Case, m.Callers)))
		if len(m.Photos) > 0 {
			card.Add(dg.photoStrip(m.Photos, 64))
		}
		card.Add(widget.NewButton(lang.L("Merge into this case"), func() { d.Hide(); done(m.Case.ID) }))
		right.Add(widget.NewCard("", m.Case.No+" "+m.Case.Title, card))
	}
	body := container.NewHSplit(container.NewVScroll(left), container.NewVScroll(right))
	body.Offset = 0.4
	d = dialog.NewCustomConfirm(lang.L("Repeat reports"), lang.L("Keep as a case of its own"), lang.L("Cancel"), body, func(ok bool) {
		if ok {
			done("")
		}
	}, dp.br.win)
	d.Resize(fyne.NewSize(980, 620))
	d.Show()
}

// unmerge asks why a merge was wrong, then undoes it.
func (dp *detailPanel) unmerge(c domain.Case) {
	note := widget.NewMultiLineEntry()
	note.SetMinRowsVisible(2)
	dialog.ShowForm(lang.L("Unmerge")+" — "+c.No+" "+c.Title, lang.L("Unmerge"), lang.L("Cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("Reason (required)"), note)}, func(ok bool) {
			if ok {
				dp.br.act(func(ctx context.Context) error { return refused(dp.desk.Unmerge(ctx, c, note.Text)) }, nil)
			}
		}, dp.br.win)
}

// caseCard is a case in words: what, where, when, who called.
func caseCard(c domain.Case, callers []domain.Caller) string {
	var b strings.Builder
	b.WriteString(c.Title)
	if c.Description != "" {
		b.WriteString("\n" + c.Description)
	}
	if c.Address != "" {
		b.WriteString("\n" + lang.L("Address") + ": " + c.Address)
	}
	if !c.ReportedAt.IsZero() {
		b.WriteString("\n" + lang.L("Reported") + ": " + c.ReportedAt.In(clock.Location()).Format("2006-01-02 15:04"))
	}
	for _, cl := range callers {
		b.WriteString("\n" + lang.L("Caller") + ": " + strings.TrimSpace(cl.Name+" "+cl.Phone))
	}
	return b.String()
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// apart says how far apart two reports were: "3 h", "2 d".
func apart(d time.Duration) string {
	if d < 48*time.Hour {
		return lang.L("{{.N}} h apart", map[string]any{"N": int(d.Hours() + 0.5)})
	}
	return lang.L("{{.N}} d apart", map[string]any{"N": int(d.Hours()/24 + 0.5)})
}
