package ingest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/domain/zone"
)

// Batch is what a reader got from one file: the good records in file
// order, the row each came from, and a RowError for every bad row.
type Batch[T any] struct {
	File    string
	Records []T
	Rows    []int             // Rows[i] is the row (or feature number) of Records[i]
	Columns map[string]string // field ("id", "parent", "lon" …) → its header or property in the file
	Errors  []RowError
	// OrphansAtTop: grids whose parent is unknown land at the top (see
	// GridMapping.OrphansAtTop).
	OrphansAtTop bool
}

// Update is one record an import would change.
type Update[T any] struct {
	Row      int // row or feature the new values come from
	Old, New T
	Fields   []string // the fields that change, e.g. "name", "geometry"
}

// Diff is what an import would do: records to add, records to change,
// records already as the file has them, and every bad row. Records that
// GridDesk holds and the file does not mention are left alone: imports
// never delete.
type Diff[T any] struct {
	File      string
	New       []T
	Updated   []Update[T]
	Unchanged []T
	Errors    []RowError
	// AtTop are the records whose parent is neither in the file nor in
	// GridDesk, imported as top-level (GridMapping.OrphansAtTop), by ID
	// with the parent the file named.
	AtTop map[string]string
}

// Plan returns every record to write (new, then updated) or, if any row is
// bad, Errors and nothing: an import lands whole or not at all.
func (d Diff[T]) Plan() ([]T, error) {
	if len(d.Errors) > 0 {
		return nil, Errors(d.Errors)
	}
	out := make([]T, 0, len(d.New)+len(d.Updated))
	out = append(out, d.New...)
	for _, u := range d.Updated {
		out = append(out, u.New)
	}
	return out, nil
}

// String summarises the diff: "3 new, 1 updated, 40 unchanged, 0 errors".
func (d Diff[T]) String() string {
	return fmt.Sprintf("%d new, %d updated, %d unchanged, %d errors", len(d.New), len(d.Updated), len(d.Unchanged), len(d.Errors))
}

func sortErrors(es []RowError) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Row < es[j].Row })
}

// PreviewGrids compares imported grids with the existing ones by ID. Every
// parent must be a grid in the file or in GridDesk, and parents must not
// form a cycle.
func PreviewGrids(existing []domain.Grid, b Batch[domain.Grid]) Diff[domain.Grid] {
	d := Diff[domain.Grid]{File: b.File, Errors: slices.Clone(b.Errors)}
	old := make(map[string]domain.Grid, len(existing))
	parent := map[string]string{}
	for _, g := range existing {
		old[g.ID] = g
		parent[g.ID] = g.ParentID
	}
	for _, g := range b.Records {
		parent[g.ID] = g.ParentID
	}
	parentCol := b.column("parent")
	for i, g := range b.Records {
		row := b.row(i)
		if g.ParentID != "" {
			if _, ok := parent[g.ParentID]; !ok && b.OrphansAtTop {
				if d.AtTop == nil {
					d.AtTop = map[string]string{}
				}
				d.AtTop[g.ID] = g.ParentID
				g.ParentID = ""
				parent[g.ID] = ""
			} else if !ok {
				d.Errors = append(d.Errors, RowError{File: b.File, Row: row, Feature: true, Column: parentCol,
					Value: g.ParentID, Reason: "no such grid in the file or in GridDesk"})
				continue
			}
		}
		if g.ParentID != "" {
			if cyclic(parent, g.ID) {
				d.Errors = append(d.Errors, RowError{File: b.File, Row: row, Feature: true, Column: parentCol,
					Value: g.ParentID, Reason: "parents form a loop"})
				continue
			}
		}
		g.UpdatedAt = time.Time{}
		o, ok := old[g.ID]
		if !ok {
			d.New = append(d.New, g)
			continue
		}
		var fields []string
		for _, c := range []struct {
			name string
			same bool
		}{
			{"name", o.Name == g.Name}, {"level", o.Level == g.Level}, {"parent_id", o.ParentID == g.ParentID},
			{"village", o.Village == g.Village}, {"geometry", sameBoundary(o.Geometry, g.Geometry)},
		} {
			if !c.same {
				fields = append(fields, c.name)
			}
		}
		if len(fields) == 0 {
			d.Unchanged = append(d.Unchanged, o)
			continue
		}
		d.Updated = append(d.Updated, Update[domain.Grid]{Row: row, Old: o, New: g, Fields: fields})
	}
	sortErrors(d.Errors)
	return d
}

