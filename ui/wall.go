package ui

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"griddesk/assets"
	"griddesk/core/kpi"
	"griddesk/core/stats"
	"griddesk/desk"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/mapview"
)

// wallWindow is the command centre's video wall (大屏): the live map in the
// middle, today's figures, colour codes and cases by category and source
// on the left, the new and overdue cases and the month's unit ranking on
// the right, the last 30 days along the bottom. It is drawn for reading
// across a room: every size follows the window's height, so it reads the
// same at 1920×1080 and 3840×2160. It follows the desk: the same scene,
// view, layers and selection as the desk's map, and fresh figures after
// every change the desk reads. F11 or Esc closes it.
type wallWindow struct {
	win   fyne.Window
	br    *bridge
	m     *mapview.Map
	board *wallBoard
	open  func() []desk.CaseRow // the open queue as the desk last read it
	codes func() map[string]int // entities by colour code

	reading bool
	again   bool

	view mapview.View // the desk's view the wall follows
	from fyne.Size    // the size of the desk's map
}

// follow shows on the wall what the desk's map of size from shows with v:
// the same place and the same extent, so the wall's larger map is not a
// small picture in the middle of the screen.
func (w *wallWindow) follow(v mapview.View, from fyne.Size) {
	w.view, w.from = v, from
	w.m.SetView(wallView(v, from, w.m.Size()))
}

// wallView is v, seen at size from, zoomed so that a map of size to shows
// the same extent (as much of it as fits both ways).
func wallView(v mapview.View, from, to fyne.Size) mapview.View {
	if from.Width <= 0 || from.Height <= 0 || to.Width <= 0 || to.Height <= 0 {
		return v
	}
	scale := min(float64(to.Width/from.Width), float64(to.Height/from.Height))
	v.Zoom = max(mapview.MinZoom, min(mapview.MaxZoom, v.Zoom+math.Log2(scale)))
	return v
}

// newWallWindow opens the wall over the desk window's bridge.
func newWallWindow(parent *bridge, open func() []desk.CaseRow, codes func() map[string]int, side func(*bridge) fyne.CanvasObject) *wallWindow {
	a := fyne.CurrentApp()
	w := &wallWindow{win: a.NewWindow(lang.L("GridDesk — wall")), open: open, codes: codes}
	w.br = parent.child(w.win)
	w.m = mapview.New()
	if f, err := mapview.NewFonts(assets.CJKFont); err == nil {
		w.m.SetFonts(f)
	}
	w.board = newWallBoard(w.m)
	w.board.onMapSize = func() {
		if w.view.Zoom > 0 {
			w.follow(w.view, w.from)
		}
	}
	w.board.now = time.Now()
	if side != nil { // a column beside the board, with work that ends with the wall
		w.win.SetContent(container.NewBorder(nil, nil, nil, side(w.br), w.board))
	} else {
		w.win.SetContent(w.board)
	}
	k := keysOf(w.win.Canvas())
	k.bind(fyne.KeyF11, w.win.Close)
	k.bind(fyne.KeyEscape, w.win.Close)
	w.m.OnOtherKey = k.typed
	w.br.atClose(func() { forgetKeys(w.win.Canvas()) })
	w.win.Resize(fyne.NewSize(1920, 1080))
	w.win.SetFullScreen(true)
	w.win.Show()
	w.br.tick(time.Second, func() { w.board.setNow(time.Now()) })
	w.br.tick(30*time.Second, w.refresh) // the clocks move without any change
	w.refresh()
	return w
}

// refresh reads the wall's figures again (one read at a time; asked for
// while reading, once more after).
func (w *wallWindow) refresh() {
	if w.reading {
		w.again = true
		return
	}
	w.reading = true
	open, codes := w.open(), w.codes()
	w.br.run(func(ctx context.Context) func() {
		data, err := w.br.desk.Wall(ctx, time.Now(), open)
		return func() {
			w.reading = false
			if err == nil {
				w.board.setData(data, codes)
			}
			if w.again {
				w.again = false
				w.refresh()
			}
		}
	})
}

