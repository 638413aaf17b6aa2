package command

import (
	"fmt"

	"griddesk/domain"
	"griddesk/store"
)

// Import command types: a checked file's records, landing whole or not at all.
const (
	GridImport   = "grid.import"
	EntityImport = "entity.import"
)

// MaxImport is the most records one import command may carry.
const MaxImport = 20000

// ImportArgs carry the records of one checked import file.
type ImportArgs struct {
	File     string          `json:"file"`
	Grids    []domain.Grid   `json:"grids,omitempty"`
	Entities []domain.Entity `json:"entities,omitempty"`
}

func decodeImport(c domain.Command) (ImportArgs, error) {
	var a ImportArgs
	if err := strictDecode(c, &a); err != nil {
		return a, err
	}
	n := len(a.Grids) + len(a.Entities)
	switch {
	case c.Type == GridImport && (len(a.Grids) == 0 || len(a.Entities) > 0):
		return a, invalid("args.grids", "grid.import carries grids and nothing else")
	case c.Type == EntityImport && (len(a.Entities) == 0 || len(a.Grids) > 0):
		return a, invalid("args.entities", "entity.import carries entities and nothing else")
	case n > MaxImport:
		return a, invalid("args", "at most %d records per import, got %d", MaxImport, n)
	}
	for i := range a.Grids {
		if err := a.Grids[i].Validate(); err != nil {
			return a, invalid(fmt.Sprintf("args.grids[%d]", i), "%s: %v", a.File, err)
		}
	}
	for i := range a.Entities {
		if err := a.Entities[i].Validate(); err != nil {
			return a, invalid(fmt.Sprintf("args.entities[%d]", i), "%s: %v", a.File, err)
		}
	}
	return a, nil
}

// importRecords writes every record of the file in the command's one
// transaction: all land, or (any error) none.
func importRecords(tx *store.Tx, c domain.Command, a ImportArgs, _ Actor, _ Options) ([]domain.Ref, error) {
	refs := make([]domain.Ref, 0, len(a.Grids)+len(a.Entities))
	for i := range a.Grids {
		g := a.Grids[i]
		g.UpdatedAt = c.IssuedAt
		if err := tx.PutGrid(&g); err != nil {
			return nil, invalid(fmt.Sprintf("args.grids[%d]", i), "%v", err)
		}
		refs = append(refs, domain.Ref{Kind: domain.KindGrid, ID: g.ID})
	}
	for i := range a.Entities {
		e := a.Entities[i]
		e.UpdatedAt = c.IssuedAt
		if err := tx.PutEntity(&e); err != nil {
			return nil, invalid(fmt.Sprintf("args.entities[%d]", i), "%v", err)
		}
		refs = append(refs, domain.Ref{Kind: domain.KindEntity, ID: e.ID})
	}
	return refs, nil
}
