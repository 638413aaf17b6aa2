package ui

import (
	"context"
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/analysis"
	"griddesk/desk"
)

// wallTileRows is how many lines a tile lists.
const wallTileRows = 5

// wallTiles is the video wall's side column: the open cases under a
// leader's oversight 督办件, and the 研判 of the last seven days (the grids
// with most cases, the repeat complaints, the units whose overdue cases
// rise). The 督办件 follow every scene; the analysis is read again every
// five minutes.
type wallTiles struct {
	box   *fyne.Container
	cases func() []desk.CaseRow // the open cases the map shows
	rep   analysis.Report
}

func newWallTiles(br *bridge, cases func() []desk.CaseRow) fyne.CanvasObject {
	wt := &wallTiles{box: container.NewVBox(), cases: cases}
	read := func() {
		load(br, func(ctx context.Context) (analysis.Report, error) {
			now := time.Now()
			return br.desk.Analysis(ctx, now.AddDate(0, 0, -7), now)
		}, func(r analysis.Report) { wt.rep = r; wt.render() })
	}
	read()
	n := 0
	br.tick(10*time.Second, func() {
		if n++; n%30 == 0 {
			read()
		}
		wt.render()
	})
	wt.render()
	// a column 360 wide and as tall as the wall gives it (a grid-wrap cell
	// of height 0 drew nothing)
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(360, 0))
	return container.NewStack(width, container.NewVScroll(wt.box))
}

// render lays the tiles out again from the cases and the report.
func (wt *wallTiles) render() {
	wt.box.Objects = wallTileCards(wt.cases(), wt.rep)
	wt.box.Refresh()
}

// wallTileCards are the tiles for the open cases and a report.
func wallTileCards(rows []desk.CaseRow, r analysis.Report) []fyne.CanvasObject {
	var sup []string
	for _, c := range rows {
		if c.Supervision != nil && c.Open() {
			sup = append(sup, fmt.Sprintf("%s %s · %s", c.No, c.UnitName, c.Supervision.Leader))
		}
	}
	var grids, repeats, rising []string
	for _, g := range r.Hotspots {
		grids = append(grids, fmt.Sprintf("%s  %d", g.Name, g.Total))
	}
	for _, rp := range r.Repeats {
		repeats = append(repeats, fmt.Sprintf("%s  ×%d", rp.Address, rp.Count()))
	}
	for _, u := range r.Overdue {
		if u.Rising {
			rising = append(rising, fmt.Sprintf("▲ %s  %d", u.Name, u.Weeks[len(u.Weeks)-1]))
		}
	}
	week := lang.L("Last 7 days")
	return []fyne.CanvasObject{
		wallTile(lang.L("Supervised cases"), "", len(sup), sup),
		wallTile(lang.L("Hotspots"), week, r.Total, grids),
		wallTile(lang.L("Repeat complaints"), week, len(r.Repeats), repeats),
		wallTile(lang.L("Rising overdue"), lang.L("Week on week"), len(rising), rising),
	}
}

// wallTile is one tile: a big figure under its title, then the first
// lines of what it counts.
func wallTile(title, sub string, n int, lines []string) fyne.CanvasObject {
	fig := canvas.NewText(fmt.Sprint(n), color.NRGBA{R: 0xc8, G: 0x1e, B: 0x1e, A: 0xff})
	fig.TextSize, fig.TextStyle.Bold = 34, true
	box := container.NewVBox(fig)
	for i, l := range lines {
		if i == wallTileRows {
			box.Add(widget.NewLabel(lang.L("and {{.N}} more", map[string]any{"N": len(lines) - wallTileRows})))
			break
		}
		lb := widget.NewLabel(l)
		lb.Truncation = fyne.TextTruncateEllipsis
		box.Add(lb)
	}
	return widget.NewCard(title, sub, box)
}
