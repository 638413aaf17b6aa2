package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// wgsGCJRefs are WGS-84/GCJ-02 pairs from googollee/eviltransform's test
// suite (go/transform_test.go, identical in c/, javascript/, python/ and
// csharp/), written there as {wgsLat, wgsLng, gcjLat, gcjLng}; here [lon, lat].
var wgsGCJRefs = []struct {
	name     string
	wgs, gcj orb.Point
}{
	{"shanghai", orb.Point{121.5272106, 31.1774276}, orb.Point{121.531541859215, 31.17530398364597}},
	{"shenzhen", orb.Point{113.912316, 22.543847}, orb.Point{113.9171764808363, 22.540796131694766}},
	{"beijing", orb.Point{116.377817, 39.911954}, orb.Point{116.38404722455657, 39.91334545536069}},
}

// near reports whether a and b agree to tol degrees on both axes.
func near(a, b orb.Point, tol float64) bool {
	return math.Abs(a[0]-b[0]) <= tol && math.Abs(a[1]-b[1]) <= tol
}

func TestWGS84ToGCJ02Reference(t *testing.T) {
	for _, r := range wgsGCJRefs {
		if got := WGS84ToGCJ02(r.wgs); !near(got, r.gcj, 1e-9) {
			t.Errorf("%s: WGS84ToGCJ02(%v) = %v, want %v", r.name, r.wgs, got, r.gcj)
		}
	}
}

func TestGCJ02ToWGS84Reference(t *testing.T) {
	// eviltransform's "exact" test accepts 0.5 m; the iterative inverse does
	// far better than that.
	for _, r := range wgsGCJRefs {
		got := GCJ02ToWGS84(r.gcj)
		if d := Haversine(got, r.wgs); d > 0.01 {
			t.Errorf("%s: GCJ02ToWGS84(%v) = %v, %.4f m from %v", r.name, r.gcj, got, d, r.wgs)
		}
	}
}

// TestCoordtransformReadme checks the worked example of
// wandergis/coordtransform's README.md: every function applied to
// (116.404, 39.915). Two of its functions are approximations that ours
// improve on, so they get a looser tolerance and a forward check:
//   - bd09togcj02 is the closed-form inverse, about 5 cm off here;
//   - gcj02towgs84 is the one-step inverse, [116.39775550083061,
//     39.91359571849836], which maps forward 6 cm away from the input.
func TestCoordtransformReadme(t *testing.T) {
	in := orb.Point{116.404, 39.915}
	tests := []struct {
		name    string
		f, back func(orb.Point) orb.Point // back: the exact forward, for inverses
		want    orb.Point
		tol     float64 // degrees
	}{
		{"bd09togcj02", BD09ToGCJ02, GCJ02ToBD09, orb.Point{116.39762729119315, 39.90865673957631}, 1e-6},
		{"gcj02tobd09", GCJ02ToBD09, nil, orb.Point{116.41036949371029, 39.92133699351021}, 1e-9},
		{"wgs84togcj02", WGS84ToGCJ02, nil, orb.Point{116.41024449916938, 39.91640428150164}, 1e-9},
		{"gcj02towgs84", GCJ02ToWGS84, WGS84ToGCJ02, orb.Point{116.39775550083061, 39.91359571849836}, 1e-5},
	}
	for _, tt := range tests {
		got := tt.f(in)
		if !near(got, tt.want, tt.tol) {
			t.Errorf("%s(%v) = %v, want %v ± %g", tt.name, in, got, tt.want, tt.tol)
		}
		if tt.back == nil {
			continue
		}
		exactErr := Haversine(tt.back(got), in)
		approxErr := Haversine(tt.back(tt.want), in)
		if exactErr > 0.001 || exactErr >= approxErr {
			t.Errorf("%s: forward error of ours %.4f m, of coordtransform's %.4f m", tt.name, exactErr, approxErr)
		}
	}
}

