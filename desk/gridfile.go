package desk

import (
	"fmt"
	"os"
	"path/filepath"

	"griddesk/core/ingest"
)

// InspectGridFile reads a GeoJSON file's layout (its properties, nested
// ones by dotted path, their values, the shapes) before a mapping is
// chosen. Nothing is written.
func (d *Desk) InspectGridFile(path string) (ingest.Layout, error) {
	f, err := os.Open(path)
	if err != nil {
		return ingest.Layout{}, fmt.Errorf("desk: grid file: %w", err)
	}
	defer f.Close()
	return ingest.InspectGeoJSON(f, filepath.Base(path))
}
