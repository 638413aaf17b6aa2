package mapview

import (
	"image"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"
)

// newTestMap shows the small scene in an unpadded sceneW×sceneH window.
func newTestMap(t *testing.T) (*Map, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	m := New()
	m.SetScaleBarVisible(false)
	m.SetLayers(smallLayers()...)
	m.SetView(sceneView)
	w := test.NewTempWindow(t, m)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(sceneW, sceneH))
	m.RenderNow()
	return m, w
}

func capturePixel(img image.Image, x, y int) color.NRGBA {
	return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
}

func TestMapShowsRenderedScene(t *testing.T) {
	m, w := newTestMap(t)
	if got := m.Size(); got != fyne.NewSize(sceneW, sceneH) {
		t.Fatalf("map size %v", got)
	}
	want := renderScene(NewScene(smallLayers()...), sceneView, sceneW, sceneH, nil)
	got := w.Canvas().Capture()
	for y := range sceneH {
		for x := range sceneW {
			if g, e := capturePixel(got, x, y), rgba(want, x, y); g != e {
				t.Fatalf("canvas (%d,%d) = %v; render gives %v", x, y, g, e)
			}
		}
	}

	m.SetVisible("areas", false)
	if m.LayerVisible("areas") {
		t.Error("LayerVisible after SetVisible(false)")
	}
	m.RenderNow()
	if g := capturePixel(w.Canvas().Capture(), 100, 90); g != Background {
		t.Errorf("hidden layer still shown: %v", g)
	}
	// Visibility belongs to the ID and survives SetLayers.
	m.SetLayers(smallLayers()...)
	m.RenderNow()
	if g := capturePixel(w.Canvas().Capture(), 100, 90); g != Background {
		t.Errorf("hidden layer shown after SetLayers: %v", g)
	}
	m.SetVisible("areas", true)
	m.RenderNow()
	if g := capturePixel(w.Canvas().Capture(), 100, 90); g != colB {
		t.Errorf("shown layer missing: %v", g)
	}
}

func TestMapDrag(t *testing.T) {
	m, w := newTestMap(t)
	var changed []View
	m.OnViewChanged = func(v View) { changed = append(changed, v) }
	anchor := m.ToLonLat(fyne.NewPos(100, 100))

	test.Drag(w.Canvas(), fyne.NewPos(100, 100), 30, -20)

	if len(changed) != 1 || changed[0] != m.View() {
		t.Fatalf("OnViewChanged calls: %v (view %v)", changed, m.View())
	}
	if m.View().Zoom != sceneView.Zoom {
		t.Errorf("drag changed the zoom: %v", m.View().Zoom)
	}
	if p := m.ToScreen(anchor); math.Abs(float64(p.X)-130) > 1e-3 || math.Abs(float64(p.Y)-80) > 1e-3 {
		t.Errorf("dragged point at %v; want (130,80)", p)
	}

	// Before the new frame, the canvas shows the old one moved by the drag.
	if g := capturePixel(w.Canvas().Capture(), 100+30, 90-20); g != colB {
		t.Errorf("stand-in image at (130,70) = %v; want B", g)
	}
	m.RenderNow()
	want := renderScene(NewScene(smallLayers()...), m.View(), sceneW, sceneH, nil)
	if g, e := capturePixel(w.Canvas().Capture(), 5, 5), rgba(want, 5, 5); g != e {
		t.Errorf("after the render (5,5) = %v; want %v", g, e)
	}
}

func TestMapScroll(t *testing.T) {
	m, w := newTestMap(t)
	// test.Scroll does not set the event position, so the zoom is about
	// the top-left corner.
	corner := m.ToLonLat(fyne.NewPos(0, 0))
	test.Scroll(w.Canvas(), fyne.NewPos(50, 60), 0, 25)
	if z := m.View().Zoom; math.Abs(z-(sceneView.Zoom+0.5)) > 1e-9 {
		t.Errorf("zoom after a wheel notch = %v; want %v", z, sceneView.Zoom+0.5)
	}
	if p := m.ToScreen(corner); math.Abs(float64(p.X)) > 1e-3 || math.Abs(float64(p.Y)) > 1e-3 {
		t.Errorf("zoom anchor moved to %v", p)
	}

	// Zooming out about the pointer keeps the point under it.
	pos := fyne.NewPos(120, 90)
	under := m.ToLonLat(pos)
	m.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: pos}, Scrolled: fyne.NewDelta(0, -50)})
	if z := m.View().Zoom; math.Abs(z-(sceneView.Zoom-0.5)) > 1e-9 {
		t.Errorf("zoom = %v; want %v", z, sceneView.Zoom-0.5)
	}
	if p := m.ToScreen(under); math.Abs(float64(p.X-pos.X)) > 1e-3 || math.Abs(float64(p.Y-pos.Y)) > 1e-3 {
		t.Errorf("point under the pointer moved to %v", p)
	}
	m.RenderNow()
	want := renderScene(NewScene(smallLayers()...), m.View(), sceneW, sceneH, nil)
	if g, e := capturePixel(w.Canvas().Capture(), 100, 75), rgba(want, 100, 75); g != e {
		t.Errorf("after the render (100,75) = %v; want %v", g, e)
	}
}

