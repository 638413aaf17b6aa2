package gpkg

import (
	"fmt"
	"strings"
)

// GeoPackage identity (GeoPackage 1.3, requirements 2 and 3): "GPKG" in the
// SQLite header's application_id and the spec version in user_version.
const (
	applicationID = 0x47504B47 // "GPKG"
	userVersion   = 10300      // GeoPackage 1.3.0
	minVersion    = 10200      // oldest GeoPackage user_version Open accepts
	srsWGS84      = 4326
)

// FormatVersion is the snapshot layout this build writes; Open refuses newer
// ones with ErrUnsupported. Version 2 carries published inspection plans
// and their visits (version 1 had an always-empty, differently shaped
// plans table, which readers skip). Version 3 carries inspection photos: a
// photos column on inspections and findings and a photos table with the
// bytes. Version 4 carries the callers' satisfaction on cases. Version 5
// carries the daily work (issue 17): a case's address, 12345 work order,
// callers (masked: a snapshot leaves the system), the case a repeat report
// was merged into and a leader's oversight 督办, and the structured part of
// urges, merges and callbacks in the timeline.
const FormatVersion = 5

// formatName is the griddesk_metadata "format" value of every snapshot.
const formatName = "griddesk-snapshot"

const wgs84WKT = `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`

// coreDDL creates the GeoPackage core tables (spec 1.3, annex C) and the
// three spatial reference systems every GeoPackage must hold.
var coreDDL = []string{
	`CREATE TABLE gpkg_spatial_ref_sys (
		srs_name TEXT NOT NULL,
		srs_id INTEGER PRIMARY KEY,
		organization TEXT NOT NULL,
		organization_coordsys_id INTEGER NOT NULL,
		definition TEXT NOT NULL,
		description TEXT)`,
	`CREATE TABLE gpkg_contents (
		table_name TEXT NOT NULL PRIMARY KEY,
		data_type TEXT NOT NULL,
		identifier TEXT UNIQUE,
		description TEXT DEFAULT '',
		last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
		min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
		srs_id INTEGER,
		CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`,
	`CREATE TABLE gpkg_geometry_columns (
		table_name TEXT NOT NULL,
		column_name TEXT NOT NULL,
		geometry_type_name TEXT NOT NULL,
		srs_id INTEGER NOT NULL,
		z TINYINT NOT NULL,
		m TINYINT NOT NULL,
		CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
		CONSTRAINT uk_gc_table_name UNIQUE (table_name),
		CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
		CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`,
	`CREATE TABLE gpkg_extensions (
		table_name TEXT,
		column_name TEXT,
		extension_name TEXT NOT NULL,
		definition TEXT NOT NULL,
		scope TEXT NOT NULL,
		CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))`,
	`INSERT INTO gpkg_spatial_ref_sys VALUES
		('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
		('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
		('WGS 84 geodetic', 4326, 'EPSG', 4326, '` + wgs84WKT + `', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')`,
}

// column is one column of a snapshot table, typed with GeoPackage's column
// types (spec 1.3, table 1): TEXT, INTEGER, DOUBLE, BOOLEAN, DATETIME and the
// geometry type names. Lists are JSON text; times are DATETIME text
// (ISO 8601, UTC, milliseconds) and NULL when unset.
type column struct {
	name string
	typ  string
}

// table describes one user data table of a snapshot.
type table struct {
	name     string
	geomType string // POINT or MULTIPOLYGON for feature tables; "" for attributes
	desc     string
	cols     []column // after fid (and geom for features)
	index    []string // columns to index for the snapshot's reads
	since    int      // the FormatVersion that introduced this layout (0 = 1)
	// added names the columns a later FormatVersion added to the layout,
	// with that version; older snapshots lack them.
	added map[string]int
}

// in reports whether a snapshot of format version v carries the table in
// this layout.
func (t table) in(v int) bool { return t.since <= v }

// has reports whether a snapshot of format version v has the column c.
func (t table) has(c column, v int) bool { return t.added[c.name] <= v }

