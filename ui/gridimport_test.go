package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/ingest"
	"griddesk/domain"
	"griddesk/domain/geo"
)

// TestGridImportDataV opens the import of a district file in the DataV
// layout (numeric adcode, level "district", parent {"adcode": …}, GCJ-02
// MultiPolygons): the form offers the file's own properties, nested ones
// with dots; it guesses the mapping and the CRS; "district" must be mapped
// to a level before 导入 is enabled; the features are on the preview map;
// the mapping that worked is remembered for files of this layout.
func TestGridImportDataV(t *testing.T) {
	mw := offlineWindow(t)
	path := "../core/ingest/testdata/datav_districts.geojson"
	layout, err := mw.desk.InspectGridFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var gi *gridImport
	onUI(func() { gi = mw.dg.gridImportDialog(path, layout) })
	summary := func() (s string) { onUI(func() { s = gi.summary.Text }); return s }
	onUI(func() {
		if gi.parent.Selected != "parent.adcode" || gi.id.Selected != "adcode" || gi.name.Selected != "name" || gi.level.Selected != "level" {
			t.Errorf("guessed id %q, name %q, level %q, parent %q", gi.id.Selected, gi.name.Selected, gi.level.Selected, gi.parent.Selected)
		}
		if !strings.Contains(strings.Join(gi.parent.Options, ","), "parent.adcode") {
			t.Errorf("parent options %v lack the nested property", gi.parent.Options)
		}
		if crsChoices[gi.crs.SelectedIndex()].crs != geo.GCJ02 || !gi.atTop.Checked {
			t.Errorf("CRS %s, at top %v", gi.crs.Selected, gi.atTop.Checked)
		}
		if s := gi.valueSel["district"]; s == nil || s.SelectedIndex() >= 0 {
			t.Error("the value district is not offered to map, or is mapped already")
		}
	})
	eventually(t, "the first preview", func() bool { return strings.Contains(summary(), "3 errors") })
	onUI(func() {
		if !gi.run.Disabled() {
			t.Error("Import is enabled with errors")
		}
		gi.valueSel["district"].SetSelectedIndex(indexOf(ingest.Levels, domain.LevelBase))
	})
	eventually(t, "a preview without errors", func() bool { return strings.Contains(summary(), "3 new, 0 changed, 0 unchanged, 0 errors") })
	onUI(func() {
		if gi.run.Disabled() {
			t.Error("Import is disabled without errors")
		}
		if sc := gi.preview.Scene(); sc == nil || len(gi.layout.Shapes) != 3 {
			t.Error("no preview of the features")
		}
		text := strings.Join(labels(t, gi.details), "\n")
		if !strings.Contains(text, "+ 330109 萧山区 · Base grid") || !strings.Contains(text, "3 grids land at the top") {
			t.Errorf("the preview lists:\n%s", text)
		}
		// a fixed level instead: one for every grid
		gi.byProp.SetSelected(gi.byProp.Options[1])
		gi.fixed.SetSelectedIndex(indexOf(ingest.Levels, domain.LevelMicro))
	})
	eventually(t, "the fixed level's preview", func() bool {
		var ok bool
		onUI(func() { ok = strings.Contains(strings.Join(labels(t, gi.details), "\n"), "萧山区 · Micro grid") })
		return ok
	})
	onUI(func() { gi.d.Hide() })
	// the next file of this layout opens with the mapping that worked
	var again *gridImport
	onUI(func() { again = mw.dg.gridImportDialog(path, layout) })
	onUI(func() {
		if again.byProp.Selected != again.byProp.Options[1] || again.fixed.SelectedIndex() != indexOf(ingest.Levels, domain.LevelMicro) {
			t.Errorf("the mapping was not remembered: %q, %q", again.byProp.Selected, again.fixed.Selected)
		}
		again.d.Hide()
	})
}

// TestEntityImportShowsChanges: the register's preview lists every changed
// entity field by field, says the colour codes of the file were not
// imported, and asks before landing changes to existing entities.
func TestEntityImportShowsChanges(t *testing.T) {
	mw := offlineWindow(t)
	old := domain.Entity{ID: "S0001", Name: "浦南小吃店", Kind: domain.KindShop, Address: "浦南路1号", Code: domain.CodeRed}
	nw := old
	nw.Name, nw.Address = "浦南小吃", "浦南路3号"
	diff := ingest.EntityDiff{Diff: ingest.Diff[domain.Entity]{File: "shops.csv",
		Updated: []ingest.Update[domain.Entity]{{Row: 2, Old: old, New: nw, Fields: []string{"name", "address"}}}}, CodesKept: 1}
	onUI(func() { mw.dg.importPreview(diff) })
	onUI(func() {
		text := strings.Join(labels(t, mw.win.Canvas().Overlays().Top()), "\n")
		for _, want := range []string{"~ S0001 浦南小吃", "name: 浦南小吃店 → 浦南小吃", "address: 浦南路1号 → 浦南路3号",
			"Colour codes follow the inspections: 1 colour codes in the file were not imported."} {
			if !strings.Contains(text, want) {
				t.Errorf("the preview lacks %q:\n%s", want, text)
			}
		}
		test.Tap(mw.dg.entityPreview)
	})
	onUI(func() {
		var confirm bool
		for _, o := range test.LaidOutObjects(mw.win.Canvas().Overlays().Top()) {
			if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "changes 1 existing records") {
				confirm = true
			}
		}
		if !confirm {
			t.Error("no confirmation before changing an existing entity")
		}
	})
}
