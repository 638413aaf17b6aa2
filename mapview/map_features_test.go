package mapview

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"
)

// newRichMap shows the rich scene in an unpadded richW×richH window,
// with no overlays.
func newRichMap(t *testing.T) (*Map, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	m := New()
	m.SetScaleBarVisible(false)
	m.SetCoordinatesVisible(false)
	m.SetFonts(testFonts(t))
	m.SetLayers(richLayers()...)
	m.SetView(richView)
	w := test.NewTempWindow(t, m)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(richW, richH))
	m.RenderNow()
	return m, w
}

func near2(a, b float32) bool { return math.Abs(float64(a-b)) < 1e-3 }

func TestKeyboardNavigation(t *testing.T) {
	m, w := newRichMap(t)
	// A tap focuses the map.
	test.TapCanvas(w.Canvas(), fyne.NewPos(5, 235))
	if w.Canvas().Focused() != m || !m.Focused() {
		t.Fatal("the map is not focused after a tap")
	}
	z := m.View().Zoom
	test.Type(w.Canvas().Focused(), "+")
	if got := m.View().Zoom; got != z+1 {
		t.Errorf("after + zoom %v; want %v", got, z+1)
	}
	test.Type(w.Canvas().Focused(), "--")
	if got := m.View().Zoom; got != z-1 {
		t.Errorf("after -- zoom %v; want %v", got, z-1)
	}
	m.ZoomIn()
	// Arrow keys slide the content by KeyPanStep.
	centre := m.View().Center
	for _, tc := range []struct {
		key    fyne.KeyName
		dx, dy float32
	}{{fyne.KeyLeft, KeyPanStep, 0}, {fyne.KeyRight, -KeyPanStep, 0}, {fyne.KeyUp, 0, KeyPanStep}, {fyne.KeyDown, 0, -KeyPanStep}} {
		before := m.ToScreen(centre)
		w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: tc.key})
		after := m.ToScreen(centre)
		if !near2(after.X-before.X, tc.dx) || !near2(after.Y-before.Y, tc.dy) {
			t.Errorf("%s moved the content by (%v,%v)", tc.key, after.X-before.X, after.Y-before.Y)
		}
	}
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageUp})
	if got := m.View().Zoom; got != z+1 {
		t.Errorf("after Page Up zoom %v", got)
	}
	m.ZoomOut()
	if got := m.View().Zoom; got != z {
		t.Errorf("after ZoomOut zoom %v", got)
	}
}

func TestDoubleTapZoomsAboutThePointer(t *testing.T) {
	m, _ := newRichMap(t)
	under := m.ToLonLat(fyne.NewPos(1, 1))
	test.DoubleTap(m) // at (1,1)
	if got := m.View().Zoom; got != richView.Zoom+1 {
		t.Errorf("zoom %v", got)
	}
	if p := m.ToScreen(under); !near2(p.X, 1) || !near2(p.Y, 1) {
		t.Errorf("the point under the pointer moved to %v", p)
	}
	pos := fyne.NewPos(200, 50)
	under = m.ToLonLat(pos)
	m.DoubleTapped(&fyne.PointEvent{Position: pos})
	if p := m.ToScreen(under); !near2(p.X, pos.X) || !near2(p.Y, pos.Y) {
		t.Errorf("the point under the pointer moved to %v", p)
	}
}

