package ui

import (
	"context"
	"fmt"
	"sort"
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

// reviewOrders are the review list's sort orders.
var reviewOrders = []string{"Longest waiting first", "Newest first", "Most hazards first", "By entity", "By team"}

// reviewList is the review dialog's state: every inspection waiting, the
// ones the search and order show, and the one chosen. A decision takes
// the inspection off the list and keeps the place in it (the next one is
// chosen), so a long list is worked down from where one is.
type reviewList struct {
	all    []desk.Review
	shown  []desk.Review
	sel    string // the chosen inspection's ID
	search *keyEntry
	order  *keySelect
	list   *keyList
	title  *widget.Label
}

func (rl *reviewList) arrange() {
	words := strings.Fields(strings.ToLower(rl.search.Text))
	rl.shown = rl.shown[:0]
	for _, r := range rl.all {
		hay := strings.ToLower(r.EntityName + " " + r.TeamName + " " + r.At.In(clock.Location()).Format("2006-01-02"))
		if allWords(hay, words) {
			rl.shown = append(rl.shown, r)
		}
	}
	switch rl.order.SelectedIndex() {
	case 1:
		sort.SliceStable(rl.shown, func(i, j int) bool { return rl.shown[i].At.After(rl.shown[j].At) })
	case 2:
		sort.SliceStable(rl.shown, func(i, j int) bool { return len(rl.shown[i].Hazards) > len(rl.shown[j].Hazards) })
	case 3:
		sort.SliceStable(rl.shown, func(i, j int) bool { return rl.shown[i].EntityName < rl.shown[j].EntityName })
	case 4:
		sort.SliceStable(rl.shown, func(i, j int) bool { return rl.shown[i].TeamName < rl.shown[j].TeamName })
	default:
		sort.SliceStable(rl.shown, func(i, j int) bool { return rl.shown[i].At.Before(rl.shown[j].At) })
	}
	rl.title.SetText(lang.L("Inspections to review: {{.N}}", map[string]any{"N": len(rl.all)}) + " · " +
		lang.L("Shown: {{.N}}", map[string]any{"N": len(rl.shown)}))
	rl.list.Refresh()
}

// index is the shown row of inspection id (-1: not shown).
func (rl *reviewList) index(id string) int {
	for i, r := range rl.shown {
		if r.ID == id {
			return i
		}
	}
	return -1
}

// drop takes inspection id off the list and chooses the one that took its
// place (or the last).
func (rl *reviewList) drop(id string) {
	at := rl.index(id)
	for i, r := range rl.all {
		if r.ID == id {
			rl.all = append(rl.all[:i:i], rl.all[i+1:]...)
			break
		}
	}
	rl.arrange()
	rl.list.UnselectAll()
	if len(rl.shown) == 0 {
		rl.sel = ""
		return
	}
	at = min(max(at, 0), len(rl.shown)-1)
	rl.list.Select(at)
}

func allWords(hay string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

func (dg *dialogs) reviewsDialog(rs []desk.Review, itemNames map[string]string) {
	rl := &reviewList{all: rs, title: bold("")}
	detail := widget.NewLabel(lang.L("Choose an inspection."))
	detail.Wrapping = fyne.TextWrapWord
	photos := container.NewVBox()
	rl.search = newEntry()
	rl.search.SetPlaceHolder(lang.L("Search entity, team, date…"))
	var orders []string
	for _, o := range reviewOrders {
		orders = append(orders, lang.L(o))
	}
	rl.order = newSelect(orders, nil)
	rl.order.SetSelectedIndex(0)
	rl.list = newList(func() int { return len(rl.shown) }, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		r := rl.shown[i]
		o.(*widget.Label).SetText(fmt.Sprintf("%s · %s · %s · %d %s", r.At.In(clock.Location()).Format("01-02 15:04"), r.EntityName, r.TeamName, len(r.Hazards), lang.L("hazards")))
	})
	_, review := dg.desk.Snapshot()
	var buttons []*widget.Button
	rl.list.OnSelected = func(i widget.ListItemID) {
		if i >= len(rl.shown) {
			return
		}
		r := rl.shown[i]
		rl.sel = r.ID
		detail.SetText(reviewText(r, itemNames))
		photos.RemoveAll()
		if len(r.Photos) > 0 {
			photos.Add(bold(lang.L("Photos") + fmt.Sprintf(" (%d)", len(r.Photos))))
			photos.Add(dg.photoStrip(r.Photos, reviewThumbSide))
		} else {
			photos.Add(widget.NewLabel(lang.L("No photos.")))
		}
		for _, b := range buttons {
			if !review {
				b.Enable()
			}
		}
	}
	rl.search.OnChanged = func(string) {
		rl.arrange()
		rl.list.UnselectAll()
		if i := rl.index(rl.sel); i >= 0 {
			rl.list.Select(i)
		}
	}
	rl.order.OnChanged = rl.search.OnChanged
	decide := func(decision domain.Decision, needReason bool) func() {
		return func() {
			i := rl.index(rl.sel)
			if i < 0 {
				return
			}
			r := rl.shown[i]
			run := func(ctx context.Context, note string) error {
				return dg.desk.ReviewInspection(ctx, r.ID, decision, note)
			}
			after := func() { rl.drop(r.ID) }
			if !needReason {
				dg.br.act(func(ctx context.Context) error { return run(ctx, "") }, after)
				return
			}
			title := lang.L(decisionLabel[decision]) + " — " + r.EntityName
			dg.askNote(title, run, after) // a reason too short is refused by the desk, the note kept
		}
	}
	for _, d := range []struct {
		decision domain.Decision
		reason   bool
	}{{domain.DecisionAccept, false}, {domain.DecisionReturn, true}, {domain.DecisionEnforcement, true}} {
		b := widget.NewButton(lang.L(decisionLabel[d.decision]), decide(d.decision, d.reason))
		b.Disable() // until an inspection is chosen; for good under review
		buttons = append(buttons, b)
	}
	row := container.NewHBox()
	for _, b := range buttons {
		row.Add(b)
	}
	if review {
		row.Add(widget.NewLabel(lang.L("Read-only snapshot: no decisions.")))
	}
	left := container.NewBorder(container.NewVBox(rl.title, rl.search, rl.order), nil, nil, nil, rl.list)
	split := container.NewHSplit(left, container.NewBorder(nil, row, nil, nil, container.NewVScroll(container.NewVBox(detail, photos))))
	split.Offset = 0.42
	d := dialog.NewCustom(lang.L("Reviews"), lang.L("Close"), split, dg.win)
	d.Resize(fyne.NewSize(1060, 640))
	rl.arrange()
	keysOf(dg.win.Canvas()).track(d)
	dg.reviews = rl
}

// reviewText is what the inspector recorded: every item with its result
// and note (failed ones first), the hazards with their deadlines.
func reviewText(r desk.Review, itemNames map[string]string) string {
	var failed, other []string
	for _, res := range r.Results {
		name := itemNames[res.ItemID]
		if name == "" {
			name = res.ItemID
		}
		switch res.Result {
		case domain.ResultFail:
			line := "✗ " + name
			if res.Note != "" {
				line += " — " + res.Note
			}
			failed = append(failed, line)
		default:
			if res.Note != "" {
				mark := "✓ "
				if res.Result == domain.ResultNA {
					mark = "– "
				}
				other = append(other, mark+name+" — "+res.Note)
			}
		}
	}
	var hz []string
	for _, h := range r.Hazards {
		line := fmt.Sprintf("%s: %s · %s %s", lang.L(severityLabel[h.Severity]), itemNames[h.ItemID], lang.L("deadline"), h.Deadline.In(clock.Location()).Format("2006-01-02"))
		if h.Description != "" {
			line += "\n    " + h.Description
		}
		hz = append(hz, line)
	}
	text := fmt.Sprintf("%s · %s · %s · %d %s", r.EntityName, r.TeamName, r.At.In(clock.Location()).Format("2006-01-02 15:04"), len(r.Results), lang.L("items"))
	if len(failed) == 0 {
		text += "\n" + lang.L("Every item passed.")
	} else {
		text += "\n\n" + lang.L("Failed items") + "\n" + strings.Join(failed, "\n")
	}
	if len(hz) > 0 {
		text += "\n\n" + lang.L("Hazards") + "\n" + strings.Join(hz, "\n")
	}
	if len(other) > 0 {
		text += "\n\n" + lang.L("Inspector's notes on other items") + "\n" + strings.Join(other, "\n")
	}
	return text
}
