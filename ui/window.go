package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
)

// dirKey is a short, stable key for a directory (preferences kept per data
// directory).
func dirKey(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	sum := sha256.Sum256([]byte(dir))
	return hex.EncodeToString(sum[:6])
}

// screenKey names the screen a window opens on: the X display (a desk on
// a laptop and on the command centre's screens keeps a size for each).
func screenKey() string {
	if d := os.Getenv("DISPLAY"); d != "" {
		return d
	}
	if d := os.Getenv("WAYLAND_DISPLAY"); d != "" {
		return d
	}
	return "default"
}

// rememberSize opens the bridge's window at the size it had when it was
// last closed on this screen (def the first time), and keeps its size when
// it closes.
func rememberSize(br *bridge, name string, def fyne.Size) {
	win := br.win
	prefs := fyne.CurrentApp().Preferences()
	key := "window." + name + "." + screenKey()
	size := def
	var w, h float32
	if _, err := fmt.Sscanf(prefs.String(key), "%gx%g", &w, &h); err == nil && w >= 640 && h >= 400 {
		size = fyne.NewSize(w, h)
	}
	win.Resize(size)
	keep := func() {
		if s := win.Canvas().Size(); s.Width >= 640 && s.Height >= 400 {
			prefs.SetString(key, fmt.Sprintf("%gx%g", s.Width, s.Height))
		}
	}
	br.atClose(keep)
}
