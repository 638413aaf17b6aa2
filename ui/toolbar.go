package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tools are what the toolbar's buttons do.
type tools struct {
	fit, selection, wall, rankings, stats, planner, reviews, outbox, users, settings, find func()
}

// toolbar is the row of buttons over the map, with the layer toggles under
// it, and the legend (shown at the right of the status bar, so the toolbar
// fits 1280 px). It keeps the buttons that change: the outbox's count and
// what only an administrator, or only a live desk, may open.
type toolbar struct {
	outbox, users, settings *widget.Button
	reviews                 *widget.Button
	legend                  fyne.CanvasObject
	obj                     fyne.CanvasObject
}

func newToolbar(do tools, toggles fyne.CanvasObject, extra ...fyne.CanvasObject) *toolbar {
	tb := &toolbar{}
	button := widget.NewButtonWithIcon
	tb.outbox = button(lang.L("Outbox"), theme.UploadIcon(), do.outbox)
	tb.users = button(lang.L("Users"), theme.AccountIcon(), do.users)
	tb.settings = button(lang.L("Settings"), theme.SettingsIcon(), do.settings)
	tb.reviews = button(lang.L("Reviews"), theme.ConfirmIcon(), do.reviews)
	tb.users.Disable() // enabled for admins once signed in
	tb.settings.Disable()
	buttons := container.NewHBox(
		button(lang.L("Whole town"), theme.ZoomFitIcon(), do.fit), button(lang.L("Selection"), theme.ZoomInIcon(), do.selection),
		button(lang.L("Wall (F11)"), theme.ViewFullScreenIcon(), do.wall), button(lang.L("Find cases"), theme.SearchIcon(), do.find),
		button(lang.L("Unit rankings"), theme.ListIcon(), do.rankings),
		button(lang.L("Statistics"), theme.InfoIcon(), do.stats), button(lang.L("Plan rounds"), theme.CalendarIcon(), do.planner),
		tb.reviews, tb.outbox, tb.users, tb.settings)
	buttons.Objects = append(buttons.Objects, extra...)
	tb.legend = container.NewHBox(
		legendDot(colGreen, lang.L("Green")), legendDot(colYellow, lang.L("Yellow")), legendDot(colRed, lang.L("Red")),
		widget.NewLabel("● "+lang.L("Shop")+" ■ "+lang.L("Enterprise")+" ▲ "+lang.L("Rental house")+" ◆ "+lang.L("Small venue")+" · ◆ "+lang.L("Cases")))
	tb.obj = container.NewVBox(buttons, toggles)
	return tb
}

// setCount shows how many commands wait or were refused.
func (tb *toolbar) setCount(n int) {
	tb.outbox.SetText(lang.L("Outbox") + fmt.Sprintf(" (%d)", n))
}

// setAdmin opens the administrator's buttons.
func (tb *toolbar) setAdmin() {
	tb.users.Enable()
	tb.settings.Enable()
}

// readOnly closes what would change something (a snapshot under review):
// the outbox, users and settings stay shut; reviews open to read, with
// their decisions disabled.
func (tb *toolbar) readOnly() {
	tb.outbox.Disable()
	tb.users.Disable()
	tb.settings.Disable()
}
