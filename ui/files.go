package ui

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"griddesk/desk"
	"griddesk/domain/clock"
)

// fileMenu is the window's File menu: snapshots, imports and exports;
// rows are the cases the queue shows.
func (dg *dialogs) fileMenu(rows func() []desk.CaseRow) *fyne.Menu {
	return fyne.NewMenu(lang.L("File"),
		fyne.NewMenuItem(lang.L("Export snapshot…"), dg.exportSnapshot),
		fyne.NewMenuItem(lang.L("Open snapshot…"), dg.openSnapshot),
		fyne.NewMenuItem(lang.L("Open a scanned code…"), dg.openCode),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(lang.L("Import grid boundaries (GeoJSON)…"), dg.importGrids),
		fyne.NewMenuItem(lang.L("Import entity register (CSV/XLSX)…"), dg.importEntities),
		fyne.NewMenuItem(lang.L("Import check catalog (CSV/XLSX)…"), dg.importCatalog),
		fyne.NewMenuItem(lang.L("Export check catalog…"), dg.exportCatalog),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(lang.L("Export map layer as GeoJSON…"), dg.exportLayer),
		fyne.NewMenuItem(lang.L("Export case list as CSV…"), func() { dg.exportCases("csv", rows()) }),
		fyne.NewMenuItem(lang.L("Export case list as XLSX…"), func() { dg.exportCases("xlsx", rows()) }),
	)
}

// saveTo asks for a file name and writes it off the UI goroutine.
func (dg *dialogs) saveTo(name string, write func(ctx context.Context, w io.Writer) error) {
	d := dialog.NewFileSave(func(uc fyne.URIWriteCloser, err error) {
		if err != nil || uc == nil {
			return
		}
		dg.br.act(func(ctx context.Context) error {
			werr := write(ctx, uc)
			if cerr := uc.Close(); werr == nil {
				werr = cerr
			}
			return werr
		}, func() { dialog.ShowInformation(lang.L("Saved"), uc.URI().Path(), dg.win) })
	}, dg.win)
	d.SetFileName(name)
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func (dg *dialogs) exportSnapshot() {
	title := widget.NewEntry()
	title.SetText(lang.L("Snapshot") + " " + time.Now().In(clock.Location()).Format("2006-01-02"))
	from, to := widget.NewEntry(), widget.NewEntry()
	from.SetPlaceHolder("2026-07-01")
	to.SetPlaceHolder("2026-09-30")
	grids := widget.NewEntry()
	grids.SetPlaceHolder(lang.L("all grids (or IDs separated by commas)"))
	form := dialog.NewForm(lang.L("Export snapshot"), lang.L("Choose file…"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Title"), title), widget.NewFormItem(lang.L("Grids"), grids),
		widget.NewFormItem(lang.L("From (date)"), from), widget.NewFormItem(lang.L("To (date, inclusive)"), to),
	}, func(ok bool) {
		if !ok {
			return
		}
		var f, t time.Time
		var err error
		if from.Text != "" {
			if f, err = time.ParseInLocation("2006-01-02", from.Text, clock.Location()); err != nil {
				dialog.ShowError(fmt.Errorf("%s: %q", lang.L("From is not a date like 2026-07-01"), from.Text), dg.win)
				return
			}
		}
		if to.Text != "" {
			if t, err = time.ParseInLocation("2006-01-02", to.Text, clock.Location()); err != nil {
				dialog.ShowError(fmt.Errorf("%s: %q", lang.L("To is not a date like 2026-09-30"), to.Text), dg.win)
				return
			}
			t = t.AddDate(0, 0, 1) // inclusive end date → exclusive bound
		}
		var ids []string
		for _, s := range strings.Split(grids.Text, ",") {
			if s = strings.TrimSpace(s); s != "" {
				ids = append(ids, s)
			}
		}
		d := dialog.NewFileSave(func(uc fyne.URIWriteCloser, err error) {
			if err != nil || uc == nil {
				return
			}
			path := uc.URI().Path()
			uc.Close() // the exporter writes next to it and renames into place
			prog := dialog.NewCustomWithoutButtons(lang.L("Exporting…"), widget.NewProgressBarInfinite(), dg.win)
			prog.Show()
			name := title.Text
			dg.br.run(func(ctx context.Context) func() {
				sum, err := dg.desk.ExportSnapshot(ctx, path, ids, f, t, name)
				return func() {
					prog.Hide()
					if err != nil {
						dialog.ShowError(err, dg.win)
						return
					}
					dialog.ShowInformation(lang.L("Snapshot saved"), fmt.Sprintf("%s\n%s: %d · %s: %d · %s: %d · %s: %d", sum.Path,
						lang.L("Grids"), sum.Counts["grid"], lang.L("Entities"), sum.Counts["entity"], lang.L("Cases"), sum.Counts["case"],
						lang.L("Photos"), sum.Photos), dg.win)
				}
			})
		}, dg.win)
		d.SetFileName("griddesk-" + time.Now().In(clock.Location()).Format("20060102-1504") + ".gpkg")
		d.Resize(fyne.NewSize(800, 560))
		d.Show()
	}, dg.win)
	form.Resize(fyne.NewSize(520, 320))
	form.Show()
}

// openSnapshot reviews a snapshot in a window of its own, read-only.
func (dg *dialogs) openSnapshot() {
	d := dialog.NewFileOpen(func(uc fyne.URIReadCloser, err error) {
		if err != nil || uc == nil {
			return
		}
		path := uc.URI().Path()
		uc.Close()
		// the review's own window closes it; should the desk's window close
		// first, the app quits with it
		load(dg.br, func(ctx context.Context) (*desk.Desk, error) {
			return desk.OpenSnapshot(ctx, path, dg.desk.Config().DataDir)
		},
			func(r *desk.Desk) {
				w := newMainWindow(fyne.CurrentApp(), r)
				w.br.atClose(func() { r.Close() })
				w.loader.reload(partAll)
				w.win.Show()
			})
	}, dg.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".gpkg"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func (dg *dialogs) exportLayer() {
	layers := []string{"grids.base", "grids.micro", "grids.inspection", "grids.enforcement", desk.ExportEntities, desk.ExportCases}
	labels := []string{lang.L("Base grids"), lang.L("Micro grids"), lang.L("Inspection grids"), lang.L("Enforcement grids"), lang.L("Entities"), lang.L("Cases")}
	sel := widget.NewSelect(labels, nil)
	sel.SetSelectedIndex(0)
	dialog.ShowCustomConfirm(lang.L("Export map layer as GeoJSON…"), lang.L("Choose file…"), lang.L("Cancel"), container.NewVBox(sel), func(ok bool) {
		if !ok || sel.SelectedIndex() < 0 {
			return
		}
		layer := layers[sel.SelectedIndex()]
		dg.saveTo(layer+".geojson", func(ctx context.Context, w io.Writer) error { return dg.desk.ExportGeoJSON(ctx, w, layer) })
	}, dg.win)
}

// exportCases writes rows (what the queue shows, filters applied).
func (dg *dialogs) exportCases(format string, rows []desk.CaseRow) {
	rows = append([]desk.CaseRow(nil), rows...)
	name := "cases-" + time.Now().In(clock.Location()).Format("20060102-1504") + "." + format
	dg.saveTo(filepath.Base(name), func(_ context.Context, w io.Writer) error {
		if format == "xlsx" {
			return desk.WriteCasesXLSX(w, rows)
		}
		return desk.WriteCasesCSV(w, rows)
	})
}
