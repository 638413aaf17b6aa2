package server

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"griddesk/core/ingest"
	"griddesk/domain/geo"
	"griddesk/store"
)

// ImportOptions are the flags of `griddesk-server import`.
type ImportOptions struct {
	Map      map[string]string // field → property or column header
	CRS      string
	Encoding string
	Sheet    string
	Level    string            // grids: a fixed level when no level property is mapped
	Levels   map[string]string // grids: level property values → levels (district=base …)
	AtTop    bool              // grids: a parent neither in the file nor here makes a top-level grid
	Kind     string            // entities: a fixed kind when no kind column is mapped
}

// ParseMap reads "name=名称,level=层级" into a mapping.
func ParseMap(s string) (map[string]string, error) {
	m := map[string]string{}
	for _, part := range strings.Split(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok || strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("-map %q: want field=column pairs separated by commas", part)
		}
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return m, nil
}

// Import reads grids or entities from a file, shows what will change and, if
// every feature or row is good, writes it all in one transaction (journaled,
// so desks receive it). Any bad row: nothing is written and the errors are
// reported, each naming file, row, column and why.
func Import(ctx context.Context, st *store.Store, what, path string, o ImportOptions, out io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("import %s: %w", what, err)
	}
	defer f.Close()
	name := filepath.Base(path)
	var crs geo.CRS
	if o.CRS != "" {
		if crs, err = geo.ParseCRS(o.CRS); err != nil {
			return fmt.Errorf("import %s: -crs: %w", what, err)
		}
	}
	switch what {
	case "grids":
		m := ingest.GridMapping{ID: o.Map["id"], Name: o.Map["name"], Level: o.Map["level"], Parent: o.Map["parent"],
			Village: o.Map["village"], FixedLevel: o.Level, LevelValues: o.Levels, OrphansAtTop: o.AtTop, CRS: crs}
		if m.Name == "" {
			m.Name = "name"
		}
		b, err := ingest.ReadGrids(f, name, m)
		if err != nil {
			return fmt.Errorf("import grids: %w", err)
		}
		existing, err := st.Grids(ctx)
		if err != nil {
			return err
		}
		d := ingest.PreviewGrids(existing, b)
		fmt.Fprintf(out, "%s: %d new, %d updated, %d unchanged, %d errors\n", name, len(d.New), len(d.Updated), len(d.Unchanged), len(d.Errors))
		changes, err := d.Plan()
		if err != nil {
			for _, e := range d.Errors {
				fmt.Fprintln(out, "  ", e.Error())
			}
			return fmt.Errorf("import grids: nothing written: %w", err)
		}
		return st.Update(ctx, func(tx *store.Tx) error {
			for i := range changes {
				if err := tx.PutGrid(&changes[i]); err != nil {
					return err
				}
			}
			return nil
		})
	case "entities":
		m := ingest.EntityMapping{ID: o.Map["id"], Name: o.Map["name"], Kind: o.Map["kind"], Address: o.Map["address"],
			Lon: o.Map["lon"], Lat: o.Map["lat"], Tags: o.Map["tags"], Code: o.Map["code"], FixedKind: o.Kind, CRS: crs}
		b, err := ingest.ReadEntities(f, name, m, ingest.Options{Encoding: o.Encoding, Sheet: o.Sheet})
		if err != nil {
			return fmt.Errorf("import entities: %w", err)
		}
		existing, err := st.Entities(ctx)
		if err != nil {
			return err
		}
		grids, err := st.Grids(ctx)
		if err != nil {
			return err
		}
		d := ingest.PreviewEntities(existing, grids, b)
		fmt.Fprintf(out, "%s: %d new, %d updated, %d unchanged, %d errors, %d outside every grid\n", name,
			len(d.New), len(d.Updated), len(d.Unchanged), len(d.Errors), len(d.Outside))
		changes, err := d.Plan()
		if err != nil {
			for _, e := range d.Errors {
				fmt.Fprintln(out, "  ", e.Error())
			}
			return fmt.Errorf("import entities: nothing written: %w", err)
		}
		for _, e := range d.Outside {
			fmt.Fprintf(out, "   outside every grid: %s %s (%.6f, %.6f)\n", e.ID, e.Name, e.Lon, e.Lat)
		}
		return st.Update(ctx, func(tx *store.Tx) error {
			for i := range changes {
				if err := tx.PutEntity(&changes[i]); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return fmt.Errorf("import: %q is not grids or entities", what)
}