func TestDragPansByWholePixels(t *testing.T) {
	m, w := newRichMap(t)
	anchor := m.ToLonLat(fyne.NewPos(100, 100))
	for range 4 {
		m.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(100, 100)}, Dragged: fyne.NewDelta(2.3, -1.4)})
		p := m.ToScreen(anchor)
		if fx, fy := p.X-100, p.Y-100; !near2(fx, float32(math.Round(float64(fx)))) || !near2(fy, float32(math.Round(float64(fy)))) {
			t.Fatalf("content moved by a fraction of a pixel: (%v,%v)", fx, fy)
		}
	}
	m.DragEnd()
	if p := m.ToScreen(anchor); math.Abs(float64(p.X-100)-9.2) > 0.5 || math.Abs(float64(p.Y-100)+5.6) > 0.5 {
		t.Errorf("after the drag the anchor is at %v", p)
	}
	// The frame after a whole-pixel pan reuses the previous one and shows
	// exactly what a full render does.
	m.RenderNow()
	want := image.NewRGBA(image.Rect(0, 0, richW, richH))
	NewRenderer().RenderWith(want, m.Scene(), m.View(), 1, RenderOptions{Fonts: testFonts(t)})
	got := w.Canvas().Capture()
	bad := 0
	for y := range richH {
		for x := range richW {
			if !near(capturePixel(got, x, y), rgba(want, x, y), 1) {
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d pixels differ from a full render", bad)
	}
}

func TestBoxSelect(t *testing.T) {
	m, w := newRichMap(t)
	var gotBox orb.Bound
	var gotHits []Hit
	calls := 0
	m.OnBoxSelect = func(b orb.Bound, hits []Hit) { gotBox, gotHits, calls = b, hits, calls+1 }
	view := m.View()

	// Without shift a drag pans.
	test.Drag(w.Canvas(), fyne.NewPos(20, 20), 30, 30)
	if calls != 0 || m.View() == view {
		t.Fatalf("a plain drag: %d box selections, view %v", calls, m.View())
	}
	m.SetView(view)

	// With shift it draws the rubber band and selects the box.
	m.MouseDown(&desktop.MouseEvent{Modifier: fyne.KeyModifierShift})
	m.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(60, 40)}, Dragged: fyne.NewDelta(60, 40)})
	m.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(165, 150)}, Dragged: fyne.NewDelta(105, 110)})
	if !m.ov.box.Visible() || m.ov.box.Position() != fyne.NewPos(0, 0) || m.ov.box.Size() != fyne.NewSize(165, 150) {
		t.Errorf("rubber band %v %v visible %v", m.ov.box.Position(), m.ov.box.Size(), m.ov.box.Visible())
	}
	m.DragEnd()
	m.MouseUp(&desktop.MouseEvent{})
	if m.View() != view {
		t.Error("the box selection panned the map")
	}
	if m.ov.box.Visible() {
		t.Error("rubber band still shown")
	}
	if calls != 1 {
		t.Fatalf("OnBoxSelect called %d times", calls)
	}
	nw, se := atR(0, 0), atR(165, 150)
	if math.Abs(gotBox.Min[0]-nw[0]) > 1e-9 || math.Abs(gotBox.Max[1]-nw[1]) > 1e-9 || math.Abs(gotBox.Max[0]-se[0]) > 1e-9 || math.Abs(gotBox.Min[1]-se[1]) > 1e-9 {
		t.Errorf("box %v", gotBox)
	}
	var ids []string
	for _, h := range gotHits {
		ids = append(ids, fmt.Sprintf("%s:%d", h.Layer, h.Index))
	}
	if fmt.Sprint(ids) != "[areas:0 places:0 places:1 places:2]" {
		t.Errorf("hits %v", ids)
	}
}

func TestSelectionOnTheMap(t *testing.T) {
	m, w := newRichMap(t)
	m.SetSelection([]Hit{{Layer: "areas", Index: 1}})
	sel := m.Selection()
	sel[0].Index = 99 // a copy
	if got := m.Selection(); len(got) != 1 || got[0].Index != 1 {
		t.Errorf("Selection() = %v", got)
	}
	m.RenderNow()
	if c := capturePixel(w.Canvas().Capture(), 310, 60); !near(c, SelectionColor, 60) {
		t.Errorf("selected polygon's edge %v", c)
	}
	m.SetSelection(nil)
	m.RenderNow()
	if c := capturePixel(w.Canvas().Capture(), 310, 60); near(c, SelectionColor, 60) {
		t.Errorf("cleared selection still drawn: %v", c)
	}
}

