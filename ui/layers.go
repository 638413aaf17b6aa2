package ui

import (
	"image/color"

	"github.com/paulmach/orb"

	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/mapview"
)

// Layer IDs, in drawing order.
const (
	layerEnforcement = "grids.enforcement"
	layerInspection  = "grids.inspection"
	layerBase        = "grids.base"
	layerMicro       = "grids.micro"
	layerHeat        = "heat"
	layerEntities    = "entities"
	layerRed         = "entities.red"        // red-coded entities, never clustered
	layerRedSpecks   = "entities.red.specks" // the same, small, at city zoom
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
	case domain.CodeRed:
		return colRed
	case domain.CodeYellow:
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
	domain.KindShop:       mapview.Circle,
	domain.KindEnterprise: mapview.Square,
	domain.KindRental:     mapview.Triangle,
	domain.KindVenue:      mapview.Diamond,
}

var gridStyles = map[string]mapview.Style{
	domain.LevelEnforcement: {Stroke: color.NRGBA{R: 0x6a, G: 0x3d, B: 0x9a, A: 0xd0}, StrokeWidth: 3},
	domain.LevelInspection:  {Stroke: color.NRGBA{R: 0xe0, G: 0x7b, B: 0x00, A: 0xe0}, StrokeWidth: 2},
	domain.LevelBase:        {Stroke: color.NRGBA{R: 0x3c, G: 0x4a, B: 0x5c, A: 0xe0}, StrokeWidth: 1.2, Fill: color.NRGBA{R: 0xd8, G: 0xe2, B: 0xec, A: 0x60}},
	domain.LevelMicro:       {Stroke: color.NRGBA{R: 0x8a, G: 0x98, B: 0xa8, A: 0xa0}, StrokeWidth: 0.6},
}

// Grid names: coarser levels win where labels would overlap, and fine
// levels are named only when zoomed in.
var labelStyles = map[string]mapview.LabelStyle{
	domain.LevelEnforcement: {Color: color.NRGBA{R: 0x4a, G: 0x25, B: 0x70, A: 0xff}, Size: 15, Priority: 4},
	domain.LevelInspection:  {Color: color.NRGBA{R: 0x9a, G: 0x50, B: 0x00, A: 0xff}, Size: 14, Priority: 3},
	domain.LevelBase:        {Color: color.NRGBA{R: 0x2a, G: 0x36, B: 0x48, A: 0xff}, Size: 12, Priority: 2},
	domain.LevelMicro:       {Color: color.NRGBA{R: 0x55, G: 0x60, B: 0x70, A: 0xff}, Size: 11, Priority: 1},
}

var labelZoom = map[string]float64{domain.LevelEnforcement: 0, domain.LevelInspection: 12.5, domain.LevelBase: 13.5, domain.LevelMicro: 15.5}

// mapLayers is the scene the map draws, and what each item index means.
type mapLayers struct {
	layers   []mapview.Layer
	grids    map[string][]domain.Grid // by layer ID
	entities []domain.Entity
	entityAt map[string][]int // point layer → its item's index in entities
	cases    []desk.CaseRow
}

// entity resolves a hit on an entity layer.
func (ml *mapLayers) entity(h mapview.Hit) (domain.Entity, bool) {
	idx := ml.entityAt[h.Layer]
	if h.Index < 0 || h.Index >= len(idx) {
		return domain.Entity{}, false
	}
	return ml.entities[idx[h.Index]], true
}

func buildLayers(m desk.MapData, cases []desk.CaseRow) mapLayers {
	ml := mapLayers{grids: map[string][]domain.Grid{}, entities: m.Entities, cases: cases, entityAt: map[string][]int{}}
	byLevel := map[string][]domain.Grid{}
	for _, g := range m.Grids {
		byLevel[g.Level] = append(byLevel[g.Level], g)
	}
	ids := map[string]string{domain.LevelEnforcement: layerEnforcement, domain.LevelInspection: layerInspection, domain.LevelBase: layerBase, domain.LevelMicro: layerMicro}
	for _, level := range []string{domain.LevelBase, domain.LevelMicro, domain.LevelInspection, domain.LevelEnforcement} {
		gs := byLevel[level]
		polys := make([]orb.MultiPolygon, len(gs))
		for i, g := range gs {
			polys[i] = g.Geometry
		}
		names := make([]string, len(gs))
		for i, g := range gs {
			names[i] = g.Name
		}
		l := &mapview.PolygonLayer{ID: ids[level], Polygons: polys, Styles: []mapview.Style{gridStyles[level]},
			Labels: names, LabelStyle: labelStyles[level], LabelMinZoom: labelZoom[level]}
		if level == domain.LevelMicro {
			l.MinZoom = 13.5 // micro grids only where they can be told apart
		}
		ml.layers = append(ml.layers, l)
		ml.grids[ids[level]] = gs
	}
	ml.layers = append(ml.layers, &mapview.HeatLayer{ID: layerHeat, Points: m.Hazards, Radius: 28})
	// Green and yellow entities cluster below zoom 12.5 (a whole city; a
	// town fits above it, dot by dot), a cluster coloured by its majority;
	// red entities are never folded into a cluster, so what is red shows at
	// a glance at any zoom.
	var pts, red []orb.Point
	var styles, redStyles []mapview.Style
	for i, e := range m.Entities {
		st := mapview.Style{Fill: codeColor(e.Code), Radius: 3, Shape: kindShape[e.Kind]}
		if e.Code == domain.CodeRed {
			red, redStyles = append(red, orb.Point{e.Lon, e.Lat}), append(redStyles, st)
			ml.entityAt[layerRed] = append(ml.entityAt[layerRed], i)
			continue
		}
		pts, styles = append(pts, orb.Point{e.Lon, e.Lat}), append(styles, st)
		ml.entityAt[layerEntities] = append(ml.entityAt[layerEntities], i)
	}
	// at city zoom the red ones are specks, so the clusters stay readable
	specks := make([]mapview.Style, len(redStyles))
	for i, st := range redStyles {
		st.Radius, st.StrokeWidth = 1.3, 0.5
		specks[i] = st
	}
	ml.layers = append(ml.layers, &mapview.PointLayer{ID: layerEntities, Points: pts, Styles: styles, Cluster: true, ClusterBelowZoom: 12.5},
		&mapview.PointLayer{ID: layerRed, Points: red, Styles: redStyles, MinZoom: 12.5},
		&mapview.PointLayer{ID: layerRedSpecks, Points: red, Styles: specks, MaxZoom: 12.5})
	ml.entityAt[layerRedSpecks] = ml.entityAt[layerRed]
	cpts := make([]orb.Point, len(cases))
	cstyles := make([]mapview.Style, len(cases))
	for i, c := range cases {
		cpts[i] = orb.Point{c.Lon, c.Lat}
		cstyles[i] = mapview.Style{Fill: lightColor(c.Light), Stroke: color.NRGBA{A: 0xff}, StrokeWidth: 1.5, Radius: 6, Shape: mapview.Diamond,
			Pulse: c.Overdue || c.DueSoon} // late and nearly late cases pulse
	}
	ml.layers = append(ml.layers, &mapview.PointLayer{ID: layerCases, Points: cpts, Styles: cstyles})
	return ml
}
