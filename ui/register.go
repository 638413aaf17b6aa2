package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// placer is the map as the register form uses it: a click for the place,
// the grids to name it by.
type placer interface {
	pick(fn func(orb.Point)) // the next tap's place goes to fn (nil: none)
	gridNameAt(p orb.Point) string
	gridsOf(layerIDs ...string) []domain.Grid
}

// draftNewCase is the name the hotline form's draft is kept under.
const draftNewCase = "case.new"

// registerSources are the sources a case taken at the desk may have.
var registerSources = []string{domain.SourceHotline, domain.SourceGridWorker, domain.SourceSensor}

// registerForm is the form for a hotline call: what the caller says, where
// (picked on the map, or a grid named), the category suggested from the
// words. What is typed is never lost: a refused save keeps the form open
// with the field marked, and a form closed unsent is kept as a draft (in
// the data directory) that the next New case opens with.
type registerForm struct {
	fd       *formDialog
	title    *keyEntry
	desc     *keyEntry
	category *keySelect
	hint     *widget.Label
	source   *keySelect
	urgent   *widget.Check
	where    *widget.Label
	grid     *gridPicker
	place    *orb.Point
	draft    *widget.Label
	cats     []domain.Category
}

// register opens the hotline form.
func (dp *detailPanel) register(at placer) {
	rf := &registerForm{cats: dp.desk.Categories()}
	rf.title = newEntry()
	rf.desc = newMultiLineEntry()
	rf.desc.SetMinRowsVisible(4)
	var catNames []string
	for _, c := range rf.cats {
		catNames = append(catNames, categoryName(c))
	}
	rf.category = newSelect(catNames, nil)
	rf.category.PlaceHolder = lang.L("Choose…")
	rf.hint = widget.NewLabel("")
	suggest := func(string) {
		if c, ok := dp.desk.SuggestCategory(rf.title.Text + " " + rf.desc.Text); ok {
			for i, x := range rf.cats {
				if x.Key == c.Key && rf.category.SelectedIndex() != i {
					rf.category.SetSelectedIndex(i)
					rf.hint.SetText(lang.L("Suggested from the caller's words"))
				}
			}
		}
	}
	rf.title.OnChanged, rf.desc.OnChanged = suggest, suggest
	var srcNames []string
	for _, s := range registerSources {
		srcNames = append(srcNames, lang.L(sourceLabel(s)))
	}
	rf.source = newSelect(srcNames, nil)
	rf.source.SetSelectedIndex(0)
	rf.urgent = widget.NewCheck(lang.L("Urgent"), nil)
	rf.where = widget.NewLabel(lang.L("Not placed yet"))
	rf.where.Wrapping = fyne.TextWrapWord
	rf.draft = widget.NewLabel("")
	rf.draft.Importance = widget.WarningImportance

	// or by grid, when the caller names a place rather than a point
	var names []string
	var centres []orb.Point
	for _, g := range at.gridsOf(layerBase, layerMicro) {
		c, _ := planar.CentroidArea(g.Geometry)
		names, centres = append(names, g.Name), append(centres, c)
	}
	rf.grid = newGridPicker(names, func(i int) {
		p := centres[i]
		rf.setPlace(p, names[i])
	})

	pick := widget.NewButton(lang.L("Pick on the map"), nil)
	discard := widget.NewButton(lang.L("Discard draft"), nil)
	discard.Importance = widget.LowImportance
	draftRow := container.NewBorder(nil, nil, nil, discard, rf.draft)
	draftRow.Hide()
	rows := []formField{
		field(lang.L("Title"), rf.title, "args.new.title"),
		field(lang.L("Caller's report"), rf.desc, "args.new.description"),
		field(lang.L("Category"), container.NewVBox(rf.category, rf.hint), "args.new.category"),
		field(lang.L("Location"), container.NewVBox(container.NewBorder(nil, nil, nil, pick, rf.where), rf.grid.obj), "args.new.lon", "args.new.lat", "args.new.grid_id"),
		field(lang.L("Source"), rf.source, "args.new.source"),
		field("", rf.urgent, "args.new.priority"),
		field("", draftRow),
	}
	rf.fd = newFormDialog(dp.br, lang.L("New case"), lang.L("Register"), rows)
	pick.OnTapped = func() {
		rf.fd.d.Hide() // the draft is kept meanwhile
		dp.say(lang.L("Click the map where the caller is."))
		at.pick(func(p orb.Point) {
			rf.setPlace(p, at.gridNameAt(p))
			rf.fd.sent = false
			rf.fd.open()
		})
	}
	discard.OnTapped = func() {
		rf.clearFields()
		draftRow.Hide()
		_ = dp.desk.DropDraft(draftNewCase)
	}
	if dr, ok := dp.desk.Draft(draftNewCase); ok {
		rf.restore(dr.Fields, at)
		rf.draft.SetText(lang.L("Unsent draft of {{.T}} restored.", map[string]any{"T": dr.At.In(clock.Location()).Format("01-02 15:04")}))
		draftRow.Show()
	}
	open := true
	keep := func() {
		if f := rf.fields(); len(f) > 0 {
			_ = dp.desk.SaveDraft(draftNewCase, f)
		} else {
			_ = dp.desk.DropDraft(draftNewCase) // emptied: nothing to keep
		}
	}
	rf.fd.onCancel = keep
	dp.br.atClose(func() { // the desk closing with the form open keeps it too
		if open && !rf.fd.sent {
			keep()
		}
	})
	rf.fd.check = rf.check
	rf.fd.send = func(ctx context.Context) error {
		at.pick(nil)
		_, err := dp.desk.Do(ctx, command.CaseRegister, command.CaseArgs{CaseID: uuid.NewString(), New: rf.newCase()}, 0)
		return err
	}
	rf.fd.done = func() {
		open = false
		_ = dp.desk.DropDraft(draftNewCase)
	}
	rf.fd.show(fyne.NewSize(620, 560))
	dp.lastForm, dp.lastRegister = rf.fd, rf
}