func (t table) features() bool { return t.geomType != "" }

// dataType is the table's gpkg_contents data_type.
func (t table) dataType() string {
	if t.features() {
		return "features"
	}
	return "attributes"
}

// ddl returns the statements creating the table and its indexes. Every
// table has the integer primary key GeoPackage requires (fid); GridDesk's
// own text IDs are a unique column beside it.
func (t table) ddl() []string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s (\n\tfid INTEGER PRIMARY KEY AUTOINCREMENT", t.name)
	if t.features() {
		fmt.Fprintf(&b, ",\n\tgeom %s NOT NULL", t.geomType)
	}
	for _, c := range t.cols {
		fmt.Fprintf(&b, ",\n\t%s %s", c.name, c.typ)
	}
	b.WriteString(")")
	out := []string{b.String()}
	for _, col := range t.index {
		out = append(out, fmt.Sprintf("CREATE INDEX %s_%s ON %s(%s)", t.name, col, t.name, col))
	}
	return out
}

// insertSQL is the table's INSERT statement, without fid.
func (t table) insertSQL() string {
	names := make([]string, 0, len(t.cols)+1)
	if t.features() {
		names = append(names, "geom")
	}
	for _, c := range t.cols {
		names = append(names, c.name)
	}
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", t.name, strings.Join(names, ", "),
		strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", "))
}

// selectCols lists the columns a reader scans in a snapshot of format
// version v, geom first for features. A column the version lacks reads as
// NULL, which the scanners take as the empty value.
func (t table) selectCols(v int) string {
	names := make([]string, 0, len(t.cols)+1)
	if t.features() {
		names = append(names, "geom")
	}
	for _, c := range t.cols {
		if t.has(c, v) {
			names = append(names, c.name)
		} else {
			names = append(names, "NULL AS "+c.name)
		}
	}
	return strings.Join(names, ", ")
}

const (
	text     = "TEXT NOT NULL DEFAULT ''"
	textID   = "TEXT NOT NULL UNIQUE"
	jsonList = "TEXT NOT NULL DEFAULT '[]'"
	datetime = "DATETIME"
	integer  = "INTEGER NOT NULL DEFAULT 0"
	double   = "DOUBLE NOT NULL DEFAULT 0"
	boolean  = "BOOLEAN NOT NULL DEFAULT 0"
	blob     = "BLOB NOT NULL"
)