// cyclic reports whether following parents from id comes back to id.
func cyclic(parent map[string]string, id string) bool {
	seen := map[string]bool{}
	for cur := parent[id]; cur != ""; cur = parent[cur] {
		if cur == id {
			return true
		}
		if seen[cur] {
			return false // a loop above id, reported for its own members
		}
		seen[cur] = true
	}
	return false
}

// coordTolerance is how far (degrees, ≈0.1 mm) coordinates may move and
// still count as unchanged.
const coordTolerance = 1e-9

func sameBoundary(a, b orb.MultiPolygon) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if len(a[i][j]) != len(b[i][j]) {
				return false
			}
			for k := range a[i][j] {
				if !samePoint(a[i][j][k], b[i][j][k]) {
					return false
				}
			}
		}
	}
	return true
}

func samePoint(a, b orb.Point) bool {
	return math.Abs(a[0]-b[0]) <= coordTolerance && math.Abs(a[1]-b[1]) <= coordTolerance
}

// EntityDiff is an entity import's diff plus the entities of the file
// that lie outside every grid (GridID "": they import, but no grid
// answers for them until the grids are fixed).
type EntityDiff struct {
	Diff[domain.Entity]
	Outside []domain.Entity
	// CodesKept counts existing entities whose colour code in the file
	// differs from theirs: a register never changes a code (it follows the
	// reviewed inspections), so the file's is ignored.
	CodesKept int
}

// PreviewEntities compares an imported register with the existing
// entities by ID. An existing entity keeps what the file does not give
// (blank address or tags) and always its colour code and QR token; a new
// one takes the file's code (green when none) and a fresh QR token. Every entity of the file is assigned
// to the finest grid holding its location (grids nil: grid IDs are kept
// as they are, and none is reported outside).
func PreviewEntities(existing []domain.Entity, grids []domain.Grid, b Batch[domain.Entity]) EntityDiff {
	d := EntityDiff{Diff: Diff[domain.Entity]{File: b.File, Errors: slices.Clone(b.Errors)}}
	old := make(map[string]domain.Entity, len(existing))
	for _, e := range existing {
		old[e.ID] = e
	}
	merged := make([]domain.Entity, len(b.Records))
	for i, e := range b.Records {
		e.UpdatedAt = time.Time{}
		if o, ok := old[e.ID]; ok {
			if e.Address == "" {
				e.Address = o.Address
			}
			if e.Tags == nil {
				e.Tags = o.Tags
			}
			// the code is the inspections' (reviewed), the QR token is on the
			// door: a register never changes either
			if e.Code != "" && e.Code != o.Code {
				d.CodesKept++
			}
			e.Code, e.QRToken, e.GridID = o.Code, o.QRToken, o.GridID
		} else {
			if e.Code == "" {
				e.Code = domain.CodeGreen
			}
			e.QRToken = newToken()
		}
		merged[i] = e
	}
	if grids != nil {
		for _, i := range zone.New(grids).Assign(merged) {
			d.Outside = append(d.Outside, merged[i])
		}
	}
	for i, e := range merged {
		row := b.row(i)
		if err := e.Validate(); err != nil {
			d.Errors = append(d.Errors, RowError{File: b.File, Row: row, Reason: err.Error()})
			continue
		}
		o, ok := old[e.ID]
		if !ok {
			d.New = append(d.New, e)
			continue
		}
		var fields []string
		for _, c := range []struct {
			name string
			same bool
		}{
			{"kind", o.Kind == e.Kind}, {"name", o.Name == e.Name}, {"address", o.Address == e.Address},
			{"location", samePoint(orb.Point{o.Lon, o.Lat}, orb.Point{e.Lon, e.Lat})}, {"grid_id", o.GridID == e.GridID},
			{"tags", slices.Equal(o.Tags, e.Tags)},
		} {
			if !c.same {
				fields = append(fields, c.name)
			}
		}
		if len(fields) == 0 {
			d.Unchanged = append(d.Unchanged, o)
			continue
		}
		d.Updated = append(d.Updated, Update[domain.Entity]{Row: row, Old: o, New: e, Fields: fields})
	}
	sortErrors(d.Errors)
	return d
}

// newToken makes a door-plate QR token like the server's: 16 hex digits.
func newToken() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// row is the row of the i-th record (0 when unknown).
func (b Batch[T]) row(i int) int {
	if i < len(b.Rows) {
		return b.Rows[i]
	}
	return 0
}

// column is the header or property a logical field was read from.
func (b Batch[T]) column(field string) string {
	if c := b.Columns[field]; c != "" {
		return c
	}
	return field
}
