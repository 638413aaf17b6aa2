package ui

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"griddesk/desk"
	"griddesk/domain"
	"griddesk/mapview"
)

// part is a piece of what the main window shows that is read and built on
// its own.
type part uint8

const (
	partGrids    part = 1 << iota // the grid layers
	partEntities                  // the entity layers
	partHeat                      // the hazard-density layer
	partCases                     // the case layer
	partQueue                     // the open-case rows: queue and detail panel
	partRoutes                    // the planner's rounds (set by the planner)

	partMap = partGrids | partEntities | partHeat | partCases | partRoutes
	partAll = partMap | partQueue
)

// historyRows is how many closed cases the queue lists at most (newest
// first; the search finds older ones).
const historyRows = 2000

// kindOutbox is the desk's event kind for its outbox (no row kind).
const kindOutbox = "outbox"

// kindParts says what a change to rows of a kind makes stale; kinds not
// listed (users, check items, inspections, plans, visits) show nowhere on
// the main window.
var kindParts = map[string]part{
	domain.KindGrid:       partGrids | partQueue, // the queue names the grids
	domain.KindEntity:     partEntities | partHeat,
	domain.KindFinding:    partHeat, // open hazards, drawn where their entity is
	domain.KindCase:       partCases | partQueue,
	domain.KindTask:       partCases | partQueue,
	domain.KindCaseAction: partCases | partQueue, // timelines run the clocks
	domain.KindSetting:    partCases | partQueue, // the holiday calendar moves deadlines
	domain.KindUnit:       partQueue,             // the queue names the units
	kindOutbox:            partQueue,             // cases with a command waiting are marked
}

// partsOf says what a desk event makes stale.
func partsOf(e desk.Event) part {
	if e.Reset {
		return partAll
	}
	var p part
	for kind, changed := range e.Data {
		if changed {
			p |= kindParts[kind]
		}
	}
	return p
}

// tally counts what a loader read and built, by part (tests check with it
// that a change re-reads no more than it must).
type tally struct {
	grids, entities, heat, cases, queue, scenes int
}

func (t *tally) add(o tally) {
	t.grids += o.grids
	t.entities += o.entities
	t.heat += o.heat
	t.cases += o.cases
	t.queue += o.queue
	t.scenes += o.scenes
}

// frame is one read's result, for the UI goroutine.
type frame struct {
	parts   part
	layers  mapLayers
	scene   *mapview.Scene // nil when no map part changed
	rows    []desk.CaseRow // the open cases, with partQueue
	history []desk.CaseRow // the closed cases the queue's state filter asks for, with partQueue
	err     error
}

// loader reads what changed from the local copy and builds the map's layers
// and scene, all off the UI goroutine: indexing a city's 100,000 points
// takes longer than a frame. One read runs at a time; parts asked for while
// it runs are folded into one more read.
type loader struct {
	br   *bridge
	show func(frame) // on the UI goroutine

	mu      sync.Mutex
	busy    bool
	pending part          // asked for while busy
	routes  mapview.Layer // the planner's rounds for the next scene
	focus   string        // a case not in the open queue drawn on the map ("" none)
	history []domain.CaseStatus
	tally   tally
	layers  mapLayers // the last read's; only the read under way touches it
}

func newLoader(br *bridge, show func(frame)) *loader {
	return &loader{br: br, show: show}
}

// reload reads the parts p again in the background.
func (l *loader) reload(p part) {
	l.mu.Lock()
	if l.busy {
		l.pending |= p
		l.mu.Unlock()
		return
	}
	l.busy = true
	l.mu.Unlock()
	l.start(p)
}

// take reads again what a desk event made stale (any goroutine).
func (l *loader) take(e desk.Event) {
	if p := partsOf(e); p != 0 {
		l.reload(p)
	}
}

