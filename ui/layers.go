package ui

import (
	"image/color"

	"github.com/paulmach/orb"

	"griddesk/app"
	"griddesk/app/clock"
	"griddesk/mapview"
	"griddesk/store"
)

// Layer IDs, in drawing order.
const (
	layerEnforcement = "grids.enforcement"
	layerInspection  = "grids.inspection"
	layerBase        = "grids.base"
	layerMicro       = "grids.micro"
	layerEntities    = "entities"
	layerCases       = "cases"
)

// Code and light colours: the three-colour code of the seeds.
var (
	colGreen  = color.NRGBA{R: 0x2e, G: 0x9e, B: 0x44, A: 0xff}
	colYellow = color.NRGBA{R: 0xe8, G: 0xb4, B: 0x00, A: 0xff}
	colRed    = color.NRGBA{R: 0xd7, G: 0x26, B: 0x3d, A: 0xff}
	colNone   = color.NRGBA{R: 0x5b, G: 0x6b, B: 0x84, A: 0xff}
)

func codeColor(code string) color.NRGBA {
	switch code {
	case store.CodeRed:
		return colRed
	case store.CodeYellow:
		return colYellow
	}
	return colGreen
}

func lightColor(l clock.Light) color.NRGBA {
	switch l {
	case clock.LightRed:
		return colRed
	case clock.LightYellow:
		return colYellow
	case clock.LightGreen:
		return colGreen
	}
	return colNone
}

var kindShape = map[string]mapview.Shape{
	store.KindShop:       mapview.Circle,
	store.KindEnterprise: mapview.Square,
	store.KindRental:     mapview.Triangle,
	store.KindVenue:      mapview.Diamond,
}

var gridStyles = map[string]mapview.Style{
	store.LevelEnforcement: {Stroke: color.NRGBA{R: 0x6a, G: 0x3d, B: 0x9a, A: 0xd0}, StrokeWidth: 3},
	store.LevelInspection:  {Stroke: color.NRGBA{R: 0xe0, G: 0x7b, B: 0x00, A: 0xe0}, StrokeWidth: 2},
	store.LevelBase:        {Stroke: color.NRGBA{R: 0x3c, G: 0x4a, B: 0x5c, A: 0xe0}, StrokeWidth: 1.2, Fill: color.NRGBA{R: 0xd8, G: 0xe2, B: 0xec, A: 0x60}},
	store.LevelMicro:       {Stroke: color.NRGBA{R: 0x8a, G: 0x98, B: 0xa8, A: 0xa0}, StrokeWidth: 0.6},
}

// mapLayers is the scene the map draws, and what each item index means.
type mapLayers struct {
	layers   []mapview.Layer
	grids    map[string][]store.Grid // by layer ID
	entities []store.Entity
	cases    []app.CaseRow
}

func buildLayers(m app.MapData, cases []app.CaseRow) mapLayers {
	ml := mapLayers{grids: map[string][]store.Grid{}, entities: m.Entities, cases: cases}
	byLevel := map[string][]store.Grid{}
	for _, g := range m.Grids {
		byLevel[g.Level] = append(byLevel[g.Level], g)
	}
	ids := map[string]string{store.LevelEnforcement: layerEnforcement, store.LevelInspection: layerInspection, store.LevelBase: layerBase, store.LevelMicro: layerMicro}
	for _, level := range []string{store.LevelBase, store.LevelMicro, store.LevelInspection, store.LevelEnforcement} {
		gs := byLevel[level]
		polys := make([]orb.MultiPolygon, len(gs))
		for i, g := range gs {
			polys[i] = g.Geometry
		}
		l := &mapview.PolygonLayer{ID: ids[level], Polygons: polys, Styles: []mapview.Style{gridStyles[level]}}
		if level == store.LevelMicro {
			l.MinZoom = 13.5 // micro grids only where they can be told apart
		}
		ml.layers = append(ml.layers, l)
		ml.grids[ids[level]] = gs
	}
	pts := make([]orb.Point, len(m.Entities))
	styles := make([]mapview.Style, len(m.Entities))
	for i, e := range m.Entities {
		pts[i] = orb.Point{e.Lon, e.Lat}
		styles[i] = mapview.Style{Fill: codeColor(e.Code), Radius: 3, Shape: kindShape[e.Kind]}
	}
	ml.layers = append(ml.layers, &mapview.PointLayer{ID: layerEntities, Points: pts, Styles: styles})
	cpts := make([]orb.Point, len(cases))
	cstyles := make([]mapview.Style, len(cases))
	for i, c := range cases {
		cpts[i] = orb.Point{c.Lon, c.Lat}
		cstyles[i] = mapview.Style{Fill: lightColor(c.Light), Stroke: color.NRGBA{A: 0xff}, StrokeWidth: 1.5, Radius: 6, Shape: mapview.Diamond}
	}
	ml.layers = append(ml.layers, &mapview.PointLayer{ID: layerCases, Points: cpts, Styles: cstyles})
	return ml
}
