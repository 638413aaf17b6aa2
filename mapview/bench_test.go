package mapview

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"griddesk/assets"
)

// Benchmarks of the performance budgets (DESIGN.md §7) on synthetic data
// the size of the city (Dongguan: 3,106 grids, 100,000 entities over
// ~50 km × 50 km around 113.75°E 23.02°N) and of the town (Linpu: 767
// grids, 5,960 entities over ~8 km × 5.5 km around 120.25°E 30.06°N), at
// 1920×1080, with the layers the desk shows: grids with names, entities
// coloured by code and shaped by kind (clustered below zoom 14), cases
// (some pulsing), two plan routes with numbered stops and a selection.
// Redraws are measured with warm caches (the steady state: sprites,
// glyphs, clusters and label placement of the frame's zoom are reused);
// the Cold variants show a first frame.

const benchW, benchH = 1920, 1080

var (
	dongguan = orb.Point{113.75, 23.02}
	linpuC   = orb.Point{120.25, 30.06}
)

// Colours of the synthetic desk.
var (
	codeColors = []color.NRGBA{{0x2c, 0xa0, 0x2c, 0xff}, {0xf0, 0xc0, 0x20, 0xff}, {0xd6, 0x27, 0x28, 0xff}} // green, yellow, red
	gridFills  = []color.NRGBA{
		{0x4e, 0x79, 0xa7, 0x30}, {0xf2, 0x8e, 0x2b, 0x30}, {0xe1, 0x57, 0x59, 0x30},
		{0x76, 0xb7, 0xb2, 0x30}, {0x59, 0xa1, 0x4f, 0x30}, {0xed, 0xc9, 0x48, 0x30},
	}
	townNames = []string{"南城", "东城", "莞城", "万江", "石碣", "石龙", "茶山", "石排", "企石", "横沥", "桥头", "谢岗", "东坑"}
)

// synthCity builds the layers of a city-like desk: polys quadrilateral
// grids (jittered, sharing vertices) over kmW × kmH km around c, entities
// points spread unevenly (denser towards the centre) and cases points.
func synthCity(c orb.Point, kmW, kmH float64, polys, entities, cases int) []Layer {
	rng := rand.New(rand.NewPCG(1, 2))
	dLat := kmH / 111.32
	dLon := kmW / (111.32 * math.Cos(c[1]*math.Pi/180))
	lon0, lat0 := c[0]-dLon/2, c[1]-dLat/2
	// Columns and rows for polys cells of about square shape.
	cols := int(math.Ceil(math.Sqrt(float64(polys) * kmW / kmH)))
	rows := (polys + cols - 1) / cols
	cw, ch := dLon/float64(cols), dLat/float64(rows)
	verts := make([][]orb.Point, rows+1)
	for j := range verts {
		verts[j] = make([]orb.Point, cols+1)
		for i := range verts[j] {
			jx, jy := 0.0, 0.0
			if i > 0 && i < cols && j > 0 && j < rows {
				jx, jy = (rng.Float64()-0.5)*0.5*cw, (rng.Float64()-0.5)*0.5*ch
			}
			verts[j][i] = orb.Point{lon0 + float64(i)*cw + jx, lat0 + float64(j)*ch + jy}
		}
	}
	grids := &PolygonLayer{ID: "grids", LabelStyle: LabelStyle{Size: 12}}
	for k := range polys {
		i, j := k%cols, k/cols
		v := verts
		grids.Polygons = append(grids.Polygons, orb.MultiPolygon{{{v[j][i], v[j][i+1], v[j+1][i+1], v[j+1][i], v[j][i]}}})
		grids.Styles = append(grids.Styles, Style{Fill: gridFills[(i*7+j*3)%len(gridFills)], Stroke: color.NRGBA{0x55, 0x5b, 0x66, 0xb0}})
		grids.Labels = append(grids.Labels, fmt.Sprintf("%s%d网格", townNames[k%len(townNames)], k+1))
	}

	ents := &PointLayer{ID: "entities", Cluster: true, ClusterBelowZoom: 14}
	var styles []Style
	for code, col := range codeColors {
		for shape := range 4 {
			styles = append(styles, Style{Fill: col, Radius: 3, Shape: Shape(shape), Priority: code})
		}
	}
	for range entities {
		// Two thirds uniform, one third around a few centres.
		var p orb.Point
		if rng.IntN(3) > 0 {
			p = orb.Point{lon0 + rng.Float64()*dLon, lat0 + rng.Float64()*dLat}
		} else {
			cx, cy := float64(rng.IntN(5)+1)/6, float64(rng.IntN(5)+1)/6
			p = orb.Point{lon0 + (cx+rng.NormFloat64()*0.05)*dLon, lat0 + (cy+rng.NormFloat64()*0.05)*dLat}
		}
		ents.Points = append(ents.Points, p)
		// Codes: mostly green, some yellow, few red.
		code := 0
		switch x := rng.IntN(100); {
		case x >= 97:
			code = 2
		case x >= 85:
			code = 1
		}
		ents.Styles = append(ents.Styles, styles[code*4+rng.IntN(4)])
	}

	cs := &PointLayer{ID: "cases"}
	for k := range cases {
		cs.Points = append(cs.Points, orb.Point{lon0 + rng.Float64()*dLon, lat0 + rng.Float64()*dLat})
		col := codeColors[k%3]
		cs.Styles = append(cs.Styles, Style{Fill: col, Stroke: color.NRGBA{A: 0xff}, StrokeWidth: 1.5, Radius: 6, Shape: Diamond, Pulse: k%3 == 2 && k%7 == 0})
	}

	routes := &RouteLayer{ID: "routes", NumberStops: true, Styles: []Style{
		{Stroke: color.NRGBA{0x1f, 0x5f, 0xa8, 0xe0}, StrokeWidth: 3},
		{Stroke: color.NRGBA{0x8e, 0x24, 0xaa, 0xe0}, StrokeWidth: 3},
	}}
	for r := range 2 {
		var route []orb.Point
		for s := range 15 {
			route = append(route, orb.Point{lon0 + (0.2+0.04*float64(s)+0.1*float64(r))*dLon, lat0 + (0.3+0.25*math.Sin(float64(s)/3+float64(r)))*dLat})
		}
		routes.Routes = append(routes.Routes, route)
	}
	return []Layer{grids, ents, cs, routes}
}

