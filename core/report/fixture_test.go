package report

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"sync"
	"testing"
	"time"

	"griddesk/domain"
	"griddesk/seed"
)

var now = time.Date(2026, 11, 20, 10, 0, 0, 0, cst)

var (
	townOnce sync.Once
	town     *seed.Dataset
)

// demoTown is the demo town, generated once per test binary.
func demoTown(tb testing.TB) *seed.Dataset {
	tb.Helper()
	townOnce.Do(func() { town = seed.Town(1, now) })
	return town
}

// names looks up display names in the demo town.
type names struct {
	units, users, grids map[string]string
	depts               map[string]string
	entities            map[string]*domain.Entity
}

func townNames(d *seed.Dataset) names {
	n := names{units: map[string]string{}, users: map[string]string{}, grids: map[string]string{},
		depts: map[string]string{}, entities: map[string]*domain.Entity{}}
	for _, u := range d.Units {
		n.units[u.ID] = u.Name
		if u.Kind == domain.UnitDepartment {
			n.depts[u.Department] = u.Name
		}
	}
	for _, u := range d.Users {
		n.users[u.ID] = u.Name
	}
	for _, g := range d.Grids {
		n.grids[g.ID] = g.Name
	}
	for i := range d.Entities {
		n.entities[d.Entities[i].ID] = &d.Entities[i]
	}
	return n
}

// inspectionDoc builds the report input of the first demo inspection with
// about twelve results and exactly two hazards, with two small photos.
func inspectionDoc(tb testing.TB) InspectionDoc {
	tb.Helper()
	d := demoTown(tb)
	n := townNames(d)
	byInsp := map[string][]domain.Finding{}
	for _, f := range d.Findings {
		byInsp[f.InspectionID] = append(byInsp[f.InspectionID], f)
	}
	for _, in := range d.Inspections {
		if len(in.Results) < 11 || len(in.Results) > 13 || len(byInsp[in.ID]) != 2 || in.Status != domain.InspectionAccepted {
			continue
		}
		e := n.entities[in.EntityID]
		return InspectionDoc{
			Inspection:    in,
			Entity:        e,
			Items:         d.CheckItems,
			Findings:      byInsp[in.ID],
			TeamName:      n.units[in.TeamID],
			InspectorName: n.users[in.Inspector],
			GridName:      n.grids[e.GridID],
			Departments:   n.depts,
			Photos:        [][]byte{testPNG(tb, 320, 240, 0), testPNG(tb, 240, 320, 1)},
			Generated:     now,
		}
	}
	tb.Fatal("no demo inspection with 11-13 items and 2 hazards")
	return InspectionDoc{}
}

// testPNG draws a small photo-like picture.
func testPNG(tb testing.TB, w, h, seed int) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(60 + 120*x/w), uint8(90 + 100*y/h), uint8(140 + 60*seed), 255}
			if (x/40+y/40+seed)%2 == 0 && y > h/2 {
				c = color.RGBA{200, 80, 40, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// noticeDoc builds the notice input of the first demo entity with two or
// more open hazards.
func noticeDoc(tb testing.TB) NoticeDoc {
	tb.Helper()
	d := demoTown(tb)
	n := townNames(d)
	open := map[string][]domain.Finding{}
	var order []string
	for _, f := range d.Findings {
		if f.Status == domain.FindingOpen {
			if open[f.EntityID] == nil {
				order = append(order, f.EntityID)
			}
			open[f.EntityID] = append(open[f.EntityID], f)
		}
	}
	for _, id := range order {
		if len(open[id]) < 2 {
			continue
		}
		e := n.entities[id]
		return NoticeDoc{
			Entity:   e,
			Findings: open[id],
			Items:    d.CheckItems,
			GridName: n.grids[e.GridID],
			Issuer:   "临浦镇综合行政执法队",
			Contact:  "网格员 王芳 0571-82300000",
			Issued:   now,
		}
	}
	tb.Fatal("no demo entity with two open hazards")
	return NoticeDoc{}
}

// platesDoc builds the plates input of the first demo micro grid with at
// least count entities, taking count of them.
func platesDoc(tb testing.TB, count int) PlatesDoc {
	tb.Helper()
	d := demoTown(tb)
	n := townNames(d)
	byGrid := map[string][]domain.Entity{}
	for _, e := range d.Entities {
		byGrid[e.GridID] = append(byGrid[e.GridID], e)
	}
	for _, g := range d.Grids {
		if es := byGrid[g.ID]; len(es) >= count {
			return PlatesDoc{GridID: g.ID, GridName: n.grids[g.ID], Entities: es[:count], Issuer: "临浦镇人民政府", Generated: now}
		}
	}
	tb.Fatalf("no demo grid with %d entities", count)
	return PlatesDoc{}
}

// phonePhoto is a 4032×3024 JPEG with noise, the size of a phone photo
// (about 3 MB).
func phonePhoto(tb testing.TB, seed int) []byte {
	tb.Helper()
	const w, h = 4032, 3024
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	x := uint32(seed*7919 + 1)
	for i := range img.Y {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		img.Y[i] = uint8(i%w*200/w) + uint8(x&31)
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(100+seed*10), uint8(140)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
