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
	"griddesk/store"
)

// ReportRequest is what a field system sends to report a case.
type ReportRequest struct {
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Category    string  `json:"category"`
	Source      string  `json:"source"`
	Lon         float64 `json:"lon"`
	Lat         float64 `json:"lat"`
	EntityID    string  `json:"entity_id"`
	Priority    string  `json:"priority"`
}

func (req *ReportRequest) validate() (field, detail string) {
	switch {
	case strings.TrimSpace(req.Title) == "":
		return "title", "title is required"
	case domain.CheckText(req.Title, domain.MaxTitle) != nil:
		return "title", "title " + domain.CheckText(req.Title, domain.MaxTitle).Error()
	case domain.CheckNote(req.Description, domain.MaxNote) != nil:
		return "description", "description " + domain.CheckNote(req.Description, domain.MaxNote).Error()
	case req.EntityID != "" && domain.CheckID(req.EntityID) != nil:
		return "entity_id", "entity_id " + domain.CheckID(req.EntityID).Error()
	case math.IsNaN(req.Lon) || math.IsNaN(req.Lat):
		return "lon", "lon and lat must be numbers"
	case req.Lon < -180 || req.Lon > 180 || (req.Lon == 0 && req.Lat == 0):
		return "lon", fmt.Sprintf("lon %v is not a longitude (and 0,0 is no place)", req.Lon)
	case req.Lat < -90 || req.Lat > 90:
		return "lat", fmt.Sprintf("lat %v is not a latitude", req.Lat)
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

var errUnknownEntity = errors.New("unknown entity")

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
	if errors.Is(err, errUnknownEntity) {
		badField(w, "entity_id", fmt.Sprintf("entity %s does not exist", req.EntityID))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+c.ID)
	writeJSON(w, http.StatusCreated, c)
}

// ReportCase records a reported case and its first timeline entry.
func (s *Server) ReportCase(ctx context.Context, by domain.User, req ReportRequest) (domain.Case, error) {
	now := s.opts.Now()
	cat, _ := domain.CategoryByKey(req.Category)
	if settings, err := s.st.Settings(ctx); err == nil {
		cat, _ = domain.CategoryIn(domain.CategoriesWith(settings), req.Category)
	}
	c := domain.Case{
		ID: uuid.NewString(), Title: strings.TrimSpace(req.Title), Description: req.Description, Category: cat.Key,
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
			Actor: by.ID, At: now, Note: c.Description})
	})
	if err != nil {
		return c, fmt.Errorf("server: report case: %w", err)
	}
	return c, nil
}
