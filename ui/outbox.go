package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/domain"
	"griddesk/domain/clock"
)

// showOutbox lists the commands waiting to be sent and those the server
// refused, with the reason; refused ones can be dismissed once read.
func (dg *dialogs) showOutbox() {
	load(dg.br, dg.desk.Outbox, dg.outboxDialog)
}

func (dg *dialogs) outboxDialog(items []domain.OutboxItem) {
	rows := container.NewVBox()
	if len(items) == 0 {
		rows.Add(widget.NewLabel(lang.L("Nothing is waiting to be sent.")))
	}
	var d dialog.Dialog
	for _, it := range items {
		it := it
		state := lang.L("Waiting to be sent")
		if it.State == domain.OutboxRejected {
			state = lang.L("Refused by the server")
		}
		text := fmt.Sprintf("%s · %s · %s", it.Command.IssuedAt.In(clock.Location()).Format("01-02 15:04:05"), lang.L(commandLabel(it.Command.Type)), state)
		if it.Problem.Detail != "" || it.Problem.Code != "" {
			text += "\n" + refusalText(it.Problem.Code, it.Problem.Params, it.Problem.Detail)
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		if it.State == domain.OutboxRejected {
			rows.Add(container.NewBorder(nil, nil, nil, widget.NewButton(lang.L("Dismiss"), func() {
				dg.br.act(func(ctx context.Context) error { return dg.desk.Dismiss(ctx, it.Command.ID) }, func() {
					d.Hide()
					dg.showOutbox()
				})
			}), l))
		} else {
			rows.Add(l)
		}
	}
	d = dialog.NewCustom(lang.L("Outbox"), lang.L("Close"), container.NewVScroll(rows), dg.win)
	d.Resize(fyne.NewSize(640, 420))
	d.Show()
}