// setRoutes draws the planner's rounds (nil: none) over the layers.
func (l *loader) setRoutes(r mapview.Layer) {
	l.mu.Lock()
	l.routes = r
	l.mu.Unlock()
	l.reload(partRoutes)
}

// setFocus draws case id on the map besides the open ones ("": none),
// such as a closed case selected from a search.
func (l *loader) setFocus(id string) {
	l.mu.Lock()
	same := l.focus == id
	l.focus = id
	l.mu.Unlock()
	if !same {
		l.reload(partCases)
	}
}

// setHistory reads the cases in states (closed ones) with the queue (nil:
// none).
func (l *loader) setHistory(states []domain.CaseStatus) {
	l.mu.Lock()
	l.history = states
	l.mu.Unlock()
	l.reload(partQueue)
}

// counts is what the loader has read and built so far.
func (l *loader) counts() tally {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.tally
}

// idle reports whether no read runs or waits.
func (l *loader) idle() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.busy
}

// start reads p in the background and shows it on the UI goroutine, then
// reads what was asked for meanwhile. A read whose window closed is never
// shown and the loader stays busy: nothing more is read for a closed window.
func (l *loader) start(p part) {
	l.br.run(func(ctx context.Context) func() {
		f := l.read(ctx, p)
		return func() {
			l.show(f)
			l.mu.Lock()
			next := l.pending
			l.pending, l.busy = 0, next != 0
			l.mu.Unlock()
			if next != 0 {
				l.start(next)
			}
		}
	})
}

// build reads a layer's rows and builds the layer from them.
func build[T any](ctx context.Context, read func(context.Context) (T, error), set func(T)) error {
	v, err := read(ctx)
	if err != nil {
		return err
	}
	set(v)
	return nil
}

// read re-reads the parts p and builds their layers and, when the map
// changed, a scene of all layers.
func (l *loader) read(ctx context.Context, p part) frame {
	f := frame{parts: p}
	var t tally
	ml := l.layers // parts are replaced whole, so the copy shares nothing that changes
	d := l.br.desk
	for _, s := range []struct {
		part  part
		count *int
		build func() error
	}{
		{partGrids, &t.grids, func() error { return build(ctx, d.Grids, ml.setGrids) }},
		{partEntities, &t.entities, func() error { return build(ctx, d.Entities, ml.setEntities) }},
		{partHeat, &t.heat, func() error { return build(ctx, d.HazardPoints, ml.setHeat) }},
	} {
		if p&s.part == 0 {
			continue
		}
		if err := s.build(); err != nil {
			return frame{err: fmt.Errorf("map layers: %w", err)}
		}
		*s.count++
	}
	l.mu.Lock()
	focus, history := l.focus, l.history
	ml.routes = l.routes
	l.mu.Unlock()
	if p&(partCases|partQueue) != 0 {
		now := time.Now()
		rows, err := d.OpenCases(ctx, now)
		if err != nil {
			return frame{err: fmt.Errorf("open cases: %w", err)}
		}
		if p&partCases != 0 {
			drawn := rows
			if focus != "" && !slices.ContainsFunc(rows, func(r desk.CaseRow) bool { return r.ID == focus }) {
				if c, err := d.CaseRow(ctx, focus, now); err == nil {
					drawn = append(slices.Clip(rows), c)
				}
			}
			ml.setCases(drawn)
			t.cases++
		}
		if p&partQueue != 0 {
			f.rows = rows
			if len(history) > 0 {
				res, err := d.SearchCases(ctx, desk.CaseQuery{States: history, Limit: historyRows}, now)
				if err != nil {
					return frame{err: fmt.Errorf("closed cases: %w", err)}
				}
				f.history = res.Rows
			}
			t.queue++
		}
	}
	if p&partMap != 0 {
		f.scene = mapview.NewScene(ml.all()...)
		t.scenes++
	}
	l.layers, f.layers = ml, ml
	l.mu.Lock()
	l.tally.add(t)
	l.mu.Unlock()
	return f
}
