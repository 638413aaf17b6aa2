package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"griddesk/domain"
	"griddesk/domain/geo"
)

// GridMapping says which GeoJSON feature properties give a grid's fields.
type GridMapping struct {
	// ID, Name, Level and Parent name properties. ID "" uses the
	// Feature's own "id" member. Level "" needs FixedLevel. Parent ""
	// imports grids without parents; a mapped Parent property may be
	// null or empty for a top-level grid.
	ID, Name, Level, Parent string
	// Village optionally names a property with the grid's village.
	Village string
	// FixedLevel gives every grid this level when Level is "".
	FixedLevel string
	// LevelValues maps property values to levels, on top of
	// DefaultLevelValues (基础网格→base, 微网格→micro, 检查网格→inspection,
	// 执法保障网格→enforcement …).
	LevelValues map[string]string
	// CRS is the coordinates' system; "" is WGS-84 (as RFC 7946 says).
	CRS geo.CRS
	// AllowSelfIntersection skips the check that no ring crosses itself.
	AllowSelfIntersection bool
	// OrphansAtTop imports a grid whose mapped parent is neither in the file
	// nor in GridDesk as a top-level grid (a district file of the DataV
	// layout names its city as parent) instead of refusing it.
	OrphansAtTop bool
}

// Property names may reach into nested objects with dots: "parent.adcode"
// is the member adcode of the object property parent (the DataV layout).
// A property whose own name has a dot is found first.

// ImportGrids reads grid boundaries from a GeoJSON FeatureCollection of
// Polygon and MultiPolygon features (holes and multipart grids kept). It
// returns every grid, in WGS-84, or an error: Errors listing every bad
// feature, or an ErrFormat/ErrMapping error about the whole file. It never
// returns part of a file.
func ImportGrids(r io.Reader, name string, m GridMapping) ([]domain.Grid, error) {
	b, err := ReadGrids(r, name, m)
	if err != nil {
		return nil, err
	}
	if len(b.Errors) > 0 {
		return nil, Errors(b.Errors)
	}
	return b.Records, nil
}

// ReadGrids reads like ImportGrids but returns the good features and the
// bad ones side by side, for PreviewGrids.
func ReadGrids(r io.Reader, name string, m GridMapping) (Batch[domain.Grid], error) {
	b, err := readGrids(r, name, m)
	if err != nil {
		return Batch[domain.Grid]{}, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}

// rawFeature is a GeoJSON Feature decoded lazily, so one bad geometry is
// that feature's error, not the file's.
type rawFeature struct {
	Type       string                     `json:"type"`
	ID         json.RawMessage            `json:"id"`
	Properties map[string]json.RawMessage `json:"properties"`
	Geometry   json.RawMessage            `json:"geometry"`
}

func readGrids(r io.Reader, name string, m GridMapping) (Batch[domain.Grid], error) {
	out := Batch[domain.Grid]{File: name, OrphansAtTop: m.OrphansAtTop, Columns: map[string]string{
		"id": propOrID(m.ID), "name": m.Name, "level": m.Level, "parent": m.Parent, "village": m.Village,
	}}
	crs := m.CRS
	if crs == "" {
		crs = geo.WGS84
	}
	if !crs.Valid() {
		return out, fmt.Errorf("%w: coordinate system %q is not wgs84, gcj02 or bd09", ErrMapping, m.CRS)
	}
	if m.Name == "" {
		return out, fmt.Errorf("%w: no property mapped to Name", ErrMapping)
	}
	levels := newValueMap(DefaultLevelValues, m.LevelValues)
	fixedLevel := ""
	if m.Level == "" {
		var ok bool
		if fixedLevel, ok = levels.get(m.FixedLevel); !ok {
			return out, fmt.Errorf("%w: map a Level property or give a FixedLevel (base, micro, inspection, enforcement)", ErrMapping)
		}
	}
	data, err := readAll(r)
	if err != nil {
		return out, err
	}
	features, err := splitFeatures(data)
	if err != nil {
		return out, err
	}
	if len(features) == 0 {
		return out, fmt.Errorf("%w: the FeatureCollection has no features", ErrFormat)
	}
	// A mapped property that no feature has is a mapping mistake, told
	// once rather than on every feature.
	for _, prop := range []string{m.ID, m.Name, m.Level, m.Parent, m.Village} {
		if prop != "" && !anyHas(features, prop) {
			return out, fmt.Errorf("%w: no feature has a property %q (the first has: %s)", ErrMapping, prop, propNames(features[0]))
		}
	}
	seen := map[string]int{}
	for i, raw := range features {
		fr := featureReader{file: name, n: i + 1}
		g, ok := fr.grid(raw, m, levels, fixedLevel, crs)
		if ok {
			if first, dup := seen[g.ID]; dup {
				fr.fail(propOrID(m.ID), g.ID, fmt.Sprintf("duplicate ID, first used by feature %d", first))
			} else {
				seen[g.ID] = i + 1
			}
		}
		if len(fr.errs) > 0 {
			out.Errors = append(out.Errors, fr.errs...)
			continue
		}
		out.Records = append(out.Records, g)
		out.Rows = append(out.Rows, i+1)
	}
	return out, nil
}

func propOrID(p string) string {
	if p == "" {
		return "id"
	}
	return p
}

// splitFeatures parses the file's JSON down to its features' raw text.
func splitFeatures(data []byte) ([]json.RawMessage, error) {
	data = bytes.TrimPrefix(data, bomUTF8)
	if !utf8.Valid(data) {
		// GIS tools on Chinese Windows sometimes write GBK despite RFC 7946.
		text, _, err := decodeText(data, EncodingGBK)
		if err != nil {
			return nil, err
		}
		data = []byte(text)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrFormat)
	}
	if trimmed[0] != '{' {
		line, _, _ := strings.Cut(string(trimmed[:min(len(trimmed), 80)]), "\n")
		return nil, fmt.Errorf("%w: not GeoJSON: it starts with %q", ErrFormat, shorten(strings.ToValidUTF8(line, "")))
	}
	var top struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, jsonError(data, err)
	}
	switch top.Type {
	case "FeatureCollection":
		return top.Features, nil
	case "Feature":
		return []json.RawMessage{data}, nil
	case "":
		return nil, fmt.Errorf("%w: not GeoJSON (no \"type\" member)", ErrFormat)
	}
	return nil, fmt.Errorf("%w: GeoJSON %s; want a FeatureCollection of Polygon/MultiPolygon features", ErrFormat, top.Type)
}

