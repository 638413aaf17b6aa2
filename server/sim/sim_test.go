package sim

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/paulmach/orb"

	"griddesk/core/command"
	"griddesk/domain"
	"griddesk/domain/clock"
	"griddesk/server"
	"griddesk/store"
	"griddesk/store/storetest"
)

// fakeClock is the simulated clock the test moves by hand; the server and
// the simulator both read it.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// testStart is a Tuesday in March 2026, midnight in Shanghai.
var testStart = time.Date(2026, 3, 10, 0, 0, 0, 0, clock.Location())

type run struct {
	t   *testing.T
	st  *store.Store
	srv *server.Server
	clk *fakeClock
	sim *Sim
}

// Every test of the simulator runs on SQLite and on PostgreSQL.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// townCopy is a copy of the demo town bootstrapped at testStart (once per
// engine).
func townCopy(t *testing.T) string {
	t.Helper()
	return storetest.Copy(t, "town", func(ctx context.Context, st *store.Store) error {
		_, err := server.Bootstrap(ctx, st, server.SeedTown, "correct-horse-battery", testStart)
		return err
	})
}

// newRun opens a copy of the demo town and a simulator over it, the
// server and the simulator on the same hand-moved clock.
func newRun(t *testing.T, seed uint64, start time.Time) *run {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, townCopy(t), store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &fakeClock{t: start}
	srv, err := server.New(ctx, st, server.Options{Now: clk.Now, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	s := New(srv, st, Options{Seed: seed, Now: clk.Now, Logger: quiet})
	return &run{t: t, st: st, srv: srv, clk: clk, sim: s}
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// stepTo steps the simulation minute by minute up to end, calling each
// (if set) after every step.
func (r *run) stepTo(end time.Time, each func(now time.Time)) {
	r.t.Helper()
	for now := r.clk.Now(); !now.After(end); now = now.Add(time.Minute) {
		r.clk.set(now)
		if err := r.sim.Step(now); err != nil {
			r.t.Fatalf("step %s: %v", now.Format(time.DateTime), err)
		}
		if each != nil {
			each(now)
		}
	}
	r.clk.set(end)
}

// digest summarizes every case and timeline, leaving out the server's
// random IDs (case IDs and report actions).
func (r *run) digest() string {
	r.t.Helper()
	ctx := context.Background()
	cases, err := r.st.Cases(ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].No < cases[j].No })
	h := sha256.New()
	for _, c := range cases {
		fmt.Fprintf(h, "%s|%s|%s|%s|%s|%.7f|%.7f|%s|%s|%s|%s|%s|%s|%d|%d\n", c.No, c.Title, c.Description, c.Category, c.Source,
			c.Lon, c.Lat, c.GridID, c.EntityID, c.Status, c.Priority, c.UnitID, c.Reporter, c.ReportedAt.UnixMilli(), c.Version)
		tl, err := r.st.Timeline(ctx, c.ID)
		if err != nil {
			r.t.Fatal(err)
		}
		for _, a := range tl {
			id := a.ID
			if a.Action == "report" {
				id = ""
			}
			fmt.Fprintf(h, "  %s|%s|%s|%s|%s|%d|%s\n", id, a.Action, a.FromStatus, a.ToStatus, a.Actor, a.At.UnixMilli(), a.Note)
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestSimulatedDay(t *testing.T) {
	ctx := context.Background()
	r := newRun(t, 42, testStart)
	end := testStart.Add(24 * time.Hour)

	var morning string
	r.stepTo(end, func(now time.Time) {
		if now.Sub(testStart) == 9*time.Hour {
			morning = r.digest()
		}
	})
	stats := r.sim.Stats()
	t.Logf("stats: %+v", stats)

	// new cases: about 139 a day, from all three sources
	cases, err := r.st.Cases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var day []domain.Case
	sources := map[string]int{}
	for _, c := range cases {
		if !c.ReportedAt.Before(testStart) {
			day = append(day, c)
			sources[c.Source]++
		}
	}
	t.Logf("%d new cases, by source %v", len(day), sources)
	if len(day) < 99 || len(day) > 179 {
		t.Errorf("%d new cases in a day, want 139 ± 40", len(day))
	}
	if stats.Reported+stats.Called != len(day) {
		t.Errorf("stats count %d+%d new cases, the store %d", stats.Reported, stats.Called, len(day))
	}
	for _, src := range []string{domain.SourceGridWorker, domain.SourceHotline, domain.SourceSensor} {
		if sources[src] == 0 {
			t.Errorf("no case from %s", src)
		}
	}
	if stats.Called == 0 {
		t.Error("no hotline call registered at the desk")
	}
	if stats.Rejected != 0 || stats.Errors != 0 {
		t.Errorf("%d commands rejected, %d errors; want none", stats.Rejected, stats.Errors)
	}

	// every state and every kind of step happens; timelines are consistent
	states, actions := map[domain.CaseStatus]int{}, map[string]int{}
	lights, running := map[clock.Light]int{}, map[clock.Light]int{}
	var stepped []domain.Action // every action after the start but reports, and those a command wrote besides its own
	for _, c := range cases {
		tl, err := r.st.Timeline(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		prev := domain.CaseStatus("")
		for i, a := range tl {
			if !a.At.Before(testStart) {
				// a merge also writes on the case merged into (id/in), a
				// close on the reports merged into it (id/m1 …)
				if a.Action != "report" && !strings.Contains(a.ID, "/") {
					stepped = append(stepped, a)
				}
				states[a.ToStatus]++
				actions[a.Action]++
			}
			if i > 0 && a.FromStatus != prev {
				t.Errorf("case %s: %s from %q follows a step to %q", c.No, a.Action, a.FromStatus, prev)
			}
			if i > 0 && a.At.Before(tl[i-1].At) {
				t.Errorf("case %s: %s at %s before the step before it", c.No, a.Action, a.At)
			}
			prev = a.ToStatus
		}
		if c.ReportedAt.Before(testStart) {
			continue
		}
		if prev != c.Status {
			t.Errorf("case %s is %s, its timeline ends in %s", c.No, c.Status, prev)
		}
		p, _ := clock.PolicyByName(c.Policy)
		evs := events(tl)
		for _, s := range p.Evaluate(nil, evs, end) {
			lights[s.Light]++
		}
		// what the desk showed while the day went by: the lights of the
		// running clocks, minute by minute (Evaluate ignores later events)
		for now := c.ReportedAt; !now.After(end); now = now.Add(time.Minute) {
			for _, s := range p.Evaluate(nil, evs, now) {
				if s.Running {
					running[s.Light]++
				}
			}
		}
	}
	t.Logf("states reached: %v", states)
	t.Logf("actions: %v", actions)
	t.Logf("clock lights at the end of the day: %v; running clocks minute by minute: %v", lights, running)
	for _, s := range []domain.CaseStatus{domain.StatusReported, domain.StatusRegistered, domain.StatusRejected, domain.StatusDispatched,
		domain.StatusAccepted, domain.StatusOnSite, domain.StatusHandled, domain.StatusClosed, domain.StatusEvaluated, domain.StatusDeferred} {
		if states[s] == 0 {
			t.Errorf("no case reached %s", s)
		}
	}
	for _, a := range []string{"return", "verify_fail", "resume", "feedback", "reject", "urge", "supervise", "merge", "merge_in", "callback", "callback_missed"} {
		if actions[a] == 0 {
			t.Errorf("no %s in the day", a)
		}
	}
	for _, l := range []clock.Light{clock.LightGreen, clock.LightYellow, clock.LightRed} {
		if lights[l] == 0 {
			t.Errorf("no %s clock at the end of the day", l)
		}
		if running[l] == 0 {
			t.Errorf("no running %s clock during the day", l)
		}
	}

	// every step is one applied command in the audit log and in the change feed
	audit, err := r.st.AuditLog(ctx, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]domain.CommandRecord{}
	for _, rec := range audit {
		if _, dup := seen[rec.ID]; dup {
			t.Errorf("command %s recorded twice", rec.ID)
		}
		seen[rec.ID] = rec
		if rec.Status != domain.Applied {
			t.Errorf("command %s %s: %s %s", rec.ID, rec.Type, rec.Status, rec.Problem)
		}
		if rec.IssuedAt.After(rec.ReceivedAt) {
			t.Errorf("command %s issued at %s, after the server got it at %s", rec.ID, rec.IssuedAt, rec.ReceivedAt)
		}
	}
	if len(audit) != stats.Applied || len(audit) != len(stepped) {
		t.Errorf("%d audit records, %d applied commands, %d steps in the timelines", len(audit), stats.Applied, len(stepped))
	}
	feed := map[string]bool{}
	for after := int64(0); ; {
		cs, last, more, err := r.st.Changes(ctx, after, 5000)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range cs {
			if ch.Kind == domain.KindCaseAction {
				feed[ch.ID] = true
			}
		}
		after = last
		if !more {
			break
		}
	}
	for _, a := range stepped {
		if _, ok := seen[a.ID]; !ok {
			t.Errorf("case action %s (%s at %s) has no audit record", a.ID, a.Action, a.At)
		}
		if !feed[a.ID] {
			t.Errorf("case action %s (%s) is not in the change feed", a.ID, a.Action)
		}
	}

	// the same seed and steps make the same day; another seed another one
	again := newRun(t, 42, testStart)
	again.stepTo(testStart.Add(9*time.Hour), nil)
	if got := again.digest(); got != morning {
		t.Error("two runs with the same seed differ")
	}
	other := newRun(t, 43, testStart)
	other.stepTo(testStart.Add(9*time.Hour), nil)
	if got := other.digest(); got == morning {
		t.Error("seeds 42 and 43 made the same morning")
	}
}

// TestRun drives a server in real time at 2 simulated hours a second, both
// on one sim.Clock, then checks that a server on another clock is refused.
func TestRun(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, townCopy(t), store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	start := testStart.Add(9 * time.Hour)
	clk := NewClock(start, 7200)
	srv, err := server.New(ctx, st, server.Options{Now: clk.Now, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	s := New(srv, st, Options{Speed: 7200, Seed: 5, Now: clk.Now, Logger: slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn})), IgnoreBacklog: true})
	runCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	go func() { // stop once the simulator has done three simulated hours (about 1.5 s; more
		// when the machine is busy or the store is across a socket: it may lag the clock)
		for runCtx.Err() == nil && (clk.Now().Before(start.Add(3*time.Hour)) || s.Stats().Now.Before(start.Add(2*time.Hour))) {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	began := time.Now()
	if err := s.Run(runCtx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	stats := s.Stats()
	t.Logf("%s of simulated time in %s: %+v", stats.Now.Sub(stats.Start).Round(time.Minute), time.Since(began).Round(time.Millisecond), stats)
	if d := stats.Now.Sub(stats.Start); d < 2*time.Hour {
		t.Errorf("Run simulated %s of the three hours", d)
	}
	if stats.Reported+stats.Called < 5 || stats.Applied < 20 {
		t.Errorf("a busy morning made %d cases and %d steps", stats.Reported+stats.Called, stats.Applied)
	}
	if stats.Rejected != 0 || stats.Errors != 0 {
		t.Errorf("%d rejected, %d errors", stats.Rejected, stats.Errors)
	}

	// a server on the wall clock, a simulator an hour a second ahead of it
	wall, err := server.New(ctx, st, server.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	later := midnight(time.Now().Add(72 * time.Hour)).Add(10 * time.Hour) // a busy morning
	ahead := New(wall, st, Options{Speed: 3600, Seed: 6, Now: NewClock(later, 3600).Now, Logger: quiet, IgnoreBacklog: true})
	runCtx2, cancel2 := context.WithTimeout(ctx, 10*time.Second)
	defer cancel2()
	if err := ahead.Run(runCtx2); !errors.Is(err, ErrClock) {
		t.Errorf("Run against a server on another clock: %v, want ErrClock", err)
	}
}

// TestHumanDuty leaves the duty desk to a person (the test) and checks that
// the simulated units work what the person dispatches, and nothing more.
func TestHumanDuty(t *testing.T) {
	ctx := context.Background()
	start := testStart.Add(8 * time.Hour)
	r := newRun(t, 11, start)
	r.sim.opts.HumanDuty = true
	duty, _, err := r.st.UserByName(ctx, "duty1")
	if err != nil {
		t.Fatal(err)
	}
	var called string
	human := func(now time.Time) {
		do := func(typ string, args command.CaseArgs, base int64) {
			cmd, err := command.New(typ, args, base, now)
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.srv.Apply(ctx, cmd, duty, "desk")
			if err != nil || res.Status != domain.Applied {
				t.Fatalf("the desk's %s: %v %+v", typ, err, res.Problem)
			}
		}
		if now.Equal(start.Add(30 * time.Minute)) { // a call at the desk
			called = uuid.NewString()
			do(command.CaseRegister, command.CaseArgs{CaseID: called, New: &command.NewCase{Title: "楼道堆放杂物堵塞通道",
				Category: "fire_hazard", Lon: 120.25, Lat: 30.06}}, 0)
		}
		if now.Minute()%5 != 0 {
			return
		}
		open, err := r.st.OpenCases(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range open {
			cat, _ := domain.CategoryByKey(c.Category)
			pass := true
			switch c.Status {
			case domain.StatusReported:
				do(command.CaseRegister, command.CaseArgs{CaseID: c.ID}, c.Version)
			case domain.StatusRegistered:
				do(command.CaseDispatch, command.CaseArgs{CaseID: c.ID, UnitID: r.sim.w.unitFor(cat, orb.Point{c.Lon, c.Lat})}, c.Version)
			case domain.StatusHandled:
				do(command.CaseVerify, command.CaseArgs{CaseID: c.ID, Passed: &pass}, c.Version)
			}
		}
	}
	r.stepTo(start.Add(3*time.Hour), human)
	stats := r.sim.Stats()
	t.Logf("%+v", stats)
	if stats.Rejected != 0 || stats.Errors != 0 {
		t.Errorf("%d rejected, %d errors", stats.Rejected, stats.Errors)
	}
	if stats.Called != 0 {
		t.Errorf("the simulator registered %d calls itself", stats.Called)
	}
	audit, err := r.st.AuditLog(ctx, 100000)
	if err != nil {
		t.Fatal(err)
	}
	byType := map[string]int{}
	for _, rec := range audit {
		if rec.Status != domain.Applied {
			t.Errorf("%s %s from %s: %s", rec.Type, rec.ID, rec.Remote, rec.Status)
		}
		if rec.Remote != remote {
			continue
		}
		byType[rec.Type]++
		switch rec.Type {
		case command.CaseAccept, command.CaseReturn, command.CaseArrive, command.CaseFeedback, command.CaseHandle:
		default:
			t.Errorf("the simulator issued %s, a duty officer's step", rec.Type)
		}
	}
	t.Logf("the units' steps: %v", byType)
	if byType[command.CaseAccept] == 0 || byType[command.CaseHandle] == 0 {
		t.Error("the units did not accept and handle what the desk dispatched")
	}
	tl, err := r.st.Timeline(ctx, called)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, a := range tl {
		steps = append(steps, a.Action)
	}
	if len(steps) < 4 || steps[2] != "accept" {
		t.Errorf("the call registered at the desk went %v, want register, dispatch, accept …", steps)
	}
}

// testLog sends log lines to the test's log.
type testLog struct{ t *testing.T }

func (w testLog) Write(b []byte) (int, error) {
	w.t.Log(string(b))
	return len(b), nil
}

func events(tl []domain.Action) []clock.Event {
	out := make([]clock.Event, len(tl))
	for i, a := range tl {
		out[i] = clock.Event{At: a.At, Action: a.Action, State: a.ToStatus}
	}
	return out
}
