package route

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// benchmarks are TSPLIB instances with their published optimal tour lengths
// (TSPLIB95, Reinelt; see testdata/README).
var benchmarks = []struct {
	name string
	opt  float64
}{
	{"eil51", 426},
	{"berlin52", 7542},
	{"kroA100", 21282},
	{"rat195", 2323},
	{"d198", 15780},
	{"kroA200", 29368},
	{"gil262", 2378},
	{"a280", 2579},
	{"lin318", 42029},
	{"fl417", 11861},
	{"pr439", 107217},
	{"pcb442", 50778},
}

const (
	maxGap  = 5.0 // percent above optimum, per instance
	maxMean = 3.0 // percent above optimum, mean over the instances
)

func loadInstance(tb testing.TB, name string) *Instance {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", name+".tsp"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	inst, err := ReadTSPLIB(f)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return inst
}

// checkTour fails unless tour is a permutation of 0..n-1 starting at 0.
func checkTour(tb testing.TB, tour []int, n int) {
	tb.Helper()
	if len(tour) != n {
		tb.Fatalf("tour has %d points, want %d", len(tour), n)
	}
	if n == 0 {
		return
	}
	if tour[0] != 0 {
		tb.Fatalf("tour starts at %d, want 0", tour[0])
	}
	seen := make([]bool, n)
	for _, c := range tour {
		if c < 0 || c >= n || seen[c] {
			tb.Fatalf("tour is not a permutation: %v", tour)
		}
		seen[c] = true
	}
}

func TestTourTSPLIB(t *testing.T) {
	sum := 0.0
	for _, bm := range benchmarks {
		inst := loadInstance(t, bm.name)
		start := time.Now()
		tour := Tour(inst.Dim, inst.Dist)
		elapsed := time.Since(start)
		checkTour(t, tour, inst.Dim)
		l := Length(tour, inst.Dist)
		if l < bm.opt {
			t.Errorf("%s: length %.0f below the optimum %.0f: bad data or distance", bm.name, l, bm.opt)
		}
		gap := 100 * (l - bm.opt) / bm.opt
		sum += gap
		t.Logf("%-9s n=%3d length %7.0f opt %7.0f gap %5.2f%% in %v", bm.name, inst.Dim, l, bm.opt, gap, elapsed.Round(time.Millisecond))
		if gap > maxGap {
			t.Errorf("%s: %.2f%% above the optimum, want ≤ %.1f%%", bm.name, gap, maxGap)
		}
	}
	mean := sum / float64(len(benchmarks))
	t.Logf("mean gap %.2f%% over %d instances", mean, len(benchmarks))
	if mean > maxMean {
		t.Errorf("mean gap %.2f%%, want ≤ %.1f%%", mean, maxMean)
	}
}

func TestTourSmall(t *testing.T) {
	pts := [][2]float64{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {5, 5}, {3, 8}}
	euclid := func(i, j int) float64 {
		return math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1])
	}
	for n := -1; n <= len(pts); n++ {
		tour := Tour(n, euclid)
		checkTour(t, tour, max(n, 0))
	}
	// The square with its centre: the optimum is 10+10+10+2·√50.
	tour := Tour(5, euclid)
	if got, want := Length(tour, euclid), 30+2*math.Sqrt(50); math.Abs(got-want) > 1e-9 {
		t.Errorf("n=5: length %v (tour %v), want %v", got, tour, want)
	}
	if got := Length(nil, euclid); got != 0 {
		t.Errorf("Length(nil) = %v, want 0", got)
	}
	if got := Length([]int{0, 1}, euclid); got != 20 {
		t.Errorf("Length(0,1) = %v, want 20", got)
	}
}

// TestTourExact checks small random instances against brute force.
func TestTourExact(t *testing.T) {
	r := newTestRand(7)
	for n := 4; n <= 11; n++ {
		pts := make([][2]float64, n)
		for i := range pts {
			pts[i] = [2]float64{r.float() * 100, r.float() * 100}
		}
		dist := func(i, j int) float64 {
			return math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1])
		}
		tour := Tour(n, dist)
		checkTour(t, tour, n)
		want := Length(exactTour(n, dist), dist)
		if got := Length(tour, dist); got > want+1e-9 {
			t.Errorf("n=%d: length %.4f, optimum %.4f", n, got, want)
		}
	}
}

func TestTourDuplicates(t *testing.T) {
	// Stops that share a location (several cases at one address) and a
	// cluster of all-equal points.
	var pts [][2]float64
	for i := 0; i < 30; i++ {
		p := [2]float64{float64(i%6) * 100, float64(i/6) * 70}
		pts = append(pts, p, p)
		if i%5 == 0 {
			pts = append(pts, p)
		}
	}
	for _, n := range []int{len(pts), 12, 5} {
		dist := func(i, j int) float64 {
			return math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1])
		}
		tour := Tour(n, dist)
		checkTour(t, tour, n)
		t.Logf("n=%d: length %.1f", n, Length(tour, dist))
	}
	for _, n := range []int{4, 9, 40} {
		zero := func(i, j int) float64 { return 0 }
		checkTour(t, Tour(n, zero), n)
	}
	// The 6×5 grid of distinct locations (steps of 100 across, 70 up) has
	// a tour of 2400: up the first column, snake through the upper four rows
	// and return along the bottom row. Duplicates must not add anything.
	n := len(pts)
	dist := func(i, j int) float64 {
		return math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1])
	}
	if got := Length(Tour(n, dist), dist); got > 2400+1e-9 {
		t.Errorf("grid with duplicates: length %.1f, want ≤ 2400", got)
	}
}

