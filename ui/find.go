package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// findStates are the search's state choices.
var findStates = []struct {
	label  string
	states []domain.CaseStatus
}{
	{"Any state", nil},
	{"state.open", domain.OpenStatuses},
	{"Closed", []domain.CaseStatus{domain.StatusClosed}},
	{"Evaluated", []domain.CaseStatus{domain.StatusEvaluated}},
	{"Closed or evaluated", []domain.CaseStatus{domain.StatusClosed, domain.StatusEvaluated}},
	{"Rejected", []domain.CaseStatus{domain.StatusRejected}},
}

// caseFinder is the case search (Ctrl+Shift+F): every case the desk holds,
// closed and evaluated ones too, by number, title, address, caller's
// words, grid, unit or reporter, state and report date. A case picked
// opens in the detail panel and on the map, with what may be done with it
// now (a closed case: evaluate).
type caseFinder struct {
	text     *keyEntry
	state    *keySelect
	from, to *keyEntry
	found    *widget.Label
	list     *keyList
	rows     []desk.CaseRow
	archived map[string]bool // rows found in the server's archive, not on the desk
	archive  *widget.Button
	seq      int // the latest search; older answers are dropped
	d        dialog.Dialog
}

// find opens the case search.
func (mw *mainWindow) find() {
	cf := &caseFinder{}
	cf.text = newEntry()
	cf.text.SetPlaceHolder(lang.L("Number, title, address, caller's words, grid, unit…"))
	var labels []string
	for _, s := range findStates {
		labels = append(labels, lang.L(s.label))
	}
	cf.state = newSelect(labels, nil)
	cf.state.SetSelectedIndex(0)
	today := time.Now().In(clock.Location())
	cf.from, cf.to = newEntry(), newEntry()
	cf.from.SetPlaceHolder(today.AddDate(0, 0, -90).Format(dateLayout))
	cf.to.SetPlaceHolder(today.Format(dateLayout))
	cf.found = widget.NewLabel("")
	cf.list = newList(func() int { return len(cf.rows) }, func() fyne.CanvasObject { return newCaseRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*caseRow).set(cf.rows[i], time.Now(), false) })
	cf.list.OnSelected = func(i widget.ListItemID) {
		if i < len(cf.rows) {
			c := cf.rows[i]
			cf.d.Hide()
			if cf.archived[c.ID] {
				mw.dg.showArchived(c.ID)
				return
			}
			mw.selectCase(c)
		}
	}
	// closed cases past the retention window stay on the server: asked for
	// there, they join the list and open read-only
	cf.archive = widget.NewButton(lang.L("Search the server's archive too"), func() { cf.searchArchive(mw.br) })
	search := func() { cf.search(mw.br) }
	cf.text.OnChanged = func(string) { search() }
	cf.text.OnSubmitted = func(string) { search() }
	cf.state.OnChanged = func(string) { search() }
	cf.from.OnSubmitted, cf.to.OnSubmitted = func(string) { search() }, func(string) { search() }
	cf.from.OnChanged = func(s string) {
		if s == "" || len(s) == len(dateLayout) {
			search()
		}
	}
	cf.to.OnChanged = cf.from.OnChanged
	dates := container.NewGridWithColumns(4, widget.NewLabel(lang.L("Reported from")), cf.from, widget.NewLabel(lang.L("to (inclusive)")), cf.to)
	top := container.NewVBox(cf.text, container.NewGridWithColumns(2, cf.state, cf.found), dates,
		container.NewBorder(nil, nil, nil, cf.archive))
	cf.d = dialog.NewCustom(lang.L("Find cases"), lang.L("Close"), container.NewBorder(top, nil, nil, nil, cf.list), mw.win)
	cf.d.Resize(fyne.NewSize(860, 640))
	keysOf(mw.win.Canvas()).track(cf.d)
	mw.win.Canvas().Focus(cf.text)
	mw.finder = cf
	search()
}

// query reads the form (a date that is not one is left out, and said).
func (cf *caseFinder) query() (desk.CaseQuery, string) {
	q := desk.CaseQuery{Text: strings.TrimSpace(cf.text.Text)}
	if i := cf.state.SelectedIndex(); i >= 0 {
		q.States = findStates[i].states
	}
	bad := ""
	if s := strings.TrimSpace(cf.from.Text); s != "" {
		if t, err := time.ParseInLocation(dateLayout, s, clock.Location()); err == nil {
			q.From = t
		} else {
			bad = lang.L("{{.D}} is not a date like 2026-11-30.", map[string]any{"D": s})
		}
	}
	if s := strings.TrimSpace(cf.to.Text); s != "" {
		if t, err := time.ParseInLocation(dateLayout, s, clock.Location()); err == nil {
			q.To = t.AddDate(0, 0, 1)
		} else {
			bad = lang.L("{{.D}} is not a date like 2026-11-30.", map[string]any{"D": s})
		}
	}
	return q, bad
}

func (cf *caseFinder) search(br *bridge) {
	q, bad := cf.query()
	cf.seq++
	seq := cf.seq
	load(br, func(ctx context.Context) (desk.CaseResults, error) { return br.desk.SearchCases(ctx, q, time.Now()) },
		func(res desk.CaseResults) {
			if seq != cf.seq {
				return // a newer search is under way
			}
			cf.rows = res.Rows
			cf.list.UnselectAll()
			cf.list.Refresh()
			text := lang.L("{{.N}} found", map[string]any{"N": res.Total})
			if res.Total > len(res.Rows) {
				text += " · " + lang.L("showing the newest {{.N}}", map[string]any{"N": len(res.Rows)})
			}
			if bad != "" {
				text = bad
			}
			cf.found.SetText(text)
		})
}

// searchArchive asks the server for the cases whose number, title or
// description holds the search's text, and adds those the desk does not
// keep to the list (marked, opening read-only).
func (cf *caseFinder) searchArchive(br *bridge) {
	q, _ := cf.query()
	if q.Text == "" {
		cf.found.SetText(lang.L("Type a number or words to search the archive."))
		return
	}
	cf.seq++
	seq := cf.seq
	cf.archive.Disable()
	br.run(func(ctx context.Context) func() {
		rows, err := br.desk.ArchiveRows(ctx, q.Text, 200)
		return func() {
			cf.archive.Enable()
			if seq != cf.seq {
				return
			}
			if err != nil {
				cf.found.SetText(lang.L("The archive cannot be searched now: {{.E}}", map[string]any{"E": refusal(err)}))
				return
			}
			have := map[string]bool{}
			for _, r := range cf.rows {
				have[r.ID] = true
			}
			cf.archived = map[string]bool{}
			added := 0
			for _, r := range rows {
				if have[r.ID] || !q.Admits(r.Case) {
					continue
				}
				cf.archived[r.ID] = true
				cf.rows = append(cf.rows, r)
				added++
			}
			cf.list.UnselectAll()
			cf.list.Refresh()
			cf.found.SetText(lang.L("{{.N}} more from the server's archive", map[string]any{"N": added}))
		}
	})
}
