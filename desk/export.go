package desk

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/xuri/excelize/v2"

	"griddesk/domain"
	"griddesk/domain/clock"
)

// Layers that ExportGeoJSON knows, besides "grids.<level>".
const (
	ExportEntities = "entities"
	ExportCases    = "cases"
)

// ExportGeoJSON writes one map layer as a GeoJSON FeatureCollection (WGS-84):
// "grids.base", "grids.micro", "grids.inspection", "grids.enforcement",
// "entities" or "cases" (open cases).
func (d *Desk) ExportGeoJSON(ctx context.Context, w io.Writer, layer string) error {
	fc := geojson.NewFeatureCollection()
	switch layer {
	case ExportEntities:
		es, err := d.cache.Entities(ctx)
		if err != nil {
			return fmt.Errorf("desk: export %s: %w", layer, err)
		}
		for _, e := range es {
			f := geojson.NewFeature(orb.Point{e.Lon, e.Lat})
			f.ID = e.ID
			f.Properties = geojson.Properties{"id": e.ID, "name": e.Name, "kind": e.Kind, "address": e.Address,
				"grid_id": e.GridID, "code": e.Code, "tags": e.Tags}
			fc.Append(f)
		}
	case ExportCases:
		rows, err := d.OpenCases(ctx, time.Now())
		if err != nil {
			return fmt.Errorf("desk: export %s: %w", layer, err)
		}
		for _, c := range rows {
			f := geojson.NewFeature(orb.Point{c.Lon, c.Lat})
			f.ID = c.ID
			f.Properties = geojson.Properties{"id": c.ID, "no": c.No, "title": c.Title, "category": c.Category,
				"status": c.Status, "grid": c.GridName, "unit": c.UnitName, "light": c.Light.String(), "reported_at": c.ReportedAt}
			fc.Append(f)
		}
	default:
		level, ok := map[string]string{"grids.base": domain.LevelBase, "grids.micro": domain.LevelMicro,
			"grids.inspection": domain.LevelInspection, "grids.enforcement": domain.LevelEnforcement}[layer]
		if !ok {
			return fmt.Errorf("desk: export: unknown layer %q", layer)
		}
		gs, err := d.cache.Grids(ctx)
		if err != nil {
			return fmt.Errorf("desk: export %s: %w", layer, err)
		}
		for _, g := range gs {
			if g.Level != level {
				continue
			}
			f := geojson.NewFeature(g.Geometry)
			f.ID = g.ID
			f.Properties = geojson.Properties{"id": g.ID, "name": g.Name, "level": g.Level, "parent_id": g.ParentID, "village": g.Village}
			fc.Append(f)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(fc); err != nil {
		return fmt.Errorf("desk: export %s: %w", layer, err)
	}
	return nil
}

var caseHeader = []string{"编号", "标题", "类别", "状态", "灯色", "网格", "单位", "来源", "上报时间", "经度", "纬度"}

func caseRecord(c CaseRow) []string {
	return []string{c.No, c.Title, c.CategoryInfo.Name, string(c.Status), c.Light.String(), c.GridName, c.UnitName, c.Source,
		c.ReportedAt.In(clock.Location()).Format("2006-01-02 15:04:05"), fmt.Sprintf("%.6f", c.Lon), fmt.Sprintf("%.6f", c.Lat)}
}

// WriteCasesCSV writes a case list as CSV (UTF-8 with a BOM, which Excel
// on Chinese Windows needs to read it as UTF-8).
func WriteCasesCSV(w io.Writer, rows []CaseRow) error {
	if _, err := w.Write([]byte("\ufeff")); err != nil {
		return fmt.Errorf("desk: cases csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Write(caseHeader)
	for _, r := range rows {
		cw.Write(caseRecord(r))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("desk: cases csv: %w", err)
	}
	return nil
}

// WriteCasesXLSX writes a case list as an Excel workbook.
func WriteCasesXLSX(w io.Writer, rows []CaseRow) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "案件"
	f.SetSheetName("Sheet1", sheet)
	for i, h := range caseHeader {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellValue(sheet, cell, h)
	}
	for r, c := range rows {
		for i, v := range caseRecord(c) {
			cell, _ := excelize.CoordinatesToCellName(i+1, r+2)
			f.SetCellValue(sheet, cell, v)
		}
	}
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	if err := f.Write(w); err != nil {
		return fmt.Errorf("desk: cases xlsx: %w", err)
	}
	return nil
}
