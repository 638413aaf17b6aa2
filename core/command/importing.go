package command

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
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
	if err := checkText("args.file", a.File, 260); err != nil {
		return a, err
	}
	for i := range a.Grids {
		g := &a.Grids[i]
		if err := g.Validate(); err != nil {
			return a, invalid(fmt.Sprintf("args.grids[%d]", i), "%s: %v", a.File, err)
		}
		if err := firstError(checkID(itemField("args.grids", i, "id"), g.ID, false), checkText(itemField("args.grids", i, "name"), g.Name, domain.MaxName),
			checkID(itemField("args.grids", i, "parent_id"), g.ParentID, true), checkText(itemField("args.grids", i, "village"), g.Village, domain.MaxName)); err != nil {
			return a, err
		}
	}
	for i := range a.Entities {
		e := &a.Entities[i]
		if err := e.Validate(); err != nil {
			return a, invalid(fmt.Sprintf("args.entities[%d]", i), "%s: %v", a.File, err)
		}
		if err := firstError(checkID(itemField("args.entities", i, "id"), e.ID, false), checkText(itemField("args.entities", i, "name"), e.Name, domain.MaxName),
			checkText(itemField("args.entities", i, "address"), e.Address, domain.MaxAddress), checkID(itemField("args.entities", i, "grid_id"), e.GridID, true),
			checkText(itemField("args.entities", i, "qr_token"), e.QRToken, domain.MaxShort), checkLen(itemField("args.entities", i, "tags"), len(e.Tags), 20)); err != nil {
			return a, err
		}
		for j, tag := range e.Tags {
			if err := checkText(fmt.Sprintf("args.entities[%d].tags[%d]", i, j), tag, domain.MaxShort); err != nil {
				return a, err
			}
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
		// a register never changes a code (reviewed inspections do) nor the
		// QR token on the door
		if old, err := tx.Entity(e.ID); err == nil {
			e.Code, e.QRToken = old.Code, old.QRToken
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		} else if e.QRToken == "" {
			e.QRToken = newQRToken(c.ID, e.ID)
		}
		if err := tx.PutEntity(&e); err != nil {
			return nil, invalid(fmt.Sprintf("args.entities[%d]", i), "%v", err)
		}
		refs = append(refs, domain.Ref{Kind: domain.KindEntity, ID: e.ID})
	}
	return refs, nil
}

// newQRToken makes a door-plate token for a new entity that came without
// one: 16 hex digits derived from the command and the entity, so the desk
// and the server make the same.
func newQRToken(cmdID, entityID string) string {
	sum := sha256.Sum256([]byte(cmdID + "/" + entityID))
	return hex.EncodeToString(sum[:8])
}
