package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"griddesk/store"
)

// The throwaway PostgreSQL cluster of one test binary: initdb in a
// temporary directory, the postgres server on a free loopback port, both
// as the user "postgres" when the tests run as root (PostgreSQL refuses to
// run as root), with a random password (scram-sha-256, no trust). The
// server is a child of the test binary that dies with it (Pdeathsig) and is
// stopped by Main. Each test gets a database of its own, copied from a
// template that already has PostGIS and the store's schema.
type cluster struct {
	dir, password string
	port          int
	cmd           *exec.Cmd
	exited        chan struct{}
	n             int      // databases made
	free          []string // emptied databases with the schema, for the next tests
}

var (
	clusterMu  sync.Mutex
	theCluster *cluster
	clusterErr error
)

const (
	templateBare     = "gd_bare"     // PostGIS, no schema
	templateMigrated = "gd_migrated" // PostGIS and the store's schema
)

// Postgres returns the URL of a new database with the store's schema, in
// the test binary's cluster (started on first use). It fails the test when
// the cluster cannot start, and skips it only when GRIDDESK_TEST_ENGINES
// leaves postgres out.
func Postgres(tb testing.TB) string {
	tb.Helper()
	return newDatabase(tb, templateMigrated)
}

// PostgresBare returns the URL of a new database with PostGIS and no
// schema (migration tests).
func PostgresBare(tb testing.TB) string {
	tb.Helper()
	return newDatabase(tb, templateBare)
}

// EmptyDSN is DSN without the schema: a new SQLite file, or a PostgreSQL
// database with PostGIS alone.
func EmptyDSN(tb testing.TB) string {
	tb.Helper()
	if engine == store.EnginePostgres {
		return PostgresBare(tb)
	}
	return DSN(tb)
}

func newDatabase(tb testing.TB, template string) string {
	tb.Helper()
	if !wantPostgres() {
		tb.Skip("PostgreSQL left out by GRIDDESK_TEST_ENGINES")
	}
	clusterMu.Lock()
	defer clusterMu.Unlock()
	if theCluster == nil && clusterErr == nil {
		theCluster, clusterErr = startCluster()
	}
	if clusterErr != nil {
		tb.Fatalf("storetest: PostgreSQL: %v\n(install postgresql-15 and postgresql-15-postgis-3, or run with GRIDDESK_TEST_ENGINES=sqlite)", clusterErr)
	}
	c := theCluster
	if template == templateMigrated && len(c.free) > 0 {
		name := c.free[len(c.free)-1]
		c.free = c.free[:len(c.free)-1]
		tb.Cleanup(func() { c.recycle(name) })
		return c.url(name)
	}
	c.n++
	name := fmt.Sprintf("t%d", c.n)
	if err := c.exec(context.Background(), "postgres", `CREATE DATABASE `+name+` TEMPLATE `+template+` STRATEGY FILE_COPY`); err != nil {
		tb.Fatalf("storetest: create database: %v", err)
	}
	if template != templateBare {
		tb.Cleanup(func() { c.recycle(name) })
	}
	return c.url(name)
}

