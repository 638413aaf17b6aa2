package ui

import (
	"image"
	"runtime"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"griddesk/assets"
	"griddesk/core/kpi"
	"griddesk/core/stats"
	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/mapview"
	"griddesk/seed"
)

// BenchmarkWallFrame is one frame of the video wall at 3840×2160 with the
// city loaded (DESIGN.md §7: budget 33 ms, goal 16 ms): the wall's board
// laid out and refreshed with its figures (every text, bar and line of the
// panels), and the map's full redraw at the size the board gives it, with
// the city's 3,106 grids, 100,000 entities (clustered at this zoom) and
// 2,000 cases. The figures are the demo town's history (the city has
// none). The GL upload of the frame is the driver's and not counted.
func BenchmarkWallFrame(b *testing.B) {
	newTestApp(b)
	if err := loadTranslations(); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 3, 20, 10, 0, 0, 0, clock.Location())
	city := seed.City(1, now)
	town := seed.Town(1, now)
	tl := map[string][]domain.Action{}
	for _, a := range town.Actions {
		tl[a.CaseID] = append(tl[a.CaseID], a)
	}
	// 2,000 cases over the city, at entities' places
	var rows []desk.CaseRow
	for i := 0; len(rows) < 2000; i++ {
		c := town.Cases[i%len(town.Cases)]
		e := city.Entities[(i*47)%len(city.Entities)]
		c.ID, c.Lon, c.Lat = c.ID+"-"+e.ID, e.Lon, e.Lat
		r := desk.CaseRow{Case: c, Light: clock.Light(i % 4), Overdue: i%17 == 0, NextDeadline: now.Add(-time.Duration(i) * time.Minute)}
		r.CategoryInfo, _ = domain.CategoryByKey(c.Category)
		rows = append(rows, r)
	}
	var ml mapLayers
	ml.setGrids(city.Grids)
	ml.setEntities(city.Entities)
	ml.setCases(rows)
	scene := mapview.NewScene(ml.all()...)
	today := time.Date(2026, 3, 20, 0, 0, 0, 0, clock.Location())
	in := stats.CaseInput{From: today, To: today.AddDate(0, 0, 1), AsOf: now, Grids: town.Grids, Cases: town.Cases, Timelines: tl}
	data := desk.WallData{At: now, Today: stats.Cases(in), New: rows[:12], Overdue: rows[:12],
		Ranking: kpi.ComputeAsOf(town.Cases, tl, town.Units, nil, time.Date(2026, 3, 1, 0, 0, 0, 0, clock.Location()), now)}
	in.From = today.AddDate(0, 0, -29)
	data.Trend = stats.Cases(in)
	codes := map[string]int{}
	for _, e := range city.Entities {
		codes[e.Code]++
	}

	fonts, err := mapview.NewFonts(assets.CJKFont)
	if err != nil {
		b.Fatal(err)
	}
	m := mapview.New()
	m.SetFonts(fonts)
	board := newWallBoard(m)
	board.now = now
	w := test.NewWindow(board)
	defer w.Close()
	w.Resize(fyne.NewSize(3840, 2160))
	board.setData(data, codes)
	ms := m.Size()
	if ms.Width < 1500 || ms.Height < 1500 {
		b.Fatalf("the wall's map is %v at 3840×2160", ms)
	}
	img := image.NewRGBA(image.Rect(0, 0, int(ms.Width), int(ms.Height)))
	v := mapview.FitView(ml.bound, float64(ms.Width), float64(ms.Height), 8)
	r := mapview.NewRenderer()
	opts := mapview.RenderOptions{Fonts: fonts}
	r.RenderWith(img, scene, v, 1, opts) // warm the caches: a wall runs for hours
	runtime.GC()
	c0 := benchCPU()
	var boardCPU, mapCPU time.Duration
	for b.Loop() {
		t0 := benchCPU()
		board.now = board.now.Add(time.Second)
		board.Refresh()
		t1 := benchCPU()
		r.RenderWith(img, scene, v, 1, opts)
		boardCPU, mapCPU = boardCPU+t1-t0, mapCPU+benchCPU()-t1
	}
	b.ReportMetric(float64(benchCPU()-c0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(boardCPU)/float64(b.N), "board-cpu-ns/op")
	b.ReportMetric(float64(mapCPU)/float64(b.N), "map-cpu-ns/op")
}

// benchCPU is the CPU time the process has used (on a shared machine wall
// time varies with the load, CPU time much less).
func benchCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
