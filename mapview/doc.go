// Package mapview is GridDesk's map widget: it draws layers of geometry
// with styles on a Web Mercator map and reports taps. It knows nothing of
// what the geometry means; the UI builds the layers and interprets the hits.
//
// Layers: PolygonLayer (areas, with optional labels drawn where they fit),
// PointLayer (markers, optionally clustered at low zoom, optionally
// labelled), HeatLayer (a density colour ramp) and RouteLayer (polylines
// with numbered stops). Styles may pulse (Style.Pulse) and rank clusters
// (Style.Priority). Above the layers the map draws labels, then the
// selection; below them an optional basemap of raster tiles (MBTiles file
// or XYZ server with a disk cache).
//
// The pieces:
//
//   - projection.go: Web Mercator lon/lat ⇄ world pixels at a fractional
//     zoom (256-unit tiles), and screen ⇄ lon/lat for a View and viewport.
//   - layer.go: the public layer types, Style, LabelStyle, Shape and Hit.
//   - scene.go: Scene, an immutable, pre-projected copy of the layers with
//     per-item and per-layer bounds, spatial indexes, label anchors
//     (polylabel.go) and the edges polygons share.
//   - index.go: the uniform grid indexes over points and over bounds.
//   - render.go: Renderer, which draws a Scene for a View into an
//     *image.RGBA without any Fyne types, in parallel bands; RenderFrom
//     reuses the previous frame after a whole-pixel pan and draws only the
//     uncovered strips. draw.go holds the pixel primitives; cluster.go,
//     heat.go, route.go, labels.go (placement), text.go (fonts),
//     selection.go and tiles.go what their names say.
//   - hittest.go: Scene.HitTest (the top-most item under a position),
//     Scene.HitBox (everything in a box), Scene.HitsBound.
//   - map.go, nav.go, overlay.go, pulse.go: Map, the Fyne widget: one
//     canvas.Raster fed by frames rendered off the UI goroutine, drag,
//     wheel, keys and double-click to navigate, shift-drag to select a box,
//     tap to pick; scale bar, coordinates, tooltip, rubber band and pulse
//     halos as light canvas objects over the raster.
//   - xyz.go: tiles from a URL template (an MBTiles file: store/mbtiles).
//
// Text: labels, cluster counts and stop numbers are rasterized by the
// renderer from a Fonts fallback chain. The default chain is Go Regular
// (Latin only); for Chinese labels give the map a CJK font:
//
//	fonts, err := mapview.NewFonts(assets.CJKFont) // CJK first, Go Regular after
//	m.SetFonts(fonts)
//
// A typical use:
//
//	m := mapview.New()
//	m.SetLayers(
//		&mapview.PolygonLayer{ID: "areas", Polygons: polys, Styles: styles, Labels: names},
//		&mapview.PointLayer{ID: "places", Points: pts, Styles: styles, Cluster: true, ClusterBelowZoom: 15},
//	)
//	m.FitBounds(bound)
//	m.OnTapped = func(h mapview.Hit, ok bool, at orb.Point) { ... }
//	m.OnHover = func(h mapview.Hit, ok bool, at orb.Point) { m.SetTooltip(describe(h, ok)) }
//	m.OnBoxSelect = func(b orb.Bound, hits []mapview.Hit) { m.SetSelection(hits) }
package mapview
