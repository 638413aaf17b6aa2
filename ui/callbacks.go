package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// Callbacks 回访: after closing, the callers to phone back — the case's and
// those of the repeat reports merged into it. The officer records each
// call: not reached (it stays on the list), or the caller's verdict, which
// is the case's satisfaction; a dissatisfied caller's case can go back to
// its unit as rework.

// callbacks lists the closed cases whose callers are to be phoned.
func (dg *dialogs) callbacks(dp *detailPanel) {
	load(dg.br, dg.desk.Callbacks, func(ts []desk.CallbackTask) {
		var d dialog.Dialog
		list := container.NewVBox()
		if len(ts) == 0 {
			list.Add(widget.NewLabel(lang.L("No caller waits for a callback.")))
		}
		for _, t := range ts {
			t := t
			var who []string
			for _, cl := range t.Callers {
				who = append(who, strings.TrimSpace(cl.Name+" "+cl.Phone))
			}
			text := fmt.Sprintf("%s %s · %s · %s %s\n%s: %s", t.Row.No, t.Row.Title, t.Row.UnitName, lang.L("closed"),
				t.Row.ClosedAt.In(clock.Location()).Format("01-02 15:04"), lang.L("Call"), strings.Join(who, "；"))
			if t.Attempts > 0 {
				text += "\n" + lang.L("Not reached {{.N}} times", map[string]any{"N": t.Attempts})
			}
			call := widget.NewButton(lang.L("Record callback…"), func() { d.Hide(); dp.callback(t.Row.Case) })
			list.Add(container.NewBorder(nil, nil, nil, call, wrapped(text)))
			list.Add(widget.NewSeparator())
		}
		d = dialog.NewCustom(lang.L("Callbacks to make"), lang.L("Close"), container.NewVScroll(list), dg.win)
		d.Resize(fyne.NewSize(860, 580))
		d.Show()
	})
}

// callback records one call back to a closed case's caller.
func (dp *detailPanel) callback(c domain.Case) {
	reached := widget.NewRadioGroup([]string{lang.L("Reached"), lang.L("Not reached")}, nil)
	reached.SetSelected(lang.L("Reached"))
	var labels []string
	for _, s := range domain.Satisfactions {
		labels = append(labels, lang.L(satisfactionLabel[s]))
	}
	verdict := widget.NewRadioGroup(labels, nil)
	verdict.SetSelected(labels[0])
	reopen := widget.NewCheck(lang.L("Reopen: back to the unit as rework"), nil)
	reopen.Disable()
	verdict.OnChanged = func(s string) {
		if s == lang.L(satisfactionLabel[domain.Dissatisfied]) {
			reopen.Enable()
		} else {
			reopen.SetChecked(false)
			reopen.Disable()
		}
	}
	reached.OnChanged = func(s string) {
		if s == lang.L("Reached") {
			verdict.Enable()
		} else {
			verdict.Disable()
			reopen.SetChecked(false)
			reopen.Disable()
		}
	}
	note := widget.NewMultiLineEntry()
	note.SetMinRowsVisible(2)
	d := dialog.NewForm(lang.L("Callback")+" — "+c.No+" "+c.Title, lang.L("Record"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Call"), reached), widget.NewFormItem(lang.L("Verdict"), verdict),
		widget.NewFormItem("", reopen), widget.NewFormItem(lang.L("Note"), note)}, func(ok bool) {
		if !ok {
			return
		}
		got := reached.Selected == lang.L("Reached")
		var s domain.Satisfaction
		if got {
			for _, x := range domain.Satisfactions { // the key, never the label
				if lang.L(satisfactionLabel[x]) == verdict.Selected {
					s = x
				}
			}
		}
		dp.br.act(func(ctx context.Context) error {
			return refused(dp.desk.Callback(ctx, c, got, s, reopen.Checked, note.Text))
		}, nil)
	}, dp.br.win)
	d.Resize(fyne.NewSize(520, 360))
	d.Show()
}
