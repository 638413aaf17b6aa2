package ui

import (
	"context"
	"encoding/json"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"griddesk/assets"
	"griddesk/core/ingest"
	"griddesk/domain"
	"griddesk/domain/geo"
	"griddesk/mapview"
)

// gridImport is the grid-boundary import: the file is read first, so
// every mapping field offers the file's actual property names (nested ones
// with dots, "parent.adcode"); the level comes from a property, its values
// mapped to GridDesk's levels, or is one level for all; the CRS is chosen
// (guessed from the layout). The features are drawn on a map preview with
// the town's grids, the diff is listed (new, changed with their fields,
// errors), Import stays disabled while there is any error, and the mapping
// and CRS are remembered per file layout.
type gridImport struct {
	dg     *dialogs
	path   string
	layout ingest.Layout

	id, name, level, parent, village *keySelect
	fixed                            *keySelect // one level for all
	byProp                           *widget.RadioGroup
	values                           *fyne.Container // a level per property value
	valueSel                         map[string]*keySelect
	crs                              *keySelect
	atTop                            *widget.Check

	summary *widget.Label
	details *fyne.Container
	preview *mapview.Map
	run     *widget.Button
	d       *dialog.CustomDialog

	diff ingest.Diff[domain.Grid]
	ok   bool // the last preview can be imported
	seq  int
}

// propNone is the choice of no property.
const propNone = "—"

// importGrids: choose a GeoJSON file, map its properties, preview, import.
func (dg *dialogs) importGrids() {
	dg.pickFile([]string{".geojson", ".json"}, func(path string) {
		load(dg.br, func(context.Context) (ingest.Layout, error) { return dg.desk.InspectGridFile(path) },
			func(l ingest.Layout) { dg.gridImportDialog(path, l) })
	})
}

// gridImportDialog opens the mapping and preview for a read file.
func (dg *dialogs) gridImportDialog(path string, l ingest.Layout) *gridImport {
	gi := &gridImport{dg: dg, path: path, layout: l, valueSel: map[string]*keySelect{}}
	var scalars []string
	for _, p := range l.Props {
		if p.Scalar() {
			scalars = append(scalars, p.Name)
		}
	}
	opts := func(none string) []string { return append([]string{none}, scalars...) }
	changed := func(string) { gi.refresh() }
	gi.id = newSelect(opts(lang.L("the feature's own id")), changed)
	gi.name = newSelect(scalars, changed)
	gi.level = newSelect(scalars, func(string) { gi.levelValues(); gi.refresh() })
	gi.parent = newSelect(opts(propNone), changed)
	gi.village = newSelect(opts(propNone), changed)
	var levelNames []string
	for _, lv := range ingest.Levels {
		levelNames = append(levelNames, lang.L(levelLabel[lv]))
	}
	gi.fixed = newSelect(levelNames, changed)
	gi.byProp = widget.NewRadioGroup([]string{lang.L("From a property"), lang.L("One level for every grid")}, func(string) {
		gi.levelMode()
		gi.refresh()
	})
	gi.byProp.Horizontal = true
	gi.values = container.NewVBox()
	var crsNames []string
	for _, c := range crsChoices {
		crsNames = append(crsNames, c.label)
	}
	gi.crs = newSelect(crsNames, changed)
	gi.atTop = widget.NewCheck(lang.L("A parent neither in the file nor in GridDesk: import the grid at the top"), func(bool) { gi.refresh() })

	gi.apply(gi.remembered())

	gi.summary = bold("")
	gi.summary.Wrapping = fyne.TextWrapWord
	gi.details = container.NewVBox()
	gi.preview = mapview.New()
	if f, err := mapview.NewFonts(assets.CJKFont); err == nil {
		gi.preview.SetFonts(f)
	}
	gi.run = widget.NewButton(lang.L("Import"), gi.land)
	gi.run.Importance = widget.HighImportance
	gi.run.Disable()

	form := widget.NewForm(
		widget.NewFormItem(lang.L("ID property"), gi.id),
		widget.NewFormItem(lang.L("Name property"), gi.name),
		widget.NewFormItem(lang.L("Level"), container.NewVBox(gi.byProp, gi.level, gi.fixed, gi.values)),
		widget.NewFormItem(lang.L("Parent property"), container.NewVBox(gi.parent, gi.atTop)),
		widget.NewFormItem(lang.L("Village property"), gi.village),
		widget.NewFormItem(lang.L("Coordinates"), gi.crs),
	)
	head := widget.NewLabel(lang.L("{{.F}}: {{.N}} features", map[string]any{"F": l.File, "N": l.Features}))
	left := container.NewBorder(head, nil, nil, nil, container.NewVScroll(form))
	mapBox := container.NewGridWrap(fyne.NewSize(520, 320), gi.preview)
	right := container.NewBorder(container.NewVBox(mapBox, gi.summary), nil, nil, nil, container.NewVScroll(gi.details))
	split := container.NewHSplit(left, right)
	split.Offset = 0.45
	gi.d = dialog.NewCustomWithoutButtons(lang.L("Import grid boundaries"), split, dg.win)
	cancel := widget.NewButton(lang.L("Cancel"), func() { gi.d.Hide() })
	gi.d.SetButtons([]fyne.CanvasObject{cancel, gi.run})
	gi.d.Resize(fyne.NewSize(1180, 760))
	keysOf(dg.win.Canvas()).track(gi.d)
	dg.grids = gi
	gi.refresh()
	return gi
}