// Snapshot tables. The column order is the order writers and readers use.
var (
	gridsTable = table{name: "grids", geomType: "MULTIPOLYGON", desc: "GridDesk grids 网格 (boundaries)", cols: []column{
		{"id", textID}, {"name", "TEXT NOT NULL"}, {"level", "TEXT NOT NULL"}, {"parent_id", text},
		{"village", text}, {"updated_at", datetime},
	}, index: []string{"level"}}
	entitiesTable = table{name: "entities", geomType: "POINT", desc: "GridDesk entities 监管对象", cols: []column{
		{"id", textID}, {"kind", "TEXT NOT NULL"}, {"name", "TEXT NOT NULL"}, {"address", text},
		{"grid_id", text}, {"tags", jsonList}, {"code", "TEXT NOT NULL"}, {"qr_token", text}, {"updated_at", datetime},
	}, index: []string{"grid_id"}}
	casesTable = table{name: "cases", geomType: "POINT", desc: "GridDesk cases 事件", cols: []column{
		{"id", textID}, {"no", text}, {"title", "TEXT NOT NULL"}, {"description", text}, {"category", "TEXT NOT NULL"},
		{"source", text}, {"grid_id", text}, {"entity_id", text}, {"status", "TEXT NOT NULL"}, {"priority", text},
		{"policy", text}, {"unit_id", text}, {"reporter", text}, {"reported_at", "DATETIME NOT NULL"},
		{"closed_at", datetime}, {"version", integer}, {"updated_at", datetime}, {"satisfaction", text},
		{"address", text}, {"work_order", text}, {"callers", jsonList}, {"merged_into", text}, {"supervision", text},
	}, index: []string{"status", "reported_at"}, added: map[string]int{"satisfaction": 4,
		"address": 5, "work_order": 5, "callers": 5, "merged_into": 5, "supervision": 5}}
	unitsTable = table{name: "units", desc: "departments, teams, squads and stations", cols: []column{
		{"id", textID}, {"name", "TEXT NOT NULL"}, {"kind", "TEXT NOT NULL"}, {"department", text},
		{"parent_id", text}, {"grid_ids", jsonList}, {"updated_at", datetime},
	}}
	usersTable = table{name: "users", desc: "people and systems named in timelines (no credentials)", cols: []column{
		{"id", textID}, {"username", "TEXT NOT NULL"}, {"name", text}, {"role", "TEXT NOT NULL"},
		{"unit_id", text}, {"disabled", boolean}, {"updated_at", datetime},
	}}
	tasksTable = table{name: "tasks", desc: "work orders of cases", cols: []column{
		{"id", textID}, {"case_id", "TEXT NOT NULL"}, {"unit_id", "TEXT NOT NULL"}, {"status", "TEXT NOT NULL"},
		{"created_at", datetime}, {"due_at", datetime}, {"updated_at", datetime},
	}, index: []string{"case_id"}}
	actionsTable = table{name: "case_actions", desc: "case timelines (the audit trail)", cols: []column{
		{"id", textID}, {"case_id", "TEXT NOT NULL"}, {"action", "TEXT NOT NULL"}, {"from_status", text},
		{"to_status", text}, {"actor", text}, {"at", "DATETIME NOT NULL"}, {"note", text}, {"photos", jsonList},
		{"updated_at", datetime}, {"detail", text},
	}, index: []string{"case_id"}, added: map[string]int{"detail": 5}}
	inspectionsTable = table{name: "inspections", desc: "inspection visits and their results", cols: []column{
		{"id", textID}, {"entity_id", "TEXT NOT NULL"}, {"team_id", text}, {"inspector", text},
		{"at", "DATETIME NOT NULL"}, {"status", "TEXT NOT NULL"}, {"results", jsonList}, {"photos", jsonList},
		{"code_before", text}, {"code_after", text}, {"reviewed_by", text}, {"reviewed_at", datetime},
		{"updated_at", datetime},
	}, index: []string{"entity_id"}, added: map[string]int{"photos": 3}}
	findingsTable = table{name: "findings", desc: "hazards 隐患 found at inspections", cols: []column{
		{"id", textID}, {"inspection_id", "TEXT NOT NULL"}, {"entity_id", "TEXT NOT NULL"}, {"item_id", "TEXT NOT NULL"},
		{"severity", "TEXT NOT NULL"}, {"description", text}, {"deadline", datetime}, {"status", "TEXT NOT NULL"},
		{"rectified_at", datetime}, {"photos", jsonList}, {"updated_at", datetime},
	}, index: []string{"entity_id"}, added: map[string]int{"photos": 3}}
	checkItemsTable = table{name: "check_items", desc: "the joint checklist 综合查一次", cols: []column{
		{"id", textID}, {"department", "TEXT NOT NULL"}, {"domain", text}, {"name", "TEXT NOT NULL"},
		{"kinds", jsonList}, {"tags", jsonList}, {"method", text}, {"minutes", double},
		{"frequency_days", integer}, {"key_domain", boolean}, {"legal_basis", text}, {"updated_at", datetime},
	}}
	plansTable = table{name: "plans", desc: "published inspection round plans", since: 2, cols: []column{
		{"id", textID}, {"title", "TEXT NOT NULL"}, {"team_id", text}, {"start", "DATETIME NOT NULL"},
		{"end", "DATETIME NOT NULL"}, {"summary", "TEXT NOT NULL DEFAULT '{}'"}, {"published_by", text},
		{"published_at", datetime}, {"updated_at", datetime},
	}}
	visitsTable = table{name: "visits", desc: "planned inspection visits: a team, an entity, a day", since: 2, cols: []column{
		{"id", textID}, {"plan_id", "TEXT NOT NULL"}, {"team_id", "TEXT NOT NULL"}, {"entity_id", "TEXT NOT NULL"},
		{"day", "DATETIME NOT NULL"}, {"seq", integer}, {"items", jsonList}, {"departments", jsonList},
		{"minutes", double}, {"joint", boolean}, {"status", "TEXT NOT NULL"}, {"updated_at", datetime},
	}, index: []string{"plan_id"}}
	// photosTable holds the bytes of the photos the snapshot's inspections
	// and findings name (those the exporting store had), by ID: the hex
	// SHA-256 of data; rendition is the photo scaled down for reports
	// (domain/photo.Rendition), NULL when data is small enough.
	photosTable = table{name: "photos", desc: "photos taken at inspections and rectifications", since: 3, cols: []column{
		{"id", textID}, {"mime", "TEXT NOT NULL"}, {"width", integer}, {"height", integer}, {"data", blob},
		{"rendition", "BLOB"}, {"created_at", datetime},
	}}
	metadataTable = table{name: "griddesk_metadata", desc: "what this GridDesk snapshot holds, when and from where", cols: []column{
		{"key", textID}, {"value", text},
	}}
)

