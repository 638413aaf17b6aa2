package ui

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"griddesk/core/command"
	"griddesk/core/plan"
	"griddesk/desk"
	"griddesk/desk/replica"
	"griddesk/domain"
	"griddesk/domain/workflow"
	"griddesk/server/demo"
)

// townWindow is the desk's window, shown, over the demo town served in
// process (without its simulated day).
func townWindow(t *testing.T) (fyne.App, *desk.Desk, *mainWindow) {
	t.Helper()
	return demoWindow(t, "town")
}

// demoWindow is the desk's window, shown, over the demo server seeded with
// seed ("town", or "none": no data).
func demoWindow(t *testing.T, seed string) (fyne.App, *desk.Desk, *mainWindow) {
	t.Helper()
	a := newTestApp(t)
	d, err := desk.Open(context.Background(), desk.Config{DataDir: t.TempDir(), Backend: desk.BackendFrom(demo.Starter(seed, false))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	mw, err := Setup(a, d)
	if err != nil {
		t.Fatal(err)
	}
	mw.win.Resize(fyne.NewSize(1280, 800))
	mw.win.Show()
	return a, d, mw
}

// onUI runs fn on the UI goroutine and waits.
func onUI(fn func()) {
	fyne.DoAndWait(func() {
		// one at a time with the bridge's hand-overs: the test driver runs
		// both at once on their own goroutines, and a test read half a
		// preview (its summary new, its list and button not yet)
		handing.Lock()
		defer handing.Unlock()
		fn()
	})
}

// formItem is the widget of a form dialog's row i (without its outline).
func formItem(fd *formDialog, i int) fyne.CanvasObject {
	w := fd.form.Items[i].Widget
	if c, ok := w.(*fyne.Container); ok && len(c.Objects) == 2 {
		if _, outline := c.Objects[1].(*canvas.Rectangle); outline {
			return c.Objects[0]
		}
	}
	return w
}

// buttonTexts are the detail panel's buttons.
func buttonTexts(mw *mainWindow) []string {
	var out []string
	for _, o := range mw.detail.box.Objects {
		if b, ok := o.(*widget.Button); ok {
			out = append(out, b.Text)
		}
	}
	return out
}

func overlayCount(mw *mainWindow) (n int) {
	onUI(func() { n = len(mw.win.Canvas().Overlays().List()) })
	return n
}

// TestDutyOfficerShift walks a duty officer's round on the demo town in the
// headless window: a hotline form refused for its empty title keeps every
// input and marks the title; the form is registered from the grid picker;
// the dispatch form pre-selects the suggested unit and the map's highlight
// stays on the dispatched case; 挂账 without a reason keeps the form; the
// case is worked to closed, stays in the detail panel (closed, with
// Evaluate), is found by the search and the queue's closed filter, and is
// evaluated with a follow-up note; a review sent back without a reason is
// refused by the desk in the form; an exported snapshot opens with
// everything that would change data disabled; and the Chinese screens
// show no English words.
func TestDutyOfficerShift(t *testing.T) {
	a, d, mw := townWindow(t)
	eventually(t, "the synced town", func() bool {
		var ok bool
		onUI(func() {
			ok = mw.status.state.State == replica.StateOnline && len(mw.mapc.layers.entities) > 0 && len(mw.queue.all) > 0
		})
		return ok
	})
	base := overlayCount(mw)

	// the hotline form: a refused save keeps what was typed
	var rf *registerForm
	onUI(func() {
		mw.register()
		rf = mw.detail.lastRegister
		test.Type(rf.desc, "门口堆放建筑垃圾，占用人行道")
		rf.fd.submit()
	})
	onUI(func() {
		if got := rf.fd.problemText(); !strings.Contains(got, "A title is required.") {
			t.Errorf("empty title: problem %q", got)
		}
		if !rf.fd.marked("args.new.title") || rf.fd.marked("args.new.category") {
			t.Error("the title is not the field marked")
		}
		if rf.desc.Text != "门口堆放建筑垃圾，占用人行道" {
			t.Errorf("the caller's words became %q", rf.desc.Text)
		}
	})
	if n := overlayCount(mw); n != base+1 {
		t.Fatalf("the form closed on a refused save (%d overlays, %d before)", n, base)
	}
	// fill it in: a title, the category suggested from the words, a grid typed
	grid := ""
	onUI(func() {
		test.Type(rf.title, "建筑垃圾占道")
		grid = rf.grid.names[len(rf.grid.names)/2]
		test.Type(rf.grid.entry, grid)
		if rf.category.SelectedIndex() < 0 {
			t.Error("no category suggested from the caller's words")
		}
		if rf.place == nil || !strings.Contains(rf.where.Text, grid) {
			t.Errorf("typing the grid %q placed the case at %q", grid, rf.where.Text)
		}
		rf.fd.submit()
	})
	find := func(title string) (desk.CaseRow, bool) {
		var row desk.CaseRow
		var ok bool
		onUI(func() {
			for _, c := range mw.queue.all {
				if c.Title == title {
					row, ok = c, true
				}
			}
		})
		return row, ok
	}
	eventually(t, "the registered case", func() bool { c, ok := find("建筑垃圾占道"); return ok && !c.Pending && c.No != "" })
	if n := overlayCount(mw); n != base {
		t.Errorf("the form is still open after the case was registered (%d overlays)", n)
	}
	if _, ok := d.Draft(draftNewCase); ok {
		t.Error("a registered case left its draft behind")
	}
	c, _ := find("建筑垃圾占道")

	// dispatch from its form: the suggested unit is chosen; the map keeps
	// the highlight on this case while the reads move every index
	sugg, err := d.Suggest(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	onUI(func() {
		mw.selectCase(c)
		mw.detail.ask(c, workflow.Dispatch)
	})
	eventually(t, "the dispatch form", func() bool {
		var ok bool
		onUI(func() { ok = mw.detail.lastForm != nil && mw.detail.lastForm != rf.fd })
		return ok
	})
	onUI(func() {
		fd := mw.detail.lastForm
		if s := formItem(fd, 0).(*keySelect); s.Selected != sugg.UnitName {
			t.Errorf("the dispatch form chose %q, suggested %q", s.Selected, sugg.UnitName)
		}
		fd.submit()
	})
	eventually(t, "the dispatch", func() bool {
		r, ok := find("建筑垃圾占道")
		return ok && r.Status == domain.StatusDispatched && !r.Pending
	})
	settle(t, mw.loader)
	onUI(func() {
		sel := mw.mapc.m.Selection()
		if len(sel) != 1 || sel[0].Layer != layerCases || mw.mapc.layers.cases[sel[0].Index].ID != c.ID {
			t.Errorf("after the dispatch the map highlights %+v, not case %s", sel, c.No)
		}
	})

	// 挂账 without a reason: the form stays, the reason marked, in words
	c, _ = find("建筑垃圾占道")
	onUI(func() {
		mw.detail.ask(c, workflow.Defer)
		mw.detail.lastForm.submit()
	})
	onUI(func() {
		fd := mw.detail.lastForm
		if got := fd.problemText(); !strings.Contains(got, "A reason of at least two characters is needed to Defer") || !fd.marked("args.note") {
			t.Errorf("defer without a reason: %q, note marked %v", got, fd.marked("args.note"))
		}
		fd.cancel()
	})

	// the unit's steps and the verification
	passed := true
	for _, s := range []struct {
		typ  string
		args command.CaseArgs
		want domain.CaseStatus
	}{
		{command.CaseAccept, command.CaseArgs{}, domain.StatusAccepted},
		{command.CaseArrive, command.CaseArgs{}, domain.StatusOnSite},
		{command.CaseHandle, command.CaseArgs{Note: "已清运"}, domain.StatusHandled},
		{command.CaseVerify, command.CaseArgs{Passed: &passed}, domain.StatusClosed},
	} {
		cur, ok := find("建筑垃圾占道")
		if !ok {
			t.Fatalf("the case left the queue before %s", s.typ)
		}
		s.args.CaseID = c.ID
		onUI(func() { mw.detail.issue(s.typ, s.args, cur.Version) })
		want := s.want
		eventually(t, s.typ, func() bool {
			cur, ok := find("建筑垃圾占道")
			if want == domain.StatusClosed {
				return !ok
			}
			return ok && cur.Status == want && !cur.Pending
		})
	}
	// closed: still in the detail panel, closed, with Evaluate
	eventually(t, "the detail panel to follow the close", func() bool {
		var ok bool
		onUI(func() {
			ok = strings.Contains(mw.detail.info.Text, "Closed") && strings.Contains(strings.Join(buttonTexts(mw), ","), "Evaluate")
		})
		return ok
	})
	// found by its number, and in the queue's closed filter
	var closed desk.CaseRow
	onUI(func() {
		mw.find()
		test.Type(mw.finder.text, c.No)
	})
	eventually(t, "the search to find the closed case", func() bool {
		var ok bool
		onUI(func() {
			for _, r := range mw.finder.rows {
				if r.ID == c.ID && r.Status == domain.StatusClosed {
					closed, ok = r, true
				}
			}
		})
		return ok
	})
	onUI(func() { mw.finder.list.Select(0) })
	onUI(func() {
		for i, sc := range mw.queue.bar.states {
			if sc.label == "Closed" {
				mw.queue.bar.status.SetSelectedIndex(i)
			}
		}
	})
	eventually(t, "the closed filter to list the case", func() bool {
		var ok bool
		onUI(func() {
			for _, r := range mw.queue.shown {
				ok = ok || r.ID == c.ID
			}
		})
		return ok
	})
	// evaluated from the closed case's one form: rating and follow-up note
	onUI(func() {
		mw.detail.ask(closed, workflow.Evaluate)
		fd := mw.detail.lastForm
		formItem(fd, 0).(*widget.RadioGroup).SetSelected("Basically satisfied")
		test.Type(formItem(fd, 1).(*keyEntry), "回访：已清运，基本满意")
		fd.submit()
	})
	eventually(t, "the evaluation to show", func() bool {
		var ok bool
		onUI(func() {
			ok = strings.Contains(mw.detail.info.Text, "Evaluated") && strings.Contains(mw.detail.info.Text, "Basically satisfied")
		})
		return ok
	})
	if cd, err := d.Detail(context.Background(), c.ID, time.Now()); err != nil || cd.Row.Satisfaction != domain.BasicallySatisfied ||
		!strings.Contains(cd.Timeline[len(cd.Timeline)-1].Note, "回访") {
		t.Errorf("evaluated case: %+v, %v", cd.Row.Case, err)
	}

	// a review sent back without a reason: the desk refuses, the form stays
	onUI(func() { mw.dg.showReviews() })
	eventually(t, "the reviews", func() bool {
		var ok bool
		onUI(func() { ok = mw.dg.reviews != nil && len(mw.dg.reviews.shown) > 0 })
		return ok
	})
	onUI(func() {
		rl := mw.dg.reviews
		rl.list.Select(0)
		rl.search.SetText(rl.shown[0].EntityName)
		if rl.sel == "" || rl.index(rl.sel) != 0 {
			t.Errorf("the search lost the chosen inspection")
		}
	})
	onUI(func() {
		var back *widget.Button
		for _, o := range test.LaidOutObjects(mw.win.Canvas().Overlays().Top()) {
			if b, ok := o.(*widget.Button); ok && b.Text == "Send back for re-inspection" {
				back = b
			}
		}
		if back == nil || back.Disabled() {
			t.Fatal("no Send back button")
		}
		test.Tap(back)
		mw.dg.lastForm.submit()
	})
	eventually(t, "the desk's refusal in the form", func() bool {
		var got string
		onUI(func() { got = mw.dg.lastForm.problemText() })
		return strings.Contains(got, "A reason of at least two characters is needed to Send back for re-inspection")
	})
	onUI(func() {
		if !mw.dg.lastForm.marked("args.note") {
			t.Error("the reason is not marked")
		}
	})

	// an exported snapshot changes nothing
	snap := filepath.Join(t.TempDir(), "shift.gpkg")
	if _, err := d.ExportSnapshot(context.Background(), snap, nil, time.Time{}, time.Time{}, "shift"); err != nil {
		t.Fatal(err)
	}
	readOnlySnapshot(t, a, snap, c.ID)

	chineseScreens(t, a, d)
}

// readOnlySnapshot opens a snapshot for review and checks that everything
// that would change data is disabled there.
func readOnlySnapshot(t *testing.T, a fyne.App, path, caseID string) {
	r, err := desk.OpenSnapshot(context.Background(), path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var rw *mainWindow
	onUI(func() {
		rw = newMainWindow(a, r)
		rw.win.Show()
		rw.loader.reload(partAll)
	})
	settle(t, rw.loader)
	defer onUI(func() { rw.win.Close() })
	onUI(func() {
		if !rw.queue.newCase.Disabled() || !rw.tools.outbox.Disabled() || !rw.tools.settings.Disabled() || !rw.tools.users.Disabled() {
			t.Error("a snapshot offers New case, the outbox, settings or users")
		}
		for _, it := range rw.win.MainMenu().Items[0].Items {
			if strings.HasPrefix(it.Label, "Import") && !it.Disabled {
				t.Errorf("a snapshot offers %q", it.Label)
			}
		}
		if len(rw.queue.all) == 0 {
			t.Fatal("the snapshot has no open cases")
		}
		rw.selectCase(rw.queue.all[0])
		if got := buttonTexts(rw); len(got) != 1 {
			t.Errorf("a snapshot's case offers %v", got)
		}
		rw.dg.showReviews()
	})
	eventually(t, "the snapshot's reviews", func() bool {
		var ok bool
		onUI(func() { ok = rw.dg.reviews != nil })
		return ok
	})
	onUI(func() {
		rw.dg.reviews.list.Select(0)
		for _, o := range test.LaidOutObjects(rw.win.Canvas().Overlays().Top()) {
			if b, ok := o.(*widget.Button); ok && (b.Text == "Approve" || b.Text == "Hand to enforcement") && !b.Disabled() {
				t.Errorf("a snapshot's review offers %q", b.Text)
			}
		}
	})
	// the planner plans and prints, but publishes nothing
	pw := openPlanner(rw)
	onUI(func() {
		pw.show(&plan.Plan{})
		for _, o := range test.LaidOutObjects(pw.win.Content()) {
			if b, ok := o.(*widget.Button); ok && b.Text == "Publish to the teams" && !b.Disabled() {
				t.Error("a snapshot's planner offers to publish")
			}
		}
		pw.win.Close()
	})
}

// asciiToken is a run of Latin letters, digits, '-' and '_': in the Chinese
// desk one of letters alone (a word) must be a proper name (of a format, a
// standard, a key) or data (a user name), or not be there; one with digits
// or dashes is a code or a number (2026-0421, E00001, a QR token).
var asciiToken = regexp.MustCompile(`[A-Za-z0-9_-]*[A-Za-z][A-Za-z0-9_-]*`)

var lettersOnly = regexp.MustCompile(`^[A-Za-z]{2,}$`)

var properNames = map[string]bool{"GridDesk": true, "PDF": true, "XLSX": true, "CSV": true, "GeoJSON": true, "QR": true, "WGS": true,
	"GCJ": true, "BD": true, "GPS": true, "Ctrl": true, "Shift": true, "Esc": true, "Amap": true, "Tencent": true, "Baidu": true,
	"km": true, "min": true, "Polygon": true, "MultiPolygon": true, "gpkg": true, "GeoPackage": true, "JSON": true,
	"griddesk": true} // griddesk://, the scheme of QR codes without a public URL

// englishIn lists the English words the texts under o show (data: words
// that are the desk's data, such as user names).
func englishIn(o fyne.CanvasObject, data ...string) []string {
	var out []string
	for _, x := range test.LaidOutObjects(o) {
		t, ok := x.(*canvas.Text)
		if !ok || !t.Visible() {
			continue
		}
		for _, w := range asciiToken.FindAllString(t.Text, -1) {
			if lettersOnly.MatchString(w) && !properNames[w] && !slices.Contains(data, w) {
				out = append(out, w+" in "+strings.TrimSpace(t.Text))
			}
		}
	}
	return out
}

// chineseScreens opens the desk in Chinese on d and looks at every screen
// of the shift: the window, the case page, the search, the statistics, the
// rankings, the reviews, the notices, the hotline form and the wall.
func chineseScreens(t *testing.T, a fyne.App, d *desk.Desk) {
	for _, v := range []string{"LANGUAGE", "LC_MESSAGES"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	t.Setenv("LC_ALL", "zh_CN.UTF-8")
	t.Setenv("LANG", "zh_CN.UTF-8")
	if err := loadTranslations(); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("Outbox"); got != "待发送" || !chinese() {
		t.Fatalf("the desk does not speak Chinese: %q", got)
	}
	defer func() {
		os.Setenv("LC_ALL", "en_US.UTF-8")
		os.Setenv("LANG", "en_US.UTF-8")
		loadTranslations()
	}()
	var zw *mainWindow
	onUI(func() {
		zw = newMainWindow(a, d)
		zw.win.Resize(fyne.NewSize(1920, 1080))
		zw.win.Show()
		zw.loader.reload(partAll)
	})
	settle(t, zw.loader)
	defer onUI(func() { zw.win.Close() })
	users, _ := d.Users(context.Background())
	var names []string
	for _, u := range users {
		names = append(names, u.Username)
	}
	look := func(what string, open func(), ready func() bool) {
		onUI(open)
		if ready != nil {
			eventually(t, what, func() bool { var ok bool; onUI(func() { ok = ready() }); return ok })
		}
		time.Sleep(100 * time.Millisecond) // the last reads of the screen
		onUI(func() {
			var words []string
			words = append(words, englishIn(zw.win.Canvas().Content())...)
			for _, o := range zw.win.Canvas().Overlays().List() {
				words = append(words, englishIn(o, names...)...)
			}
			if len(words) > 0 {
				t.Errorf("the Chinese %s shows English: %s", what, strings.Join(uniq(words), "; "))
			}
			if os.Getenv("SHIFT_DEBUG") != "" {
				n := 0
				var sample []string
				for _, o := range append([]fyne.CanvasObject{zw.win.Canvas().Content()}, zw.win.Canvas().Overlays().List()...) {
					for _, x := range test.LaidOutObjects(o) {
						if tx, ok := x.(*canvas.Text); ok && tx.Text != "" {
							n++
							if len(sample) < 12 {
								sample = append(sample, tx.Text)
							}
						}
					}
				}
				t.Logf("%s: %d texts, e.g. %q", what, n, sample)
			}
			for _, o := range zw.win.Canvas().Overlays().List() {
				o.Hide()
				zw.win.Canvas().Overlays().Remove(o)
			}
		})
	}
	look("desk", func() { zw.selectCase(zw.queue.all[0]) }, nil)
	look("case page", func() { zw.dg.showCase(zw.queue.all[0].ID) }, func() bool { return len(zw.win.Canvas().Overlays().List()) > 0 })
	look("search", func() { zw.find(); zw.finder.state.SetSelectedIndex(4) }, func() bool { return len(zw.finder.rows) > 0 })
	look("statistics", func() { zw.dg.showStats("", zw.statGrids()) }, func() bool { return zw.dg.stats != nil })
	look("rankings", zw.dg.showKPI, func() bool { return len(zw.win.Canvas().Overlays().List()) > 0 })
	look("reviews", func() { zw.dg.reviews = nil; zw.dg.showReviews() }, func() bool {
		if zw.dg.reviews != nil && zw.dg.reviews.sel == "" {
			zw.dg.reviews.list.Select(0)
		}
		return zw.dg.reviews != nil
	})
	look("hotline form", zw.register, nil)
	look("settings", zw.dg.showSettings, nil)
	look("outbox", zw.dg.showOutbox, func() bool { return len(zw.win.Canvas().Overlays().List()) > 0 })
	look("entity page", func() { zw.dg.showEntity(zw.mapc.layers.entities[0].ID) }, func() bool { return len(zw.win.Canvas().Overlays().List()) > 0 })
	look("users", zw.dg.showUsers, func() bool { return len(zw.win.Canvas().Overlays().List()) > 0 })
	look("dispatch form", func() {
		for _, c := range zw.queue.all {
			if c.Status == domain.StatusRegistered {
				zw.detail.ask(c, workflow.Dispatch)
				return
			}
		}
	}, func() bool { return len(zw.win.Canvas().Overlays().List()) > 0 })
	look("notices", func() {
		zw.notices.add(notice{at: time.Now(), c: zw.queue.all[0]}, notice{at: time.Now(), overdue: true, c: zw.queue.all[1]})
		zw.notices.open()
	}, nil)
	var wall *wallWindow
	onUI(func() { zw.mapc.toggleWall(); wall = zw.mapc.wall })
	eventually(t, "the wall's figures", func() bool { var ok bool; onUI(func() { ok = wall.board.has }); return ok })
	onUI(func() {
		if words := englishIn(wall.win.Canvas().Content()); len(words) > 0 {
			t.Errorf("the Chinese wall shows English: %s", strings.Join(uniq(words), "; "))
		}
		wall.win.Close()
	})
}

func uniq(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// TestF11OnTheCanvas: F11 has no modifier, so Fyne's desktop driver fires no
// shortcut for it; the desk binds it on the canvas, entries and the map hand
// it on, and the wall closes with F11 or Esc. Esc closes the top dialog,
// as cancelled (the hotline form keeps its draft).
func TestF11OnTheCanvas(t *testing.T) {
	mw := offlineWindow(t)
	key := func(c fyne.Canvas, k fyne.KeyName) { onUI(func() { c.OnTypedKey()(&fyne.KeyEvent{Name: k}) }) }
	wallOpen := func() (open bool) { onUI(func() { open = mw.mapc.wall != nil }); return open }
	key(mw.win.Canvas(), fyne.KeyF11)
	if !wallOpen() {
		t.Fatal("F11 on the desk's canvas opened no wall")
	}
	var wc fyne.Canvas
	onUI(func() { wc = mw.mapc.wall.win.Canvas() })
	key(wc, fyne.KeyEscape)
	if wallOpen() {
		t.Fatal("Esc left the wall open")
	}
	onUI(func() { mw.queue.bar.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF11}) }) // typing in the search
	if !wallOpen() {
		t.Fatal("F11 in the search entry opened no wall")
	}
	onUI(func() { wc = mw.mapc.wall.win.Canvas(); mw.mapc.wall.m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF11}) }) // the wall's map has the focus
	if wallOpen() {
		t.Fatal("F11 on the wall's map left it open")
	}
	onUI(func() { mw.mapc.m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF11}) })
	if !wallOpen() {
		t.Fatal("F11 on the desk's map opened no wall")
	}
	onUI(func() { mw.mapc.wall.win.Close() })

	// Esc in the hotline form's text closes it and keeps a draft
	var rf *registerForm
	onUI(func() {
		mw.register()
		rf = mw.detail.lastRegister
		test.Type(rf.desc, "楼道里有人吸烟")
		rf.desc.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	})
	if n := overlayCount(mw); n != 0 {
		t.Errorf("Esc left %d dialogs open", n)
	}
	if dr, ok := mw.desk.Draft(draftNewCase); !ok || dr.Fields["description"] != "楼道里有人吸烟" {
		t.Errorf("no draft after Esc: %+v", dr)
	}

	// a tapped list or select takes the focus and gets every key: Esc
	// still closes its dialog, F11 still opens the wall
	for _, tc := range []struct {
		name    string
		focused func(cf *caseFinder) fyne.Focusable
	}{
		{"list", func(cf *caseFinder) fyne.Focusable { return cf.list }},
		{"state select", func(cf *caseFinder) fyne.Focusable { return cf.state }},
	} {
		onUI(func() {
			mw.find()
			tc.focused(mw.finder).TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		})
		if n := overlayCount(mw); n != 0 {
			t.Errorf("Esc in the case search's %s left %d dialogs open", tc.name, n)
		}
	}
	onUI(func() { mw.queue.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF11}) })
	if !wallOpen() {
		t.Error("F11 in the queue's list opened no wall")
	}
	onUI(func() { mw.mapc.wall.win.Close() })
}