// recycle empties a test's database for the next test (much faster than
// copying the template again), unless the test changed its schema or still
// holds it: then the database is left alone.
func (c *cluster) recycle(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.url(name))
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	var v int64
	var others int
	if conn.QueryRow(ctx, `SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version`).Scan(&v) != nil || v != int64(store.SchemaVersion()) {
		return
	}
	if conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&others) != nil || others > 0 {
		return
	}
	rows, err := conn.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'
		AND table_type = 'BASE TABLE' AND table_name NOT IN ('goose_db_version', 'spatial_ref_sys')`)
	if err != nil {
		return
	}
	var tables []string
	for rows.Next() {
		var t string
		rows.Scan(&t)
		tables = append(tables, `"`+t+`"`)
	}
	rows.Close()
	if rows.Err() != nil {
		return
	}
	for _, q := range []string{`SET lock_timeout = '2s'`, `TRUNCATE ` + strings.Join(tables, ", ") + ` RESTART IDENTITY CASCADE`,
		`INSERT INTO feed (id, seq) VALUES (1, 0)`} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return
		}
	}
	clusterMu.Lock()
	c.free = append(c.free, name)
	clusterMu.Unlock()
}

// newTemplate makes a database with the store's schema that Copy fills
// and then copies for each test.
func newTemplate(name string) (string, error) {
	clusterMu.Lock()
	defer clusterMu.Unlock()
	if theCluster == nil && clusterErr == nil {
		theCluster, clusterErr = startCluster()
	}
	if clusterErr != nil {
		return "", clusterErr
	}
	err := theCluster.exec(context.Background(), "postgres", `CREATE DATABASE `+name+` TEMPLATE `+templateMigrated+` STRATEGY FILE_COPY`)
	return name, err
}

func wantPostgres() bool {
	for _, e := range Engines() {
		if e == store.EnginePostgres {
			return true
		}
	}
	return false
}

func (c *cluster) url(db string) string {
	return fmt.Sprintf("postgres://griddesk:%s@127.0.0.1:%d/%s?sslmode=disable", c.password, c.port, db)
}

func (c *cluster) exec(ctx context.Context, db string, sqls ...string) error {
	conn, err := pgx.Connect(ctx, c.url(db))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, q := range sqls {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// binDir finds PostgreSQL's programs: GRIDDESK_PG_BIN, else the newest
// /usr/lib/postgresql/N/bin (Debian), else the PATH.
func binDir() (string, error) {
	if d := os.Getenv("GRIDDESK_PG_BIN"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("initdb not found (GRIDDESK_PG_BIN, /usr/lib/postgresql/*/bin, PATH)")
}

// runAs is the user the cluster runs as: postgres when we are root.
func runAs() (*syscall.Credential, int, int, error) {
	if os.Geteuid() != 0 {
		return nil, os.Getuid(), os.Getgid(), nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, 0, 0, fmt.Errorf("running as root and there is no user postgres to run the cluster as: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, uid, gid, nil
}

func startCluster() (*cluster, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	cred, uid, gid, err := runAs()
	if err != nil {
		return nil, err
	}
	sweepStale()
	dir, err := os.MkdirTemp("", "griddesk-pg-")
	if err != nil {
		return nil, err
	}
	b := make([]byte, 16)
	rand.Read(b)
	c := &cluster{dir: dir, password: hex.EncodeToString(b), exited: make(chan struct{})}
	pwfile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwfile, []byte(c.password+"\n"), 0o600); err != nil {
		return nil, err
	}
	for _, p := range []string{dir, pwfile} {
		if err := os.Chown(p, uid, gid); err != nil {
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "griddesk", "--pwfile="+pwfile,
		"--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Dir = dir
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	c.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	logf, err := os.Create(filepath.Join(dir, "postgres.log"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// fsync and the like off: the cluster is thrown away
	c.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(c.port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=400", "-c", "shared_buffers=64MB")
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGINT, Setpgid: true}
	c.cmd.Dir = dir
	c.cmd.Stdout, c.cmd.Stderr = logf, logf
	if err := c.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	go func() { c.cmd.Wait(); logf.Close(); close(c.exited) }()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		err := c.exec(ctx, "postgres", "SELECT 1")
		if err == nil {
			break
		}
		select {
		case <-c.exited:
			log, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
			os.RemoveAll(dir)
			return nil, fmt.Errorf("postgres stopped: %s", log)
		case <-ctx.Done():
			c.stop()
			return nil, fmt.Errorf("postgres did not answer: %w", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	if err := c.exec(ctx, "postgres", `CREATE DATABASE `+templateBare); err != nil {
		c.stop()
		return nil, err
	}
	if err := c.exec(ctx, templateBare, `CREATE EXTENSION postgis`); err != nil {
		c.stop()
		return nil, fmt.Errorf("PostGIS: %w", err)
	}
	if err := c.exec(ctx, "postgres", `CREATE DATABASE `+templateMigrated+` TEMPLATE `+templateBare); err != nil {
		c.stop()
		return nil, err
	}
	st, err := store.Open(ctx, c.url(templateMigrated), store.Options{Journal: true})
	if err != nil {
		c.stop()
		return nil, fmt.Errorf("migrate the template: %w", err)
	}
	st.Close()
	return c, nil
}

// stop ends the server (fast shutdown) and removes its directory.
func (c *cluster) stop() {
	if c.cmd != nil && c.cmd.Process != nil {
		c.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-c.exited:
		case <-time.After(20 * time.Second):
			c.cmd.Process.Kill()
			<-c.exited
		}
	}
	os.RemoveAll(c.dir)
}

func stopCluster() {
	clusterMu.Lock()
	defer clusterMu.Unlock()
	if theCluster != nil {
		theCluster.stop()
		theCluster = nil
	}
}

// sweepStale removes the directories of clusters whose test binary was
// killed before it could (their server died with it, Pdeathsig).
func sweepStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "griddesk-pg-*"))
	for _, d := range dirs {
		fi, err := os.Stat(d)
		if err != nil || time.Since(fi.ModTime()) < time.Hour {
			continue
		}
		pid, err := os.ReadFile(filepath.Join(d, "data", "postmaster.pid"))
		if err == nil {
			if n, _ := strconv.Atoi(strings.SplitN(string(pid), "\n", 2)[0]); n > 0 && syscall.Kill(n, 0) == nil {
				continue // still running
			}
		}
		os.RemoveAll(d)
	}
}
