package mapview

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestDriverGolden renders the rich scene through Fyne's test driver — the
// widget, its raster and its overlays as a window shows them — at two zooms
// and compares the captures with golden images (testdata/driver_*.png; to
// refresh them delete the files and take the ones written to testdata/failed).
func TestDriverGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		zoom float64
	}{{"driver_z16.png", richView.Zoom}, {"driver_z17.png", richView.Zoom + 1}} {
		t.Run(tc.name, func(t *testing.T) {
			m, w := newRichMap(t)
			v := richView
			v.Zoom = tc.zoom
			m.SetView(v)
			m.RenderNow()
			test.AssertImageMatches(t, tc.name, w.Canvas().Capture())
		})
	}
}