// Wall colours: a dark room, light text, the code and light colours.
var (
	wallBg     = color.NRGBA{R: 0x08, G: 0x14, B: 0x26, A: 0xff}
	wallPanel  = color.NRGBA{R: 0x10, G: 0x24, B: 0x40, A: 0xff}
	wallEdge   = color.NRGBA{R: 0x2a, G: 0x5a, B: 0x8c, A: 0xff}
	wallText   = color.NRGBA{R: 0xe8, G: 0xf0, B: 0xfa, A: 0xff}
	wallDim    = color.NRGBA{R: 0x8c, G: 0xa4, B: 0xc0, A: 0xff}
	wallAccent = color.NRGBA{R: 0x3c, G: 0xc8, B: 0xf0, A: 0xff}
	wallBar    = color.NRGBA{R: 0x2f, G: 0x8f, B: 0xe0, A: 0xff}
	wallTrack  = color.NRGBA{R: 0x1c, G: 0x36, B: 0x5a, A: 0xff}
)

// wallBoard draws the wall around its map.
type wallBoard struct {
	widget.BaseWidget
	m     *mapview.Map
	data  desk.WallData
	codes map[string]int
	has   bool // data read at least once
	now   time.Time

	onMapSize func() // the map got a new size
}

func newWallBoard(m *mapview.Map) *wallBoard {
	b := &wallBoard{m: m}
	b.ExtendBaseWidget(b)
	return b
}

func (b *wallBoard) setData(d desk.WallData, codes map[string]int) {
	b.data, b.codes, b.has = d, codes, true
	b.Refresh()
}

func (b *wallBoard) setNow(t time.Time) {
	b.now = t
	b.Refresh()
}

// CreateRenderer links the board to its renderer (Fyne calls it).
func (b *wallBoard) CreateRenderer() fyne.WidgetRenderer {
	r := &wallRenderer{b: b, bg: canvas.NewRectangle(wallBg)}
	return r
}

// wallRenderer draws the board with pools of canvas objects, reused from
// one draw to the next (a wall runs for days: no object churn).
type wallRenderer struct {
	b    *wallBoard
	bg   *canvas.Rectangle
	size fyne.Size
	u    float32 // one unit: the window's height over 1080

	texts   []*canvas.Text
	rects   []*canvas.Rectangle
	lines   []*canvas.Line
	circles []*canvas.Circle
	nt, nr  int
	nl, nc  int
	objs    []fyne.CanvasObject
}

func (r *wallRenderer) MinSize() fyne.Size { return fyne.NewSize(640, 360) }

func (r *wallRenderer) Layout(size fyne.Size) {
	r.size = size
	r.draw()
}

func (r *wallRenderer) Refresh() {
	r.draw()
	for _, o := range r.objs {
		if o != r.b.m {
			o.Refresh()
		}
	}
}

func (r *wallRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *wallRenderer) Destroy() {}

// pooled drawing: each call takes the next object of its kind.

func (r *wallRenderer) text(s string, x, y, size float32, c color.Color, bold bool, align fyne.TextAlign, maxW float32) float32 {
	if r.nt == len(r.texts) {
		r.texts = append(r.texts, canvas.NewText("", c))
	}
	t := r.texts[r.nt]
	r.nt++
	t.TextSize = size * r.u
	t.TextStyle = fyne.TextStyle{Bold: bold}
	t.Color = c
	if maxW > 0 && size >= 40 { // a big figure shrinks to fit rather than lose digits
		for t.TextSize > size*r.u*0.6 && fyne.MeasureText(s, t.TextSize, t.TextStyle).Width > maxW {
			t.TextSize *= 0.9
		}
	}
	if maxW > 0 {
		s = fitText(s, t.TextSize, t.TextStyle, maxW)
	}
	t.Text = s
	w := fyne.MeasureText(s, t.TextSize, t.TextStyle)
	switch align {
	case fyne.TextAlignTrailing:
		x -= w.Width
	case fyne.TextAlignCenter:
		x -= w.Width / 2
	}
	t.Move(fyne.NewPos(x, y))
	t.Resize(w)
	return w.Width
}

