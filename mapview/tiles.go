package mapview

import (
	"container/list"
	"encoding/binary"
	"image"
	"image/draw"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Basemap tiles.
//
// A TileSource hands out Web Mercator raster tiles (XYZ numbering: y grows
// south). A TileCache loads them on a few background goroutines and keeps
// the most recently used ones in memory, so a frame never waits for a
// tile: it draws what is in memory (or a loaded ancestor tile, scaled up),
// asks for the rest, and the cache's onLoad callback asks for another
// frame when they arrive.

// TileSource provides raster map tiles. Tile returns the tile at zoom z,
// column x and row y (XYZ scheme, row 0 at the north), nil without an
// error when the source has no tile there. It is called from background
// goroutines, several at a time.
type TileSource interface {
	Tile(z, x, y int) (image.Image, error)
}

// TileZoomRange is implemented by sources that know their zoom levels;
// others are assumed to cover zoom 0 to DefaultTileMaxZoom.
type TileZoomRange interface {
	ZoomRange() (min, max int)
}

// DefaultTileMaxZoom is the deepest zoom asked of sources that do not say.
const DefaultTileMaxZoom = 19

// Tile loading tuning.
const (
	tileWorkers    = 4
	tileRetryAfter = 30 * time.Second
	maxAncestors   = 6 // levels searched for a stand-in tile
)

type tileKey struct{ z, x, y int }

type tileState uint8

const (
	tileLoading tileState = iota
	tileReady
	tileEmpty
	tileFailed
)

type tileEntry struct {
	key    tileKey
	state  tileState
	img    *image.RGBA
	opaque bool
	el     *list.Element // in lru while ready
	failed time.Time
}

// TileCache loads tiles from a TileSource in the background and keeps the
// most recently used ones in memory. Renderers use it through
// RenderOptions.Basemap; Map.SetBasemap makes one.
type TileCache struct {
	src        TileSource
	minZ, maxZ int
	capacity   int
	onLoad     func()

	mu      sync.Mutex
	wake    sync.Cond
	entries map[tileKey]*tileEntry
	lru     list.List // ready tiles, most recent first
	queue   []tileKey // wanted, most wanted first
	closed  bool
	ver     atomic.Uint64 // bumped whenever a tile arrives
	errs    atomic.Int64
	workers sync.WaitGroup
}

// NewTileCache returns a cache of up to capacity tiles in memory (256
// when zero) loading from src; onLoad (may be nil) is called from a
// background goroutine after each tile arrives. Close it when done.
func NewTileCache(src TileSource, capacity int, onLoad func()) *TileCache {
	if capacity <= 0 {
		capacity = 256
	}
	c := &TileCache{src: src, minZ: 0, maxZ: DefaultTileMaxZoom, capacity: capacity, onLoad: onLoad, entries: map[tileKey]*tileEntry{}}
	if zr, ok := src.(TileZoomRange); ok {
		c.minZ, c.maxZ = zr.ZoomRange()
	}
	c.wake.L = &c.mu
	for range tileWorkers {
		c.workers.Go(c.work)
	}
	return c
}

// wait waits for the loaders to stop after Close (tests).
func (c *TileCache) wait() {
	if c != nil {
		c.workers.Wait()
	}
}

// Close stops the loaders (without waiting for loads under way); tiles in
// memory stay usable.
func (c *TileCache) Close() {
	c.mu.Lock()
	c.closed = true
	c.queue = nil
	c.mu.Unlock()
	c.wake.Broadcast()
}

// Errors returns how many tile loads failed so far.
func (c *TileCache) Errors() int { return int(c.errs.Load()) }

func (c *TileCache) version() uint64 { return c.ver.Load() }

func (c *TileCache) work() {
	for {
		c.mu.Lock()
		for !c.closed && len(c.queue) == 0 {
			c.wake.Wait()
		}
		if c.closed {
			c.mu.Unlock()
			return
		}
		k := c.queue[0]
		c.queue = c.queue[1:]
		e := c.entries[k]
		if e == nil || e.state != tileLoading {
			c.mu.Unlock()
			continue
		}
		c.mu.Unlock()

		img, err := c.src.Tile(k.z, k.x, k.y)
		var rgba *image.RGBA
		opaque := false
		if err == nil && img != nil {
			rgba = toRGBA(img)
			opaque = rgba.Opaque()
		}

		c.mu.Lock()
		e = c.entries[k]
		if e == nil {
			e = &tileEntry{key: k}
			c.entries[k] = e
		}
		switch {
		case err != nil:
			e.state, e.failed = tileFailed, time.Now()
			c.errs.Add(1)
		case rgba == nil:
			e.state = tileEmpty
		default:
			e.state, e.img, e.opaque = tileReady, rgba, opaque
			e.el = c.lru.PushFront(e)
			for c.lru.Len() > c.capacity {
				old := c.lru.Back().Value.(*tileEntry)
				c.lru.Remove(old.el)
				delete(c.entries, old.key)
			}
		}
		if len(c.entries) > 16*c.capacity {
			// Forget empty and failed tiles far from recent use.
			for k, e := range c.entries {
				if e.state == tileEmpty || e.state == tileFailed {
					delete(c.entries, k)
				}
			}
		}
		c.mu.Unlock()
		if err == nil {
			c.ver.Add(1)
			if c.onLoad != nil {
				c.onLoad()
			}
		}
	}
}

func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) {
		return r
	}
	b := img.Bounds()
	r := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(r, r.Rect, img, b.Min, draw.Src)
	return r
}

// tileDraw is a tile (or the part of an ancestor standing in for it) to
// draw: source pixels [sx0, sx0+ss)² of img onto the frame pixels whose
// centres lie in [x0, x1)×[y0, y1).
type tileDraw struct {
	img            *image.RGBA
	opaque         bool
	sx0, sy0, ss   float64
	x0, y0, x1, y1 float64
}

