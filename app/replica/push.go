package replica

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"griddesk/store"
)

// A POST carries at most pushBatch commands and about pushBytes of
// arguments (a plan.publish is large), but always at least one command.
const (
	pushBatch = 100
	pushBytes = 4 << 20
)

func batch(items []store.OutboxItem) []store.OutboxItem {
	size := 0
	for i, it := range items {
		size += len(it.Command.Args)
		if i == pushBatch || (i > 0 && size > pushBytes) {
			return items[:i]
		}
	}
	return items
}

// Push drains the outbox in issue order. Applied and duplicate commands leave
// it; rejected ones stay, marked with the server's reason, and their local
// effect is undone (Options.Rebase). It returns how many were answered.
func (r *Replica) Push(ctx context.Context) (int, error) {
	if err := r.uploadPhotos(ctx); err != nil {
		return 0, err
	}
	total := 0
	for {
		items, err := r.st.Outbox(ctx, "pending")
		if err != nil {
			return total, err
		}
		if len(items) == 0 {
			r.refreshOutbox(ctx)
			return total, nil
		}
		items = batch(items)
		cmds := make([]store.Command, len(items))
		for i, it := range items {
			cmds[i] = it.Command
		}
		results, err := r.c.Commands(ctx, cmds)
		if err != nil {
			return total, err
		}
		err = r.st.Update(ctx, func(tx *store.Tx) error {
			for i, res := range results {
				it := items[i]
				if res.ID != it.Command.ID {
					return fmt.Errorf("replica: result %d is for %s, sent %s", i, res.ID, it.Command.ID)
				}
				switch res.Status {
				case store.Applied, store.Duplicate:
					if err := tx.Dequeue(it.Command.ID); err != nil {
						return err
					}
					if err := r.rebase(tx, it.Touches, false); err != nil {
						return err
					}
				case store.Rejected:
					reason := "rejected"
					if res.Problem != nil {
						reason = res.Problem.Detail
						if reason == "" {
							reason = res.Problem.Title
						}
					}
					if err := tx.MarkRejected(it.Command.ID, reason); err != nil {
						return err
					}
					if err := r.rebase(tx, it.Touches, true); err != nil {
						return err
					}
				default:
					return fmt.Errorf("replica: command %s: unknown status %q", res.ID, res.Status)
				}
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("replica: settle pushed commands: %w", err)
		}
		total += len(results)
		r.progress.Store(true)
		if r.opts.OnData != nil {
			r.opts.OnData(map[string]bool{"outbox": true, store.KindCase: true})
		}
	}
}

// uploadPhotos sends the photos taken at this desk before the commands
// that name them. A photo the server refuses (4xx) is marked refused with
// the reason, and the command naming it is then refused in turn; any other
// failure stops the push until the next try.
func (r *Replica) uploadPhotos(ctx context.Context) error {
	ids, err := r.st.PendingPhotos(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		p, err := r.st.Photo(ctx, id)
		if err != nil {
			return err
		}
		_, err = r.c.UploadPhoto(ctx, p.MIME, p.Data)
		var prob *Problem
		switch {
		case err == nil:
			err = r.st.SetPhotoState(ctx, id, store.PhotoStored, "")
		case errors.As(err, &prob) && prob.Status >= 400 && prob.Status < 500 && !errors.Is(err, ErrUnauthorized) &&
			prob.Status != http.StatusRequestTimeout && prob.Status != http.StatusTooManyRequests:
			reason := prob.Detail
			if reason == "" {
				reason = prob.Title
			}
			err = r.st.SetPhotoState(ctx, id, store.PhotoRefused, reason)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *Replica) rebase(tx *store.Tx, refs []store.Ref, reset bool) error {
	if r.opts.Rebase == nil || len(refs) == 0 {
		return nil
	}
	return r.opts.Rebase(tx, refs, reset)
}

// refreshOutbox recounts pending and rejected commands for the status bar.
func (r *Replica) refreshOutbox(ctx context.Context) {
	items, err := r.st.Outbox(ctx, "")
	if err != nil {
		return
	}
	pending, rejected := 0, 0
	for _, it := range items {
		if it.State == "rejected" {
			rejected++
		} else {
			pending++
		}
	}
	r.setStatus(func(s *Status) { s.Pending, s.Rejected = pending, rejected })
}

// Kick wakes the loop at once (a command was queued): it stops waiting on
// the long-poll and pushes.
func (r *Replica) Kick() {
	r.mu.Lock()
	k := r.kick
	r.mu.Unlock()
	if k != nil {
		k()
	}
	r.refreshOutbox(context.Background())
}
