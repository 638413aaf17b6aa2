package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/ingest"
	"griddesk/domain"
	"griddesk/domain/geo"
)

var crsChoices = []struct {
	crs   geo.CRS
	label string
}{{geo.WGS84, "WGS-84 (GPS)"}, {geo.GCJ02, "GCJ-02 (Amap, Tencent)"}, {geo.BD09, "BD-09 (Baidu)"}}

// pickFile asks for a file to import, then calls next with its path.
func (dg *dialogs) pickFile(exts []string, next func(path string)) {
	d := dialog.NewFileOpen(func(uc fyne.URIReadCloser, err error) {
		if err != nil || uc == nil {
			return
		}
		path := uc.URI().Path()
		uc.Close()
		next(path)
	}, dg.win)
	d.SetFilter(storage.NewExtensionFileFilter(exts))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func crsSelect() *keySelect {
	var labels []string
	for _, c := range crsChoices {
		labels = append(labels, c.label)
	}
	s := newSelect(labels, nil)
	s.SetSelectedIndex(0)
	return s
}

// importEntities: choose a CSV or XLSX register, map its columns, preview, import.
func (dg *dialogs) importEntities() {
	dg.pickFile([]string{".csv", ".xlsx"}, func(path string) {
		fields := []struct {
			label, def string
			e          *widget.Entry
		}{
			{"ID column", "统一编码", nil}, {"Name column", "名称", nil}, {"Kind column", "类型", nil}, {"Address column", "地址", nil},
			{"Longitude column", "经度", nil}, {"Latitude column", "纬度", nil}, {"Tags column", "标签", nil}, {"Code column", "三色码", nil},
		}
		var items []*widget.FormItem
		for i := range fields {
			fields[i].e = widget.NewEntry()
			fields[i].e.SetText(fields[i].def)
			items = append(items, widget.NewFormItem(lang.L(fields[i].label), fields[i].e))
		}
		crs := crsSelect()
		enc := newSelect([]string{lang.L("Detect"), "UTF-8", "GBK"}, nil)
		enc.SetSelectedIndex(0)
		items = append(items, widget.NewFormItem(lang.L("Coordinates"), crs), widget.NewFormItem(lang.L("Encoding (CSV)"), enc))
		d := dialog.NewForm(lang.L("Import entity register"), lang.L("Preview"), lang.L("Cancel"), items, func(ok bool) {
			if !ok {
				return
			}
			v := func(i int) string { return strings.TrimSpace(fields[i].e.Text) }
			m := ingest.EntityMapping{ID: v(0), Name: v(1), Kind: v(2), Address: v(3), Lon: v(4), Lat: v(5), Tags: v(6), Code: v(7),
				CRS: crsChoices[max(crs.SelectedIndex(), 0)].crs}
			o := ingest.Options{}
			switch enc.SelectedIndex() {
			case 1:
				o.Encoding = ingest.EncodingUTF8
			case 2:
				o.Encoding = ingest.EncodingGBK
			}
			load(dg.br, func(ctx context.Context) (ingest.EntityDiff, error) { return dg.desk.PreviewEntities(ctx, path, m, o) },
				dg.importPreview)
		}, dg.win)
		d.Resize(fyne.NewSize(520, 560))
		d.Show()
	})
}

// importPreview shows what an entity import will change: the summary, every
// bad row, the changed entities field by field, the codes the file may not
// set, and what lies outside every grid. With any bad row it cannot be
// imported at all (an import lands whole or not at all); changes to
// existing entities are confirmed first.
func (dg *dialogs) importPreview(diff ingest.EntityDiff) {
	body := container.NewVBox(bold(diffText(len(diff.New), len(diff.Updated), len(diff.Unchanged), len(diff.Errors)) + " · " +
		lang.L("{{.N}} outside every grid", map[string]any{"N": len(diff.Outside)})))
	addRowErrors(body, diff.Errors)
	if diff.CodesKept > 0 {
		l := widget.NewLabel(codesKeptText(diff.CodesKept))
		l.Importance = widget.WarningImportance
		body.Add(l)
	}
	if len(diff.Updated) > 0 {
		body.Add(bold(lang.L("Changed entities (confirm before importing):")))
		for i, u := range diff.Updated {
			if i == 300 {
				body.Add(widget.NewLabel(lang.L("… and {{.N}} more", map[string]any{"N": len(diff.Updated) - 300})))
				break
			}
			body.Add(entityChange(u))
		}
	}
	if len(diff.Outside) > 0 {
		body.Add(widget.NewLabel(lang.L("Outside every grid (imported without a grid):")))
		for _, e := range diff.Outside {
			body.Add(widget.NewLabel(fmt.Sprintf("%s %s (%.6f, %.6f)", e.ID, e.Name, e.Lon, e.Lat)))
		}
	}
	var d *dialog.CustomDialog
	run := widget.NewButton(lang.L("Import"), func() {
		confirmUpdates(dg, len(diff.Updated), diff.CodesKept, func() {
			load(dg.br, func(ctx context.Context) (int, error) { return dg.desk.ImportEntities(ctx, diff) }, func(n int) {
				d.Hide()
				dialog.ShowInformation(lang.L("Import"), lang.L("{{.N}} records sent; they appear when the server has applied them.", map[string]any{"N": n}), dg.win)
			})
		})
	})
	run.Importance = widget.HighImportance
	if len(diff.Errors) > 0 || len(diff.New)+len(diff.Updated) == 0 {
		run.Disable()
	}
	d = dialog.NewCustomWithoutButtons(lang.L("Import preview"), container.NewVScroll(body), dg.win)
	d.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("Cancel"), func() { d.Hide() }), run})
	d.Resize(fyne.NewSize(860, 600))
	keysOf(dg.win.Canvas()).track(d)
	dg.entityPreview = run
}

