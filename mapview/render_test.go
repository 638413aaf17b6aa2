package mapview

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
)

var update = flag.Bool("update", false, "rewrite the golden images under testdata/")

// The small scene: two overlapping squares and four markers, laid out in
// screen units of a sceneW×sceneH viewport showing sceneView.
const sceneW, sceneH = 200, 150

var sceneView = View{Center: linpu, Zoom: 16}

var (
	colA       = color.NRGBA{0, 128, 255, 128} // translucent
	colAStroke = color.NRGBA{0, 0, 128, 255}
	colB       = color.NRGBA{255, 160, 0, 255}
	colBStroke = color.NRGBA{120, 60, 0, 255}
	colRed     = color.NRGBA{220, 30, 30, 255}
	colGreen   = color.NRGBA{30, 160, 60, 255}
	colGreenLn = color.NRGBA{0, 60, 0, 255}
	colBlue    = color.NRGBA{40, 80, 220, 255}
	colPurple  = color.NRGBA{140, 40, 160, 255}
)

// at returns the lon/lat at screen (x, y) of the small scene's view.
func at(x, y float64) orb.Point { return sceneView.ToLonLat(x, y, sceneW, sceneH) }

// rect returns the screen rectangle (x0,y0)-(x1,y1) as a polygon.
func rect(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)}}}
}

func smallLayers() []Layer {
	return []Layer{
		&PolygonLayer{
			ID:       "areas",
			Polygons: []orb.MultiPolygon{rect(20, 20, 80, 80), rect(60, 40, 140, 110)},
			Styles: []Style{
				{Fill: colA, Stroke: colAStroke, StrokeWidth: 2},
				{Fill: colB, Stroke: colBStroke, StrokeWidth: 1},
			},
		},
		&PointLayer{
			ID:     "places",
			Points: []orb.Point{at(160.5, 30.5), at(170.5, 80.5), at(110.5, 130.5), at(30.5, 120.5)},
			Styles: []Style{
				{Fill: colRed, Radius: 5},
				{Fill: colGreen, Radius: 5, Shape: Square, Stroke: colGreenLn, StrokeWidth: 2},
				{Fill: colBlue, Radius: 6, Shape: Triangle},
				{Fill: colPurple, Radius: 5, Shape: Diamond},
			},
		},
	}
}

func renderScene(s *Scene, v View, w, h int, hidden map[string]bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	NewRenderer().Render(img, s, v, 1, hidden)
	return img
}

func rgba(img *image.RGBA, x, y int) color.NRGBA {
	o := img.PixOffset(x, y)
	p := img.Pix[o : o+4]
	return color.NRGBA{p[0], p[1], p[2], p[3]}
}

// over is the expected colour of c drawn over an opaque colour d.
func over(c, d color.NRGBA, coverage float64) color.NRGBA {
	a := float64(c.A) / 255 * coverage
	mix := func(s, d uint8) uint8 { return uint8(float64(s)*a + float64(d)*(1-a) + 0.5) }
	return color.NRGBA{mix(c.R, d.R), mix(c.G, d.G), mix(c.B, d.B), 255}
}

