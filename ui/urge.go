package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/kpi"
	"griddesk/desk"
	"griddesk/desk/replica"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/workflow"
)

// Urging and oversight 催办/督办: the escalation ladder proposes, the duty
// officer urges the unit or takes the case to a leader; the unit's desks
// announce the urges; the rankings count them.

// urgeText is the message a light suggests.
func urgeText(l clock.Light) string {
	if l == clock.LightRed {
		return lang.L("This case is overdue: act on it now and report back.")
	}
	return lang.L("This case is about to be overdue: please speed it up and report back.")
}

// urge asks for the message to the unit, then sends it.
func (dp *detailPanel) urge(c domain.Case, light clock.Light) {
	note := widget.NewMultiLineEntry()
	note.SetMinRowsVisible(3)
	note.SetText(urgeText(light))
	d := dialog.NewForm(lang.L("Urge")+" — "+c.No+" "+c.Title, lang.L("Urge"), lang.L("Cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("Message to the unit"), note)}, func(ok bool) {
			if ok {
				dp.br.act(func(ctx context.Context) error { return refused(dp.desk.Urge(ctx, c, note.Text)) }, nil)
			}
		}, dp.br.win)
	d.Resize(fyne.NewSize(520, 260))
	d.Show()
}

// supervise asks for the leader, the new deadline and the instruction.
func (dp *detailPanel) supervise(c domain.Case) {
	rules := dp.desk.Rules().Ladder
	leader := widget.NewEntry()
	leader.SetText(rules.Leader)
	due := widget.NewEntry()
	due.SetText(time.Now().Add(rules.Grant).In(clock.Location()).Format("2006-01-02 15:04"))
	note := widget.NewMultiLineEntry()
	note.SetMinRowsVisible(3)
	note.SetText(lang.L("Overdue by more than a day: taken up by a leader, to be closed by the new deadline."))
	d := dialog.NewForm(lang.L("Supervise")+" — "+c.No+" "+c.Title, lang.L("Supervise"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Leader"), leader), widget.NewFormItem(lang.L("New deadline"), due),
		widget.NewFormItem(lang.L("Instruction"), note)}, func(ok bool) {
		if !ok {
			return
		}
		at, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(due.Text), clock.Location())
		if err != nil {
			dialog.ShowError(fmt.Errorf("%s", lang.L("The deadline is not a time like 2026-07-01 17:00.")), dp.br.win)
			return
		}
		dp.br.act(func(ctx context.Context) error { return refused(dp.desk.Supervise(ctx, c, leader.Text, at, note.Text)) }, nil)
	}, dp.br.win)
	d.Resize(fyne.NewSize(520, 320))
	d.Show()
}

// refused turns a command's refusal into the user's language.
func refused(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s", refusal(err))
}

// urgeRound lists the open cases the escalation ladder proposes to urge or
// take to a leader now, each a click away.
func (dg *dialogs) urgeRound(dp *detailPanel) {
	load(dg.br, func(ctx context.Context) ([]desk.CaseRow, error) {
		rows, err := dg.desk.OpenCases(ctx, time.Now())
		if err != nil {
			return nil, err
		}
		var due []desk.CaseRow
		for _, r := range rows {
			if r.Ladder.Due() {
				due = append(due, r)
			}
		}
		return due, nil
	}, func(rows []desk.CaseRow) {
		var d dialog.Dialog
		list := container.NewVBox()
		if len(rows) == 0 {
			list.Add(widget.NewLabel(lang.L("Nothing to urge: no yellow or red case waits for the next rung.")))
		}
		for _, r := range rows {
			r := r
			text := fmt.Sprintf("%s %s · %s · %s · %s %s", r.No, r.Title, r.UnitName, lang.L(lightLabel[r.Ladder.Light]),
				lang.L("since"), r.Ladder.Since.In(clock.Location()).Format("01-02 15:04"))
			if r.Ladder.Urges > 0 {
				text += " · " + lang.L("urged {{.N}} times", map[string]any{"N": r.Ladder.Urges})
			}
			var act *widget.Button
			if r.Ladder.Step == domain.StepSupervise {
				act = widget.NewButton(lang.L("Supervise"), func() { d.Hide(); dp.supervise(r.Case) })
			} else {
				act = widget.NewButton(lang.L("Urge"), func() { d.Hide(); dp.urge(r.Case, r.Ladder.Light) })
			}
			l := widget.NewLabel(text)
			l.Wrapping = fyne.TextWrapWord
			list.Add(container.NewBorder(nil, nil, legendDot(lightColor(r.Ladder.Light), ""), act, l))
		}
		d = dialog.NewCustom(lang.L("Urge round"), lang.L("Close"), container.NewVScroll(list), dg.win)
		d.Resize(fyne.NewSize(860, 560))
		d.Show()
	})
}

// followUrges announces, on a unit's desk, the urges and 督办 its cases get.
func (mw *mainWindow) followUrges() {
	var mu sync.Mutex
	since, seen := time.Now(), map[string]bool{}
	mw.br.follow(func(replica.Status) {}, func(e desk.Event) {
		if (!e.Reset && !e.Data[domain.KindCaseAction]) || mw.desk.User().UnitID == "" {
			return // only a unit's desk is told
		}
		mu.Lock()
		from := since
		mu.Unlock()
		load(mw.br, func(ctx context.Context) ([]desk.UrgeNotice, error) { return mw.desk.UrgesFor(ctx, from) }, func(ns []desk.UrgeNotice) {
			mu.Lock()
			defer mu.Unlock()
			for _, n := range ns {
				if seen[n.Urge.ID] {
					continue
				}
				seen[n.Urge.ID] = true
				if n.Urge.At.After(since) {
					since = n.Urge.At
				}
				title := lang.L("Urged")
				if n.Urge.Action == workflow.Supervise {
					title = lang.L("Supervised by a leader")
				}
				fyne.CurrentApp().SendNotification(fyne.NewNotification(title, n.Case.No+" "+n.Case.Title+" · "+n.Actor+": "+n.Urge.Note))
			}
		})
	})
}

// dailyKPI is the rankings' daily-work columns: urges, 督办件, callbacks.
func dailyKPI(rows []kpi.UnitRow) fyne.CanvasObject {
	head := []string{lang.L("Unit"), lang.L("Urges"), lang.L("Supervised cases"), lang.L("To call back"), lang.L("Called back"),
		lang.L("Callback rate"), lang.L("Satisfaction rate")}
	grid := container.NewGridWithColumns(len(head))
	for _, h := range head {
		grid.Add(widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	for _, u := range rows {
		name := u.UnitName
		if u.UnitID == "" {
			name = lang.L("Total")
		}
		for _, v := range []string{name, fmt.Sprint(u.Urges), fmt.Sprint(u.Supervised), fmt.Sprint(u.ToCall), fmt.Sprint(u.Called),
			u.CallbackRate.String(), u.SatisfactionRate.String()} {
			l := widget.NewLabel(v)
			l.Truncation = fyne.TextTruncateEllipsis
			grid.Add(l)
		}
	}
	return container.NewVBox(widget.NewSeparator(), widget.NewLabelWithStyle(lang.L("Daily work"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), grid)
}
