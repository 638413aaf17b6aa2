package ingest

import (
	"fmt"
	"io"
	"strings"

	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/domain/geo"
)

// EntityMapping says which column holds what, by header text as it is in
// the file (matched ignoring case, spaces and full-width forms). ID, Name,
// Lon and Lat are required; Kind too unless FixedKind is set. Address, Tags
// and Code are optional: a column not mapped, or a blank cell, leaves the
// existing value alone on update (Preview merges).
type EntityMapping struct {
	ID, Name, Kind, Address, Lon, Lat, Tags, Code string

	// FixedKind gives every row this kind when Kind is not mapped.
	FixedKind string
	// CRS is the coordinates' system; "" is WGS-84. GCJ-02 (Amap,
	// Tencent) and BD-09 (Baidu) are converted to WGS-84.
	CRS geo.CRS
	// KindValues maps cell values to kinds, on top of DefaultKindValues
	// (商铺→shop, 企业→enterprise, 出租屋→rental, 三小场所→venue …).
	KindValues map[string]string
	// CodeValues maps cell values to colour codes, on top of
	// DefaultCodeValues (红/黄/绿 …).
	CodeValues map[string]string
}

// Options say how to read a register file.
type Options struct {
	// Format is FormatCSV or FormatXLSX; "" decides by content, then by
	// the file name's extension.
	Format string
	// Encoding of a CSV file: "" detects (UTF-8 with or without BOM,
	// UTF-16 with BOM, else GBK); EncodingUTF8, EncodingGBK … force one.
	Encoding string
	// Sheet of an XLSX workbook; "" is the first.
	Sheet string
}

// ImportEntities reads an entity register (CSV or XLSX). It returns the
// good rows as entities in WGS-84, with GridID and QRToken unset and Code,
// Address and Tags zero where the file gives none (PreviewEntities fills
// those in from the existing entity, the grids and defaults), and every
// bad row; err is for problems with the whole file (unreadable, a mapped
// column missing), and then nothing else is returned.
func ImportEntities(r io.Reader, name string, m EntityMapping, opts Options) ([]domain.Entity, []RowError, error) {
	b, err := ReadEntities(r, name, m, opts)
	if err != nil {
		return nil, nil, err
	}
	return b.Records, b.Errors, nil
}

