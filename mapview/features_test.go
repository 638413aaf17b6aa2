package mapview

import (
	"encoding/json"
	"image"
	"image/color"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// The rich scene: every kind of layer in a richW×richH viewport showing
// richView, laid out in its screen units.
const richW, richH = 320, 240

var richView = View{Center: linpu, Zoom: 16}

func atR(x, y float64) orb.Point { return richView.ToLonLat(x, y, richW, richH) }

func rectR(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{atR(x0, y0), atR(x1, y0), atR(x1, y1), atR(x0, y1), atR(x0, y0)}}}
}

var (
	colGreenCode = color.NRGBA{0x2c, 0xa0, 0x2c, 0xff}
	colRedCode   = color.NRGBA{0xd6, 0x27, 0x28, 0xff}
	colRoute     = color.NRGBA{0x8e, 0x24, 0xaa, 0xff}
)

func richLayers() []Layer {
	heat := &HeatLayer{ID: "heat", Radius: 20}
	for k := range 30 {
		a := float64(k) * 2.4
		heat.Points = append(heat.Points, atR(70+12*math.Cos(a)*float64(k%5)/4, 185+10*math.Sin(a)*float64(k%5)/4))
	}
	areas := &PolygonLayer{
		ID:       "areas",
		Polygons: []orb.MultiPolygon{rectR(10, 10, 150, 110), rectR(160, 10, 310, 110), rectR(160, 120, 190, 140)},
		Styles: []Style{
			{Fill: color.NRGBA{0x4e, 0x79, 0xa7, 0x40}, Stroke: color.NRGBA{0x33, 0x44, 0x66, 0xff}},
			{Fill: color.NRGBA{0xf2, 0x8e, 0x2b, 0x40}, Stroke: color.NRGBA{0x66, 0x44, 0x22, 0xff}},
			{Fill: color.NRGBA{0x59, 0xa1, 0x4f, 0x40}, Stroke: color.NRGBA{0x22, 0x55, 0x22, 0xff}},
		},
		Labels: []string{"临浦镇 Linpu", "东藩村网格 A3", "一个放不下的很长名字"},
	}
	places := &PointLayer{
		ID:     "places",
		Points: []orb.Point{atR(30, 130), atR(120, 140), atR(40, 60), atR(230, 60)},
		Styles: []Style{{Fill: color.NRGBA{0x1f, 0x77, 0xb4, 0xff}, Radius: 5}},
		Labels: []string{"学校 School", "医院", "Shop 12", ""},
	}
	ents := &PointLayer{ID: "entities", Cluster: true, ClusterBelowZoom: 17, ClusterCell: 48}
	for k := range 40 {
		a := float64(k) * 2.4
		r := 3 + float64(k%7)*2.5
		ents.Points = append(ents.Points, atR(262+r*math.Cos(a), 188+r*math.Sin(a)))
		st := Style{Fill: colGreenCode, Radius: 3, Priority: 0}
		if k == 17 {
			st = Style{Fill: colRedCode, Radius: 3, Priority: 2, Pulse: true, Shape: Square}
		}
		ents.Styles = append(ents.Styles, st)
	}
	routes := &RouteLayer{
		ID:          "routes",
		Routes:      [][]orb.Point{{atR(200, 225), atR(220, 150), atR(300, 140), atR(305, 215)}},
		Styles:      []Style{{Stroke: colRoute, StrokeWidth: 3}},
		NumberStops: true,
	}
	return []Layer{heat, areas, places, ents, routes}
}

var richSelection = []Hit{{Layer: "areas", Index: 0}, {Layer: "places", Index: 1}, {Layer: "routes", Index: 0, Stop: 2}}

func richOpts(t testing.TB) RenderOptions {
	return RenderOptions{Fonts: testFonts(t), Selection: richSelection}
}

func renderRich(t testing.TB, v View, o RenderOptions) (*image.RGBA, *Renderer) {
	img := image.NewRGBA(image.Rect(0, 0, richW, richH))
	r := NewRenderer()
	r.RenderWith(img, NewScene(richLayers()...), v, 1, o)
	return img, r
}

func TestRichGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    View
	}{
		{"rich_scene_z16.png", richView},
		{"rich_scene_z17.png", View{Center: atR(240, 150), Zoom: 17.2}},
	} {
		img, _ := renderRich(t, tc.v, richOpts(t))
		assertGolden(t, tc.name, img)
	}
}

