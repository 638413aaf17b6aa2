package seed

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"griddesk/assets"
	"griddesk/domain"
	"griddesk/domain/photo"
)

// The demo town's recent inspections carry photos as a field app takes
// them: the shop front with its sign, and a close-up of each failed item,
// stamped with time, team and place as a watermark camera (水印相机) does.
// They are drawn, not photographed: flat shapes in a photo's proportions,
// enough for the review screen and the report to show what they would.

const (
	photoW, photoH = 480, 360
	// photoDays is how far back inspections get photos.
	photoDays = 3
)

// photos draws the photos of the inspections of the last photoDays days
// that wait for review or left a hazard open. Each inspection's pictures come
// from a generator seeded by its ID, so they leave the town's other random
// draws as they were.
func (t *town) photos() {
	names := map[string]domain.Entity{}
	for _, e := range t.d.Entities {
		names[e.ID] = e
	}
	open := map[string]bool{}
	for _, f := range t.d.Findings {
		if f.Status == domain.FindingOpen {
			open[f.InspectionID] = true
		}
	}
	items := map[string]domain.CheckItem{}
	for _, it := range t.d.CheckItems {
		items[it.ID] = it
	}
	type job struct {
		in     *domain.Inspection
		failed []domain.CheckItem
		shots  []domain.Photo
	}
	var jobs []*job
	for i := range t.d.Inspections {
		in := &t.d.Inspections[i]
		if t.now.Sub(in.At) > photoDays*day {
			continue
		}
		var failed []domain.CheckItem
		for _, r := range in.Results {
			if r.Result == domain.ResultFail {
				failed = append(failed, items[r.ItemID])
			}
		}
		if in.Status != domain.InspectionSubmitted && !open[in.ID] {
			continue
		}
		jobs = append(jobs, &job{in: in, failed: failed})
	}
	// drawn on every core: each picture depends only on its inspection
	next := make(chan *job)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pn := newPen()
			for j := range next {
				j.shots = pn.inspectionPhotos(j.in, names[j.in.EntityID], j.failed)
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	for _, j := range jobs {
		t.d.Photos = append(t.d.Photos, j.shots...)
		for _, p := range j.shots {
			j.in.Photos = append(j.in.Photos, p.ID)
		}
	}
}

// inspectionPhotos draws an inspection's photos: the shop front, and a
// close-up of its first failed item.
func (pn pen) inspectionPhotos(in *domain.Inspection, e domain.Entity, failed []domain.CheckItem) []domain.Photo {
	h := fnv.New64a()
	h.Write([]byte(in.ID))
	r := rand.New(rand.NewPCG(h.Sum64(), 7))
	stamp := fmt.Sprintf("%s  %s", in.At.Format("2006-01-02 15:04"), e.Address)
	shots := [][]byte{pn.shopFront(r, e.Name, stamp)}
	for _, it := range failed[:min(len(failed), 1)] {
		shots = append(shots, pn.closeUp(r, it, stamp))
	}
	out := make([]domain.Photo, 0, len(shots))
	for _, b := range shots {
		info, err := photo.Check(b)
		if err != nil {
			panic(fmt.Sprintf("seed: photo of %s: %v", in.ID, err)) // drawn here: cannot be wrong
		}
		out = append(out, domain.Photo{ID: info.ID, MIME: info.MIME, Width: info.Width, Height: info.Height,
			Data: b, UploadedBy: in.Inspector, CreatedAt: in.At.Add(time.Duration(r.IntN(20)) * time.Minute)})
	}
	return out
}

var (
	fontOnce    sync.Once
	cjk, latin  *opentype.Font
	errFontLoad error
)

// pen draws text in the bundled CJK font, and in Go Regular for the Latin
// letters and digits the CJK fallback font lacks. A font.Face is not safe
// for concurrent use: each drawing goroutine has its own pen.
type pen map[float64][2]font.Face

func newPen() pen {
	fontOnce.Do(func() {
		if cjk, errFontLoad = opentype.Parse(assets.CJKFont); errFontLoad == nil {
			latin, errFontLoad = opentype.Parse(goregular.TTF)
		}
	})
	if errFontLoad != nil {
		panic(fmt.Sprintf("seed: the bundled fonts: %v", errFontLoad)) // embedded: cannot be wrong
	}
	p := pen{}
	for _, s := range []float64{14, 30} {
		var pair [2]font.Face
		for i, f := range []*opentype.Font{cjk, latin} {
			var err error
			if pair[i], err = opentype.NewFace(f, &opentype.FaceOptions{Size: s, DPI: 72, Hinting: font.HintingFull}); err != nil {
				panic(fmt.Sprintf("seed: font at %v pt: %v", s, err))
			}
		}
		p[s] = pair
	}
	return p
}

func fill(img draw.Image, r image.Rectangle, c color.Color) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// shade varies a colour a little, as light on a real wall does.
func shade(r *rand.Rand, c color.RGBA, d int) color.RGBA {
	v := func(x uint8) uint8 { return uint8(max(0, min(255, int(x)+r.IntN(2*d+1)-d))) }
	return color.RGBA{v(c.R), v(c.G), v(c.B), 255}
}

// noise is sensor noise, -6…6, drawn once.
var noise = func() []int8 {
	r := rand.New(rand.NewPCG(1, 2))
	n := make([]int8, 8191) // odd and prime: rows do not line up
	for i := range n {
		n[i] = int8(r.IntN(13) - 6)
	}
	return n
}()

// grain adds sensor noise, so the pictures compress like photos.
func grain(r *rand.Rand, img *image.RGBA) {
	j := r.IntN(len(noise))
	for i := 0; i < len(img.Pix); i += 4 {
		n := int(noise[j])
		if j++; j == len(noise) {
			j = 0
		}
		for k := 0; k < 3; k++ {
			img.Pix[i+k] = uint8(max(0, min(255, int(img.Pix[i+k])+n)))
		}
	}
}

// text draws s from (x, y) on the baseline, each rune in the face that has
// it, and returns the width drawn; with img nil it only measures.
func (pn pen) text(img draw.Image, size float64, x, y int, s string, c color.Color) int {
	f := pn[size]
	dot := fixed.P(x, y)
	for _, r := range s {
		fc := f[0]
		if r < 0x2000 {
			fc = f[1]
		}
		if img != nil {
			d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: fc, Dot: dot}
			d.DrawString(string(r))
		}
		adv, _ := fc.GlyphAdvance(r)
		dot.X += adv
	}
	return dot.X.Round() - x
}

