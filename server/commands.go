package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/store"
)

// MaxBatch is the most commands one POST /api/v1/commands may carry.
const MaxBatch = 100

// CommandsRequest is the body of POST /api/v1/commands.
type CommandsRequest struct {
	Commands []domain.Command `json:"commands"`
}

// CommandResult is the server's answer for one command.
type CommandResult struct {
	ID      string               `json:"id"`
	Status  domain.CommandStatus `json:"status"`
	Problem *Problem             `json:"problem,omitempty"`
}

// CommandsResponse is the answer of POST /api/v1/commands, one result per
// command in the order sent.
type CommandsResponse struct {
	Results []CommandResult `json:"results"`
}

func (s *Server) commands(w http.ResponseWriter, r *http.Request) {
	var req CommandsRequest
	if !decodeLimit(w, r, &req, maxCommandsBody) {
		return
	}
	switch {
	case req.Commands == nil:
		badField(w, "commands", "commands is required")
		return
	case len(req.Commands) > MaxBatch:
		badField(w, "commands", fmt.Sprintf("a batch holds at most %d commands, got %d", MaxBatch, len(req.Commands)))
		return
	}
	by := userFrom(r.Context())
	remote := s.clientAddr(r)
	res := CommandsResponse{Results: make([]CommandResult, 0, len(req.Commands))}
	for i, c := range req.Commands {
		if s.opts.CommandDelay > 0 {
			time.Sleep(s.opts.CommandDelay)
		}
		out, err := s.Apply(r.Context(), c, by, remote)
		if err != nil {
			s.internal(w, r, fmt.Errorf("command %d: %w", i, err))
			return
		}
		res.Results = append(res.Results, out)
	}
	writeJSON(w, http.StatusOK, res)
}

// The window of issue times the server takes: a desk offline for weeks
// still lands its work; a clock far in the future or the past is refused.
const (
	maxIssueAge  = 90 * 24 * time.Hour
	maxIssueSkew = 2 * time.Minute
)

// Apply runs one command exactly once. Its id is the idempotency key, bound
// to the command's content and sender: the same command sent again answers
// with its first result (duplicate, or the same rejection); the same id with
// another type, arguments or sender is refused with 409 and changes
// nothing; upper- and lower-case spellings of an id are one command. A
// refused command changes nothing but the audit log, which keeps it without
// the bulk of its arguments.
func (s *Server) Apply(ctx context.Context, c domain.Command, by domain.User, remote string) (CommandResult, error) {
	now := s.opts.Now()
	res := CommandResult{ID: c.ID} // answered as sent
	c.ID = command.Canonical(c.ID)
	digest := command.Digest(c)
	reject := func(p Problem) (CommandResult, error) {
		res.Status, res.Problem = domain.Rejected, &p
		raw, _ := json.Marshal(p)
		if p.Field == "id" || c.ID == "" {
			return res, nil // no usable id: nothing to record against
		}
		rec := domain.CommandRecord{Command: c, Actor: by.ID, ReceivedAt: now, Remote: remote, Status: domain.Rejected,
			Problem: raw, Digest: digest}
		rec.Args = command.Summary(c.Args)
		err := s.update(ctx, func(tx *store.Tx) error {
			if _, err := tx.CommandRecord(c.ID); err == nil {
				return nil
			}
			return tx.PutCommandRecord(rec)
		})
		return res, err
	}
	switch {
	case !c.IssuedAt.IsZero() && c.IssuedAt.After(now.Add(maxIssueSkew)):
		return reject(Problem{Type: problemBase + "invalid-field", Title: "Invalid command", Status: 422, Field: "issued_at",
			Detail: fmt.Sprintf("issued_at %s is in the future", c.IssuedAt.Format(time.RFC3339))})
	case !c.IssuedAt.IsZero() && c.IssuedAt.Before(now.Add(-maxIssueAge)):
		return reject(Problem{Type: problemBase + "invalid-field", Title: "Invalid command", Status: 422, Field: "issued_at",
			Detail: fmt.Sprintf("issued_at %s is more than %d days ago", c.IssuedAt.Format(time.RFC3339), int(maxIssueAge.Hours()/24))})
	}
	dec, decErr := command.Decode(c) // checked once, outside the transaction
	var first *domain.CommandRecord
	var cmdErr error
	gridsChanged := false
	opts := s.execOptions(ctx)
	err := s.update(ctx, func(tx *store.Tx) error {
		if rec, err := tx.CommandRecord(c.ID); err == nil {
			first = &rec
			return errSeen
		}
		if decErr != nil {
			cmdErr = decErr
			return errSeen
		}
		refs, err := dec.Execute(tx, command.ActorOf(by), opts)
		if err != nil {
			cmdErr = err
			return err
		}
		gridsChanged = slices.ContainsFunc(refs, func(r domain.Ref) bool { return r.Kind == domain.KindGrid })
		return tx.PutCommandRecord(domain.CommandRecord{Command: c, Actor: by.ID, ReceivedAt: now, Remote: remote,
			Status: domain.Applied, Digest: digest})
	})
	var ce *command.Error
	switch {
	case first != nil && (first.Actor != by.ID || (first.Digest != "" && first.Digest != digest)):
		p := Problem{Type: problemBase + "id-reused", Title: "Command id reused", Status: http.StatusConflict, Field: "id",
			Detail: fmt.Sprintf("command id %s was used for another command; make a new id for a new command", c.ID),
			Code:   "id_reused", Params: map[string]string{"id": c.ID}}
		res.Status, res.Problem = domain.Rejected, &p
		return res, nil
	case first != nil:
		if first.Status == domain.Rejected {
			var p Problem
			json.Unmarshal(first.Problem, &p)
			res.Status, res.Problem = domain.Rejected, &p
			return res, nil
		}
		res.Status = domain.Duplicate
		return res, nil
	case errors.As(cmdErr, &ce):
		return reject(Problem{Type: problemBase + ce.Kind, Title: "Command refused", Status: ce.Status, Detail: ce.Detail, Field: ce.Field,
			Code: ce.Key, Params: ce.Params})
	case err != nil && !errors.Is(err, errSeen):
		return res, err
	}
	if gridsChanged {
		// the next case placed here lands in the new boundaries
		if err := s.loadZones(ctx); err != nil {
			s.opts.Logger.Error("reload grids after import", "command", c.ID, "err", err)
		}
	}
	res.Status = domain.Applied
	return res, nil
}

var errSeen = errors.New("nothing to write")

// execOptions are the options of a command run; call it before the
// command's transaction (it may read the grids through another connection).
func (s *Server) execOptions(ctx context.Context) command.Options {
	zones := s.zoneIndex(ctx)
	return command.Options{
		CheckVersion: true,
		Locate: func(lon, lat float64) string {
			if g, ok := zones.Finest(orb.Point{lon, lat}); ok {
				return g.ID
			}
			return ""
		},
		UserName: func(id string) string {
			name, _ := s.st.UserName(ctx, id) // a name only words a message
			return name
		},
	}
}
