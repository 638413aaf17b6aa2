package command

import (
	"errors"
	"fmt"
	"time"

	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/colorcode"
	"griddesk/domain/photo"
	"griddesk/store"
)

// Inspection command types.
const (
	InspectionRecord = "inspection.record"
	InspectionReview = "inspection.review"
	HazardRectify    = "hazard.rectify"
)

// InspectionArgs are the arguments of inspection.record, inspection.review
// and hazard.rectify.
type InspectionArgs struct {
	InspectionID string              `json:"inspection_id,omitempty"`
	EntityID     string              `json:"entity_id,omitempty"`  // record
	TeamID       string              `json:"team_id,omitempty"`    // record
	At           time.Time           `json:"at,omitzero"`          // record: when the visit was (default: issued)
	Results      []domain.ItemResult `json:"results,omitempty"`    // record
	Hazards      []Hazard            `json:"hazards,omitempty"`    // record
	Photos       []string            `json:"photos,omitempty"`     // record, rectify
	Decision     domain.Decision     `json:"decision,omitempty"`   // review: accept, return, enforcement
	Note         string              `json:"note,omitempty"`       // review, rectify
	FindingID    string              `json:"finding_id,omitempty"` // rectify
}

// Hazard is a finding recorded with an inspection.
type Hazard struct {
	ItemID      string          `json:"item_id"`
	Severity    domain.Severity `json:"severity"`
	Description string          `json:"description,omitempty"`
	Deadline    time.Time       `json:"deadline,omitzero"`
}

// decodeInspection decodes the shared arguments and checks the photo IDs.
func decodeInspection(c domain.Command) (InspectionArgs, error) {
	var a InspectionArgs
	if err := strictDecode(c, &a); err != nil {
		return a, err
	}
	if i, err := photo.CheckIDs(a.Photos); err != nil {
		field := fmt.Sprintf("args.photos[%d]", i)
		if i >= len(a.Photos) {
			field = "args.photos"
		}
		return a, invalid(field, "%v", err)
	}
	if err := firstError(checkID("args.inspection_id", a.InspectionID, true), checkID("args.entity_id", a.EntityID, true),
		checkID("args.team_id", a.TeamID, true), checkID("args.finding_id", a.FindingID, true),
		checkNote("args.note", a.Note, domain.MaxNote), checkLen("args.results", len(a.Results), maxResults),
		checkLen("args.hazards", len(a.Hazards), maxHazards)); err != nil {
		return a, err
	}
	for i, r := range a.Results {
		if err := firstError(checkID(itemField("args.results", i, "item"), r.ItemID, false),
			checkNote(itemField("args.results", i, "note"), r.Note, domain.MaxNote)); err != nil {
			return a, err
		}
	}
	for i, h := range a.Hazards {
		if err := firstError(checkID(itemField("args.hazards", i, "item_id"), h.ItemID, false),
			checkNote(itemField("args.hazards", i, "description"), h.Description, domain.MaxNote)); err != nil {
			return a, err
		}
	}
	return a, nil
}

func decodeRecord(c domain.Command) (InspectionArgs, error) {
	a, err := decodeInspection(c)
	if err != nil {
		return a, err
	}
	switch {
	case a.InspectionID == "":
		return a, invalid("args.inspection_id", "args.inspection_id is required (a client-made ID)")
	case a.EntityID == "":
		return a, invalid("args.entity_id", "args.entity_id is required")
	case len(a.Results) == 0:
		return a, invalid("args.results", "an inspection needs at least one item result")
	}
	for i, r := range a.Results {
		if !r.Result.Valid() {
			return a, invalid(fmt.Sprintf("args.results[%d].result", i), "result %q is not pass, fail or na", r.Result)
		}
	}
	for i, h := range a.Hazards {
		if !h.Severity.Valid() {
			return a, invalid(fmt.Sprintf("args.hazards[%d].severity", i), "severity %q is not general or major", h.Severity)
		}
	}
	at := a.At
	if at.IsZero() {
		at = c.IssuedAt
	}
	switch {
	case at.After(c.IssuedAt.Add(maxIssueSkew)):
		return a, invalid("args.at", "the visit at %s is after the command was issued", at.Format(time.RFC3339))
	case at.Before(c.IssuedAt.Add(-maxVisitAge)):
		return a, invalid("args.at", "the visit at %s is more than %d days before the command", at.Format(time.RFC3339), int(maxVisitAge.Hours()/24))
	}
	for i, h := range a.Hazards {
		if !h.Deadline.IsZero() && h.Deadline.After(at.Add(maxAhead)) {
			return a, invalid(itemField("args.hazards", i, "deadline"), "deadline %s is more than a year after the visit", h.Deadline.Format("2006-01-02"))
		}
	}
	return a, nil
}

