package mapview

import (
	"image/color"
	"slices"

	"github.com/paulmach/orb"
)

// Shape is the marker drawn for a point.
type Shape uint8

// Point shapes.
const (
	Circle Shape = iota
	Square
	Triangle
	Diamond
)

// Default sizes used when a Style or LabelStyle leaves them zero.
const (
	DefaultRadius      = 4  // screen units
	DefaultStrokeWidth = 1  // screen units
	DefaultLabelSize   = 12 // screen units
	DefaultHaloWidth   = 2  // screen units
	DefaultClusterCell = 64 // screen units
	DefaultHeatRadius  = 24 // screen units
	DefaultRouteWidth  = 3  // screen units
)

// Style says how an item is drawn. Lengths are in screen units (they are
// multiplied by the canvas scale).
//
// Polygons are filled with Fill and outlined with Stroke, StrokeWidth wide
// (DefaultStrokeWidth when zero); a colour with zero alpha is not drawn.
//
// Points are drawn as Shape, Radius in size (DefaultRadius when zero),
// filled with Fill and outlined with a thin line of Stroke, or of a darker
// Fill when Stroke is transparent. StrokeWidth is the outline width for
// points too (DefaultStrokeWidth when zero).
//
// Routes (RouteLayer) are drawn as lines of Stroke, StrokeWidth wide
// (DefaultRouteWidth when zero), with stop markers of Fill (Stroke when
// Fill is transparent) and Radius.
type Style struct {
	Stroke      color.NRGBA
	StrokeWidth float32
	Fill        color.NRGBA
	Radius      float32
	Shape       Shape

	// Pulse makes a point (or the cluster holding it) pulse: a halo grows
	// and fades around it about once a second. Halos are drawn in a light
	// overlay, not by re-rendering the map.
	Pulse bool
	// Priority ranks styles for clusters: a cluster is coloured with the
	// Fill of its members' style with the highest Priority (the most
	// frequent one among equals). Give "worse" states higher priorities to
	// make clusters show the worst member.
	Priority int
}

func (s Style) strokeWidth() float64 {
	if s.StrokeWidth <= 0 {
		return DefaultStrokeWidth
	}
	return float64(s.StrokeWidth)
}

func (s Style) radius() float64 {
	if s.Radius <= 0 {
		return DefaultRadius
	}
	return float64(s.Radius)
}

// look is the style with the fields that do not change pixels cleared: the
// key of the sprite cache.
func (s Style) look() Style {
	s.Pulse, s.Priority = false, 0
	return s
}

// LabelStyle says how the labels of a layer are drawn.
type LabelStyle struct {
	// Color is the text colour (dark grey when transparent).
	Color color.NRGBA
	// Halo is the colour of the outline around the text that keeps it
	// readable on any background (translucent white when transparent).
	Halo color.NRGBA
	// HaloWidth is the halo's width in screen units: DefaultHaloWidth when
	// zero, no halo when negative.
	HaloWidth float32
	// Size is the text size in screen units (DefaultLabelSize when zero).
	Size float32
	// Priority orders placement across layers: labels of layers with a
	// higher Priority are placed first, so they win where labels would
	// overlap. Within a layer larger polygons are placed first.
	Priority int
}

// Default label colours.
var (
	DefaultLabelColor = color.NRGBA{0x26, 0x2a, 0x33, 0xff}
	DefaultHaloColor  = color.NRGBA{0xff, 0xff, 0xff, 0xd8}
)

func (s LabelStyle) size() float64 {
	if s.Size <= 0 {
		return DefaultLabelSize
	}
	return float64(s.Size)
}

func (s LabelStyle) haloWidth() float64 {
	switch {
	case s.HaloWidth < 0:
		return 0
	case s.HaloWidth == 0:
		return DefaultHaloWidth
	}
	return float64(s.HaloWidth)
}

func (s LabelStyle) colors() (fg, halo color.NRGBA) {
	fg, halo = s.Color, s.Halo
	if fg.A == 0 {
		fg = DefaultLabelColor
	}
	if halo.A == 0 {
		halo = DefaultHaloColor
	}
	return fg, halo
}

// Layer is a set of items drawn together. *PolygonLayer, *PointLayer,
// *HeatLayer and *RouteLayer (and their values) are the layers the map
// draws; other implementations are ignored.
type Layer interface {
	LayerID() string
	Bound() orb.Bound
}

// emptyBound is the bound of nothing (IsEmpty reports true).
var emptyBound = orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{-1, -1}}

func pointsBound(pts []orb.Point) orb.Bound {
	if len(pts) == 0 {
		return emptyBound
	}
	return orb.MultiPoint(pts).Bound()
}

// PolygonLayer is a set of (multi)polygons, e.g. areas.
//
// Styles holds one style per polygon, or a single style for all of them.
// The layer is drawn when MinZoom <= zoom <= MaxZoom; a MaxZoom of zero
// means no upper limit.
//
// Labels, when set, holds one label per polygon ("" for none). A label is
// drawn at the polygon's pole of inaccessibility (or its centroid) only
// where its text fits inside the polygon on screen and overlaps no other
// label; from LabelMinZoom on.
type PolygonLayer struct {
	ID       string
	Polygons []orb.MultiPolygon
	Styles   []Style
	MinZoom  float64
	MaxZoom  float64

	Labels       []string
	LabelStyle   LabelStyle
	LabelMinZoom float64
}

