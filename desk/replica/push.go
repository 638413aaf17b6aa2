package replica

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"griddesk/domain"
	"griddesk/domain/photo"
	"griddesk/store"
)

// A POST carries at most pushBatch commands and about pushBytes of
// arguments (a plan.publish is large), but always at least one command.
const (
	pushBatch = 100
	pushBytes = 4 << 20
)

func batch(items []domain.OutboxItem) []domain.OutboxItem {
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
// effect is undone (rebase). It returns how many were answered.
func (r *Replica) Push(ctx context.Context) (int, error) {
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
		named := make([][]string, len(items))
		var all []string
		for i, it := range items {
			named[i] = namedPhotos(it.Command)
			all = append(all, named[i]...)
		}
		refused, err := r.uploadPhotos(ctx, all)
		if err != nil {
			return total, err
		}
		cmds := make([]domain.Command, len(items))
		for i, it := range items {
			cmds[i] = it.Command
		}
		results, err := r.c.Commands(ctx, cmds)
		if err != nil {
			return total, err
		}
		kinds := map[string]bool{"outbox": true} // what the answers changed locally
		err = r.st.Update(ctx, func(tx *store.Tx) error {
			for i, res := range results {
				it := items[i]
				if res.ID != it.Command.ID {
					return fmt.Errorf("replica: result %d is for %s, sent %s", i, res.ID, it.Command.ID)
				}
				switch res.Status {
				case domain.Applied, domain.Duplicate:
					if err := tx.Dequeue(it.Command.ID); err != nil {
						return err
					}
					if err := r.rebase(tx, it.Touches, false); err != nil {
						return err
					}
				case domain.Rejected:
					reason := domain.Refusal{Detail: "rejected"}
					if res.Problem != nil {
						reason = domain.Refusal{Detail: res.Problem.Detail, Code: res.Problem.Code, Params: res.Problem.Params}
						if reason.Detail == "" {
							reason.Detail = res.Problem.Title
						}
					}
					for _, id := range named[i] {
						if why, ok := refused[id]; ok { // the server's own words on the photo say more
							reason = domain.Refusal{Detail: fmt.Sprintf("photo %s was refused: %s", photo.Short(id), why)}
							break
						}
					}
					if err := tx.MarkRejected(it.Command.ID, reason); err != nil {
						return err
					}
					for _, ref := range it.Touches {
						kinds[ref.Kind] = true // undone
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
			r.opts.OnData(kinds)
		}
	}
}

// namedPhotos lists the photo IDs a command's arguments name (inspection
// and rectification photos; case commands' photo links are not IDs).
func namedPhotos(c domain.Command) []string {
	var a struct {
		Photos []string `json:"photos"`
	}
	if json.Unmarshal(c.Args, &a) != nil {
		return nil
	}
	var ids []string
	for _, id := range a.Photos {
		if photo.ValidID(id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// uploadPhotos sends the photos taken at this desk that a batch of
// commands names, just before the batch, so that no command reaches the
// server before its photos. A photo the server refuses as a photo (415,
// 422) is marked refused with the reason, returned by ID, and the command
// naming it is then refused in turn; any other failure (the network, the
// server, a proxy's size limit) stops the push until the next try, the
// photo still pending. Photos no command names (taken out of a form again)
// are never sent.
func (r *Replica) uploadPhotos(ctx context.Context, ids []string) (map[string]string, error) {
	refused := map[string]string{}
	for _, id := range ids {
		state, reason, err := r.st.PhotoState(ctx, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			continue // not taken here: the server has it, or refuses the command
		case err != nil:
			return nil, err
		case state == domain.PhotoStored:
			continue
		case state == domain.PhotoRefused:
			refused[id] = reason
			continue
		}
		p, err := r.st.Photo(ctx, id)
		if err != nil {
			return nil, err
		}
		_, err = r.c.UploadPhoto(ctx, p.MIME, p.Data)
		var prob *Problem
		switch {
		case err == nil:
			err = r.st.SetPhotoState(ctx, id, domain.PhotoStored, "")
		case errors.As(err, &prob) && (prob.Status == http.StatusUnsupportedMediaType || prob.Status == http.StatusUnprocessableEntity):
			reason := prob.Detail
			if reason == "" {
				reason = prob.Title
			}
			refused[id] = reason
			err = r.st.SetPhotoState(ctx, id, domain.PhotoRefused, reason)
		}
		if err != nil {
			return nil, err
		}
	}
	return refused, nil
}

// refreshOutbox recounts pending and rejected commands for the status bar.
func (r *Replica) refreshOutbox(ctx context.Context) {
	items, err := r.st.Outbox(ctx, "")
	if err != nil {
		return
	}
	pending, rejected := 0, 0
	for _, it := range items {
		if it.State == domain.OutboxRejected {
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
