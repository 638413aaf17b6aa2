package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"griddesk/core/report"
	"griddesk/domain"
	"griddesk/store"
)

// The printed documents (core/report), served to the field side and to
// scripts as they are printed at the desk:
//
//	GET /api/v1/inspections/{id}/report.pdf  inspection report 检查报告
//	GET /api/v1/entities/{id}/notice.pdf     rectification notice 隐患整改通知书 for the open hazards
//	GET /api/v1/grids/{id}/plates.pdf        door plates 一店一码 of the grid and the grids below it
//
// Any signed-in role may fetch them. An unknown ID, an entity without open
// hazards and a grid without entities answer 404 problems naming the field
// "id".

// docNotFound answers a 404 problem naming the path parameter.
func docNotFound(w http.ResponseWriter, kind, detail string) {
	writeProblem(w, Problem{Type: problemBase + kind, Title: "Not found", Status: http.StatusNotFound, Detail: detail, Field: "id"})
}

// sendPDF renders a document into memory, so that a failure can still be
// answered with a problem, then sends it.
func (s *Server) sendPDF(w http.ResponseWriter, r *http.Request, filename string, render func(io.Writer) error) {
	release, ok := s.turn(w, r, s.docs, "documents")
	if !ok {
		return
	}
	defer release()
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		s.internal(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", report.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": filename}))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "private, no-cache")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// departmentNames maps department keys to the names of department units.
// readable answers 404 (as if absent) when the user may not read the row,
// and reports whether to go on.
func (s *Server) readable(w http.ResponseWriter, r *http.Request, kind, id, what string) bool {
	ok, err := s.inScope(r.Context(), userFrom(r.Context()), kind, id, false)
	if err != nil {
		s.internal(w, r, err)
		return false
	}
	if !ok {
		docNotFound(w, "not-found", fmt.Sprintf("%s %s does not exist", what, id))
	}
	return ok
}

func (s *Server) inspectionReport(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !s.readable(w, r, domain.KindInspection, id, "inspection") {
		return
	}
	doc, err := report.InspectionDocOf(r.Context(), s.st, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		docNotFound(w, "not-found", fmt.Sprintf("inspection %s does not exist", id))
		return
	case errors.Is(err, report.ErrNoResults):
		writeProblem(w, Problem{Type: problemBase + "nothing-to-print", Title: "Nothing to print", Status: http.StatusConflict,
			Detail: fmt.Sprintf("inspection %s has no check results", id), Field: "id"})
		return
	case err != nil:
		s.internal(w, r, err)
		return
	}
	s.sendPDF(w, r, report.Filename(report.KindInspection, id), func(w io.Writer) error { return report.InspectionReport(w, doc) })
}

func (s *Server) rectificationNotice(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !s.readable(w, r, domain.KindEntity, id, "entity") {
		return
	}
	doc, err := report.NoticeDocOf(r.Context(), s.st, id, s.opts.Now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		docNotFound(w, "not-found", fmt.Sprintf("entity %s does not exist", id))
		return
	case errors.Is(err, report.ErrNoHazards):
		docNotFound(w, "no-open-hazards", fmt.Sprintf("entity %s has no open hazards", id))
		return
	case err != nil:
		s.internal(w, r, err)
		return
	}
	s.sendPDF(w, r, report.Filename(report.KindNotice, id), func(w io.Writer) error { return report.RectificationNotice(w, doc) })
}

// PlatesSkippedHeader counts the entities of a plates sheet left out for
// want of a QR token.
const PlatesSkippedHeader = "Griddesk-Plates-Skipped"

func (s *Server) doorPlates(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !s.readable(w, r, domain.KindGrid, id, "grid") {
		return
	}
	doc, skipped, err := report.PlatesDocOf(r.Context(), s.st, id, s.opts.Now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		docNotFound(w, "not-found", fmt.Sprintf("grid %s does not exist", id))
		return
	case errors.Is(err, report.ErrNoEntities):
		docNotFound(w, "no-entities", strings.TrimPrefix(err.Error(), "report: "))
		return
	case err != nil:
		s.internal(w, r, err)
		return
	}
	w.Header().Set(PlatesSkippedHeader, strconv.Itoa(skipped))
	s.sendPDF(w, r, report.Filename(report.KindPlates, id), func(w io.Writer) error { return report.DoorPlates(w, doc) })
}