// LayerID implements Layer.
func (l PolygonLayer) LayerID() string { return l.ID }

// Bound implements Layer: the lon/lat bound of all polygons.
func (l PolygonLayer) Bound() orb.Bound {
	b := emptyBound
	for _, p := range l.Polygons {
		if len(p) == 0 {
			continue
		}
		if b.IsEmpty() {
			b = p.Bound()
			continue
		}
		b = b.Union(p.Bound())
	}
	return b
}

// PointLayer is a set of points, e.g. places.
//
// Styles holds one style per point, or a single style for all of them.
// The layer is drawn when MinZoom <= zoom <= MaxZoom; a MaxZoom of zero
// means no upper limit.
//
// With Cluster set, the points are aggregated below ClusterBelowZoom (at
// every zoom when it is zero): the world is cut into square cells of
// ClusterCell screen units (DefaultClusterCell when zero), anchored to the
// world so they do not move while panning, and the points of a cell with
// more than one point are drawn as one circle at their centroid, sized by
// their number, labelled with it, and coloured after the member style with
// the highest Priority. A tap on a cluster hits Hit{Index: -1, Cluster:
// the members}.
//
// Labels, when set, holds one label per point ("" for none), drawn beside
// the markers from LabelMinZoom on, where they overlap no other label
// (polygon labels are placed first), and never for clustered points.
type PointLayer struct {
	ID      string
	Points  []orb.Point
	Styles  []Style
	MinZoom float64
	MaxZoom float64

	Cluster          bool
	ClusterBelowZoom float64
	ClusterCell      float32

	Labels       []string
	LabelStyle   LabelStyle
	LabelMinZoom float64
}

// LayerID implements Layer.
func (l PointLayer) LayerID() string { return l.ID }

// Bound implements Layer: the lon/lat bound of all points.
func (l PointLayer) Bound() orb.Bound { return pointsBound(l.Points) }

// HeatLayer draws the density of weighted points as a colour ramp: each
// point spreads its weight (1 when Weights is nil or short) over Radius
// screen units (DefaultHeatRadius when zero) with a smooth kernel; the
// summed density is mapped onto Ramp, whose colours (alpha included) are
// spread evenly from zero density to Max. With Max zero the top of the
// ramp is the densest spot of the layer at the current zoom, estimated
// over the whole layer so that it does not change while panning. With no
// Ramp, DefaultHeatRamp is used. Heat layers are not hit by taps.
type HeatLayer struct {
	ID      string
	Points  []orb.Point
	Weights []float64
	Radius  float32
	Max     float64
	Ramp    []color.NRGBA
	MinZoom float64
	MaxZoom float64
}

// DefaultHeatRamp goes from transparent blue over green and yellow to red.
var DefaultHeatRamp = []color.NRGBA{
	{0x20, 0x60, 0xff, 0x00},
	{0x20, 0x90, 0xff, 0x70},
	{0x30, 0xc0, 0x60, 0xa0},
	{0xf8, 0xd0, 0x20, 0xc0},
	{0xe8, 0x30, 0x20, 0xd8},
}

// LayerID implements Layer.
func (l HeatLayer) LayerID() string { return l.ID }

// Bound implements Layer: the lon/lat bound of all points.
func (l HeatLayer) Bound() orb.Bound { return pointsBound(l.Points) }

// RouteLayer draws routes: each a polyline through its stops, with a
// marker at every stop, numbered 1, 2, … along the route when NumberStops
// is set. Styles holds one style per route, or one for all (see Style for
// what routes use of it). A tap on a stop hits Hit{Index: route, Stop:
// stop}; on the line between stops Hit{Index: route, Stop: -1}.
type RouteLayer struct {
	ID          string
	Routes      [][]orb.Point
	Styles      []Style
	NumberStops bool
	MinZoom     float64
	MaxZoom     float64
}

// LayerID implements Layer.
func (l RouteLayer) LayerID() string { return l.ID }

// Bound implements Layer: the lon/lat bound of all stops.
func (l RouteLayer) Bound() orb.Bound {
	b := emptyBound
	for _, r := range l.Routes {
		if len(r) == 0 {
			continue
		}
		if b.IsEmpty() {
			b = pointsBound(r)
			continue
		}
		b = b.Union(pointsBound(r))
	}
	return b
}

// Hit identifies an item under a screen position: the layer's ID and the
// index into its Polygons, Points or Routes.
//
// A hit on a cluster of a PointLayer has Index -1 and the indexes of the
// cluster's points, ascending, in Cluster. A hit on a RouteLayer has the
// route in Index and the stop (0-based) in Stop, or Stop -1 for the line
// between stops; Stop is 0 for other layers.
//
// Hit holds a slice, so compare hits with Equal, not ==.
type Hit struct {
	Layer   string
	Index   int
	Cluster []int
	Stop    int
}

// Equal reports whether h and o identify the same item.
func (h Hit) Equal(o Hit) bool {
	return h.Layer == o.Layer && h.Index == o.Index && h.Stop == o.Stop && slices.Equal(h.Cluster, o.Cluster)
}

// IsCluster reports whether h is a hit on a cluster of points.
func (h Hit) IsCluster() bool { return h.Index < 0 && len(h.Cluster) > 0 }