func (r *wallRenderer) rect(x, y, w, h float32, fill, stroke color.Color) {
	if r.nr == len(r.rects) {
		r.rects = append(r.rects, canvas.NewRectangle(fill))
	}
	o := r.rects[r.nr]
	r.nr++
	o.FillColor, o.StrokeColor = fill, stroke
	o.StrokeWidth = 0
	if stroke != nil {
		o.StrokeWidth = max(1, r.u)
	}
	o.CornerRadius = 4 * r.u
	o.Move(fyne.NewPos(x, y))
	o.Resize(fyne.NewSize(max(w, 0), max(h, 0)))
}

func (r *wallRenderer) line(x1, y1, x2, y2 float32, c color.Color, width float32) {
	if r.nl == len(r.lines) {
		r.lines = append(r.lines, canvas.NewLine(c))
	}
	l := r.lines[r.nl]
	r.nl++
	l.StrokeColor, l.StrokeWidth = c, width*r.u
	l.Position1, l.Position2 = fyne.NewPos(x1, y1), fyne.NewPos(x2, y2)
}

func (r *wallRenderer) dot(x, y, d float32, c color.Color) {
	if r.nc == len(r.circles) {
		r.circles = append(r.circles, canvas.NewCircle(c))
	}
	o := r.circles[r.nc]
	r.nc++
	o.FillColor = c
	o.Move(fyne.NewPos(x, y))
	o.Resize(fyne.NewSquareSize(d))
}

// fitText cuts s to fit width w, with an ellipsis.
func fitText(s string, size float32, style fyne.TextStyle, w float32) string {
	if fyne.MeasureText(s, size, style).Width <= w {
		return s
	}
	rs := []rune(s)
	lo, hi := 0, len(rs)
	for lo < hi { // the longest prefix that fits with "…"
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(rs[:mid])+"…", size, style).Width <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(rs[:lo]) + "…"
}

// wall proportions, in units of 1/1080 of the height.
const (
	wallHeader = 72
	wallTrend  = 200
	wallGap    = 12
)

// draw lays the whole board out for the current size.
func (r *wallRenderer) draw() {
	size := r.size
	if size.Width <= 0 || size.Height <= 0 {
		r.objs = []fyne.CanvasObject{r.bg, r.b.m}
		return
	}
	r.u = min(size.Height/1080, size.Width/1920*1.2)
	u := r.u
	r.nt, r.nr, r.nl, r.nc = 0, 0, 0, 0
	r.bg.Resize(size)

	gap := wallGap * u
	top := wallHeader * u
	bottom := size.Height - wallTrend*u
	leftW := size.Width * 0.22
	rightW := size.Width * 0.27
	mapX, mapW := leftW+2*gap, size.Width-leftW-rightW-4*gap
	r.b.m.Move(fyne.NewPos(mapX, top+gap))
	ms := fyne.NewSize(mapW, bottom-top-2*gap)
	resized := ms != r.b.m.Size()
	r.b.m.Resize(ms)
	if resized && r.b.onMapSize != nil {
		r.b.onMapSize()
	}
	r.rect(mapX-2*u, top+gap-2*u, mapW+4*u, bottom-top-2*gap+4*u, color.Transparent, wallEdge)

	r.header(size.Width, top)
	r.left(gap, top+gap, leftW, bottom-top-2*gap)
	r.right(size.Width-rightW-gap, top+gap, rightW, bottom-top-2*gap)
	r.trend(gap, bottom, size.Width-2*gap, wallTrend*u-gap)

	objs := make([]fyne.CanvasObject, 0, 2+r.nr+r.nl+r.nc+r.nt)
	objs = append(objs, r.bg, r.b.m)
	for _, o := range r.rects[:r.nr] {
		objs = append(objs, o)
	}
	for _, o := range r.lines[:r.nl] {
		objs = append(objs, o)
	}
	for _, o := range r.circles[:r.nc] {
		objs = append(objs, o)
	}
	for _, o := range r.texts[:r.nt] {
		objs = append(objs, o)
	}
	r.objs = objs
}

