package desk

import (
	"context"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/domain/workflow"
)

// Actions lists what the signed-in user may do with a case now: the
// workflow's next steps that the registry lets their role take within its
// scope (a unit member: only on their unit's cases). The server checks the
// same, so the desk offers only what it will take.
func (d *Desk) Actions(c domain.Case) []string {
	if d.review != nil {
		return nil
	}
	u := d.User()
	var out []string
	for _, a := range workflow.Allowed(c.Status) {
		spec, ok := command.ForAction(a)
		if !ok {
			continue
		}
		sc, ok := spec.ScopeOf(u.Role, nil)
		if !ok {
			continue
		}
		if sc == command.OwnUnit {
			parents := d.unitParents(context.Background())
			in, err := command.Within(func(id string) (string, bool, error) {
				p, ok := parents[id]
				return p, ok, nil
			}, c.UnitID, u.UnitID)
			if err != nil || !in || u.UnitID == "" {
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

// unitParents maps every unit to its parent, read once per change of the
// units.
func (d *Desk) unitParents(ctx context.Context) map[string]string {
	d.mu.Lock()
	m := d.parents
	d.mu.Unlock()
	if m != nil {
		return m
	}
	units, err := d.cache.Units(ctx)
	if err != nil {
		return nil
	}
	m = make(map[string]string, len(units))
	for _, u := range units {
		m[u.ID] = u.ParentID
	}
	d.mu.Lock()
	d.parents = m
	d.mu.Unlock()
	return m
}
