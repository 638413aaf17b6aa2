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
func (mw *mainWindow) showReviews() {
	go func() {
		rs, err := mw.desk.PendingReviews(context.Background())
		items, _ := mw.desk.CheckItems(context.Background())
		fyne.Do(func() {
			if err != nil {
				dialog.ShowError(err, mw.win)
				return
			}
			names := map[string]string{}
			for _, it := range items {
				names[it.ID] = it.Name
			}
			mw.reviewsDialog(rs, names)
		})
	}()
}

func (mw *mainWindow) reviewsDialog(rs []desk.Review, itemNames map[string]string) {
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
			photos.Add(mw.photoStrip(r.Photos, reviewThumbSide))
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
			run := func(note string) error { return mw.desk.ReviewInspection(context.Background(), r.ID, decision, note) }
			after := func() { d.Hide(); mw.showReviews() }
			if !needReason {
				go func() {
					err := run("")
					fyne.Do(func() {
						if err != nil {
							dialog.ShowError(err, mw.win)
							return
						}
						after()
					})
				}()
				return
			}
			mw.askNote(lang.L("Reason (required)"), run, after)
		}
	}
	buttons := container.NewHBox(widget.NewButton(lang.L("Approve"), decide(domain.DecisionAccept, false)),
		widget.NewButton(lang.L("Send back for re-inspection"), decide(domain.DecisionReturn, true)),
		widget.NewButton(lang.L("Hand to enforcement"), decide(domain.DecisionEnforcement, true)))
	split := container.NewHSplit(list, container.NewBorder(nil, buttons, nil, nil, container.NewVScroll(container.NewVBox(detail, photos))))
	d = dialog.NewCustom(lang.L("Inspections to review: {{.N}}", map[string]any{"N": len(rs)}), lang.L("Close"), split, mw.win)
	d.Resize(fyne.NewSize(960, 560))
	d.Show()
}
