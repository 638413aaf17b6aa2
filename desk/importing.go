package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/uuid"

	"griddesk/core/command"
	"griddesk/core/ingest"
	"griddesk/domain"
)

// PreviewGrids reads a GeoJSON file of grid boundaries and compares it with
// the local copy: what is new, what changes, and every bad feature. Nothing
// is written.
func (d *Desk) PreviewGrids(ctx context.Context, path string, m ingest.GridMapping) (ingest.Diff[domain.Grid], error) {
	f, err := os.Open(path)
	if err != nil {
		return ingest.Diff[domain.Grid]{}, fmt.Errorf("desk: import grids: %w", err)
	}
	defer f.Close()
	b, err := ingest.ReadGrids(f, filepath.Base(path), m)
	if err != nil {
		return ingest.Diff[domain.Grid]{}, fmt.Errorf("desk: import grids: %w", err)
	}
	existing, err := d.cache.Grids(ctx)
	if err != nil {
		return ingest.Diff[domain.Grid]{}, fmt.Errorf("desk: import grids: %w", err)
	}
	return ingest.PreviewGrids(existing, b), nil
}

// PreviewEntities reads an entity register (CSV or XLSX), places each entity
// in its grid and compares the file with the local copy. Nothing is written.
func (d *Desk) PreviewEntities(ctx context.Context, path string, m ingest.EntityMapping, o ingest.Options) (ingest.EntityDiff, error) {
	f, err := os.Open(path)
	if err != nil {
		return ingest.EntityDiff{}, fmt.Errorf("desk: import entities: %w", err)
	}
	defer f.Close()
	b, err := ingest.ReadEntities(f, filepath.Base(path), m, o)
	if err != nil {
		return ingest.EntityDiff{}, fmt.Errorf("desk: import entities: %w", err)
	}
	existing, err := d.cache.Entities(ctx)
	if err != nil {
		return ingest.EntityDiff{}, fmt.Errorf("desk: import entities: %w", err)
	}
	grids, err := d.cache.Grids(ctx)
	if err != nil {
		return ingest.EntityDiff{}, fmt.Errorf("desk: import entities: %w", err)
	}
	return ingest.PreviewEntities(existing, grids, b), nil
}

// ImportGrids sends a previewed grid file as one command: it lands whole, or
// (any bad row) not at all.
func (d *Desk) ImportGrids(ctx context.Context, diff ingest.Diff[domain.Grid]) (int, error) {
	gs, err := diff.Plan()
	if err != nil {
		return 0, fmt.Errorf("desk: import grids: %w", err)
	}
	return len(gs), d.issueImport(ctx, command.GridImport, command.ImportArgs{File: diff.File, Grids: gs})
}

// ImportEntities sends a previewed register as one command.
func (d *Desk) ImportEntities(ctx context.Context, diff ingest.EntityDiff) (int, error) {
	es, err := diff.Plan()
	if err != nil {
		return 0, fmt.Errorf("desk: import entities: %w", err)
	}
	return len(es), d.issueImport(ctx, command.EntityImport, command.ImportArgs{File: diff.File, Entities: es})
}

func (d *Desk) issueImport(ctx context.Context, typ string, a command.ImportArgs) error {
	if len(a.Grids)+len(a.Entities) == 0 {
		return fmt.Errorf("desk: import %s: nothing new or changed", a.File)
	}
	raw, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("desk: import %s: %w", a.File, err)
	}
	return d.Issue(ctx, domain.Command{ID: uuid.NewString(), Type: typ, Args: raw, IssuedAt: d.issueTime()})
}

// ReadCatalog reads a check catalog file for a preview; with any bad row
// (errs) nothing may be imported.
func (d *Desk) ReadCatalog(path string) ([]domain.CheckItem, ingest.Errors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("desk: import catalog: %w", err)
	}
	defer f.Close()
	return ingest.ReadCatalog(f, filepath.Base(path), ingest.Options{})
}

// PutCatalog adds or replaces check items (admin): one command, all or none.
func (d *Desk) PutCatalog(ctx context.Context, file string, items []domain.CheckItem) error {
	raw, err := json.Marshal(command.CatalogArgs{File: file, Items: items})
	if err != nil {
		return err
	}
	return d.Issue(ctx, domain.Command{ID: uuid.NewString(), Type: command.CatalogPut, Args: raw, IssuedAt: d.issueTime()})
}
