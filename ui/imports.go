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

func crsSelect() *widget.Select {
	var labels []string
	for _, c := range crsChoices {
		labels = append(labels, c.label)
	}
	s := widget.NewSelect(labels, nil)
	s.SetSelectedIndex(0)
	return s
}

// importGrids: choose a GeoJSON file, map its properties, preview, import.
func (dg *dialogs) importGrids() {
	dg.pickFile([]string{".geojson", ".json"}, func(path string) {
		id, name, level, parent, village := widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
		id.SetText("网格编码")
		name.SetText("网格名称")
		level.SetText("网格类型")
		parent.SetText("上级网格")
		village.SetText("所属村社")
		crs := crsSelect()
		dialog.ShowForm(lang.L("Import grid boundaries"), lang.L("Preview"), lang.L("Cancel"), []*widget.FormItem{
			widget.NewFormItem(lang.L("ID property"), id), widget.NewFormItem(lang.L("Name property"), name),
			widget.NewFormItem(lang.L("Level property"), level), widget.NewFormItem(lang.L("Parent property"), parent),
			widget.NewFormItem(lang.L("Village property"), village), widget.NewFormItem(lang.L("Coordinates"), crs),
		}, func(ok bool) {
			if !ok {
				return
			}
			m := ingest.GridMapping{ID: id.Text, Name: name.Text, Level: level.Text, Parent: parent.Text, Village: village.Text,
				CRS: crsChoices[max(crs.SelectedIndex(), 0)].crs}
			load(dg.br, func(ctx context.Context) (ingest.Diff[domain.Grid], error) { return dg.desk.PreviewGrids(ctx, path, m) },
				func(diff ingest.Diff[domain.Grid]) {
					dg.importPreview(diff.String(), rowErrors(diff.Errors), nil, func(ctx context.Context) (int, error) { return dg.desk.ImportGrids(ctx, diff) })
				})
		}, dg.win)
	})
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
		enc := widget.NewSelect([]string{lang.L("Detect"), "UTF-8", "GBK"}, nil)
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
				func(diff ingest.EntityDiff) {
					var outside []string
					for _, e := range diff.Outside {
						outside = append(outside, fmt.Sprintf("%s %s (%.6f, %.6f)", e.ID, e.Name, e.Lon, e.Lat))
					}
					summary := diff.String() + fmt.Sprintf(", %d %s", len(diff.Outside), lang.L("outside every grid"))
					dg.importPreview(summary, rowErrors(diff.Errors), outside, func(ctx context.Context) (int, error) { return dg.desk.ImportEntities(ctx, diff) })
				})
		}, dg.win)
		d.Resize(fyne.NewSize(520, 560))
		d.Show()
	})
}

// rowErrors are an import's bad rows, as text.
func rowErrors(errs []ingest.RowError) []string {
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = e.Error()
	}
	return lines
}

// importPreview shows what an import will change; with any bad row it
// cannot be imported at all (an import lands whole or not at all).
func (dg *dialogs) importPreview(summary string, errs, outside []string, run func(ctx context.Context) (int, error)) {
	body := container.NewVBox(widget.NewLabelWithStyle(summary, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	if len(errs) > 0 {
		body.Add(widget.NewLabel(lang.L("Every bad row must be fixed in the file; nothing will be imported:")))
		for i, e := range errs {
			if i == 300 {
				body.Add(widget.NewLabel(lang.L("… and {{.N}} more", map[string]any{"N": len(errs) - 300})))
				break
			}
			l := widget.NewLabel(e)
			l.Wrapping = fyne.TextWrapWord
			body.Add(l)
		}
	}
	if len(outside) > 0 {
		body.Add(widget.NewLabel(lang.L("Outside every grid (imported without a grid):")))
		for _, o := range outside {
			body.Add(widget.NewLabel(o))
		}
	}
	var d *dialog.ConfirmDialog
	d = dialog.NewCustomConfirm(lang.L("Import preview"), lang.L("Import"), lang.L("Cancel"), container.NewVScroll(body), func(ok bool) {
		if !ok || len(errs) > 0 {
			return
		}
		load(dg.br, run, func(n int) {
			dialog.ShowInformation(lang.L("Import"), lang.L("{{.N}} records sent; they appear when the server has applied them.", map[string]any{"N": n}), dg.win)
		})
	}, dg.win)
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}