// savedMapping is a mapping as remembered for a file layout.
type savedMapping struct {
	ID, Name, Level, Parent, Village string
	FixedLevel                       string
	LevelValues                      map[string]string
	CRS                              string
	AtTop                            bool
}

func (gi *gridImport) prefKey() string { return "import.grids." + gi.layout.Key }

// remembered is the mapping last used for this layout, or the guess.
func (gi *gridImport) remembered() savedMapping {
	if raw := fyne.CurrentApp().Preferences().String(gi.prefKey()); raw != "" {
		var m savedMapping
		if json.Unmarshal([]byte(raw), &m) == nil {
			return m
		}
	}
	g := gi.layout.Guess
	return savedMapping{ID: g.ID, Name: g.Name, Level: g.Level, Parent: g.Parent, Village: g.Village, FixedLevel: g.FixedLevel,
		LevelValues: g.LevelValues, CRS: string(g.CRS), AtTop: g.OrphansAtTop}
}

// apply sets the form from a mapping.
func (gi *gridImport) apply(m savedMapping) {
	choose := func(s *keySelect, v string) {
		if v == "" {
			s.SetSelectedIndex(0)
			return
		}
		for i, o := range s.Options {
			if o == v {
				s.SetSelectedIndex(i)
				return
			}
		}
		s.SetSelectedIndex(0)
	}
	choose(gi.id, m.ID)
	choose(gi.name, m.Name)
	choose(gi.parent, m.Parent)
	choose(gi.village, m.Village)
	if m.Level != "" {
		choose(gi.level, m.Level)
		gi.byProp.SetSelected(gi.byProp.Options[0])
	} else {
		gi.byProp.SetSelected(gi.byProp.Options[1])
	}
	gi.fixed.SetSelectedIndex(max(indexOf(ingest.Levels, m.FixedLevel), 0))
	if m.FixedLevel == "" {
		gi.fixed.SetSelectedIndex(indexOf(ingest.Levels, domain.LevelBase))
	}
	gi.levelValues()
	for v, lv := range m.LevelValues {
		if s, ok := gi.valueSel[v]; ok {
			s.SetSelectedIndex(indexOf(ingest.Levels, lv))
		}
	}
	gi.crs.SetSelectedIndex(0)
	for i, c := range crsChoices {
		if string(c.crs) == m.CRS {
			gi.crs.SetSelectedIndex(i)
		}
	}
	gi.atTop.SetChecked(m.AtTop)
	gi.levelMode()
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

// levelMode shows the level property and its values, or the fixed level.
func (gi *gridImport) levelMode() {
	if gi.byProp.Selected == gi.byProp.Options[0] {
		gi.level.Show()
		gi.values.Show()
		gi.fixed.Hide()
	} else {
		gi.level.Hide()
		gi.values.Hide()
		gi.fixed.Show()
	}
}

// levelValues lists the level property's values, each with the level it
// maps to (GridDesk's own level names preset; others to choose).
func (gi *gridImport) levelValues() {
	gi.values.RemoveAll()
	gi.valueSel = map[string]*keySelect{}
	p, ok := gi.layout.Prop(gi.level.Selected)
	if !ok {
		return
	}
	var names []string
	for _, lv := range ingest.Levels {
		names = append(names, lang.L(levelLabel[lv]))
	}
	gi.values.Add(widget.NewLabel(lang.L("Each value of the property is a level:")))
	for _, v := range p.Values {
		s := newSelect(names, func(string) { gi.refresh() })
		s.PlaceHolder = lang.L("Choose…")
		if lv := ingest.LevelFor(v); lv != "" {
			s.SetSelectedIndex(indexOf(ingest.Levels, lv))
		}
		gi.valueSel[v] = s
		gi.values.Add(container.NewBorder(nil, nil, widget.NewLabel(v+" →"), nil, s))
	}
	if p.Distinct > len(p.Values) {
		gi.values.Add(widget.NewLabel(lang.L("… and {{.N}} more values: use one level for all, or a property with fewer values.", map[string]any{"N": p.Distinct - len(p.Values)})))
	}
}

// mapping reads the form.
func (gi *gridImport) mapping() (ingest.GridMapping, savedMapping) {
	pick := func(s *keySelect) string {
		if s.SelectedIndex() <= 0 && len(s.Options) > 0 && (s.Options[0] == propNone || s == gi.id) {
			return ""
		}
		return s.Selected
	}
	m := ingest.GridMapping{ID: pick(gi.id), Name: gi.name.Selected, Parent: pick(gi.parent), Village: pick(gi.village),
		OrphansAtTop: gi.atTop.Checked}
	if i := gi.crs.SelectedIndex(); i >= 0 {
		m.CRS = crsChoices[i].crs
	}
	if gi.byProp.Selected == gi.byProp.Options[0] {
		m.Level = gi.level.Selected
		m.LevelValues = map[string]string{}
		for v, s := range gi.valueSel {
			if i := s.SelectedIndex(); i >= 0 {
				m.LevelValues[v] = ingest.Levels[i]
			}
		}
	} else if i := gi.fixed.SelectedIndex(); i >= 0 {
		m.FixedLevel = ingest.Levels[i]
	}
	return m, savedMapping{ID: m.ID, Name: m.Name, Level: m.Level, Parent: m.Parent, Village: m.Village, FixedLevel: m.FixedLevel,
		LevelValues: m.LevelValues, CRS: string(m.CRS), AtTop: m.OrphansAtTop}
}

// refresh previews the import with the mapping as it stands (in the
// background; an older answer is dropped).
func (gi *gridImport) refresh() {
	if gi.summary == nil {
		return // the form being set up
	}
	m, saved := gi.mapping()
	gi.ok = false
	gi.run.Disable()
	gi.drawShapes(m.CRS)
	gi.seq++
	seq := gi.seq
	dg := gi.dg
	dg.br.run(func(ctx context.Context) func() {
		diff, err := dg.desk.PreviewGrids(ctx, gi.path, m)
		return func() {
			if seq != gi.seq {
				return
			}
			gi.show(diff, err, saved)
		}
	})
}

// show puts a preview on screen; only a preview without errors can land.
func (gi *gridImport) show(diff ingest.Diff[domain.Grid], err error, saved savedMapping) {
	gi.details.RemoveAll()
	if err != nil {
		gi.summary.SetText("⚠ " + importErrorText(err))
		gi.summary.Importance = widget.DangerImportance
		gi.summary.Refresh()
		return
	}
	gi.diff = diff
	gi.summary.SetText(diffText(len(diff.New), len(diff.Updated), len(diff.Unchanged), len(diff.Errors)))
	gi.summary.Importance = widget.MediumImportance
	if len(diff.Errors) > 0 {
		gi.summary.Importance = widget.DangerImportance
	}
	gi.summary.Refresh()
	for i, e := range diff.Errors {
		if i == 200 {
			gi.details.Add(widget.NewLabel(lang.L("… and {{.N}} more", map[string]any{"N": len(diff.Errors) - 200})))
			break
		}
		l := widget.NewLabel(rowErrorText(e))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.DangerImportance
		gi.details.Add(l)
	}
	if len(diff.AtTop) > 0 {
		gi.details.Add(widget.NewLabel(lang.L("{{.N}} grids land at the top: their parent is neither in the file nor in GridDesk.", map[string]any{"N": len(diff.AtTop)})))
	}
	for _, g := range diff.New[:min(len(diff.New), 50)] {
		gi.details.Add(widget.NewLabel("+ " + g.ID + " " + g.Name + " · " + lang.L(levelLabel[g.Level])))
	}
	for _, o := range updatedGrids(diff.Updated) {
		gi.details.Add(o)
	}
	gi.ok = len(diff.Errors) == 0 && len(diff.New)+len(diff.Updated) > 0
	if gi.ok {
		gi.run.Enable()
		if raw, err := json.Marshal(saved); err == nil { // a mapping that works: kept for files of this layout
			fyne.CurrentApp().Preferences().SetString(gi.prefKey(), string(raw))
		}
	}
}

// updatedGrids shows the grids an import changes, field by field.
func updatedGrids(us []ingest.Update[domain.Grid]) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	if len(us) == 0 {
		return nil
	}
	out = append(out, bold(lang.L("Changed grids (confirm before importing):")))
	for _, u := range us {
		var lines []string
		for _, f := range u.Fields {
			switch f {
			case "name":
				lines = append(lines, lang.L("name")+": "+u.Old.Name+" → "+u.New.Name)
			case "level":
				lines = append(lines, lang.L("level")+": "+lang.L(levelLabel[u.Old.Level])+" → "+lang.L(levelLabel[u.New.Level]))
			case "parent_id":
				lines = append(lines, lang.L("parent")+": "+orNone(u.Old.ParentID)+" → "+orNone(u.New.ParentID))
			case "village":
				lines = append(lines, lang.L("village")+": "+orNone(u.Old.Village)+" → "+orNone(u.New.Village))
			case "geometry":
				lines = append(lines, lang.L("boundary changed"))
			}
		}
		l := widget.NewLabel("~ " + u.New.ID + " " + u.New.Name + "\n    " + joinLines(lines, "\n    "))
		l.Importance = widget.WarningImportance
		out = append(out, l)
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func joinLines(ls []string, sep string) string {
	out := ""
	for i, l := range ls {
		if i > 0 {
			out += sep
		}
		out += l
	}
	return out
}

// drawShapes draws the file's features (converted from crs) over the
// town's grids on the preview map.
func (gi *gridImport) drawShapes(crs geo.CRS) {
	if crs == "" {
		crs = geo.WGS84
	}
	shapes := make([]orb.MultiPolygon, len(gi.layout.Shapes))
	var b orb.Bound
	for i, mp := range gi.layout.Shapes {
		c := orb.MultiPolygon{}
		for _, poly := range mp {
			var np orb.Polygon
			for _, ring := range poly {
				nr := make(orb.Ring, len(ring))
				for k, p := range ring {
					nr[k] = geo.ToWGS84(crs, p)
				}
				np = append(np, nr)
			}
			c = append(c, np)
		}
		shapes[i] = c
		if i == 0 {
			b = c.Bound()
		} else {
			b = b.Union(c.Bound())
		}
	}
	layers := []mapview.Layer{}
	if gi.dg.town != nil {
		if town := gi.dg.town(); len(town) > 0 {
			polys := make([]orb.MultiPolygon, len(town))
			for i, g := range town {
				polys[i] = g.Geometry
			}
			layers = append(layers, &mapview.PolygonLayer{ID: "town", Polygons: polys,
				Styles: []mapview.Style{{Stroke: color.NRGBA{R: 0x8a, G: 0x98, B: 0xa8, A: 0xa0}, StrokeWidth: 0.6}}})
		}
	}
	layers = append(layers, &mapview.PolygonLayer{ID: "file", Polygons: shapes,
		Styles: []mapview.Style{{Stroke: color.NRGBA{R: 0xd7, G: 0x26, B: 0x3d, A: 0xff}, StrokeWidth: 2, Fill: color.NRGBA{R: 0xd7, G: 0x26, B: 0x3d, A: 0x30}}}})
	gi.preview.SetScene(mapview.NewScene(layers...))
	if len(shapes) > 0 {
		gi.preview.FitBounds(b)
	}
}

// land sends the previewed import.
func (gi *gridImport) land() {
	if !gi.ok {
		return
	}
	diff := gi.diff
	confirmUpdates(gi.dg, len(diff.Updated), 0, func() {
		load(gi.dg.br, func(ctx context.Context) (int, error) { return gi.dg.desk.ImportGrids(ctx, diff) }, func(n int) {
			gi.d.Hide()
			dialog.ShowInformation(lang.L("Import"), lang.L("{{.N}} records sent; they appear when the server has applied them.", map[string]any{"N": n}), gi.dg.win)
		})
	})
}

// confirmUpdates asks before an import changes existing records (run at
// once when it changes none).
func confirmUpdates(dg *dialogs, updated, codesKept int, run func()) {
	if updated == 0 {
		run()
		return
	}
	text := lang.L("The import changes {{.N}} existing records (listed in the preview). Import anyway?", map[string]any{"N": updated})
	if codesKept > 0 {
		text += "\n" + codesKeptText(codesKept)
	}
	d := dialog.NewConfirm(lang.L("Change existing records?"), text, func(ok bool) {
		if ok {
			run()
		}
	}, dg.win)
	d.SetConfirmText(lang.L("Import"))
	d.SetDismissText(lang.L("Cancel"))
	keysOf(dg.win.Canvas()).track(d)
}

func codesKeptText(n int) string {
	return lang.L("Colour codes follow the inspections: {{.N}} colour codes in the file were not imported.", map[string]any{"N": n})
}

func diffText(newN, upd, same, errs int) string {
	return lang.L("{{.New}} new, {{.Upd}} changed, {{.Same}} unchanged, {{.Err}} errors", map[string]any{"New": newN, "Upd": upd, "Same": same, "Err": errs})
}
