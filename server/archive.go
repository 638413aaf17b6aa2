package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"griddesk/core/kpi"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/store"
)

// The history a desk no longer keeps, read on the server (scoped as the
// feed is):
//
//	GET /api/v1/cases?q=TEXT&limit=N  the cases whose number, title or description holds TEXT,
//	                                  closed or open, newest first (the desk's search reaches
//	                                  closed cases past the retention window here)
//	GET /api/v1/cases/{id}            one case with its timeline and tasks, to open read-only
//	GET /api/v1/kpi?month=YYYY-MM     the units' figures and ranking of a month (past months
//	                                  need cases the desks dropped)

// CaseRecord is the answer of GET /api/v1/cases/{id}.
type CaseRecord struct {
	Case     domain.Case     `json:"case"`
	Timeline []domain.Action `json:"timeline"`
	Tasks    []domain.Task   `json:"tasks"`
}

func (s *Server) searchCases(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, ok := intParam(w, q.Get("limit"), "limit", 50, 1, 500)
	if !ok {
		return
	}
	sc, err := s.scopeFor(r.Context(), userFrom(r.Context()))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	cs, err := s.st.SearchCases(r.Context(), sc, q.Get("q"), int(limit))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if cs == nil {
		cs = []domain.Case{}
	}
	writeJSON(w, http.StatusOK, cs)
}

func (s *Server) caseRecord(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !s.readable(w, r, domain.KindCase, id, "case") {
		return
	}
	var rec CaseRecord
	var err error
	if rec.Case, err = s.st.Case(r.Context(), id); errors.Is(err, store.ErrNotFound) {
		docNotFound(w, "not-found", fmt.Sprintf("case %s does not exist", id))
		return
	}
	if err == nil {
		rec.Timeline, err = s.st.Timeline(r.Context(), id)
	}
	if err == nil {
		rec.Tasks, err = s.st.TasksOf(r.Context(), id)
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if rec.Timeline == nil {
		rec.Timeline = []domain.Action{}
	}
	if rec.Tasks == nil {
		rec.Tasks = []domain.Task{}
	}
	writeJSON(w, http.StatusOK, rec)
}

// kpiMonths is how far before its month a case due in it may have been
// reported (the longest clock, deferrals aside).
const kpiMonths = 3

func (s *Server) monthKPI(w http.ResponseWriter, r *http.Request) {
	loc := time.FixedZone("CST", 8*3600)
	v := r.URL.Query().Get("month")
	month, err := time.ParseInLocation("2006-01", v, loc)
	if err != nil {
		badField(w, "month", "query parameter month must be a month like 2026-07, got "+strconv.Quote(v))
		return
	}
	sc, err := s.scopeFor(r.Context(), userFrom(r.Context()))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	cases, err := s.st.CasesReported(r.Context(), sc, month.AddDate(0, -kpiMonths, 0), month.AddDate(0, 1, 0))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	tl, err := s.st.TimelinesOf(r.Context(), cases)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	units, err := s.st.Units(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, kpi.ComputeAsOf(cases, tl, units, s.calendar(r.Context()), month, s.opts.Now()))
}

// calendar is China's working days with the newer years the admins loaded
// (settings calendar:<year>), as the desks have it.
func (s *Server) calendar(ctx context.Context) *clock.Calendar {
	cal := clock.China()
	settings, err := s.st.Settings(ctx)
	if err != nil {
		return cal
	}
	for _, st := range settings {
		if strings.HasPrefix(st.ID, "calendar:") {
			cal.Load(bytes.NewReader(st.Value)) // checked when it was stored
		}
	}
	return cal
}