func near(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

func TestRenderSmallScene(t *testing.T) {
	img := renderScene(NewScene(smallLayers()...), sceneView, sceneW, sceneH, nil)
	for _, tc := range []struct {
		name string
		x, y int
		want color.NRGBA
		tol  int
	}{
		{"background", 190, 140, Background, 0},
		{"background between", 100, 10, Background, 0},
		{"translucent fill of A", 30, 60, over(colA, Background, 1), 1},
		{"opaque fill of B", 100, 90, colB, 0},
		{"B over A", 70, 60, colB, 0},
		{"B over A's stroke", 80, 60, colB, 0},
		{"A's 2px stroke, left", 20, 50, colAStroke, 0},
		{"A's 2px stroke, left outside", 19, 50, colAStroke, 0},
		{"A's 2px stroke, top", 50, 20, colAStroke, 0},
		{"B's 1px stroke, half on the fill", 139, 70, over(colBStroke, colB, 0.5), 2},
		{"B's 1px stroke, half on the background", 140, 70, over(colBStroke, Background, 0.5), 2},
		{"circle centre", 160, 30, colRed, 0},
		{"square centre", 170, 80, colGreen, 0},
		{"square outline", 174, 80, colGreenLn, 0},
		{"square outline top", 170, 76, colGreenLn, 0},
		{"triangle centre", 110, 130, colBlue, 0},
		{"diamond centre", 30, 120, colPurple, 0},
		{"beside the circle", 167, 30, Background, 0},
	} {
		if got := rgba(img, tc.x, tc.y); !near(got, tc.want, tc.tol) {
			t.Errorf("%s at (%d,%d) = %v; want %v", tc.name, tc.x, tc.y, got, tc.want)
		}
	}
	// The default outline of a marker is a darker shade of its fill.
	edge := rgba(img, 164, 30)
	if !(edge.R < colRed.R && edge.R > 0) {
		t.Errorf("circle edge %v is not a darker red", edge)
	}
	// The triangle points up: its apex row is above its centre, and the
	// row below its centre is wider than the row above.
	if rgba(img, 110, 124) == Background || rgba(img, 104, 124) != Background {
		t.Errorf("triangle apex row wrong: %v %v", rgba(img, 110, 124), rgba(img, 104, 124))
	}
}

func TestRenderHiddenAndZoomRange(t *testing.T) {
	layers := smallLayers()
	s := NewScene(layers...)
	img := renderScene(s, sceneView, sceneW, sceneH, map[string]bool{"places": true})
	if got := rgba(img, 160, 30); got != Background {
		t.Errorf("hidden point drawn: %v", got)
	}
	if got := rgba(img, 100, 90); got != colB {
		t.Errorf("visible polygon not drawn: %v", got)
	}

	layers[0].(*PolygonLayer).MinZoom = 16.5
	layers[1].(*PointLayer).MaxZoom = 15
	img = renderScene(NewScene(layers...), sceneView, sceneW, sceneH, nil)
	for _, p := range [][2]int{{100, 90}, {160, 30}} {
		if got := rgba(img, p[0], p[1]); got != Background {
			t.Errorf("layer outside its zoom range drawn at %v: %v", p, got)
		}
	}
}

func TestRenderHolesAndBands(t *testing.T) {
	// A square with a square hole, drawn with 1 and with 4 workers: the
	// band split must not change a pixel.
	outer := orb.Ring{at(20, 20), at(180, 20), at(180, 130), at(20, 130), at(20, 20)}
	hole := orb.Ring{at(60, 50), at(60, 100), at(140, 100), at(140, 50), at(60, 50)}
	s := NewScene(&PolygonLayer{
		ID:       "holed",
		Polygons: []orb.MultiPolygon{{{outer, hole}}},
		Styles:   []Style{{Fill: colB, Stroke: colBStroke, StrokeWidth: 1.5}},
	})
	one := image.NewRGBA(image.Rect(0, 0, sceneW, sceneH))
	(&Renderer{Workers: 1}).Render(one, s, sceneView, 1, nil)
	four := image.NewRGBA(image.Rect(0, 0, sceneW, sceneH))
	(&Renderer{Workers: 4}).Render(four, s, sceneView, 1, nil)
	if string(one.Pix) != string(four.Pix) {
		t.Error("1-worker and 4-worker renders differ")
	}
	if got := rgba(one, 100, 75); got != Background {
		t.Errorf("hole filled: %v", got)
	}
	if got := rgba(one, 40, 75); got != colB {
		t.Errorf("ring not filled: %v", got)
	}
}

func TestRenderSubImageAndScale(t *testing.T) {
	s := NewScene(smallLayers()...)
	// At scale 2 every screen unit is two pixels.
	img := image.NewRGBA(image.Rect(0, 0, 2*sceneW, 2*sceneH))
	NewRenderer().Render(img, s, sceneView, 2, nil)
	for _, tc := range []struct {
		x, y int
		want color.NRGBA
	}{{200, 180, colB}, {320, 60, colRed}, {380, 280, Background}} {
		if got := rgba(img, tc.x, tc.y); got != tc.want {
			t.Errorf("scale 2 at (%d,%d) = %v; want %v", tc.x, tc.y, got, tc.want)
		}
	}
	// Rendering into a sub-image paints only it, with its own origin.
	big := image.NewRGBA(image.Rect(0, 0, sceneW+20, sceneH+20))
	sub := big.SubImage(image.Rect(10, 10, 10+sceneW, 10+sceneH)).(*image.RGBA)
	NewRenderer().Render(sub, s, sceneView, 1, nil)
	if got := rgba(big, 110, 100); got != colB {
		t.Errorf("sub-image (100,90) = %v", got)
	}
	if got := rgba(big, 5, 5); got != (color.NRGBA{}) {
		t.Errorf("outside the sub-image painted: %v", got)
	}
}

func TestReprojectPan(t *testing.T) {
	s := NewScene(smallLayers()...)
	src := renderScene(s, sceneView, sceneW, sceneH, nil)
	to := sceneView.Pan(12, -7)
	want := renderScene(s, to, sceneW, sceneH, nil)
	got := image.NewRGBA(src.Rect)
	Reproject(got, src, sceneView, to, 1)
	for y := range sceneH {
		for x := range sceneW {
			g := rgba(got, x, y)
			switch {
			case x < 12 || y >= sceneH-7:
				if g != Background {
					t.Fatalf("uncovered (%d,%d) = %v", x, y, g)
				}
			case !near(g, rgba(want, x, y), 1):
				t.Fatalf("(%d,%d) = %v; a render gives %v", x, y, g, rgba(want, x, y))
			}
		}
	}
	// Zooming in by one level doubles the content about the centre
	// (100,75): B's pixel (100,90) moves to (100,105), the circle's centre
	// (160,30) to (220,-15), off screen.
	zoomed := image.NewRGBA(src.Rect)
	Reproject(zoomed, src, sceneView, View{Center: sceneView.Center, Zoom: 17}, 1)
	if g := rgba(zoomed, 100, 105); g != colB {
		t.Errorf("zoomed (100,105) = %v", g)
	}
	if g := rgba(zoomed, 195, 5); g != Background {
		t.Errorf("zoomed (195,5) = %v", g)
	}
}

func TestRenderGolden(t *testing.T) {
	s := NewScene(smallLayers()...)
	for _, v := range []View{
		{Center: at(100, 75), Zoom: 16},
		{Center: at(75, 65), Zoom: 17.5},
	} {
		name := fmt.Sprintf("small_scene_z%g.png", v.Zoom)
		img := renderScene(s, v, sceneW, sceneH, nil)
		assertGolden(t, name, img)
	}
}

// assertGolden compares img with testdata/name, tolerating tiny
// differences (floating-point contraction differs between CPUs). With
// -update it rewrites the golden image; on failure it writes the actual
// image to testdata/failed/.
func assertGolden(t *testing.T, name string, img *image.RGBA) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := writePNG(path, img); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run with -update to create it)", path, err)
	}
	defer f.Close()
	golden, err := png.Decode(f)
	if err != nil {
		t.Fatalf("golden %s: %v", path, err)
	}
	if golden.Bounds() != img.Bounds() {
		t.Fatalf("golden %s is %v, image is %v", path, golden.Bounds(), img.Bounds())
	}
	bad := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			want := color.NRGBAModel.Convert(golden.At(x, y)).(color.NRGBA)
			if !near(rgba(img, x, y), want, 2) {
				bad++
			}
		}
	}
	if bad > b.Dx()*b.Dy()/1000 {
		failed := filepath.Join("testdata", "failed", name)
		if err := writePNG(failed, img); err != nil {
			t.Error(err)
		}
		t.Errorf("%s: %d pixels differ; actual image in %s", path, bad, failed)
	}
}

