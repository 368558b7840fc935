package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/core/store/storetest"
)

// testPortal is a demo portal served on a loopback port for one test.
type testPortal struct {
	URL string
	g   *globals
	// stop shuts the portal down as at the end of the test, earlier for a
	// test that looks at what a shutdown leaves.
	stop func()

	once   sync.Once // builds svc
	svc    *portal
	svcErr error
}

// testServeOptions are serve's defaults with password hashes a test can
// afford: argon2id at its production cost takes tens of milliseconds of CPU,
// and the suite signs in thousands of times.
func testServeOptions() *serveOptions {
	o := defaultServeOptions()
	o.argon2 = auth.Argon2Params{Memory: 64, Time: 1, Threads: 1}
	return o
}

// startDemo serves a freshly seeded demo portal on the test's database
// engine (SQLite, or PostgreSQL when ATRIUM_TEST_DATABASE_URL is set).
func startDemo(t testing.TB) *testPortal { t.Helper(); return startDemoWith(t, nil) }

// startDemoWith is startDemo with serve options changed by change.
func startDemoWith(t testing.TB, change func(*serveOptions)) *testPortal {
	t.Helper()
	return startDemoPrepared(t, nil, change)
}

// startDemoPrepared is startDemoWith with a chance to prepare the data
// folder (to install plugins, say) before the portal starts.
func startDemoPrepared(t testing.TB, prepare func(g *globals), change func(*serveOptions)) *testPortal {
	t.Helper()
	cfg, ok := seededDemo(t)
	if !ok {
		cfg = storetest.Config(t)
	}
	var out bytes.Buffer
	// The portal's warnings are kept and shown when the test fails: a 500
	// or 503 in CI says why only in the log.
	logs := &syncBuffer{}
	g := &globals{data: cfg.DataDir, databaseURL: cfg.DatabaseURL, logLevel: "warn", stdin: strings.NewReader(""), stdout: &out, stderr: logs,
		blobURL: os.Getenv("ATRIUM_BLOB_URL")} // a test may put files in S3 (see TestContentOnS3)
	if prepare != nil {
		prepare(g)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		o := testServeOptions()
		o.addr, o.demo, o.poll = "127.0.0.1:0", true, 200*time.Millisecond
		if change != nil {
			change(o)
		}
		errc <- serve(ctx, g, o, func(a string) { addrc <- a })
	}()
	select {
	case a := <-addrc:
		p := &testPortal{URL: "http://" + a, g: g}
		p.stop = sync.OnceFunc(func() {
			cancel()
			<-errc
		})
		t.Cleanup(func() {
			p.stop()
			if p.svc != nil {
				p.svc.Close()
			}
			if t.Failed() {
				t.Logf("the portal's log:\n%s", lastLines(logs.String(), 60))
			}
		})
		return p
	case err := <-errc:
		cancel()
		t.Fatalf("portal did not start: %v", err)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("portal did not start within a minute")
	}
	return nil
}

