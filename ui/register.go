package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"griddesk/core/command"
	"griddesk/domain"
)

// placer is the map as the register form uses it: a click for the place,
// the grids to name it by.
type placer interface {
	pick(fn func(orb.Point)) // the next tap's place goes to fn (nil: none)
	gridNameAt(p orb.Point) string
	gridsOf(layerIDs ...string) []domain.Grid
}

// register is the form for a hotline call: what the caller says, where
// (picked on the map), the category suggested from the words.
func (dp *detailPanel) register(at placer) {
	title := widget.NewEntry()
	desc := widget.NewMultiLineEntry()
	desc.SetMinRowsVisible(3)
	cats := dp.desk.Categories()
	var catNames []string
	for _, c := range cats {
		catNames = append(catNames, categoryName(c))
	}
	category := widget.NewSelect(catNames, nil)
	category.PlaceHolder = lang.L("Choose…")
	hint := widget.NewLabel("")
	suggest := func(string) {
		if c, ok := dp.desk.SuggestCategory(title.Text + " " + desc.Text); ok {
			for i, x := range cats {
				if x.Key == c.Key {
					category.SetSelectedIndex(i)
					hint.SetText(lang.L("Suggested from the caller's words"))
				}
			}
		}
	}
	title.OnChanged, desc.OnChanged = suggest, suggest
	sources := []string{domain.SourceHotline, domain.SourceGridWorker, domain.SourceSensor}
	source := widget.NewSelect([]string{lang.L("12345 hotline"), lang.L("Grid worker"), lang.L("Sensor")}, nil)
	source.SetSelectedIndex(0)
	urgent := widget.NewCheck(lang.L("Urgent"), nil)
	var place *orb.Point
	where := widget.NewLabel(lang.L("Not placed yet"))
	var d dialog.Dialog
	pick := widget.NewButton(lang.L("Pick on the map"), func() {
		d.Hide()
		dp.say(lang.L("Click the map where the caller is."))
		at.pick(func(p orb.Point) {
			place = &p
			where.SetText(fmt.Sprintf("%.5f, %.5f  %s", p[0], p[1], at.gridNameAt(p)))
			d.Show()
		})
	})
	// or by grid, when the caller names a place rather than a point
	var gridNames []string
	var gridAt []orb.Point
	for _, g := range at.gridsOf(layerBase, layerMicro) {
		c, _ := planar.CentroidArea(g.Geometry)
		gridNames, gridAt = append(gridNames, g.Name), append(gridAt, c)
	}
	byGrid := widget.NewSelectEntry(gridNames)
	byGrid.SetPlaceHolder(lang.L("or type a grid's name"))
	byGrid.OnChanged = func(text string) {
		for i, n := range gridNames {
			if n == text {
				p := gridAt[i]
				place = &p
				where.SetText(fmt.Sprintf("%.5f, %.5f  %s", p[0], p[1], n))
			}
		}
	}
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("Title"), title), widget.NewFormItem(lang.L("Caller's report"), desc),
		widget.NewFormItem(lang.L("Category"), container.NewVBox(category, hint)),
		widget.NewFormItem(lang.L("Location"), container.NewVBox(container.NewBorder(nil, nil, nil, pick, where), byGrid)),
		widget.NewFormItem(lang.L("Source"), source), widget.NewFormItem("", urgent),
	}
	d = dialog.NewForm(lang.L("New case"), lang.L("Register"), lang.L("Cancel"), items, func(ok bool) {
		at.pick(nil)
		if !ok {
			return
		}
		switch {
		case title.Text == "":
			dialog.ShowError(fmt.Errorf("%s", lang.L("A title is required.")), dp.br.win)
			return
		case category.SelectedIndex() < 0:
			dialog.ShowError(fmt.Errorf("%s", lang.L("Choose a category.")), dp.br.win)
			return
		case place == nil:
			dialog.ShowError(fmt.Errorf("%s", lang.L("Place the case on the map.")), dp.br.win)
			return
		}
		n := &command.NewCase{Title: title.Text, Description: desc.Text, Category: cats[category.SelectedIndex()].Key,
			Source: sources[max(source.SelectedIndex(), 0)], Lon: place[0], Lat: place[1]}
		if urgent.Checked {
			n.Priority = "urgent"
		}
		dp.issue(command.CaseRegister, command.CaseArgs{CaseID: uuid.NewString(), New: n}, 0)
	}, dp.br.win)
	d.Resize(fyne.NewSize(560, 460))
	d.Show()
}