var benchSel = []Hit{{Layer: "grids", Index: 1500}, {Layer: "entities", Index: 10}, {Layer: "entities", Index: 20}, {Layer: "routes", Index: 1, Stop: -1}}

var (
	cjkOnce  sync.Once
	cjkFonts *Fonts
)

// testFonts is the desk's chain: the bundled CJK font, then Go Regular.
func testFonts(tb testing.TB) *Fonts {
	cjkOnce.Do(func() {
		f, err := NewFonts(assets.CJKFont)
		if err != nil {
			tb.Fatal(err)
		}
		cjkFonts = f
	})
	return cjkFonts
}

var (
	cityOnce, townOnce   sync.Once
	cityScene, townScene *Scene
)

func benchCity() *Scene {
	cityOnce.Do(func() { cityScene = NewScene(synthCity(dongguan, 50, 50, 3106, 100_000, 2000)...) })
	return cityScene
}

func benchTown() *Scene {
	townOnce.Do(func() { townScene = NewScene(synthCity(linpuC, 8, 5.5, 767, 5960, 300)...) })
	return townScene
}

func benchOpts(tb testing.TB) RenderOptions {
	return RenderOptions{Fonts: testFonts(tb), Selection: benchSel}
}

// cpuTime returns the CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the CPU time per operation (all goroutines) since start:
// on a shared machine wall time varies with the load, CPU time much less.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

func benchRedraw(b *testing.B, s *Scene, v View) {
	img := image.NewRGBA(image.Rect(0, 0, benchW, benchH))
	r := NewRenderer()
	o := benchOpts(b)
	r.RenderWith(img, s, v, 1, o) // warm the caches
	runtime.GC()                  // not the setup's garbage
	c0 := cpuTime()
	for b.Loop() {
		r.RenderWith(img, s, v, 1, o)
	}
	reportCPU(b, c0)
}

// BenchmarkRedrawCity is a full redraw of the whole city (budget 50 ms).
func BenchmarkRedrawCity(b *testing.B) {
	s := benchCity()
	benchRedraw(b, s, FitView(s.Bound(), benchW, benchH, 8))
}

// BenchmarkRedrawCityZoomed is a full redraw of part of the city at
// zoom 14.5: entities unclustered, grid names shown.
func BenchmarkRedrawCityZoomed(b *testing.B) {
	s := benchCity()
	benchRedraw(b, s, View{Center: dongguan, Zoom: 14.5})
}

