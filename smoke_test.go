package main

// The real-window smoke test: the desk built as users get it, run under
// Xvfb, looked at through screenshots and driven with xdotool. It runs in
// `make test` (GRIDDESK_SMOKE=1); screenshots stay in .cache/screens.

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	deskpkg "griddesk/desk"
	"griddesk/domain"
)

func TestSmokeRealWindow(t *testing.T) {
	if os.Getenv("GRIDDESK_SMOKE") != "1" {
		t.Skip("set GRIDDESK_SMOKE=1 (make smoke) to run the desk under Xvfb")
	}
	for _, tool := range []string{"Xvfb", "import", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed (make setup installs it): %v", tool, err)
		}
	}
	shots, _ := filepath.Abs(".cache/screens")
	os.MkdirAll(shots, 0o755)
	bin := filepath.Join(t.TempDir(), "griddesk")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	display := startXvfb(t)
	data := t.TempDir()

	// first start, Chinese: seeds the demo town, syncs it, draws it
	desk := startDesk(t, bin, display, data, "zh_CN.UTF-8")
	img := waitForMap(t, display, filepath.Join(shots, "desk-zh.png"), 120*time.Second)
	stopDesk(desk)

	// second start, English: the cached town is on screen at once
	desk = startDesk(t, bin, display, data, "en_US.UTF-8")
	img = waitForMap(t, display, filepath.Join(shots, "desk-en.png"), 60*time.Second)

	// drive it: drag the map, then zoom with the wheel
	x, y, w, h := windowGeometry(t, display)
	cx, cy := x+w*35/100, y+h/2
	xdo(t, display, "mousemove", itoa(cx), itoa(cy), "mousedown", "1")
	for i := 1; i <= 10; i++ {
		xdo(t, display, "mousemove", itoa(cx+12*i), itoa(cy+6*i))
		time.Sleep(20 * time.Millisecond)
	}
	xdo(t, display, "mouseup", "1")
	time.Sleep(300 * time.Millisecond)
	xdo(t, display, "click", "--repeat", "3", "--delay", "80", "4")
	after := waitForMap(t, display, filepath.Join(shots, "desk-zoomed.png"), 30*time.Second)
	if changed := diffPixels(img, after); changed < 50000 {
		t.Errorf("the picture barely changed after a drag and a zoom (%d pixels)", changed)
	}
	stopDesk(desk)

	// a duty officer's round, by the keyboard: the hotline form left as a
	// draft, registered, dispatched, worked to closed and evaluated
	shiftRound(t, bin, display, data, shots)

	// the wall at 3840×2160, on a screen of its own
	wallShot(t, bin, data, shots)
}

// roundTitle marks the smoke round's case (ASCII: xdotool types it).
const roundTitle = "SMOKE-1"

