package replica

import (
	"context"
	"fmt"
	"sync/atomic"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/store"
)

// The optimistic path of a user action, in one place: Issue runs a command
// once on the local copy, keeping the server's state of every row it writes
// (the shadow) and queueing it in the outbox in the same transaction; Push
// sends it; the server's answer and every pulled change settle it through
// rebase, which undoes a refused command exactly and keeps the effects of
// the pending ones on top of the server's newer rows.

// executions counts the commands run on local copies in this process:
// issued and run again by rebases.
var executions atomic.Int64

// Executions is how many times commands ran on local copies in this
// process (Issue and rebases), for tests and diagnostics: a command issued
// and answered without conflict runs once.
func Executions() int64 { return executions.Load() }

// Issue applies a decoded command to the local copy as its optimistic
// effect and queues it: the effect, the shadows of the rows it writes and
// the outbox entry land in one transaction, from one execution. A command
// the local state refuses returns its *command.Error and changes nothing.
// It returns the rows the command wrote.
func Issue(ctx context.Context, st *store.Store, dec command.Decoded, by command.Actor, opts command.Options) ([]domain.Ref, error) {
	var refs []domain.Ref
	err := st.Update(ctx, func(tx *store.Tx) error {
		tx.KeepShadows(true)
		executions.Add(1)
		if _, err := dec.Execute(tx, by, opts); err != nil {
			return err
		}
		refs = tx.Touched()
		return tx.Enqueue(dec.Command, refs)
	})
	if err != nil {
		return nil, fmt.Errorf("replica: %s: %w", dec.Type, err)
	}
	return refs, nil
}

// rebase settles rows whose server state changed (pulled) or whose command
// left the outbox (answered). With reset it puts the server's state of refs
// back (their shadows) and runs the pending commands that touch them again
// on top, in issue order: a refused command's effect is undone, pending
// ones stand on the server's newer rows. A pending command the rows now
// refuse is left for the server to refuse. Then it drops the shadows no
// pending command needs.
func (r *Replica) rebase(tx *store.Tx, refs []domain.Ref, reset bool) error {
	if len(refs) == 0 {
		return nil
	}
	pending, err := tx.Pending()
	if err != nil {
		return err
	}
	changed := map[domain.Ref]bool{}
	for _, ref := range refs {
		changed[ref] = true
	}
	if reset {
		for _, ref := range refs {
			data, ok, err := tx.Shadow(ref)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if string(data) == "null" {
				err = tx.Delete(ref.Kind, ref.ID)
			} else {
				err = tx.Apply(domain.Change{Kind: ref.Kind, ID: ref.ID, Op: domain.OpUpsert, Data: data})
			}
			if err != nil {
				return err
			}
		}
		by := command.ActorOf(r.user())
		tx.KeepShadows(true) // a command may now write a row it did not before
		defer tx.KeepShadows(false)
		for i, p := range pending {
			touches := false
			for _, ref := range p.Touches {
				touches = touches || changed[ref]
			}
			if !touches {
				continue
			}
			tx.ResetTouched()
			executions.Add(1)
			if _, err := command.Execute(tx, p.Command, by, command.Options{}); err != nil {
				continue // refused now means the server refuses it too: it will say so
			}
			if more := newRefs(p.Touches, tx.Touched()); len(more) > 0 {
				pending[i].Touches = append(p.Touches, more...)
				if err := tx.SetTouches(p.Command.ID, pending[i].Touches); err != nil {
					return err
				}
			}
		}
	}
	needed := map[domain.Ref]bool{}
	for _, p := range pending {
		for _, ref := range p.Touches {
			needed[ref] = true
		}
	}
	for _, ref := range refs {
		if !needed[ref] {
			if err := tx.DropShadow(ref); err != nil {
				return err
			}
		}
	}
	return nil
}

// newRefs lists the refs of now that were not in before.
func newRefs(before, now []domain.Ref) []domain.Ref {
	seen := map[domain.Ref]bool{}
	for _, r := range before {
		seen[r] = true
	}
	var out []domain.Ref
	for _, r := range now {
		if !seen[r] {
			out = append(out, r)
		}
	}
	return out
}
