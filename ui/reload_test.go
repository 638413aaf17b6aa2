package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"

	"griddesk/desk"
	"griddesk/desk/replica"
	"griddesk/domain"
)

func TestPartsOf(t *testing.T) {
	for _, tt := range []struct {
		name  string
		event desk.Event
		want  part
	}{
		{"status only", desk.Event{Status: &replica.Status{}}, 0},
		{"outbox only", desk.Event{Data: map[string]bool{kindOutbox: true}}, partQueue},
		{"a case", desk.Event{Data: map[string]bool{domain.KindCase: true}}, partCases | partQueue},
		{"a dispatch issued", desk.Event{Data: map[string]bool{kindOutbox: true, domain.KindCase: true, domain.KindTask: true, domain.KindCaseAction: true}}, partCases | partQueue},
		{"an entity", desk.Event{Data: map[string]bool{domain.KindEntity: true}}, partEntities | partHeat},
		{"a hazard", desk.Event{Data: map[string]bool{domain.KindFinding: true}}, partHeat},
		{"a grid", desk.Event{Data: map[string]bool{domain.KindGrid: true}}, partGrids | partQueue},
		{"a unit", desk.Event{Data: map[string]bool{domain.KindUnit: true}}, partQueue},
		{"a setting", desk.Event{Data: map[string]bool{domain.KindSetting: true}}, partCases | partQueue},
		{"users, items, plans", desk.Event{Data: map[string]bool{domain.KindUser: true, domain.KindCheckItem: true, domain.KindPlan: true, domain.KindVisit: true, domain.KindInspection: true}}, 0},
		{"a kind marked unchanged", desk.Event{Data: map[string]bool{domain.KindGrid: false}}, 0},
		{"reset", desk.Event{Reset: true}, partAll},
	} {
		if got := partsOf(tt.event); got != tt.want {
			t.Errorf("%s: parts %06b, want %06b", tt.name, got, tt.want)
		}
	}
}

// quietWindow is the main window over a desk that never syncs, with its
// first read done: only the events a test makes reach it.
func quietWindow(t *testing.T) *mainWindow {
	t.Helper()
	a := newTestApp(t)
	if err := loadTranslations(); err != nil {
		t.Fatal(err)
	}
	d, err := desk.Open(context.Background(), desk.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	var mw *mainWindow
	fyne.DoAndWait(func() {
		mw = newMainWindow(a, d)
		mw.win.Show()
		mw.loader.reload(partAll)
	})
	settle(t, mw.loader)
	return mw
}

// settle waits until the loader has no read running or waiting.
func settle(t *testing.T, l *loader) {
	t.Helper()
	eventually(t, "the reads to end", func() bool { return l.idle() })
}

// since is what was read and built between two counts.
func since(before, after tally) tally {
	return tally{grids: after.grids - before.grids, entities: after.entities - before.entities, heat: after.heat - before.heat,
		cases: after.cases - before.cases, queue: after.queue - before.queue, scenes: after.scenes - before.scenes}
}

// TestReloadReadsOnlyWhatChanged hands desk events to the window's loader
// and counts what it re-reads and rebuilds: an outbox-only event re-reads
// the queue and no map layer, a case event rebuilds the case layer and not
// the grids or entities, and so on; only a reset reads everything.
func TestReloadReadsOnlyWhatChanged(t *testing.T) {
	mw := quietWindow(t)
	for _, tt := range []struct {
		name  string
		event desk.Event
		want  tally
	}{
		{"outbox only", desk.Event{Data: map[string]bool{kindOutbox: true}}, tally{queue: 1}},
		{"a case", desk.Event{Data: map[string]bool{domain.KindCase: true}}, tally{cases: 1, queue: 1, scenes: 1}},
		{"a dispatch issued", desk.Event{Data: map[string]bool{kindOutbox: true, domain.KindCase: true, domain.KindTask: true, domain.KindCaseAction: true}},
			tally{cases: 1, queue: 1, scenes: 1}},
		{"an entity", desk.Event{Data: map[string]bool{domain.KindEntity: true}}, tally{entities: 1, heat: 1, scenes: 1}},
		{"a hazard", desk.Event{Data: map[string]bool{domain.KindFinding: true}}, tally{heat: 1, scenes: 1}},
		{"a grid", desk.Event{Data: map[string]bool{domain.KindGrid: true}}, tally{grids: 1, queue: 1, scenes: 1}},
		{"a user", desk.Event{Data: map[string]bool{domain.KindUser: true}}, tally{}},
		{"reset", desk.Event{Reset: true}, tally{grids: 1, entities: 1, heat: 1, cases: 1, queue: 1, scenes: 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := mw.loader.counts()
			mw.loader.take(tt.event)
			settle(t, mw.loader)
			if got := since(before, mw.loader.counts()); got != tt.want {
				t.Errorf("read and built %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestReloadFoldsBursts: events that come while a read runs are read
// together, once, after it.
func TestReloadFoldsBursts(t *testing.T) {
	mw := quietWindow(t)
	before := mw.loader.counts()
	mw.loader.take(desk.Event{Data: map[string]bool{domain.KindEntity: true}})
	for i := 0; i < 20; i++ {
		mw.loader.take(desk.Event{Data: map[string]bool{kindOutbox: true}})
		mw.loader.take(desk.Event{Data: map[string]bool{domain.KindCase: true}})
	}
	settle(t, mw.loader)
	got := since(before, mw.loader.counts())
	if got.entities != 1 || got.grids != 0 || got.cases < 1 || got.cases > 2 || got.scenes > 2 {
		t.Errorf("a burst of 41 events read and built %+v, want the entities once and the cases at most twice", got)
	}
}