// ReadEntities is ImportEntities keeping each record's row, for
// PreviewEntities.
func ReadEntities(r io.Reader, name string, m EntityMapping, opts Options) (Batch[domain.Entity], error) {
	b, err := readEntities(r, name, m, opts)
	if err != nil {
		return Batch[domain.Entity]{}, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}

// entityColumns holds each mapped column's index in the header row.
type entityColumns struct {
	id, name, kind, address, lon, lat, tags, code int // -1 = not mapped
}

func readEntities(r io.Reader, name string, m EntityMapping, opts Options) (Batch[domain.Entity], error) {
	out := Batch[domain.Entity]{File: name, Columns: map[string]string{
		"id": m.ID, "name": m.Name, "kind": m.Kind, "address": m.Address, "lon": m.Lon, "lat": m.Lat, "tags": m.Tags, "code": m.Code,
	}}
	crs := m.CRS
	if crs == "" {
		crs = geo.WGS84
	}
	if !crs.Valid() {
		return out, fmt.Errorf("%w: coordinate system %q is not wgs84, gcj02 or bd09", ErrMapping, m.CRS)
	}
	kinds := newValueMap(DefaultKindValues, m.KindValues)
	codes := newValueMap(DefaultCodeValues, m.CodeValues)
	fixedKind := ""
	if m.Kind == "" {
		var ok bool
		if fixedKind, ok = kinds.get(m.FixedKind); !ok {
			return out, fmt.Errorf("%w: map a Kind column or give a FixedKind (shop, enterprise, rental, venue)", ErrMapping)
		}
	}
	for _, f := range []struct{ field, header string }{{"ID", m.ID}, {"Name", m.Name}, {"Lon", m.Lon}, {"Lat", m.Lat}} {
		if f.header == "" {
			return out, fmt.Errorf("%w: no column mapped to %s", ErrMapping, f.field)
		}
	}
	data, err := readAll(r)
	if err != nil {
		return out, err
	}
	format, err := detectFormat(data, name, opts.Format)
	if err != nil {
		return out, err
	}
	var g *grid
	if format == FormatXLSX {
		g, err = readXLSX(data, opts.Sheet)
	} else {
		g, err = readCSV(data, opts.Encoding)
	}
	if err != nil {
		return out, err
	}
	var wanted []string
	for _, h := range []string{m.ID, m.Name, m.Kind, m.Address, m.Lon, m.Lat, m.Tags, m.Code} {
		if h != "" {
			wanted = append(wanted, h)
		}
	}
	head, idx, err := locateHeader(g.rows, wanted)
	if err != nil {
		return out, err
	}
	col := func(h string) int {
		if h == "" {
			return -1
		}
		return idx[h]
	}
	cols := entityColumns{col(m.ID), col(m.Name), col(m.Kind), col(m.Address), col(m.Lon), col(m.Lat), col(m.Tags), col(m.Code)}
	seen := map[string]int{}
	for i := head + 1; i < len(g.rows); i++ {
		cells := g.rows[i]
		if blank(cells) {
			continue
		}
		row := i + 1
		rd := rowReader{file: name, row: row, cells: cells}
		e := domain.Entity{
			ID:      rd.text(cols.id, m.ID, true),
			Name:    rd.text(cols.name, m.Name, true),
			Address: rd.text(cols.address, m.Address, false),
		}
		e.Kind = fixedKind
		if cols.kind >= 0 {
			e.Kind = rd.lookup(cols.kind, m.Kind, kinds, true, "an entity kind")
		}
		if cols.code >= 0 {
			e.Code = rd.lookup(cols.code, m.Code, codes, false, "a colour code")
		}
		if cols.tags >= 0 {
			e.Tags = splitTags(rd.cell(cols.tags))
		}
		lon, okLon := rd.coord(cols.lon, m.Lon)
		lat, okLat := rd.coord(cols.lat, m.Lat)
		if okLon && okLat {
			rd.location(orb.Point{lon, lat}, m, crs, &e)
		}
		if e.ID != "" {
			if first, dup := seen[e.ID]; dup {
				rd.fail(m.ID, e.ID, fmt.Sprintf("duplicate ID, first used in row %d", first))
			} else {
				seen[e.ID] = row
			}
		}
		if len(rd.errs) > 0 {
			out.Errors = append(out.Errors, rd.errs...)
			continue
		}
		out.Records = append(out.Records, e)
		out.Rows = append(out.Rows, row)
	}
	if len(out.Records) == 0 && len(out.Errors) == 0 {
		return out, fmt.Errorf("%w: no data rows below the header (row %d)", ErrFormat, head+1)
	}
	return out, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// rowReader reads one row's cells, collecting its problems.
type rowReader struct {
	file  string
	row   int
	cells []string
	errs  []RowError
}

func (r *rowReader) fail(column, value, reason string) {
	r.errs = append(r.errs, RowError{File: r.file, Row: r.row, Column: column, Value: shorten(value), Reason: reason})
}

func (r *rowReader) cell(i int) string {
	if i < 0 || i >= len(r.cells) {
		return ""
	}
	// a line break inside a cell (Alt+Enter in a spreadsheet) is a space in
	// a one-line field
	return strings.Join(strings.Fields(r.cells[i]), " ")
}

// empty reports a required cell with nothing in it.
func (r *rowReader) empty(i int, header string) {
	if i >= len(r.cells) {
		r.fail(header, "", fmt.Sprintf("missing: the row ends after %d cells", len(r.cells)))
		return
	}
	r.fail(header, "", "empty")
}

func (r *rowReader) text(i int, header string, required bool) string {
	v := r.cell(i)
	if v == "" && required {
		r.empty(i, header)
	}
	return v
}

func (r *rowReader) lookup(i int, header string, m valueMap, required bool, what string) string {
	v := r.cell(i)
	if v == "" {
		if required {
			r.empty(i, header)
		}
		return ""
	}
	out, ok := m.get(v)
	if !ok {
		r.fail(header, v, fmt.Sprintf("not %s (known: %s)", what, m.allowed()))
	}
	return out
}

func (r *rowReader) coord(i int, header string) (float64, bool) {
	if r.cell(i) == "" {
		r.empty(i, header)
		return 0, false
	}
	v, err := parseCoord(r.cell(i))
	if err != nil {
		r.fail(header, r.cell(i), err.Error())
		return 0, false
	}
	return v, true
}

// location checks a point in the file's CRS and converts it to WGS-84.
func (r *rowReader) location(p orb.Point, m EntityMapping, crs geo.CRS, e *domain.Entity) {
	if err := geo.ValidLonLat(p); err != nil {
		column, value := m.Lon, p[0]
		if strings.Contains(err.Error(), "latitude") {
			column, value = m.Lat, p[1]
		}
		reason := strings.TrimPrefix(err.Error(), "geo: ")
		reason = strings.TrimSuffix(reason, ": "+geo.ErrInvalidCoordinate.Error())
		if geo.ValidLonLat(orb.Point{p[1], p[0]}) == nil {
			reason += " (longitude and latitude swapped?)"
		}
		r.fail(column, fmt.Sprint(value), reason)
		return
	}
	if p[0] == 0 && p[1] == 0 {
		r.fail(m.Lon, "0", "location 0,0 is a placeholder, not a place")
		return
	}
	w := geo.ToWGS84(crs, p)
	e.Lon, e.Lat = w[0], w[1]
}
