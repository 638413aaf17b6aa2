package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/paulmach/orb"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/domain/zone"
	"griddesk/store"
)

var errDryRun = errors.New("dry run")

// Do issues a command: its local effect and its outbox entry land in one
// transaction, then the sync loop pushes it. A command the local state
// already refuses (a wrong transition, a missing reason) returns the
// *command.Error at once and changes nothing.
func (d *Desk) Do(ctx context.Context, typ string, args command.CaseArgs, baseVersion int64) (domain.Command, error) {
	cmd, err := command.New(typ, args, baseVersion, d.issueTime())
	if err != nil {
		return cmd, err
	}
	return cmd, d.Issue(ctx, cmd)
}

// Issue runs a prepared command locally and queues it (see Do).
func (d *Desk) Issue(ctx context.Context, cmd domain.Command) error {
	if d.review != nil {
		return ErrReadOnly
	}
	by := d.actor()
	opts := d.execOptions(ctx)
	// first learn which rows it writes, without keeping anything
	var refs []domain.Ref
	err := d.cache.Update(ctx, func(tx *store.Tx) error {
		var err error
		if refs, err = command.Execute(tx, cmd, by, opts); err != nil {
			return err
		}
		return errDryRun
	})
	if !errors.Is(err, errDryRun) {
		return err
	}
	err = d.cache.Update(ctx, func(tx *store.Tx) error {
		for _, r := range refs {
			if _, ok, err := tx.Shadow(r); err != nil {
				return err
			} else if ok {
				continue // an earlier pending command already keeps its server state
			}
			row, ok, err := tx.Row(r)
			if err != nil {
				return err
			}
			if !ok {
				row = json.RawMessage("null")
			}
			if err := tx.SetShadow(r, row); err != nil {
				return err
			}
		}
		if _, err := command.Execute(tx, cmd, by, opts); err != nil {
			return err
		}
		return tx.Enqueue(cmd, refs)
	})
	if err != nil {
		return fmt.Errorf("desk: %s: %w", cmd.Type, err)
	}
	kinds := map[string]bool{"outbox": true}
	for _, r := range refs {
		kinds[r.Kind] = true
	}
	d.emit(Event{Data: kinds})
	d.mu.Lock()
	rep := d.rep
	d.mu.Unlock()
	if rep != nil {
		rep.Kick()
	}
	return nil
}

// issueTime is now, but strictly after the previous command's time (at
// millisecond precision, as stored), so timelines keep the order of issue.
func (d *Desk) issueTime() time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := time.Now().Truncate(time.Millisecond)
	if !now.After(d.lastIssued) {
		now = d.lastIssued.Add(time.Millisecond)
	}
	d.lastIssued = now
	return now
}

func (d *Desk) actor() command.Actor {
	u := d.User()
	return command.Actor{ID: u.ID, Name: u.Name, Role: u.Role}
}

func (d *Desk) execOptions(ctx context.Context) command.Options {
	return command.Options{UserName: func(id string) string {
		names, err := d.cache.Names(ctx)
		if err != nil {
			return ""
		}
		return names.Users[id]
	}, Locate: func(lon, lat float64) string {
		grids, err := d.cache.Grids(ctx)
		if err != nil {
			return ""
		}
		if g, ok := zone.New(grids).Finest(orb.Point{lon, lat}); ok {
			return g.ID
		}
		return ""
	}}
}

// rebase is the replica's hook: see replica.Options.Rebase.
func (d *Desk) rebase(tx *store.Tx, refs []domain.Ref, reset bool) error {
	pending, err := tx.Pending()
	if err != nil {
		return err
	}
	changed := map[domain.Ref]bool{}
	for _, r := range refs {
		changed[r] = true
	}
	needed := map[domain.Ref]bool{}
	for _, p := range pending {
		for _, r := range p.Touches {
			needed[r] = true
		}
	}
	if reset {
		for _, r := range refs {
			data, ok, err := tx.Shadow(r)
			if err != nil || !ok {
				if err != nil {
					return err
				}
				continue
			}
			if string(data) == "null" {
				if err := tx.Delete(r.Kind, r.ID); err != nil {
					return err
				}
			} else if err := tx.Apply(domain.Change{Kind: r.Kind, ID: r.ID, Op: domain.OpUpsert, Data: data}); err != nil {
				return err
			}
		}
		by := d.actor()
		for _, p := range pending {
			touches := false
			for _, r := range p.Touches {
				touches = touches || changed[r]
			}
			if touches {
				// refused now means the server will refuse it too: leave it to say so
				command.Execute(tx, p.Command, by, command.Options{})
			}
		}
	}
	for _, r := range refs {
		if !needed[r] {
			if err := tx.DropShadow(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// Outbox lists the commands waiting to be sent and those the server refused.
func (d *Desk) Outbox(ctx context.Context) ([]domain.OutboxItem, error) {
	return d.cache.Outbox(ctx, "")
}

// Dismiss removes a rejected command the user has read.
func (d *Desk) Dismiss(ctx context.Context, id string) error {
	err := d.cache.Update(ctx, func(tx *store.Tx) error { return tx.Dequeue(id) })
	if err == nil {
		d.mu.Lock()
		rep := d.rep
		d.mu.Unlock()
		if rep != nil {
			rep.Kick()
		}
		d.emit(Event{Data: map[string]bool{"outbox": true}})
	}
	return err
}
