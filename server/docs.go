package server

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"griddesk/app/report"
	"griddesk/store"
)

// The printed documents (app/report), served to the field side and to
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
func departmentNames(units []store.Unit) map[string]string {
	m := map[string]string{}
	for _, u := range units {
		if u.Kind == store.UnitDepartment && u.Department != "" {
			m[u.Department] = u.Name
		}
	}
	return m
}

func (s *Server) inspectionReport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	in, err := s.st.Inspection(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		docNotFound(w, "not-found", fmt.Sprintf("inspection %s does not exist", id))
		return
	} else if err != nil {
		s.internal(w, r, err)
		return
	}
	if len(in.Results) == 0 {
		writeProblem(w, Problem{Type: problemBase + "nothing-to-print", Title: "Nothing to print", Status: http.StatusConflict,
			Detail: fmt.Sprintf("inspection %s has no check results", id), Field: "id"})
		return
	}
	e, err := s.st.Entity(ctx, in.EntityID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	findings, err := s.st.FindingsOf(ctx, id)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	items, err := s.st.CheckItems(ctx)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	names, err := s.st.Names(ctx)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	units, err := s.st.Units(ctx)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	doc := report.InspectionDoc{
		Inspection:    in,
		Entity:        &e,
		Items:         items,
		Findings:      findings,
		TeamName:      names.Units[in.TeamID],
		InspectorName: names.Users[in.Inspector],
		GridName:      names.Grids[e.GridID],
		Departments:   departmentNames(units),
	}
	s.sendPDF(w, r, report.Filename(report.KindInspection, id), func(w io.Writer) error { return report.InspectionReport(w, doc) })
}

func (s *Server) rectificationNotice(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	e, err := s.st.Entity(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		docNotFound(w, "not-found", fmt.Sprintf("entity %s does not exist", id))
		return
	} else if err != nil {
		s.internal(w, r, err)
		return
	}
	all, err := s.st.Findings(ctx, id)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	var open []store.Finding
	for _, f := range all {
		if f.Status == "open" {
			open = append(open, f)
		}
	}
	if len(open) == 0 {
		docNotFound(w, "no-open-hazards", fmt.Sprintf("entity %s has no open hazards", id))
		return
	}
	items, err := s.st.CheckItems(ctx)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	names, err := s.st.Names(ctx)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	units, err := s.st.Units(ctx)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	// The notice is issued by the town's law-enforcement department; the
	// contact is the team and inspector of the latest visit that found an
	// open hazard (they come back for the re-inspection).
	var latest store.Inspection
	ins, err := s.st.Inspections(ctx, id)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	withOpen := map[string]bool{}
	for _, f := range open {
		withOpen[f.InspectionID] = true
	}
	for _, in := range ins {
		if withOpen[in.ID] {
			latest = in // oldest first, so the last one wins
		}
	}
	team := names.Units[latest.TeamID]
	issuer := cmp.Or(departmentNames(units)["law"], team, "综合行政执法队")
	contact := team
	if who := names.Users[latest.Inspector]; who != "" && team != "" {
		contact = team + " " + who
	} else if who != "" {
		contact = who
	}
	doc := report.NoticeDoc{
		Entity:   &e,
		Findings: open,
		Items:    items,
		GridName: names.Grids[e.GridID],
		Issuer:   issuer,
		Contact:  contact,
		Issued:   s.opts.Now(),
	}
	s.sendPDF(w, r, report.Filename(report.KindNotice, id), func(w io.Writer) error { return report.RectificationNotice(w, doc) })
}

// PlatesSkippedHeader counts the entities of a plates sheet left out for
// want of a QR token.
const PlatesSkippedHeader = "Griddesk-Plates-Skipped"

func (s *Server) doorPlates(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	g, err := s.st.Grid(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		docNotFound(w, "not-found", fmt.Sprintf("grid %s does not exist", id))
		return
	} else if err != nil {
		s.internal(w, r, err)
		return
	}
	all, err := s.st.EntitiesInGrid(ctx, id)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	ents := all[:0]
	for _, e := range all {
		if e.QRToken != "" {
			ents = append(ents, e)
		}
	}
	if len(ents) == 0 {
		detail := fmt.Sprintf("grid %s has no entities", id)
		if len(all) > 0 {
			detail = fmt.Sprintf("none of the %d entities of grid %s has a QR token", len(all), id)
		}
		docNotFound(w, "no-entities", detail)
		return
	}
	w.Header().Set(PlatesSkippedHeader, strconv.Itoa(len(all)-len(ents)))
	doc := report.PlatesDoc{GridID: g.ID, GridName: g.Name, Entities: ents, Generated: s.opts.Now()}
	s.sendPDF(w, r, report.Filename(report.KindPlates, id), func(w io.Writer) error { return report.DoorPlates(w, doc) })
}
