package ui

import (
	"context"
	"errors"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/plan"
	"griddesk/desk"
	"griddesk/domain"
)

// TestBridgeEndsWithItsWindow: work under way when its window closes (or
// its desk does) sees its context cancelled, and what it hands over
// afterwards reaches no widget; no new work starts.
func TestBridgeEndsWithItsWindow(t *testing.T) {
	for _, tt := range []struct {
		name string
		end  func(w fyne.Window, d *desk.Desk)
	}{
		{"window closed", func(w fyne.Window, _ *desk.Desk) { fyne.DoAndWait(w.Close) }},
		{"desk closed", func(_ fyne.Window, d *desk.Desk) { d.Close() }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestApp(t)
			d, err := desk.Open(context.Background(), desk.Config{DataDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			w := a.NewWindow("bridge")
			label := widget.NewLabel("before")
			w.SetContent(label)
			b := newBridge(w, d)
			closed := false
			b.atClose(func() { closed = true })

			started, ended := make(chan struct{}), make(chan error, 1)
			b.run(func(ctx context.Context) func() {
				close(started)
				select {
				case <-ctx.Done():
					ended <- ctx.Err()
				case <-time.After(30 * time.Second):
					ended <- errors.New("never cancelled")
				}
				return func() { label.SetText("after") }
			})
			<-started
			tt.end(w, d)
			if err := <-ended; !errors.Is(err, context.Canceled) {
				t.Fatalf("pending work ended with %v, want context.Canceled", err)
			}
			b.hand(func() { label.SetText("handed") }) // the test driver runs it at once, or never
			ran := false
			b.run(func(context.Context) func() { ran = true; return nil })
			time.Sleep(100 * time.Millisecond) // room for the cancelled work's hand-over
			fyne.DoAndWait(func() {
				if label.Text != "before" {
					t.Errorf("a widget was touched after the end: %q", label.Text)
				}
			})
			if ran {
				t.Error("work started after the end")
			}
			if tt.name == "window closed" && !closed {
				t.Error("atClose did not run when the window closed")
			}
		})
	}
}

// TestClosedWindowReadsNothing: a desk event after the main window closed
// starts no read and changes no part of it; a planner closing ends its own
// work, not the desk window's, and takes its rounds off the map.
func TestClosedWindowReadsNothing(t *testing.T) {
	mw := quietWindow(t)
	pw := openPlanner(mw)
	fyne.DoAndWait(pw.win.Close)
	if pw.br.ctx.Err() == nil || mw.br.ctx.Err() != nil {
		t.Fatalf("after the planner closed: its context %v, the desk window's %v", pw.br.ctx.Err(), mw.br.ctx.Err())
	}
	settle(t, mw.loader) // the rounds taken off the map
	if mw.planner != nil {
		t.Error("the desk window still holds the closed planner")
	}

	var header string
	fyne.DoAndWait(func() {
		header = mw.queue.header.Text
		mw.win.Close()
	})
	before := mw.loader.counts()
	mw.loader.take(desk.Event{Data: map[string]bool{domain.KindCase: true, domain.KindEntity: true}})
	time.Sleep(100 * time.Millisecond)
	if got := since(before, mw.loader.counts()); got != (tally{}) {
		t.Errorf("a closed window read %+v", got)
	}
	fyne.DoAndWait(func() {
		if mw.queue.header.Text != header {
			t.Errorf("the queue of a closed window changed: %q", mw.queue.header.Text)
		}
	})
}

// TestPlannerOutputsNeedAPlan: print, export and publish wait for a plan
// (before one was made they did nothing).
func TestPlannerOutputsNeedAPlan(t *testing.T) {
	mw := quietWindow(t)
	pw := openPlanner(mw)
	defer fyne.DoAndWait(pw.win.Close)
	enabled := func() (n int) {
		fyne.DoAndWait(func() {
			for _, b := range pw.outputs {
				if !b.Disabled() {
					n++
				}
			}
		})
		return n
	}
	if n := enabled(); n != 0 {
		t.Errorf("%d of print, export and publish enabled without a plan", n)
	}
	fyne.DoAndWait(func() { pw.show(&plan.Plan{}) })
	if n := enabled(); n != len(pw.outputs) {
		t.Errorf("%d of %d enabled with a plan", n, len(pw.outputs))
	}
}

// openPlanner opens the desk window's planner.
func openPlanner(mw *mainWindow) (pw *planWindow) {
	fyne.DoAndWait(func() {
		mw.showPlanner()
		pw = mw.planner
	})
	return pw
}
