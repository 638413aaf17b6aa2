package server

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/paulmach/orb"

	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/domain/photo"
	"griddesk/store"
)

// ReportRequest is what a field system sends to report a case.
type ReportRequest struct {
	// ID is an optional client-made UUID that makes the report idempotent:
	// the same report sent again with it answers 200 with the case made the
	// first time; the ID with another report or sender is refused (409).
	ID          string  `json:"id,omitempty"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Category    string  `json:"category"`
	Source      string  `json:"source"`
	Lon         float64 `json:"lon"`
	Lat         float64 `json:"lat"`
	EntityID    string  `json:"entity_id"`
	Priority    string  `json:"priority"`
	// A 12345 work order's fields (all optional): where in words, the
	// platform's number, channel, appeal type and reply deadline, and the
	// caller. The caller's name and phone reach duty officers and admins
	// only; everyone else reads them masked.
	Address     string            `json:"address,omitempty"`
	OrderNo     string            `json:"order_no,omitempty"`
	Channel     string            `json:"channel,omitempty"`
	AppealType  domain.AppealType `json:"appeal_type,omitempty"`
	ReplyDue    time.Time         `json:"reply_due,omitzero"`
	CallerName  string            `json:"caller_name,omitempty"`
	CallerPhone string            `json:"caller_phone,omitempty"`
	// Photos are IDs of photos uploaded before (POST /api/v1/photos),
	// kept with the report's timeline entry.
	Photos []string `json:"photos,omitempty"`
}

// order is the work order the request carries (nil without an order number).
func (req *ReportRequest) order() *domain.WorkOrder {
	if strings.TrimSpace(req.OrderNo) == "" {
		return nil
	}
	return &domain.WorkOrder{No: strings.TrimSpace(req.OrderNo), Channel: req.Channel, AppealType: req.AppealType, ReplyDue: req.ReplyDue}
}

// caller is the caller the request names (nil for none).
func (req *ReportRequest) caller() *domain.Caller {
	if strings.TrimSpace(req.CallerName) == "" && strings.TrimSpace(req.CallerPhone) == "" {
		return nil
	}
	return &domain.Caller{Name: strings.TrimSpace(req.CallerName), Phone: strings.TrimSpace(req.CallerPhone)}
}

// checkIntake checks the work order's fields; field names the one at fault.
func (req *ReportRequest) checkIntake(now time.Time) (field, detail string) {
	if err := domain.CheckText(req.Address, domain.MaxAddress); err != nil {
		return "address", "address " + err.Error()
	}
	for _, f := range []struct{ name, v string }{{"order_no", req.OrderNo}, {"channel", req.Channel}} {
		if err := domain.CheckText(f.v, domain.MaxShort); err != nil {
			return f.name, f.name + " " + err.Error()
		}
	}
	if err := domain.CheckText(req.CallerName, domain.MaxName); err != nil {
		return "caller_name", "caller_name " + err.Error()
	}
	switch {
	case req.OrderNo == "" && (req.Channel != "" || req.AppealType != "" || !req.ReplyDue.IsZero()):
		return "order_no", "a work order's channel, appeal type or reply deadline needs its order_no"
	case req.AppealType != "" && !req.AppealType.Valid():
		return "appeal_type", fmt.Sprintf("appeal_type %q is not consult, help, complaint, report, suggestion or praise", req.AppealType)
	case !req.ReplyDue.IsZero() && (req.ReplyDue.Before(now.AddDate(0, 0, -90)) || req.ReplyDue.After(now.AddDate(1, 0, 0))):
		return "reply_due", "reply_due is not within 90 days before and a year after now"
	}
	if req.CallerPhone != "" {
		if err := domain.CheckPhone(strings.TrimSpace(req.CallerPhone)); err != nil {
			return "caller_phone", err.Error()
		}
	}
	return "", ""
}

func (req *ReportRequest) validate() (field, detail string) {
	switch {
	case strings.TrimSpace(req.Title) == "":
		return "title", "title is required"
	case domain.CheckText(req.Title, domain.MaxTitle) != nil:
		return "title", "title " + domain.CheckText(req.Title, domain.MaxTitle).Error()
	case domain.CheckNote(req.Description, domain.MaxNote) != nil:
		return "description", "description " + domain.CheckNote(req.Description, domain.MaxNote).Error()
	case req.ID != "" && (uuid.Validate(req.ID) != nil || len(req.ID) != 36):
		return "id", fmt.Sprintf("id %q is not a UUID", req.ID)
	case req.EntityID != "" && domain.CheckID(req.EntityID) != nil:
		return "entity_id", "entity_id " + domain.CheckID(req.EntityID).Error()
	case math.IsNaN(req.Lon) || math.IsNaN(req.Lat):
		return "lon", "lon and lat must be numbers"
	case req.Lon < -180 || req.Lon > 180 || (req.Lon == 0 && req.Lat == 0):
		return "lon", fmt.Sprintf("lon %v is not a longitude (and 0,0 is no place)", req.Lon)
	case req.Lat < -90 || req.Lat > 90:
		return "lat", fmt.Sprintf("lat %v is not a latitude", req.Lat)
	}
	if i, err := photo.CheckIDs(req.Photos); err != nil {
		return fmt.Sprintf("photos[%d]", i), err.Error()
	}
	if req.Source != "" && !domain.ValidSource(req.Source) {
		return "source", fmt.Sprintf("source %q is not one of %s", req.Source, strings.Join(domain.Sources, ", "))
	}
	if req.Priority != "" && !domain.ValidPriority(req.Priority) {
		return "priority", fmt.Sprintf("priority %q is not normal or urgent", req.Priority)
	}
	return "", ""
}

var (
	errUnknownEntity = errors.New("unknown entity")
	errReportSeen    = errors.New("report sent before")
	errReportReused  = errors.New("report id reused")
)

type errMissingPhoto struct {
	i  int
	id string
}

func (e errMissingPhoto) Error() string { return "photo " + e.id + " was not uploaded" }

// reportCase answers POST /api/v1/cases: a new case in state reported,
// placed in the grid that holds its location.
func (s *Server) reportCase(w http.ResponseWriter, r *http.Request) {
	var req ReportRequest
	if !decode(w, r, &req) {
		return
	}
	if field, detail := req.validate(); field != "" {
		badField(w, field, detail)
		return
	}
	if field, detail := req.checkIntake(s.opts.Now()); field != "" {
		badField(w, field, detail)
		return
	}
	if cat, ok := domain.CategoryIn(s.categories(r.Context()), req.Category); !ok || cat.Retired {
		badField(w, "category", fmt.Sprintf("category %q is unknown", req.Category))
		return
	}
	c, err := s.ReportCase(r.Context(), userFrom(r.Context()), req)
	var missing errMissingPhoto
	switch {
	case errors.Is(err, errUnknownEntity):
		badField(w, "entity_id", fmt.Sprintf("entity %s does not exist", req.EntityID))
		return
	case errors.As(err, &missing):
		badField(w, fmt.Sprintf("photos[%d]", missing.i), fmt.Sprintf("photo %s was not uploaded: POST it to /api/v1/photos first", photo.Short(missing.id)))
		return
	case errors.Is(err, errReportSeen):
		writeJSON(w, http.StatusOK, c) // sent again: the case made the first time
		return
	case errors.Is(err, errReportReused):
		writeProblem(w, Problem{Type: problemBase + "id-reused", Title: "Report id reused", Status: http.StatusConflict, Field: "id",
			Detail: fmt.Sprintf("report id %s was used for another report; make a new id for a new report", req.ID)})
		return
	case err != nil:
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+c.ID)
	if !userFrom(r.Context()).Role.SeesCallers() {
		c = c.Masked()
	}
	writeJSON(w, http.StatusCreated, c)
}

// ReportCase records a reported case and its first timeline entry.
func (s *Server) ReportCase(ctx context.Context, by domain.User, req ReportRequest) (domain.Case, error) {
	return s.report(ctx, by, req, nil)
}

// report is ReportCase; with, when set, writes more in the same
// transaction, first (a complaint's photo and contact).
func (s *Server) report(ctx context.Context, by domain.User, req ReportRequest, with func(tx *store.Tx, c *domain.Case) error) (domain.Case, error) {
	now := s.opts.Now()
	cat, ok := domain.CategoryIn(s.categories(ctx), req.Category)
	if !ok {
		return domain.Case{}, fmt.Errorf("server: report case: category %q is unknown", req.Category)
	}
	id := uuid.NewString()
	if req.ID != "" {
		id = strings.ToLower(req.ID)
	}
	c := domain.Case{
		ID: id, Title: strings.TrimSpace(req.Title), Description: req.Description, Category: cat.Key,
		Source: req.Source, Lon: req.Lon, Lat: req.Lat, EntityID: req.EntityID, Status: domain.StatusReported,
		Priority: req.Priority, Policy: cat.PolicyFor(req.Priority), Reporter: by.ID, ReportedAt: now, UpdatedAt: now,
		Address: strings.TrimSpace(req.Address), Order: req.order(),
	}
	if cl := req.caller(); cl != nil {
		cl.At = now
		c.Callers = []domain.Caller{*cl}
	}
	if c.Source == "" {
		c.Source = domain.SourceGridWorker
	}
	if c.Priority == "" {
		c.Priority = domain.PriorityNormal
	}
	if g, ok := s.zoneIndex(ctx).Finest(orb.Point{c.Lon, c.Lat}); ok {
		c.GridID = g.ID
	}
	err := s.update(ctx, func(tx *store.Tx) error {
		if with != nil {
			if err := with(tx, &c); err != nil {
				return err
			}
		}
		if req.ID != "" {
			if first, err := tx.Case(c.ID); err == nil {
				if first.Reporter == by.ID && first.Title == c.Title && first.Description == c.Description && first.Category == c.Category &&
					first.Source == c.Source && first.Lon == c.Lon && first.Lat == c.Lat && first.EntityID == c.EntityID {
					c = first
					return errReportSeen
				}
				return errReportReused
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		for i, p := range req.Photos {
			if ok, err := tx.HasPhoto(p); err != nil {
				return err
			} else if !ok {
				return errMissingPhoto{i, p}
			}
		}
		if c.EntityID != "" {
			if _, err := tx.Entity(c.EntityID); errors.Is(err, store.ErrNotFound) {
				return errUnknownEntity
			} else if err != nil {
				return err
			}
		}
		n, err := tx.NextCaseNumber(now.In(clock.Location()).Year())
		if err != nil {
			return err
		}
		c.No = fmt.Sprintf("%d-%04d", now.In(clock.Location()).Year(), n)
		if err := tx.PutCase(&c); err != nil {
			return err
		}
		return tx.PutAction(&domain.Action{ID: uuid.NewString(), CaseID: c.ID, Action: "report", ToStatus: domain.StatusReported,
			Actor: by.ID, At: now, Note: c.Description, Photos: req.Photos})
	})
	if errors.Is(err, errReportSeen) {
		return c, err
	}
	if err != nil {
		return c, fmt.Errorf("server: report case: %w", err)
	}
	return c, nil
}

// categories are the case catalogue in force: the built-in one with the
// admin's settings (an imported town catalogue, category settings).
func (s *Server) categories(ctx context.Context) []domain.Category {
	settings, err := s.st.Settings(ctx)
	if err != nil {
		return domain.Categories()
	}
	return domain.CategoriesWith(settings)
}
