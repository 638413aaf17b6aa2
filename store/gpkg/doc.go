// Package gpkg writes and reads GridDesk snapshots: one OGC GeoPackage file
// (.gpkg, GeoPackage 1.3, EPSG:4326) holding a town's state for offline
// review (DESIGN.md §6).
//
// A snapshot has feature tables for grids (MULTIPOLYGON), entities and cases
// (POINT) with GeoPackage binary geometries and an R-tree spatial index, so
// QGIS and GDAL open it as three layers; attribute tables for units, users,
// tasks, case actions, inspections, findings, check items, plans and visits;
// a photos table with the bytes of the photos the inspections and findings
// name; and a griddesk_metadata table saying what the file holds, when and
// from which server it was exported.
//
// Snapshots of older formats (FormatVersion) still open: a table a format
// introduced (table.since) or a column it added to a table (table.added) is
// read as empty from a file of an older format.
//
// Export writes a snapshot from a store (whole town, or some grids and a time
// range). Open validates a file and reads it read-only through Snapshot,
// whose methods mirror the store's reads. OpenReview loads a snapshot into a
// private, throw-away store so every desk screen works on it unchanged while
// the desk's own cache stays untouched.
package gpkg
