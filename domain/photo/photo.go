// Package photo checks the photos taken at inspections and rectifications
// before anything keeps them, and names each by its content.
//
// A photo is a JPEG, PNG or GIF of at most MaxBytes and MaxPixels. Its ID is
// the hex SHA-256 of its bytes, so the same photo sent twice (a retried
// upload, the desk and the field app both sending it) is one photo, and a
// command can refer to a photo before the server has it.
package photo

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // decoders for the formats accepted
	"image/jpeg"
	_ "image/png"

	"golang.org/x/image/draw"
)

// Limits on one photo. A phone photo is 2–8 MB and 12–50 megapixels; the
// pixel limit keeps a small file that claims huge dimensions (a
// decompression bomb) from being decoded at all.
const (
	MaxBytes  = 16 << 20
	MaxPixels = 64_000_000
	// MaxPerRecord is how many photos one inspection or rectification carries.
	MaxPerRecord = 24
)

// Info describes a checked photo.
type Info struct {
	ID     string `json:"id"`   // hex SHA-256 of the bytes
	MIME   string `json:"mime"` // image/jpeg, image/png or image/gif
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Size   int    `json:"size"` // bytes
}

// ErrEmpty, ErrTooLarge and ErrNotImage are the reasons a photo is refused;
// Check wraps them with the details.
var (
	ErrEmpty    = errors.New("the photo is empty")
	ErrTooLarge = errors.New("the photo is too large")
	ErrNotImage = errors.New("not a JPEG, PNG or GIF image")
)

var mimes = map[string]string{"jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif"}

// Check reads a photo's header and returns what it is, or why it is refused.
func Check(data []byte) (Info, error) {
	switch {
	case len(data) == 0:
		return Info{}, ErrEmpty
	case len(data) > MaxBytes:
		return Info{}, fmt.Errorf("%w: %.1f MB, the limit is %d MB", ErrTooLarge, float64(len(data))/(1<<20), MaxBytes>>20)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Info{}, fmt.Errorf("%w (%v)", ErrNotImage, err)
	}
	m, ok := mimes[format]
	if !ok {
		return Info{}, fmt.Errorf("%w: the file is %s", ErrNotImage, format)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, fmt.Errorf("%w: it has no pixels (%d×%d)", ErrNotImage, cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > MaxPixels {
		return Info{}, fmt.Errorf("%w: %d×%d pixels, the limit is %d megapixels", ErrTooLarge, cfg.Width, cfg.Height, MaxPixels/1_000_000)
	}
	if _, err := CheckCost(data); err != nil {
		return Info{}, err
	}
	return Info{ID: ID(data), MIME: m, Width: cfg.Width, Height: cfg.Height, Size: len(data)}, nil
}

// ID names a photo by its content.
func ID(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// ValidID reports whether s looks like a photo ID (64 lower-case hex digits).
func ValidID(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// CheckIDs checks the photo list of a record: IDs, no repeats, not too
// many. It returns the index of the first bad entry with the reason.
func CheckIDs(ids []string) (int, error) {
	if len(ids) > MaxPerRecord {
		return MaxPerRecord, fmt.Errorf("%d photos, at most %d may be attached", len(ids), MaxPerRecord)
	}
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		if !ValidID(id) {
			return i, fmt.Errorf("%q is not a photo ID (the hex SHA-256 that POST /api/v1/photos answers)", id)
		}
		if seen[id] {
			return i, fmt.Errorf("photo %s is listed twice", Short(id))
		}
		seen[id] = true
	}
	return -1, nil
}

// Short is the first 12 digits of an ID, enough to tell photos apart in a message.
func Short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// Thumbnail decodes a checked photo and scales it to fit a side×side box
// (never up), flattening transparency on white and turning it upright as
// its Exif orientation says.
func Thumbnail(data []byte, side int) (image.Image, error) {
	if _, err := Check(data); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNotImage, err)
	}
	b := img.Bounds()
	s := min(1, float64(side)/float64(max(b.Dx(), b.Dy())))
	w, h := max(1, int(float64(b.Dx())*s+0.5)), max(1, int(float64(b.Dy())*s+0.5))
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Over, nil)
	return orient(dst, orientation(data)), nil // turned after scaling: fewer pixels to move
}

// RenditionSide is the longest side of a photo's rendition: enough for a
// thumbnail 6 cm wide at 200 dpi in a report, and for the desk's
// thumbnails.
const RenditionSide = 640

// Rendition returns a checked photo scaled to fit RenditionSide as a JPEG,
// made once when the photo is kept so that reports and thumbnails need not
// decode a 12-megapixel photo each time; it is upright. A JPEG already
// that small and upright needs none: Rendition returns nil.
func Rendition(data []byte) ([]byte, error) {
	info, err := Check(data)
	if err != nil {
		return nil, err
	}
	if info.MIME == "image/jpeg" && max(info.Width, info.Height) <= RenditionSide && orientation(data) == 1 {
		return nil, nil
	}
	img, err := Thumbnail(data, RenditionSide)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, fmt.Errorf("photo rendition: %w", err)
	}
	return buf.Bytes(), nil
}
