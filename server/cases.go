package server

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"

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
	// Photos are IDs of photos uploaded before (POST /api/v1/photos),
	// kept with the report's timeline entry.
	Photos []string `json:"photos,omitempty"`
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
	if _, ok := domain.CategoryByKey(req.Category); !ok {
		return "category", fmt.Sprintf("category %q is unknown", req.Category)
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
	cat, _ := domain.CategoryByKey(req.Category)
	if settings, err := s.st.Settings(ctx); err == nil {
		cat, _ = domain.CategoryIn(domain.CategoriesWith(settings), req.Category)
	}
	id := uuid.NewString()
	if req.ID != "" {
		id = strings.ToLower(req.ID)
	}
	c := domain.Case{
		ID: id, Title: strings.TrimSpace(req.Title), Description: req.Description, Category: cat.Key,
		Source: req.Source, Lon: req.Lon, Lat: req.Lat, EntityID: req.EntityID, Status: domain.StatusReported,
		Priority: req.Priority, Policy: cat.PolicyFor(req.Priority), Reporter: by.ID, ReportedAt: now, UpdatedAt: now,
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
