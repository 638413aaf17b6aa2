package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"griddesk/core/command"
	"griddesk/desk"
	"griddesk/desk/replica"
	"griddesk/domain"
	"griddesk/server"
	"griddesk/store"
)

// The pages in a real browser: Debian's chromium, headless, at a phone's
// 390×844, driven over the DevTools protocol by chromedp. The tests fail
// (never skip) without chromium: `make setup` installs it. Screenshots go
// to .cache/screens/web (kept for a person to look at).

const password = "field-password-1"

// town is the demo town served on loopback with its public URL.
type town struct {
	st  *store.Store
	srv *server.Server
	url string
}

// newTown serves a demo town of its own to one test.
func newTown(t testing.TB) *town {
	t.Helper()
	tw, closeTown, err := openTown(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeTown)
	return tw
}

// shared is one town for the tests that do not count what others add
// (seeding the town is most of their time).
var shared struct {
	once  sync.Once
	tw    *town
	close func()
	dir   string
	err   error
}

func sharedTown(t testing.TB) *town {
	t.Helper()
	shared.once.Do(func() {
		if shared.dir, shared.err = os.MkdirTemp("", "griddesk-web-"); shared.err == nil {
			shared.tw, shared.close, shared.err = openTown(shared.dir)
		}
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.tw
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.close != nil {
		shared.close()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// openTown seeds the demo town in dir and serves it on loopback with its
// public URL; every user's password is password.
func openTown(dir string) (*town, func(), error) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "town.db"), store.Options{Journal: true})
	if err != nil {
		return nil, nil, err
	}
	if _, err := server.Bootstrap(ctx, st, server.SeedTown, password, time.Now()); err != nil {
		return nil, nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	base := "http://" + l.Addr().String()
	srv, err := server.New(ctx, st, server.Options{PublicURL: base, MaxWait: 2 * time.Second})
	if err != nil {
		return nil, nil, err
	}
	users, err := st.Users(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, u := range users {
		if u.Username != "admin" {
			if err := srv.SetPassword(ctx, u.Username, password); err != nil {
				return nil, nil, err
			}
		}
	}
	ts := &httptest.Server{Listener: l, Config: &http.Server{Handler: srv.Handler()}}
	ts.Start()
	return &town{st: st, srv: srv, url: base}, func() { ts.Close(); st.Close() }, nil
}

func (tw *town) login(t *testing.T, user string) string {
	t.Helper()
	res, err := http.Post(tw.url+"/api/v1/login", "application/json", strings.NewReader(`{"username":"`+user+`","password":"`+password+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 200 {
		t.Fatalf("login %s: %d %v", user, res.StatusCode, err)
	}
	return out.Token
}

func (tw *town) get(t *testing.T, path, token string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", tw.url+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	return res, buf.Bytes()
}

// phone opens a headless chromium tab at 390×844 (a fresh profile each).
func phone(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed (Debian package chromium); make setup installs it")
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.UserDataDir(t.TempDir()), chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("lang", "zh-CN"), chromedp.Flag("accept-lang", "zh-CN,zh"), chromedp.Flag("force-device-scale-factor", "1"),
		chromedp.Env("TZ=Asia/Shanghai", "LANG=zh_CN.UTF-8", "FONTCONFIG_FILE="+fonts(t))}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1), chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{})
			return err
		})); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return ctx
}

