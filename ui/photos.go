package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"path/filepath"
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"griddesk/domain/photo"
)

// thumbSide is the size of a photo thumbnail in forms and on the entity
// page; the review screen shows them larger (reviewThumbSide).
const (
	thumbSide       = 96
	reviewThumbSide = 180
)

// photoExts are the photo files the pickers offer.
var photoExts = []string{".jpg", ".jpeg", ".png", ".gif", ".JPG", ".JPEG", ".PNG"}

// thumb is a photo thumbnail that opens the photo large when tapped.
type thumb struct {
	widget.BaseWidget
	img   *canvas.Image
	text  *widget.Label
	onTap func()
}

func newThumb(side float32, onTap func()) *thumb {
	t := &thumb{img: canvas.NewImageFromImage(nil), text: widget.NewLabel("…"), onTap: onTap}
	t.img.FillMode = canvas.ImageFillContain
	t.img.SetMinSize(fyne.NewSquareSize(side))
	t.text.Alignment = fyne.TextAlignCenter
	t.text.Wrapping = fyne.TextWrapWord
	t.ExtendBaseWidget(t)
	return t
}

func (t *thumb) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	return widget.NewSimpleRenderer(container.NewStack(bg, t.img, t.text))
}

// show puts the photo in, or says why there is none.
func (t *thumb) show(img image.Image, err error) {
	if err != nil {
		t.text.SetText(lang.L("Photo not available offline"))
		t.text.Show()
		return
	}
	t.text.Hide()
	t.img.Image = img
	t.img.Refresh()
}

func (t *thumb) Tapped(*fyne.PointEvent) {
	if t.onTap != nil && t.img.Image != nil {
		t.onTap()
	}
}

// loadThumb fetches a photo's thumbnail off the UI goroutine, with pixels
// to spare for a high-density screen.
func (dg *dialogs) loadThumb(t *thumb, id string, side float32) {
	dg.br.run(func(ctx context.Context) func() {
		img, err := dg.desk.PhotoThumb(ctx, id, int(2*side))
		return func() { t.show(img, err) }
	})
}

// photoStrip shows the photos of a record as thumbnails side units
// square; a tap opens one.
func (dg *dialogs) photoStrip(ids []string, side float32) *fyne.Container {
	strip := container.NewGridWrap(fyne.NewSquareSize(side))
	for i, id := range ids {
		t := newThumb(side, func() { dg.showPhoto(ids, i) })
		dg.loadThumb(t, id, side)
		strip.Add(t)
	}
	return strip
}

// showPhoto opens photo i of a list large, with previous and next.
func (dg *dialogs) showPhoto(ids []string, i int) {
	img := canvas.NewImageFromImage(nil)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(720, 520))
	caption := widget.NewLabel("")
	caption.Alignment = fyne.TextAlignCenter
	var load func(int)
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { load(i - 1) })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { load(i + 1) })
	load = func(n int) {
		if n < 0 || n >= len(ids) {
			return
		}
		i = n
		prev.Disable()
		next.Disable()
		caption.SetText(lang.L("Photo {{.N}} of {{.Total}}", map[string]any{"N": n + 1, "Total": len(ids)}))
		dg.br.run(func(ctx context.Context) func() {
			big, err := dg.desk.PhotoThumb(ctx, ids[n], 1280)
			return func() {
				if n != i {
					return
				}
				if err != nil {
					caption.SetText(caption.Text + " · " + lang.L("Photo not available offline"))
					img.Image = nil
				} else {
					img.Image = big
				}
				img.Refresh()
				if n > 0 {
					prev.Enable()
				}
				if n+1 < len(ids) {
					next.Enable()
				}
			}
		})
	}
	d := dialog.NewCustom(lang.L("Photos"), lang.L("Close"), container.NewBorder(nil, container.NewBorder(nil, nil, prev, next, caption), nil, nil, img), dg.win)
	d.Resize(fyne.NewSize(800, 640))
	load(i)
	d.Show()
}