// TestHotlineDraftSurvivesRestart: a form closed unsent is there again in
// the next desk on the same data directory, until it is discarded.
func TestHotlineDraftSurvivesRestart(t *testing.T) {
	newTestApp(t)
	dir := t.TempDir()
	open := func() *mainWindow {
		d, err := desk.Open(context.Background(), desk.Config{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		var mw *mainWindow
		onUI(func() {
			mw = newMainWindow(fyne.CurrentApp(), d)
			mw.win.Show()
		})
		return mw
	}
	mw := open()
	onUI(func() {
		mw.register()
		rf := mw.detail.lastRegister
		test.Type(rf.title, "噪音扰民")
		test.Type(rf.desc, "晚上十点后仍在施工")
		rf.urgent.SetChecked(true)
		mw.win.Close() // the desk closes with the form open
	})
	mw.desk.Close()
	mw = open()
	defer mw.desk.Close()
	onUI(func() {
		mw.register()
		rf := mw.detail.lastRegister
		if rf.title.Text != "噪音扰民" || rf.desc.Text != "晚上十点后仍在施工" || !rf.urgent.Checked || !rf.draft.Visible() {
			t.Errorf("after a restart the form holds %q, %q, urgent %v", rf.title.Text, rf.desc.Text, rf.urgent.Checked)
		}
		rf.clearFields()
		rf.fd.cancel()
	})
	if _, ok := mw.desk.Draft(draftNewCase); ok {
		t.Error("an emptied form kept its draft")
	}
}
