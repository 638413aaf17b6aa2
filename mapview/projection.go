package mapview

import (
	"math"

	"github.com/paulmach/orb"
)

// Projection constants of the Web Mercator (EPSG:3857) tiling scheme.
const (
	// TileSize is the edge of a map tile in screen units: at zoom z the
	// whole world is TileSize·2^z units wide.
	TileSize = 256
	// MaxLatitude is the latitude where Web Mercator makes the world square.
	MaxLatitude = 85.05112877980659

	// MinZoom and MaxZoom bound the zoom of a View.
	MinZoom = 0.0
	MaxZoom = 22.0
)

// View is what the map shows: the lon/lat at the centre of the viewport
// and a fractional Web Mercator zoom (256-unit tiles, so at zoom z the world
// is 256·2^z screen units wide). It marshals to JSON as
// {"center":[lon,lat],"zoom":z}, for saving between runs.
type View struct {
	Center orb.Point `json:"center"` // lon, lat
	Zoom   float64   `json:"zoom"`
}

// mercator returns the normalized Web Mercator coordinates of p: x grows
// east and y grows south, the world spanning [0,1]×[0,1].
func mercator(p orb.Point) (x, y float64) {
	lat := math.Max(-MaxLatitude, math.Min(MaxLatitude, p[1]))
	s := math.Sin(lat * math.Pi / 180)
	x = (p[0] + 180) / 360
	y = 0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)
	return x, y
}

// lonLat is the inverse of mercator.
func lonLat(x, y float64) orb.Point {
	lon := x*360 - 180
	lat := math.Atan(math.Sinh(math.Pi*(1-2*y))) * 180 / math.Pi
	return orb.Point{lon, lat}
}

// WorldSize is the width (and height) of the whole world in screen units
// at the given zoom.
func WorldSize(zoom float64) float64 {
	return TileSize * math.Exp2(zoom)
}

// Project returns the world-pixel coordinates of p at zoom: the origin is
// the north-west corner of the world (180°W, MaxLatitude), y grows south.
func Project(p orb.Point, zoom float64) (x, y float64) {
	mx, my := mercator(p)
	ws := WorldSize(zoom)
	return mx * ws, my * ws
}

// Unproject is the inverse of Project.
func Unproject(x, y, zoom float64) orb.Point {
	ws := WorldSize(zoom)
	return lonLat(x/ws, y/ws)
}

// ToScreen returns the position of p in a w×h viewport showing v, in the
// viewport's units, with the origin at its top-left corner.
func (v View) ToScreen(p orb.Point, w, h float64) (x, y float64) {
	t := v.transform(w, h, 1)
	mx, my := mercator(p)
	return t.x(mx), t.y(my)
}

// ToLonLat is the inverse of ToScreen.
func (v View) ToLonLat(x, y, w, h float64) orb.Point {
	t := v.transform(w, h, 1)
	return lonLat(t.mx(x), t.my(y))
}

// Bound returns the lon/lat bound visible in a w×h viewport showing v.
func (v View) Bound(w, h float64) orb.Bound {
	nw := v.ToLonLat(0, 0, w, h)
	se := v.ToLonLat(w, h, w, h)
	return orb.Bound{Min: orb.Point{nw[0], se[1]}, Max: orb.Point{se[0], nw[1]}}
}

// Pan returns v moved so that the content slides by (dx, dy) screen units:
// dragging the map right (dx > 0) moves the centre west.
func (v View) Pan(dx, dy float64) View {
	cx, cy := mercator(v.Center)
	ws := WorldSize(v.Zoom)
	v.Center = lonLat(cx-dx/ws, cy-dy/ws)
	return v.clamped()
}

// ZoomAround returns v zoomed by dz levels, keeping the lon/lat under the
// screen position (x, y) of a w×h viewport where it is.
func (v View) ZoomAround(dz, x, y, w, h float64) View {
	anchor := v.ToLonLat(x, y, w, h)
	nv := View{Center: v.Center, Zoom: v.Zoom + dz}.clamped()
	ax, ay := mercator(anchor)
	ws := WorldSize(nv.Zoom)
	cx := ax - (x-w/2)/ws
	cy := ay - (y-h/2)/ws
	nv.Center = lonLat(cx, cy)
	return nv.clamped()
}

// FitView returns the view that shows b as large as possible in a w×h
// viewport, centred, leaving pad screen units free on every side.
// The zoom is clamped to [MinZoom, MaxZoom].
func FitView(b orb.Bound, w, h, pad float64) View {
	x0, y1 := mercator(b.Min)
	x1, y0 := mercator(b.Max)
	c := lonLat((x0+x1)/2, (y0+y1)/2)
	aw, ah := math.Max(w-2*pad, 1), math.Max(h-2*pad, 1)
	dx, dy := x1-x0, y1-y0
	zoom := MaxZoom
	if dx > 0 || dy > 0 {
		// world size needed so that dx·ws <= aw and dy·ws <= ah.
		ws := math.Inf(1)
		if dx > 0 {
			ws = aw / dx
		}
		if dy > 0 {
			ws = math.Min(ws, ah/dy)
		}
		zoom = math.Log2(ws / TileSize)
	}
	return View{Center: c, Zoom: zoom}.clamped()
}

// clamped keeps the zoom and the centre inside the projection's range.
func (v View) clamped() View {
	if math.IsNaN(v.Zoom) {
		v.Zoom = MinZoom
	}
	v.Zoom = math.Max(MinZoom, math.Min(MaxZoom, v.Zoom))
	v.Center[0] = math.Max(-180, math.Min(180, v.Center[0]))
	v.Center[1] = math.Max(-MaxLatitude, math.Min(MaxLatitude, v.Center[1]))
	return v
}

// transform maps normalized Mercator coordinates to the pixels of a w×h
// viewport showing a view; scale is pixels per screen unit (the canvas
// scale), so the view's zoom applies to screen units, not to pixels.
type transform struct {
	cx, cy float64 // centre, normalized Mercator
	k      float64 // pixels per normalized unit
	ox, oy float64 // pixel position of the centre
}

func (v View) transform(w, h, scale float64) transform {
	cx, cy := mercator(v.Center)
	return transform{cx: cx, cy: cy, k: WorldSize(v.Zoom) * scale, ox: w / 2, oy: h / 2}
}

func (t transform) x(mx float64) float64  { return (mx-t.cx)*t.k + t.ox }
func (t transform) y(my float64) float64  { return (my-t.cy)*t.k + t.oy }
func (t transform) mx(px float64) float64 { return (px-t.ox)/t.k + t.cx }
func (t transform) my(py float64) float64 { return (py-t.oy)/t.k + t.cy }
