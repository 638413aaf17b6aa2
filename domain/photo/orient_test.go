package photo

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// withOrientation inserts an Exif segment with an Orientation tag after
// the SOI marker of a JPEG, in the given byte order.
func withOrientation(jpg []byte, o uint16, bo binary.ByteOrder) []byte {
	tiff := make([]byte, 8+2+12+4)
	if bo == binary.BigEndian {
		copy(tiff, "MM")
	} else {
		copy(tiff, "II")
	}
	bo.PutUint16(tiff[2:], 42)
	bo.PutUint32(tiff[4:], 8)
	bo.PutUint16(tiff[8:], 1)
	bo.PutUint16(tiff[10:], 0x0112)
	bo.PutUint16(tiff[12:], 3)
	bo.PutUint32(tiff[14:], 1)
	bo.PutUint16(tiff[18:], o)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(len(seg)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, app1...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// quadrants is a 40×20 JPEG: red top-left, green top-right, blue
// bottom-left, white bottom-right.
func quadrants(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for y := range 20 {
		for x := range 40 {
			c := [2][2]color.RGBA{{{255, 0, 0, 255}, {0, 255, 0, 255}}, {{0, 0, 255, 255}, {255, 255, 255, 255}}}[y/10][x/20]
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func colourAt(img image.Image, x, y int) string {
	r, g, b, _ := img.At(x, y).RGBA()
	switch {
	case r > 0xC000 && g > 0xC000 && b > 0xC000:
		return "white"
	case r > 0xC000:
		return "red"
	case g > 0xC000:
		return "green"
	case b > 0xC000:
		return "blue"
	}
	return "?"
}

// TestOrientation: every Exif orientation turns the photo upright: the
// corner colours land where a viewer shows them, in either byte order.
func TestOrientation(t *testing.T) {
	plain := quadrants(t)
	tests := []struct {
		o    uint16
		w, h int
		// top-left, top-right, bottom-left, bottom-right after turning
		corners [4]string
	}{
		{1, 40, 20, [4]string{"red", "green", "blue", "white"}},
		{2, 40, 20, [4]string{"green", "red", "white", "blue"}},
		{3, 40, 20, [4]string{"white", "blue", "green", "red"}},
		{4, 40, 20, [4]string{"blue", "white", "red", "green"}},
		{5, 20, 40, [4]string{"red", "blue", "green", "white"}},
		{6, 20, 40, [4]string{"blue", "red", "white", "green"}},
		{7, 20, 40, [4]string{"white", "green", "blue", "red"}},
		{8, 20, 40, [4]string{"green", "white", "red", "blue"}},
	}
	for _, tt := range tests {
		for _, bo := range []binary.ByteOrder{binary.BigEndian, binary.LittleEndian} {
			data := withOrientation(plain, tt.o, bo)
			if got := orientation(data); got != int(tt.o) {
				t.Fatalf("orientation %d (%v): read %d", tt.o, bo, got)
			}
			img, err := Thumbnail(data, 100)
			if err != nil {
				t.Fatal(err)
			}
			b := img.Bounds()
			if b.Dx() != tt.w || b.Dy() != tt.h {
				t.Fatalf("orientation %d: %v, want %d×%d", tt.o, b, tt.w, tt.h)
			}
			got := [4]string{colourAt(img, 2, 2), colourAt(img, b.Dx()-3, 2), colourAt(img, 2, b.Dy()-3), colourAt(img, b.Dx()-3, b.Dy()-3)}
			if got != tt.corners {
				t.Errorf("orientation %d (%v): corners %v, want %v", tt.o, bo, got, tt.corners)
			}
		}
	}
	// a small upright JPEG needs no rendition, a small turned one does
	if r, err := Rendition(plain); err != nil || r != nil {
		t.Errorf("rendition of a small upright JPEG: %d bytes, %v", len(r), err)
	}
	r, err := Rendition(withOrientation(plain, 6, binary.BigEndian))
	if err != nil || r == nil {
		t.Fatalf("rendition of a small turned JPEG: %v", err)
	}
	if info, _ := Check(r); info.Width != 20 || info.Height != 40 {
		t.Errorf("turned rendition is %d×%d, want 20×40", info.Width, info.Height)
	}
	for _, bad := range [][]byte{nil, {0xFF, 0xD8}, append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF}, "Exif"...)} {
		if o := orientation(bad); o != 1 {
			t.Errorf("orientation of %q = %d, want 1", bad, o)
		}
	}
}
