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

// mapLayers is what the map draws, in parts rebuilt one at a time (a
// change of cases leaves the grid and entity layers as they are), and what
// each item index means. A part is replaced whole, never changed in place:
// the UI goroutine reads the copy it was handed while the next is built.
type mapLayers struct {
	gridL    []mapview.Layer          // one polygon layer per level
	grids    map[string][]domain.Grid // by layer ID
	bound    orb.Bound                // the grids' extent (zero: no grids)
	heatL    mapview.Layer
	entityL  []mapview.Layer
	entities []domain.Entity
	entityAt map[string][]int // point layer → its item's index in entities
	caseL    mapview.Layer
	cases    []desk.CaseRow // the case layer's rows, in its order
	routes   mapview.Layer  // the planner's rounds, or nil
}

// all lists the layers in drawing order.
func (ml *mapLayers) all() []mapview.Layer {
	var ls []mapview.Layer
	ls = append(ls, ml.gridL...)
	if ml.heatL != nil {
		ls = append(ls, ml.heatL)
	}
	ls = append(ls, ml.entityL...)
	for _, l := range []mapview.Layer{ml.caseL, ml.routes} {
		if l != nil {
			ls = append(ls, l)
		}
	}
	return ls
}

// entity resolves a hit on an entity layer.
func (ml *mapLayers) entity(h mapview.Hit) (domain.Entity, bool) {
	idx := ml.entityAt[h.Layer]
	if h.Index < 0 || h.Index >= len(idx) {
		return domain.Entity{}, false
	}
	return ml.entities[idx[h.Index]], true
}

// gridsOf lists the grids of the given layers.
func (ml *mapLayers) gridsOf(layerIDs ...string) []domain.Grid {
	var gs []domain.Grid
	for _, id := range layerIDs {
		gs = append(gs, ml.grids[id]...)
	}
	return gs
}

// setGrids builds the grid layers, one per level.
func (ml *mapLayers) setGrids(grids []domain.Grid) {
	ml.gridL, ml.grids, ml.bound = nil, map[string][]domain.Grid{}, orb.Bound{}
	byLevel := map[string][]domain.Grid{}
	for i, g := range grids {
		byLevel[g.Level] = append(byLevel[g.Level], g)
		if i == 0 {
			ml.bound = g.Geometry.Bound()
		} else {
			ml.bound = ml.bound.Union(g.Geometry.Bound())
		}
	}
	ids := map[string]string{domain.LevelEnforcement: layerEnforcement, domain.LevelInspection: layerInspection, domain.LevelBase: layerBase, domain.LevelMicro: layerMicro}
	for _, level := range []string{domain.LevelBase, domain.LevelMicro, domain.LevelInspection, domain.LevelEnforcement} {
		gs := byLevel[level]
		polys := make([]orb.MultiPolygon, len(gs))
		names := make([]string, len(gs))
		for i, g := range gs {
			polys[i], names[i] = g.Geometry, g.Name
		}
		l := &mapview.PolygonLayer{ID: ids[level], Polygons: polys, Styles: []mapview.Style{gridStyles[level]},
			Labels: names, LabelStyle: labelStyles[level], LabelMinZoom: labelZoom[level]}
		if level == domain.LevelMicro {
			l.MinZoom = 13.5 // micro grids only where they can be told apart
		}
		ml.gridL = append(ml.gridL, l)
		ml.grids[ids[level]] = gs
	}
}

// setHeat builds the hazard-density layer.
func (ml *mapLayers) setHeat(hazards []orb.Point) {
	ml.heatL = &mapview.HeatLayer{ID: layerHeat, Points: hazards, Radius: 28}
}

// setEntities builds the entity layers. Green and yellow entities cluster
// below zoom 12.5 (a whole city; a town fits above it, dot by dot), a
// cluster coloured by its majority; red entities are never folded into a
// cluster, so what is red shows at a glance at any zoom.
func (ml *mapLayers) setEntities(entities []domain.Entity) {
	ml.entities, ml.entityAt = entities, map[string][]int{}
	var pts, red []orb.Point
	var styles, redStyles []mapview.Style
	for i, e := range entities {
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
	ml.entityL = []mapview.Layer{&mapview.PointLayer{ID: layerEntities, Points: pts, Styles: styles, Cluster: true, ClusterBelowZoom: 12.5},
		&mapview.PointLayer{ID: layerRed, Points: red, Styles: redStyles, MinZoom: 12.5},
		&mapview.PointLayer{ID: layerRedSpecks, Points: red, Styles: specks, MaxZoom: 12.5}}
	ml.entityAt[layerRedSpecks] = ml.entityAt[layerRed]
}

// setCases builds the case layer: a diamond per open case in the colour of
// its light; late and nearly late cases pulse; a case under a leader's
// oversight 督办件 is larger, ringed in seal red.
func (ml *mapLayers) setCases(rows []desk.CaseRow) {
	pts := make([]orb.Point, len(rows))
	styles := make([]mapview.Style, len(rows))
	for i, c := range rows {
		pts[i] = orb.Point{c.Lon, c.Lat}
		styles[i] = mapview.Style{Fill: lightColor(c.Light), Stroke: color.NRGBA{A: 0xff}, StrokeWidth: 1.5, Radius: 6, Shape: mapview.Diamond,
			Pulse: c.Overdue || c.DueSoon}
		if c.Supervision != nil {
			styles[i].Stroke, styles[i].StrokeWidth, styles[i].Radius = supervisedRing, 3, 8
		}
	}
	ml.caseL, ml.cases = &mapview.PointLayer{ID: layerCases, Points: pts, Styles: styles}, rows
}

// supervisedRing is the ring of a 督办件 on the map.
var supervisedRing = color.NRGBA{R: 0xc8, G: 0x1e, B: 0x1e, A: 0xff}
