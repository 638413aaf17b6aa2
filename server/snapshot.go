package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"griddesk/domain/clock"
	"griddesk/store"
	"griddesk/store/gpkg"
)

// snapshot answers GET /api/v1/snapshot.gpkg?grids=ID,ID&from=DATE&to=DATE:
// the same GeoPackage a desk exports, for auditors and scripts. Dates are
// YYYY-MM-DD in Asia/Shanghai; to is inclusive.
func (s *Server) snapshot(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	opts := gpkg.ExportOptions{Meta: gpkg.Metadata{Title: "GridDesk snapshot", ExportedBy: userFrom(r.Context()).Username, ServerID: s.id}}
	if g := q.Get("grids"); g != "" {
		for _, id := range strings.Split(g, ",") {
			if id = strings.TrimSpace(id); id != "" {
				opts.Grids = append(opts.Grids, id)
			}
		}
	}
	loc := time.FixedZone("CST", 8*3600)
	for _, p := range []struct {
		name string
		dst  *time.Time
		end  bool
	}{{"from", &opts.From, false}, {"to", &opts.To, true}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", v, loc)
		if err != nil {
			badField(w, p.name, fmt.Sprintf("query parameter %s must be a date like 2026-07-01, got %q", p.name, v))
			return
		}
		if p.end {
			t = t.AddDate(0, 0, 1)
		}
		*p.dst = t
	}
	if !opts.From.IsZero() && !opts.To.IsZero() && !opts.To.After(opts.From) {
		badField(w, "to", "to is before from")
		return
	}
	// another town's grids are not there; with none asked for, the user's towns
	towns, err := s.townsOf(r.Context(), userFrom(r.Context()))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if towns != nil {
		grids, err := s.st.Grids(r.Context())
		if err != nil {
			s.internal(w, r, err)
			return
		}
		in := map[string]bool{}
		var mine []string
		for _, g := range grids {
			if towns[g.Town] {
				in[g.ID] = true
				mine = append(mine, g.ID)
			}
		}
		for _, id := range opts.Grids {
			if !in[id] {
				badField(w, "grids", fmt.Sprintf("grid %s: %v", id, store.ErrNotFound))
				return
			}
		}
		if opts.Grids == nil && len(mine) < len(grids) {
			if len(mine) == 0 {
				badField(w, "grids", "none of the grids lies in your towns")
				return
			}
			opts.Grids = mine
		}
	}
	release, ok := s.turn(w, r, s.exports, "snapshots")
	if !ok {
		return
	}
	defer release()
	// a city's snapshot takes longer to send than the API's write timeout
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(30 * time.Minute))
	name := "griddesk-" + s.opts.Now().In(clock.Location()).Format("20060102-1504") + ".gpkg"
	w.Header().Set("Content-Type", "application/geopackage+sqlite3")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if _, err := gpkg.ExportTo(r.Context(), s.st, w, "", opts); err != nil {
		w.Header().Del("Content-Disposition")
		if errors.Is(err, store.ErrNotFound) {
			badField(w, "grids", err.Error())
			return
		}
		s.internal(w, r, err)
	}
}