func (pn pen) width(size float64, s string) int {
	return pn.text(nil, size, 0, 0, s, nil)
}

// watermark stamps the bottom of a photo with time and place.
func (pn pen) watermark(img *image.RGBA, stamp string) {
	b := img.Bounds()
	band := image.Rect(0, b.Max.Y-26, b.Max.X, b.Max.Y)
	draw.Draw(img, band, image.NewUniform(color.RGBA{0, 0, 0, 110}), image.Point{}, draw.Over)
	pn.text(img, 14, 8, b.Max.Y-8, stamp, color.RGBA{255, 236, 160, 255})
}

func encodeJPEG(img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 78}); err != nil {
		panic(fmt.Sprintf("seed: encode photo: %v", err)) // in memory: cannot fail
	}
	return b.Bytes()
}

var (
	walls = []color.RGBA{{214, 205, 190, 255}, {190, 196, 201, 255}, {225, 214, 196, 255}, {176, 160, 146, 255}}
	signs = []color.RGBA{{170, 30, 35, 255}, {25, 70, 140, 255}, {20, 110, 70, 255}, {60, 60, 66, 255}}
)

// shopFront is the 门头 photo: wall, sign with the name, shutter door and window.
func (pn pen) shopFront(r *rand.Rand, name, stamp string) []byte {
	img := image.NewRGBA(image.Rect(0, 0, photoW, photoH))
	wall := walls[r.IntN(len(walls))]
	for y := 0; y < photoH; y++ {
		fill(img, image.Rect(0, y, photoW, y+1), shade(r, color.RGBA{wall.R - uint8(y/24), wall.G - uint8(y/24), wall.B - uint8(y/24), 255}, 2))
	}
	fill(img, image.Rect(0, 300, photoW, photoH), color.RGBA{120, 120, 118, 255}) // pavement
	sign := signs[r.IntN(len(signs))]
	top := 30 + r.IntN(20)
	fill(img, image.Rect(24, top, photoW-24, top+64), sign)
	fill(img, image.Rect(24, top+64, photoW-24, top+68), color.RGBA{40, 40, 40, 255})
	size := 30.0
	w := pn.width(size, name)
	pn.text(img, size, (photoW-w)/2, top+44, name, color.RGBA{255, 244, 214, 255})
	// a rolling shutter, half up, and a shop window
	door := image.Rect(60, top+100, 230, 300)
	fill(img, door, color.RGBA{70, 64, 58, 255})
	for y := door.Min.Y; y < door.Min.Y+60; y += 6 {
		fill(img, image.Rect(door.Min.X, y, door.Max.X, y+4), color.RGBA{160, 164, 168, 255})
	}
	win := image.Rect(260, top+100, 420, 250)
	fill(img, win, color.RGBA{96, 130, 150, 255})
	fill(img, image.Rect(win.Min.X, win.Min.Y, win.Max.X, win.Min.Y+40), color.RGBA{150, 180, 196, 255}) // reflection
	fill(img, image.Rect(338, win.Min.Y, 342, win.Max.Y), color.RGBA{50, 50, 50, 255})
	grain(r, img)
	pn.watermark(img, stamp)
	return encodeJPEG(img)
}