// allTables lists every snapshot table in creation order.
var allTables = []table{
	gridsTable, entitiesTable, casesTable,
	unitsTable, usersTable, tasksTable, actionsTable, inspectionsTable, findingsTable, checkItemsTable, plansTable,
	visitsTable, photosTable, metadataTable,
}

// rtreeName is the R-tree index table of a feature table's geometry.
func rtreeName(t string) string { return "rtree_" + t + "_geom" }

// rtreeTable creates the R-tree index of a feature table's geometry column
// (GeoPackage 1.3, annex F.3); the exporter fills it as it writes features.
func rtreeTable(t string) string {
	return fmt.Sprintf(`CREATE VIRTUAL TABLE %s USING rtree(id, minx, maxx, miny, maxy)`, rtreeName(t))
}

// rtreeTriggers registers the index as an extension and creates the
// triggers that keep it current when a GIS tool edits the table. The
// triggers call ST_* functions that GIS tools register; they never fire
// here, since they are created after the rows are written and snapshots are
// opened read-only.
func rtreeTriggers(t string) []string {
	r := rtreeName(t)
	values := "NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)"
	return []string{
		fmt.Sprintf(`CREATE TRIGGER %[1]s_insert AFTER INSERT ON %[2]s
			WHEN (NEW.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
			BEGIN INSERT OR REPLACE INTO %[1]s VALUES (%[3]s); END`, r, t, values),
		fmt.Sprintf(`CREATE TRIGGER %[1]s_update1 AFTER UPDATE OF geom ON %[2]s
			WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
			BEGIN INSERT OR REPLACE INTO %[1]s VALUES (%[3]s); END`, r, t, values),
		fmt.Sprintf(`CREATE TRIGGER %[1]s_update2 AFTER UPDATE OF geom ON %[2]s
			WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
			BEGIN DELETE FROM %[1]s WHERE id = OLD.fid; END`, r, t),
		fmt.Sprintf(`CREATE TRIGGER %[1]s_update3 AFTER UPDATE ON %[2]s
			WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
			BEGIN DELETE FROM %[1]s WHERE id = OLD.fid; INSERT OR REPLACE INTO %[1]s VALUES (%[3]s); END`, r, t, values),
		fmt.Sprintf(`CREATE TRIGGER %[1]s_update4 AFTER UPDATE ON %[2]s
			WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
			BEGIN DELETE FROM %[1]s WHERE id IN (OLD.fid, NEW.fid); END`, r, t),
		fmt.Sprintf(`CREATE TRIGGER %[1]s_delete AFTER DELETE ON %[2]s
			WHEN OLD.geom NOT NULL
			BEGIN DELETE FROM %[1]s WHERE id = OLD.fid; END`, r, t),
		fmt.Sprintf(`INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
			VALUES ('%s', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`, t),
	}
}
