package ui

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"griddesk/desk"
	"griddesk/desk/replica"
	"griddesk/mapview"
)

// bridge is the one place where background results enter the UI: desk
// events arrive on the sync goroutine, data is read off the UI goroutine,
// and everything reaches widgets through fyne.Do.
type bridge struct {
	desk    *desk.Desk
	onData  func(snapshot)
	onState func(replica.Status)

	mu      sync.Mutex
	loading bool
	dirty   bool
}

// snapshot is what the screens show, read in one go from the local copy.
type snapshot struct {
	Map   desk.MapData
	Cases []desk.CaseRow
	At    time.Time
	Err   error
	// Layers and Scene are built here, off the UI goroutine: indexing a
	// city's 100,000 points takes longer than a frame.
	Layers mapLayers
	Scene  *mapview.Scene
}

func newBridge(d *desk.Desk, onData func(snapshot), onState func(replica.Status)) *bridge {
	b := &bridge{desk: d, onData: onData, onState: onState}
	d.Subscribe(func(e desk.Event) {
		if e.Status != nil {
			s := *e.Status
			fyne.Do(func() { b.onState(s) })
		}
		if e.Data != nil || e.Reset {
			b.reload()
		}
	})
	return b
}

// reload reads a fresh snapshot in the background; requests that arrive
// while one is being read are folded into one more read.
func (b *bridge) reload() {
	b.mu.Lock()
	if b.loading {
		b.dirty = true
		b.mu.Unlock()
		return
	}
	b.loading = true
	b.mu.Unlock()
	go func() {
		for {
			s := b.read()
			fyne.Do(func() { b.onData(s) })
			b.mu.Lock()
			if !b.dirty {
				b.loading = false
				b.mu.Unlock()
				return
			}
			b.dirty = false
			b.mu.Unlock()
		}
	}()
}

func (b *bridge) read() snapshot {
	ctx := context.Background()
	s := snapshot{At: time.Now()}
	if s.Map, s.Err = b.desk.MapData(ctx); s.Err != nil {
		return s
	}
	if s.Cases, s.Err = b.desk.OpenCases(ctx, s.At); s.Err != nil {
		return s
	}
	s.Layers = buildLayers(s.Map, s.Cases)
	s.Scene = mapview.NewScene(s.Layers.layers...)
	return s
}
