package desk

import (
	"context"
	"time"

	"github.com/paulmach/orb"

	"griddesk/core/command"
	"griddesk/desk/replica"
	"griddesk/domain"
	"griddesk/domain/zone"
	"griddesk/store"
)

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

// Issue runs a prepared command once on the local copy and queues it (see
// Do and replica.Issue).
func (d *Desk) Issue(ctx context.Context, cmd domain.Command) error {
	if d.review != nil {
		return ErrReadOnly
	}
	dec, err := command.Decode(cmd)
	if err != nil {
		return err
	}
	refs, err := replica.Issue(ctx, d.cache, dec, d.actor(), d.execOptions(ctx))
	if err != nil {
		return err
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
	return command.ActorOf(d.User())
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
