package server

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"griddesk/domain"
	"griddesk/domain/photo"
	"griddesk/store"
)

// Photos taken at inspections and rectifications:
//
//	POST /api/v1/photos       the body is the image (image/jpeg, image/png or image/gif)
//	GET  /api/v1/photos/{id}  the image
//
// A photo's ID is the hex SHA-256 of its bytes (domain/photo): the field side
// uploads each photo, then sends the inspection.record or hazard.rectify
// command naming the IDs. Sending a photo again is harmless (200 instead of
// 201). The roles that record inspections upload; any signed-in role reads.

// photoUploaders are the roles whose commands carry photos (unit members:
// of the site they handled, from the phone app).
var photoUploaders = roles(domain.RoleReporter, domain.RoleTeamLeader, domain.RoleUnitMember, domain.RoleAdmin)

func (s *Server) uploadPhoto(w http.ResponseWriter, r *http.Request) {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (ct != "image/jpeg" && ct != "image/png" && ct != "image/gif") {
		got := r.Header.Get("Content-Type")
		if got == "" {
			got = "no Content-Type"
		}
		problem(w, http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
			"send the photo as the body with Content-Type image/jpeg, image/png or image/gif, not "+got)
		return
	}
	// Reading and decoding take their turn together (one per core): the
	// bodies of a thousand uploads at once wait unread.
	select {
	case s.decoding <- struct{}{}:
		defer func() { <-s.decoding }()
	case <-r.Context().Done():
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, photo.MaxBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		problem(w, http.StatusRequestEntityTooLarge, "too-large", "Photo too large", fmt.Sprintf("a photo may be at most %d MB", photo.MaxBytes>>20))
		return
	case err != nil:
		problem(w, http.StatusBadRequest, "bad-body", "Unreadable body", err.Error())
		return
	}
	info, err := photo.Check(data)
	switch {
	case errors.Is(err, photo.ErrTooLarge):
		writeProblem(w, Problem{Type: problemBase + "too-large", Title: "Photo too large", Status: http.StatusRequestEntityTooLarge, Detail: err.Error(), Field: "body"})
		return
	case err != nil:
		badField(w, "body", err.Error())
		return
	case info.MIME != ct:
		badField(w, "body", fmt.Sprintf("the body is %s but Content-Type says %s", info.MIME, ct))
		return
	}
	if state, _, err := s.st.PhotoState(r.Context(), info.ID); err == nil && state == domain.PhotoStored {
		writeJSON(w, http.StatusOK, info) // sent again: kept already, nothing to decode
		return
	}
	// Decoding is the costly part: its memory, known from the header (Check
	// refused anything over photo.MaxDecode), is taken from the server's
	// budget first; the others wait or give up with the client.
	cost, err := photo.Cost(data)
	if err != nil {
		badField(w, "body", err.Error())
		return
	}
	if err := s.decodeMem.Acquire(r.Context(), cost); err != nil {
		return
	}
	defer s.decodeMem.Release(cost)
	rendition, err := photo.Rendition(data)
	if err != nil {
		badField(w, "body", err.Error())
		return
	}
	p := domain.Photo{ID: info.ID, MIME: info.MIME, Width: info.Width, Height: info.Height, Data: data, Rendition: rendition,
		UploadedBy: userFrom(r.Context()).ID, CreatedAt: s.opts.Now()}
	isNew, err := s.st.PutPhoto(r.Context(), &p)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	status := http.StatusOK
	if isNew {
		status = http.StatusCreated
		w.Header().Set("Location", "/api/v1/photos/"+info.ID)
	}
	writeJSON(w, status, info)
}

func (s *Server) getPhoto(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !photo.ValidID(id) {
		writeProblem(w, Problem{Type: problemBase + "not-found", Title: "Not found", Status: http.StatusNotFound,
			Detail: fmt.Sprintf("%q is not a photo ID (64 hex digits)", id), Field: "id"})
		return
	}
	p, err := s.st.Photo(r.Context(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		docNotFound(w, "not-found", fmt.Sprintf("photo %s was never uploaded", photo.Short(id)))
		return
	case err != nil:
		s.internal(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", p.MIME)
	h.Set("Content-Length", strconv.Itoa(len(p.Data)))
	h.Set("ETag", `"`+p.ID+`"`)
	h.Set("Cache-Control", "private, max-age=31536000, immutable") // named by its content
	if r.Header.Get("If-None-Match") == `"`+p.ID+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(p.Data)
	}
}
