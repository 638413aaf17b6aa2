package command

import (
	"errors"
	"fmt"

	"griddesk/domain"
	"griddesk/store"
)

// Scope says which targets a role may act on with a command: the rows of
// its own unit, team or grids, or any row its desk holds. The registry
// gives every (command, role) its scope; Execute checks it, on the server
// (the truth) and on the desk alike, so the desk offers only what the server
// will take.
type Scope int

// Scopes.
const (
	// Any target the user's desk holds.
	Any Scope = iota
	// OwnUnit: the case's task is the user's unit's or a unit's below it.
	OwnUnit
	// OwnTeam: the plan's, inspection's or hazard's team is the user's team
	// or one granted to them.
	OwnTeam
	// ServedGrids: the entity lies in a grid the user's unit serves (or a
	// grid below one).
	ServedGrids
)

// String names a scope for the role table.
func (s Scope) String() string {
	switch s {
	case Any:
		return "any"
	case OwnUnit:
		return "own unit"
	case OwnTeam:
		return "own team"
	case ServedGrids:
		return "grids served"
	}
	return fmt.Sprintf("scope(%d)", int(s))
}

// Grant lets a role issue a command within a scope.
type Grant struct {
	Role  domain.Role
	Scope Scope
}

func may(role domain.Role, scope Scope) Grant { return Grant{role, scope} }

// forbidden is a refusal for acting outside one's duty.
func forbidden(key string, params map[string]string, format string, a ...any) *Error {
	return (&Error{Status: 403, Kind: "forbidden", Detail: fmt.Sprintf(format, a...)}).keyed(key, params)
}

// unitName names a unit for a message: "消防大队 (D-FIRE)".
func unitName(tx *store.Tx, id string) string {
	if id == "" {
		return "no unit"
	}
	if u, err := tx.Unit(id); err == nil {
		return fmt.Sprintf("%s (%s)", u.Name, id)
	}
	return id
}

// Within reports whether unit id is unit root or a unit below it, walking
// up through parent (which returns a unit's parent, ok false for an
// unknown unit).
func Within(parent func(id string) (string, bool, error), id, root string) (bool, error) {
	for depth := 0; id != "" && depth < 32; depth++ {
		if id == root {
			return true, nil
		}
		p, ok, err := parent(id)
		if err != nil || !ok {
			return false, err
		}
		id = p
	}
	return false, nil
}

// within is Within over the units in tx.
func within(tx *store.Tx, id, root string) (bool, error) {
	return Within(func(id string) (string, bool, error) {
		u, err := tx.Unit(id)
		if errors.Is(err, store.ErrNotFound) {
			return "", false, nil
		}
		return u.ParentID, err == nil, err
	}, id, root)
}

// checkUnit refuses a task of another unit.
func checkUnit(tx *store.Tx, by Actor, taskUnit, what string) error {
	if by.UnitID != "" {
		ok, err := within(tx, taskUnit, by.UnitID)
		if err != nil || ok {
			return err
		}
	}
	if by.UnitID == "" {
		return forbidden("no_unit", map[string]string{"what": what, "unit": unitName(tx, taskUnit)},
			"%s is assigned to %s; this account belongs to no unit", what, unitName(tx, taskUnit))
	}
	return forbidden("other_unit", map[string]string{"what": what, "unit": unitName(tx, taskUnit), "own": unitName(tx, by.UnitID)},
		"%s is assigned to %s; you act for %s", what, unitName(tx, taskUnit), unitName(tx, by.UnitID))
}

// teams are the teams an actor acts for.
func (by Actor) teams() []string {
	out := append([]string(nil), by.Teams...)
	if by.UnitID != "" {
		out = append(out, by.UnitID)
	}
	return out
}

// checkTeam refuses another team's plan, inspection or hazard.
func checkTeam(tx *store.Tx, by Actor, team, what string) error {
	for _, t := range by.teams() {
		if t == team {
			return nil
		}
	}
	if len(by.teams()) == 0 {
		return forbidden("no_team", map[string]string{"what": what, "team": unitName(tx, team)},
			"%s belongs to %s; this account leads no team", what, unitName(tx, team))
	}
	return forbidden("other_team", map[string]string{"what": what, "team": unitName(tx, team), "own": unitName(tx, by.UnitID)},
		"%s belongs to %s; you act for %s", what, unitName(tx, team), unitName(tx, by.UnitID))
}

// checkGrid refuses an entity outside the grids the actor's unit serves.
func checkGrid(tx *store.Tx, by Actor, gridID, what string) error {
	var served []string
	if by.UnitID != "" {
		if u, err := tx.Unit(by.UnitID); err == nil {
			served = u.GridIDs
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	for id, depth := gridID, 0; id != "" && depth < 16; depth++ {
		for _, g := range served {
			if g == id {
				return nil
			}
		}
		parent, err := tx.GridParent(id)
		if errors.Is(err, store.ErrNotFound) {
			break
		}
		if err != nil {
			return err
		}
		id = parent
	}
	if by.UnitID == "" {
		return forbidden("no_grid", map[string]string{"what": what, "grid": gridID},
			"%s lies in grid %s; this account serves no grid", what, gridID)
	}
	return forbidden("other_grid", map[string]string{"what": what, "grid": gridID, "own": unitName(tx, by.UnitID)},
		"%s lies in grid %s, which %s does not serve", what, gridID, unitName(tx, by.UnitID))
}
