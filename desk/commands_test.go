package desk_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"griddesk/core/command"
	"griddesk/desk"
	"griddesk/desk/replica"
	"griddesk/domain"
	"griddesk/domain/workflow"
	"griddesk/server"
	"griddesk/server/demo"
	"griddesk/store"
)

const deskPW = "desk-password-1"

type townServer struct {
	st  *store.Store
	srv *server.Server
	ts  *httptest.Server
}

func newTownServer(t *testing.T, seed string) *townServer {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "server.db"), store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.Bootstrap(ctx, st, seed, deskPW, time.Now()); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ctx, st, server.Options{MaxWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if seed == server.SeedTown {
		for _, u := range []string{"duty1", "duty2", "auditor"} {
			if err := srv.SetPassword(ctx, u, deskPW); err != nil {
				t.Fatal(err)
			}
		}
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); st.Close() })
	return &townServer{st: st, srv: srv, ts: ts}
}

// switchable is a transport that can be cut off like a network cable.
type switchable struct {
	down atomic.Bool
	rt   http.RoundTripper
}

func (s *switchable) RoundTrip(r *http.Request) (*http.Response, error) {
	if s.down.Load() {
		return nil, errors.New("network is unreachable (test)")
	}
	return s.rt.RoundTrip(r)
}

func startDesk(t *testing.T, url, user string, rt http.RoundTripper) *desk.Desk {
	t.Helper()
	d, err := desk.Open(context.Background(), desk.Config{DataDir: t.TempDir(), ServerURL: url, User: user, Password: deskPW, Transport: rt, Wait: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Start(context.Background(), "", ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the desk to sync", 60*time.Second, func() bool { return d.Status().State == "online" && d.Status().Cursor > 0 })
	return d
}

func waitFor(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func caseIn(t *testing.T, st *store.Store, status domain.CaseStatus, skip int) domain.Case {
	t.Helper()
	cs, err := st.Cases(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Status == status {
			if skip == 0 {
				return c
			}
			skip--
		}
	}
	t.Fatalf("no case in state %s", status)
	return domain.Case{}
}

func localCase(t *testing.T, d *desk.Desk, id string) domain.Case {
	t.Helper()
	c, err := d.Case(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func do(t *testing.T, d *desk.Desk, typ string, a command.CaseArgs) domain.Command {
	t.Helper()
	c := localCase(t, d, a.CaseID)
	cmd, err := d.Do(context.Background(), typ, a, c.Version)
	if err != nil {
		t.Fatalf("%s %s: %v", typ, a.CaseID, err)
	}
	return cmd
}

func TestCommandsWalkTheLoopAndAreAudited(t *testing.T) {
	ts := newTownServer(t, server.SeedTown)
	d := startDesk(t, ts.ts.URL, "duty1", nil)
	c := caseIn(t, ts.st, domain.StatusRegistered, 0)
	passed := true
	steps := []struct {
		typ  string
		args command.CaseArgs
		want domain.CaseStatus
	}{
		{command.CaseDispatch, command.CaseArgs{UnitID: "D-LAW"}, domain.StatusDispatched},
		{command.CaseAccept, command.CaseArgs{}, domain.StatusAccepted},
		{command.CaseArrive, command.CaseArgs{}, domain.StatusOnSite},
		{command.CaseHandle, command.CaseArgs{Note: "已清理", Photos: []string{"after.jpg"}}, domain.StatusHandled},
		{command.CaseVerify, command.CaseArgs{Passed: &passed}, domain.StatusClosed},
		{command.CaseEvaluate, command.CaseArgs{Satisfaction: domain.Satisfied}, domain.StatusEvaluated},
	}
	var ids []string
	for _, s := range steps {
		s.args.CaseID = c.ID
		cmd := do(t, d, s.typ, s.args)
		ids = append(ids, cmd.ID)
		if got := localCase(t, d, c.ID).Status; got != s.want {
			t.Fatalf("after %s the desk shows %s, want %s at once", s.typ, got, s.want)
		}
	}
	waitFor(t, "the outbox to drain", 20*time.Second, func() bool { return d.Status().Pending == 0 })
	sc, _ := ts.st.Case(context.Background(), c.ID)
	if sc.Status != domain.StatusEvaluated || sc.UnitID != "D-LAW" || sc.ClosedAt.IsZero() {
		t.Fatalf("server case = %+v", sc)
	}
	log, _ := ts.st.AuditLog(context.Background(), 100)
	applied := map[string]bool{}
	for _, r := range log {
		if r.Status == domain.Applied && r.Actor == "U-DUTY1" {
			applied[r.ID] = true
		}
	}
	for _, id := range ids {
		if !applied[id] {
			t.Errorf("command %s is not in the audit log as applied", id)
		}
	}
	waitFor(t, "the desk to catch up", 10*time.Second, func() bool { return localCase(t, d, c.ID).Version == sc.Version })
}

func TestTwoDesksOneWinsTheOtherSeesWhy(t *testing.T) {
	ts := newTownServer(t, server.SeedTown)
	a := startDesk(t, ts.ts.URL, "duty1", nil)
	net := &switchable{rt: http.DefaultTransport}
	b := startDesk(t, ts.ts.URL, "duty2", net)
	c := caseIn(t, ts.st, domain.StatusRegistered, 0)
	net.down.Store(true)
	waitFor(t, "desk B to go offline", 10*time.Second, func() bool { return b.Status().State == "offline" })
	do(t, a, command.CaseDispatch, command.CaseArgs{CaseID: c.ID, UnitID: "S1"})
	waitFor(t, "desk A's dispatch to land", 10*time.Second, func() bool { return a.Status().Pending == 0 })
	cmdB := do(t, b, command.CaseDispatch, command.CaseArgs{CaseID: c.ID, UnitID: "D-LAW"})
	if got := localCase(t, b, c.ID); got.UnitID != "D-LAW" {
		t.Fatalf("desk B's optimistic effect missing: %+v", got)
	}
	rows, _ := b.OpenCases(context.Background(), time.Now())
	marked := false
	for _, r := range rows {
		if r.ID == c.ID {
			marked = r.Pending
		}
	}
	if !marked {
		t.Error("the pending case is not marked in the queue")
	}
	net.down.Store(false)
	waitFor(t, "desk B's command to be answered", 20*time.Second, func() bool { return b.Status().Rejected == 1 })
	items, _ := b.Outbox(context.Background())
	if len(items) != 1 || items[0].Command.ID != cmdB.ID || items[0].State != domain.OutboxRejected {
		t.Fatalf("outbox = %+v", items)
	}
	if !strings.Contains(items[0].Problem.Detail, "already dispatched to 城南西执法中队") || !strings.Contains(items[0].Problem.Detail, "by ") {
		t.Errorf("reason = %q, want who dispatched it where", items[0].Problem)
	}
	waitFor(t, "desk B to show the winner's dispatch", 10*time.Second, func() bool { return localCase(t, b, c.ID).UnitID == "S1" })
	if err := b.Dismiss(context.Background(), cmdB.ID); err != nil {
		t.Fatal(err)
	}
	if items, _ := b.Outbox(context.Background()); len(items) != 0 {
		t.Errorf("dismissed command still listed: %+v", items)
	}
}

func TestHundredOfflineActionsLandOnceInOrder(t *testing.T) {
	ts := newTownServer(t, server.SeedTown)
	net := &switchable{rt: http.DefaultTransport}
	d := startDesk(t, ts.ts.URL, "duty1", net)
	c := caseIn(t, ts.st, domain.StatusRegistered, 1)
	net.down.Store(true)
	waitFor(t, "the desk to notice", 10*time.Second, func() bool { return d.Status().State == "offline" })
	do(t, d, command.CaseDispatch, command.CaseArgs{CaseID: c.ID, UnitID: "D-GAS"})
	for i := 1; i <= 99; i++ {
		do(t, d, command.CaseFeedback, command.CaseArgs{CaseID: c.ID, Note: fmt.Sprintf("进展 %02d", i)})
	}
	if p := d.Status().Pending; p != 100 {
		t.Fatalf("pending = %d, want 100", p)
	}
	net.down.Store(false)
	waitFor(t, "the outbox to drain", 60*time.Second, func() bool { return d.Status().Pending == 0 && d.Status().Rejected == 0 })
	tl, _ := ts.st.Timeline(context.Background(), c.ID)
	var notes []string
	for _, a := range tl {
		if a.Action == "feedback" {
			notes = append(notes, a.Note)
		}
	}
	if len(notes) != 99 {
		t.Fatalf("server has %d feedback actions, want 99", len(notes))
	}
	for i, n := range notes {
		if n != fmt.Sprintf("进展 %02d", i+1) {
			t.Fatalf("feedback %d is %q: out of order", i, n)
		}
	}
}

// flaky drops requests, loses answers, duplicates and delays, with a seed.
type flaky struct {
	on     atomic.Bool
	faults atomic.Int32
	mu     sync.Mutex
	r      *rand.Rand
	rt     http.RoundTripper
}

func (f *flaky) roll() float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.r.Float64()
}

func (f *flaky) RoundTrip(r *http.Request) (*http.Response, error) {
	if !f.on.Load() || strings.HasSuffix(r.URL.Path, "/login") || strings.HasSuffix(r.URL.Path, "/healthz") {
		return f.rt.RoundTrip(r)
	}
	time.Sleep(time.Duration(f.roll() * float64(30*time.Millisecond)))
	x := f.roll()
	if x < 0.45 {
		f.faults.Add(1)
	}
	switch {
	case x < 0.15:
		return nil, errors.New("connection reset (test: request dropped)")
	case x < 0.30:
		resp, err := f.rt.RoundTrip(cloneReq(r))
		if err == nil {
			resp.Body.Close()
		}
		return nil, errors.New("timeout (test: answer lost)")
	case x < 0.45:
		if resp, err := f.rt.RoundTrip(cloneReq(r)); err == nil {
			resp.Body.Close()
		}
		return f.rt.RoundTrip(cloneReq(r)) // duplicated
	}
	return f.rt.RoundTrip(r)
}

func cloneReq(r *http.Request) *http.Request {
	c := r.Clone(r.Context())
	if r.GetBody != nil {
		c.Body, _ = r.GetBody()
	}
	return c
}

// script runs the same actions on a desk: dispatch, accept, feedback,
// handle and close across several cases.
func script(t *testing.T, d *desk.Desk, cases []domain.Case, between func()) {
	passed := true
	for i, c := range cases {
		between()
		unit := []string{"D-LAW", "D-FIRE", "S2", "D-ECO"}[i%4]
		if c.Status == domain.StatusReported {
			do(t, d, command.CaseRegister, command.CaseArgs{CaseID: c.ID})
		}
		do(t, d, command.CaseDispatch, command.CaseArgs{CaseID: c.ID, UnitID: unit})
		do(t, d, command.CaseAccept, command.CaseArgs{CaseID: c.ID})
		do(t, d, command.CaseFeedback, command.CaseArgs{CaseID: c.ID, Note: "正在处理"})
		if i%2 == 0 {
			do(t, d, command.CaseArrive, command.CaseArgs{CaseID: c.ID})
			do(t, d, command.CaseHandle, command.CaseArgs{CaseID: c.ID, Note: "完成"})
			do(t, d, command.CaseVerify, command.CaseArgs{CaseID: c.ID, Passed: &passed})
		}
	}
}

func outcome(t *testing.T, st *store.Store, cases []domain.Case) []string {
	var out []string
	for _, c := range cases {
		sc, _ := st.Case(context.Background(), c.ID)
		tl, _ := st.Timeline(context.Background(), c.ID)
		var acts []string
		for _, a := range tl {
			acts = append(acts, a.Action)
		}
		out = append(out, fmt.Sprintf("%s %s %s v%d %s", c.No, sc.Status, sc.UnitID, sc.Version, strings.Join(acts, ",")))
	}
	return out
}

func TestFaultFlakyTransportEndsLikeACleanRun(t *testing.T) {
	clean := newTownServer(t, server.SeedTown)
	faulty := newTownServer(t, server.SeedTown)
	var cases []domain.Case
	all, _ := clean.st.Cases(context.Background())
	for _, c := range all {
		if (c.Status == domain.StatusReported || c.Status == domain.StatusRegistered) && len(cases) < 6 {
			cases = append(cases, c)
		}
	}
	if len(cases) < 4 {
		t.Fatalf("only %d cases to work on", len(cases))
	}
	t0 := time.Now()
	d1 := startDesk(t, clean.ts.URL, "duty1", nil)
	t.Logf("clean desk synced in %v", time.Since(t0))
	script(t, d1, cases, func() {})
	waitFor(t, "the clean run", 30*time.Second, func() bool { return d1.Status().Pending == 0 })

	fl := &flaky{r: rand.New(rand.NewPCG(7, 7)), rt: http.DefaultTransport}
	d2 := startDesk(t, faulty.ts.URL, "duty1", fl)
	fl.on.Store(true) // the network turns bad once the town is synced
	script(t, d2, cases, func() {
		waitFor(t, "a flaky push", 60*time.Second, func() bool { return d2.Status().Pending == 0 })
	})
	start := time.Now()
	waitFor(t, "the flaky run", 90*time.Second, func() bool { return d2.Status().Pending == 0 })
	t.Logf("flaky run drained in %v", time.Since(start))
	if n := fl.faults.Load(); n < 5 {
		t.Fatalf("only %d faults were injected; the test proves nothing", n)
	}
	t.Logf("%d faults injected", fl.faults.Load())
	if r := d2.Status().Rejected; r != 0 {
		items, _ := d2.Outbox(context.Background())
		t.Fatalf("%d commands rejected over a flaky network: %+v", r, items)
	}
	want, got := outcome(t, clean.st, cases), outcome(t, faulty.st, cases)
	for i := range want {
		if want[i] != got[i] {
			t.Errorf("case %d:\n clean %s\n flaky %s", i, want[i], got[i])
		}
	}
}

// demoDesk is a desk on its own embedded demo town, synced.
func demoDesk(t *testing.T) *desk.Desk {
	t.Helper()
	ctx := context.Background()
	d, err := desk.Open(ctx, desk.Config{DataDir: t.TempDir(), Backend: desk.BackendFrom(demo.Starter("town", false))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Start(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the town", 60*time.Second, func() bool { return d.Status().State == "online" && d.Status().Cursor > 0 })
	return d
}

// A dispatch runs its command once on the desk (no dry run, no second run
// when the server answers or its rows come back through the feed), and the
// desk tells its screens only the kinds of rows that changed.
func TestDispatchRunsOnceAndSaysWhatChanged(t *testing.T) {
	ts := newTownServer(t, server.SeedTown)
	d := startDesk(t, ts.ts.URL, "duty1", nil)
	c := caseIn(t, ts.st, domain.StatusRegistered, 0)
	var mu sync.Mutex
	var events []map[string]bool
	d.Subscribe(func(e desk.Event) {
		if e.Data != nil || e.Reset {
			mu.Lock()
			events = append(events, e.Data)
			mu.Unlock()
		}
	})
	before := replica.Executions()
	if _, err := d.Do(context.Background(), command.CaseDispatch, command.CaseArgs{CaseID: c.ID, UnitID: "D-LAW"}, c.Version); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the dispatch to land and come back", 20*time.Second, func() bool {
		got, err := ts.st.Case(context.Background(), c.ID)
		return err == nil && got.Status == domain.StatusDispatched && d.Status().Pending == 0 && d.Status().Cursor >= mustSeq(t, ts.st)
	})
	if n := replica.Executions() - before; n != 1 {
		t.Errorf("the dispatch ran %d times on the desk, want once", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(events) == 0 || !events[0]["case"] || !events[0]["task"] || !events[0]["outbox"] || events[0]["entity"] || events[0]["grid"] {
		t.Errorf("the issue's event = %v, want case, task, action and outbox only", events)
	}
	for _, e := range events {
		if e == nil || e["grid"] || e["entity"] || e["unit"] {
			t.Errorf("an event says %v changed: a dispatch changes no grid, entity or unit", e)
		}
	}
}

func mustSeq(t *testing.T, st *store.Store) int64 {
	t.Helper()
	seq, err := st.LastSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

// grant lets more roles issue a grantable command (setting grant:<type>),
// as an admin does.
func grant(t *testing.T, st *store.Store, typ string, roles ...domain.Role) {
	t.Helper()
	raw, _ := json.Marshal(command.GrantArgs{Roles: roles})
	if err := st.Update(context.Background(), func(tx *store.Tx) error {
		return tx.PutSetting(&domain.Setting{ID: "grant:" + typ, Value: raw, UpdatedBy: "U-ADMIN"})
	}); err != nil {
		t.Fatal(err)
	}
}

// grantTeams lets a team leader act for more teams, as an admin does.
func grantTeams(t *testing.T, st *store.Store, username string, teams ...string) {
	t.Helper()
	ctx := context.Background()
	u, _, err := st.UserByName(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	u.Teams, u.UpdatedAt = teams, time.Now()
	if err := st.Update(ctx, func(tx *store.Tx) error { return tx.PutUser(&u) }); err != nil {
		t.Fatal(err)
	}
}

// The desk offers a unit member the steps of their unit's cases only, and
// an auditor none: the server's table, mirrored.
func TestActionsMirrorTheServer(t *testing.T) {
	ctx := context.Background()
	ts := newTownServer(t, server.SeedTown)
	ts.srv.SetPassword(ctx, "member-fire", deskPW)
	d := startDesk(t, ts.ts.URL, "member-fire", nil)
	fire := domain.Case{Status: domain.StatusDispatched, UnitID: "D-FIRE"}
	gas := domain.Case{Status: domain.StatusDispatched, UnitID: "D-GAS"}
	if got := d.Actions(fire); !slices.Contains(got, workflow.Accept) || slices.Contains(got, workflow.Dispatch) {
		t.Errorf("member-fire on a D-FIRE case: %v, want accept and no dispatch", got)
	}
	if got := d.Actions(gas); len(got) != 0 {
		t.Errorf("member-fire on a D-GAS case: %v, want nothing", got)
	}
	aud := startDesk(t, ts.ts.URL, "auditor", nil)
	if got := aud.Actions(fire); len(got) != 0 {
		t.Errorf("auditor: %v, want nothing", got)
	}
}
