package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// dailyMenu is the command centre's daily work around the loop (issue 17):
// 12345 work orders in and out, the case catalogue.
func (dg *dialogs) dailyMenu(intake func()) *fyne.Menu {
	return fyne.NewMenu(lang.L("Daily work"),
		fyne.NewMenuItem(lang.L("New 12345 work order…"), intake),
		fyne.NewMenuItem(lang.L("Export 12345 work orders…"), dg.exportWorkOrders),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(lang.L("Case catalogue…"), dg.categoriesDialog),
		fyne.NewMenuItem(lang.L("Import case catalogue (XLSX/CSV)…"), dg.importCategories),
		fyne.NewMenuItem(lang.L("Export case catalogue…"), dg.exportCategories),
	)
}
