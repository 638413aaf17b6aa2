package photo_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"griddesk/domain/photo"
)

func sample(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	return img
}

func encode(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	switch format {
	case "jpeg":
		err = jpeg.Encode(&buf, sample(w, h), nil)
	case "png":
		err = png.Encode(&buf, sample(w, h))
	case "gif":
		err = gif.Encode(&buf, sample(w, h), nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bomb is a PNG whose header claims w×h pixels (with a correct CRC).
func bomb(t *testing.T, w, h uint32) []byte {
	b := encode(t, "png", 1, 1)
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		mime    string
		w, h    int
		err     error
		message string
	}{
		{name: "jpeg", data: encode(t, "jpeg", 40, 30), mime: "image/jpeg", w: 40, h: 30},
		{name: "png", data: encode(t, "png", 7, 9), mime: "image/png", w: 7, h: 9},
		{name: "gif", data: encode(t, "gif", 12, 5), mime: "image/gif", w: 12, h: 5},
		{name: "empty", data: nil, err: photo.ErrEmpty},
		{name: "text", data: []byte("检查照片.jpg"), err: photo.ErrNotImage},
		{name: "truncated png", data: encode(t, "png", 7, 9)[:20], err: photo.ErrNotImage},
		{name: "too many bytes", data: append(encode(t, "jpeg", 4, 4), make([]byte, photo.MaxBytes)...), err: photo.ErrTooLarge, message: "the limit is 16 MB"},
		{name: "too many pixels", data: bomb(t, 100000, 100000), err: photo.ErrTooLarge, message: "100000×100000 pixels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := photo.Check(tt.data)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("Check: err %v, want %v", err, tt.err)
				}
				if !strings.Contains(err.Error(), tt.message) {
					t.Errorf("message %q does not say %q", err, tt.message)
				}
				return
			}
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if info.MIME != tt.mime || info.Width != tt.w || info.Height != tt.h || info.Size != len(tt.data) || info.ID != photo.ID(tt.data) {
				t.Errorf("Check = %+v", info)
			}
			if !photo.ValidID(info.ID) {
				t.Errorf("ID %q is not valid", info.ID)
			}
		})
	}
}

func TestCheckIDs(t *testing.T) {
	a, b := photo.ID([]byte("a")), photo.ID([]byte("b"))
	many := make([]string, photo.MaxPerRecord+1)
	for i := range many {
		many[i] = photo.ID([]byte{byte(i)})
	}
	tests := []struct {
		name string
		ids  []string
		bad  int
		msg  string
	}{
		{"none", nil, -1, ""},
		{"two", []string{a, b}, -1, ""},
		{"file name", []string{a, "x.jpg"}, 1, `"x.jpg" is not a photo ID`},
		{"upper case", []string{strings.ToUpper(a)}, 0, "is not a photo ID"},
		{"repeat", []string{a, b, a}, 2, "listed twice"},
		{"too many", many, photo.MaxPerRecord, "at most 24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad, err := photo.CheckIDs(tt.ids)
			if bad != tt.bad {
				t.Fatalf("CheckIDs bad index %d, want %d (%v)", bad, tt.bad, err)
			}
			if (err == nil) != (tt.msg == "") || err != nil && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("CheckIDs err %v, want %q", err, tt.msg)
			}
		})
	}
}

func TestThumbnail(t *testing.T) {
	img, err := photo.Thumbnail(encode(t, "png", 300, 150), 100)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 100 || b.Dy() != 50 {
		t.Errorf("thumbnail %v, want 100×50", b)
	}
	small, err := photo.Thumbnail(encode(t, "jpeg", 20, 10), 100)
	if err != nil {
		t.Fatal(err)
	}
	if b := small.Bounds(); b.Dx() != 20 || b.Dy() != 10 {
		t.Errorf("a small photo is not scaled up: %v", b)
	}
	if _, err := photo.Thumbnail([]byte("nope"), 100); !errors.Is(err, photo.ErrNotImage) {
		t.Errorf("Thumbnail of text: %v", err)
	}
}

func TestRendition(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		none bool
		w, h int
	}{
		{"big png", encode(t, "png", 1600, 1200), false, 640, 480},
		{"big jpeg, portrait", encode(t, "jpeg", 900, 1200), false, 480, 640},
		{"small jpeg", encode(t, "jpeg", 640, 400), true, 0, 0},
		{"small gif", encode(t, "gif", 100, 80), false, 100, 80},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := photo.Rendition(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if tt.none {
				if r != nil {
					t.Fatalf("a small JPEG got a rendition of %d bytes", len(r))
				}
				return
			}
			info, err := photo.Check(r)
			if err != nil || info.MIME != "image/jpeg" || info.Width != tt.w || info.Height != tt.h {
				t.Fatalf("rendition %+v, %v; want a %d×%d JPEG", info, err, tt.w, tt.h)
			}
		})
	}
	if _, err := photo.Rendition([]byte("no")); !errors.Is(err, photo.ErrNotImage) {
		t.Errorf("Rendition of text: %v", err)
	}
}

// BenchmarkRenditionPhonePhoto measures the rendition of a phone photo
// (4032×3024 JPEG), made once when a photo is uploaded or added.
func BenchmarkRenditionPhonePhoto(b *testing.B) {
	img := image.NewYCbCr(image.Rect(0, 0, 4032, 3024), image.YCbCrSubsampleRatio420)
	for i := range img.Y {
		img.Y[i] = uint8(i*7) ^ uint8(i>>12)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := photo.Rendition(buf.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
}