// jsonError describes a JSON decoding error with its line and column.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se) && int(se.Offset) >= len(bytes.TrimRight(data, " \t\r\n")):
		return fmt.Errorf("%w: the file ends early (truncated?)", ErrFormat)
	case errors.As(err, &se):
		line, col := lineCol(data, int(se.Offset))
		return fmt.Errorf("%w: not valid JSON at line %d, column %d: %v", ErrFormat, line, col, se)
	case errors.As(err, &te):
		line, col := lineCol(data, int(te.Offset))
		want := te.Type.String()
		switch te.Type.Kind() {
		case reflect.Slice:
			want = "a list"
		case reflect.Map, reflect.Struct:
			want = "an object"
		case reflect.String:
			want = "text"
		}
		return fmt.Errorf("%w: line %d, column %d: %q is a JSON %s, want %s", ErrFormat, line, col, te.Field, te.Value, want)
	case strings.Contains(err.Error(), "unexpected end of JSON input"):
		return fmt.Errorf("%w: the file ends early (truncated?)", ErrFormat)
	}
	return fmt.Errorf("%w: %w", ErrFormat, err)
}

func lineCol(data []byte, off int) (int, int) {
	off = min(max(off, 0), len(data))
	line := bytes.Count(data[:off], []byte("\n")) + 1
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}

func anyHas(features []json.RawMessage, prop string) bool {
	for _, raw := range features {
		var f struct {
			Properties map[string]json.RawMessage `json:"properties"`
		}
		if json.Unmarshal(raw, &f) == nil {
			if _, ok := lookupProp(f.Properties, prop); ok {
				return true
			}
		}
	}
	return false
}

// lookupProp finds a property by name, or by a dotted path into nested
// objects ("parent.adcode").
func lookupProp(props map[string]json.RawMessage, name string) (json.RawMessage, bool) {
	if raw, ok := props[name]; ok {
		return raw, true
	}
	head, rest, dotted := strings.Cut(name, ".")
	if !dotted {
		return nil, false
	}
	raw, ok := props[head]
	if !ok {
		return nil, false
	}
	var inner map[string]json.RawMessage
	if json.Unmarshal(raw, &inner) != nil || inner == nil {
		return nil, false
	}
	return lookupProp(inner, rest)
}