// setPlace puts the case at p, named by where.
func (rf *registerForm) setPlace(p orb.Point, where string) {
	rf.place = &p
	rf.where.SetText(fmt.Sprintf("%.5f, %.5f  %s", p[0], p[1], where))
}

// check refuses a form the desk could not register as it is.
func (rf *registerForm) check() error {
	switch {
	case strings.TrimSpace(rf.title.Text) == "":
		return refuse("args.new.title", lang.L("A title is required."))
	case rf.category.SelectedIndex() < 0:
		return refuse("args.new.category", lang.L("Choose a category."))
	case rf.place == nil:
		return refuse("args.new.lon", lang.L("Place the case on the map."))
	}
	return nil
}

func (rf *registerForm) newCase() *command.NewCase {
	n := &command.NewCase{Title: strings.TrimSpace(rf.title.Text), Description: rf.desc.Text, Category: rf.cats[rf.category.SelectedIndex()].Key,
		Source: registerSources[max(rf.source.SelectedIndex(), 0)], Lon: rf.place[0], Lat: rf.place[1]}
	if rf.urgent.Checked {
		n.Priority = "urgent"
	}
	return n
}

// fields is the form as a draft (nil: nothing typed or chosen).
func (rf *registerForm) fields() map[string]string {
	f := map[string]string{}
	put := func(k, v string) {
		if strings.TrimSpace(v) != "" {
			f[k] = v
		}
	}
	put("title", rf.title.Text)
	put("description", rf.desc.Text)
	if i := rf.category.SelectedIndex(); i >= 0 {
		put("category", rf.cats[i].Key)
	}
	if i := rf.source.SelectedIndex(); i > 0 {
		put("source", registerSources[i])
	}
	if rf.urgent.Checked {
		put("urgent", "1")
	}
	if rf.place != nil {
		put("lon", strconv.FormatFloat(rf.place[0], 'f', -1, 64))
		put("lat", strconv.FormatFloat(rf.place[1], 'f', -1, 64))
		put("where", rf.where.Text)
	}
	put("grid", rf.grid.entry.Text)
	if len(f) == 0 || (len(f) == 1 && f["source"] != "") {
		return nil
	}
	return f
}

