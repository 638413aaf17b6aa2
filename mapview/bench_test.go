package mapview

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// syntheticLayers builds a city-like scene over ~30 km × 30 km around
// Linpu: a side×side grid of jittered quadrilaterals sharing their
// vertices (side 55: 3,025 areas), and n points spread uniformly, each
// with its own style from a small palette.
func syntheticLayers(n int, side int) []Layer {
	if side <= 0 {
		side = 55
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const km = 30.0
	dLat := km / 111.32
	dLon := km / (111.32 * math.Cos(linpu[1]*math.Pi/180))
	lon0, lat0 := linpu[0]-dLon/2, linpu[1]-dLat/2
	cw, ch := dLon/float64(side), dLat/float64(side)

	// Shared, jittered vertices.
	verts := make([][]orb.Point, side+1)
	for j := range verts {
		verts[j] = make([]orb.Point, side+1)
		for i := range verts[j] {
			jx, jy := 0.0, 0.0
			if i > 0 && i < side && j > 0 && j < side {
				jx, jy = (rng.Float64()-0.5)*0.5*cw, (rng.Float64()-0.5)*0.5*ch
			}
			verts[j][i] = orb.Point{lon0 + float64(i)*cw + jx, lat0 + float64(j)*ch + jy}
		}
	}
	palette := []color.NRGBA{
		{0x4e, 0x79, 0xa7, 0x40}, {0xf2, 0x8e, 0x2b, 0x40}, {0xe1, 0x57, 0x59, 0x40},
		{0x76, 0xb7, 0xb2, 0x40}, {0x59, 0xa1, 0x4f, 0x40}, {0xed, 0xc9, 0x48, 0x40},
	}
	polys := &PolygonLayer{ID: "areas"}
	for j := range side {
		for i := range side {
			v := verts
			polys.Polygons = append(polys.Polygons, orb.MultiPolygon{{{v[j][i], v[j][i+1], v[j+1][i+1], v[j+1][i], v[j][i]}}})
			polys.Styles = append(polys.Styles, Style{
				Fill:   palette[(i*7+j*3)%len(palette)],
				Stroke: color.NRGBA{0x55, 0x5b, 0x66, 0xc0},
			})
		}
	}

	markers := []Style{
		{Fill: color.NRGBA{0xd6, 0x27, 0x28, 0xff}, Shape: Circle},
		{Fill: color.NRGBA{0xf0, 0xc0, 0x20, 0xff}, Shape: Square},
		{Fill: color.NRGBA{0x2c, 0xa0, 0x2c, 0xff}, Shape: Triangle},
		{Fill: color.NRGBA{0x1f, 0x77, 0xb4, 0xff}, Shape: Diamond},
	}
	pts := &PointLayer{ID: "places", Points: make([]orb.Point, n), Styles: make([]Style, n)}
	for k := range n {
		pts.Points[k] = orb.Point{lon0 + rng.Float64()*dLon, lat0 + rng.Float64()*dLat}
		pts.Styles[k] = markers[rng.IntN(len(markers))]
	}
	return []Layer{polys, pts}
}

func BenchmarkRenderSynthetic(b *testing.B) {
	const w, h = 1920, 1080
	city := NewScene(syntheticLayers(100_000, 55)...)
	town := NewScene(syntheticLayers(6_000, 28)...) // 784 areas
	fit := FitView(city.Bound(), w, h, 0)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := NewRenderer()
	zoomed := fit
	zoomed.Zoom += 2
	for _, bc := range []struct {
		name  string
		scene *Scene
		view  View
	}{
		{"city/full", city, fit},
		{"city/zoom+2", city, zoomed},
		{"town/full", town, fit},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				r.Render(img, bc.scene, bc.view, 1, nil)
			}
		})
	}
	// The CPU cost of a frame: one worker.
	b.Run("city/full-1worker", func(b *testing.B) {
		r1 := &Renderer{Workers: 1}
		for b.Loop() {
			r1.Render(img, city, fit, 1, nil)
		}
	})
	// A frame while panning: every frame a new view, 9 px further.
	b.Run("city/pan", func(b *testing.B) {
		v := fit
		for b.Loop() {
			v = v.Pan(9, 4)
			r.Render(img, city, v, 1, nil)
		}
	})
	// The stand-in image shown at once while a frame renders.
	b.Run("city/reproject-pan", func(b *testing.B) {
		src := image.NewRGBA(img.Rect)
		r.Render(src, city, fit, 1, nil)
		to := fit.Pan(40, -25)
		for b.Loop() {
			Reproject(img, src, fit, to, 1)
		}
	})
}

func BenchmarkHitTestSynthetic(b *testing.B) {
	const w, h = 1920, 1080
	s := NewScene(syntheticLayers(100_000, 55)...)
	v := FitView(s.Bound(), w, h, 0)
	rng := rand.New(rand.NewPCG(3, 4))
	for b.Loop() {
		s.HitTest(v, w, h, rng.Float64()*w, rng.Float64()*h, nil)
	}
}

func BenchmarkNewSceneSynthetic(b *testing.B) {
	layers := syntheticLayers(100_000, 55)
	for b.Loop() {
		NewScene(layers...)
	}
}
