package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"griddesk/domain"
)

// ChangesResponse is the body of GET /api/v1/changes.
type ChangesResponse struct {
	Changes  []domain.Change `json:"changes"`
	LastSeq  int64           `json:"last_seq"`
	More     bool            `json:"more"`
	ServerID string          `json:"server_id"`
}

const maxPage = 5000

// changes answers GET /api/v1/changes?after=SEQ&limit=N&wait=S: the rows
// changed after SEQ, long-polling up to S seconds when there are none.
func (s *Server) changes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	after, ok := intParam(w, q.Get("after"), "after", 0, 0, 1<<62)
	if !ok {
		return
	}
	limit, ok := intParam(w, q.Get("limit"), "limit", 1000, 1, maxPage)
	if !ok {
		return
	}
	wait, ok := intParam(w, q.Get("wait"), "wait", 0, 0, int64(s.opts.MaxWait/time.Second))
	if !ok {
		return
	}
	reader := userFrom(r.Context())
	sc, err := s.scopeFor(r.Context(), reader)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	deadline := time.NewTimer(time.Duration(wait) * time.Second)
	defer deadline.Stop()
	lingered := false
	for {
		woken := s.notify.wait() // take the channel before reading, so no write slips between
		// desks following the feed are served from its in-memory tail (feed.go)
		body, n, ok, err := s.page(r.Context(), reader, sc, after, int(limit), wait == 0)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		if ok && (n > 0 || wait == 0) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			w.Write(body)
			return
		}
		if !ok { // behind the tail: read the journal
			cs, last, more, err := s.st.ChangesIn(r.Context(), sc, after, int(limit))
			if err != nil {
				s.internal(w, r, err)
				return
			}
			if len(cs) > 0 || wait == 0 {
				writeChanges(w, ChangesResponse{Changes: maskFeed(redact(cs, reader), reader.Role), LastSeq: last, More: more, ServerID: s.id})
				return
			}
		}
		select {
		case <-woken:
			if !lingered {
				// let the rest of a burst of writes land: one answer for it,
				// not one per write (and one more poll per desk per write)
				lingered = true
				t := time.NewTimer(feedLinger)
				select {
				case <-t.C:
				case <-r.Context().Done():
					t.Stop()
					return
				}
			}
		case <-deadline.C:
			wait = 0
		case <-s.closing: // shutting down: answer what there is, now
			wait = 0
		case <-r.Context().Done():
			return
		}
	}
}

func intParam(w http.ResponseWriter, v, name string, def, lo, hi int64) (int64, bool) {
	if v == "" {
		return def, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo || n > hi {
		badField(w, name, "query parameter "+name+" must be an integer from "+strconv.FormatInt(lo, 10)+" to "+strconv.FormatInt(hi, 10)+", got "+strconv.Quote(v))
		return 0, false
	}
	return n, true
}

// encode writes the answer as encoding/json would, with the rows' data
// copied as they are: the journal keeps each row's JSON already encoded,
// and checking and compacting megabytes of it again cost a desk's first
// sync more than reading it from the database.
func (r ChangesResponse) encode(buf *bytes.Buffer) {
	str := func(s string) {
		b, _ := json.Marshal(s)
		buf.Write(b)
	}
	buf.WriteString(`{"changes":[`)
	for i, c := range r.Changes {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(`{"seq":`)
		buf.WriteString(strconv.FormatInt(c.Seq, 10))
		buf.WriteString(`,"kind":`)
		str(c.Kind)
		buf.WriteString(`,"id":`)
		str(c.ID)
		buf.WriteString(`,"op":`)
		str(c.Op)
		buf.WriteString(`,"data":`)
		if len(c.Data) == 0 {
			buf.WriteString("null")
		} else {
			buf.Write(c.Data)
		}
		buf.WriteByte('}')
	}
	buf.WriteString(`],"last_seq":`)
	buf.WriteString(strconv.FormatInt(r.LastSeq, 10))
	buf.WriteString(`,"more":`)
	buf.WriteString(strconv.FormatBool(r.More))
	buf.WriteString(`,"server_id":`)
	str(r.ServerID)
	buf.WriteString("}\n")
}

// writeChanges answers with a page of the feed.
func writeChanges(w http.ResponseWriter, r ChangesResponse) {
	var buf bytes.Buffer
	r.encode(&buf)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}