func decodeReview(c domain.Command) (InspectionArgs, error) {
	a, err := decodeInspection(c)
	if err != nil {
		return a, err
	}
	if len(a.Photos) > 0 {
		return a, invalid("args.photos", "a review carries no photos")
	}
	if a.InspectionID == "" {
		return a, invalid("args.inspection_id", "args.inspection_id is required")
	}
	if !a.Decision.Valid() {
		return a, invalid("args.decision", "decision %q is not accept, return or enforcement", a.Decision)
	}
	if a.Decision != domain.DecisionAccept && !domain.IsReason(a.Note) {
		return a, invalid("args.note", "a reason of at least two characters is required to %s an inspection", a.Decision).
			keyed("review_reason", map[string]string{"decision": string(a.Decision)})
	}
	return a, nil
}

func decodeRectify(c domain.Command) (InspectionArgs, error) {
	a, err := decodeInspection(c)
	if err != nil {
		return a, err
	}
	if a.FindingID == "" {
		return a, invalid("args.finding_id", "args.finding_id is required")
	}
	if len(a.Photos) == 0 && !domain.IsReason(a.Note) { // the evidence a team leader checks
		return a, invalid("args.note", "a rectification needs a note of what was done or a photo of the rectified site").
			keyed("rectify_evidence", nil)
	}
	return a, nil
}

// enforcementCategory is the case category a department's hazard becomes
// when handed to enforcement 移交执法.
var enforcementCategory = map[string]string{
	"fire": "fire_hazard", "gas": "gas_safety", "market": "food_safety", "law": "city_appearance",
	"eco": "fume", "health": "garbage", "safety": "work_safety", "build": "illegal_building",
}

// rectify closes a hazard with its rectification note and photos.
func rectify(tx *store.Tx, c domain.Command, a InspectionArgs, by Actor, opts Options) ([]domain.Ref, error) {
	at := c.IssuedAt
	f, err := tx.Finding(a.FindingID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &Error{Status: 404, Kind: "not-found", Field: "args.finding_id", Detail: fmt.Sprintf("hazard %s does not exist", a.FindingID)}
	} else if err != nil {
		return nil, err
	}
	switch opts.scope {
	case ServedGrids:
		e, err := tx.Entity(f.EntityID)
		if err != nil {
			return nil, err
		}
		if err := checkGrid(tx, by, e.GridID, "entity "+e.Name); err != nil {
			return nil, err
		}
	case OwnTeam:
		in, err := tx.Inspection(f.InspectionID)
		if err != nil {
			return nil, err
		}
		if in.TeamID != "" {
			if err := checkTeam(tx, by, in.TeamID, "hazard "+f.ID); err != nil {
				return nil, err
			}
		}
	}
	if f.Status != domain.FindingOpen {
		return nil, conflict("hazard %s is already %s", f.ID, f.Status)
	}
	if err := photosKept(tx, a.Photos); err != nil {
		return nil, err
	}
	f.Status, f.RectifiedAt, f.UpdatedAt = domain.FindingRectified, at, at
	f.Photos = a.Photos
	if a.Note != "" {
		f.Description += "（整改：" + a.Note + "）"
	}
	if err := tx.PutFinding(&f); err != nil {
		return nil, err
	}
	return []domain.Ref{{Kind: domain.KindFinding, ID: f.ID}}, nil
}