func (r *wallRenderer) header(w, h float32) {
	u := r.u
	r.rect(0, 0, w, h, wallPanel, nil)
	r.line(0, h, w, h, wallAccent, 2)
	r.text(lang.L("Grid governance command centre"), 24*u, 14*u, 34, wallText, true, fyne.TextAlignLeading, w/2)
	now := r.b.now.In(clock.Location())
	stamp := now.Format("2006-01-02") + " " + lang.L(weekdayLabel[now.Weekday()]) + " " + now.Format("15:04:05")
	r.text(stamp, w-24*u, 18*u, 28, wallAccent, true, fyne.TextAlignTrailing, 0)
}

// panel draws a panel with its title and returns the top of its body.
func (r *wallRenderer) panel(x, y, w, h float32, title string) float32 {
	u := r.u
	r.rect(x, y, w, h, wallPanel, wallEdge)
	r.rect(x+12*u, y+14*u, 5*u, 24*u, wallAccent, nil)
	r.text(title, x+24*u, y+10*u, 24, wallText, true, fyne.TextAlignLeading, w-36*u)
	return y + 46*u
}

func (r *wallRenderer) left(x, y, w, h float32) {
	u := r.u
	d := r.b.data
	today := d.Today
	figH := 262 * u
	body := r.panel(x, y, w, figH, lang.L("Today"))
	figs := []struct {
		label, value string
		c            color.Color
	}{
		{lang.L("Intake"), count(r.b.has, today.Intake), wallText},
		{lang.L("state.open"), count(r.b.has, today.Open), wallText},
		{lang.L("Overdue"), count(r.b.has, today.Overdue), colRed},
		{lang.L("Closed"), count(r.b.has, today.Closed), colGreen},
		{lang.L("On-time rate"), rate(r.b.has, today.OnTimeRate), wallAccent},
		{lang.L("Close rate"), rate(r.b.has, today.CloseRate), wallAccent},
	}
	cw := (w - 24*u) / 3
	for i, f := range figs {
		cx := x + 12*u + float32(i%3)*cw + cw/2
		cy := body + float32(i/3)*106*u
		r.text(f.value, cx, cy, 48, f.c, true, fyne.TextAlignCenter, cw-8*u)
		r.text(f.label, cx, cy+64*u, 18, wallDim, false, fyne.TextAlignCenter, cw-8*u)
	}
	y += figH + 12*u

	codeH := 96 * u
	body = r.panel(x, y, w, codeH, lang.L("Colour codes"))
	cw = (w - 24*u) / 3
	codes := []string{domain.CodeGreen, domain.CodeYellow, domain.CodeRed}
	if r.b.codes == nil { // the entities are not read yet
		r.text(lang.L("Reading…"), x+16*u, body, 20, wallDim, false, fyne.TextAlignLeading, w-32*u)
		codes = nil
	}
	for i, c := range codes {
		cx := x + 12*u + float32(i)*cw
		r.dot(cx+8*u, body+4*u, 28*u, codeColor(c))
		r.text(fmt.Sprint(r.b.codes[c]), cx+44*u, body-4*u, 32, wallText, true, fyne.TextAlignLeading, cw-48*u)
	}
	y += codeH + 12*u

	catH := (h - figH - codeH - 36*u) * 0.6
	body = r.panel(x, y, w, catH, lang.L("Today by category"))
	r.bars(x+16*u, body, w-32*u, catH-56*u, categoryCounts(today.ByCategory), 6)
	y += catH + 12*u
	srcH := h - figH - codeH - catH - 36*u
	body = r.panel(x, y, w, srcH, lang.L("Today by source"))
	var src []barItem
	for _, c := range today.BySource {
		src = append(src, barItem{lang.L(sourceLabel(c.Key)), c.N})
	}
	r.bars(x+16*u, body, w-32*u, srcH-56*u, src, 4)
}