// entityFields name the fields an entity import changes (keys of lang.L).
var entityFields = map[string]string{"name": "name", "kind": "kind", "address": "address", "grid_id": "grid_id", "tags": "tags", "location": "location"}

// entityChange shows one changed entity, old → new, field by field.
func entityChange(u ingest.Update[domain.Entity]) fyne.CanvasObject {
	var lines []string
	for _, f := range u.Fields {
		var old, nw string
		switch f {
		case "name":
			old, nw = u.Old.Name, u.New.Name
		case "kind":
			old, nw = lang.L(kindLabel[u.Old.Kind]), lang.L(kindLabel[u.New.Kind])
		case "address":
			old, nw = u.Old.Address, u.New.Address
		case "grid_id":
			old, nw = u.Old.GridID, u.New.GridID
		case "tags":
			old, nw = strings.Join(u.Old.Tags, lang.L(", ")), strings.Join(u.New.Tags, lang.L(", "))
		case "location":
			old, nw = fmt.Sprintf("%.6f, %.6f", u.Old.Lon, u.Old.Lat), fmt.Sprintf("%.6f, %.6f", u.New.Lon, u.New.Lat)
		default:
			lines = append(lines, lang.L(entityFields[f]))
			continue
		}
		lines = append(lines, fmt.Sprintf("%s: %s → %s", lang.L(entityFields[f]), orNone(old), orNone(nw)))
	}
	l := widget.NewLabel("~ " + u.New.ID + " " + u.New.Name + "\n    " + strings.Join(lines, "\n    "))
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.WarningImportance
	return l
}

// addRowErrors lists a file's bad rows under what they stop (the first
// 300, and how many more).
func addRowErrors(body *fyne.Container, errs []ingest.RowError) {
	if len(errs) == 0 {
		return
	}
	body.Add(widget.NewLabel(lang.L("Every bad row must be fixed in the file; nothing will be imported:")))
	for i, e := range errs {
		if i == 300 {
			body.Add(widget.NewLabel(lang.L("… and {{.N}} more", map[string]any{"N": len(errs) - 300})))
			break
		}
		l := widget.NewLabel(rowErrorText(e))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.DangerImportance
		body.Add(l)
	}
}

// listPreview shows a summary and every bad row of a file (the town's
// catalogue); with any, it cannot be imported (Import stays disabled).
func (dg *dialogs) listPreview(summary string, errs []ingest.RowError, run func(ctx context.Context) (int, error)) {
	body := container.NewVBox(bold(summary))
	addRowErrors(body, errs)
	var d *dialog.CustomDialog
	imp := widget.NewButton(lang.L("Import"), func() {
		load(dg.br, run, func(n int) {
			d.Hide()
			dialog.ShowInformation(lang.L("Import"), lang.L("{{.N}} records sent; they appear when the server has applied them.", map[string]any{"N": n}), dg.win)
		})
	})
	imp.Importance = widget.HighImportance
	if len(errs) > 0 {
		imp.Disable()
	}
	d = dialog.NewCustomWithoutButtons(lang.L("Import preview"), container.NewVScroll(body), dg.win)
	d.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("Cancel"), func() { d.Hide() }), imp})
	d.Resize(fyne.NewSize(760, 520))
	keysOf(dg.win.Canvas()).track(d)
}
