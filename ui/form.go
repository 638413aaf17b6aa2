package ui

import (
	"context"
	"errors"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/command"
)

// fieldError is a form's own refusal of what was typed: the field (a
// command's argument name, such as "args.new.title") and why, in the user's
// language.
type fieldError struct {
	field string
	msg   string
}

func (e *fieldError) Error() string { return e.msg }

// refuse is a fieldError for field.
func refuse(field, msg string) error { return &fieldError{field, msg} }

// formDialog is a dialog with a form that stays open until what it sends
// is taken: a refused save keeps every input, marks the field at fault
// and says why in the user's language. Cancel or Esc closes it (onCancel
// runs: a form may keep a draft).
type formDialog struct {
	br       *bridge
	d        *dialog.CustomDialog
	form     *widget.Form
	problem  *widget.Label
	ok       *widget.Button
	marks    map[string]*canvas.Rectangle // field → its red outline
	busy     bool
	sent     bool // the command was taken: closing keeps no draft
	onCancel func()

	// check refuses a form that cannot be sent as it is (nil: it can);
	// send sends it in the background (the command's refusal keeps the
	// form open); done runs on the UI goroutine when send succeeded.
	check func() error
	send  func(ctx context.Context) error
	done  func()
}

// formField is a form row: its label, its widget and the field names
// (command arguments) refusals of which it shows.
type formField struct {
	label  string
	widget fyne.CanvasObject
	fields []string
}

func field(label string, w fyne.CanvasObject, names ...string) formField {
	return formField{label: label, widget: w, fields: names}
}

// newFormDialog builds a form dialog over the bridge's window.
func newFormDialog(br *bridge, title, confirm string, rows []formField) *formDialog {
	fd := &formDialog{br: br, marks: map[string]*canvas.Rectangle{}}
	fd.form = widget.NewForm()
	for _, r := range rows {
		w := r.widget
		if len(r.fields) > 0 {
			outline := canvas.NewRectangle(color.Transparent)
			outline.StrokeColor = theme.Color(theme.ColorNameError)
			outline.StrokeWidth = 2
			outline.CornerRadius = theme.InputRadiusSize()
			outline.Hide()
			for _, f := range r.fields {
				fd.marks[f] = outline
			}
			w = container.NewStack(w, outline)
		}
		fd.form.Append(r.label, w)
	}
	fd.problem = widget.NewLabel("")
	fd.problem.Importance = widget.DangerImportance
	fd.problem.Wrapping = fyne.TextWrapWord
	fd.problem.Hide()
	fd.ok = widget.NewButtonWithIcon(confirm, theme.ConfirmIcon(), fd.submit)
	fd.ok.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), fd.cancel)
	fd.d = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, fd.problem, nil, nil, container.NewVScroll(fd.form)), br.win)
	fd.d.SetButtons([]fyne.CanvasObject{cancel, fd.ok})
	return fd
}

// show opens the dialog (Esc cancels it, Ctrl+Enter sends it) with the
// focus in its first text field.
func (fd *formDialog) show(size fyne.Size) {
	fd.d.Resize(size)
	fd.open()
	fd.d.SetOnClosed(func() {
		if !fd.sent && fd.onCancel != nil {
			fd.onCancel()
		}
	})
	for _, it := range fd.form.Items {
		if e := firstEntry(it.Widget); e != nil {
			fd.br.win.Canvas().Focus(e)
			break
		}
	}
}

// open shows the dialog (again) with its keys.
func (fd *formDialog) open() {
	k := keysOf(fd.br.win.Canvas())
	if top := k.track(fd.d); top != nil {
		k.forms[top] = fd
	}
}

// firstEntry finds the first text field in o.
func firstEntry(o fyne.CanvasObject) *keyEntry {
	switch v := o.(type) {
	case *keyEntry:
		if !v.Disabled() {
			return v
		}
	case *fyne.Container:
		for _, c := range v.Objects {
			if e := firstEntry(c); e != nil {
				return e
			}
		}
	}
	return nil
}

// hideSent closes the dialog after its command was taken.
func (fd *formDialog) hideSent() {
	fd.sent = true
	fd.d.Hide()
}

func (fd *formDialog) cancel() { fd.d.Hide() }

// submit checks the form and sends it; the dialog closes only when the
// command was taken.
func (fd *formDialog) submit() {
	if fd.busy {
		return
	}
	fd.clear()
	if fd.check != nil {
		if err := fd.check(); err != nil {
			fd.fail(err)
			return
		}
	}
	if fd.send == nil {
		fd.hideSent()
		if fd.done != nil {
			fd.done()
		}
		return
	}
	fd.busy = true
	fd.ok.Disable()
	send, done := fd.send, fd.done
	fd.br.run(func(ctx context.Context) func() {
		err := send(ctx)
		return func() {
			fd.busy = false
			fd.ok.Enable()
			if err != nil {
				fd.fail(err)
				return
			}
			fd.hideSent()
			if done != nil {
				done()
			}
		}
	})
}

// clear takes the marks and the message away.
func (fd *formDialog) clear() {
	for _, m := range fd.marks {
		m.Hide()
	}
	fd.problem.SetText("")
	fd.problem.Hide()
}

// fail keeps the form open, marks the field a refusal names and says why.
func (fd *formDialog) fail(err error) {
	var fe *fieldError
	var ce *command.Error
	name := ""
	switch {
	case errors.As(err, &fe):
		name = fe.field
	case errors.As(err, &ce):
		name = ce.Field
	}
	if m := fd.markFor(name); m != nil {
		m.Show()
	}
	fd.problem.SetText("⚠ " + refusal(err))
	fd.problem.Show()
}

// markFor finds the outline of a field, or of the nearest field above it
// ("args.new.lon" → "args.new.lon", then "args.new").
func (fd *formDialog) markFor(name string) *canvas.Rectangle {
	for name != "" {
		if m, ok := fd.marks[name]; ok {
			return m
		}
		i := strings.LastIndexByte(name, '.')
		if i < 0 {
			break
		}
		name = name[:i]
	}
	return nil
}

// problemText is the message shown, for tests.
func (fd *formDialog) problemText() string {
	if !fd.problem.Visible() {
		return ""
	}
	return fd.problem.Text
}

// marked reports whether field is marked, for tests.
func (fd *formDialog) marked(name string) bool {
	m := fd.markFor(name)
	return m != nil && m.Visible()
}
