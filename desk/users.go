package desk

import (
	"context"
	"errors"
	"fmt"

	"griddesk/desk/replica"
	"griddesk/domain"
)

// ErrOffline is returned by actions that need the server right now.
var ErrOffline = errors.New("the server cannot be reached; try again when the desk is online")

// Users lists the users in the local copy.
func (d *Desk) Users(ctx context.Context) ([]domain.User, error) {
	return d.cache.Users(ctx)
}

// Units lists the units in the local copy.
func (d *Desk) Units(ctx context.Context) ([]domain.Unit, error) {
	return d.cache.Units(ctx)
}

// SaveUser creates (id "") or changes a user on the server (admin only).
// Accounts are not queued offline: a password must never sit in an outbox.
func (d *Desk) SaveUser(ctx context.Context, id string, ch replica.UserChange) (domain.User, error) {
	d.mu.Lock()
	c := d.client
	d.mu.Unlock()
	if c == nil || !d.Status().Online() {
		return domain.User{}, ErrOffline
	}
	u, err := c.SaveUser(ctx, id, ch)
	if err != nil {
		return u, fmt.Errorf("desk: save user: %w", err)
	}
	d.mu.Lock()
	rep := d.rep
	d.mu.Unlock()
	if rep != nil {
		rep.Kick() // the change feed brings the user into the local copy
	}
	return u, nil
}

// CheckItems lists the joint checklist catalog.
func (d *Desk) CheckItems(ctx context.Context) ([]domain.CheckItem, error) {
	return d.cache.CheckItems(ctx)
}

// Entities lists the entities in the local copy.
func (d *Desk) Entities(ctx context.Context) ([]domain.Entity, error) {
	return d.cache.Entities(ctx)
}
