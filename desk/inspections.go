package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/google/uuid"

	"griddesk/core/command"
	"griddesk/core/plan"
	"griddesk/core/report"
	"griddesk/core/stats"
	"griddesk/domain"
	"griddesk/domain/colorcode"
)

// CodeChange is one step of an entity's colour-code history.
type CodeChange struct {
	At           time.Time
	InspectionID string // the accepted inspection that moved it
	From, To     string
	Reason       string // why, in Chinese (colorcode.Result.Reason)
	Rule         string // the rule applied, a colorcode.Rule… key
}

// EntityPage is everything the entity page shows.
type EntityPage struct {
	Entity      domain.Entity
	GridName    string
	Inspections []domain.Inspection // oldest first
	Findings    []domain.Finding
	Cases       []domain.Case
	Items       map[string]domain.CheckItem
	Applicable  []domain.CheckItem // the union of every department's items for it
	CodeHistory []CodeChange
	Visits      []PlannedVisit // published plans' visits to it, by day
}

// PlannedVisit is a published plan's visit with the plan's title.
type PlannedVisit struct {
	domain.Visit
	PlanTitle string
}

// Entity reads an entity's page from the local copy.
func (d *Desk) EntityPage(ctx context.Context, id string) (EntityPage, error) {
	var p EntityPage
	var err error
	if p.Entity, err = d.cache.Entity(ctx, id); err != nil {
		return p, fmt.Errorf("desk: entity page: %w", err)
	}
	names, err := d.cache.Names(ctx)
	if err != nil {
		return p, fmt.Errorf("desk: entity page: %w", err)
	}
	p.GridName = names.Grids[p.Entity.GridID]
	if p.Inspections, err = d.cache.Inspections(ctx, id); err != nil {
		return p, fmt.Errorf("desk: entity page: %w", err)
	}
	if p.Findings, err = d.cache.Findings(ctx, id); err != nil {
		return p, fmt.Errorf("desk: entity page: %w", err)
	}
	if p.Cases, err = d.cache.CasesOf(ctx, id); err != nil {
		return p, fmt.Errorf("desk: entity page: %w", err)
	}
	if err := d.plannedVisits(ctx, &p); err != nil {
		return p, fmt.Errorf("desk: entity page: %w", err)
	}
	items, err := d.cache.CheckItems(ctx)
	if err != nil {
		return p, fmt.Errorf("desk: entity page: %w", err)
	}
	p.Items = map[string]domain.CheckItem{}
	for _, it := range items {
		p.Items[it.ID] = it
		if plan.Applies(it, &p.Entity) {
			p.Applicable = append(p.Applicable, it)
		}
	}
	// the code's history: the rules replayed over the accepted visits in
	// inspection-time order, as the review command does
	byInsp := map[string][]domain.Finding{}
	for _, f := range p.Findings {
		byInsp[f.InspectionID] = append(byInsp[f.InspectionID], f)
	}
	accepted := colorcode.Accepted(p.Inspections)
	for _, s := range colorcode.History(colorcode.Base(colorcode.Code(p.Entity.Code), accepted), accepted, byInsp) {
		if s.Changed {
			p.CodeHistory = append(p.CodeHistory, CodeChange{At: s.Inspection.At, InspectionID: s.Inspection.ID,
				From: string(s.Before), To: string(s.Code), Reason: s.Reason, Rule: s.Rule})
		}
	}
	return p, nil
}

// plannedVisits fills the page's visits and names their plans.
func (d *Desk) plannedVisits(ctx context.Context, p *EntityPage) error {
	vs, err := d.cache.EntityVisits(ctx, p.Entity.ID)
	if err != nil || len(vs) == 0 {
		return err
	}
	plans, err := d.cache.Plans(ctx)
	if err != nil {
		return err
	}
	title := make(map[string]string, len(plans))
	for _, pl := range plans {
		title[pl.ID] = pl.Title
	}
	for _, v := range vs {
		p.Visits = append(p.Visits, PlannedVisit{Visit: v, PlanTitle: title[v.PlanID]})
	}
	return nil
}

// Review is an inspection waiting for the team leader.
type Review struct {
	domain.Inspection
	EntityName string
	TeamName   string
	Hazards    []domain.Finding
}

