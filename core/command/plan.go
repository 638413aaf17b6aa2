package command

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"griddesk/domain"
	"griddesk/store"
)

// PlanPublish turns a team's planned visits into its inspection tasks.
const PlanPublish = "plan.publish"

// MaxVisits is the most visits one plan.publish may carry (a team's quarter).
const MaxVisits = 5000

// PlanArgs are the arguments of plan.publish: one team's part of a plan.
type PlanArgs struct {
	PlanID  string          `json:"plan_id"`
	Title   string          `json:"title"`
	TeamID  string          `json:"team_id"`
	Start   time.Time       `json:"start"`
	End     time.Time       `json:"end"`
	Summary json.RawMessage `json:"summary,omitempty"`
	Visits  []PlannedVisit  `json:"visits"`
}

// PlannedVisit is one stop of a team's day.
type PlannedVisit struct {
	EntityID    string    `json:"entity_id"`
	Day         time.Time `json:"day"`
	Seq         int       `json:"seq"`
	Items       []string  `json:"items"`
	Departments []string  `json:"departments,omitempty"`
	Minutes     float64   `json:"minutes"`
	Joint       bool      `json:"joint,omitempty"`
}

func decodePlan(c domain.Command) (PlanArgs, error) {
	var a PlanArgs
	if err := strictDecode(c, &a); err != nil {
		return a, err
	}
	switch {
	case a.PlanID == "":
		return a, invalid("args.plan_id", "args.plan_id is required (a client-made ID)")
	case a.Title == "":
		return a, invalid("args.title", "a plan needs a title")
	case a.TeamID == "":
		return a, invalid("args.team_id", "args.team_id is required")
	case a.Start.IsZero() || a.End.IsZero() || a.End.Before(a.Start):
		return a, invalid("args.end", "the period %s – %s is not a period", a.Start.Format("2006-01-02"), a.End.Format("2006-01-02"))
	case len(a.Visits) == 0:
		return a, invalid("args.visits", "a plan needs at least one visit")
	case len(a.Visits) > MaxVisits:
		return a, invalid("args.visits", "at most %d visits per team and plan, got %d", MaxVisits, len(a.Visits))
	case a.End.Sub(a.Start) > maxAhead:
		return a, invalid("args.end", "a plan covers at most a year")
	case len(a.Summary) > maxSummary:
		return a, invalid("args.summary", "the summary is larger than %d KB", maxSummary>>10)
	}
	if err := firstError(checkID("args.plan_id", a.PlanID, false), checkText("args.title", a.Title, domain.MaxTitle),
		checkID("args.team_id", a.TeamID, false)); err != nil {
		return a, err
	}
	for i, v := range a.Visits {
		if v.EntityID == "" || v.Day.IsZero() || len(v.Items) == 0 {
			return a, invalid(fmt.Sprintf("args.visits[%d]", i), "a visit needs an entity, a day and at least one item")
		}
		if err := firstError(checkID(itemField("args.visits", i, "entity_id"), v.EntityID, false),
			checkLen(itemField("args.visits", i, "items"), len(v.Items), maxItems),
			checkLen(itemField("args.visits", i, "departments"), len(v.Departments), 20)); err != nil {
			return a, err
		}
		for j, it := range v.Items {
			if err := checkID(fmt.Sprintf("args.visits[%d].items[%d]", i, j), it, false); err != nil {
				return a, err
			}
		}
		for j, d := range v.Departments {
			if err := checkText(fmt.Sprintf("args.visits[%d].departments[%d]", i, j), d, domain.MaxShort); err != nil {
				return a, err
			}
		}
		if v.Minutes < 0 || v.Minutes > 600 || math.IsNaN(v.Minutes) || v.Seq < 0 || v.Seq > 1000 {
			return a, invalid(itemField("args.visits", i, "minutes"), "a visit takes 0–600 minutes at stop 0–1000")
		}
		if v.Day.Before(a.Start.Add(-24*time.Hour)) || v.Day.After(a.End.Add(24*time.Hour)) {
			return a, invalid(fmt.Sprintf("args.visits[%d].day", i), "day %s is outside the plan's period", v.Day.Format("2006-01-02"))
		}
	}
	return a, nil
}

func publish(tx *store.Tx, c domain.Command, a PlanArgs, by Actor, opts Options) ([]domain.Ref, error) {
	if opts.scope == OwnTeam {
		if err := checkTeam(tx, by, a.TeamID, "team "+a.TeamID); err != nil {
			return nil, err
		}
	}
	for i, v := range a.Visits { // the register's entities only
		if _, err := tx.Entity(v.EntityID); errors.Is(err, store.ErrNotFound) {
			return nil, invalid(itemField("args.visits", i, "entity_id"), "entity %s does not exist", v.EntityID)
		} else if err != nil {
			return nil, err
		}
	}
	id := a.PlanID + "/" + a.TeamID
	if _, ok, err := tx.Row(domain.Ref{Kind: domain.KindPlan, ID: id}); err != nil {
		return nil, err
	} else if ok {
		return nil, conflict("plan %s was already published for team %s; publish a new plan", a.PlanID, a.TeamID)
	}
	if _, err := tx.Unit(a.TeamID); errors.Is(err, store.ErrNotFound) {
		return nil, invalid("args.team_id", "team %s does not exist", a.TeamID)
	} else if err != nil {
		return nil, err
	}
	at := c.IssuedAt
	p := domain.Plan{ID: id, Title: a.Title, TeamID: a.TeamID, Start: a.Start, End: a.End, Summary: a.Summary,
		PublishedBy: by.ID, PublishedAt: at, UpdatedAt: at}
	if err := tx.PutPlan(&p); err != nil {
		return nil, err
	}
	refs := []domain.Ref{{Kind: domain.KindPlan, ID: p.ID}}
	for i, v := range a.Visits {
		if _, err := tx.Entity(v.EntityID); errors.Is(err, store.ErrNotFound) {
			return nil, invalid(fmt.Sprintf("args.visits[%d].entity_id", i), "entity %s does not exist", v.EntityID)
		} else if err != nil {
			return nil, err
		}
		vis := domain.Visit{ID: fmt.Sprintf("%s/%04d", p.ID, i+1), PlanID: p.ID, TeamID: a.TeamID, EntityID: v.EntityID, Day: v.Day,
			Seq: v.Seq, Items: v.Items, Departments: v.Departments, Minutes: v.Minutes, Joint: v.Joint, Status: domain.VisitPlanned, UpdatedAt: at}
		if err := tx.PutVisit(&vis); err != nil {
			return nil, err
		}
		refs = append(refs, domain.Ref{Kind: domain.KindVisit, ID: vis.ID})
	}
	return refs, nil
}