type barItem struct {
	label string
	n     int
}

func categoryCounts(cs []stats.Count) []barItem {
	out := make([]barItem, 0, len(cs))
	for _, c := range cs {
		name := c.Name
		if cat, ok := domain.CategoryByKey(c.Key); ok {
			name = categoryName(cat)
		}
		out = append(out, barItem{name, c.N})
	}
	return out
}

// bars draws up to n labelled horizontal bars in the box.
func (r *wallRenderer) bars(x, y, w, h float32, items []barItem, n int) {
	u := r.u
	if len(items) == 0 {
		r.text(lang.L("None yet today"), x, y, 20, wallDim, false, fyne.TextAlignLeading, w)
		return
	}
	items = items[:min(len(items), n)]
	most := 1
	for _, it := range items {
		most = max(most, it.n)
	}
	row := min(h/float32(n), 44*u)
	size := min(20, max(11, row/u*0.62)) // the text fits its row
	th := fyne.MeasureText("国", size*u, fyne.TextStyle{}).Height
	labelW := w * 0.42 // "City appearance" whole at 1920×1080
	numW := 56 * u
	for i, it := range items {
		ry := y + float32(i)*row
		r.text(it.label, x, ry+(row-th)/2, size, wallText, false, fyne.TextAlignLeading, labelW-8*u)
		bw := w - labelW - numW
		r.rect(x+labelW, ry+row*0.3, bw, row*0.4, wallTrack, nil)
		r.rect(x+labelW, ry+row*0.3, bw*float32(it.n)/float32(most), row*0.4, wallBar, nil)
		r.text(fmt.Sprint(it.n), x+w, ry+(row-th)/2, size, wallText, true, fyne.TextAlignTrailing, numW)
	}
}

func (r *wallRenderer) right(x, y, w, h float32) {
	u := r.u
	d := r.b.data
	listH := (h - 24*u) * 0.33
	body := r.panel(x, y, w, listH, lang.L("New cases today"))
	r.caseList(x+16*u, body, w-32*u, listH-56*u, d.New, false)
	y += listH + 12*u
	body = r.panel(x, y, w, listH, lang.L("Overdue cases"))
	r.caseList(x+16*u, body, w-32*u, listH-56*u, d.Overdue, true)
	y += listH + 12*u
	rankH := h - 2*listH - 24*u
	month := r.b.now.In(clock.Location()).Format("2006-01") // before the first read: this month
	if !d.Ranking.Month.IsZero() {
		month = d.Ranking.Month.In(clock.Location()).Format("2006-01")
	}
	body = r.panel(x, y, w, rankH, lang.L("Unit ranking {{.M}} (on-time rate)", map[string]any{"M": month}))
	r.ranking(x+16*u, body, w-32*u, rankH-56*u, d.Ranking.Ranking)
}

func (r *wallRenderer) caseList(x, y, w, h float32, rows []desk.CaseRow, overdue bool) {
	u := r.u
	if len(rows) == 0 {
		r.empty(x, y, w)
		return
	}
	row := 34 * u
	n := min(len(rows), int(h/row))
	for i, c := range rows[:n] {
		ry := y + float32(i)*row
		r.dot(x, ry+9*u, 14*u, lightColor(c.Light))
		lead := c.ReportedAt.In(clock.Location()).Format("15:04")
		tail := c.GridName
		if overdue {
			lead = c.No
			tail = c.UnitName
			if !c.NextDeadline.IsZero() {
				tail = lang.L("over by {{.T}}", map[string]any{"T": clockText(r.b.now.Sub(c.NextDeadline))})
			}
		}
		lw := r.text(lead, x+22*u, ry, 20, wallAccent, true, fyne.TextAlignLeading, 0)
		tailW := w * 0.34
		r.text(c.Title, x+30*u+lw, ry, 20, wallText, false, fyne.TextAlignLeading, w-tailW-lw-40*u)
		r.text(tail, x+w, ry, 20, wallDim, false, fyne.TextAlignTrailing, tailW)
	}
}