// PendingReviews lists submitted inspections, oldest first.
func (d *Desk) PendingReviews(ctx context.Context) ([]Review, error) {
	all, err := d.cache.AllInspections(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: reviews: %w", err)
	}
	names, err := d.cache.Names(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: reviews: %w", err)
	}
	var out []Review
	for _, in := range all {
		if in.Status != domain.InspectionSubmitted {
			continue
		}
		e, _ := d.cache.Entity(ctx, in.EntityID)
		hz, _ := d.cache.FindingsOf(ctx, in.ID)
		out = append(out, Review{Inspection: in, EntityName: e.Name, TeamName: names.Units[in.TeamID], Hazards: hz})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) }) // the longest waiting first
	return out, nil
}

func (d *Desk) issueArgs(ctx context.Context, typ string, args any) error {
	raw, err := json.Marshal(args)
	if err != nil {
		return err
	}
	return d.Issue(ctx, domain.Command{ID: uuid.NewString(), Type: typ, Args: raw, IssuedAt: d.issueTime()})
}

// RecordInspection enters an inspection at the desk (a paper form
// transcribed): every item's result, the hazards found and the photos
// (IDs from AddPhoto).
func (d *Desk) RecordInspection(ctx context.Context, entityID string, at time.Time, results []domain.ItemResult, hazards []command.Hazard, photos []string) error {
	return d.issueArgs(ctx, command.InspectionRecord, command.InspectionArgs{InspectionID: uuid.NewString(), EntityID: entityID,
		At: at, Results: results, Hazards: hazards, Photos: photos})
}

// ReviewInspection accepts an inspection, sends it back, or hands it to
// enforcement (which opens a case).
func (d *Desk) ReviewInspection(ctx context.Context, inspectionID string, decision domain.Decision, note string) error {
	return d.issueArgs(ctx, command.InspectionReview, command.InspectionArgs{InspectionID: inspectionID, Decision: decision, Note: note})
}

// RectifyHazard confirms a hazard rectified, with the photos of the
// rectified site (IDs from AddPhoto).
func (d *Desk) RectifyHazard(ctx context.Context, findingID, note string, photos []string) error {
	return d.issueArgs(ctx, command.HazardRectify, command.InspectionArgs{FindingID: findingID, Note: note, Photos: photos})
}

// InspectionPDF writes an inspection's report, fetching its photos first.
func (d *Desk) InspectionPDF(ctx context.Context, w io.Writer, id string) error {
	if in, err := d.cache.Inspection(ctx, id); err == nil {
		d.fetchPhotos(ctx, in.Photos[:min(len(in.Photos), report.MaxPhotos)])
	}
	doc, err := report.InspectionDocOf(ctx, d.cache, id)
	if err != nil {
		return fmt.Errorf("desk: inspection report: %w", err)
	}
	return report.InspectionReport(w, doc)
}

// NoticePDF writes a rectification notice for an entity's open hazards.
func (d *Desk) NoticePDF(ctx context.Context, w io.Writer, entityID string) error {
	doc, err := report.NoticeDocOf(ctx, d.cache, entityID, time.Now())
	if err != nil {
		return fmt.Errorf("desk: rectification notice: %w", err)
	}
	return report.RectificationNotice(w, doc)
}

// PlatesPDF writes the door plates of a grid's entities.
func (d *Desk) PlatesPDF(ctx context.Context, w io.Writer, gridID string) error {
	doc, _, err := report.PlatesDocOf(ctx, d.cache, gridID, time.Now())
	if err != nil {
		return fmt.Errorf("desk: door plates: %w", err)
	}
	return report.DoorPlates(w, doc)
}

// Stats computes the inspection statistics of a grid ("" for the town) over [from, to).
func (d *Desk) Stats(ctx context.Context, gridID string, from, to time.Time) (stats.Report, error) {
	var in stats.Input
	var err error
	in.From, in.To, in.AsOf, in.GridID = from, to, time.Now(), gridID
	if in.Grids, err = d.cache.Grids(ctx); err != nil {
		return stats.Report{}, err
	}
	if in.Entities, err = d.cache.Entities(ctx); err != nil {
		return stats.Report{}, err
	}
	if in.Inspections, err = d.cache.AllInspections(ctx); err != nil {
		return stats.Report{}, err
	}
	if in.Findings, err = d.cache.AllFindings(ctx); err != nil {
		return stats.Report{}, err
	}
	if in.Items, err = d.cache.CheckItems(ctx); err != nil {
		return stats.Report{}, err
	}
	units, err := d.cache.Units(ctx)
	if err != nil {
		return stats.Report{}, err
	}
	in.Departments = stats.DepartmentNames(units)
	return stats.Compute(in), nil
}