func TestOverlayTooltipScaleCoordinates(t *testing.T) {
	m, _ := newRichMap(t)
	ov := m.ov
	if ov.scaleTx.Visible() || ov.coordTx.Visible() || ov.tipBox.Visible() {
		t.Fatal("overlays shown while disabled")
	}
	m.SetScaleBarVisible(true)
	m.SetCoordinatesVisible(true)
	if !ov.scaleTx.Visible() || ov.scaleTx.Text == "" {
		t.Errorf("scale bar %q visible %v", ov.scaleTx.Text, ov.scaleTx.Visible())
	}
	// The bar's length in units times metres per unit is its label.
	metres := float64(ov.bar[0].Size().Width) * m.View().MetresPerUnit()
	if want, label := niceScale(scaleBarMax * m.View().MetresPerUnit()); math.Abs(metres-want) > want*0.01 || label != ov.scaleTx.Text {
		t.Errorf("bar of %v m labelled %q (want %v m %q)", metres, ov.scaleTx.Text, want, label)
	}
	if p := ov.bar[0].Position(); p.X > 20 || p.Y < richH-20 {
		t.Errorf("scale bar at %v, not bottom-left", p)
	}

	// Coordinates and the tooltip follow the mouse.
	var hovered []Hit
	m.OnHover = func(h Hit, ok bool, at orb.Point) {
		hovered = append(hovered, h)
		if ok {
			m.SetTooltip(h.Layer + "\n" + fmt.Sprint(h.Index))
		} else {
			m.SetTooltip("")
		}
	}
	m.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(100, 50)}})
	ll := m.ToLonLat(fyne.NewPos(100, 50))
	if !ov.coordTx.Visible() || ov.coordTx.Text != formatLonLat(ll[0], ll[1]) {
		t.Errorf("coordinates %q visible %v", ov.coordTx.Text, ov.coordTx.Visible())
	}
	if p := ov.coordTx.Position(); p.X < richW/2 || p.Y < richH-30 {
		t.Errorf("coordinates at %v, not bottom-right", p)
	}
	if !ov.tipBox.Visible() || m.Tooltip() != "areas\n0" || len(ov.tipBox.Objects) != 3 {
		t.Fatalf("tooltip %q visible %v objects %d", m.Tooltip(), ov.tipBox.Visible(), len(ov.tipBox.Objects))
	}
	if p := ov.tipBox.Position(); p.X < 100 || p.X > 130 || p.Y < 50 || p.Y > 80 {
		t.Errorf("tooltip at %v, not next to the mouse at (100,50)", p)
	}
	// Near the right edge it flips to the left of the mouse.
	m.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(300, 60)}})
	if p, s := ov.tipBox.Position(), ov.tipBox.Size(); p.X+s.Width > 300 {
		t.Errorf("tooltip %v+%v overflows", p, s)
	}
	m.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(5, 230)}})
	if ov.tipBox.Visible() {
		t.Error("tooltip shown over nothing")
	}
	m.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(100, 50)}})
	m.MouseOut()
	if ov.tipBox.Visible() || ov.coordTx.Visible() {
		t.Error("tooltip or coordinates shown after the mouse left")
	}
	m.SetScaleBarVisible(false)
	if ov.scaleTx.Visible() || ov.bar[0].Visible() {
		t.Error("scale bar shown after hiding it")
	}
}

func TestNiceScale(t *testing.T) {
	for _, tc := range []struct {
		max   float64
		m     float64
		label string
	}{{110, 100, "100 m"}, {99, 50, "50 m"}, {2600, 2000, "2 km"}, {7.5, 5, "5 m"}, {12000, 10000, "10 km"}} {
		if m, l := niceScale(tc.max); m != tc.m || l != tc.label {
			t.Errorf("niceScale(%v) = %v %q", tc.max, m, l)
		}
	}
}

