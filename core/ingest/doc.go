// Package ingest reads the files team leaders bring from GIS and Excel
// (DESIGN.md §6): grid boundaries from GeoJSON, entity registers from CSV
// (UTF-8 with or without BOM, GBK/GB18030 as Excel on Chinese Windows
// writes it, UTF-16 "Unicode text") and XLSX, with coordinates in WGS-84,
// GCJ-02 or BD-09 converted to WGS-84.
//
// It writes nothing. Readers turn a file into validated records plus a
// RowError for every bad row, naming file, row (as Excel numbers it, the
// header being row 1; or the GeoJSON feature number), column and why.
// PreviewGrids and PreviewEntities compare the records with what GridDesk
// already holds (new, updated, unchanged, errors; entities located in
// their grids, those outside every grid listed), and Diff.Plan returns
// either every change or the errors, never part of it: an import lands
// whole or not at all.
package ingest