// plan lists the tiles covering a w×h frame through t, appended to dst,
// and asks for the missing ones.
func (c *TileCache) plan(dst []tileDraw, t transform, w, h int, scale float64) []tileDraw {
	z := int(math.Round(math.Log2(t.k / TileSize)))
	z = max(c.minZ, min(c.maxZ, z))
	n := 1 << z
	fn := float64(n)
	clampT := func(v float64) int { return max(0, min(n-1, int(math.Floor(v*fn)))) }
	tx0, tx1 := clampT(t.mx(0)), clampT(t.mx(float64(w)))
	ty0, ty1 := clampT(t.my(0)), clampT(t.my(float64(h)))
	if t.mx(float64(w)) < 0 || t.mx(0) > 1 || t.my(float64(h)) < 0 || t.my(0) > 1 {
		return dst
	}
	// Centre first: the order tiles are asked for.
	cx, cy := (t.mx(0)+t.mx(float64(w)))/2*fn, (t.my(0)+t.my(float64(h)))/2*fn
	var keys []tileKey
	for y := ty0; y <= ty1; y++ {
		for x := tx0; x <= tx1; x++ {
			keys = append(keys, tileKey{z, x, y})
		}
	}
	slices.SortStableFunc(keys, func(a, b tileKey) int {
		da := math.Hypot(float64(a.x)+0.5-cx, float64(a.y)+0.5-cy)
		db := math.Hypot(float64(b.x)+0.5-cx, float64(b.y)+0.5-cy)
		switch {
		case da < db:
			return -1
		case da > db:
			return 1
		}
		return 0
	})

	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	var want []tileKey
	for _, k := range keys {
		td := tileDraw{
			x0: t.x(float64(k.x) / fn), x1: t.x(float64(k.x+1) / fn),
			y0: t.y(float64(k.y) / fn), y1: t.y(float64(k.y+1) / fn),
		}
		e := c.entries[k]
		if e != nil && e.state == tileFailed && now.Sub(e.failed) > tileRetryAfter {
			e.state = tileLoading
			want = append(want, k)
		}
		switch {
		case e == nil:
			c.entries[k] = &tileEntry{key: k, state: tileLoading}
			want = append(want, k)
		case e.state == tileReady:
			c.lru.MoveToFront(e.el)
			td.img, td.opaque, td.ss = e.img, e.opaque, float64(e.img.Rect.Dx())
			dst = append(dst, td)
			continue
		case e.state == tileLoading:
			want = append(want, k)
		case e.state == tileEmpty:
			continue
		}
		// A loaded ancestor stands in until the tile arrives.
		for d := 1; d <= maxAncestors && k.z-d >= c.minZ; d++ {
			a := c.entries[tileKey{k.z - d, k.x >> d, k.y >> d}]
			if a == nil || a.state != tileReady {
				continue
			}
			td.img, td.opaque = a.img, a.opaque
			td.ss = float64(a.img.Rect.Dx()) / float64(int(1)<<d)
			td.sx0 = float64(k.x&(1<<d-1)) * td.ss
			td.sy0 = float64(k.y&(1<<d-1)) * td.ss
			dst = append(dst, td)
			break
		}
	}
	if !c.closed {
		// Tiles asked for before and no longer wanted are forgotten
		// (those being loaded finish and stay).
		wanted := make(map[tileKey]bool, len(want))
		for _, k := range want {
			wanted[k] = true
		}
		for _, k := range c.queue {
			if e := c.entries[k]; e != nil && e.state == tileLoading && !wanted[k] {
				delete(c.entries, k)
			}
		}
		c.queue = want
		if len(want) > 0 {
			c.wake.Broadcast()
		}
	}
	return dst
}

// tile draws td over the band, nearest-neighbour.
func (b *band) tile(td *tileDraw) {
	xa := max(b.x0, int(math.Ceil(td.x0-0.5)))
	xb := min(b.x1, int(math.Ceil(td.x1-0.5)))
	ya := max(b.y0, int(math.Ceil(td.y0-0.5)))
	yb := min(b.y1, int(math.Ceil(td.y1-0.5)))
	if xa >= xb || ya >= yb {
		return
	}
	img := td.img
	iw, ih := img.Rect.Dx(), img.Rect.Dy()
	sx := td.ss / (td.x1 - td.x0)
	sy := td.ss / (td.y1 - td.y0)
	cols := b.sc.tileCols[:0]
	contiguous := true
	for x := xa; x < xb; x++ {
		c := min(iw-1, max(0, int(math.Floor(td.sx0+(float64(x)+0.5-td.x0)*sx))))
		if len(cols) > 0 && int(cols[len(cols)-1])+1 != c {
			contiguous = false
		}
		cols = append(cols, int32(c))
	}
	b.sc.tileCols = cols
	for y := ya; y < yb; y++ {
		r := min(ih-1, max(0, int(math.Floor(td.sy0+(float64(y)+0.5-td.y0)*sy))))
		src := img.Pix[r*img.Stride:]
		dst := b.pix[y*b.stride+xa*4 : y*b.stride+xb*4]
		if td.opaque && contiguous {
			copy(dst, src[int(cols[0])*4:int(cols[0])*4+len(dst)])
			continue
		}
		for i, c := range cols {
			s := binary.LittleEndian.Uint32(src[c*4:])
			d := dst[i*4 : i*4+4 : i*4+4]
			if ia := 255 - s>>24; ia == 0 {
				binary.LittleEndian.PutUint32(d, s)
			} else if s != 0 {
				binary.LittleEndian.PutUint32(d, s+fade(binary.LittleEndian.Uint32(d), ia))
			}
		}
	}
}