// shiftRound drives one case through the desk in the real window with
// xdotool, keeping a screenshot of every step: a hotline form someone left
// unsent (a draft in the data directory) is registered with Ctrl+Enter,
// found with Ctrl+F, dispatched with Ctrl+D to the suggested unit, worked
// through its steps with Ctrl+2/Ctrl+3 (the detail panel's buttons) and, once
// closed, evaluated with a follow-up note. The local copy then holds it
// evaluated.
func shiftRound(t *testing.T, bin, display, data, shots string) {
	draft := map[string]any{"case.new": map[string]any{"at": time.Now().Format(time.RFC3339), "fields": map[string]string{
		"title": roundTitle + " 门口乱堆建筑垃圾", "description": "来电人：门口乱堆建筑垃圾，占用人行道", "category": "city_appearance",
		"lon": "120.2512", "lat": "30.0608", "where": "120.25120, 30.06080"}}}
	raw, _ := json.Marshal(draft)
	if err := os.WriteFile(filepath.Join(data, "drafts.json"), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	desk := startDesk(t, bin, display, data, "zh_CN.UTF-8")
	defer stopDesk(desk)
	waitForMap(t, display, filepath.Join(shots, "round-0-desk.png"), 60*time.Second)
	time.Sleep(3 * time.Second) // signed in and synced
	x, y, w, h := windowGeometry(t, display)
	xdo(t, display, "mousemove", itoa(x+w/2), itoa(y+h/2), "click", "1") // focus the window
	shot := 0
	step := func(name string, keys ...string) {
		t.Helper()
		for _, k := range keys {
			if strings.HasPrefix(k, "type:") {
				xdo(t, display, "type", "--delay", "60", strings.TrimPrefix(k, "type:"))
			} else {
				xdo(t, display, "key", k)
			}
			time.Sleep(1200 * time.Millisecond)
		}
		time.Sleep(3500 * time.Millisecond) // the step lands locally, is pushed, and the queue re-reads
		shot++
		screenshot(t, display, filepath.Join(shots, fmt.Sprintf("round-%d-%s.png", shot, name)))
	}
	step("new-case-draft", "ctrl+n")                    // the form opens with the draft
	step("registered", "ctrl+Return")                   // sent
	step("found", "ctrl+f", "type:"+roundTitle)         // the queue shows it alone
	step("selected", "ctrl+l", "space")                 // chosen in the list
	step("dispatch-form", "ctrl+d")                     // the suggested unit
	step("dispatched", "ctrl+Return")                   // sent
	step("accepted", "ctrl+2", "ctrl+Return")           // Accept
	step("on-site", "ctrl+2", "ctrl+Return")            // Arrive on site
	step("handled", "ctrl+3", "ctrl+Return")            // Handled (after Feedback)
	step("closed", "ctrl+3", "ctrl+Return")             // Verify and close (after Feedback): the panel keeps it, closed
	step("evaluate-form", "ctrl+2", "type:callback ok") // Evaluate: the rating and the follow-up call
	step("evaluated", "ctrl+Return")
	stopDesk(desk)

	d, err := deskpkg.Open(context.Background(), deskpkg.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	res, err := d.SearchCases(context.Background(), deskpkg.CaseQuery{Text: roundTitle}, time.Now())
	if err != nil || len(res.Rows) != 1 {
		t.Fatalf("the round's case: %d found, %v", len(res.Rows), err)
	}
	c := res.Rows[0]
	t.Logf("the round's case %s: %s, satisfaction %q", c.No, c.Status, c.Satisfaction)
	if c.Status != domain.StatusEvaluated || c.Satisfaction == "" {
		t.Errorf("after the round the case is %s (%q); see the screenshots round-*.png", c.Status, c.Satisfaction)
	}
	if _, ok := d.Draft("case.new"); ok {
		t.Error("the registered draft is still kept")
	}
}

// wallShot opens the desk with -wall on a 3840×2160 screen and keeps the
// wall's picture once its map is drawn and its figures are in. Xvfb has no
// window manager to stack windows, so the test raises the wall over the
// desk window itself (on a command centre's wall it has a screen of its
// own).
func wallShot(t *testing.T, bin, data, shots string) {
	display := startXvfbSized(t, "3840x2160x24")
	cmd := exec.Command(bin, "-data", data, "-wall")
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "LANG=zh_CN.UTF-8", "LC_ALL=zh_CN.UTF-8", "XDG_CONFIG_HOME="+filepath.Join(data, "config"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer stopDesk(cmd)
	deadline := time.Now().Add(90 * time.Second)
	for {
		time.Sleep(3 * time.Second)
		if id, ok := wallWindowID(display); ok {
			xdo(t, display, "windowraise", id)
			time.Sleep(2 * time.Second) // its clock ticks: it is drawn again on top
		}
		img := screenshot(t, display, filepath.Join(shots, "wall-3840x2160.png"))
		if b := img.Bounds(); b.Dx() != 3840 || b.Dy() != 2160 {
			t.Fatalf("the wall screen is %v", b)
		}
		s, w := analyse(img), analyseWall(img)
		// the map (codes' colours), the dark panels over most of the
		// screen, and bars (categories, sources, ranking, the 30 days)
		if s.green > 1000 && s.red > 50 && w.panel > 3840*2160/4 && w.bars > 20000 {
			t.Logf("wall-3840x2160.png: %+v %+v", s, w)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the wall did not show its map and figures within 90 s: %+v %+v", s, w)
		}
	}
}

// wallWindowID finds the wall window: the desk's window of the screen's size.
func wallWindowID(display string) (string, bool) {
	out, err := xdoOutput(display, "search", "--onlyvisible", "--name", "GridDesk")
	if err != nil {
		return "", false
	}
	for _, id := range strings.Fields(out) {
		geo, err := xdoOutput(display, "getwindowgeometry", "--shell", id)
		if err == nil && strings.Contains(geo, "WIDTH=3840") {
			return id, true
		}
	}
	return "", false
}

// wallStats counts the wall's own colours: its panels and its bars.
type wallStats struct{ panel, bars int }

func analyseWall(img image.Image) wallStats {
	var s wallStats
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r32, g32, b32, _ := img.At(x, y).RGBA()
			r, g, bl := int(r32>>8), int(g32>>8), int(b32>>8)
			switch {
			case abs(r-0x10) <= 3 && abs(g-0x24) <= 3 && abs(bl-0x40) <= 3:
				s.panel++
			case abs(r-0x2f) <= 6 && abs(g-0x8f) <= 6 && abs(bl-0xe0) <= 6:
				s.bars++
			}
		}
	}
	return s
}

func startXvfb(t *testing.T) string {
	t.Helper()
	return startXvfbSized(t, "1600x1000x24")
}

func startXvfbSized(t *testing.T, screen string) string {
	t.Helper()
	for n := 90; n < 120; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); err == nil {
			continue
		}
		display := fmt.Sprintf(":%d", n)
		cmd := exec.Command("Xvfb", display, "-screen", "0", screen, "-nolisten", "tcp")
		if err := cmd.Start(); err != nil {
			t.Fatalf("Xvfb: %v", err)
		}
		t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }) // TERM lets Xvfb remove its lock
		for i := 0; i < 100; i++ {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
				return display
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("Xvfb %s did not come up", display)
	}
	t.Fatal("no free X display")
	return ""
}

