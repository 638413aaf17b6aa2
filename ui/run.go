// Package ui holds GridDesk's Fyne screens and dialogs. It talks to the
// desk service (package desk) and reads domain types; it never runs SQL or HTTP
// itself. Background results reach widgets only through the bridge.
package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/assets"
	"griddesk/desk"
)

// AppID is the desk's application ID (FyneApp.toml).
const AppID = "cn.griddesk.desk"

// Options are the desk window's settings from the command line.
type Options struct {
	MBTiles  string // an offline basemap file (.mbtiles)
	TileURL  string // or an XYZ tile URL template, cached on disk
	TileDir  string // where XYZ tiles are cached
	FullWall bool   // open the video-wall window at start
}

// Run opens the desk window on d and blocks until it is closed.
func Run(d *desk.Desk, opts Options) error {
	a := fyneapp.NewWithID(AppID)
	mw, err := Setup(a, d)
	if err != nil {
		return err
	}
	if err := mw.basemap(opts); err != nil {
		return err
	}
	if opts.FullWall {
		mw.mapc.toggleWall()
	}
	// Ctrl+C or a service manager's SIGTERM closes the desk cleanly (the
	// sync loop and the demo server stop, the copy is closed by the caller).
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	mw.br.run(func(ctx context.Context) func() {
		select {
		case <-sig:
			return a.Quit
		case <-ctx.Done():
			return nil
		}
	})
	mw.win.ShowAndRun()
	signal.Stop(sig)
	return nil
}

// Setup prepares the app (translations, theme) and the main window, shows
// the cached copy at once and connects (asking for a login when needed).
func Setup(a fyne.App, d *desk.Desk) (*mainWindow, error) {
	if err := loadTranslations(); err != nil {
		return nil, err
	}
	a.Settings().SetTheme(newTheme())
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	mw := newMainWindow(a, d)
	mw.win.SetMaster()
	mw.loader.reload(partAll) // the cached town, before any server answers
	if _, review := d.Snapshot(); review {
		return mw, nil // nothing to connect to
	}
	if d.NeedsLogin() {
		mw.askLogin("")
	} else {
		mw.connect(d.Config().User, d.Config().Password)
	}
	return mw, nil
}

// connect starts the desk off the UI goroutine; refused credentials ask
// again. (The sync loop Start starts lives as long as the desk, not the
// context, which only bounds the sign-in.)
func (mw *mainWindow) connect(user, password string) {
	mw.br.run(func(ctx context.Context) func() {
		err := mw.desk.Start(ctx, user, password)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, desk.ErrBadCredentials):
			return func() { mw.askLogin(lang.L("Wrong user name or password.")) }
		}
		return func() { dialog.ShowError(fmt.Errorf("%s: %w", lang.L("Could not start"), err), mw.win) }
	})
}

// askLogin shows the sign-in dialog for a configured server.
func (mw *mainWindow) askLogin(problem string) {
	user := widget.NewEntry()
	user.SetText(mw.desk.Config().User)
	pass := widget.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("Server"), widget.NewLabel(mw.desk.Config().ServerURL)),
		widget.NewFormItem(lang.L("User name"), user),
		widget.NewFormItem(lang.L("Password"), pass),
	}
	if problem != "" {
		items = append(items, widget.NewFormItem("", widget.NewLabel(problem)))
	}
	dlg := dialog.NewForm(lang.L("Sign in"), lang.L("Sign in"), lang.L("Work offline"), items, func(ok bool) {
		if !ok {
			return // offline: the cached copy stays on screen
		}
		mw.connect(user.Text, pass.Text)
	}, mw.win)
	dlg.Resize(fyne.NewSize(420, 240))
	dlg.Show()
}
