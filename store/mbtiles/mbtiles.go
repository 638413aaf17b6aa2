// Package mbtiles reads raster tiles from an MBTiles file (a SQLite
// database of PNG, JPEG or WebP tiles): an offline basemap under the map.
// Its Source is a mapview.TileSource; it lives here because only the store
// packages talk SQL.
package mbtiles

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // tile formats
	_ "image/png"
	"os"
	"strconv"

	_ "golang.org/x/image/webp"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// Source serves raster tiles from an MBTiles file (SQLite, tiles in PNG,
// JPEG or WebP, rows in the TMS scheme: row 0 at the south).
type Source struct {
	db         *sql.DB
	stmt       *sql.Stmt
	minZ, maxZ int
	// Format is the tile format the file declares ("png", "jpg", …).
	Format string
}

// workers is how many tiles may be read at once (mapview loads tiles with
// a few workers).
const workers = 4

// maxZoom is the deepest level assumed when the file names none.
const maxZoom = 19

// Open opens the MBTiles file at path read-only.
func Open(path string) (*Source, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("mbtiles: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("mbtiles %s: %w", path, err)
	}
	db.SetMaxOpenConns(workers)
	m := &Source{db: db, minZ: 0, maxZ: maxZoom}
	if err := m.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("mbtiles %s: %w", path, err)
	}
	return m, nil
}

func (m *Source) init() error {
	meta := map[string]string{}
	rows, err := m.db.Query(`SELECT name, value FROM metadata`)
	if err == nil {
		for rows.Next() {
			var k, v string
			if rows.Scan(&k, &v) == nil {
				meta[k] = v
			}
		}
		rows.Close()
	}
	m.Format = meta["format"]
	minZ, err1 := strconv.Atoi(meta["minzoom"])
	maxZ, err2 := strconv.Atoi(meta["maxzoom"])
	if err1 != nil || err2 != nil {
		var lo, hi sql.NullInt64
		if err := m.db.QueryRow(`SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles`).Scan(&lo, &hi); err != nil {
			return err
		}
		minZ, maxZ = int(lo.Int64), int(hi.Int64)
		if !hi.Valid {
			minZ, maxZ = 0, 0
		}
	}
	m.minZ, m.maxZ = minZ, maxZ
	m.stmt, err = m.db.Prepare(`SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?`)
	return err
}

// ZoomRange is the file's zoom levels (mapview.TileZoomRange).
func (m *Source) ZoomRange() (min, max int) { return m.minZ, m.maxZ }

// Tile returns tile z/x/y (mapview.TileSource), nil for a tile the file
// lacks; y is in the XYZ scheme and flipped to TMS.
func (m *Source) Tile(z, x, y int) (image.Image, error) {
	var data []byte
	err := m.stmt.QueryRow(z, x, (1<<z)-1-y).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mbtiles tile %d/%d/%d: %w", z, x, y, err)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("mbtiles tile %d/%d/%d: %w", z, x, y, err)
	}
	return img, nil
}

// Close closes the file.
func (m *Source) Close() error {
	if m.stmt != nil {
		m.stmt.Close()
	}
	return m.db.Close()
}
