package server

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"

	"griddesk/domain"
	"griddesk/store"
)

// A user's scope: what their desk copies, and what they may read through
// the documents, photos and searches. One table, by role (store/scope.go
// says which scopes each row is in):
//
//	admin                      everything (closed cases past the retention window stay on the server)
//	duty_officer, team_leader, auditor
//	                           their towns: town:T and map:T for each (the towns they are given, else
//	                           their unit's town; in a one-town database the town is ""), their unit's
//	                           work (unit:U), their own row, and what every desk has (*)
//	unit_member                their unit's tasks and the cases behind them (unit:U), their unit's
//	                           town's grids for the map (map:T), their own row, *
//	reporter                   (field systems: a grid worker's phone, the hotline) as a duty officer:
//	                           they print the notices and reports of their town
//
// * is units, the check catalog and the settings. Other users reach a desk
// by display name only: user names and roles are an admin's to see.

// scopeOf works out a user's scope.
func (s *Server) scopeOf(ctx context.Context, u domain.User) (store.Scope, error) {
	if u.Role == domain.RoleAdmin {
		return store.Scope{All: true}, nil
	}
	keys := []string{store.ScopeEverywhere, store.UserScope(u.ID)}
	town := ""
	if u.UnitID != "" {
		unit, err := s.st.Unit(ctx, u.UnitID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return store.Scope{}, err
		}
		town = unit.Town
		keys = append(keys, store.UnitScope(u.UnitID))
	}
	towns := u.Towns
	if len(towns) == 0 {
		towns = []string{town}
	}
	switch u.Role {
	case domain.RoleDutyOfficer, domain.RoleTeamLeader, domain.RoleAuditor, domain.RoleReporter:
		for _, t := range towns {
			keys = append(keys, store.TownScope(t), store.MapScope(t))
		}
	case domain.RoleUnitMember:
		keys = append(keys, store.MapScope(town))
	}
	return store.Scope{Keys: keys}, nil
}

// scopes caches each user's scope for a few seconds, as the sessions are
// (a desk long-polls the feed, and every wake-up asks for it).
type scopeCache struct {
	mu sync.Mutex
	by map[string]cachedScope // user ID → scope
}

type cachedScope struct {
	sc      store.Scope
	updated time.Time // the user's UpdatedAt it was worked out for
	until   time.Time
}

func (c *scopeCache) forget() {
	c.mu.Lock()
	c.by = nil
	c.mu.Unlock()
}

// scopeFor is scopeOf through the cache.
func (s *Server) scopeFor(ctx context.Context, u domain.User) (store.Scope, error) {
	now := time.Now()
	c := &s.scoped
	c.mu.Lock()
	e, ok := c.by[u.ID]
	c.mu.Unlock()
	if ok && now.Before(e.until) && e.updated.Equal(u.UpdatedAt) {
		return e.sc, nil
	}
	sc, err := s.scopeOf(ctx, u)
	if err != nil {
		return sc, err
	}
	c.mu.Lock()
	if c.by == nil || len(c.by) > 10000 {
		c.by = map[string]cachedScope{}
	}
	c.by[u.ID] = cachedScope{sc: sc, updated: u.UpdatedAt, until: now.Add(sessionTTL)}
	c.mu.Unlock()
	return sc, nil
}

// inScope reports whether a user may read a row: one of its scopes is
// theirs. Unknown rows are nobody's. A grid's map scope (a unit member's
// map) opens its boundary, not what lies in it: asked for a grid's
// contents, mapToo is false.
func (s *Server) inScope(ctx context.Context, u domain.User, kind, id string, mapToo bool) (bool, error) {
	sc, err := s.scopeFor(ctx, u)
	if err != nil || sc.All {
		return sc.All, err
	}
	keys, err := s.st.ScopesOf(ctx, kind, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, k := range keys {
		if sc.Has(k) && (mapToo || !strings.HasPrefix(k, store.MapScope(""))) {
			return true, nil
		}
	}
	return false, nil
}

// photoInScope reports whether a user may see a photo: they uploaded it,
// or may read a row that names it; a photo nothing names yet, whoever may
// read its uploader (their town).
func (s *Server) photoInScope(ctx context.Context, u domain.User, p domain.Photo) (bool, error) {
	if u.Role == domain.RoleAdmin || p.UploadedBy == u.ID {
		return true, nil
	}
	refs, err := s.st.PhotoRefs(ctx, p.ID)
	if err != nil {
		return false, err
	}
	if len(refs) == 0 && p.UploadedBy != "" {
		return s.inScope(ctx, u, domain.KindUser, p.UploadedBy, false)
	}
	for _, r := range refs {
		if ok, err := s.inScope(ctx, u, r.Kind, r.ID, false); err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// townsOf are the towns whose rows a user reads whole (nil: every town).
func (s *Server) townsOf(ctx context.Context, u domain.User) (map[string]bool, error) {
	sc, err := s.scopeFor(ctx, u)
	if err != nil || sc.All {
		return nil, err
	}
	towns := map[string]bool{}
	for _, k := range sc.Keys {
		if t, ok := strings.CutPrefix(k, store.TownScope("")); ok {
			towns[t] = true
		}
	}
	return towns, nil
}

// redact turns the user rows of a page into display names for a reader who
// is not an admin: every row but their own keeps its ID, name, unit and
// time, not its user name, role or towns.
func redact(cs []domain.Change, reader domain.User) []domain.Change {
	if reader.Role == domain.RoleAdmin {
		return cs
	}
	var out []domain.Change
	for i, c := range cs {
		if c.Kind != domain.KindUser || c.ID == reader.ID || c.Op != domain.OpUpsert {
			continue
		}
		if out == nil {
			out = append([]domain.Change(nil), cs...)
		}
		var u domain.User
		if json.Unmarshal(c.Data, &u) != nil {
			continue
		}
		shown := domain.User{ID: u.ID, Name: u.Name, UnitID: u.UnitID, Disabled: u.Disabled, UpdatedAt: u.UpdatedAt}
		out[i].Data, _ = json.Marshal(shown)
	}
	if out == nil {
		return cs
	}
	return out
}
