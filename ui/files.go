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

// mainMenu is the window's File menu: snapshots and exports.
func (mw *mainWindow) mainMenu() *fyne.MainMenu {
	file := fyne.NewMenu(lang.L("File"),
		fyne.NewMenuItem(lang.L("Export snapshot…"), mw.exportSnapshot),
		fyne.NewMenuItem(lang.L("Open snapshot…"), mw.openSnapshot),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(lang.L("Import grid boundaries (GeoJSON)…"), mw.importGrids),
		fyne.NewMenuItem(lang.L("Import entity register (CSV/XLSX)…"), mw.importEntities),
		fyne.NewMenuItem(lang.L("Import check catalog (CSV/XLSX)…"), mw.importCatalog),
		fyne.NewMenuItem(lang.L("Export check catalog…"), mw.exportCatalog),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(lang.L("Export map layer as GeoJSON…"), mw.exportLayer),
		fyne.NewMenuItem(lang.L("Export case list as CSV…"), func() { mw.exportCases("csv") }),
		fyne.NewMenuItem(lang.L("Export case list as XLSX…"), func() { mw.exportCases("xlsx") }),
	)
	return fyne.NewMainMenu(file)
}

// saveTo asks for a file name and writes it off the UI goroutine.
func (mw *mainWindow) saveTo(name string, write func(w io.Writer) error) {
	d := dialog.NewFileSave(func(uc fyne.URIWriteCloser, err error) {
		if err != nil || uc == nil {
			return
		}
		go func() {
			werr := write(uc)
			cerr := uc.Close()
			fyne.Do(func() {
				if werr == nil {
					werr = cerr
				}
				if werr != nil {
					dialog.ShowError(werr, mw.win)
					return
				}
				dialog.ShowInformation(lang.L("Saved"), uc.URI().Path(), mw.win)
			})
		}()
	}, mw.win)
	d.SetFileName(name)
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func (mw *mainWindow) exportSnapshot() {
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
				dialog.ShowError(fmt.Errorf("%s: %q", lang.L("From is not a date like 2026-07-01"), from.Text), mw.win)
				return
			}
		}
		if to.Text != "" {
			if t, err = time.ParseInLocation("2006-01-02", to.Text, clock.Location()); err != nil {
				dialog.ShowError(fmt.Errorf("%s: %q", lang.L("To is not a date like 2026-09-30"), to.Text), mw.win)
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
			prog := dialog.NewCustomWithoutButtons(lang.L("Exporting…"), widget.NewProgressBarInfinite(), mw.win)
			prog.Show()
			go func() {
				sum, err := mw.desk.ExportSnapshot(context.Background(), path, ids, f, t, title.Text)
				fyne.Do(func() {
					prog.Hide()
					if err != nil {
						dialog.ShowError(err, mw.win)
						return
					}
					dialog.ShowInformation(lang.L("Snapshot saved"), fmt.Sprintf("%s\n%s: %d · %s: %d · %s: %d · %s: %d", sum.Path,
						lang.L("Grids"), sum.Counts["grid"], lang.L("Entities"), sum.Counts["entity"], lang.L("Cases"), sum.Counts["case"],
						lang.L("Photos"), sum.Photos), mw.win)
				})
			}()
		}, mw.win)
		d.SetFileName("griddesk-" + time.Now().In(clock.Location()).Format("20060102-1504") + ".gpkg")
		d.Resize(fyne.NewSize(800, 560))
		d.Show()
	}, mw.win)
	form.Resize(fyne.NewSize(520, 320))
	form.Show()
}

// openSnapshot reviews a snapshot in a window of its own, read-only.
func (mw *mainWindow) openSnapshot() {
	d := dialog.NewFileOpen(func(uc fyne.URIReadCloser, err error) {
		if err != nil || uc == nil {
			return
		}
		path := uc.URI().Path()
		uc.Close()
		go func() {
			r, err := desk.OpenSnapshot(context.Background(), path, mw.desk.Config().DataDir)
			fyne.Do(func() {
				if err != nil {
					dialog.ShowError(err, mw.win)
					return
				}
				w := newMainWindow(fyne.CurrentApp(), r)
				w.win.SetOnClosed(func() { r.Close() })
				w.bridge.reload()
				w.win.Show()
			})
		}()
	}, mw.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".gpkg"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func (mw *mainWindow) exportLayer() {
	layers := []string{"grids.base", "grids.micro", "grids.inspection", "grids.enforcement", desk.ExportEntities, desk.ExportCases}
	labels := []string{lang.L("Base grids"), lang.L("Micro grids"), lang.L("Inspection grids"), lang.L("Enforcement grids"), lang.L("Entities"), lang.L("Cases")}
	sel := widget.NewSelect(labels, nil)
	sel.SetSelectedIndex(0)
	dialog.ShowCustomConfirm(lang.L("Export map layer as GeoJSON…"), lang.L("Choose file…"), lang.L("Cancel"), container.NewVBox(sel), func(ok bool) {
		if !ok || sel.SelectedIndex() < 0 {
			return
		}
		layer := layers[sel.SelectedIndex()]
		mw.saveTo(layer+".geojson", func(w io.Writer) error { return mw.desk.ExportGeoJSON(context.Background(), w, layer) })
	}, mw.win)
}

func (mw *mainWindow) exportCases(format string) {
	rows := append([]desk.CaseRow(nil), mw.cases...) // what the queue shows, filters applied
	name := "cases-" + time.Now().In(clock.Location()).Format("20060102-1504") + "." + format
	mw.saveTo(filepath.Base(name), func(w io.Writer) error {
		if format == "xlsx" {
			return desk.WriteCasesXLSX(w, rows)
		}
		return desk.WriteCasesCSV(w, rows)
	})
}
