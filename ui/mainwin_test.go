package ui

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/command"
	"griddesk/desk"
	"griddesk/desk/replica"
	"griddesk/domain"
	"griddesk/mapview"
	"griddesk/server/demo"
)

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestMainWindowShowsTownQueueAndStatus(t *testing.T) {
	a := newTestApp(t)
	d, err := desk.Open(context.Background(), desk.Config{DataDir: t.TempDir(), Backend: desk.BackendFrom(demo.Starter("town", false))})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	mw, err := Setup(a, d)
	if err != nil {
		t.Fatal(err)
	}
	mw.win.Resize(fyne.NewSize(1280, 800))
	mw.win.Show()
	eventually(t, "the town on the map", func() bool {
		var ok bool
		fyne.DoAndWait(func() { ok = len(mw.mapc.layers.entities) == 5960 && mw.status.state.State == replica.StateOnline })
		return ok
	})
	want, err := d.OpenCases(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// the test driver runs fyne.Do at once on the calling goroutine, so wait
	// for the last visible effect of a snapshot, not its first
	// the queue as the synced copy orders it (an earlier read, from a copy
	// still taking in timelines, may have other lights)
	first := desk.Arrange(want, desk.Filter{}, desk.SortLight)[0].ID
	eventually(t, "the open-case queue", func() bool {
		var ok bool
		fyne.DoAndWait(func() {
			ok = strings.Contains(mw.queue.header.Text, "Open cases: "+strconv.Itoa(len(want))+" ") && len(mw.queue.shown) == len(want) &&
				mw.queue.shown[0].ID == first
		})
		return ok
	})
	fyne.DoAndWait(func() {
		if got := mw.queue.list.Length(); got != len(want) {
			t.Errorf("list shows %d rows, want %d", got, len(want))
		}
		for _, s := range []string{"Online", "Rows cached", "Last sync"} {
			if !strings.Contains(mw.status.label.Text, s) {
				t.Errorf("status bar %q lacks %q", mw.status.label.Text, s)
			}
		}
		if len(mw.mapc.layers.grids[layerMicro]) != 675 || len(mw.mapc.layers.grids[layerBase]) != 92 {
			t.Errorf("grid layers: %d micro, %d base", len(mw.mapc.layers.grids[layerMicro]), len(mw.mapc.layers.grids[layerBase]))
		}
	})

	// the hazard density starts hidden; a layer toggle hides the layer on the map
	fyne.DoAndWait(func() {
		if mw.mapc.m.LayerVisible(layerHeat) || !mw.mapc.m.LayerVisible(layerEntities) {
			t.Error("at first the hazard density shows, or the entities do not")
		}
		test.Tap(mw.mapc.toggles[layerEntities])
	})
	fyne.DoAndWait(func() {
		if mw.mapc.m.LayerVisible(layerEntities) || mw.mapc.m.LayerVisible(layerRed) {
			t.Error("entities still visible after unticking them")
		}
	})
	// selecting a case shows it and centres the map on it
	fyne.DoAndWait(func() { mw.queue.list.Select(0) })
	fyne.DoAndWait(func() {
		c := mw.queue.shown[0]
		if !strings.Contains(mw.detail.info.Text, c.No) {
			t.Errorf("info = %q, want case %s", mw.detail.info.Text, c.No)
		}
		if v := mw.mapc.m.View(); abs(v.Center[0]-c.Lon) > 1e-6 || abs(v.Center[1]-c.Lat) > 1e-6 || v.Zoom < 15 {
			t.Errorf("map view %+v is not on the case at %v,%v", v, c.Lon, c.Lat)
		}
	})
	// a tap on an entity describes it
	fyne.DoAndWait(func() {
		e, _ := mw.mapc.layers.entity(mapview.Hit{Layer: layerEntities, Index: 0})
		mw.tapped(mapview.Hit{Layer: layerEntities, Index: 0}, true, [2]float64{e.Lon, e.Lat})
		if !strings.Contains(mw.detail.info.Text, e.Name) || !strings.Contains(mw.detail.info.Text, e.Address) {
			t.Errorf("info = %q, want entity %s", mw.detail.info.Text, e.Name)
		}
	})
}

func TestLoginDialogAsksAgainOnWrongPassword(t *testing.T) {
	a := newTestApp(t)
	host, err := desk.Open(context.Background(), desk.Config{DataDir: t.TempDir(), Backend: desk.BackendFrom(demo.Starter("none", false))})
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	if err := host.Start(context.Background(), "", ""); err != nil {
		t.Fatal(err)
	}
	d, err := desk.Open(context.Background(), desk.Config{DataDir: t.TempDir(), ServerURL: host.ServerURL()})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	mw, err := Setup(a, d)
	if err != nil {
		t.Fatal(err)
	}
	mw.win.Show()
	var form *widget.Form
	fyne.DoAndWait(func() { form = findForm(t, mw.win.Canvas().Overlays().Top()) })
	if form == nil {
		t.Fatal("no sign-in dialog for a server without credentials")
	}
	fyne.DoAndWait(func() { mw.connect("admin", "wrong-password") })
	eventually(t, "the dialog to ask again", func() bool {
		var again bool
		fyne.DoAndWait(func() {
			for _, o := range mw.win.Canvas().Overlays().List() {
				if f := findForm(t, o); f != nil && hasLabel(f, "Wrong user name or password.") {
					again = true
				}
			}
		})
		return again
	})
}

func findForm(t *testing.T, o fyne.CanvasObject) *widget.Form {
	switch v := o.(type) {
	case *widget.Form:
		return v
	case *fyne.Container:
		for _, c := range v.Objects {
			if f := findForm(t, c); f != nil {
				return f
			}
		}
	case fyne.Widget:
		r := test.TempWidgetRenderer(t, v)
		if r == nil {
			return nil
		}
		for _, c := range r.Objects() {
			if f := findForm(t, c); f != nil {
				return f
			}
		}
	}
	return nil
}

func hasLabel(f *widget.Form, text string) bool {
	for _, it := range f.Items {
		if l, ok := it.Widget.(*widget.Label); ok && l.Text == text {
			return true
		}
	}
	return false
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// TestCaseActionGoesThroughTheOutbox dispatches a case from the detail
// panel: the desk issues, pushes and pulls it back, and all the while the
// window re-reads the case layer and the queue, never the grids, entities
// or hazards it does not touch (the loader counts its reads).
func TestCaseActionGoesThroughTheOutbox(t *testing.T) {
	_, _, mw := townWindow(t)
	var target desk.CaseRow
	eventually(t, "the synced queue", func() bool {
		var ok bool
		fyne.DoAndWait(func() { ok = mw.status.state.State == replica.StateOnline && len(mw.queue.all) > 0 })
		return ok
	})
	fyne.DoAndWait(func() {
		for _, c := range mw.queue.all {
			if c.Status == domain.StatusRegistered {
				target = c
				break
			}
		}
		mw.detail.showCase(target)
	})
	if target.ID == "" {
		t.Fatal("no registered case in the demo queue")
	}
	fyne.DoAndWait(func() {
		var labels []string
		for _, o := range mw.detail.box.Objects {
			labels = append(labels, o.(*widget.Button).Text)
		}
		if !strings.Contains(strings.Join(labels, ","), "Dispatch") {
			t.Errorf("buttons for a registered case: %v, want Dispatch", labels)
		}
		if mw.tools.users.Disabled() {
			t.Error("the admin's Users button is disabled")
		}
	})
	settle(t, mw.loader)
	before := mw.loader.counts()
	fyne.DoAndWait(func() {
		mw.detail.issue("case.dispatch", command.CaseArgs{CaseID: target.ID, UnitID: "D-LAW"}, target.Version)
	})
	eventually(t, "the dispatch to land and show", func() bool {
		var ok bool
		fyne.DoAndWait(func() {
			for _, c := range mw.queue.shown {
				if c.ID == target.ID {
					ok = c.Status == domain.StatusDispatched && !c.Pending && mw.status.state.Pending == 0
				}
			}
		})
		return ok
	})
	time.Sleep(200 * time.Millisecond) // the pull of the server's answer may come just after
	settle(t, mw.loader)
	got := since(before, mw.loader.counts())
	t.Logf("a dispatch read and built %+v", got)
	if got.grids != 0 || got.entities != 0 || got.heat != 0 {
		t.Errorf("a dispatch re-read map layers it does not touch: %+v", got)
	}
	if got.cases < 1 || got.queue < got.cases || got.scenes != got.cases {
		t.Errorf("a dispatch read and built %+v: want the case layer (and a scene) each time the cases changed, the queue with it", got)
	}
	fyne.DoAndWait(func() {
		if !strings.Contains(mw.tools.outbox.Text, "(0)") {
			t.Errorf("outbox button = %q", mw.tools.outbox.Text)
		}
	})
}

func TestBasemapOptions(t *testing.T) {
	a := newTestApp(t)
	d, err := desk.Open(context.Background(), desk.Config{DataDir: t.TempDir(), Backend: desk.BackendFrom(demo.Starter("town", false))})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	mw, err := Setup(a, d)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "none.mbtiles")
	if err := mw.basemap(Options{MBTiles: bad}); err == nil || !strings.Contains(err.Error(), "none.mbtiles") {
		t.Errorf("a missing MBTiles file: %v", err)
	}
	tiles, _ := os.MkdirTemp("", "griddesk-tiles-") // tile loads may still write here after the test
	defer os.RemoveAll(tiles)
	if err := mw.basemap(Options{TileURL: "http://127.0.0.1:1/{z}/{x}/{y}.png", TileDir: tiles}); err != nil {
		t.Errorf("an XYZ basemap: %v", err)
	}
	if err := mw.basemap(Options{}); err != nil {
		t.Errorf("no basemap: %v", err)
	}
}

func TestClockText(t *testing.T) {
	newTestApp(t)
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0:00:00"}, {29 * time.Second, "0:00:29"}, {3*time.Minute + 5*time.Second, "0:03:05"},
		{26*time.Hour + 7*time.Minute, "26:07:00"}, {5 * 24 * time.Hour, "5 days"},
	} {
		if got := clockText(tt.d); got != tt.want {
			t.Errorf("clockText(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