// restore fills the form from a draft.
func (rf *registerForm) restore(f map[string]string, at placer) {
	rf.title.SetText(f["title"])
	rf.desc.SetText(f["description"])
	for i, c := range rf.cats {
		if c.Key == f["category"] {
			rf.category.SetSelectedIndex(i)
		}
	}
	for i, s := range registerSources {
		if s == f["source"] {
			rf.source.SetSelectedIndex(i)
		}
	}
	rf.urgent.SetChecked(f["urgent"] == "1")
	rf.grid.entry.SetText(f["grid"])
	lon, err1 := strconv.ParseFloat(f["lon"], 64)
	lat, err2 := strconv.ParseFloat(f["lat"], 64)
	if err1 == nil && err2 == nil {
		p := orb.Point{lon, lat}
		rf.place = &p
		rf.where.SetText(f["where"])
	}
}

// clearFields empties the form (a discarded draft).
func (rf *registerForm) clearFields() {
	rf.title.SetText("")
	rf.desc.SetText("")
	rf.category.ClearSelected()
	rf.hint.SetText("")
	rf.source.SetSelectedIndex(0)
	rf.urgent.SetChecked(false)
	rf.grid.entry.SetText("")
	rf.place = nil
	rf.where.SetText(lang.L("Not placed yet"))
}

// gridPicker is a grid's name typed with the matching grids listed under
// it as one types; a tap (or a name typed whole) chooses.
type gridPicker struct {
	entry   *keyEntry
	list    *keyList
	box     *fyne.Container
	obj     fyne.CanvasObject
	names   []string
	matches []int
}

// gridPickerRows is how many matches show at once.
const gridPickerRows = 5

func newGridPicker(names []string, chosen func(i int)) *gridPicker {
	gp := &gridPicker{names: names}
	gp.entry = newEntry()
	gp.entry.SetPlaceHolder(lang.L("or type a grid's name"))
	gp.list = newList(func() int { return len(gp.matches) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(gp.names[gp.matches[i]]) })
	gp.box = container.New(&fixedHeight{}, gp.list)
	gp.box.Hide()
	gp.list.OnSelected = func(i widget.ListItemID) {
		if i < len(gp.matches) {
			gp.entry.SetText(gp.names[gp.matches[i]]) // filters down to it, and chooses it
			gp.list.UnselectAll()
		}
	}
	gp.entry.OnChanged = func(text string) {
		text = strings.TrimSpace(text)
		gp.filter(text)
		for i, n := range gp.names {
			if n == text {
				chosen(i)
			}
		}
		rows := min(len(gp.matches), gridPickerRows)
		if len(gp.matches) == 1 && gp.names[gp.matches[0]] == text {
			rows = 0 // chosen: nothing left to pick
		}
		gp.show(rows)
	}
	gp.obj = container.NewVBox(gp.entry, gp.box)
	return gp
}

// filter keeps the grids whose name holds every word typed.
func (gp *gridPicker) filter(text string) {
	gp.matches = gp.matches[:0]
	words := strings.Fields(strings.ToLower(text))
	for i, n := range gp.names {
		if len(words) == 0 {
			break
		}
		ln := strings.ToLower(n)
		ok := true
		for _, w := range words {
			if !strings.Contains(ln, w) {
				ok = false
				break
			}
		}
		if ok {
			gp.matches = append(gp.matches, i)
		}
	}
	gp.list.Refresh()
}

// show makes room for rows matches (0: hides the list).
func (gp *gridPicker) show(rows int) {
	if rows == 0 {
		gp.box.Hide()
		return
	}
	row := widget.NewLabel("M").MinSize().Height + theme.Padding()
	gp.box.Layout.(*fixedHeight).h = float32(rows) * row
	gp.box.Show()
	gp.box.Refresh()
}

// fixedHeight lays its objects over each other at a set height.
type fixedHeight struct{ h float32 }

func (f *fixedHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := float32(0)
	for _, o := range objs {
		w = max(w, o.MinSize().Width)
	}
	return fyne.NewSize(w, f.h)
}

func (f *fixedHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
