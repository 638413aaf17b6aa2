package ui

import (
	"context"
	"errors"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"griddesk/desk"
	"griddesk/desk/replica"
)

// bridge is the one place where background work starts and its results
// enter the UI. Each window has one: its context ends when the window
// closes or the desk closes, and nothing handed over after that reaches a
// widget. Every goroutine of the screens starts here (run, tick), and
// every result crosses to the UI goroutine here (hand), with fyne.Do.
type bridge struct {
	desk   *desk.Desk
	win    fyne.Window // errors are shown over it
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	closers []func() // run when the window closes
}

// newBridge ties a bridge to win (it takes the window's close callback)
// and to d. Its context is the root of the window's background work:
// context.Background is right here and nowhere else in the screens.
func newBridge(win fyne.Window, d *desk.Desk) *bridge {
	return newBridgeFrom(context.Background(), win, d)
}

// child is a bridge for a window that belongs to b's window (the
// planner): it ends with its own window or with b.
func (b *bridge) child(win fyne.Window) *bridge {
	return newBridgeFrom(b.ctx, win, b.desk)
}

func newBridgeFrom(parent context.Context, win fyne.Window, d *desk.Desk) *bridge {
	ctx, cancel := context.WithCancel(parent)
	b := &bridge{desk: d, win: win, ctx: ctx, cancel: cancel}
	b.run(func(ctx context.Context) func() { // the desk closing ends the window's work too
		select {
		case <-d.Done():
			cancel()
		case <-ctx.Done():
		}
		return nil
	})
	win.SetOnClosed(b.close)
	return b
}

// atClose runs fn (on the UI goroutine) when the window closes.
func (b *bridge) atClose(fn func()) {
	b.mu.Lock()
	b.closers = append(b.closers, fn)
	b.mu.Unlock()
}

// close ends the window's background work and runs what waits for it.
func (b *bridge) close() {
	b.cancel()
	b.mu.Lock()
	fns := b.closers
	b.closers = nil
	b.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// handing keeps hand-overs one at a time. A desktop driver runs them one
// after another on its goroutine anyway, so it never waits; the test
// driver runs fyne.Do at once on the caller's goroutine, where two
// hand-overs (the clock's tick and a read) could otherwise redraw one
// widget together.
var handing sync.Mutex

// hand runs fn on the UI goroutine, unless the window or the desk has
// closed by then. Background goroutines call it, never the UI goroutine;
// nothing else in the screens calls fyne.Do.
func (b *bridge) hand(fn func()) {
	fyne.Do(func() {
		handing.Lock()
		defer handing.Unlock()
		if b.ctx.Err() == nil {
			fn()
		}
	})
}

// run runs work off the UI goroutine with the window's context; the func
// it returns (nil: nothing) is handed to the UI goroutine.
func (b *bridge) run(work func(ctx context.Context) func()) {
	if b.ctx.Err() != nil {
		return
	}
	go func() {
		if show := work(b.ctx); show != nil {
			b.hand(show)
		}
	}()
}

// tick calls fn on the UI goroutine every interval while the window is open.
func (b *bridge) tick(interval time.Duration, fn func()) {
	b.run(func(ctx context.Context) func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				b.hand(fn)
			case <-ctx.Done():
				return nil
			}
		}
	})
}

// follow hands the desk's events on while the window is open: a status
// change to onStatus on the UI goroutine, changed data to onData on the
// desk's goroutine (the loader's take, which reads in the background).
func (b *bridge) follow(onStatus func(replica.Status), onData func(desk.Event)) {
	b.desk.Subscribe(func(e desk.Event) {
		if b.ctx.Err() != nil {
			return
		}
		if e.Status != nil {
			s := *e.Status
			b.hand(func() { onStatus(s) })
		}
		if e.Data != nil || e.Reset {
			onData(e)
		}
	})
}

// load reads in the background and shows the result, or the error over
// the bridge's window.
func load[T any](b *bridge, read func(ctx context.Context) (T, error), show func(T)) {
	b.run(func(ctx context.Context) func() {
		v, err := read(ctx)
		return func() {
			if err != nil {
				b.showError(err)
				return
			}
			show(v)
		}
	})
}

// act runs an action in the background; an error is shown over the
// bridge's window, success runs done (if any).
func (b *bridge) act(do func(ctx context.Context) error, done func()) {
	load(b, func(ctx context.Context) (struct{}, error) { return struct{}{}, do(ctx) }, func(struct{}) {
		if done != nil {
			done()
		}
	})
}

// showError shows an error over the bridge's window in the user's language
// (a refused command by its message key; Esc closes it).
func (b *bridge) showError(err error) {
	keysOf(b.win.Canvas()).track(dialog.NewError(errors.New(refusal(err)), b.win))
}
