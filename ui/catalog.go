package ui

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/ingest"
	"griddesk/domain"
)

// importCatalog: a CSV/XLSX catalog, previewed; any bad row blocks it all.
func (mw *mainWindow) importCatalog() {
	mw.pickFile([]string{".csv", ".xlsx"}, func(path string) {
		go func() {
			items, errs, err := mw.desk.ReadCatalog(path)
			fyne.Do(func() {
				if err != nil {
					dialog.ShowError(err, mw.win)
					return
				}
				var lines []string
				for _, e := range errs {
					lines = append(lines, e.Error())
				}
				summary := lang.L("{{.N}} check items", map[string]any{"N": len(items)})
				mw.importPreview(summary, lines, nil, func() (int, error) {
					return len(items), mw.desk.PutCatalog(context.Background(), filepath.Base(path), items)
				})
			})
		}()
	})
}

// exportCatalog writes the catalog as CSV or XLSX (by the file's name).
func (mw *mainWindow) exportCatalog() {
	mw.saveTo("检查清单.xlsx", func(w io.Writer) error {
		items, err := mw.desk.CheckItems(context.Background())
		if err != nil {
			return err
		}
		if f, ok := w.(interface{ URI() fyne.URI }); ok && strings.EqualFold(f.URI().Extension(), ".csv") {
			return ingest.WriteCatalogCSV(w, items)
		}
		return ingest.WriteCatalogXLSX(w, items)
	})
}

// catalogDialog lists the joint checklist for admins to edit item by item.
func (mw *mainWindow) catalogDialog() {
	go func() {
		items, err := mw.desk.CheckItems(context.Background())
		fyne.Do(func() {
			if err != nil {
				dialog.ShowError(err, mw.win)
				return
			}
			var d dialog.Dialog
			list := widget.NewList(func() int { return len(items) },
				func() fyne.CanvasObject {
					return container.NewBorder(nil, nil, nil, widget.NewButton(lang.L("Edit"), nil), widget.NewLabel(""))
				},
				func(i widget.ListItemID, o fyne.CanvasObject) {
					it := items[i]
					c := o.(*fyne.Container)
					key := ""
					if it.KeyDomain {
						key = " · " + lang.L("key domain")
					}
					c.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s %s · %s · %g %s · %s %d %s%s", it.ID, it.Name, lang.L(departmentLabel(it.Department)),
						it.Minutes, lang.L("min"), lang.L("every"), it.FrequencyDays, lang.L("days"), key))
					c.Objects[1].(*widget.Button).OnTapped = func() { d.Hide(); mw.editCheckItem(it) }
				})
			buttons := container.NewHBox(widget.NewButton(lang.L("Import check catalog (CSV/XLSX)…"), func() { d.Hide(); mw.importCatalog() }),
				widget.NewButton(lang.L("Export check catalog…"), mw.exportCatalog))
			d = dialog.NewCustom(lang.L("Check catalog"), lang.L("Close"), container.NewBorder(nil, buttons, nil, nil, list), mw.win)
			d.Resize(fyne.NewSize(860, 560))
			d.Show()
		})
	}()
}

func (mw *mainWindow) editCheckItem(it domain.CheckItem) {
	name, minutes, freq, basis := widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	name.SetText(it.Name)
	minutes.SetText(strconv.FormatFloat(it.Minutes, 'f', -1, 64))
	freq.SetText(strconv.Itoa(it.FrequencyDays))
	basis.SetText(it.LegalBasis)
	key := widget.NewCheck(lang.L("key domain"), nil)
	key.SetChecked(it.KeyDomain)
	dialog.ShowForm(it.ID+" "+it.Name, lang.L("Save"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Name"), name), widget.NewFormItem(lang.L("Minutes"), minutes),
		widget.NewFormItem(lang.L("Frequency (days)"), freq), widget.NewFormItem(lang.L("Legal basis"), basis), widget.NewFormItem("", key),
	}, func(ok bool) {
		if !ok {
			return
		}
		m, err1 := strconv.ParseFloat(strings.TrimSpace(minutes.Text), 64)
		f, err2 := strconv.Atoi(strings.TrimSpace(freq.Text))
		if err1 != nil || err2 != nil || m <= 0 || f <= 0 || strings.TrimSpace(name.Text) == "" {
			dialog.ShowError(fmt.Errorf("%s", lang.L("A name, minutes above 0 and a frequency in whole days above 0 are needed.")), mw.win)
			return
		}
		it.Name, it.Minutes, it.FrequencyDays, it.LegalBasis, it.KeyDomain = strings.TrimSpace(name.Text), m, f, basis.Text, key.Checked
		go func() {
			err := mw.desk.PutCatalog(context.Background(), "", []domain.CheckItem{it})
			fyne.Do(func() {
				if err != nil {
					dialog.ShowError(err, mw.win)
					return
				}
				mw.catalogDialog()
			})
		}()
	}, mw.win)
}
