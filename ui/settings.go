package ui

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"griddesk/domain"
)

var policyChoices = []string{"333", "135", "department"}

// showSettings is the admin's category dictionary (keywords that suggest a
// category, clock policies for normal and urgent cases) and the holiday
// calendars; changes go to every desk through the server.
func (dg *dialogs) showSettings() {
	cats := dg.desk.Categories()
	rows := container.NewVBox()
	var d dialog.Dialog
	for _, c := range cats {
		c := c
		text := fmt.Sprintf("%s · %s / %s\n%s", categoryName(c), c.Policy, c.PolicyFor("urgent"), strings.Join(c.Keywords, "、"))
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		rows.Add(container.NewBorder(nil, nil, nil, widget.NewButton(lang.L("Edit"), func() { d.Hide(); dg.editCategory(c) }), l))
	}
	years := dg.desk.Calendar().Years()
	var ys []string
	for _, y := range years {
		ys = append(ys, fmt.Sprint(y))
	}
	cal := widget.NewLabel(lang.L("Official holiday calendars: {{.Y}}", map[string]any{"Y": strings.Join(ys, ", ")}))
	public := widget.NewLabel(dg.publicURLText(context.Background()))
	load := widget.NewButton(lang.L("Load a newer calendar (holiday-cn JSON)…"), func() { d.Hide(); dg.loadCalendar() })
	catalog := widget.NewButton(lang.L("Check catalog"), func() { d.Hide(); dg.catalogDialog() })
	body := container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), public, cal, container.NewHBox(load, catalog)), nil, nil, container.NewVScroll(rows))
	d = dialog.NewCustom(lang.L("Settings"), lang.L("Close"), body, dg.win)
	d.Resize(fyne.NewSize(720, 560))
	d.Show()
}

func (dg *dialogs) editCategory(c domain.Category) {
	kw := widget.NewMultiLineEntry()
	kw.SetText(strings.Join(c.Keywords, "、"))
	normal := widget.NewSelect(policyChoices, nil)
	normal.SetSelected(c.Policy)
	urgent := widget.NewSelect(policyChoices, nil)
	urgent.SetSelected(c.PolicyFor("urgent"))
	dialog.ShowForm(categoryName(c), lang.L("Save"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Keywords (separated by 、 or ,)"), kw),
		widget.NewFormItem(lang.L("Clock policy"), normal), widget.NewFormItem(lang.L("Clock policy, urgent"), urgent),
	}, func(ok bool) {
		if !ok {
			return
		}
		var words []string
		for _, w := range strings.FieldsFunc(kw.Text, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == '\n' }) {
			if w = strings.TrimSpace(w); w != "" {
				words = append(words, w)
			}
		}
		cs := domain.CategorySetting{Keywords: words, Policy: normal.Selected, UrgentPolicy: urgent.Selected}
		dg.br.act(func(ctx context.Context) error { return dg.desk.PutCategory(ctx, c.Key, cs) }, dg.showSettings)
	}, dg.win)
}

func (dg *dialogs) loadCalendar() {
	d := dialog.NewFileOpen(func(uc fyne.URIReadCloser, err error) {
		if err != nil || uc == nil {
			return
		}
		data, err := io.ReadAll(uc)
		uc.Close()
		if err != nil {
			dialog.ShowError(err, dg.win)
			return
		}
		load(dg.br, func(ctx context.Context) (int, error) { return dg.desk.LoadCalendar(ctx, data) }, func(year int) {
			dialog.ShowInformation(lang.L("Settings"), lang.L("The {{.Y}} calendar goes to every desk.", map[string]any{"Y": year}), dg.win)
		})
	}, dg.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".json"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}
