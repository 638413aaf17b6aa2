package mbtiles

import (
	"bytes"
	"database/sql"
	"image"
	"image/color"
	"image/png"
	"path/filepath"
	"testing"
)

func solidPNG(t testing.TB, c color.NRGBA) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 256, 256))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func tileColor(z, x, y int) color.NRGBA {
	return color.NRGBA{uint8(40 + 20*z), uint8(x * 37 % 256), uint8(y * 53 % 256), 0xff}
}

func TestOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.mbtiles")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE metadata (name TEXT, value TEXT)`,
		`CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)`,
		`INSERT INTO metadata VALUES ('name', 'test'), ('format', 'png'), ('minzoom', '0'), ('maxzoom', '3')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for z := range 4 {
		for x := range 1 << z {
			for y := range 1 << z {
				tms := (1 << z) - 1 - y
				if _, err := db.Exec(`INSERT INTO tiles VALUES (?, ?, ?, ?)`, z, x, tms, solidPNG(t, tileColor(z, x, y))); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	db.Close()

	src, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if lo, hi := src.ZoomRange(); lo != 0 || hi != 3 || src.Format != "png" {
		t.Errorf("zoom range %d..%d format %q", lo, hi, src.Format)
	}
	// Rows are flipped from TMS: XYZ row 0 is the north.
	img, err := src.Tile(2, 1, 0)
	if err != nil || color.NRGBAModel.Convert(img.At(10, 10)) != tileColor(2, 1, 0) {
		t.Fatalf("tile 2/1/0: %v %v", img, err)
	}
	if img, err := src.Tile(5, 0, 0); img != nil || err != nil {
		t.Errorf("missing tile: %v %v", img, err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "none.mbtiles")); err == nil {
		t.Error("opening a missing file succeeded")
	}
}