func TestPulseOverlay(t *testing.T) {
	m, _ := newRichMap(t)
	pl := &m.ov.pulses
	if n, anim := pl.count(); n != 1 || !anim {
		t.Fatalf("pulses %d, animation %v", n, anim)
	}
	pl.tick(0.5, m)
	c := pl.circles[0]
	it := pl.items[0]
	x, y := richView.transform(richW, richH, 1).x(it.mx), richView.transform(richW, richH, 1).y(it.my)
	r := float64(c.Size().Width) / 2
	if math.Abs(float64(c.Position().X)+r-x) > 1e-3 || math.Abs(float64(c.Position().Y)+r-y) > 1e-3 || r <= it.r {
		t.Errorf("halo at %v size %v; item at (%v,%v) r %v", c.Position(), c.Size(), x, y, it.r)
	}
	if c.StrokeColor.(color.NRGBA).A == 0 || c.StrokeColor.(color.NRGBA).R != colRedCode.R {
		t.Errorf("halo colour %v", c.StrokeColor)
	}
	pl.tick(0.9, m)
	if c.Size().Width/2 <= float32(r) {
		t.Error("the halo does not grow")
	}
	// Panning moves the halo with the map, without a render.
	before := c.Position()
	m.Pan(10, 0)
	if !near2(c.Position().X-before.X, 10) {
		t.Errorf("halo moved by %v", c.Position().X-before.X)
	}
	// Nothing pulsing: the animation stops.
	m.SetVisible("entities", false)
	m.RenderNow()
	if n, anim := pl.count(); n != 0 || anim || c.Visible() {
		t.Errorf("after hiding: %d pulses, animation %v", n, anim)
	}
}

