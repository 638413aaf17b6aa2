package report

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"griddesk/domain"
	"griddesk/store"
)

// Errors of the assemblers, besides store.ErrNotFound for an unknown ID.
var (
	ErrNoResults  = errors.New("the inspection has no check results")
	ErrNoHazards  = errors.New("no open hazards")
	ErrNoEntities = errors.New("no entities to print")
)

// departmentNames maps department keys to the departments' names.
func departmentNames(units []domain.Unit) map[string]string {
	m := map[string]string{}
	for _, u := range units {
		if u.Kind == domain.UnitDepartment && u.Department != "" {
			m[u.Department] = u.Name
		}
	}
	return m
}

// lookups are the store reads every document names things with: the
// checklist, the names of grids, units and users, and the departments.
type lookups struct {
	items       []domain.CheckItem
	names       domain.Names
	departments map[string]string
	publicURL   string // PublicURLSetting
}

func readLookups(ctx context.Context, st *store.Store) (lookups, error) {
	var l lookups
	var err error
	if l.items, err = st.CheckItems(ctx); err != nil {
		return l, err
	}
	if l.names, err = st.Names(ctx); err != nil {
		return l, err
	}
	units, err := st.Units(ctx)
	if err != nil {
		return l, err
	}
	l.departments = departmentNames(units)
	l.publicURL, err = publicURL(ctx, st)
	return l, err
}

// publicURL reads the server's public URL from st's settings.
func publicURL(ctx context.Context, st *store.Store) (string, error) {
	ss, err := st.Settings(ctx)
	if err != nil {
		return "", fmt.Errorf("report: public URL: %w", err)
	}
	return PublicURLOf(ss), nil
}

// InspectionDocOf reads what an inspection's report needs from a store
// (the server's, or a desk's copy).
func InspectionDocOf(ctx context.Context, st *store.Store, id string) (InspectionDoc, error) {
	var d InspectionDoc
	in, err := st.Inspection(ctx, id)
	if err != nil {
		return d, err
	}
	if len(in.Results) == 0 {
		return d, fmt.Errorf("report: inspection %s: %w", id, ErrNoResults)
	}
	e, err := st.Entity(ctx, in.EntityID)
	if err != nil {
		return d, err
	}
	findings, err := st.FindingsOf(ctx, id)
	if err != nil {
		return d, err
	}
	l, err := readLookups(ctx, st)
	if err != nil {
		return d, err
	}
	photos, err := readPhotos(ctx, st, in.Photos)
	if err != nil {
		return d, err
	}
	return InspectionDoc{Inspection: in, Entity: &e, Items: l.items, Findings: findings, TeamName: l.names.Units[in.TeamID],
		InspectorName: l.names.Users[in.Inspector], GridName: l.names.Grids[e.GridID], Departments: l.departments, Photos: photos,
		PublicURL: l.publicURL}, nil
}

// readPhotos reads the photos a report shows (the first MaxPhotos), as
// their renditions: a report never decodes a phone's 12 megapixels. One
// not kept in st is nil, and the report says so.
func readPhotos(ctx context.Context, st *store.Store, ids []string) ([][]byte, error) {
	out := make([][]byte, 0, min(len(ids), MaxPhotos))
	for _, id := range ids[:min(len(ids), MaxPhotos)] {
		p, err := st.PhotoRendition(ctx, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			out = append(out, nil)
		case err != nil:
			return nil, fmt.Errorf("report: %w", err)
		default:
			out = append(out, p.Small())
		}
	}
	return out, nil
}

// NoticeDocOf reads an entity's open hazards for a rectification notice. The
// notice is issued by the law-enforcement department; the contact is the
// team and inspector of the latest visit that found an open hazard (they
// come back for the re-inspection).
func NoticeDocOf(ctx context.Context, st *store.Store, entityID string, now time.Time) (NoticeDoc, error) {
	var d NoticeDoc
	e, err := st.Entity(ctx, entityID)
	if err != nil {
		return d, err
	}
	all, err := st.Findings(ctx, entityID)
	if err != nil {
		return d, err
	}
	var open []domain.Finding
	withOpen := map[string]bool{}
	for _, f := range all {
		if f.Status == domain.FindingOpen {
			open = append(open, f)
			withOpen[f.InspectionID] = true
		}
	}
	if len(open) == 0 {
		return d, fmt.Errorf("report: entity %s: %w", entityID, ErrNoHazards)
	}
	l, err := readLookups(ctx, st)
	if err != nil {
		return d, err
	}
	ins, err := st.Inspections(ctx, entityID)
	if err != nil {
		return d, err
	}
	var latest domain.Inspection
	for _, in := range ins {
		if withOpen[in.ID] {
			latest = in // oldest first, so the last one wins
		}
	}
	team := l.names.Units[latest.TeamID]
	contact := team
	if who := l.names.Users[latest.Inspector]; who != "" && team != "" {
		contact = team + " " + who
	} else if who != "" {
		contact = who
	}
	return NoticeDoc{Entity: &e, Findings: open, Items: l.items, GridName: l.names.Grids[e.GridID],
		Issuer: cmp.Or(l.departments["law"], team, "综合行政执法队"), Contact: contact, Issued: now, PublicURL: l.publicURL}, nil
}

// PlatesDocOf reads the entities of a grid (and the grids below it) for a
// sheet of door plates; skipped counts those left out for want of a QR token.
func PlatesDocOf(ctx context.Context, st *store.Store, gridID string, now time.Time) (d PlatesDoc, skipped int, err error) {
	g, err := st.Grid(ctx, gridID)
	if err != nil {
		return d, 0, err
	}
	all, err := st.EntitiesInGrid(ctx, gridID)
	if err != nil {
		return d, 0, err
	}
	var ents []domain.Entity
	for _, e := range all {
		if e.QRToken != "" {
			ents = append(ents, e)
		}
	}
	if len(ents) == 0 {
		if len(all) > 0 {
			return d, len(all), fmt.Errorf("report: none of the %d entities of grid %s has a QR token: %w", len(all), gridID, ErrNoEntities)
		}
		return d, 0, fmt.Errorf("report: grid %s has no entities: %w", gridID, ErrNoEntities)
	}
	base, err := publicURL(ctx, st)
	if err != nil {
		return d, 0, err
	}
	return PlatesDoc{GridID: g.ID, GridName: g.Name, Entities: ents, Generated: now, PublicURL: base}, len(all) - len(ents), nil
}