func TestTourDeterministic(t *testing.T) {
	inst := loadInstance(t, "kroA100")
	first := Tour(inst.Dim, inst.Dist)
	for i := 0; i < 3; i++ {
		if again := Tour(inst.Dim, inst.Dist); !slices.Equal(first, again) {
			t.Fatalf("run %d differs from the first", i+2)
		}
	}
}

// TestTourNonEuclidean uses random symmetric distances that break the
// triangle inequality.
func TestTourNonEuclidean(t *testing.T) {
	r := newTestRand(42)
	for _, n := range []int{7, 20, 150} {
		d := make([]float64, n*n)
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				v := 1 + r.float()*1000
				d[i*n+j], d[j*n+i] = v, v
			}
		}
		dist := func(i, j int) float64 { return d[i*n+j] }
		tour := Tour(n, dist)
		checkTour(t, tour, n)
		// It must at least beat the identity order by a wide margin.
		ident := make([]int, n)
		for i := range ident {
			ident[i] = i
		}
		got, base := Length(tour, dist), Length(ident, dist)
		t.Logf("n=%d: length %.0f, identity order %.0f", n, got, base)
		if got > base {
			t.Errorf("n=%d: length %.0f worse than the identity order %.0f", n, got, base)
		}
	}
}

// TestTourBadDistances checks that NaN and infinite distances still give
// a valid permutation.
func TestTourBadDistances(t *testing.T) {
	for _, bad := range []float64{math.NaN(), math.Inf(1)} {
		for _, n := range []int{6, 40} {
			dist := func(i, j int) float64 {
				if (i+j)%7 == 0 {
					return bad
				}
				return float64(j - i)
			}
			checkTour(t, Tour(n, dist), n)
		}
	}
}

// TestTourGreatCircle runs the planner's use: great-circle metres between
// points spread over a district.
func TestTourGreatCircle(t *testing.T) {
	r := newTestRand(3)
	const n = 60
	lat := make([]float64, n)
	lon := make([]float64, n)
	for i := range lat {
		lat[i] = 39.90 + r.float()*0.05
		lon[i] = 116.38 + r.float()*0.07
	}
	dist := func(i, j int) float64 {
		const earth = 6371008.8
		rad := math.Pi / 180
		dlat, dlon := (lat[j]-lat[i])*rad, (lon[j]-lon[i])*rad
		h := math.Sin(dlat/2)*math.Sin(dlat/2) +
			math.Cos(lat[i]*rad)*math.Cos(lat[j]*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
		return 2 * earth * math.Asin(math.Sqrt(h))
	}
	tour := Tour(n, dist)
	checkTour(t, tour, n)
	t.Logf("n=%d: %.0f m", n, Length(tour, dist))
}

// TestSolverInvariants runs the iterated local search step by step and
// checks that the tracked length changes match the real tour and that the
// position index stays consistent, including after rejected kicks.
func TestSolverInvariants(t *testing.T) {
	inst := loadInstance(t, "kroA100")
	s := newSolver(inst.Dim, inst.Dist)
	s.greedy()
	for _, c := range s.tour {
		s.push(c)
	}
	cur := Length(s.result(), inst.Dist)
	cur += s.localSearch()
	s.logging = true
	for it := 0; it < 2000; it++ {
		s.journal = s.journal[:0]
		d := s.kick()
		d += s.localSearch()
		if d < s.eps {
			cur += d
		} else {
			s.undo()
		}
		if got := Length(s.result(), inst.Dist); got != cur {
			t.Fatalf("kick %d: tracked length %v, real %v", it, cur, got)
		}
		for p, c := range s.tour {
			if int(s.pos[c]) != p {
				t.Fatalf("kick %d: pos[%d] = %d, want %d", it, c, s.pos[c], p)
			}
		}
	}
	checkTour(t, s.result(), inst.Dim)
}

func BenchmarkTour(b *testing.B) {
	for _, bm := range benchmarks {
		inst := loadInstance(b, bm.name)
		b.Run(bm.name, func(b *testing.B) {
			var tour []int
			for b.Loop() {
				tour = Tour(inst.Dim, inst.Dist)
			}
			gap := 100 * (Length(tour, inst.Dist) - bm.opt) / bm.opt
			b.ReportMetric(gap, "%above_opt")
		})
	}
}

// testRand is a small deterministic generator for test data.
type testRand struct{ x uint64 }

func newTestRand(seed uint64) *testRand { return &testRand{seed} }

func (r *testRand) float() float64 {
	r.x ^= r.x << 13
	r.x ^= r.x >> 7
	r.x ^= r.x << 17
	return float64(r.x>>11) / (1 << 53)
}