func writePNG(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func TestBlendArithmetic(t *testing.T) {
	for ia := uint32(0); ia <= 255; ia++ {
		for d := uint32(0); d <= 255; d++ {
			px := d | (255-d)<<8 | d<<16 | (255-d)<<24
			want := mul255(d, ia) | mul255(255-d, ia)<<8 | mul255(d, ia)<<16 | mul255(255-d, ia)<<24
			if got := fade(px, ia); got != want {
				t.Fatalf("fade(%#x, %d) = %#x; want %#x", px, ia, got, want)
			}
		}
	}
	c := pack(10, 20, 30, 40)
	if got := c.scaled(128); got != pack(5, 10, 15, 20) {
		t.Errorf("scaled = %#x", got)
	}
	if got := c.scaled(256); got != c {
		t.Errorf("scaled(256) = %#x", got)
	}
}

// TestReprojectAcrossSizes moves frames between canvases of other sizes
// at the same zoom (a window being resized), over many views and scales:
// rounding must never make it read a pixel out of range.
func TestReprojectAcrossSizes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	src := image.NewRGBA(image.Rect(0, 0, 1200, 700))
	dst := image.NewRGBA(image.Rect(0, 0, 1200, 700))
	for i := 0; i < 3000; i++ {
		sw, sh := 600+r.IntN(600), 400+r.IntN(300)
		dw, dh := 600+r.IntN(600), 400+r.IntN(300)
		s, d := src.SubImage(image.Rect(0, 0, sw, sh)).(*image.RGBA), dst.SubImage(image.Rect(0, 0, dw, dh)).(*image.RGBA)
		z := 10 + 8*r.Float64()
		v := View{Center: orb.Point{120 + r.Float64(), 30 + r.Float64()}, Zoom: z}
		w := v // a resize keeps the view: the frame only grows or shrinks
		if i%2 == 1 {
			w.Center = orb.Point{v.Center[0] + (r.Float64()-0.5)*1e-3, v.Center[1] + (r.Float64()-0.5)*1e-3}
		}
		scale := []float64{1, 1.25, 1.5, 2}[r.IntN(4)]
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("trial %d (%dx%d → %dx%d, zoom %v, scale %v): %v", i, sw, sh, dw, dh, z, scale, p)
				}
			}()
			Reproject(d, s, v, w, scale)
		}()
	}
}

// TestReprojectResizeRegression is the frame that crashed the desk when its
// window grew from 872 to 1123 pixels at 30.06°N 120.25°E, zoom 13.7.
func TestReprojectResizeRegression(t *testing.T) {
	v := View{Center: orb.Point{math.Float64frombits(0x405e1000816f4eb0), math.Float64frombits(0x403e0f8fc5055dea)},
		Zoom: math.Float64frombits(0x402b7f8d8d7baddb)}
	Reproject(image.NewRGBA(image.Rect(0, 0, 1123, 640)), image.NewRGBA(image.Rect(0, 0, 872, 400)), v, v, 1)
}