// client returns an HTTP client that does not follow redirects, signed in
// as email when it is not empty.
func (p *testPortal) client(t testing.TB, email string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if email == "" {
		return c
	}
	res, err := c.PostForm(p.URL+"/login", url.Values{"email": {email}, "password": {"demo"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d", email, res.StatusCode)
	}
	return c
}

// fetch fetches a page and returns its status and body.
func fetch(t testing.TB, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// demoSeed is a demo seeded once per test binary: a data folder, and on
// PostgreSQL a database too. A fresh demo takes a second or more to seed on
// SQLite and several on PostgreSQL (a year of engagement history among it),
// and most of this package's tests start one: each gets a copy (of the
// folder, and a database made from the seeded one as a template), and its
// portal's seeding, being idempotent, finds the work done. Tests whose files
// live in S3 seed their own.
var demoSeed struct {
	once sync.Once
	dir  string
	base string // the PostgreSQL server's URL, on PostgreSQL
	db   string // the seeded database, on PostgreSQL
	err  error

	mu     sync.Mutex
	copies []string // the tests' databases made from db
}

// seededDemo returns a copy of the seeded demo for the test, or false when
// the test's portal must seed its own.
func seededDemo(t testing.TB) (store.Config, bool) {
	t.Helper()
	if os.Getenv("ATRIUM_BLOB_URL") != "" {
		return store.Config{}, false
	}
	demoSeed.once.Do(func() { demoSeed.err = seedDemoOnce() })
	if demoSeed.err != nil {
		t.Fatalf("seed the demo once for the package's tests: %v", demoSeed.err)
	}
	cfg := store.Config{DataDir: t.TempDir()}
	// The seed's SQLite database was checkpointed and closed: its
	// shared-memory index, if one is left, is rebuilt on open, and copying
	// it could race SQLite removing it.
	if err := copyFSExcept(cfg.DataDir, os.DirFS(demoSeed.dir), "-shm"); err != nil {
		t.Fatalf("copy the seeded demo: %v", err)
	}
	if demoSeed.db != "" {
		name := "t_" + strings.ToLower(rand.Text()[:12])
		if err := pgAdmin(demoSeed.base, "CREATE DATABASE "+name+" TEMPLATE "+demoSeed.db); err != nil {
			t.Fatalf("copy the seeded demo database: %v", err)
		}
		// Dropped when the test binary ends, not when the test does: every
		// DROP DATABASE forces an immediate checkpoint, which stalls the
		// other packages' tests on the same server.
		demoSeed.mu.Lock()
		demoSeed.copies = append(demoSeed.copies, name)
		demoSeed.mu.Unlock()
		cfg.DatabaseURL = withDatabase(demoSeed.base, name)
	}
	return cfg, true
}

// seedDemoOnce seeds the demo into a temporary folder (and database).
func seedDemoOnce() error {
	dir, err := os.MkdirTemp("", "atrium-demo-seed-")
	if err != nil {
		return err
	}
	demoSeed.dir = dir
	g := &globals{data: dir, logLevel: "error", stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	if storetest.Default() == storetest.Postgres {
		demoSeed.base = os.Getenv(storetest.EnvPostgres)
		name := "atrium_demo_seed_" + strings.ToLower(rand.Text()[:12])
		if err := pgAdmin(demoSeed.base, "CREATE DATABASE "+name); err != nil {
			return err
		}
		demoSeed.db = name
		g.databaseURL = withDatabase(demoSeed.base, name)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := testServeOptions()
	o.addr, o.demo = "127.0.0.1:0", true
	ready := make(chan struct{})
	errc := make(chan error, 1)
	go func() { errc <- serve(ctx, g, o, func(string) { close(ready) }) }()
	select {
	case <-ready:
		cancel()
		if err := <-errc; err != nil {
			return err
		}
	case err := <-errc:
		return fmt.Errorf("portal did not start: %w", err)
	}
	if demoSeed.db == "" {
		// Everything in the database file, nothing left in its log.
		db, err := store.Open(context.Background(), store.Config{DataDir: dir})
		if err != nil {
			return err
		}
		_, err = db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)")
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		return err
	}
	if demoSeed.db != "" {
		// A template may have no sessions: make sure the portal's are gone.
		return pgAdmin(demoSeed.base, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"+demoSeed.db+"' AND pid <> pg_backend_pid()")
	}
	return nil
}

// removeDemoSeed removes the seeded demo when the test binary is done.
func removeDemoSeed() {
	if demoSeed.dir != "" {
		os.RemoveAll(demoSeed.dir) //nolint:errcheck // a temporary folder
	}
	if demoSeed.db != "" {
		for _, name := range append(demoSeed.copies, demoSeed.db) {
			pgAdmin(demoSeed.base, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") //nolint:errcheck // best effort
		}
	}
}

// pgAdmin runs one statement on the PostgreSQL server at base, outside any
// test database.
func pgAdmin(base, stmt string) error {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{DatabaseURL: base})
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("%s: %w", stmt, err)
	}
	return nil
}

// withDatabase is the server URL base pointing at the database name.
func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

// pluginProcessTest marks a test of plugin processes and the commands that
// manage them (start, stop, hang, signals, install, packages): the database
// under the portal does not change what it tests, so it runs in the SQLite
// pass only. Plugin storage, the part on the database, is tested on both
// engines (core/pluginstore, and the portal tests that store through a
// plugin).
func pluginProcessTest(t *testing.T) {
	t.Helper()
	if storetest.Default() != storetest.SQLite {
		t.Skip("a test of plugin processes: it runs in the SQLite pass")
	}
}

// lastLines is the end of a log: its last n lines.
func lastLines(log string, n int) string {
	lines := strings.Split(strings.TrimRight(log, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// copyFSExcept is os.CopyFS leaving out the files whose names end in skip.
func copyFSExcept(dir string, fsys fs.FS, skip string) error {
	return fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(path))
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o750)
		case strings.HasSuffix(path, skip):
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode().Perm())
	})
}
