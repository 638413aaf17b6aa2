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

// showReviews lists the inspections waiting for the team leader: accept
// (the code moves), send back for re-inspection, or hand to enforcement.
func (dg *dialogs) showReviews() {
	type read struct {
		reviews []desk.Review
		names   map[string]string // check item ID → name
	}
	load(dg.br, func(ctx context.Context) (read, error) {
		rs, err := dg.desk.PendingReviews(ctx)
		return read{rs, itemNames(ctx, dg.desk)}, err
	}, func(r read) { dg.reviewsDialog(r.reviews, r.names) })
}

func (dg *dialogs) reviewsDialog(rs []desk.Review, itemNames map[string]string) {
	detail := widget.NewLabel(lang.L("Choose an inspection."))
	detail.Wrapping = fyne.TextWrapWord
	photos := container.NewVBox()
	sel := -1
	var d dialog.Dialog
	list := widget.NewList(func() int { return len(rs) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r := rs[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s · %s · %s · %d %s", r.At.In(clock.Location()).Format("01-02 15:04"), r.EntityName, r.TeamName, len(r.Hazards), lang.L("hazards")))
		})
	list.OnSelected = func(i widget.ListItemID) {
		sel = i
		r := rs[i]
		var lines []string
		for _, res := range r.Results {
			if res.Result == domain.ResultFail {
				lines = append(lines, "✗ "+itemNames[res.ItemID])
			}
		}
		for _, h := range r.Hazards {
			lines = append(lines, fmt.Sprintf("%s: %s · %s %s", lang.L(severityLabel[h.Severity]), itemNames[h.ItemID], lang.L("deadline"), h.Deadline.In(clock.Location()).Format("2006-01-02")))
		}
		if len(lines) == 0 {
			lines = append(lines, lang.L("Every item passed."))
		}
		detail.SetText(fmt.Sprintf("%s · %d %s\n%s", r.EntityName, len(r.Results), lang.L("items"), strings.Join(lines, "\n")))
		photos.RemoveAll()
		if len(r.Photos) > 0 {
			photos.Add(bold(lang.L("Photos") + fmt.Sprintf(" (%d)", len(r.Photos))))
			photos.Add(dg.photoStrip(r.Photos, reviewThumbSide))
		} else {
			photos.Add(widget.NewLabel(lang.L("No photos.")))
		}
	}
	decide := func(decision domain.Decision, needReason bool) func() {
		return func() {
			if sel < 0 {
				return
			}
			r := rs[sel]
			run := func(ctx context.Context, note string) error {
				return dg.desk.ReviewInspection(ctx, r.ID, decision, note)
			}
			after := func() { d.Hide(); dg.showReviews() }
			if !needReason {
				dg.br.act(func(ctx context.Context) error { return run(ctx, "") }, after)
				return
			}
			dg.askNote(lang.L("Reason (required)"), run, after)
		}
	}
	buttons := container.NewHBox(widget.NewButton(lang.L("Approve"), decide(domain.DecisionAccept, false)),
		widget.NewButton(lang.L("Send back for re-inspection"), decide(domain.DecisionReturn, true)),
		widget.NewButton(lang.L("Hand to enforcement"), decide(domain.DecisionEnforcement, true)))
	split := container.NewHSplit(list, container.NewBorder(nil, buttons, nil, nil, container.NewVScroll(container.NewVBox(detail, photos))))
	d = dialog.NewCustom(lang.L("Inspections to review: {{.N}}", map[string]any{"N": len(rs)}), lang.L("Close"), split, dg.win)
	d.Resize(fyne.NewSize(960, 560))
	d.Show()
}