// fonts is a fontconfig file that offers chromium the bundled Droid Sans
// Fallback (assets/fonts, for Chinese) and the Go fonts (Latin letters and
// digits, which Droid Sans Fallback lacks) and nothing of the host's, so the
// screenshots do not depend on the fonts a machine has.
func fonts(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "assets", "fonts"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	for name, ttf := range map[string][]byte{"Go-Regular.ttf": goregular.TTF, "Go-Bold.ttf": gobold.TTF} {
		if err := os.WriteFile(filepath.Join(tmp, name), ttf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	prefer := `<prefer><family>Go</family><family>Droid Sans Fallback</family></prefer>`
	conf := `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>` + dir + `</dir><dir>` + tmp + `</dir>` +
		`<cachedir>` + tmp + `</cachedir><alias><family>sans-serif</family>` + prefer + `</alias>` +
		`<alias><family>system-ui</family>` + prefer + `</alias></fontconfig>`
	p := filepath.Join(tmp, "fonts.conf")
	if err := os.WriteFile(p, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// step runs browser actions within a deadline, naming the step on failure.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(c, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// clickNow clicks the element sel names in one turn of the page's script:
// the unit list is drawn again whenever another test's case reaches the
// unit, and a node found by one DevTools call can be gone by the next.
func clickNow(sel string) chromedp.Action[chromedp.Void] {
	click := chromedp.Evaluate[bool](`(() => { const el = document.querySelector(` + strconv.Quote(sel) + `); if (!el) throw new Error("nothing is ` + strings.ReplaceAll(sel, `"`, `'`) + `"); el.click(); return true; })()`)
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := click(ctx, tg)
		return chromedp.Void{}, err
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(c, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// shot keeps a screenshot of the whole page for a person to look at; the
// phone app's (app- names) is the screen as the phone shows it.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	take := chromedp.FullScreenshot(100)
	if !strings.HasPrefix(name, "citizen") {
		take = chromedp.CaptureScreenshot()
	}
	png, err := chromedp.Run(c, take)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join("..", "..", ".cache", "screens", "web")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// offline cuts the tab's network (requests fail, navigator.onLine is
// false) or gives it back.
func offline(t *testing.T, ctx context.Context, off bool) {
	t.Helper()
	step(t, ctx, fmt.Sprintf("offline %v", off), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		conds := []*network.Conditions{}
		if off {
			conds = append(conds, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
		}
		if _, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: conds}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	}))
}

// photoFile writes a small JPEG (a phone photo stand-in) and returns its path.
func photoFile(t *testing.T, shade uint8) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for y := range 240 {
		for x := range 320 {
			img.Set(x, y, color.RGBA{shade, uint8(x), uint8(y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), fmt.Sprintf("site-%d.jpg", shade))
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// platesURL prints a grid's door plates, decodes their QR codes and
// returns the URLs they hold, as a phone's camera reads them.
func platesURLs(t *testing.T, tw *town, gridID string) []string {
	t.Helper()
	res, pdf := tw.get(t, "/api/v1/grids/"+gridID+"/plates.pdf", tw.login(t, "duty1"))
	if res.StatusCode != 200 {
		t.Fatalf("plates of %s: %d %s", gridID, res.StatusCode, pdf)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "plates.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", filepath.Join(dir, "plates.pdf"), filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
	out, err := exec.Command("zbarimg", append([]string{"-q", "--raw"}, pngs...)...).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	return strings.Fields(string(out))
}

// followDesk starts a desk signed in as user against the town.
func followDesk(t *testing.T, tw *town, user string) *desk.Desk {
	t.Helper()
	ctx := context.Background()
	d, err := desk.Open(ctx, desk.Config{DataDir: t.TempDir(), ServerURL: tw.url, User: user, Password: password, Wait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Start(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for d.Status().State != replica.StateOnline {
		if time.Now().After(deadline) {
			t.Fatalf("desk never came online: %+v", d.Status())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return d
}

// eventually polls cond until it holds (30 s at most).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func casesBySource(t *testing.T, st *store.Store, source string) []domain.Case {
	t.Helper()
	all, err := st.Cases(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []domain.Case
	for _, c := range all {
		if c.Source == source {
			out = append(out, c)
		}
	}
	return out
}

// TestCitizenScansPlate: a citizen's phone reads a plate's QR code from the
// desk's door-plate PDF, opens the page, reads the shop's code and duties,
// sends a bad form (told what is wrong, nothing stored), then a complaint
// with a photo and a phone number, which a duty officer's desk receives as a
// case with source public; the number reaches staff only.
func TestCitizenScansPlate(t *testing.T) {
	tw := sharedTown(t)
	ctx := context.Background()
	ents, err := tw.st.Entities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var e domain.Entity
	for _, x := range ents {
		if x.Code == domain.CodeRed && x.GridID != "" {
			e = x
			break
		}
	}
	urls := platesURLs(t, tw, e.GridID)
	link := tw.url + "/p/" + e.QRToken
	if !slices.Contains(urls, link) {
		t.Fatalf("the plates of grid %s hold %d codes, not %s: %v", e.GridID, len(urls), link, urls[:min(3, len(urls))])
	}
	duty := followDesk(t, tw, "duty1")

	b := phone(t)
	step(t, b, "open the plate", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#complain")))
	if got := text(t, b, "h1"); got != e.Name {
		t.Errorf("the page names %q, want %q", got, e.Name)
	}
	if got := text(t, b, "#code .big"); !strings.Contains(got, "红码") {
		t.Errorf("code shows %q, want 红码", got)
	}
	if got := text(t, b, "#duties"); !strings.Contains(got, "依据") {
		t.Errorf("the responsibility list has no legal basis: %q", got)
	}
	shot(t, b, "citizen-plate")
	step(t, b, "in English", chromedp.Navigate(link+"?lang=en"), chromedp.WaitVisible(chromedp.CSS("#complain")))
	if got := text(t, b, "#code .big"); !strings.Contains(got, "Red code") {
		t.Errorf("in English the code shows %q", got)
	}
	shot(t, b, "citizen-plate-en")
	step(t, b, "back in Chinese", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#complain")))

	before := len(casesBySource(t, tw.st, domain.SourcePublic))
	seq, err := tw.st.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	step(t, b, "send a bad form",
		chromedp.SetValue(chromedp.CSS("#text"), "x"), chromedp.SetValue(chromedp.CSS("#phone"), "call me"),
		chromedp.Click(chromedp.CSS("#send")), chromedp.WaitVisible(chromedp.CSS("#failed")))
	if got := text(t, b, "#err-text"); !strings.Contains(got, "两个字") {
		t.Errorf("text error %q", got)
	}
	if got := text(t, b, "#err-phone"); !strings.Contains(got, "电话号码") {
		t.Errorf("phone error %q", got)
	}
	shot(t, b, "citizen-bad-input")
	if n := len(casesBySource(t, tw.st, domain.SourcePublic)); n != before {
		t.Fatalf("a refused form stored %d cases", n-before)
	}

	step(t, b, "complain",
		chromedp.SetValue(chromedp.CSS("#category"), "fire_hazard"),
		chromedp.SetValue(chromedp.CSS("#text"), "后门消防通道堆满纸箱，晚上还有人在里面抽烟"),
		chromedp.SetValue(chromedp.CSS("#phone"), "138 0013 8000"),
		chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{photoFile(t, 90)}),
		chromedp.Click(chromedp.CSS("#send")), chromedp.WaitVisible(chromedp.CSS("#sent")))
	shot(t, b, "citizen-sent")
	got := casesBySource(t, tw.st, domain.SourcePublic)
	if len(got) != before+1 {
		t.Fatalf("%d public cases, want %d", len(got), before+1)
	}
	c := got[0]
	if !strings.Contains(text(t, b, "#sent"), c.No) || c.EntityID != e.ID || c.Category != "fire_hazard" || c.Status != domain.StatusReported {
		t.Errorf("case %+v", c)
	}
	if html := eval[string](t, b, "document.documentElement.outerHTML"); strings.Contains(html, "13800138000") || strings.Contains(html, "0013") {
		t.Error("the public page shows the phone number")
	}
	eventually(t, "the desk shows the complaint", func() bool {
		dc, err := duty.Case(ctx, c.ID)
		return err == nil && dc.Source == domain.SourcePublic
	})
	detail, err := duty.Detail(ctx, c.ID, time.Now())
	if err != nil || len(detail.Timeline) == 0 || len(detail.Timeline[0].Photos) != 1 {
		t.Errorf("the desk's timeline of the complaint: %+v %v", detail.Timeline, err)
	}
	// the desk prints and opens the same codes, old ones too
	if got := duty.PublicURL(ctx); got != tw.url {
		t.Errorf("the desk's public URL is %q, want %q", got, tw.url)
	}
	ins, _ := tw.st.Inspections(ctx, e.ID)
	for _, tc := range []struct {
		text       string
		entity     string
		inspection string
	}{
		{link, e.ID, ""},
		{"griddesk://entity/" + e.QRToken, e.ID, ""},
		{"https://old.example.cn/grid/p/" + e.QRToken + "/notice", e.ID, ""},
		{link + "/i/" + ins[len(ins)-1].ID, e.ID, ins[len(ins)-1].ID},
		{"griddesk://inspection/" + ins[0].ID, e.ID, ins[0].ID},
		{"https://example.cn/about", "", ""},
		{tw.url + "/p/0000000000000000", "", ""},
	} {
		l, err := duty.OpenLink(ctx, tc.text)
		if l.EntityID != tc.entity || l.InspectionID != tc.inspection || (tc.entity == "") != (err != nil) {
			t.Errorf("the desk opens %s as %+v, %v", tc.text, l, err)
		}
	}
	for user, want := range map[string]int{"duty1": 200, "admin": 200, "member-fire": 403, "grid01": 403} {
		res, body := tw.get(t, "/api/v1/cases/"+c.ID+"/contact", tw.login(t, user))
		if res.StatusCode != want || (want == 200 && !strings.Contains(string(body), "13800138000")) {
			t.Errorf("%s reads the contact: %d %s, want %d", user, res.StatusCode, body, want)
		}
	}
	// the duty officer's feed carries the case (a unit member's carries
	// only their unit's tasks), never the phone number
	res, feed := tw.get(t, fmt.Sprintf("/api/v1/changes?after=%d&limit=1000&wait=0", seq), tw.login(t, "duty1"))
	if res.StatusCode != 200 || !bytes.Contains(feed, []byte(c.ID)) || bytes.Contains(feed, []byte("13800138000")) {
		t.Errorf("the change feed carries the phone number, or not the case (%d)", res.StatusCode)
	}
	// the duty officer's desk shows it with the case's callers (asked of
	// the server), so the callback after closing reaches the citizen
	m, err := duty.CaseMore(ctx, c.ID)
	if err != nil || !slices.ContainsFunc(m.Callers, func(cl domain.Caller) bool { return cl.Phone == "13800138000" }) {
		t.Errorf("the duty officer's desk shows the callers %+v, %v; want the complainant's phone", m.Callers, err)
	}
}

// TestGridWorkerOffline: a grid worker signs in on the phone, opens a visit
// planned today, loses the network, records the inspection with a failed
// item, a hazard and a photo (kept in the browser, shown as pending), gets
// the network back: it lands once, and the same bytes sent again are a
// duplicate.
func TestGridWorkerOffline(t *testing.T) {
	tw := sharedTown(t)
	ctx := context.Background()
	e, worker := servedEntity(t, tw.st)
	day := time.Now()
	err := tw.st.Update(ctx, func(tx *store.Tx) error {
		p := domain.Plan{ID: "P-TODAY", Title: "今日巡查", TeamID: worker.UnitID, Start: day.Add(-time.Hour), End: day.Add(24 * time.Hour), PublishedAt: day}
		if err := tx.PutPlan(&p); err != nil {
			return err
		}
		return tx.PutVisit(&domain.Visit{ID: "V-TODAY-1", PlanID: p.ID, TeamID: worker.UnitID, EntityID: e.ID, Day: day, Seq: 1, Minutes: 8, Status: domain.VisitPlanned})
	})
	if err != nil {
		t.Fatal(err)
	}
	b := phone(t)
	step(t, b, "sign in", chromedp.Navigate(tw.url+"/m/"), chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), worker.Username), chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("#signin")), chromedp.WaitVisible(chromedp.CSS("#visits li a")))
	if got := text(t, b, "#visits"); !strings.Contains(got, e.Name) {
		t.Fatalf("today's visits %q lack %s", got, e.Name)
	}
	shot(t, b, "worker-today")
	step(t, b, "open the checklist", chromedp.Click(chromedp.CSS("#visits li a")), chromedp.WaitVisible(chromedp.CSS("#checklist")))

	offline(t, b, true)
	n := eval[int](t, b, `(() => {
		const rows = document.querySelectorAll("#checklist .item");
		rows.forEach((r, i) => { r.querySelector('input[value="' + (i === 0 ? "fail" : "pass") + '"]').click(); });
		rows[0].querySelector(".note").value = "灭火器压力不足";
		return rows.length; })()`)
	if n == 0 {
		t.Fatal("the checklist has no items")
	}
	shot(t, b, "worker-checklist-offline")
	step(t, b, "submit offline", chromedp.SetUploadFiles(chromedp.CSS("#photos"), []string{photoFile(t, 30)}),
		chromedp.Click(chromedp.CSS("#submit")), chromedp.WaitVisible(chromedp.CSS("#queued")))
	eventually(t, "the pending badge", func() bool { return strings.Contains(text(t, b, "#queue"), "待发送 1") })
	if got := text(t, b, "#net"); got != "离线" {
		t.Errorf("network badge %q, want 离线", got)
	}
	step(t, b, "show the queue", chromedp.Click(chromedp.CSS("#queue")))
	shot(t, b, "worker-offline-pending")
	body := eval[string](t, b, `new Promise((ok) => { const r = indexedDB.open("griddesk"); r.onsuccess = () => {
		const g = r.result.transaction("outbox").objectStore("outbox").getAll(); g.onsuccess = () => ok(g.result[0].body); }; })`)
	if ins, _ := tw.st.Inspections(ctx, e.ID); slices.ContainsFunc(ins, func(in domain.Inspection) bool { return in.Inspector == worker.ID }) {
		t.Fatal("an inspection landed while the phone was offline")
	}

	offline(t, b, false)
	drained := false
	for range 150 {
		if drained = strings.Contains(text(t, b, "#queue"), "已全部发送"); drained {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !drained {
		t.Fatalf("the queue never drained: %q, %q, online %q", text(t, b, "#queue"), text(t, b, "#outbox"), text(t, b, "#net"))
	}
	shot(t, b, "worker-back-online")
	ins, err := tw.st.Inspections(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	var mine []domain.Inspection
	for _, in := range ins {
		if in.Inspector == worker.ID {
			mine = append(mine, in)
		}
	}
	if len(mine) != 1 || len(mine[0].Photos) != 1 || len(mine[0].Results) != n {
		t.Fatalf("inspections by the worker: %+v", mine)
	}
	fs, _ := tw.st.FindingsOf(ctx, mine[0].ID)
	if len(fs) != 1 || fs[0].Description != "灭火器压力不足" {
		t.Errorf("hazards %+v", fs)
	}
	again := eval[string](t, b, `fetch("/api/v1/commands", {method: "POST", headers: {"Content-Type": "application/json",
		Authorization: "Bearer " + localStorage.getItem("griddesk.token")}, body: `+jsString(body)+`}).then(r => r.json()).then(j => j.results[0].status)`)
	if again != string(domain.Duplicate) {
		t.Errorf("the same bytes again: %s, want duplicate", again)
	}
	if ins2, _ := tw.st.Inspections(ctx, e.ID); len(ins2) != len(ins) {
		t.Errorf("sending again made %d more inspections", len(ins2)-len(ins))
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// servedEntity is an entity and the grid worker whose station serves it.
func servedEntity(t *testing.T, st *store.Store) (domain.Entity, domain.User) {
	t.Helper()
	ctx := context.Background()
	ents, _ := st.Entities(ctx)
	units, _ := st.Units(ctx)
	users, _ := st.Users(ctx)
	grids, _ := st.Grids(ctx)
	parent := map[string]string{}
	for _, g := range grids {
		parent[g.ID] = g.ParentID
	}
	for _, e := range ents {
		if e.Kind != domain.KindShop {
			continue
		}
		for g := e.GridID; g != ""; g = parent[g] {
			for _, u := range units {
				if u.Kind == domain.UnitStation && slices.Contains(u.GridIDs, g) {
					for _, w := range users {
						if w.Role == domain.RoleReporter && w.UnitID == u.ID {
							return e, w
						}
					}
				}
			}
		}
	}
	t.Fatal("no grid worker serves a shop")
	return domain.Entity{}, domain.User{}
}

// TestUnitMemberTakesCase: a duty officer's desk registers a fire hazard
// and dispatches it to the fire station; the station's member sees it on
// the phone with its 333 clocks, accepts, arrives, gives feedback and
// handles it with a photo, and the desk sees each step and its clocks stop.
func TestUnitMemberTakesCase(t *testing.T) {
	tw := sharedTown(t)
	ctx := context.Background()
	d := followDesk(t, tw, "duty1")
	id := uuid.NewString()
	if _, err := d.Do(ctx, command.CaseRegister, command.CaseArgs{CaseID: id, New: &command.NewCase{Title: "菜场西门液化气钢瓶露天堆放",
		Category: "fire_hazard", Priority: domain.PriorityUrgent, Lon: 120.25, Lat: 30.06}}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Do(ctx, command.CaseDispatch, command.CaseArgs{CaseID: id, UnitID: "D-FIRE"}, 1); err != nil {
		t.Fatal(err)
	}
	status := func() domain.CaseStatus {
		c, err := tw.st.Case(ctx, id)
		if err != nil {
			return ""
		}
		return c.Status
	}
	eventually(t, "the dispatch reaches the server", func() bool { return status() == domain.StatusDispatched })
	clocks := func() map[string]bool { // clock name → running
		cd, err := d.Detail(ctx, id, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, c := range cd.Clocks {
			out[c.Clock] = c.Running
		}
		return out
	}
	if !clocks()["arrive"] {
		t.Fatalf("the desk's arrive clock is not running after dispatch: %v", clocks())
	}

	b := phone(t)
	card := `#tasks li[data-case="` + id + `"]`
	step(t, b, "sign in", chromedp.Navigate(tw.url+"/m/"), chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), "member-fire"), chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("#signin")), chromedp.WaitVisible(chromedp.CSS(card)))
	if got := text(t, b, card+" .clock"); !strings.Contains(got, "剩余") && !strings.Contains(got, "超时") {
		t.Errorf("the card's clock reads %q", got)
	}
	step(t, b, "scroll to the case", chromedp.ScrollIntoView(chromedp.CSS(card)))
	shot(t, b, "unit-dispatched")
	deskSees := func(want domain.CaseStatus) {
		t.Helper()
		eventually(t, "the desk sees "+string(want), func() bool {
			c, err := d.Case(ctx, id)
			return err == nil && c.Status == want
		})
	}
	press := func(action string, want domain.CaseStatus) {
		t.Helper()
		step(t, b, action, clickNow(card+` button[data-action="`+action+`"]`))
		deskSees(want)
		// the card is drawn again when the step has reached the server and
		// the list is read back: wait for that, not the optimistic card
		step(t, b, "card shows "+string(want), chromedp.WaitVisible(chromedp.CSS(card+`[data-status="`+string(want)+`"][data-pending="no"] .actions`)))
	}
	press("accept", domain.StatusAccepted)
	press("arrive", domain.StatusOnSite)
	if c := clocks(); c["arrive"] {
		t.Errorf("the desk's arrive clock still runs on site: %v", c)
	}
	step(t, b, "scroll to the case", chromedp.ScrollIntoView(chromedp.CSS(card)))
	shot(t, b, "unit-on-site")
	step(t, b, "feedback", chromedp.SendKeys(chromedp.CSS(card+" .note"), "已到场，钢瓶正在清点转移"))
	press("feedback", domain.StatusOnSite)
	step(t, b, "handle", chromedp.SendKeys(chromedp.CSS(card+" .note"), "钢瓶已全部移入专用仓库"),
		chromedp.SetUploadFiles(chromedp.CSS(card+" .photos"), []string{photoFile(t, 200)}))
	step(t, b, "handled", clickNow(card+` button[data-action="handle"]`))
	deskSees(domain.StatusHandled)
	shot(t, b, "unit-handled")
	cd, err := d.Detail(ctx, id, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	photos := 0
	for _, a := range cd.Timeline {
		steps = append(steps, a.Action.Action)
		photos += len(a.Photos)
	}
	if want := []string{"register", "dispatch", "accept", "arrive", "feedback", "handle"}; !slices.Equal(steps, want) || photos != 1 {
		t.Errorf("the desk's timeline %v with %d photos, want %v with 1", steps, photos, want)
	}
	for _, c := range cd.Clocks {
		if c.Running && c.Clock != "close" {
			t.Errorf("clock %s still runs after handling", c.Clock)
		}
	}
	_ = browser.PermissionTypeGeolocation
}
