package server

import (
	"bytes"
	"context"
	"encoding/json"
	"runtime"
	"sort"
	"sync"
	"time"
	"weak"

	"griddesk/domain"
	"griddesk/store"
)

// The feed keeps the tail of the change journal in memory, so that the desks
// following the feed are answered without SQLite: after a write, the first
// request reads the new rows once and every other desk is served from
// memory, and desks at the same cursor share one encoded answer. Without it
// every write woke 200 long-polls that each queried the journal (and, with
// database/sql keeping two idle connections, mostly opened a new SQLite
// connection to do it).
//
// The tail is valid for one broadcaster generation. Every write made through
// Server.update wakes the broadcaster after it commits, so a tail read after
// the current generation began holds every row committed before it: the same
// rule the long-poll already relies on. A write that bypasses Server.update
// (another process on the same database) reaches requests that arrive
// feedMaxAge after it at the latest (it never woke waiting long-polls).
const (
	feedMaxRows    = 4096        // rows kept; desks further behind read SQLite
	feedMaxAge     = time.Second // re-read the journal at least this often
	feedSharedPage = 256 << 10   // encoded answers up to this size are shared
	// feedLinger is how long a woken long-poll waits before it answers, so
	// that a burst of writes (a batch of 100 commands is 100 transactions)
	// reaches each desk in one answer rather than one answer and one more
	// poll per write. Under load (200 desks, 50 reports/s) it cut the CPU per
	// report by about a third; it adds as much to the change → desk latency
	// (budget 1 s).
	feedLinger = 25 * time.Millisecond
)

type feedKey struct{ kind, id string }

// pageKey names an encoded answer: the reader's scope (which names the
// reader, but for admins), after and limit.
type pageKey struct {
	scope        string
	after, limit int64
	callers      bool // the reader sees callers unmasked (maskFeed)
}

type feed struct {
	mu     sync.Mutex
	gen    <-chan struct{} // broadcaster generation the tail was read in; nil: not loaded
	loaded time.Time
	// rows holds every journal row with base < seq <= top, in seq order,
	// with its scopes (the journal keeps one row per kind/id; a row
	// superseded by a newer one is dropped here too)
	base, top int64
	rows      []store.JournalRow
	where     map[feedKey]int64       // kind/id → seq of its row in rows
	pages     map[pageKey]encodedPage // encoded answers, this generation
}

type encodedPage struct {
	body json.RawMessage
	n    int
}

// feeds holds each server's feed (a Server has no field for it); an entry
// goes when its server is garbage.
var feeds sync.Map // weak.Pointer[Server] → *feed

func (s *Server) feed() *feed {
	k := weak.Make(s)
	if f, ok := feeds.Load(k); ok {
		return f.(*feed)
	}
	f, loaded := feeds.LoadOrStore(k, &feed{})
	if !loaded {
		runtime.AddCleanup(s, func(k weak.Pointer[Server]) { feeds.Delete(k) }, k)
	}
	return f.(*feed)
}

// page answers GET /changes?after&limit from the tail, for a reader of
// scope sc: the encoded body and how many changes it holds (an empty
// answer is encoded only when encodeEmpty). ok is false when after is
// older than the tail: read the database.
func (s *Server) page(ctx context.Context, reader domain.User, sc store.Scope, after int64, limit int, encodeEmpty bool) (body json.RawMessage, n int, ok bool, err error) {
	f := s.feed()
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.sync(ctx, s); err != nil {
		return nil, 0, false, err
	}
	if after < f.base {
		return nil, 0, false, nil
	}
	key := pageKey{sc.String(), after, int64(limit), reader.Role.SeesCallers()}
	if p, hit := f.pages[key]; hit {
		return p.body, p.n, true, nil
	}
	i := sort.Search(len(f.rows), func(i int) bool { return f.rows[i].Seq > after })
	resp := ChangesResponse{Changes: []domain.Change{}, LastSeq: max(after, f.top), ServerID: s.id}
	for _, r := range f.rows[i:] {
		c, in := r.For(sc)
		if !in {
			continue
		}
		if len(resp.Changes) == limit {
			resp.More = true
			resp.LastSeq = resp.Changes[limit-1].Seq
			break
		}
		resp.Changes = append(resp.Changes, c)
	}
	n = len(resp.Changes)
	if n == 0 && !encodeEmpty {
		return nil, 0, true, nil
	}
	resp.Changes = maskFeed(redact(resp.Changes, reader), reader.Role)
	var buf bytes.Buffer
	resp.encode(&buf)
	if buf.Len() <= feedSharedPage && n > 0 {
		if f.pages == nil {
			f.pages = map[pageKey]encodedPage{}
		}
		f.pages[key] = encodedPage{buf.Bytes(), n}
	}
	return buf.Bytes(), n, true, nil
}

// sync brings the tail up to date unless it was read in the current
// generation (and recently). The caller holds f.mu.
func (f *feed) sync(ctx context.Context, s *Server) error {
	gen := s.notify.wait() // before reading: a write after this wakes gen
	if f.gen == gen && time.Since(f.loaded) < feedMaxAge {
		return nil
	}
	if f.gen == nil {
		// start empty at the end of the journal: desks catching up read SQLite
		top, err := s.st.LastSeq(ctx)
		if err != nil {
			return err
		}
		f.reset(top)
	} else {
		cs, last, more, err := s.st.Journal(ctx, f.top, feedMaxRows)
		if err != nil {
			return err
		}
		if more {
			// a burst longer than the tail: start it afresh after the burst
			top, err := s.st.LastSeq(ctx)
			if err != nil {
				return err
			}
			f.reset(top)
		} else {
			f.add(cs)
			f.top = max(f.top, last)
		}
	}
	f.gen, f.loaded, f.pages = gen, time.Now(), nil
	return nil
}

func (f *feed) reset(top int64) {
	f.base, f.top, f.rows, f.where = top, top, nil, map[feedKey]int64{}
}

// add appends rows newer than the tail, dropping the rows they supersede and
// the oldest rows beyond feedMaxRows.
func (f *feed) add(cs []store.JournalRow) {
	if len(cs) == 0 {
		return
	}
	superseded := map[int64]bool{}
	for _, c := range cs {
		k := feedKey{c.Kind, c.ID}
		if old, ok := f.where[k]; ok {
			superseded[old] = true
		}
		f.where[k] = c.Seq
	}
	if len(superseded) > 0 {
		kept := f.rows[:0:0]
		for _, c := range f.rows {
			if !superseded[c.Seq] {
				kept = append(kept, c)
			}
		}
		f.rows = kept
	}
	f.rows = append(f.rows, cs...)
	if over := len(f.rows) - feedMaxRows; over > feedMaxRows/4 {
		for _, c := range f.rows[:over] {
			if k := (feedKey{c.Kind, c.ID}); f.where[k] == c.Seq {
				delete(f.where, k)
			}
		}
		f.base = f.rows[over-1].Seq
		f.rows = append([]store.JournalRow(nil), f.rows[over:]...)
	}
}
