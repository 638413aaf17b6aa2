package ui

import (
	"context"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/desk"
)

// openCode asks for the text of a scanned QR code (a USB scanner types it
// into the field) and opens the entity it names: door plates with the
// server's URL and the old griddesk:// plates alike (desk.OpenLink).
func (dg *dialogs) openCode() {
	code := widget.NewEntry()
	code.SetPlaceHolder("https://…/p/… · griddesk://entity/…")
	dialog.ShowForm(lang.L("Open a scanned code"), lang.L("Open"), lang.L("Cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("Code"), code)}, func(ok bool) {
			if !ok {
				return
			}
			load(dg.br, func(ctx context.Context) (desk.Link, error) { return dg.desk.OpenLink(ctx, code.Text) },
				func(l desk.Link) { dg.showEntity(l.EntityID) })
		}, dg.win)
}

// publicURLText says which address the printed codes carry.
func (dg *dialogs) publicURLText(ctx context.Context) string {
	if u := dg.desk.PublicURL(ctx); u != "" {
		return lang.L("QR codes open {{.U}} (the server's -public-url)", map[string]any{"U": u})
	}
	return lang.L("The server has no -public-url: QR codes are griddesk:// codes that only a desk opens")
}
