package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"griddesk/core/command"
	"griddesk/core/plan"
	"griddesk/domain"
)

// PlanRequest says what to plan: a period, some teams and, optionally, the
// entities in scope (nil: everything the teams cover).
type PlanRequest struct {
	Start, End time.Time
	TeamIDs    []string
	EntityIDs  []string
}

// PlanInput gathers the planner's input from the local copy: entities,
// catalog, teams with their inspection grids, grids, when each item was
// last checked, and the working-day calendar.
func (d *Desk) PlanInput(ctx context.Context, req PlanRequest) (plan.Input, error) {
	var in plan.Input
	units, err := d.cache.Units(ctx)
	if err != nil {
		return in, fmt.Errorf("desk: plan input: %w", err)
	}
	want := map[string]bool{}
	for _, id := range req.TeamIDs {
		want[id] = true
	}
	var teams []domain.Unit
	for _, u := range units {
		if u.Kind == domain.UnitTeam && (len(want) == 0 || want[u.ID]) {
			teams = append(teams, u)
		}
	}
	if len(teams) == 0 {
		return in, fmt.Errorf("desk: plan input: no inspection team chosen")
	}
	es, err := d.cache.Entities(ctx)
	if err != nil {
		return in, fmt.Errorf("desk: plan input: %w", err)
	}
	if len(req.EntityIDs) > 0 {
		scope := map[string]bool{}
		for _, id := range req.EntityIDs {
			scope[id] = true
		}
		kept := es[:0]
		for _, e := range es {
			if scope[e.ID] {
				kept = append(kept, e)
			}
		}
		es = kept
	}
	items, err := d.cache.CheckItems(ctx)
	if err != nil {
		return in, fmt.Errorf("desk: plan input: %w", err)
	}
	grids, err := d.cache.Grids(ctx)
	if err != nil {
		return in, fmt.Errorf("desk: plan input: %w", err)
	}
	ins, err := d.cache.AllInspections(ctx)
	if err != nil {
		return in, fmt.Errorf("desk: plan input: %w", err)
	}
	return plan.Input{Start: req.Start, End: req.End, Teams: plan.TeamsFromUnits(teams), Entities: es, Catalog: items,
		Grids: grids, Last: plan.LastFromInspections(ins), Calendar: d.cal}, nil
}

// GeneratePlan plans the request (it may take a few seconds for a quarter).
func (d *Desk) GeneratePlan(ctx context.Context, req PlanRequest) (*plan.Plan, error) {
	in, err := d.PlanInput(ctx, req)
	if err != nil {
		return nil, err
	}
	p, err := plan.Generate(in)
	if err != nil {
		return p, fmt.Errorf("desk: plan: %w", err)
	}
	return p, nil
}

// PublishPlan issues plan.publish for every team of the plan (one command
// each); the visits reach the teams through the server. It returns the
// number of visits published.
func (d *Desk) PublishPlan(ctx context.Context, p *plan.Plan, title string) (int, error) {
	planID := uuid.NewString()
	summary, _ := json.Marshal(map[string]any{"baseline": p.Baseline, "merged": p.Merged, "reduction": p.Reduction})
	byTeam := map[string][]command.PlannedVisit{}
	for _, day := range p.Days {
		for i, s := range day.Stops {
			byTeam[day.TeamID] = append(byTeam[day.TeamID], command.PlannedVisit{EntityID: s.EntityID, Day: day.Date, Seq: i + 1,
				Items: s.Items, Departments: s.Departments, Minutes: s.Minutes, Joint: s.Joint})
		}
	}
	n := 0
	for _, t := range p.Teams {
		visits := byTeam[t.ID]
		if len(visits) == 0 {
			continue
		}
		args := command.PlanArgs{PlanID: planID, Title: title, TeamID: t.ID, Start: p.Period.Start, End: p.Period.End,
			Summary: summary, Visits: visits}
		raw, err := json.Marshal(args)
		if err != nil {
			return n, fmt.Errorf("desk: publish plan: %w", err)
		}
		cmd := domain.Command{ID: uuid.NewString(), Type: command.PlanPublish, Args: raw, IssuedAt: d.issueTime()}
		if err := d.Issue(ctx, cmd); err != nil {
			return n, fmt.Errorf("desk: publish plan for %s: %w", t.Name, err)
		}
		n += len(visits)
	}
	return n, nil
}

// Plans lists the published plans in the local copy.
func (d *Desk) Plans(ctx context.Context) ([]domain.Plan, error) { return d.cache.Plans(ctx) }
