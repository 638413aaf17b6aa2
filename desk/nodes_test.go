package desk_test

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"griddesk/core/command"
	"griddesk/desk"
	"griddesk/desk/replica"
	"griddesk/domain"
	"griddesk/server"
	"griddesk/store"
	"griddesk/store/storetest"
)

// townOnPostgres is a copy of the demo town on PostgreSQL with the desk
// tests' passwords.
func townOnPostgres(t *testing.T) string {
	t.Helper()
	return storetest.PostgresCopy(t, "town", func(ctx context.Context, st *store.Store) error {
		if _, err := server.Bootstrap(ctx, st, server.SeedTown, deskPW, time.Now()); err != nil {
			return err
		}
		srv, err := server.New(ctx, st, server.Options{})
		if err != nil {
			return err
		}
		return srv.SetPassword(ctx, "duty1", deskPW)
	})
}

// TestFaultNodeKilledMidPush: a desk follows two server nodes over one
// PostgreSQL database (-server URL1,URL2). A case reported through node B
// reaches it on node A within a second; node A is killed with SIGKILL in
// the middle of a batch of 100 commands, and the desk finishes on node B
// with every command applied exactly once, in order, its copy kept.
func TestFaultNodeKilledMidPush(t *testing.T) {
	if testing.Short() {
		t.Skip("process fault test")
	}
	ctx := context.Background()
	dsn := townOnPostgres(t)
	st, err := store.Open(ctx, dsn, store.Options{Journal: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := caseIn(t, st, domain.StatusDispatched, 1)

	node := func(delay string) (*exec.Cmd, string) {
		addr := freeAddr(t)
		s := child(t, "GRIDDESK_FAULT_ROLE=server", "DB="+dsn, "ADDR="+addr, "DELAY="+delay)
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 400; i++ {
			if conn, err := net.Dial("tcp", addr); err == nil {
				conn.Close()
				break
			}
			time.Sleep(25 * time.Millisecond)
		}
		return s, "http://" + addr
	}
	nodeA, urlA := node("15ms")
	defer func() { nodeA.Process.Kill(); nodeA.Wait() }()
	nodeB, urlB := node("0s")
	defer func() { nodeB.Process.Kill(); nodeB.Wait() }()

	d, err := desk.Open(ctx, desk.Config{DataDir: t.TempDir(), ServerURL: urlA + "," + urlB, User: "duty1", Password: deskPW, Wait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Start(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the desk to sync", 120*time.Second, func() bool { return d.Status().State == "online" && d.Status().Cursor > 0 })
	serverID := d.Status().ServerID

	// reported through B, seen on the desk following A
	field := replica.NewClient(urlB)
	if _, err := field.Login(ctx, "admin", deskPW); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rc, err := field.Report(ctx, replica.ReportRequest{Title: "井盖缺失", Category: "road", Lon: 120.25, Lat: 30.06})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the case reported through B on the desk", 5*time.Second, func() bool {
		_, err := d.Case(ctx, rc.ID)
		return err == nil
	})
	if took := time.Since(start); took > time.Second {
		t.Errorf("a case reported through node B reached the desk on node A after %v (budget 1 s)", took)
	} else {
		t.Logf("reported through B, on the desk (following A) after %v", took)
	}

	const n = 100
	for i := 1; i <= n; i++ {
		lc, _ := d.Case(ctx, c.ID)
		if _, err := d.Do(ctx, command.CaseFeedback, command.CaseArgs{CaseID: c.ID, Note: fmt.Sprintf("进展 %03d", i)}, lc.Version); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "part of the batch to land on A", 60*time.Second, func() bool {
		applied, _, _ := st.AuditCounts(ctx)
		return applied >= 10
	})
	nodeA.Process.Signal(syscall.SIGKILL)
	nodeA.Wait()
	applied, _, _ := st.AuditCounts(ctx)
	t.Logf("node A killed with %d of %d commands applied", applied, n)
	if applied >= n {
		t.Fatal("the whole batch landed before the kill; the test proves nothing")
	}
	waitFor(t, "the outbox to drain on node B", 60*time.Second, func() bool { return d.Status().Pending == 0 && d.Status().State == "online" })
	applied, rejected, err := st.AuditCounts(ctx)
	if err != nil || applied != n || rejected != 0 {
		t.Fatalf("audit log: %d applied, %d rejected (%v); want %d applied", applied, rejected, err, n)
	}
	checkOnceInOrder(t, feedbackNotes(t, st, c.ID), n)
	if got := d.Status().ServerID; got != serverID {
		t.Errorf("the desk moved from server %s to %s: its copy was started afresh", serverID, got)
	}
	lc, _ := d.Case(ctx, c.ID)
	if sc, _ := st.Case(ctx, c.ID); lc.Version != sc.Version {
		waitFor(t, "the desk to pull the batch's result from B", 5*time.Second, func() bool {
			lc, _ := d.Case(ctx, c.ID)
			return lc.Version == sc.Version
		})
	}
}
