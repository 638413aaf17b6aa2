package gpkg

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Metadata says what a snapshot holds, when and from where it was exported.
// It is the griddesk_metadata table, one key per field.
type Metadata struct {
	FormatVersion int    // snapshot layout (FormatVersion when written by this build)
	SchemaVersion int    // the exporting store's schema version
	Title         string // what, in the user's words: "临浦镇 2026 Q3 review"
	ExportedAt    time.Time
	ExportedBy    string // user name or ID
	Server        string // URL of the server the data came from ("" = local demo)
	ServerID      string // that server's identity (meta "server.id")

	// Scope: which grids (empty = the whole town) and which report/visit
	// times [From, To) (zero = unbounded).
	Grids    []string
	From, To time.Time

	Counts map[string]int // rows per kind (store.Kind* and "plan")
}

// Metadata keys in griddesk_metadata.
const (
	keyFormat        = "format"
	keyFormatVersion = "format_version"
	keySchemaVersion = "schema_version"
	keyTitle         = "title"
	keyExportedAt    = "exported_at"
	keyExportedBy    = "exported_by"
	keyServer        = "server"
	keyServerID      = "server_id"
	keyScopeGrids    = "scope_grids"
	keyScopeFrom     = "scope_from"
	keyScopeTo       = "scope_to"
	keyCounts        = "counts"
)

// pairs returns the metadata as key/value rows.
func (m Metadata) pairs() [][2]string {
	grids, _ := json.Marshal(nonNil(m.Grids))
	counts, _ := json.Marshal(m.Counts)
	return [][2]string{
		{keyFormat, formatName},
		{keyFormatVersion, strconv.Itoa(m.FormatVersion)},
		{keySchemaVersion, strconv.Itoa(m.SchemaVersion)},
		{keyTitle, m.Title},
		{keyExportedAt, timeText(m.ExportedAt)},
		{keyExportedBy, m.ExportedBy},
		{keyServer, m.Server},
		{keyServerID, m.ServerID},
		{keyScopeGrids, string(grids)},
		{keyScopeFrom, timeText(m.From)},
		{keyScopeTo, timeText(m.To)},
		{keyCounts, string(counts)},
	}
}

// parseMetadata reads the key/value rows back. A file without the format
// key is not a GridDesk snapshot.
func parseMetadata(kv map[string]string) (Metadata, error) {
	var m Metadata
	if f, ok := kv[keyFormat]; !ok || f != formatName {
		return m, fmt.Errorf("%w: griddesk_metadata has format %q, want %q", ErrNotSnapshot, f, formatName)
	}
	var err error
	if m.FormatVersion, err = strconv.Atoi(kv[keyFormatVersion]); err != nil || m.FormatVersion < 1 {
		return m, fmt.Errorf("%w: format_version %q is not a positive number", ErrCorrupt, kv[keyFormatVersion])
	}
	if m.FormatVersion > FormatVersion {
		return m, fmt.Errorf("%w: snapshot format %d is newer than this program's (%d); update GridDesk",
			ErrUnsupported, m.FormatVersion, FormatVersion)
	}
	if v := kv[keySchemaVersion]; v != "" {
		if m.SchemaVersion, err = strconv.Atoi(v); err != nil {
			return m, fmt.Errorf("%w: schema_version %q is not a number", ErrCorrupt, v)
		}
	}
	m.Title, m.ExportedBy, m.Server, m.ServerID = kv[keyTitle], kv[keyExportedBy], kv[keyServer], kv[keyServerID]
	for _, f := range []struct {
		key string
		dst *time.Time
	}{{keyExportedAt, &m.ExportedAt}, {keyScopeFrom, &m.From}, {keyScopeTo, &m.To}} {
		if *f.dst, err = parseTime(kv[f.key]); err != nil {
			return m, fmt.Errorf("%w: metadata %s: %w", ErrCorrupt, f.key, err)
		}
	}
	if v := kv[keyScopeGrids]; v != "" {
		if err := json.Unmarshal([]byte(v), &m.Grids); err != nil {
			return m, fmt.Errorf("%w: metadata scope_grids: %w", ErrCorrupt, err)
		}
		if len(m.Grids) == 0 {
			m.Grids = nil
		}
	}
	if v := kv[keyCounts]; v != "" && v != "null" {
		if err := json.Unmarshal([]byte(v), &m.Counts); err != nil {
			return m, fmt.Errorf("%w: metadata counts: %w", ErrCorrupt, err)
		}
	}
	return m, nil
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// timeLayout is GeoPackage's DATETIME form (ISO 8601, UTC, milliseconds).
// Fixed width, so text order is time order.
const timeLayout = "2006-01-02T15:04:05.000Z"

// timeText formats t for a DATETIME column; the zero time is "".
func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// timeValue is t for a DATETIME column; the zero time is NULL.
func timeValue(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return timeText(t)
}

// parseTime reads a DATETIME value back to millisecond precision, in the
// same representation as the store's (time.UnixMilli), so values compare
// equal with the store's. "" is the zero time. DATE values are accepted.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return time.UnixMilli(t.UnixMilli()), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date-time", s)
}
