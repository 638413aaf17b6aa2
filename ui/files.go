package ui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
)

// fileMenu is the window's File menu: snapshots, imports and exports;
// rows are the cases the queue shows. Under review (a snapshot) the
// imports are disabled: nothing may change the data.
func (dg *dialogs) fileMenu(rows func() []desk.CaseRow, review bool) *fyne.Menu {
	imports := []*fyne.MenuItem{
		fyne.NewMenuItem(lang.L("Import grid boundaries (GeoJSON)…"), dg.importGrids),
		fyne.NewMenuItem(lang.L("Import entity register (CSV/XLSX)…"), dg.importEntities),
		fyne.NewMenuItem(lang.L("Import check catalog (CSV/XLSX)…"), dg.importCatalog),
	}
	for _, it := range imports {
		it.Disabled = review
	}
	return fyne.NewMenu(lang.L("File"),
		fyne.NewMenuItem(lang.L("Export snapshot…"), dg.exportSnapshot),
		fyne.NewMenuItem(lang.L("Open snapshot…"), dg.openSnapshot),
		fyne.NewMenuItem(lang.L("Open a scanned code…"), dg.openCode),
		fyne.NewMenuItemSeparator(),
		imports[0], imports[1], imports[2],
		fyne.NewMenuItem(lang.L("Export check catalog…"), dg.exportCatalog),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(lang.L("Export map layer as GeoJSON…"), dg.exportLayer),
		fyne.NewMenuItem(lang.L("Export case list as CSV…"), func() { dg.exportCases("csv", rows()) }),
		fyne.NewMenuItem(lang.L("Export case list as XLSX…"), func() { dg.exportCases("xlsx", rows()) }),
	)
}

// caseColumns are a case list's columns (keys of lang.L).
var caseColumns = []string{"Number", "Title", "Category", "State", "Light", "Grid", "Unit", "Source", "Reported", "Longitude", "Latitude", "Rating"}

// caseLabels words a case list export in the user's language.
func caseLabels() desk.CaseLabels {
	var head []string
	for _, h := range caseColumns {
		head = append(head, lang.L(h))
	}
	return desk.CaseLabels{Sheet: lang.L("Cases"), Header: head,
		Status:   func(s domain.CaseStatus) string { return lang.L(statusLabel[s]) },
		Light:    func(l clock.Light) string { return lang.L(lightLabel[l]) },
		Source:   func(s string) string { return lang.L(sourceLabel(s)) },
		Category: categoryName,
		Rating:   func(s domain.Satisfaction) string { return lang.L(satisfactionLabel[s]) },
	}
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
	title := newEntry()
	now := time.Now().In(clock.Location())
	title.SetText(lang.L("Snapshot") + " " + now.Format("2006-01-02"))
	from, to := newEntry(), newEntry()
	from.SetText(now.AddDate(0, 0, -90).Format(dateLayout)) // the last 90 days, today's work included
	to.SetText(now.Format(dateLayout))
	grids := newEntry()
	grids.SetPlaceHolder(lang.L("all grids (or IDs separated by commas)"))
	fd := newFormDialog(dg.br, lang.L("Export snapshot"), lang.L("Choose file…"), []formField{
		field(lang.L("Title"), title, "title"), field(lang.L("Grids"), grids, "grids"),
		field(lang.L("From (date)"), from, "from"), field(lang.L("To (date, inclusive)"), to, "to"),
	})
	var f, t time.Time
	var ids []string
	fd.check = func() error {
		var err error
		f, t = time.Time{}, time.Time{}
		if s := strings.TrimSpace(from.Text); s != "" {
			if f, err = time.ParseInLocation(dateLayout, s, clock.Location()); err != nil {
				return refuse("from", fmt.Sprintf("%s: %q", lang.L("From is not a date like 2026-07-01"), s))
			}
		}
		if s := strings.TrimSpace(to.Text); s != "" {
			if t, err = time.ParseInLocation(dateLayout, s, clock.Location()); err != nil {
				return refuse("to", fmt.Sprintf("%s: %q", lang.L("To is not a date like 2026-09-30"), s))
			}
			t = t.AddDate(0, 0, 1) // inclusive end date → exclusive bound
		}
		if !f.IsZero() && !t.IsZero() && !f.Before(t) {
			return refuse("to", lang.L("The end is before the start."))
		}
		ids = nil
		for _, s := range strings.Split(grids.Text, ",") {
			if s = strings.TrimSpace(s); s != "" {
				ids = append(ids, s)
			}
		}
		return nil
	}
	fd.done = func() { dg.saveSnapshot(title.Text, ids, f, t) }
	fd.show(fyne.NewSize(540, 340))
}

// saveSnapshot asks where to write the snapshot, then writes it.
func (dg *dialogs) saveSnapshot(name string, ids []string, f, t time.Time) {
	d := dialog.NewFileSave(func(uc fyne.URIWriteCloser, err error) {
		if err != nil || uc == nil {
			return
		}
		path := uc.URI().Path()
		uc.Close() // the exporter writes next to it and renames into place
		prog := dialog.NewCustomWithoutButtons(lang.L("Exporting…"), widget.NewProgressBarInfinite(), dg.win)
		prog.Show()
		dg.br.run(func(ctx context.Context) func() {
			sum, err := dg.desk.ExportSnapshot(ctx, path, ids, f, t, name)
			return func() {
				prog.Hide()
				if err != nil {
					dg.br.showError(err)
					return
				}
				dialog.ShowInformation(lang.L("Snapshot saved"), fmt.Sprintf("%s\n%s: %d · %s: %d · %s: %d · %s: %d", sum.Path,
					lang.L("Grids"), sum.Counts["grid"], lang.L("Entities"), sum.Counts["entity"], lang.L("Cases"), sum.Counts["case"],
					lang.L("Photos"), sum.Photos), dg.win)
			}
		})
	}, dg.win)
	d.SetFileName(docName("snapshot", "gpkg", time.Now().In(clock.Location()).Format("20060102-1504")))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
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
	sel := newSelect(labels, nil)
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
	dg.saveTo(docName("cases", format, time.Now().In(clock.Location()).Format("20060102-1504")), func(_ context.Context, w io.Writer) error {
		return desk.WriteCaseList(w, format, rows, caseLabels())
	})
}
