package mapview

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

var linpu = orb.Point{120.25, 30.06}

func TestProjectKnownPoints(t *testing.T) {
	for _, tc := range []struct {
		p    orb.Point
		zoom float64
		x, y float64
	}{
		{orb.Point{0, 0}, 0, 128, 128},
		{orb.Point{-180, MaxLatitude}, 0, 0, 0},
		{orb.Point{180, -MaxLatitude}, 0, 256, 256},
		{orb.Point{0, 0}, 3, 1024, 1024},
		{orb.Point{90, 0}, 1, 384, 256},
	} {
		x, y := Project(tc.p, tc.zoom)
		if math.Abs(x-tc.x) > 1e-9 || math.Abs(y-tc.y) > 1e-9 {
			t.Errorf("Project(%v, %v) = %v, %v; want %v, %v", tc.p, tc.zoom, x, y, tc.x, tc.y)
		}
		if q := Unproject(x, y, tc.zoom); math.Abs(q[0]-tc.p[0]) > 1e-9 || math.Abs(q[1]-tc.p[1]) > 1e-9 {
			t.Errorf("Unproject(Project(%v)) = %v", tc.p, q)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	const w, h = 1920, 1080
	centres := []orb.Point{linpu, {120.2, 30.1}, {120.31, 30.0}, {0, 0}, {-74.0, 40.7}, {151.2, -33.9}, {25, 70}}
	for _, c := range centres {
		for _, z := range []float64{0.5, 3, 8.25, 10, 12.7, 15, 17.5, 20, 22} {
			v := View{Center: c, Zoom: z}
			// The centre is in the middle of the screen.
			if x, y := v.ToScreen(c, w, h); math.Abs(x-w/2) > 1e-6 || math.Abs(y-h/2) > 1e-6 {
				t.Errorf("%v: centre at %v, %v", v, x, y)
			}
			// lon/lat → screen → lon/lat, for points around the centre.
			for _, d := range [][2]float64{{0, 0}, {0.01, 0.02}, {-0.03, 0.005}, {0.1, -0.1}, {1e-5, -2e-5}} {
				p := orb.Point{c[0] + d[0], c[1] + d[1]}
				x, y := v.ToScreen(p, w, h)
				q := v.ToLonLat(x, y, w, h)
				if math.Abs(q[0]-p[0]) > 1e-9 || math.Abs(q[1]-p[1]) > 1e-9 {
					t.Errorf("%v: %v → (%v, %v) → %v", v, p, x, y, q)
				}
			}
			// screen → lon/lat → screen, where the screen shows the world.
			for _, s := range [][2]float64{{0, 0}, {w, h}, {123.5, 987.25}, {w / 2, h / 2}} {
				q := v.ToLonLat(s[0], s[1], w, h)
				if math.Abs(q[1]) > MaxLatitude {
					continue
				}
				x, y := v.ToScreen(q, w, h)
				if tol := 1e-6 * math.Max(1, WorldSize(z)/1e6); math.Abs(x-s[0]) > tol || math.Abs(y-s[1]) > tol {
					t.Errorf("%v: %v → %v → (%v, %v)", v, s, q, x, y)
				}
			}
		}
	}
}

func TestPanAndZoomAround(t *testing.T) {
	const w, h = 800, 600
	v := View{Center: linpu, Zoom: 14}
	anchor := v.ToLonLat(200, 150, w, h)

	p := v.Pan(30, -20)
	if x, y := p.ToScreen(anchor, w, h); math.Abs(x-230) > 1e-6 || math.Abs(y-130) > 1e-6 {
		t.Errorf("after Pan(30,-20) anchor at %v, %v; want 230, 130", x, y)
	}

	z := v.ZoomAround(1.3, 200, 150, w, h)
	if math.Abs(z.Zoom-15.3) > 1e-12 {
		t.Errorf("zoom = %v", z.Zoom)
	}
	if x, y := z.ToScreen(anchor, w, h); math.Abs(x-200) > 1e-6 || math.Abs(y-150) > 1e-6 {
		t.Errorf("after ZoomAround anchor at %v, %v; want 200, 150", x, y)
	}

	if c := (View{Zoom: 99}).clamped(); c.Zoom != MaxZoom {
		t.Errorf("clamped zoom %v", c.Zoom)
	}
}

func TestFitView(t *testing.T) {
	const w, h, pad = 800, 600, 8
	b := orb.Bound{Min: orb.Point{120.15, 29.98}, Max: orb.Point{120.36, 30.14}}
	v := FitView(b, w, h, pad)
	x0, y0 := v.ToScreen(orb.Point{b.Min[0], b.Max[1]}, w, h) // north-west
	x1, y1 := v.ToScreen(orb.Point{b.Max[0], b.Min[1]}, w, h) // south-east
	if math.Abs((x0+x1)/2-w/2) > 1e-6 || math.Abs((y0+y1)/2-h/2) > 1e-6 {
		t.Errorf("bound not centred: (%v,%v)-(%v,%v)", x0, y0, x1, y1)
	}
	if x0 < pad-1e-6 || y0 < pad-1e-6 || x1 > w-pad+1e-6 || y1 > h-pad+1e-6 {
		t.Errorf("bound does not fit: (%v,%v)-(%v,%v)", x0, y0, x1, y1)
	}
	// One side is tight.
	if math.Abs(x1-x0-(w-2*pad)) > 1e-6 && math.Abs(y1-y0-(h-2*pad)) > 1e-6 {
		t.Errorf("bound not as large as fits: (%v,%v)-(%v,%v)", x0, y0, x1, y1)
	}
	bb := v.Bound(w, h)
	if !bb.Contains(b.Min) || !bb.Contains(b.Max) {
		t.Errorf("visible bound %v does not contain %v", bb, b)
	}
}