func startDesk(t *testing.T, bin, display, data, locale string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "-data", data)
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "LANG="+locale, "LC_ALL="+locale, "XDG_CONFIG_HOME="+filepath.Join(data, "config"))
	logPath := filepath.Join(t.TempDir(), "desk.log")
	logf, _ := os.Create(logPath)
	cmd.Stdout, cmd.Stderr = logf, logf
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("desk log (%s, %d bytes, process %v):\n%s", locale, len(b), cmd.ProcessState, tail(string(b), 4000))
		}
	})
	if err := cmd.Start(); err != nil {
		t.Fatalf("start desk: %v", err)
	}
	return cmd
}

func stopDesk(cmd *exec.Cmd) {
	cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

func screenshot(t *testing.T, display, path string) image.Image {
	t.Helper()
	cmd := exec.Command("import", "-window", "root", path)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v\n%s", err, out)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	return img
}

// mapStats counts what a drawn map shows: the entity colours of the
// three-colour code, the tint of grid interiors and dark boundary pixels.
type mapStats struct{ green, yellow, red, gridFill, lines int }

func (s mapStats) drawn() bool {
	return s.green > 300 && s.yellow > 100 && s.red > 20 && s.gridFill > 20000 && s.lines > 2000
}

func analyse(img image.Image) mapStats {
	var s mapStats
	b := img.Bounds()
	near := func(r, g, b, R, G, B int, d int) bool {
		return abs(r-R) <= d && abs(g-G) <= d && abs(b-B) <= d
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r32, g32, b32, _ := img.At(x, y).RGBA()
			r, g, bl := int(r32>>8), int(g32>>8), int(b32>>8)
			switch {
			case near(r, g, bl, 0x2e, 0x9e, 0x44, 6):
				s.green++
			case near(r, g, bl, 0xe8, 0xb4, 0x00, 6):
				s.yellow++
			case near(r, g, bl, 0xd7, 0x26, 0x3d, 6):
				s.red++
			case near(r, g, bl, 232, 235, 236, 4): // base-grid fill over the map background
				s.gridFill++
			case r < 150 && g < 150 && bl < 170 && bl >= r && abs(r-g) < 40 && r+g+bl > 120:
				s.lines++ // grey-blue and purple boundaries
			}
		}
	}
	return s
}

func waitForMap(t *testing.T, display, path string, within time.Duration) image.Image {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		img := screenshot(t, display, path)
		s := analyse(img)
		if s.drawn() {
			t.Logf("%s: %+v", filepath.Base(path), s)
			return img
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the map did not draw within %v: %+v", path, within, s)
		}
		time.Sleep(time.Second)
	}
}

func windowGeometry(t *testing.T, display string) (x, y, w, h int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xdotool", "search", "--sync", "--name", "GridDesk", "getwindowgeometry", "--shell")
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("find the desk window: %v", err)
	}
	vals := map[string]int{}
	for _, line := range strings.Split(string(out), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if ok {
			vals[k], _ = strconv.Atoi(v)
		}
	}
	if vals["WIDTH"] < 400 || vals["HEIGHT"] < 300 {
		t.Fatalf("desk window geometry %v", vals)
	}
	return vals["X"], vals["Y"], vals["WIDTH"], vals["HEIGHT"]
}

func xdo(t *testing.T, display string, args ...string) {
	t.Helper()
	if out, err := xdoOutput(display, args...); err != nil {
		t.Fatalf("xdotool %v: %v\n%s", args, err, out)
	}
}

// xdoOutput runs xdotool on the display and returns what it printed.
func xdoOutput(display string, args ...string) (string, error) {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func diffPixels(a, b image.Image) int {
	n := 0
	r := a.Bounds().Intersect(b.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				n++
			}
		}
	}
	return n
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func itoa(v int) string { return strconv.Itoa(v) }

// tail keeps the start (where a panic's message is) and the end of a log.
func tail(s string, n int) string {
	if len(s) > n {
		return s[:n/2] + "\n…\n" + s[len(s)-n/2:]
	}
	return s
}
