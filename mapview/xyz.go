package mapview

import (
	"bytes"
	"fmt"
	"image"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// XYZSource fetches raster tiles over HTTP from a URL template and keeps
// them in a disk cache, so tiles seen once are there offline.
type XYZSource struct {
	// URL is the template: {z}, {x} and {y} are replaced by the tile's
	// zoom, column and row ({-y} by the TMS row), {s} by one of Subdomains.
	URL string
	// Subdomains for {s}, picked by tile (default "a", "b", "c").
	Subdomains []string
	// CacheDir holds the cache as CacheDir/z/x/y.ext; "" disables it.
	// Cached tiles do not expire.
	CacheDir string
	// Client fetches tiles (a client with a 20 s timeout when nil).
	Client *http.Client
	// UserAgent is sent with every request (tile servers ask for one).
	UserAgent string
	// MinZoom and MaxZoom bound the zoom levels asked for (0 and
	// DefaultTileMaxZoom by XYZ).
	MinZoom, MaxZoom int
}

// XYZ returns a source for the tile server urlTemplate (for example
// "https://tile.example.org/{z}/{x}/{y}.png"), caching tiles under
// cacheDir ("" for no disk cache).
func XYZ(urlTemplate, cacheDir string) *XYZSource {
	return &XYZSource{
		URL: urlTemplate, CacheDir: cacheDir, MaxZoom: DefaultTileMaxZoom,
		Client: &http.Client{Timeout: 20 * time.Second}, UserAgent: "GridDesk mapview",
	}
}

// ZoomRange implements TileZoomRange.
func (s *XYZSource) ZoomRange() (min, max int) { return s.MinZoom, s.MaxZoom }

// url returns the URL of a tile.
func (s *XYZSource) url(z, x, y int) string {
	subs := s.Subdomains
	if len(subs) == 0 {
		subs = []string{"a", "b", "c"}
	}
	return strings.NewReplacer(
		"{z}", strconv.Itoa(z), "{x}", strconv.Itoa(x), "{y}", strconv.Itoa(y),
		"{-y}", strconv.Itoa((1<<z)-1-y), "{s}", subs[(x+y)%len(subs)],
	).Replace(s.URL)
}

// cachePath returns where a tile is cached, "" without a cache.
func (s *XYZSource) cachePath(z, x, y int) string {
	if s.CacheDir == "" {
		return ""
	}
	ext := path.Ext(strings.SplitN(s.URL, "?", 2)[0])
	if len(ext) > 6 || strings.ContainsAny(ext, "{}/") {
		ext = ""
	}
	return filepath.Join(s.CacheDir, strconv.Itoa(z), strconv.Itoa(x), strconv.Itoa(y)+ext)
}

// maxTileBytes bounds a tile download.
const maxTileBytes = 8 << 20

// Tile implements TileSource: from the disk cache, else over HTTP (then
// cached). A 404 or 204 answer means no tile there.
func (s *XYZSource) Tile(z, x, y int) (image.Image, error) {
	cp := s.cachePath(z, x, y)
	if cp != "" {
		if data, err := os.ReadFile(cp); err == nil {
			if img, _, err := image.Decode(bytes.NewReader(data)); err == nil {
				return img, nil
			}
		}
	}
	u := s.url(z, x, y)
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("mapview: tile %s: %w", u, err)
	}
	if s.UserAgent != "" {
		req.Header.Set("User-Agent", s.UserAgent)
	}
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("mapview: tile %s: %w", u, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusNoContent:
		return nil, nil
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("mapview: tile %s: %s", u, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxTileBytes))
	if err != nil {
		return nil, fmt.Errorf("mapview: tile %s: %w", u, err)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("mapview: tile %s: %w", u, err)
	}
	if cp != "" {
		if err := writeAtomic(cp, data); err != nil {
			return img, nil // shown anyway; caching is best effort
		}
	}
	return img, nil
}

// writeAtomic writes data to path through a temporary file and a rename,
// so readers never see half a tile.
func writeAtomic(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tile-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), p); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}
