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

	"griddesk/desk"
	"griddesk/domain/clock"
	"griddesk/domain/workflow"
)

// showCase opens a case's page: timeline, clocks, entity.
func (dg *dialogs) showCase(id string) {
	load(dg.br, func(ctx context.Context) (desk.CaseDetail, error) { return dg.desk.Detail(ctx, id, time.Now()) }, dg.casePage)
}

// showArchived opens the page of a case read from the server's archive.
func (dg *dialogs) showArchived(id string) {
	load(dg.br, func(ctx context.Context) (desk.CaseDetail, error) { return dg.desk.ArchivedDetail(ctx, id, time.Now()) }, dg.casePage)
}

func (dg *dialogs) casePage(cd desk.CaseDetail) {
	head := widget.NewLabel(caseText(cd.Row))
	head.Wrapping = fyne.TextWrapWord
	if cd.Row.Description != "" {
		head.SetText(head.Text + "\n" + cd.Row.Description)
	}
	clocks := container.NewVBox(widget.NewLabelWithStyle(lang.L("Clocks"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, s := range cd.Clocks {
		state := lang.L("running")
		switch {
		case s.Paused:
			state = lang.L("paused")
		case s.Done && s.OnTime:
			state = lang.L("met")
		case s.Done:
			state = lang.L("missed")
		case s.Overdue:
			state = lang.L("overdue")
		}
		line := fmt.Sprintf("%s #%d · %s · %s · %s %s", lang.L(clockLabel(s.Clock)), s.Round, lang.L(lightLabel[s.Light]), state,
			lang.L("deadline"), s.Deadline.In(clock.Location()).Format("01-02 15:04:05"))
		clocks.Add(container.NewHBox(legendDot(lightColor(s.Light), ""), widget.NewLabel(line)))
	}
	tl := container.NewVBox(widget.NewLabelWithStyle(lang.L("Timeline"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, e := range cd.Timeline {
		who := e.ActorName
		if who == "" {
			who = e.Actor
		}
		line := fmt.Sprintf("%s  %s  %s → %s  %s", e.At.In(clock.Location()).Format("2006-01-02 15:04:05"), lang.L(timelineLabel(e.Action.Action)),
			lang.L(statusLabel[e.FromStatus]), lang.L(statusLabel[e.ToStatus]), who)
		if e.Note != "" {
			line += "\n    " + e.Note
		}
		if len(e.Photos) > 0 {
			line += "\n    " + lang.L("Photos") + ": " + strings.Join(e.Photos, ", ")
		}
		l := widget.NewLabel(line)
		l.Wrapping = fyne.TextWrapWord
		tl.Add(l)
	}
	body := container.NewVBox(head, widget.NewSeparator(), clocks, widget.NewSeparator(), tl)
	if cd.Archived { // the desk keeps nothing more of it
		l := widget.NewLabel(lang.L("From the server's archive: closed before the desks' retention window, read-only."))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		body.Objects = append([]fyne.CanvasObject{l}, body.Objects...)
	} else {
		dg.caseMore(body, cd) // the work order, callers, merges, 督办 (daily.go)
	}
	var d dialog.Dialog
	if cd.Entity != nil {
		e := *cd.Entity
		body.Add(widget.NewSeparator())
		body.Add(container.NewBorder(nil, nil, nil, widget.NewButton(lang.L("Entity page"), func() { d.Hide(); dg.showEntity(e.ID) }),
			widget.NewLabel(lang.L("Related entity")+": "+entityText(e))))
	}
	d = dialog.NewCustom(cd.Row.No+" "+cd.Row.Title, lang.L("Close"), container.NewVScroll(body), dg.win)
	d.Resize(fyne.NewSize(720, 560))
	d.Show()
}

// clockLabel names a clock of the presets (dispatch, arrive, feedback,
// on_site, close).
func clockLabel(name string) string {
	switch name {
	case "dispatch":
		return "Dispatch within"
	case "arrive", "on_site":
		return "On site within"
	case "feedback":
		return "Feedback within"
	case "close":
		return "Close within"
	case clock.LimitClock: // the catalogue's 处置时限
		return "Handle within (catalogue)"
	}
	return name
}

func timelineLabel(action string) string {
	if action == workflow.Report {
		return "Reported"
	}
	if l, ok := actionLabel[action]; ok {
		return l
	}
	return action
}