// review accepts, returns or hands over a submitted inspection; accepting
// moves the entity's colour code.
func review(tx *store.Tx, c domain.Command, a InspectionArgs, by Actor, opts Options) ([]domain.Ref, error) {
	at := c.IssuedAt
	in, err := tx.Inspection(a.InspectionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &Error{Status: 404, Kind: "not-found", Field: "args.inspection_id", Detail: fmt.Sprintf("inspection %s does not exist", a.InspectionID)}
	} else if err != nil {
		return nil, err
	}
	if in.Inspector == by.ID { // four eyes: whoever recorded it does not accept it
		return nil, forbidden("own_inspection", map[string]string{"inspection": in.ID},
			"you recorded inspection %s yourself; another team leader reviews it", in.ID)
	}
	if opts.scope == OwnTeam && in.TeamID != "" {
		if err := checkTeam(tx, by, in.TeamID, "inspection "+in.ID); err != nil {
			return nil, err
		}
	}
	if in.Status != domain.InspectionSubmitted {
		return nil, conflict("inspection %s was already reviewed (%s by %s)", in.ID, in.Status, in.ReviewedBy)
	}
	e, err := tx.Entity(in.EntityID)
	if err != nil {
		return nil, err
	}
	refs := []domain.Ref{{Kind: domain.KindInspection, ID: in.ID}}
	in.ReviewedBy, in.ReviewedAt, in.UpdatedAt = by.ID, at, at
	switch a.Decision {
	case domain.DecisionReturn:
		in.Status = domain.InspectionReturned // to be inspected again
	case domain.DecisionAccept, domain.DecisionEnforcement:
		in.Status = domain.InspectionAccepted
		if a.Decision == domain.DecisionEnforcement {
			in.Status = domain.InspectionEnforcement
		}
		all, findings, err := tx.InspectionsOf(e.ID)
		if err != nil {
			return nil, err
		}
		moved, err := recode(tx, &e, &in, all, findings, at)
		if err != nil {
			return nil, err
		}
		refs = append(refs, moved...)
		confirmed, err := confirmRectified(tx, in, all, findings, at)
		if err != nil {
			return nil, err
		}
		refs = append(refs, confirmed...)
		if a.Decision == domain.DecisionEnforcement {
			r, err := handOver(tx, c, in, e, findings[in.ID], a.Note, by)
			if err != nil {
				return nil, err
			}
			refs = append(refs, r...)
		}
	}
	if err := tx.PutInspection(&in); err != nil {
		return nil, err
	}
	return refs, nil
}

// recode moves the entity's colour code by the rules replayed over every
// accepted inspection in inspection-time order, in (just reviewed) among
// them, whatever the order they were recorded, synced or reviewed in
// (seed 000). It rewrites each accepted inspection's code before and after
// so that the entity's history agrees with its code, and returns the rows
// it changed besides in (which the caller writes). The base, the code before
// any accepted inspection, is the one recorded before the earliest of the
// others (History keeps it there), or the entity's code when in is the
// first accepted.
func recode(tx *store.Tx, e *domain.Entity, in *domain.Inspection, all []domain.Inspection, findings map[string][]domain.Finding, at time.Time) ([]domain.Ref, error) {
	others := make([]domain.Inspection, 0, len(all))
	for _, x := range all {
		if x.ID != in.ID {
			others = append(others, x)
		}
	}
	base := colorcode.Base(colorcode.Code(e.Code), colorcode.Accepted(others))
	code := base
	var refs []domain.Ref
	for _, s := range colorcode.History(base, colorcode.Accepted(append(others, *in)), findings) {
		code = s.Code
		if s.Inspection.ID == in.ID {
			in.CodeBefore, in.CodeAfter = string(s.Before), string(s.Code)
			continue
		}
		x := s.Inspection
		if x.CodeBefore == string(s.Before) && x.CodeAfter == string(s.Code) {
			continue
		}
		x.CodeBefore, x.CodeAfter, x.UpdatedAt = string(s.Before), string(s.Code), at
		if err := tx.PutInspection(&x); err != nil {
			return nil, err
		}
		refs = append(refs, domain.Ref{Kind: domain.KindInspection, ID: x.ID})
	}
	if string(code) != e.Code {
		e.Code, e.UpdatedAt = string(code), at
		if err := tx.PutEntity(e); err != nil {
			return nil, err
		}
		refs = append(refs, domain.Ref{Kind: domain.KindEntity, ID: e.ID})
	}
	return refs, nil
}

