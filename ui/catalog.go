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
func (dg *dialogs) importCatalog() {
	dg.pickFile([]string{".csv", ".xlsx"}, func(path string) {
		type read struct {
			items []domain.CheckItem
			errs  ingest.Errors
		}
		load(dg.br, func(context.Context) (read, error) {
			items, errs, err := dg.desk.ReadCatalog(path)
			return read{items, errs}, err
		}, func(r read) {
			summary := lang.L("{{.N}} check items", map[string]any{"N": len(r.items)})
			dg.listPreview(summary, r.errs, func(ctx context.Context) (int, error) {
				return len(r.items), dg.desk.PutCatalog(ctx, filepath.Base(path), r.items)
			})
		})
	})
}

// exportCatalog writes the catalog as CSV or XLSX (by the file's name).
func (dg *dialogs) exportCatalog() {
	dg.saveTo(docName("check-catalog", "xlsx"), func(ctx context.Context, w io.Writer) error {
		items, err := dg.desk.CheckItems(ctx)
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
func (dg *dialogs) catalogDialog() {
	load(dg.br, dg.desk.CheckItems, func(items []domain.CheckItem) {
		var d dialog.Dialog
		list := newList(func() int { return len(items) },
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
				c.Objects[1].(*widget.Button).OnTapped = func() { d.Hide(); dg.editCheckItem(it) }
			})
		buttons := container.NewHBox(widget.NewButton(lang.L("Import check catalog (CSV/XLSX)…"), func() { d.Hide(); dg.importCatalog() }),
			widget.NewButton(lang.L("Export check catalog…"), dg.exportCatalog))
		d = dialog.NewCustom(lang.L("Check catalog"), lang.L("Close"), container.NewBorder(nil, buttons, nil, nil, list), dg.win)
		d.Resize(fyne.NewSize(860, 560))
		d.Show()
	})
}

func (dg *dialogs) editCheckItem(it domain.CheckItem) {
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
			dialog.ShowError(fmt.Errorf("%s", lang.L("A name, minutes above 0 and a frequency in whole days above 0 are needed.")), dg.win)
			return
		}
		it.Name, it.Minutes, it.FrequencyDays, it.LegalBasis, it.KeyDomain = strings.TrimSpace(name.Text), m, f, basis.Text, key.Checked
		dg.br.act(func(ctx context.Context) error { return dg.desk.PutCatalog(ctx, "", []domain.CheckItem{it}) }, dg.catalogDialog)
	}, dg.win)
}
