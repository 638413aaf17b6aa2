package mapview

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

// MBTilesSource serves raster tiles from an MBTiles file (SQLite, tiles
// in PNG, JPEG or WebP, rows in the TMS scheme: row 0 at the south).
type MBTilesSource struct {
	db         *sql.DB
	stmt       *sql.Stmt
	minZ, maxZ int
	// Format is the tile format the file declares ("png", "jpg", …).
	Format string
}

// MBTiles opens the MBTiles file at path read-only.
func MBTiles(path string) (*MBTilesSource, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("mapview: mbtiles: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("mapview: mbtiles %s: %w", path, err)
	}
	db.SetMaxOpenConns(tileWorkers)
	m := &MBTilesSource{db: db, minZ: 0, maxZ: DefaultTileMaxZoom}
	if err := m.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("mapview: mbtiles %s: %w", path, err)
	}
	return m, nil
}

func (m *MBTilesSource) init() error {
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

// ZoomRange implements TileZoomRange: the file's zoom levels.
func (m *MBTilesSource) ZoomRange() (min, max int) { return m.minZ, m.maxZ }

// Tile implements TileSource; y is in the XYZ scheme and flipped to TMS.
func (m *MBTilesSource) Tile(z, x, y int) (image.Image, error) {
	var data []byte
	err := m.stmt.QueryRow(z, x, (1<<z)-1-y).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mapview: mbtiles tile %d/%d/%d: %w", z, x, y, err)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("mapview: mbtiles tile %d/%d/%d: %w", z, x, y, err)
	}
	return img, nil
}

// Close closes the file.
func (m *MBTilesSource) Close() error {
	if m.stmt != nil {
		m.stmt.Close()
	}
	return m.db.Close()
}