func record(tx *store.Tx, c domain.Command, a InspectionArgs, by Actor, opts Options) ([]domain.Ref, error) {
	if _, err := tx.Inspection(a.InspectionID); err == nil {
		return nil, conflict("inspection %s already exists", a.InspectionID)
	}
	e, err := tx.Entity(a.EntityID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &Error{Status: 404, Kind: "not-found", Field: "args.entity_id", Detail: fmt.Sprintf("entity %s does not exist", a.EntityID)}
	} else if err != nil {
		return nil, err
	}
	switch opts.scope {
	case OwnTeam: // a team leader records for their team (theirs, by default)
		if a.TeamID == "" {
			a.TeamID = by.UnitID
		}
		if err := checkTeam(tx, by, a.TeamID, "team "+a.TeamID); err != nil {
			return nil, err
		}
	case ServedGrids: // a grid worker inspects in their grids
		if err := checkGrid(tx, by, e.GridID, "entity "+e.Name); err != nil {
			return nil, err
		}
	}
	for i, r := range a.Results {
		if ok, err := tx.CheckItemExists(r.ItemID); err != nil {
			return nil, err
		} else if !ok {
			return nil, invalid(fmt.Sprintf("args.results[%d].item", i), "check item %q is not in the catalog", r.ItemID)
		}
	}
	if err := photosKept(tx, a.Photos); err != nil {
		return nil, err
	}
	at := a.At
	if at.IsZero() {
		at = c.IssuedAt
	}
	failed := map[string]bool{}
	for _, r := range a.Results {
		failed[r.ItemID] = r.Result == domain.ResultFail
	}
	for i, h := range a.Hazards {
		if !failed[h.ItemID] {
			return nil, invalid(fmt.Sprintf("args.hazards[%d].item_id", i), "hazard item %q did not fail in this inspection", h.ItemID)
		}
		if !h.Deadline.IsZero() && h.Deadline.Before(at) {
			return nil, invalid(fmt.Sprintf("args.hazards[%d].deadline", i), "deadline %s is before the visit at %s",
				h.Deadline.Format(time.RFC3339), at.Format(time.RFC3339))
		}
	}
	in := domain.Inspection{ID: a.InspectionID, EntityID: e.ID, TeamID: a.TeamID, Inspector: by.ID, At: at, Status: domain.InspectionSubmitted,
		Results: a.Results, Photos: a.Photos, CodeBefore: e.Code, UpdatedAt: c.IssuedAt}
	if err := tx.PutInspection(&in); err != nil {
		return nil, err
	}
	refs := []domain.Ref{{Kind: domain.KindInspection, ID: in.ID}}
	// a hazard still open on the same item is the same hazard, found again
	// at a re-inspection: it stays the one open hazard (its deadline runs
	// on, now overdue or not), noted, rather than a second one beside it
	open := map[string]domain.Finding{}
	if len(a.Hazards) > 0 {
		_, prior, err := tx.InspectionsOf(e.ID)
		if err != nil {
			return nil, err
		}
		for inspection, fs := range prior {
			for _, f := range fs {
				if f.Status == domain.FindingOpen && inspection != in.ID {
					open[f.ItemID] = f
				}
			}
		}
	}
	for i, h := range a.Hazards {
		if f, again := open[h.ItemID]; again {
			f.Description += fmt.Sprintf("（%s 复查仍不合格）", at.In(clock.Location()).Format("2006-01-02"))
			if h.Severity == domain.SeverityMajor {
				f.Severity = domain.SeverityMajor
			}
			f.UpdatedAt = c.IssuedAt
			if err := tx.PutFinding(&f); err != nil {
				return nil, err
			}
			refs = append(refs, domain.Ref{Kind: domain.KindFinding, ID: f.ID})
			continue
		}
		deadline := h.Deadline
		if deadline.IsZero() {
			deadline = at.Add(7 * 24 * time.Hour)
			if h.Severity == domain.SeverityMajor {
				deadline = at.Add(3 * 24 * time.Hour)
			}
		}
		f := domain.Finding{ID: fmt.Sprintf("%s/h%d", c.ID, i+1), InspectionID: in.ID, EntityID: e.ID, ItemID: h.ItemID,
			Severity: h.Severity, Description: h.Description, Deadline: deadline, Status: domain.FindingOpen, UpdatedAt: c.IssuedAt}
		if err := tx.PutFinding(&f); err != nil {
			return nil, err
		}
		refs = append(refs, domain.Ref{Kind: domain.KindFinding, ID: f.ID})
	}
	return refs, nil
}

