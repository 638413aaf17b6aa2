// Package mapview is GridDesk's map widget: it draws layers of geometry
// with styles on a Web Mercator map and reports taps. It knows nothing of
// what the geometry means; the UI builds the layers and interprets the hits.
//
// The pieces, one file each:
//
//   - projection.go: Web Mercator lon/lat ⇄ world pixels at a fractional
//     zoom (256-unit tiles), and screen ⇄ lon/lat for a View and viewport.
//   - layer.go: the public layer types (PolygonLayer, PointLayer), Style,
//     Shape and Hit.
//   - scene.go: Scene, an immutable, pre-projected copy of the layers with
//     per-item and per-layer bounds.
//   - index.go: the uniform grid index over points.
//   - render.go: Renderer, which draws a Scene for a View into an
//     *image.RGBA without any Fyne types, and Reproject for stand-in frames.
//   - hittest.go: Scene.HitTest, the top-most item under a screen position.
//   - map.go: Map, the Fyne widget: a canvas.Raster fed by renders run off
//     the UI goroutine, with drag to pan, wheel to zoom and tap to pick.
//
// A typical use:
//
//	m := mapview.New()
//	m.SetLayers(
//		&mapview.PolygonLayer{ID: "areas", Polygons: polys, Styles: styles},
//		&mapview.PointLayer{ID: "places", Points: pts, Styles: []mapview.Style{{Fill: red}}},
//	)
//	m.FitBounds(bound)
//	m.OnTapped = func(h mapview.Hit, ok bool, at orb.Point) { ... }
package mapview
