package mapview

import (
	"image/color"

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

// Default sizes used when a Style leaves them zero.
const (
	DefaultRadius      = 4 // screen units
	DefaultStrokeWidth = 1 // screen units
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
type Style struct {
	Stroke      color.NRGBA
	StrokeWidth float32
	Fill        color.NRGBA
	Radius      float32
	Shape       Shape
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

// Layer is a set of items drawn together. *PolygonLayer and *PointLayer
// (and their values) are the layers the map draws; other implementations
// are ignored.
type Layer interface {
	LayerID() string
	Bound() orb.Bound
}

// PolygonLayer is a set of (multi)polygons, e.g. areas.
//
// Styles holds one style per polygon, or a single style for all of them.
// The layer is drawn when MinZoom <= zoom <= MaxZoom; a MaxZoom of zero
// means no upper limit.
type PolygonLayer struct {
	ID       string
	Polygons []orb.MultiPolygon
	Styles   []Style
	MinZoom  float64
	MaxZoom  float64
}

// LayerID implements Layer.
func (l PolygonLayer) LayerID() string { return l.ID }

// Bound implements Layer: the lon/lat bound of all polygons.
func (l PolygonLayer) Bound() orb.Bound {
	b := orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{-1, -1}}
	for _, p := range l.Polygons {
		b = b.Union(p.Bound())
	}
	return b
}

// PointLayer is a set of points, e.g. places.
//
// Styles holds one style per point, or a single style for all of them.
// The layer is drawn when MinZoom <= zoom <= MaxZoom; a MaxZoom of zero
// means no upper limit.
type PointLayer struct {
	ID      string
	Points  []orb.Point
	Styles  []Style
	MinZoom float64
	MaxZoom float64
}

// LayerID implements Layer.
func (l PointLayer) LayerID() string { return l.ID }

// Bound implements Layer: the lon/lat bound of all points.
func (l PointLayer) Bound() orb.Bound {
	if len(l.Points) == 0 {
		return orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{-1, -1}}
	}
	return orb.MultiPoint(l.Points).Bound()
}

// Hit identifies an item under a screen position: the layer's ID and the
// index into its Polygons or Points.
type Hit struct {
	Layer string
	Index int
}