// BenchmarkRedrawCityCold is the first frame of the whole city with a new
// Renderer and no clusters cached.
func BenchmarkRedrawCityCold(b *testing.B) {
	s := benchCity()
	v := FitView(s.Bound(), benchW, benchH, 8)
	img := image.NewRGBA(image.Rect(0, 0, benchW, benchH))
	o := benchOpts(b)
	c0 := cpuTime()
	for b.Loop() {
		for _, l := range s.layers {
			if l.points != nil {
				l.points.clusters.mu.Lock()
				l.points.clusters.recent = [2]*clustering{}
				l.points.clusters.mu.Unlock()
			}
		}
		NewRenderer().RenderWith(img, s, v, 1, o)
	}
	reportCPU(b, c0)
}

// BenchmarkRedrawCityUnclustered draws all 100,000 entities at the whole
// city's zoom, without clustering.
func BenchmarkRedrawCityUnclustered(b *testing.B) {
	layers := synthCity(dongguan, 50, 50, 3106, 100_000, 2000)
	layers[1].(*PointLayer).Cluster = false
	s := NewScene(layers...)
	benchRedraw(b, s, FitView(s.Bound(), benchW, benchH, 8))
}

func benchPan(b *testing.B, s *Scene, v View) {
	imgs := [2]*image.RGBA{image.NewRGBA(image.Rect(0, 0, benchW, benchH)), image.NewRGBA(image.Rect(0, 0, benchW, benchH))}
	r := NewRenderer()
	o := benchOpts(b)
	r.RenderWith(imgs[0], s, v, 1, o)
	runtime.GC()
	reused := 0
	c0 := cpuTime()
	for b.Loop() {
		nv := v.Pan(9, 4)
		if r.RenderFrom(imgs[1], imgs[0], v, s, nv, 1, o) {
			reused++
		}
		imgs[0], imgs[1] = imgs[1], imgs[0]
		v = nv
	}
	reportCPU(b, c0)
	if reused < b.N*9/10 {
		b.Errorf("only %d of %d pan frames reused the previous one", reused, b.N)
	}
}

// BenchmarkPanCity is a frame while panning the whole city by 9×4 pixels
// a frame: the previous frame moved, the uncovered strips drawn (budget
// 16 ms).
func BenchmarkPanCity(b *testing.B) {
	s := benchCity()
	benchPan(b, s, FitView(s.Bound(), benchW, benchH, 8))
}

// BenchmarkPanCityZoomed pans at zoom 14.5 (entities unclustered).
func BenchmarkPanCityZoomed(b *testing.B) {
	benchPan(b, benchCity(), View{Center: dongguan, Zoom: 14.5})
}

// BenchmarkRedrawTown is a full redraw of the whole town (budget 16 ms).
func BenchmarkRedrawTown(b *testing.B) {
	s := benchTown()
	benchRedraw(b, s, FitView(s.Bound(), benchW, benchH, 8))
}

// BenchmarkHitTestCity is a tap on the whole city (clusters) and on a
// zoomed-in view, alternately (budget 1 ms).
func BenchmarkHitTestCity(b *testing.B) {
	s := benchCity()
	views := []View{FitView(s.Bound(), benchW, benchH, 8), {Center: dongguan, Zoom: 15}}
	for _, v := range views {
		s.HitTest(v, benchW, benchH, 0, 0, nil) // clusters of the zoom, as after a frame
	}
	runtime.GC()
	rng := rand.New(rand.NewPCG(3, 4))
	i := 0
	for b.Loop() {
		s.HitTest(views[i%2], benchW, benchH, rng.Float64()*benchW, rng.Float64()*benchH, nil)
		i++
	}
}

// BenchmarkRedrawCityHeat is a full redraw of the city with a heat layer
// of 5,000 weighted points over the grids.
func BenchmarkRedrawCityHeat(b *testing.B) {
	layers := synthCity(dongguan, 50, 50, 3106, 100_000, 2000)
	rng := rand.New(rand.NewPCG(5, 6))
	heat := &HeatLayer{ID: "heat"}
	for range 5000 {
		p := layers[1].(*PointLayer).Points[rng.IntN(100_000)]
		heat.Points = append(heat.Points, p)
		heat.Weights = append(heat.Weights, 1+rng.Float64()*2)
	}
	layers = append(layers[:1], append([]Layer{heat}, layers[1:]...)...)
	s := NewScene(layers...)
	benchRedraw(b, s, FitView(s.Bound(), benchW, benchH, 8))
}

// BenchmarkNewSceneCity builds the city's scene (off the UI goroutine).
func BenchmarkNewSceneCity(b *testing.B) {
	layers := synthCity(dongguan, 50, 50, 3106, 100_000, 2000)
	for b.Loop() {
		NewScene(layers...)
	}
}