// TestBD09Reference checks published GCJ-02/BD-09 pairs.
func TestBD09Reference(t *testing.T) {
	tests := []struct {
		source   string
		gcj, bd  orb.Point
		tol      float64 // degrees; the sources round to 5 or 6 decimals
		gcjOnlyF bool    // only the GCJ->BD direction is published
	}{
		// googollee/eviltransform matlab/test/testSuite.m, gcj2bdTest and
		// bd2gcjTest: bd (39.90851, 116.43351), gcj (39.90245, 116.42703),
		// checked there to 5e-5 degrees.
		{"eviltransform testSuite.m", orb.Point{116.42703, 39.90245}, orb.Point{116.43351, 39.90851}, 1e-5, false},
		// Alibaba Cloud address-purification API reference, TransferCoord
		// response example (help.aliyun.com/zh/address-purification/addrpapi/
		// developer-reference/coordinate-system-conversion): GCJ02
		// 120.026268,30.279164 -> BD09 120.032768,30.285238.
		{"aliyun TransferCoord", orb.Point{120.026268, 30.279164}, orb.Point{120.032768, 30.285238}, 1e-6, true},
	}
	for _, tt := range tests {
		if got := GCJ02ToBD09(tt.gcj); !near(got, tt.bd, tt.tol) {
			t.Errorf("%s: GCJ02ToBD09(%v) = %v, want %v ± %g", tt.source, tt.gcj, got, tt.bd, tt.tol)
		}
		if tt.gcjOnlyF {
			continue
		}
		if got := BD09ToGCJ02(tt.bd); !near(got, tt.gcj, tt.tol) {
			t.Errorf("%s: BD09ToGCJ02(%v) = %v, want %v ± %g", tt.source, tt.bd, got, tt.gcj, tt.tol)
		}
	}
}

// TestAliyunWGS84IsOneStep documents why GCJ02ToWGS84 iterates: the same
// Alibaba Cloud example gives WGS84 120.021519,30.281543 for GCJ02
// 120.026268,30.279164, which is the one-step approximation; it maps
// forward 1.75 m away from the GCJ-02 input, the exact inverse does not.
func TestAliyunWGS84IsOneStep(t *testing.T) {
	gcj := orb.Point{120.026268, 30.279164}
	published := orb.Point{120.021519, 30.281543}
	got := GCJ02ToWGS84(gcj)
	if d := Haversine(got, published); d < 1 || d > 3 {
		t.Errorf("GCJ02ToWGS84(%v) = %v, %.3f m from the published one-step value %v; want 1–3 m", gcj, got, d, published)
	}
	if d := Haversine(WGS84ToGCJ02(got), gcj); d > 0.001 {
		t.Errorf("WGS84ToGCJ02(GCJ02ToWGS84(%v)) is %.4f m off", gcj, d)
	}
}

// outside are points beyond the GCJ-02 box: Denver, Brisbane and Rio de
// Janeiro are eviltransform's edge cases (matlab/test/testSuite.m); Tokyo,
// Singapore and Ulaanbaatar's north (lat > 55.8271) are ours.
var outside = []struct {
	name string
	p    orb.Point
}{
	{"denver", orb.Point{-104.9903, 39.7392}},
	{"brisbane", orb.Point{153.0251, -27.4698}},
	{"rio de janeiro", orb.Point{-43.1729, -22.9068}},
	{"tokyo", orb.Point{139.6917, 35.6895}},
	{"south of the box", orb.Point{103.8198, 0.5}},
	{"north of the box", orb.Point{110, 56}},
	{"west of the box", orb.Point{72, 40}},
}

func TestOutOfChinaUnchanged(t *testing.T) {
	funcs := map[string]func(orb.Point) orb.Point{
		"WGS84ToGCJ02": WGS84ToGCJ02, "GCJ02ToWGS84": GCJ02ToWGS84,
		"GCJ02ToBD09": GCJ02ToBD09, "BD09ToGCJ02": BD09ToGCJ02,
		"WGS84ToBD09": WGS84ToBD09, "BD09ToWGS84": BD09ToWGS84,
	}
	for _, o := range outside {
		if !OutOfChina(o.p) {
			t.Errorf("OutOfChina(%v) (%s) = false", o.p, o.name)
		}
		for name, f := range funcs {
			if got := f(o.p); got != o.p {
				t.Errorf("%s(%v) (%s) = %v, want it unchanged", name, o.p, o.name, got)
			}
		}
	}
	for _, in := range []orb.Point{{120.3, 30.05}, {87.6, 43.8}, {126.6, 45.75}, {109.5, 18.25}} {
		if OutOfChina(in) {
			t.Errorf("OutOfChina(%v) = true", in)
		}
	}
}

