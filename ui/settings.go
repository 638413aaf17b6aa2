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

	"griddesk/core/dispatch"
	"griddesk/domain"
)

var policyChoices = []string{dispatch.Policy333, dispatch.Policy135, dispatch.PolicyDepartment}

// showSettings is the admin's category dictionary (keywords that suggest a
// category, clock policies for normal and urgent cases) and the holiday
// calendars; changes go to every desk through the server.
func (dg *dialogs) showSettings() {
	cats := dg.desk.Categories()
	rows := container.NewVBox()
	var d dialog.Dialog
	for _, c := range cats {
		c := c
		text := fmt.Sprintf("%s · %s · %s: %s\n%s", categoryName(c), lang.L(policyShort(c.Policy)), lang.L("urgent"),
			lang.L(policyShort(c.PolicyFor("urgent"))), strings.Join(c.Keywords, lang.L(", ")))
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
	keysOf(dg.win.Canvas()).track(d)
}

func (dg *dialogs) editCategory(c domain.Category) {
	kw := newMultiLineEntry()
	kw.SetText(strings.Join(c.Keywords, "、"))
	var labels []string
	for _, p := range policyChoices {
		labels = append(labels, lang.L(policyLabel(p)))
	}
	normal := newSelect(labels, nil)
	normal.SetSelectedIndex(indexOf(policyChoices, c.Policy))
	urgent := newSelect(labels, nil)
	urgent.SetSelectedIndex(indexOf(policyChoices, c.PolicyFor("urgent")))
	fd := newFormDialog(dg.br, categoryName(c), lang.L("Save"), []formField{
		field(lang.L("Keywords (separated by 、 or ,)"), kw, "args.value.keywords"),
		field(lang.L("Clock policy"), normal, "args.value.policy"), field(lang.L("Clock policy, urgent"), urgent, "args.value.urgent_policy")})
	fd.send = func(ctx context.Context) error {
		var words []string
		for _, w := range strings.FieldsFunc(kw.Text, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == '\n' }) {
			if w = strings.TrimSpace(w); w != "" {
				words = append(words, w)
			}
		}
		cs := domain.CategorySetting{Keywords: words, Policy: policyChoices[max(normal.SelectedIndex(), 0)],
			UrgentPolicy: policyChoices[max(urgent.SelectedIndex(), 0)]}
		return dg.desk.PutCategory(ctx, c.Key, cs)
	}
	fd.done = dg.showSettings
	fd.show(fyne.NewSize(640, 360))
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