// photoPicker is the photo list of a form: "Add photo…" picks a file,
// which is checked and kept on the desk at once (offline too); each photo
// shows as a thumbnail with a button to take it out again.
type photoPicker struct {
	dg      *dialogs
	thumbs  *fyne.Container
	obj     fyne.CanvasObject
	loading sync.WaitGroup // files being checked and kept

	mu  sync.Mutex
	ids []string // changed on the UI goroutine, read by the one submitting
}

func (dg *dialogs) newPhotoPicker() *photoPicker {
	p := &photoPicker{dg: dg, thumbs: container.NewGridWrap(fyne.NewSize(thumbSide, thumbSide+40))}
	add := widget.NewButtonWithIcon(lang.L("Add photo…"), theme.ContentAddIcon(), func() {
		dg.pickFile(photoExts, func(path string) { p.addFile(path) })
	})
	p.obj = container.NewVBox(container.NewHBox(add, widget.NewLabel(lang.L("JPEG, PNG or GIF, up to 16 MB each"))), p.thumbs)
	p.thumbs.Hide() // an empty grid still takes a cell's height
	return p
}

// addFile keeps a photo file and shows it, or says what is wrong with it.
func (p *photoPicker) addFile(path string) {
	p.loading.Add(1)
	p.dg.br.run(func(ctx context.Context) func() {
		defer p.loading.Done() // the photo is in ids (or refused) before
		info, err := p.dg.desk.AddPhotoFile(ctx, path)
		switch {
		case err != nil:
			err = photoError(filepath.Base(path), err)
			p.dg.br.hand(func() { dialog.ShowError(err, p.dg.win) })
		case p.keep(info.ID):
			p.dg.br.hand(func() { p.show(info.ID) })
		}
		return nil
	})
}

// photoError says in the user's language what is wrong with a photo file;
// for one too large, with its size.
func photoError(name string, err error) error {
	file := map[string]any{"File": name}
	switch {
	case errors.Is(err, photo.ErrNotImage):
		return errors.New(lang.L("The file {{.File}} is not a JPEG, PNG or GIF photo.", file))
	case errors.Is(err, photo.ErrTooLarge):
		return fmt.Errorf("%s\n(%w)", lang.L("The file {{.File}} is too large: a photo may have at most 16 MB and 64 megapixels.", file), err)
	case errors.Is(err, photo.ErrEmpty):
		return errors.New(lang.L("The file {{.File}} is empty.", file))
	}
	return err
}

// keep adds a kept photo to the list, once; it reports whether it is new.
func (p *photoPicker) keep(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if slices.Contains(p.ids, id) {
		return false
	}
	p.ids = append(p.ids, id)
	return true
}

// show adds a kept photo's thumbnail, with a button to take it out again.
func (p *photoPicker) show(id string) {
	t := newThumb(thumbSide, func() {
		ids := p.IDs()
		p.dg.showPhoto(ids, slices.Index(ids, id))
	})
	p.dg.loadThumb(t, id, thumbSide)
	var cell *fyne.Container
	remove := widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), func() {
		p.mu.Lock()
		if i := slices.Index(p.ids, id); i >= 0 {
			p.ids = slices.Delete(p.ids, i, i+1)
		}
		empty := len(p.ids) == 0
		p.mu.Unlock()
		p.thumbs.Remove(cell)
		if empty {
			p.thumbs.Hide()
		}
	})
	cell = container.NewBorder(nil, remove, nil, nil, t)
	p.thumbs.Add(cell)
	p.thumbs.Show()
}

// IDs are the photos in the order added.
func (p *photoPicker) IDs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.ids)
}

// settledIDs waits for the files still being checked, then returns the
// photos; for the goroutine that submits the form, so that a photo added
// just before Submit is not left out.
func (p *photoPicker) settledIDs() []string {
	p.loading.Wait()
	return p.IDs()
}
