package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Fyne's desktop driver fires a canvas shortcut only for a key with a
// modifier (Ctrl, Alt, Super): a bare F11 or Esc reaches the focused
// widget's TypedKey, or, with nothing focused, the canvas's OnTypedKey.
// keys binds such keys on the canvas, and the desk's entries (keyEntry)
// hand them on, so F11 and Esc work wherever the focus is.
type keys struct {
	canvas   fyne.Canvas
	bindings map[fyne.KeyName]func()
	shown    map[fyne.CanvasObject]dialog.Dialog // the overlay of each dialog opened through track
	forms    map[fyne.CanvasObject]*formDialog   // the overlay of each form dialog
}

// keyRouters are the canvases' key bindings (UI goroutine only).
var keyRouters = map[fyne.Canvas]*keys{}

// keysOf is the key router of canvas c, bound on first use.
func keysOf(c fyne.Canvas) *keys {
	if k, ok := keyRouters[c]; ok {
		return k
	}
	k := &keys{canvas: c, bindings: map[fyne.KeyName]func(){}, shown: map[fyne.CanvasObject]dialog.Dialog{},
		forms: map[fyne.CanvasObject]*formDialog{}}
	keyRouters[c] = k
	c.SetOnTypedKey(k.typed)
	for _, key := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyEnter} { // Ctrl+Enter sends the form on top
		c.AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { k.submitTop() })
	}
	return k
}

// submitTop sends the form dialog on top, if a form is on top.
func (k *keys) submitTop() {
	if fd, ok := k.forms[k.canvas.Overlays().Top()]; ok {
		fd.submit()
	}
}

// forget drops a closed window's router.
func forgetKeys(c fyne.Canvas) { delete(keyRouters, c) }

// bind runs fn when key is pressed in the window (and no dialog takes it).
func (k *keys) bind(key fyne.KeyName, fn func()) { k.bindings[key] = fn }

// track opens d and lets Esc dismiss it.
func (k *keys) track(d dialog.Dialog) fyne.CanvasObject {
	d.Show()
	top := k.canvas.Overlays().Top()
	if top != nil {
		k.shown[top] = d
		d.SetOnClosed(func() { delete(k.shown, top); delete(k.forms, top) })
	}
	return top
}

// typed handles a key nobody else took: Esc closes the topmost dialog
// (dismissed as if cancelled), otherwise the key's binding runs.
func (k *keys) typed(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape {
		if top := k.canvas.Overlays().Top(); top != nil {
			if d, ok := k.shown[top]; ok {
				d.Dismiss()
			} else {
				top.Hide() // a dialog Fyne opened itself (a file chooser, an error)
				k.canvas.Overlays().Remove(top)
			}
			return
		}
	}
	if fn := k.bindings[ev.Name]; fn != nil {
		fn()
	}
}

// handOn gives Esc and F11 typed into o to o's window (true: handed on).
func handOn(o fyne.CanvasObject, ev *fyne.KeyEvent) bool {
	if ev.Name != fyne.KeyEscape && ev.Name != fyne.KeyF11 {
		return false
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if c == nil {
		return false
	}
	keysOf(c).typed(ev)
	return true
}

// keyEntry is a widget.Entry that hands Esc and F11 to its window's keys.
type keyEntry struct{ widget.Entry }

func newEntry() *keyEntry {
	e := &keyEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func newMultiLineEntry() *keyEntry {
	e := newEntry()
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	return e
}

func newPasswordEntry() *keyEntry {
	e := newEntry()
	e.Password = true
	return e
}

// TypedKey hands Esc and F11 on; every other key edits as usual.
func (e *keyEntry) TypedKey(ev *fyne.KeyEvent) {
	if !handOn(e, ev) {
		e.Entry.TypedKey(ev)
	}
}

// TypedShortcut hands the window's shortcuts (Ctrl+Enter, Ctrl+N …) to
// the canvas: a focused entry takes every shortcut and would swallow them.
func (e *keyEntry) TypedShortcut(s fyne.Shortcut) {
	if !handShortcut(e, s) {
		e.Entry.TypedShortcut(s)
	}
}

// handShortcut gives a window shortcut typed into o to o's canvas.
func handShortcut(o fyne.CanvasObject, s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok || cs.Modifier&(fyne.KeyModifierControl|fyne.KeyModifierSuper) == 0 {
		return false
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if sc, ok := c.(interface{ TypedShortcut(fyne.Shortcut) }); ok && c != nil {
		sc.TypedShortcut(cs)
		return true
	}
	return false
}

// keySelectEntry is a widget.SelectEntry that hands Esc and F11 on.
type keySelectEntry struct{ widget.SelectEntry }

func newSelectEntry(options []string) *keySelectEntry {
	e := &keySelectEntry{}
	e.ExtendBaseWidget(e)
	e.SetOptions(options)
	return e
}

// TypedShortcut hands the window's shortcuts to the canvas.
func (e *keySelectEntry) TypedShortcut(s fyne.Shortcut) {
	if !handShortcut(e, s) {
		e.SelectEntry.TypedShortcut(s)
	}
}

// TypedKey hands Esc and F11 on.
func (e *keySelectEntry) TypedKey(ev *fyne.KeyEvent) {
	if !handOn(e, ev) {
		e.SelectEntry.TypedKey(ev)
	}
}

// keyList is a widget.List that hands Esc and F11 on: a tapped list takes
// the focus, and a focused widget gets every key (Esc would not close the
// dialog the list is in, F11 would not open the wall).
type keyList struct{ widget.List }

func newList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *keyList {
	l := &keyList{}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey hands Esc and F11 on.
func (l *keyList) TypedKey(ev *fyne.KeyEvent) {
	if !handOn(l, ev) {
		l.List.TypedKey(ev)
	}
}

// keySelect is a widget.Select that hands Esc and F11 on (a tapped select
// takes the focus too).
type keySelect struct{ widget.Select }

func newSelect(options []string, changed func(string)) *keySelect {
	s := &keySelect{}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey hands Esc and F11 on.
func (s *keySelect) TypedKey(ev *fyne.KeyEvent) {
	if !handOn(s, ev) {
		s.Select.TypedKey(ev)
	}
}