// confirmRectified closes the open hazards of earlier visits whose item a
// reviewed re-inspection found in order (复查确认整改): they count as
// rectified at the re-inspection.
func confirmRectified(tx *store.Tx, in domain.Inspection, all []domain.Inspection, findings map[string][]domain.Finding, at time.Time) ([]domain.Ref, error) {
	passed := map[string]bool{}
	for _, r := range in.Results {
		if r.Result == domain.ResultPass {
			passed[r.ItemID] = true
		}
	}
	var refs []domain.Ref
	for _, x := range all {
		if x.ID == in.ID || !x.At.Before(in.At) {
			continue
		}
		for _, f := range findings[x.ID] {
			if f.Status != domain.FindingOpen || !passed[f.ItemID] {
				continue
			}
			f.Status, f.RectifiedAt, f.UpdatedAt = domain.FindingRectified, in.At, at
			f.Description += "（复查确认已整改）"
			if err := tx.PutFinding(&f); err != nil {
				return nil, err
			}
			refs = append(refs, domain.Ref{Kind: domain.KindFinding, ID: f.ID})
		}
	}
	return refs, nil
}

// photosKept checks that every photo a record names has been uploaded:
// the record lands with its photos or not at all.
func photosKept(tx *store.Tx, ids []string) error {
	for i, id := range ids {
		ok, err := tx.HasPhoto(id)
		if err != nil {
			return err
		}
		if !ok {
			return invalid(fmt.Sprintf("args.photos[%d]", i), "photo %s was not uploaded: POST it to /api/v1/photos first", photo.Short(id))
		}
	}
	return nil
}

// handOver creates an enforcement case for an inspection's hazards.
func handOver(tx *store.Tx, c domain.Command, in domain.Inspection, e domain.Entity, fs []domain.Finding, note string, by Actor) ([]domain.Ref, error) {
	cat := "city_appearance"
	title := "检查移交执法：" + e.Name
	if len(fs) > 0 {
		if dep, ok := departmentOf(tx, fs[0].ItemID); ok {
			if k, ok := enforcementCategory[dep]; ok {
				cat = k
			}
		}
	}
	category, _ := domain.CategoryByKey(cat)
	at := c.IssuedAt
	cs := domain.Case{ID: c.ID + "/case", Title: title, Description: note, Category: cat, Source: domain.SourceInspection,
		Lon: e.Lon, Lat: e.Lat, GridID: e.GridID, EntityID: e.ID, Status: domain.StatusRegistered, Priority: "urgent",
		Policy: category.Policy, Reporter: by.ID, ReportedAt: at, UpdatedAt: at, Version: 1}
	if n, err := tx.NextCaseNumber(at.In(clock.Location()).Year()); err == nil {
		cs.No = fmt.Sprintf("%d-%04d", at.In(clock.Location()).Year(), n)
	}
	if err := tx.PutCase(&cs); err != nil {
		return nil, err
	}
	act := domain.Action{ID: c.ID + "/register", CaseID: cs.ID, Action: "register", ToStatus: domain.StatusRegistered, Actor: by.ID, At: at,
		Note: fmt.Sprintf("检查 %s 移交执法：%s", in.ID, note), UpdatedAt: at}
	if err := tx.PutAction(&act); err != nil {
		return nil, err
	}
	refs := []domain.Ref{{Kind: domain.KindCase, ID: cs.ID}, {Kind: domain.KindCaseAction, ID: act.ID}}
	for _, f := range fs {
		if f.Status == domain.FindingOpen {
			f.Status, f.UpdatedAt = domain.FindingEnforcement, at
			if err := tx.PutFinding(&f); err != nil {
				return nil, err
			}
			refs = append(refs, domain.Ref{Kind: domain.KindFinding, ID: f.ID})
		}
	}
	return refs, nil
}

func departmentOf(tx *store.Tx, itemID string) (string, bool) {
	return tx.CheckItemDepartment(itemID)
}