// closeUp is the photo of a failed item: what the inspector saw, by department.
func (pn pen) closeUp(r *rand.Rand, it domain.CheckItem, stamp string) []byte {
	img := image.NewRGBA(image.Rect(0, 0, photoW, photoH))
	wall := shade(r, walls[r.IntN(len(walls))], 8)
	fill(img, img.Bounds(), wall)
	fill(img, image.Rect(0, 270, photoW, photoH), color.RGBA{140, 132, 120, 255}) // floor
	switch it.Department {
	case "fire", "safety":
		// an extinguisher among boxes piled in the way
		fill(img, image.Rect(300, 130, 350, 290), color.RGBA{200, 30, 30, 255})
		fill(img, image.Rect(312, 110, 338, 130), color.RGBA{30, 30, 30, 255})
		fill(img, image.Rect(305, 180, 345, 205), color.RGBA{240, 240, 235, 255})
		for i := 0; i < 4; i++ {
			x, y := 40+i*60, 200-(i%2)*40
			fill(img, image.Rect(x, y, x+70, 290), shade(r, color.RGBA{176, 136, 90, 255}, 12))
			fill(img, image.Rect(x, y+20, x+70, y+26), color.RGBA{140, 100, 60, 255})
		}
	case "gas":
		// a gas cylinder standing loose by the stove
		fill(img, image.Rect(190, 120, 280, 290), color.RGBA{120, 140, 160, 255})
		fill(img, image.Rect(215, 95, 255, 120), color.RGBA{70, 70, 70, 255})
		fill(img, image.Rect(290, 200, 450, 290), color.RGBA{180, 180, 176, 255})
		fill(img, image.Rect(300, 190, 440, 200), color.RGBA{40, 40, 40, 255})
	default:
		// clutter and a paper notice on the wall
		fill(img, image.Rect(300, 60, 420, 200), color.RGBA{245, 245, 240, 255})
		for y := 80; y < 190; y += 14 {
			fill(img, image.Rect(312, y, 408-r.IntN(40), y+4), color.RGBA{90, 90, 90, 255})
		}
		for i := 0; i < 6; i++ {
			x, y := 30+r.IntN(220), 220+r.IntN(50)
			fill(img, image.Rect(x, y, x+40+r.IntN(40), y+20+r.IntN(30)), shade(r, color.RGBA{110, 120, 100, 255}, 30))
		}
	}
	grain(r, img)
	label := "隐患：" + it.Name
	fill(img, image.Rect(0, 0, min(photoW, pn.width(14, label)+16), 24), color.RGBA{200, 30, 30, 255})
	pn.text(img, 14, 8, 17, label, color.RGBA{255, 255, 255, 255})
	pn.watermark(img, stamp)
	return encodeJPEG(img)
}
