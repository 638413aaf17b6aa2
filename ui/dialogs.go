package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"griddesk/desk"
	"griddesk/domain"
)

// dialogs opens the desk's dialogs (pages, forms, imports, exports) over
// one window; what they read or do runs through that window's bridge, so
// it ends with the window.
type dialogs struct {
	win     fyne.Window
	desk    *desk.Desk
	br      *bridge
	reviews *reviewList // the review dialog last opened (tests look at it)

	grids         *gridImport          // the grid import last opened (tests look at it)
	entityPreview *widget.Button       // the entity preview's Import button (tests look at it)
	town          func() []domain.Grid // the town's grids, drawn under an import's preview
	stats         *container.AppTabs   // the statistics window last opened (tests look at it)
	lastForm      *formDialog          // the last note asked for (tests look at it)
}

func newDialogs(br *bridge) *dialogs {
	return &dialogs{win: br.win, desk: br.desk, br: br}
}

// itemNames maps check item IDs to their names (empty if they cannot be
// read: the names are a courtesy).
func itemNames(ctx context.Context, d *desk.Desk) map[string]string {
	items, _ := d.CheckItems(ctx)
	names := make(map[string]string, len(items))
	for _, it := range items {
		names[it.ID] = it.Name
	}
	return names
}