func TestViewJSON(t *testing.T) {
	v := View{Center: orb.Point{113.75, 23.02}, Zoom: 12.5}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"center":[113.75,23.02],"zoom":12.5}` {
		t.Errorf("JSON %s", b)
	}
	var back View
	if err := json.Unmarshal(b, &back); err != nil || back != v {
		t.Errorf("round trip: %v, %v", back, err)
	}
}

func TestFontFallback(t *testing.T) {
	f := testFonts(t)
	if k := f.fontFor('网'); k != 0 {
		t.Errorf("网 from font %d; want the CJK font", k)
	}
	if k := f.fontFor('A'); k != 1 {
		t.Errorf("A from font %d; want Go Regular", k)
	}
	// Mixed text is drawn whole: both parts leave ink.
	m := f.mask("网格A1", 20, 0)
	mid := m.Rect.Dx() / 2
	var left, right int
	for y := range m.Rect.Dy() {
		for x := range m.Rect.Dx() {
			if m.Pix[y*m.Stride+x] > 128 {
				if x < mid {
					left++
				} else {
					right++
				}
			}
		}
	}
	if left < 20 || right < 20 {
		t.Errorf("ink left %d right %d: a part of the text is missing", left, right)
	}
	if w := DefaultFonts().widthEm("网"); w <= 0 {
		t.Errorf("missing glyph width %v", w)
	}
}

// boxesOverlap reports the first pair of overlapping boxes.
func boxesOverlap(boxes [][4]float64) (int, int, bool) {
	for i := range boxes {
		for j := i + 1; j < len(boxes); j++ {
			a, b := boxes[i], boxes[j]
			if a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3] {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

func TestLabelsDoNotOverlap(t *testing.T) {
	s := benchCity()
	for _, zoom := range []float64{13.5, 14.2, 15, 16.3} {
		r := NewRenderer()
		img := image.NewRGBA(image.Rect(0, 0, 1280, 800))
		r.RenderWith(img, s, View{Center: dongguan, Zoom: zoom}, 1, RenderOptions{Fonts: testFonts(t)})
		boxes := r.labelBoxes()
		if zoom >= 14.2 && len(boxes) < 20 {
			t.Errorf("zoom %v: only %d labels", zoom, len(boxes))
		}
		if i, j, ok := boxesOverlap(boxes); ok {
			t.Errorf("zoom %v: labels %d %v and %d %v overlap", zoom, i, boxes[i], j, boxes[j])
		}
		// Every polygon label's text lies inside its polygon.
		k := r.f.t.k
		ps := s.layers[0].polys
		for _, pl := range r.place.polys {
			hit, ok := s.HitTest(View{Center: dongguan, Zoom: zoom}, 1280, 800, pl.wx-(r.f.t.cx*k-640), pl.wy-(r.f.t.cy*k-400), map[string]bool{"entities": true, "cases": true, "routes": true})
			if !ok || ps.labels[hit.Index] != pl.text {
				t.Errorf("zoom %v: label %q not over its polygon (hit %v %v)", zoom, pl.text, hit, ok)
				break
			}
		}
	}
}

func TestLabelsWhereTheyFit(t *testing.T) {
	img, r := renderRich(t, richView, RenderOptions{Fonts: testFonts(t)})
	texts := map[string]bool{}
	for _, pl := range r.place.polys {
		texts[pl.text] = true
	}
	if !texts["临浦镇 Linpu"] || !texts["东藩村网格 A3"] || texts["一个放不下的很长名字"] {
		t.Errorf("polygon labels placed: %v", texts)
	}
	var points []string
	for _, pl := range r.place.points {
		points = append(points, pl.text)
	}
	slices.Sort(points)
	if !slices.Equal(points, []string{"Shop 12", "医院", "学校 School"}) {
		t.Errorf("point labels placed: %q", points)
	}
	if i, j, ok := boxesOverlap(r.labelBoxes()); ok {
		t.Errorf("labels %d and %d overlap", i, j)
	}
	// Text ink (the dark label colour) where the big area's label is.
	ink := 0
	for y := 50; y < 70; y++ {
		for x := 40; x < 120; x++ {
			if c := rgba(img, x, y); c.R < 0x60 && c.G < 0x60 && c.B < 0x70 {
				ink++
			}
		}
	}
	if ink < 30 {
		t.Errorf("no label ink in the big area: %d", ink)
	}
	// Clustered points have no labels; LabelMinZoom holds labels back.
	layers := richLayers()
	layers[2].(*PointLayer).LabelMinZoom = 17
	r2 := NewRenderer()
	r2.RenderWith(image.NewRGBA(image.Rect(0, 0, richW, richH)), NewScene(layers...), richView, 1, RenderOptions{Fonts: testFonts(t)})
	if len(r2.place.points) != 0 {
		t.Errorf("point labels below LabelMinZoom: %d", len(r2.place.points))
	}
}

func TestClusters(t *testing.T) {
	s := NewScene(richLayers()...)
	ps := s.layer("entities").points
	c := ps.clustersAt(richView.Zoom)
	n := len(c.singles)
	for id := range c.cl {
		n += int(c.cl[id].n)
		m := c.members[c.start[id]:c.start[id+1]]
		if !slices.IsSorted(m) || len(m) != int(c.cl[id].n) {
			t.Fatalf("cluster %d members %v", id, m)
		}
		// Members share the cluster's world-anchored cell.
		cx, cy := math.Floor(ps.xs[m[0]]/c.cell), math.Floor(ps.ys[m[0]]/c.cell)
		for _, i := range m {
			if math.Floor(ps.xs[i]/c.cell) != cx || math.Floor(ps.ys[i]/c.cell) != cy {
				t.Fatalf("cluster %d spans cells", id)
			}
		}
	}
	if n != ps.len() || len(c.cl) == 0 {
		t.Fatalf("%d clusters, %d points accounted for of %d", len(c.cl), n, ps.len())
	}

	// A tap on the biggest cluster hits it with its members.
	big := c.cl[len(c.cl)-1]
	x, y := richView.transform(richW, richH, 1).x(big.x), richView.transform(richW, richH, 1).y(big.y)
	h, ok := s.HitTest(richView, richW, richH, x, y, nil)
	if !ok || !h.IsCluster() || h.Layer != "entities" || len(h.Cluster) != int(big.n) || h.Index != -1 {
		t.Fatalf("tap on the cluster: %+v %v", h, ok)
	}
	// The cluster holding the red point (highest priority) is red.
	id := c.of[17]
	if id < 0 || ps.styles[c.cl[id].style].Fill != colRedCode || !c.cl[id].pulse {
		t.Errorf("cluster of the red point: %+v", c.cl[max(id, 0)])
	}
	// From ClusterBelowZoom on, points are points.
	v := richView
	v.Zoom = 17
	x, y = v.ToScreen(ps.point(39), richW, richH)
	h, ok = s.HitTest(v, richW, richH, x, y, nil)
	if !ok || h.IsCluster() || h.Index != 39 {
		t.Errorf("unclustered tap: %+v %v", h, ok)
	}
	// Clusters are drawn with their count.
	img, _ := renderRich(t, richView, RenderOptions{Fonts: testFonts(t)})
	bx, by := int(richView.transform(richW, richH, 1).x(big.x)), int(richView.transform(richW, richH, 1).y(big.y))
	white, fill := 0, 0
	for yy := by - 4; yy <= by+4; yy++ {
		for xx := bx - 6; xx <= bx+6; xx++ {
			c := rgba(img, xx, yy)
			if c.R > 0xe0 && c.G > 0xe0 && c.B > 0xe0 {
				white++
			}
			if near(c, colGreenCode, 40) || near(c, colRedCode, 40) {
				fill++
			}
		}
	}
	if white < 5 || fill < 20 {
		t.Errorf("cluster at (%d,%d): %d count pixels, %d fill pixels", bx, by, white, fill)
	}
}

// point returns point i in lon/lat.
func (ps *pointSet) point(i int) orb.Point { return lonLat(ps.xs[i], ps.ys[i]) }

func TestHitBoxAndRoutes(t *testing.T) {
	s := NewScene(richLayers()...)
	box := orb.Bound{Min: atR(0, 150), Max: atR(165, 0)} // x 0..165, y 0..150 (screen)
	box = orb.Bound{Min: orb.Point{box.Min[0], box.Max[1]}, Max: orb.Point{box.Max[0], box.Min[1]}}
	box = orb.Bound{Min: orb.Point{atR(0, 0)[0], atR(0, 150)[1]}, Max: orb.Point{atR(165, 0)[0], atR(0, 0)[1]}}
	hits := s.HitBox(box, richView.Zoom, nil)
	var got []string
	for _, h := range hits {
		got = append(got, h.Layer+":"+itoa(h.Index))
	}
	want := []string{"areas:0", "places:0", "places:1", "places:2"}
	if !slices.Equal(got, want) {
		t.Errorf("box hits %v; want %v", got, want)
	}
	// Points under clusters are selected one by one; route stops too.
	box = orb.Bound{Min: orb.Point{atR(195, 0)[0], atR(0, 240)[1]}, Max: orb.Point{atR(320, 0)[0], atR(0, 120)[1]}}
	hits = s.HitBox(box, richView.Zoom, map[string]bool{"places": true})
	nEnt, stops := 0, 0
	for _, h := range hits {
		switch h.Layer {
		case "entities":
			nEnt++
		case "routes":
			stops++
			if h.Index != 0 || h.Stop < 0 {
				t.Errorf("route hit %+v", h)
			}
		default:
			t.Errorf("unexpected %+v", h)
		}
	}
	if nEnt != 40 || stops != 4 {
		t.Errorf("box: %d entities, %d stops", nEnt, stops)
	}

	// Routes: a stop, the line between stops, beside the line.
	for _, tc := range []struct {
		x, y float64
		want Hit
		ok   bool
	}{
		{300, 140, Hit{Layer: "routes", Index: 0, Stop: 2}, true},
		{260, 145, Hit{Layer: "routes", Index: 0, Stop: -1}, true},
		{302.5, 180, Hit{Layer: "routes", Index: 0, Stop: -1}, true},
	} {
		h, ok := s.HitTest(richView, richW, richH, tc.x, tc.y, map[string]bool{"entities": true})
		if ok != tc.ok || !h.Equal(tc.want) {
			t.Errorf("hit (%v,%v) = %+v %v; want %+v", tc.x, tc.y, h, ok, tc.want)
		}
	}
	if h, ok := s.HitTest(richView, richW, richH, 260, 160, map[string]bool{"entities": true}); ok {
		t.Errorf("beside the route: %+v", h)
	}
	// Heat layers are never hit.
	if h, ok := s.HitTest(richView, richW, richH, 70, 185, nil); ok && h.Layer == "heat" {
		t.Errorf("heat hit: %+v", h)
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func TestHeatLayer(t *testing.T) {
	img, _ := renderRich(t, richView, RenderOptions{Fonts: testFonts(t), Hidden: map[string]bool{"areas": true, "places": true}})
	hot := rgba(img, 70, 185)
	if hot == Background || !(hot.R > hot.B) {
		t.Errorf("heat centre %v is not warm", hot)
	}
	if c := rgba(img, 70, 225); c != Background {
		t.Errorf("beyond the radius %v", c)
	}
	// A fixed Max: half the weight is a cooler colour than the full.
	at := func(w float64) color.NRGBA {
		s := NewScene(&HeatLayer{ID: "h", Points: []orb.Point{atR(100, 100)}, Weights: []float64{w}, Max: 1, Radius: 30})
		return rgba(renderScene(s, richView, richW, richH, nil), 100, 100)
	}
	full, half := at(1), at(0.5)
	if !(full.R > half.R) || full == half {
		t.Errorf("full %v half %v", full, half)
	}
	if c := at(0.001); c != Background {
		t.Errorf("a trace of heat painted %v", c)
	}
}

func TestSelectionDrawn(t *testing.T) {
	o := RenderOptions{Fonts: testFonts(t)}
	plain, _ := renderRich(t, richView, o)
	o.Selection = richSelection
	sel, _ := renderRich(t, richView, o)
	isSel := func(c color.NRGBA) bool { return near(c, SelectionColor, 60) }
	// The selected polygon's outline, the ring around the selected place
	// and the selected stop.
	count := func(img *image.RGBA, x0, y0, x1, y1 int) int {
		n := 0
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				if isSel(rgba(img, x, y)) {
					n++
				}
			}
		}
		return n
	}
	for _, r := range [][4]int{{8, 40, 12, 80}, {110, 130, 130, 150}, {290, 130, 310, 150}} {
		if n, m := count(sel, r[0], r[1], r[2], r[3]), count(plain, r[0], r[1], r[2], r[3]); n < 8 || m > 0 {
			t.Errorf("selection in %v: %d pixels (%d without selection)", r, n, m)
		}
	}
	// The unselected polygon has no outline.
	if n := count(sel, 308, 40, 312, 80); n > 0 {
		t.Errorf("unselected polygon outlined: %d", n)
	}
}

func TestPulses(t *testing.T) {
	s := NewScene(richLayers()...)
	// Clustered: the cluster holding the red point pulses, in red.
	ps := s.pulses(richView, richW, richH, nil)
	if len(ps) != 1 || ps[0].c != colRedCode || ps[0].r < 8 {
		t.Fatalf("pulses %+v", ps)
	}
	p := s.layer("entities").points
	v := View{Center: p.point(17), Zoom: 17.5}
	ps = s.pulses(v, richW, richH, nil)
	if len(ps) != 1 || ps[0].mx != p.xs[17] || ps[0].my != p.ys[17] {
		t.Fatalf("pulses at 17.5 %+v", ps)
	}
	if ps := s.pulses(v, richW, richH, map[string]bool{"entities": true}); len(ps) != 0 {
		t.Errorf("hidden layer pulses %+v", ps)
	}
}

func TestRenderFromMatchesFull(t *testing.T) {
	s := NewScene(richLayers()...)
	o := richOpts(t)
	for _, zoom := range []float64{16, 17.3} {
		v := View{Center: atR(160, 120), Zoom: zoom}
		r := NewRenderer()
		a, b := image.NewRGBA(image.Rect(0, 0, richW, richH)), image.NewRGBA(image.Rect(0, 0, richW, richH))
		r.RenderWith(a, s, v, 1, o)
		for i, d := range [][2]float64{{9, 4}, {-13, 0}, {0, -7}, {25, 31}, {-40, 17}, {1, 1}, {-60, -45}, {3, -2}} {
			nv := v.Pan(d[0], d[1])
			if !r.RenderFrom(b, a, v, s, nv, 1, o) {
				t.Fatalf("zoom %v pan %d %v: not reused", zoom, i, d)
			}
			want := image.NewRGBA(a.Rect)
			NewRenderer().RenderWith(want, s, nv, 1, o)
			if n, worst := diff(b, want); n > 0 {
				t.Errorf("zoom %v pan %d %v: %d pixels differ from a full render (worst %d)", zoom, i, d, n, worst)
				writePNG(filepath.Join("testdata", "failed", "strip_got.png"), b)
				writePNG(filepath.Join("testdata", "failed", "strip_want.png"), want)
			}
			a, b, v = b, a, nv
		}
		// Not a whole-pixel pan, a zoom, another selection: full renders.
		for _, nv := range []View{v.Pan(0.5, 0), {Center: v.Center, Zoom: v.Zoom + 0.1}} {
			if r.RenderFrom(b, a, v, s, nv, 1, o) {
				t.Errorf("reused for %v → %v", v, nv)
			}
			a, b, v = b, a, nv
		}
		o2 := o
		o2.Selection = nil
		if r.RenderFrom(b, a, v, s, v.Pan(2, 2), 1, o2) {
			t.Error("reused across a selection change")
		}
	}
}

// diff counts the pixels of a and b that differ and the largest channel
// difference.
func diff(a, b *image.RGBA) (n, worst int) {
	for i := 0; i < len(a.Pix); i += 4 {
		d := 0
		for c := range 4 {
			d = max(d, abs(int(a.Pix[i+c])-int(b.Pix[i+c])))
		}
		if d > 0 {
			n++
			worst = max(worst, d)
		}
	}
	return n, worst
}

func TestHitsBound(t *testing.T) {
	s := NewScene(richLayers()...)
	if b := s.HitsBound(nil); !b.IsEmpty() {
		t.Errorf("bound of nothing %v", b)
	}
	b := s.HitsBound([]Hit{{Layer: "areas", Index: 0}, {Layer: "places", Index: 3}, {Layer: "nope", Index: 1}})
	want := orb.Bound{Min: orb.Point{atR(10, 0)[0], atR(0, 110)[1]}, Max: orb.Point{atR(230, 0)[0], atR(0, 10)[1]}}
	if math.Abs(b.Min[0]-want.Min[0]) > 1e-9 || math.Abs(b.Max[0]-want.Max[0]) > 1e-9 || math.Abs(b.Min[1]-want.Min[1]) > 1e-9 || math.Abs(b.Max[1]-want.Max[1]) > 1e-9 {
		t.Errorf("bound %v; want %v", b, want)
	}
	c := s.HitsBound([]Hit{{Layer: "routes", Index: 0, Stop: 2}})
	if p := atR(300, 140); math.Abs(c.Min[0]-p[0]) > 1e-9 || c.Min != c.Max {
		t.Errorf("bound of a stop %v", c)
	}
}