// TestRoundTripGrid sweeps the interior of the box (0.25° inside its edges).
func TestRoundTripGrid(t *testing.T) {
	const limit = 0.5 // metres, the accuracy GridDesk promises
	var worstGCJ, worstBD float64
	for lon := 72.3; lon < 137.6; lon += 0.7 {
		for lat := 1.1; lat < 55.6; lat += 0.45 {
			p := orb.Point{lon, lat}
			if d := Haversine(GCJ02ToWGS84(WGS84ToGCJ02(p)), p); d > worstGCJ {
				worstGCJ = d
			}
			if d := Haversine(BD09ToWGS84(WGS84ToBD09(p)), p); d > worstBD {
				worstBD = d
			}
		}
	}
	if worstGCJ > limit {
		t.Errorf("WGS->GCJ->WGS worst error %.4f m, want <= %v m", worstGCJ, limit)
	}
	if worstBD > limit {
		t.Errorf("WGS->BD->WGS worst error %.4f m, want <= %v m", worstBD, limit)
	}
	t.Logf("worst round trip: GCJ-02 %.2g m, BD-09 %.2g m", worstGCJ, worstBD)
}

// FuzzRoundTrip checks, for any input, that nothing panics and that points
// outside the box come back bit-for-bit; it also folds the input into the
// box (most random floats lie far outside China) and checks that the folded
// point round-trips through GCJ-02 and BD-09 within 0.5 m. Without -fuzz it
// runs the seeds only.
func FuzzRoundTrip(f *testing.F) {
	for _, r := range wgsGCJRefs {
		f.Add(r.wgs[0], r.wgs[1])
	}
	for _, o := range outside {
		f.Add(o.p[0], o.p[1])
	}
	f.Add(120.2712, 30.1615)  // Linpu
	f.Add(105.0, 35.0)        // origin of the GCJ-02 polynomial (sqrt|x| kink)
	f.Add(72.004, 0.8293)     // box corner
	f.Add(137.8347, 55.8271)  // box corner
	f.Add(math.NaN(), 30.0)   // garbage
	f.Add(120.0, math.Inf(1)) // garbage
	f.Fuzz(func(t *testing.T, lon, lat float64) {
		p := orb.Point{lon, lat}
		if OutOfChina(p) {
			for name, f := range map[string]func(orb.Point) orb.Point{
				"WGS84ToGCJ02": WGS84ToGCJ02, "GCJ02ToWGS84": GCJ02ToWGS84,
				"GCJ02ToBD09": GCJ02ToBD09, "BD09ToGCJ02": BD09ToGCJ02,
				"WGS84ToBD09": WGS84ToBD09, "BD09ToWGS84": BD09ToWGS84,
			} {
				got := f(p)
				if math.Float64bits(got[0]) != math.Float64bits(p[0]) || math.Float64bits(got[1]) != math.Float64bits(p[1]) {
					t.Fatalf("%s(%v) = %v, want it unchanged outside China", name, p, got)
				}
			}
		} else {
			checkRoundTrip(t, p)
		}
		if math.IsNaN(lon) || math.IsNaN(lat) || math.IsInf(lon, 0) || math.IsInf(lat, 0) {
			return
		}
		checkRoundTrip(t, orb.Point{72.004 + math.Mod(math.Abs(lon), 65.8307), 0.8293 + math.Mod(math.Abs(lat), 54.9978)})
	})
}

// checkRoundTrip checks WGS->GCJ->WGS and WGS->BD->WGS for a point inside
// the box. A point whose image leaves the box (possible within ~0.01° of its
// edge) cannot be brought back, since the inverse sees an "outside" point;
// every converter shares that edge effect, so such points are skipped.
func checkRoundTrip(t *testing.T, p orb.Point) {
	t.Helper()
	gcj, bd := WGS84ToGCJ02(p), WGS84ToBD09(p)
	if OutOfChina(p) || OutOfChina(gcj) || OutOfChina(bd) || OutOfChina(BD09ToGCJ02(bd)) {
		return
	}
	if d := Haversine(GCJ02ToWGS84(gcj), p); !(d <= 0.5) {
		t.Fatalf("WGS->GCJ->WGS %v: %v m off", p, d)
	}
	if d := Haversine(BD09ToWGS84(bd), p); !(d <= 0.5) {
		t.Fatalf("WGS->BD->WGS %v: %v m off", p, d)
	}
}
