package ui

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestPhotoPicker: a photo file is kept and shown once however often it is
// added; a file that is no photo is refused with its name and changes
// nothing; Remove takes a photo out again.
func TestPhotoPicker(t *testing.T) {
	mw := offlineWindow(t)
	mw.win.Resize(fyne.NewSize(1024, 700))
	mw.win.Show()
	dir := t.TempDir()
	var buf bytes.Buffer
	png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 300, 200)))
	good, bad := filepath.Join(dir, "门头.png"), filepath.Join(dir, "notes.png")
	os.WriteFile(good, buf.Bytes(), 0o644)
	os.WriteFile(bad, []byte("店主电话 138…"), 0o644)

	var p *photoPicker
	fyne.DoAndWait(func() {
		p = mw.dg.newPhotoPicker()
		p.addFile(good)
	})
	eventually(t, "the photo in the picker", func() bool {
		var n int
		fyne.DoAndWait(func() { n = len(p.IDs()) })
		return n == 1
	})
	fyne.DoAndWait(func() {
		p.addFile(good)
		p.addFile(bad)
	})
	if ids := p.settledIDs(); len(ids) != 1 {
		t.Errorf("after the same photo again and a bad file: %d photos", len(ids))
	}
	eventually(t, "the thumbnail drawn", func() bool { // its load has ended before the desk closes
		drawn := false
		fyne.DoAndWait(func() {
			cell := p.thumbs.Objects[0].(*fyne.Container)
			for _, o := range cell.Objects {
				if th, ok := o.(*thumb); ok {
					drawn = th.img.Image != nil
				}
			}
		})
		return drawn
	})
	eventually(t, "the refusal", func() bool {
		var text string
		fyne.DoAndWait(func() {
			if top := mw.win.Canvas().Overlays().Top(); top != nil {
				text = strings.Join(labels(t, top), " ")
			}
		})
		return strings.Contains(text, "The file notes.png is not a JPEG, PNG or GIF photo.")
	})
	fyne.DoAndWait(func() {
		if n := len(p.IDs()); n != 1 || len(p.thumbs.Objects) != 1 {
			t.Errorf("after the same photo again and a bad file: %d photos, %d thumbnails", n, len(p.thumbs.Objects))
		}
		cell := p.thumbs.Objects[0].(*fyne.Container)
		for _, o := range cell.Objects {
			if b, ok := o.(*widget.Button); ok {
				test.Tap(b)
			}
		}
		if n := len(p.IDs()); n != 0 || len(p.thumbs.Objects) != 0 {
			t.Errorf("after Remove: %d photos, %d thumbnails", n, len(p.thumbs.Objects))
		}
	})
}
