package ui

import (
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"github.com/paulmach/orb"

	"griddesk/mapview"
)

// The wall shows the desk's extent on its larger map: one zoom level more
// for a map twice as large both ways, the narrower way deciding.
func TestWallView(t *testing.T) {
	c := orb.Point{120.25, 30.06}
	for _, tc := range []struct {
		name     string
		zoom     float64
		from, to fyne.Size
		want     float64
	}{
		{"twice as large", 14, fyne.NewSize(800, 600), fyne.NewSize(1600, 1200), 15},
		{"the same size", 14, fyne.NewSize(800, 600), fyne.NewSize(800, 600), 14},
		{"wider: the height decides", 14, fyne.NewSize(800, 600), fyne.NewSize(3200, 1200), 15},
		{"smaller", 14, fyne.NewSize(800, 600), fyne.NewSize(400, 300), 13},
		{"not laid out yet", 14, fyne.NewSize(800, 600), fyne.Size{}, 14},
		{"never past the deepest zoom", 21.5, fyne.NewSize(800, 600), fyne.NewSize(3200, 2400), mapview.MaxZoom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := wallView(mapview.View{Center: c, Zoom: tc.zoom}, tc.from, tc.to)
			if math.Abs(v.Zoom-tc.want) > 1e-9 || v.Center != c {
				t.Errorf("wallView = %+v, want zoom %g at %v", v, tc.want, c)
			}
		})
	}
}