// empty says a list has nothing to show, or nothing yet before the
// first read.
func (r *wallRenderer) empty(x, y, w float32) {
	none := lang.L("None")
	if !r.b.has {
		none = lang.L("Reading…")
	}
	r.text(none, x, y, 20, wallDim, false, fyne.TextAlignLeading, w)
}

func (r *wallRenderer) ranking(x, y, w, h float32, rows []kpi.UnitRow) {
	u := r.u
	if len(rows) == 0 {
		r.empty(x, y, w)
		return
	}
	row := 34 * u
	n := min(len(rows), int(h/row))
	for i, ur := range rows[:n] {
		ry := y + float32(i)*row
		rank := "—"
		if ur.Rank > 0 {
			rank = fmt.Sprint(ur.Rank)
		}
		r.text(rank, x+22*u, ry, 20, wallAccent, true, fyne.TextAlignTrailing, 0)
		nameW := w * 0.46
		r.text(ur.UnitName, x+32*u, ry, 20, wallText, false, fyne.TextAlignLeading, nameW)
		bx := x + 40*u + nameW
		bw := w - (bx - x) - 80*u
		v := float32(0)
		if ur.OnTimeRate.Valid() {
			v = float32(ur.OnTimeRate.Value())
		}
		r.rect(bx, ry+9*u, bw, 14*u, wallTrack, nil)
		r.rect(bx, ry+9*u, bw*v, 14*u, wallBar, nil)
		r.text(ur.OnTimeRate.String(), x+w, ry, 20, wallText, true, fyne.TextAlignTrailing, 80*u)
	}
}

// trend draws the last 30 days: intake as bars, closed as a line.
func (r *wallRenderer) trend(x, y, w, h float32) {
	u := r.u
	body := r.panel(x, y, w, h, lang.L("Last 30 days: intake (bars) and closed (line)"))
	days := r.b.data.Trend.Days
	if len(days) == 0 {
		return
	}
	most := 1
	for _, d := range days {
		most = max(most, d.Intake, d.Closed)
	}
	left, right := x+70*u, x+w-24*u
	base := y + h - 40*u
	top := body + 4*u
	ch := base - top
	r.line(left, base, right, base, wallDim, 1)
	r.text(fmt.Sprint(most), left-10*u, top-10*u, 18, wallDim, false, fyne.TextAlignTrailing, 0)
	r.text("0", left-10*u, base-12*u, 18, wallDim, false, fyne.TextAlignTrailing, 0)
	step := (right - left) / float32(len(days))
	var px, py float32
	for i, d := range days {
		bx := left + float32(i)*step
		bh := ch * float32(d.Intake) / float32(most)
		r.rect(bx+step*0.15, base-bh, step*0.7, bh, wallBar, nil)
		cx, cy := bx+step/2, base-ch*float32(d.Closed)/float32(most)
		if i > 0 {
			r.line(px, py, cx, cy, colGreen, 3)
		}
		r.dot(cx-4*u, cy-4*u, 8*u, colGreen)
		px, py = cx, cy
		if i%5 == 4 || i == len(days)-1 {
			r.text(d.Day.In(clock.Location()).Format("01-02"), cx, base+6*u, 18, wallDim, false, fyne.TextAlignCenter, 0)
		}
	}
}

func count(has bool, n int) string {
	if !has {
		return "—"
	}
	return fmt.Sprint(n)
}

func rate(has bool, r kpi.Ratio) string {
	if !has {
		return "—"
	}
	return r.String()
}