func TestMapTapAndHover(t *testing.T) {
	m, w := newTestMap(t)
	type tap struct {
		h  Hit
		ok bool
		at orb.Point
	}
	var taps []tap
	m.OnTapped = func(h Hit, ok bool, at orb.Point) { taps = append(taps, tap{h, ok, at}) }

	test.TapCanvas(w.Canvas(), fyne.NewPos(160.5, 30.5))
	test.TapCanvas(w.Canvas(), fyne.NewPos(70, 60))
	test.TapCanvas(w.Canvas(), fyne.NewPos(190, 140))
	if len(taps) != 3 {
		t.Fatalf("taps: %v", taps)
	}
	for i, want := range []tap{
		{Hit{Layer: "places", Index: 0}, true, at(160.5, 30.5)},
		{Hit{Layer: "areas", Index: 1}, true, at(70, 60)},
		{Hit{}, false, at(190, 140)},
	} {
		g := taps[i]
		if !g.h.Equal(want.h) || g.ok != want.ok || math.Abs(g.at[0]-want.at[0]) > 1e-9 || math.Abs(g.at[1]-want.at[1]) > 1e-9 {
			t.Errorf("tap %d = %+v; want %+v", i, g, want)
		}
	}

	var hovers []Hit
	m.OnHover = func(h Hit, ok bool, _ orb.Point) {
		if !ok {
			h = Hit{Index: -1}
		}
		hovers = append(hovers, h)
	}
	move := func(x, y float32) {
		m.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x, y)}})
	}
	move(30, 60)
	move(31, 61) // same item: no call
	move(120, 100)
	move(190, 140)
	m.MouseOut()
	want := []Hit{{Layer: "areas", Index: 0}, {Layer: "areas", Index: 1}, {Index: -1}}
	if len(hovers) != len(want) {
		t.Fatalf("hovers %v; want %v", hovers, want)
	}
	for i := range want {
		if !hovers[i].Equal(want[i]) {
			t.Errorf("hovers %v; want %v", hovers, want)
		}
	}
}

func TestMapFitBounds(t *testing.T) {
	test.NewTempApp(t)
	m := New()
	b := orb.Bound{Min: orb.Point{120.15, 29.98}, Max: orb.Point{120.36, 30.14}}
	// Before the map has a size the fit is kept and redone at layout.
	m.FitBounds(b)
	w := test.NewTempWindow(t, m)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(400, 300))
	m.RenderNow()

	nw := m.ToScreen(orb.Point{b.Min[0], b.Max[1]})
	se := m.ToScreen(orb.Point{b.Max[0], b.Min[1]})
	if math.Abs(float64(nw.X+se.X)/2-200) > 1e-3 || math.Abs(float64(nw.Y+se.Y)/2-150) > 1e-3 {
		t.Errorf("bound not centred: %v-%v", nw, se)
	}
	if nw.X < 0 || nw.Y < 0 || se.X > 400 || se.Y > 300 {
		t.Errorf("bound does not fit: %v-%v", nw, se)
	}
	if se.X-nw.X < 400-2*fitPadding-1e-3 && se.Y-nw.Y < 300-2*fitPadding-1e-3 {
		t.Errorf("bound not as large as fits: %v-%v", nw, se)
	}

	// The bound stays fitted on resize until the view is changed.
	w.Resize(fyne.NewSize(600, 400))
	if c := m.ToScreen(b.Center()); math.Abs(float64(c.X)-300) > 2 || math.Abs(float64(c.Y)-200) > 2 {
		t.Errorf("after resize the bound's centre is at %v", c)
	}
	test.Drag(w.Canvas(), fyne.NewPos(10, 10), 50, 0)
	v := m.View()
	w.Resize(fyne.NewSize(500, 400))
	if m.View() != v {
		t.Errorf("resize after a drag refitted: %v → %v", v, m.View())
	}

	// After layout FitBounds applies at once; a point gets a street zoom.
	m.FitBounds(orb.Bound{Min: linpu, Max: linpu})
	if v := m.View(); v.Zoom != pointFitZoom || math.Abs(v.Center[0]-linpu[0]) > 1e-9 || math.Abs(v.Center[1]-linpu[1]) > 1e-9 {
		t.Errorf("fit to a point: %v", v)
	}
}

func TestMapCoalescesRenders(t *testing.T) {
	m, w := newTestMap(t)
	v := sceneView
	for i := range 50 {
		v = v.Pan(1, 0.5)
		m.SetView(v)
		if i%10 == 0 {
			m.SetVisible("places", i%20 == 0)
		}
	}
	m.RenderNow()
	want := renderScene(NewScene(smallLayers()...), v, sceneW, sceneH, map[string]bool{"places": !m.LayerVisible("places")})
	got := w.Canvas().Capture()
	for y := range sceneH {
		for x := range sceneW {
			if g, e := capturePixel(got, x, y), rgba(want, x, y); g != e {
				t.Fatalf("canvas (%d,%d) = %v; render gives %v", x, y, g, e)
			}
		}
	}
}

func TestMapMinSize(t *testing.T) {
	test.NewTempApp(t)
	if got := New().MinSize(); got != fyne.NewSize(200, 150) {
		t.Errorf("MinSize = %v", got)
	}
}
