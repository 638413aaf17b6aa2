package desk_test

// Fault tests with real processes: a desk killed with SIGKILL in the middle
// of a push, and a server killed and restarted in the middle of a batch.
// The test binary plays the other process (GRIDDESK_FAULT_ROLE).

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"griddesk/core/command"
	"griddesk/desk"
	"griddesk/domain"
	"griddesk/server"
	"griddesk/store"
	"griddesk/store/storetest"
)

func TestMain(m *testing.M) {
	switch os.Getenv("GRIDDESK_FAULT_ROLE") {
	case "desk":
		os.Exit(faultDesk())
	case "server":
		os.Exit(faultServer())
	}
	code := m.Run()
	storetest.Stop() // the cluster of the tests with several server nodes
	os.Exit(code)
}

// faultDesk syncs, issues N feedback commands on a case and pushes them;
// with DRAIN=1 it only waits until the outbox is empty.
func faultDesk() int {
	ctx := context.Background()
	open := func() (*desk.Desk, error) {
		return desk.Open(ctx, desk.Config{DataDir: os.Getenv("DATA"), ServerURL: os.Getenv("URL"), User: "duty1", Password: deskPW, Wait: time.Second})
	}
	fail := func(err error) int { fmt.Fprintln(os.Stderr, err); return 2 }
	if os.Getenv("DRAIN") != "1" {
		// sync once, then queue every command before pushing any
		d, err := open()
		if err != nil {
			return fail(err)
		}
		if err := d.Start(ctx, "", ""); err != nil {
			return fail(err)
		}
		for d.Status().State != "online" || d.Status().Cursor == 0 {
			time.Sleep(10 * time.Millisecond)
		}
		d.Close()
		if d, err = open(); err != nil {
			return fail(err)
		}
		n, _ := strconv.Atoi(os.Getenv("N"))
		caseID := os.Getenv("CASE")
		for i := 1; i <= n; i++ {
			c, err := d.Case(ctx, caseID)
			if err != nil {
				return fail(err)
			}
			if _, err := d.Do(ctx, command.CaseFeedback, command.CaseArgs{CaseID: caseID, Note: fmt.Sprintf("进展 %03d", i)}, c.Version); err != nil {
				return fail(err)
			}
		}
		d.Close()
	}
	d, err := open()
	if err != nil {
		return fail(err)
	}
	defer d.Close()
	if err := d.Start(ctx, "", ""); err != nil {
		return fail(err)
	}
	for d.Status().Pending > 0 || d.Status().State != "online" {
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Println("drained")
	return 0
}

// faultServer serves DB on ADDR, slowing every command by DELAY.
func faultServer() int {
	ctx := context.Background()
	st, err := store.Open(ctx, os.Getenv("DB"), store.Options{Journal: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	delay, _ := time.ParseDuration(os.Getenv("DELAY"))
	srv, err := server.New(ctx, st, server.Options{CommandDelay: delay, MaxWait: 5 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fmt.Fprintln(os.Stderr, http.ListenAndServe(os.Getenv("ADDR"), srv.Handler()))
	return 1
}

func child(t *testing.T, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	return cmd
}

// auditCounts reads the server's audit log from another connection.
func auditCounts(t *testing.T, dbPath string) (applied, rejected int) {
	t.Helper()
	st, err := store.Open(context.Background(), dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	applied, rejected, err = st.AuditCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return
}

func feedbackNotes(t *testing.T, st *store.Store, caseID string) []string {
	t.Helper()
	tl, err := st.Timeline(context.Background(), caseID)
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, a := range tl {
		if a.Action == "feedback" {
			notes = append(notes, a.Note)
		}
	}
	return notes
}

func checkOnceInOrder(t *testing.T, notes []string, n int) {
	t.Helper()
	if len(notes) != n {
		t.Fatalf("server has %d feedback actions, want exactly %d", len(notes), n)
	}
	for i, note := range notes {
		if want := fmt.Sprintf("进展 %03d", i+1); note != want {
			t.Fatalf("action %d is %q, want %q", i, note, want)
		}
	}
}

func TestFaultDeskKilledMidPush(t *testing.T) {
	if testing.Short() {
		t.Skip("process fault test")
	}
	ts := newTownServer(t, server.SeedTown)
	c := caseIn(t, ts.st, domain.StatusDispatched, 0)
	arrived := make(chan struct{}, 1)
	inner := ts.ts.Config.Handler
	ts.ts.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/commands" {
			inner.ServeHTTP(w, r)
			return
		}
		// the server applies the batch, and the desk dies before the answer
		rec := httptest.NewRecorder()
		inner.ServeHTTP(rec, r)
		select {
		case arrived <- struct{}{}:
		default:
		}
		time.Sleep(300 * time.Millisecond)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
	data := t.TempDir()
	const n = 60
	proc := child(t, "GRIDDESK_FAULT_ROLE=desk", "DATA="+data, "URL="+ts.ts.URL, "CASE="+c.ID, "N="+strconv.Itoa(n))
	if err := proc.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-arrived:
	case <-time.After(60 * time.Second):
		proc.Process.Kill()
		t.Fatal("the desk never pushed")
	}
	proc.Process.Signal(syscall.SIGKILL)
	proc.Wait()
	before := len(feedbackNotes(t, ts.st, c.ID))
	t.Logf("desk killed mid-push; %d of %d feedbacks had landed, unacknowledged", before, n)
	if before == 0 {
		t.Fatal("nothing landed before the kill; the replay path is not tested")
	}

	drain := child(t, "GRIDDESK_FAULT_ROLE=desk", "DATA="+data, "URL="+ts.ts.URL, "DRAIN=1")
	out, err := drain.Output()
	if err != nil || string(out) != "drained\n" {
		t.Fatalf("restarted desk: %v %q", err, out)
	}
	checkOnceInOrder(t, feedbackNotes(t, ts.st, c.ID), n)
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestFaultServerKilledMidBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("process fault test")
	}
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "server.db")
	st, err := store.Open(ctx, dbPath, store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.Bootstrap(ctx, st, server.SeedTown, deskPW, time.Now()); err != nil {
		t.Fatal(err)
	}
	srv, _ := server.New(ctx, st, server.Options{})
	srv.SetPassword(ctx, "duty1", deskPW)
	c := caseIn(t, st, domain.StatusDispatched, 1)
	st.Close()

	addr := freeAddr(t)
	start := func() *exec.Cmd {
		s := child(t, "GRIDDESK_FAULT_ROLE=server", "DB="+dbPath, "ADDR="+addr, "DELAY=15ms")
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 200; i++ {
			if conn, err := net.Dial("tcp", addr); err == nil {
				conn.Close()
				break
			}
			time.Sleep(25 * time.Millisecond)
		}
		return s
	}
	server1 := start()
	d, err := desk.Open(ctx, desk.Config{DataDir: t.TempDir(), ServerURL: "http://" + addr, User: "duty1", Password: deskPW, Wait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	// queue 100 actions before connecting, so they go as one batch
	if err := d.Start(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the desk to sync", 60*time.Second, func() bool { return d.Status().State == "online" && d.Status().Cursor > 0 })
	const n = 100
	for i := 1; i <= n; i++ {
		lc, _ := d.Case(ctx, c.ID)
		if _, err := d.Do(ctx, command.CaseFeedback, command.CaseArgs{CaseID: c.ID, Note: fmt.Sprintf("进展 %03d", i)}, lc.Version); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "part of the batch to land", 30*time.Second, func() bool {
		applied, _ := auditCounts(t, dbPath)
		return applied >= 10
	})
	server1.Process.Signal(syscall.SIGKILL)
	server1.Wait()
	applied, _ := auditCounts(t, dbPath)
	t.Logf("server killed with %d of %d commands applied", applied, n)
	if applied >= n {
		t.Fatal("the whole batch landed before the kill; the test proves nothing")
	}
	server2 := start()
	defer func() { server2.Process.Kill(); server2.Wait() }()
	waitFor(t, "the outbox to drain after the restart", 60*time.Second, func() bool { return d.Status().Pending == 0 && d.Status().State == "online" })
	applied, rejected := auditCounts(t, dbPath)
	if applied != n || rejected != 0 {
		t.Fatalf("audit log: %d applied, %d rejected; want %d applied", applied, rejected, n)
	}
	st2, _ := store.Open(ctx, dbPath, store.Options{Journal: true})
	defer st2.Close()
	checkOnceInOrder(t, feedbackNotes(t, st2, c.ID), n)
}
