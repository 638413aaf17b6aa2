package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"path/filepath"
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
func (mw *mainWindow) loadThumb(t *thumb, id string, side float32) {
	go func() {
		img, err := mw.desk.PhotoThumb(context.Background(), id, int(2*side))
		fyne.Do(func() { t.show(img, err) })
	}()
}

// photoStrip shows the photos of a record as thumbnails side units
// square; a tap opens one.
func (mw *mainWindow) photoStrip(ids []string, side float32) *fyne.Container {
	strip := container.NewGridWrap(fyne.NewSquareSize(side))
	for i, id := range ids {
		t := newThumb(side, func() { mw.showPhoto(ids, i) })
		mw.loadThumb(t, id, side)
		strip.Add(t)
	}
	return strip
}

// showPhoto opens photo i of a list large, with previous and next.
func (mw *mainWindow) showPhoto(ids []string, i int) {
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
		go func() {
			big, err := mw.desk.PhotoThumb(context.Background(), ids[n], 1280)
			fyne.Do(func() {
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
			})
		}()
	}
	d := dialog.NewCustom(lang.L("Photos"), lang.L("Close"), container.NewBorder(nil, container.NewBorder(nil, nil, prev, next, caption), nil, nil, img), mw.win)
	d.Resize(fyne.NewSize(800, 640))
	load(i)
	d.Show()
}

// photoPicker is the photo list of a form: "Add photo…" picks a file,
// which is checked and kept on the desk at once (offline too); each photo
// shows as a thumbnail with a button to take it out again.
type photoPicker struct {
	mw      *mainWindow
	ids     []string // touched on the UI goroutine only
	thumbs  *fyne.Container
	obj     fyne.CanvasObject
	loading sync.WaitGroup // files being checked and kept
}

func (mw *mainWindow) newPhotoPicker() *photoPicker {
	p := &photoPicker{mw: mw, thumbs: container.NewGridWrap(fyne.NewSize(thumbSide, thumbSide+40))}
	add := widget.NewButtonWithIcon(lang.L("Add photo…"), theme.ContentAddIcon(), func() {
		mw.pickFile(photoExts, func(path string) { p.addFile(path) })
	})
	p.obj = container.NewVBox(container.NewHBox(add, widget.NewLabel(lang.L("JPEG, PNG or GIF, up to 16 MB each"))), p.thumbs)
	p.thumbs.Hide() // an empty grid still takes a cell's height
	return p
}

// addFile keeps a photo file and shows it, or says what is wrong with it.
func (p *photoPicker) addFile(path string) {
	p.loading.Add(1)
	go func() {
		info, err := p.mw.desk.AddPhotoFile(context.Background(), path)
		fyne.Do(func() {
			defer p.loading.Done()
			if err != nil {
				dialog.ShowError(photoError(filepath.Base(path), err), p.mw.win)
				return
			}
			p.add(info.ID)
		})
	}()
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

// add shows a kept photo (once).
func (p *photoPicker) add(id string) {
	for _, have := range p.ids {
		if have == id {
			return
		}
	}
	p.ids = append(p.ids, id)
	t := newThumb(thumbSide, func() { p.mw.showPhoto(p.ids, p.index(id)) })
	p.mw.loadThumb(t, id, thumbSide)
	var cell *fyne.Container
	remove := widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), func() {
		if i := p.index(id); i >= 0 {
			p.ids = append(p.ids[:i], p.ids[i+1:]...)
		}
		p.thumbs.Remove(cell)
		if len(p.ids) == 0 {
			p.thumbs.Hide()
		}
	})
	cell = container.NewBorder(nil, remove, nil, nil, t)
	p.thumbs.Add(cell)
	p.thumbs.Show()
}

func (p *photoPicker) index(id string) int {
	for i, have := range p.ids {
		if have == id {
			return i
		}
	}
	return -1
}

// IDs are the photos in the order added (on the UI goroutine).
func (p *photoPicker) IDs() []string { return append([]string(nil), p.ids...) }

// settledIDs waits for the files still being checked, then returns the
// photos; for the goroutine that submits the form, so that a photo added
// just before Submit is not left out.
func (p *photoPicker) settledIDs() []string {
	p.loading.Wait()
	var ids []string
	fyne.DoAndWait(func() { ids = p.IDs() })
	return ids
}