func propNames(raw json.RawMessage) string {
	var f struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(raw, &f) != nil || len(f.Properties) == 0 {
		return "no properties"
	}
	names := make([]string, 0, len(f.Properties))
	for k := range f.Properties {
		names = append(names, k)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// featureReader reads one feature, collecting its problems.
type featureReader struct {
	file string
	n    int
	errs []RowError
}

func (r *featureReader) fail(prop, value, reason string) {
	r.errs = append(r.errs, RowError{File: r.file, Row: r.n, Feature: true, Column: prop, Value: shorten(value), Reason: reason})
}

func (r *featureReader) grid(raw json.RawMessage, m GridMapping, levels valueMap, fixedLevel string, crs geo.CRS) (domain.Grid, bool) {
	var f rawFeature
	if err := json.Unmarshal(raw, &f); err != nil {
		r.fail("", "", "not a GeoJSON Feature: "+err.Error())
		return domain.Grid{}, false
	}
	if f.Type != "Feature" {
		r.fail("", f.Type, "not a Feature")
		return domain.Grid{}, false
	}
	var g domain.Grid
	if m.ID == "" {
		g.ID = r.scalar("id", f.ID, true, true)
	} else {
		g.ID = r.prop(f.Properties, m.ID, true)
	}
	g.Name = r.prop(f.Properties, m.Name, true)
	g.Level = fixedLevel
	if m.Level != "" {
		if v := r.prop(f.Properties, m.Level, true); v != "" {
			level, ok := levels.get(v)
			if !ok {
				r.fail(m.Level, v, fmt.Sprintf("not a grid level (known: %s)", levels.allowed()))
			}
			g.Level = level
		}
	}
	if m.Parent != "" {
		g.ParentID = r.prop(f.Properties, m.Parent, false)
		if g.ParentID != "" && g.ParentID == g.ID {
			r.fail(m.Parent, g.ParentID, "a grid cannot be its own parent")
		}
	}
	if m.Village != "" {
		g.Village = r.prop(f.Properties, m.Village, false)
	}
	g.Geometry = r.boundary(f.Geometry, m.AllowSelfIntersection)
	if len(r.errs) > 0 {
		return g, g.ID != ""
	}
	for pi := range g.Geometry {
		for ri := range g.Geometry[pi] {
			for k, p := range g.Geometry[pi][ri] {
				g.Geometry[pi][ri][k] = geo.ToWGS84(crs, p)
			}
		}
	}
	return g, true
}

// prop reads a property as text. A missing property is an error; null
// is "" (an error only when required).
func (r *featureReader) prop(props map[string]json.RawMessage, name string, required bool) string {
	raw, ok := lookupProp(props, name)
	if !ok {
		r.fail(name, "", "missing")
		return ""
	}
	return r.scalar(name, raw, required, false)
}

// scalar reads a JSON string, number or boolean as text.
func (r *featureReader) scalar(name string, raw json.RawMessage, required, isID bool) string {
	raw = bytes.TrimSpace(raw)
	var s string
	switch {
	case len(raw) == 0 || string(raw) == "null":
	case raw[0] == '"':
		if err := json.Unmarshal(raw, &s); err != nil {
			r.fail(name, string(raw), "not a string")
			return ""
		}
	case raw[0] == '{' || raw[0] == '[':
		r.fail(name, string(raw), "is an object or a list, want text")
		return ""
	default: // number or boolean: keep its text exactly
		s = string(raw)
	}
	s = strings.TrimSpace(s)
	if s == "" && required {
		if isID {
			r.fail(name, "", "the feature has no id: map an ID property")
		} else {
			r.fail(name, "", "empty")
		}
	}
	return s
}

// boundary decodes and checks the feature's geometry.
func (r *featureReader) boundary(raw json.RawMessage, allowSelfIntersection bool) orb.MultiPolygon {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		r.fail("geometry", "", "missing: a grid needs a Polygon or MultiPolygon boundary")
		return nil
	}
	geom, err := geojson.UnmarshalGeometry(raw)
	if err != nil {
		r.fail("geometry", "", "unreadable: "+err.Error())
		return nil
	}
	var mp orb.MultiPolygon
	switch v := geom.Geometry().(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{v}
	case orb.MultiPolygon:
		mp = v
	default:
		r.fail("geometry", "", fmt.Sprintf("is a %s; want Polygon or MultiPolygon", geom.Type))
		return nil
	}
	if len(mp) == 0 {
		r.fail("geometry", "", "has no polygons")
		return nil
	}
	for _, p := range checkBoundary(mp, allowSelfIntersection) {
		r.fail("geometry", "", p)
	}
	return mp
}
