package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"griddesk/domain"
	"griddesk/domain/geo"
)

// A GeoJSON file's layout, read before any mapping is chosen: what
// properties its features have (nested ones by dotted path), their
// values, the geometry types and extent, and a guessed mapping. The
// import dialog offers the actual property names, the values to map to
// levels, and remembers a mapping per layout (Key).

// Property is one property the features of a file have.
type Property struct {
	Name     string   // "name", or a dotted path into an object: "parent.adcode"
	Kind     string   // "text", "number", "boolean", "object", "list" or "mixed"
	Count    int      // features that have it (not null)
	Distinct int      // distinct scalar values
	Values   []string // the distinct values, sorted, at most MaxLayoutValues
}

// Scalar reports whether the property's values are text, numbers or booleans.
func (p Property) Scalar() bool {
	return p.Kind == "text" || p.Kind == "number" || p.Kind == "boolean"
}

// MaxLayoutValues is how many distinct values a Property lists.
const MaxLayoutValues = 60

// Layout is what InspectGeoJSON found in a file.
type Layout struct {
	File     string
	Features int
	Geometry map[string]int     // geometry type → features
	Props    []Property         // in the order they first appear, nested ones after their object
	Bound    orb.Bound          // of the coordinates as written (the file's CRS)
	Key      string             // the layout's signature: the sorted property names
	Guess    GridMapping        // a mapping guessed from the names (DataV, GridDesk's own, Chinese headers)
	Shapes   []orb.MultiPolygon // every feature's boundary as written (for a preview)
}

// Prop returns the property called name.
func (l Layout) Prop(name string) (Property, bool) {
	for _, p := range l.Props {
		if p.Name == name {
			return p, true
		}
	}
	return Property{}, false
}

// InspectGeoJSON reads a GeoJSON file's layout. Geometries that cannot be
// read are skipped (the import names them).
func InspectGeoJSON(r io.Reader, name string) (Layout, error) {
	l := Layout{File: name, Geometry: map[string]int{}}
	data, err := readAll(r)
	if err != nil {
		return l, fmt.Errorf("%s: %w", name, err)
	}
	features, err := splitFeatures(data)
	if err != nil {
		return l, fmt.Errorf("%s: %w", name, err)
	}
	l.Features = len(features)
	type acc struct {
		Property
		values map[string]bool
		order  int
	}
	props := map[string]*acc{}
	var add func(prefix string, m map[string]json.RawMessage)
	add = func(prefix string, m map[string]json.RawMessage) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			raw := m[k]
			name := prefix + k
			a := props[name]
			if a == nil {
				a = &acc{Property: Property{Name: name}, values: map[string]bool{}, order: len(props)}
				props[name] = a
			}
			kind, text := jsonKind(raw)
			if kind == "" {
				continue // null
			}
			a.Count++
			switch {
			case a.Kind == "":
				a.Kind = kind
			case a.Kind != kind:
				a.Kind = "mixed"
			}
			if text != "" || kind == "text" {
				a.values[text] = true
			}
			if kind == "object" && strings.Count(prefix, ".") < 2 {
				var inner map[string]json.RawMessage
				if json.Unmarshal(raw, &inner) == nil {
					add(name+".", inner)
				}
			}
		}
	}
	first := true
	for _, raw := range features {
		var f struct {
			ID         json.RawMessage            `json:"id"`
			Properties map[string]json.RawMessage `json:"properties"`
			Geometry   json.RawMessage            `json:"geometry"`
		}
		if json.Unmarshal(raw, &f) != nil {
			continue
		}
		add("", f.Properties)
		g, err := geojson.UnmarshalGeometry(f.Geometry)
		if err != nil || g == nil || g.Geometry() == nil {
			l.Geometry["none"]++
			continue
		}
		l.Geometry[g.Type]++
		var mp orb.MultiPolygon
		switch v := g.Geometry().(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{v}
		case orb.MultiPolygon:
			mp = v
		}
		if len(mp) > 0 {
			b := mp.Bound()
			if first {
				l.Bound, first = b, false
			} else {
				l.Bound = l.Bound.Union(b)
			}
			l.Shapes = append(l.Shapes, mp)
		}
	}
	list := make([]*acc, 0, len(props))
	for _, a := range props {
		list = append(list, a)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	var names []string
	for _, a := range list {
		a.Distinct = len(a.values)
		for v := range a.values {
			a.Values = append(a.Values, v)
		}
		sort.Strings(a.Values)
		if len(a.Values) > MaxLayoutValues {
			a.Values = a.Values[:MaxLayoutValues]
		}
		l.Props = append(l.Props, a.Property)
		names = append(names, a.Name)
	}
	sum := sha256.Sum256([]byte(strings.Join(names, "\x00")))
	l.Key = hex.EncodeToString(sum[:8])
	l.Guess = l.guess()
	return l, nil
}

// jsonKind names a JSON value's kind and gives a scalar's text ("" kind:
// null).
func jsonKind(raw json.RawMessage) (kind, text string) {
	t := strings.TrimSpace(string(raw))
	switch {
	case t == "" || t == "null":
		return "", ""
	case t[0] == '"':
		var s string
		json.Unmarshal(raw, &s)
		return "text", strings.TrimSpace(s)
	case t[0] == '{':
		return "object", ""
	case t[0] == '[':
		return "list", ""
	case t == "true" || t == "false":
		return "boolean", t
	}
	return "number", t
}

// guess proposes a mapping from the property names: the DataV layout
// (adcode, name, level, parent.adcode; GCJ-02), GridDesk's own export (id,
// name, level, parent_id, village) or Chinese headers (网格编码 …).
func (l Layout) guess() GridMapping {
	has := func(n string) bool { p, ok := l.Prop(n); return ok && p.Scalar() }
	pick := func(names ...string) string {
		for _, n := range names {
			if has(n) {
				return n
			}
		}
		return ""
	}
	var m GridMapping
	m.ID = pick("adcode", "id", "网格编码", "code", "编码")
	m.Name = pick("name", "网格名称", "名称", "NAME")
	m.Level = pick("level", "网格类型", "层级", "类型")
	m.Parent = pick("parent.adcode", "parent_id", "parent", "上级网格", "上级编码")
	m.Village = pick("village", "所属村社", "村社")
	_, datav := l.Prop("centroid")
	if has("adcode") && (datav || has("parent.adcode")) {
		m.CRS = geo.GCJ02 // DataV's boundaries are GCJ-02
		m.OrphansAtTop = true
	}
	if m.Level != "" {
		if p, ok := l.Prop(m.Level); ok {
			levels := newValueMap(DefaultLevelValues, nil)
			known := true
			for _, v := range p.Values {
				if _, ok := levels.get(v); !ok {
					known = false
				}
			}
			if !known { // values GridDesk does not know (DataV's "district"): the user maps them
				m.LevelValues = map[string]string{}
			}
		}
	}
	return m
}

// LevelFor says which GridDesk level a property value maps to by default
// ("" when none: the user must choose).
func LevelFor(value string) string {
	l, _ := newValueMap(DefaultLevelValues, nil).get(value)
	return l
}

// Levels are the grid levels a value may map to, coarse to fine.
var Levels = []string{domain.LevelEnforcement, domain.LevelInspection, domain.LevelBase, domain.LevelMicro}

// UsesLevels reports whether the values need a mapping to levels: some
// value is not a level name GridDesk knows.
func UsesLevels(values []string) bool {
	return slices.ContainsFunc(values, func(v string) bool { return LevelFor(v) == "" })
}