// solidPNG encodes a size×size PNG of one colour.
func solidPNG(t testing.TB, c color.NRGBA, size int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tileColor is the colour of tile (z, x, y) in the test sources.
func tileColor(z, x, y int) color.NRGBA {
	return color.NRGBA{uint8(40 + 20*z), uint8(x * 37 % 256), uint8(y * 53 % 256), 0xff}
}

// waitPixel renders until the map's pixel (x, y) is c, or fails.
func waitPixel(t *testing.T, m *Map, w fyne.Window, x, y int, c color.NRGBA) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		m.RenderNow()
		got := capturePixel(w.Canvas().Capture(), x, y)
		if got == c {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pixel (%d,%d) = %v; want the tile's %v", x, y, got, c)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// tileAt returns the tile (XYZ) under screen (x, y) of the map at zoom z.
func tileAt(m *Map, x, y float32, z int) (int, int) {
	p := m.ToLonLat(fyne.NewPos(x, y))
	mx, my := mercator(p)
	n := float64(int(1) << z)
	return int(mx * n), int(my * n)
}

func newBasemapMap(t *testing.T) (*Map, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	m := New()
	m.SetScaleBarVisible(false)
	w := test.NewTempWindow(t, m)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(200, 150))
	m.SetView(View{Center: linpu, Zoom: 3})
	return m, w
}

// memTiles is a basemap of solid tiles from zoom 0 to 3, as an MBTiles
// file (package store/mbtiles) serves them.
type memTiles struct{}

func (memTiles) ZoomRange() (min, max int) { return 0, 3 }

func (memTiles) Tile(z, x, y int) (image.Image, error) {
	if z > 3 {
		return nil, nil
	}
	img := image.NewNRGBA(image.Rect(0, 0, 256, 256))
	c := tileColor(z, x, y)
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img, nil
}

func TestZoomRangeBasemap(t *testing.T) {
	src := memTiles{}
	m, w := newBasemapMap(t)
	m.SetBasemap(src)
	t.Cleanup(func() { tc := m.tiles; m.SetBasemap(nil); tc.wait() })
	x, y := tileAt(m, 100, 75, 3)
	waitPixel(t, m, w, 100, 75, tileColor(3, x, y))
	// Zoomed beyond the file's deepest level, its tiles are scaled up.
	m.SetView(View{Center: linpu, Zoom: 5})
	x, y = tileAt(m, 100, 75, 3)
	waitPixel(t, m, w, 100, 75, tileColor(3, x, y))
	tc := m.tiles
	m.SetBasemap(nil)
	tc.wait()
	m.RenderNow()
	if c := capturePixel(w.Canvas().Capture(), 100, 75); c != Background {
		t.Errorf("without a basemap %v", c)
	}
}

func TestXYZBasemap(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		var z, x, y int
		if _, err := fmt.Sscanf(r.URL.Path, "/tiles/%d/%d/%d.png", &z, &x, &y); err != nil || z > 4 {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("User-Agent") == "" {
			http.Error(w, "no user agent", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write(solidPNG(t, tileColor(z, x, y), 256))
	}))
	defer srv.Close()
	cache := t.TempDir()
	src := XYZ(srv.URL+"/tiles/{z}/{x}/{y}.png", cache)

	m, w := newBasemapMap(t)
	m.SetBasemap(src)
	x, y := tileAt(m, 100, 75, 3)
	waitPixel(t, m, w, 100, 75, tileColor(3, x, y))
	tc := m.tiles
	m.SetBasemap(nil)
	tc.wait()
	if _, err := os.Stat(filepath.Join(cache, "3", fmt.Sprint(x), fmt.Sprint(y)+".png")); err != nil {
		t.Errorf("tile not cached: %v", err)
	}
	// Offline, the cache serves the tile.
	srv.Close()
	n := requests.Load()
	img, err := XYZ(srv.URL+"/tiles/{z}/{x}/{y}.png", cache).Tile(3, x, y)
	if err != nil || color.NRGBAModel.Convert(img.At(5, 5)) != tileColor(3, x, y) {
		t.Errorf("from the cache: %v %v", img, err)
	}
	if requests.Load() != n {
		t.Error("the cached tile was fetched again")
	}
	if _, err := XYZ(srv.URL+"/tiles/{z}/{x}/{y}.png", "").Tile(3, x, y); err == nil {
		t.Error("no error from a closed server")
	}
}

// slowSource answers after a delay.
type slowSource struct{ delay time.Duration }

func (s slowSource) Tile(z, x, y int) (image.Image, error) {
	time.Sleep(s.delay)
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	return img, nil
}

func TestTilesNeverBlockAFrame(t *testing.T) {
	loaded := make(chan struct{}, 64)
	tc := NewTileCache(slowSource{300 * time.Millisecond}, 16, func() { loaded <- struct{}{} })
	defer tc.wait()
	defer tc.Close()
	img := image.NewRGBA(image.Rect(0, 0, 200, 150))
	r := NewRenderer()
	v := View{Center: linpu, Zoom: 4}
	start := time.Now()
	r.RenderWith(img, nil, v, 1, RenderOptions{Basemap: tc})
	if d := time.Since(start); d > 150*time.Millisecond {
		t.Errorf("a frame with missing tiles took %v", d)
	}
	if c := rgba(img, 100, 75); c != Background {
		t.Errorf("missing tile drawn as %v", c)
	}
	select {
	case <-loaded:
	case <-time.After(5 * time.Second):
		t.Fatal("no tile arrived")
	}
	deadline := time.Now().Add(5 * time.Second)
	for rgba(img, 100, 75) != (color.NRGBA{0xff, 0xff, 0xff, 0xff}) {
		if time.Now().After(deadline) {
			t.Fatalf("tile never drawn: %v", rgba(img, 100, 75))
		}
		time.Sleep(20 * time.Millisecond)
		r.RenderWith(img, nil, v, 1, RenderOptions{Basemap: tc})
	}
}
