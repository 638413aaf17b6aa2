package mapview

import (
	"cmp"
	"image/color"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Styles used for items of a layer whose Styles slice is empty.
var (
	DefaultPolygonStyle = Style{Stroke: color.NRGBA{0x55, 0x5b, 0x66, 0xff}, Fill: color.NRGBA{0x55, 0x5b, 0x66, 0x20}}
	DefaultPointStyle   = Style{Fill: color.NRGBA{0x3a, 0x6e, 0xd8, 0xff}}
)

// Scene is an immutable, pre-projected copy of a set of layers, ready to be
// rendered and hit-tested: coordinates are converted to Web Mercator once,
// bounds are computed per item and per layer, points and polygons are
// indexed and label anchors found. Building one costs a few tens of
// milliseconds for a city, so build it off the UI goroutine (NewScene) and
// hand it to Map.SetScene. Later layers are drawn on top.
//
// A Scene is safe for concurrent use: per-zoom results (clusters, heat
// scales) are cached inside it under a lock.
type Scene struct {
	layers []*sceneLayer
}

type sceneLayer struct {
	id               string
	minZoom, maxZoom float64
	bound            mbound
	polys            *polygonSet
	points           *pointSet
	heat             *heatSet
	routes           *routeSet
}

// visibleAt reports whether the layer is drawn at zoom.
func (l *sceneLayer) visibleAt(zoom float64) bool {
	return zoom >= l.minZoom && (l.maxZoom <= 0 || zoom <= l.maxZoom)
}

// mbound is a bound in normalized Mercator coordinates (y grows south).
type mbound struct{ minX, minY, maxX, maxY float64 }

func emptyMBound() mbound {
	return mbound{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
}

func (b mbound) empty() bool { return b.minX > b.maxX || b.minY > b.maxY }

func (b *mbound) extend(x, y float64) {
	b.minX = math.Min(b.minX, x)
	b.minY = math.Min(b.minY, y)
	b.maxX = math.Max(b.maxX, x)
	b.maxY = math.Max(b.maxY, y)
}

func (b *mbound) union(o mbound) {
	if o.empty() {
		return
	}
	b.extend(o.minX, o.minY)
	b.extend(o.maxX, o.maxY)
}

func (b mbound) intersects(o mbound) bool {
	return b.minX <= o.maxX && o.minX <= b.maxX && b.minY <= o.maxY && o.minY <= b.maxY
}

func (b mbound) pad(d float64) mbound {
	return mbound{b.minX - d, b.minY - d, b.maxX + d, b.maxY + d}
}

// polygonSet holds a layer's polygons with all rings flattened.
// Polygon p owns rings polyRings[p]..polyRings[p+1]; ring r owns points
// rings[r]..rings[r+1] of xs/ys. Rings are closed implicitly.
type polygonSet struct {
	styles    []Style // one per polygon
	bounds    []mbound
	polyRings []int32
	rings     []int32
	xs, ys    []float64
	maxStroke float64 // widest outline, screen units
	grid      *boxGrid
	// shared marks (bit k) the edges from vertex k to the next one that a
	// later polygon of the layer also has, with the same outline: only
	// the later one strokes it, so shared borders are drawn once.
	shared []uint64

	// Labels: the text per polygon, anchors, and the polygons with a label
	// in placement order (largest first).
	labels       []string
	labelStyle   LabelStyle
	labelMinZoom float64
	anchors      []labelAnchor
	labelOrder   []int32
}

// labelAnchor is where a polygon's label may go (Mercator): the pole of
// inaccessibility, else the centroid; area ranks the polygon.
type labelAnchor struct {
	px, py, cx, cy, area float64
}

func (ps *polygonSet) len() int { return len(ps.bounds) }

// pointSet holds a layer's points and their index.
type pointSet struct {
	xs, ys    []float64
	styleIdx  []int32 // index into styles per point; nil when all use styles[0]
	styles    []Style // distinct styles
	maxRadius float64 // largest marker radius incl. outline, screen units
	grid      *pointGrid
	pulse     []int32 // the points whose style pulses, ascending

	cluster      bool
	clusterBelow float64 // clusters below this zoom; 0: always
	clusterCell  float64 // screen units
	clusters     clusterCache

	labels       []string
	labelStyle   LabelStyle
	labelMinZoom float64
}

// clustered reports whether the points are drawn as clusters at zoom.
func (ps *pointSet) clustered(zoom float64) bool {
	return ps.cluster && (ps.clusterBelow <= 0 || zoom < ps.clusterBelow)
}

func (ps *pointSet) len() int { return len(ps.xs) }

func (ps *pointSet) style(i int) int32 {
	if ps.styleIdx == nil {
		return 0
	}
	return ps.styleIdx[i]
}

// NewScene builds a Scene from layers. *PolygonLayer, *PointLayer,
// *HeatLayer and *RouteLayer (or their values) are drawn; other Layer
// implementations and nil pointers are skipped. The layers' slices are
// copied, so callers may reuse them afterwards.
func NewScene(layers ...Layer) *Scene {
	s := &Scene{}
	for _, l := range layers {
		var sl *sceneLayer
		switch l := l.(type) {
		case *PolygonLayer:
			if l != nil {
				sl = newPolygonLayer(l)
			}
		case PolygonLayer:
			sl = newPolygonLayer(&l)
		case *PointLayer:
			if l != nil {
				sl = newPointLayer(l)
			}
		case PointLayer:
			sl = newPointLayer(&l)
		case *HeatLayer:
			if l != nil {
				sl = newHeatLayer(l)
			}
		case HeatLayer:
			sl = newHeatLayer(&l)
		case *RouteLayer:
			if l != nil {
				sl = newRouteLayer(l)
			}
		case RouteLayer:
			sl = newRouteLayer(&l)
		}
		if sl != nil {
			s.layers = append(s.layers, sl)
		}
	}
	return s
}

// layer returns the layer with the given ID, or nil.
func (s *Scene) layer(id string) *sceneLayer {
	if s == nil {
		return nil
	}
	for _, l := range s.layers {
		if l.id == id {
			return l
		}
	}
	return nil
}

// LayerIDs returns the IDs of the scene's layers in draw order.
func (s *Scene) LayerIDs() []string {
	ids := make([]string, len(s.layers))
	for i, l := range s.layers {
		ids[i] = l.id
	}
	return ids
}

// Bound returns the lon/lat bound of everything in the scene, visible or
// not; it is empty (IsEmpty) when the scene has no items.
func (s *Scene) Bound() orb.Bound {
	b := emptyMBound()
	for _, l := range s.layers {
		b.union(l.bound)
	}
	if b.empty() {
		return emptyBound
	}
	nw, se := lonLat(b.minX, b.minY), lonLat(b.maxX, b.maxY)
	return orb.Bound{Min: orb.Point{nw[0], se[1]}, Max: orb.Point{se[0], nw[1]}}
}

// styleAt returns the style of item i of n: per item when there are enough
// styles, otherwise the first one, or def when there is none.
func styleAt(styles []Style, i int, def Style) Style {
	switch {
	case i < len(styles):
		return styles[i]
	case len(styles) > 0:
		return styles[0]
	}
	return def
}

func newPolygonLayer(l *PolygonLayer) *sceneLayer {
	n := len(l.Polygons)
	ps := &polygonSet{
		styles:    make([]Style, n),
		bounds:    make([]mbound, n),
		polyRings: make([]int32, 0, n+1),
	}
	ps.polyRings = append(ps.polyRings, 0)
	ps.rings = append(ps.rings, 0)
	lb := emptyMBound()
	for i, mp := range l.Polygons {
		ps.styles[i] = styleAt(l.Styles, i, DefaultPolygonStyle)
		b := emptyMBound()
		for _, poly := range mp {
			for _, ring := range poly {
				if len(ring) > 1 && ring[0] == ring[len(ring)-1] {
					ring = ring[:len(ring)-1] // closed implicitly
				}
				if len(ring) < 3 {
					continue
				}
				for _, p := range ring {
					x, y := mercator(p)
					ps.xs = append(ps.xs, x)
					ps.ys = append(ps.ys, y)
					b.extend(x, y)
				}
				ps.rings = append(ps.rings, int32(len(ps.xs)))
			}
		}
		ps.bounds[i] = b
		ps.polyRings = append(ps.polyRings, int32(len(ps.rings)-1))
		lb.union(b)
	}
	for _, st := range ps.styles {
		ps.maxStroke = math.Max(ps.maxStroke, st.strokeWidth())
	}
	ps.grid = newBoxGrid(ps.bounds, lb)
	ps.findSharedEdges()
	if hasLabels(l.Labels) {
		ps.labels = slices.Clone(l.Labels[:min(len(l.Labels), n)])
		ps.labelStyle, ps.labelMinZoom = l.LabelStyle, l.LabelMinZoom
		ps.anchors = make([]labelAnchor, n)
		for i, text := range ps.labels {
			if text == "" || ps.bounds[i].empty() {
				continue
			}
			a := &ps.anchors[i]
			a.px, a.py, a.cx, a.cy, a.area = ps.labelAnchors(i)
			ps.labelOrder = append(ps.labelOrder, int32(i))
		}
		slices.SortStableFunc(ps.labelOrder, func(a, b int32) int {
			return cmp.Compare(ps.anchors[b].area, ps.anchors[a].area)
		})
	}
	return &sceneLayer{id: l.ID, minZoom: l.MinZoom, maxZoom: l.MaxZoom, bound: lb, polys: ps}
}

func hasLabels(labels []string) bool {
	return slices.ContainsFunc(labels, func(s string) bool { return s != "" })
}

func newPointLayer(l *PointLayer) *sceneLayer {
	n := len(l.Points)
	ps := &pointSet{xs: make([]float64, n), ys: make([]float64, n)}
	lb := emptyMBound()
	for i, p := range l.Points {
		x, y := mercator(p)
		ps.xs[i], ps.ys[i] = x, y
		lb.extend(x, y)
	}
	switch {
	case len(l.Styles) == 0:
		ps.styles = []Style{DefaultPointStyle}
	case len(l.Styles) == 1 || n == 0:
		ps.styles = []Style{l.Styles[0]}
	default:
		seen := make(map[Style]int32)
		ps.styleIdx = make([]int32, n)
		for i := range n {
			st := styleAt(l.Styles, i, DefaultPointStyle)
			k, ok := seen[st]
			if !ok {
				k = int32(len(ps.styles))
				seen[st] = k
				ps.styles = append(ps.styles, st)
			}
			ps.styleIdx[i] = k
		}
	}
	for _, st := range ps.styles {
		ps.maxRadius = math.Max(ps.maxRadius, markerExtent(st))
	}
	ps.grid = newPointGrid(ps.xs, ps.ys, lb)
	for i := range n {
		if ps.styles[ps.style(i)].Pulse {
			ps.pulse = append(ps.pulse, int32(i))
		}
	}
	ps.cluster, ps.clusterBelow = l.Cluster, l.ClusterBelowZoom
	ps.clusterCell = float64(l.ClusterCell)
	if ps.clusterCell <= 0 {
		ps.clusterCell = DefaultClusterCell
	}
	if hasLabels(l.Labels) {
		ps.labels = slices.Clone(l.Labels[:min(len(l.Labels), n)])
		ps.labelStyle, ps.labelMinZoom = l.LabelStyle, l.LabelMinZoom
	}
	return &sceneLayer{id: l.ID, minZoom: l.MinZoom, maxZoom: l.MaxZoom, bound: lb, points: ps}
}

// findSharedEdges fills ps.shared.
func (ps *polygonSet) findSharedEdges() {
	type edgeKey struct{ x0, y0, x1, y1 float64 }
	type outline struct {
		c color.NRGBA
		w float64
	}
	seen := make(map[edgeKey]outline, len(ps.xs))
	ps.shared = make([]uint64, (len(ps.xs)+63)/64)
	for i := ps.len() - 1; i >= 0; i-- {
		st := ps.styles[i]
		if st.Stroke.A == 0 {
			continue
		}
		o := outline{st.Stroke, st.strokeWidth()}
		for r := ps.polyRings[i]; r < ps.polyRings[i+1]; r++ {
			a, z := int(ps.rings[r]), int(ps.rings[r+1])
			for k := a; k < z; k++ {
				n := k + 1
				if n == z {
					n = a
				}
				e := edgeKey{ps.xs[k], ps.ys[k], ps.xs[n], ps.ys[n]}
				if e.x1 < e.x0 || e.x1 == e.x0 && e.y1 < e.y0 {
					e = edgeKey{e.x1, e.y1, e.x0, e.y0}
				}
				if prev, ok := seen[e]; ok && prev == o {
					ps.shared[k>>6] |= 1 << (uint(k) & 63)
					continue
				}
				seen[e] = o
			}
		}
	}
}

// isShared reports whether the edge from vertex k is stroked by a later
// polygon.
func (ps *polygonSet) isShared(k int32) bool {
	return ps.shared[k>>6]&(1<<(uint(k)&63)) != 0
}
