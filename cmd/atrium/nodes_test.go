package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/notify/notifytest"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/store/storetest"
)

// asPortal, set to 1 in a child's environment, makes the test binary run
// as the atrium command with its arguments instead of running tests, so a
// test can start real portal processes without building the binary.
const asPortal = "RUN_AS_ATRIUM_COMMAND"

func TestMain(m *testing.M) {
	if os.Getenv(asPortal) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	code := m.Run()
	stopSharedBrowser()
	removeBuiltNPS()
	removeDemoSeed()
	os.Exit(code)
}

// startNode starts a portal process on the shared database with args
// added to serve's, and returns its address once it listens. The process
// is stopped when the test ends.
func startNode(t *testing.T, cfg []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], append(append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "info"}, cfg...), args...)...)
	cmd.Env = append(os.Environ(), asPortal+"=1")
	out := &nodeOutput{url: make(chan string, 1)}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt) //nolint:errcheck // it may have exited
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill() //nolint:errcheck // best effort
			<-exited
		}
	})
	select {
	case u := <-out.url:
		return u
	case err := <-exited:
		t.Fatalf("portal process exited (%v):\n%s", err, out.String())
	case <-time.After(2 * time.Minute):
		t.Fatalf("portal process did not listen within two minutes:\n%s", out.String())
	}
	return ""
}

// nodeOutput keeps a portal process's output and sends the first address
// it prints.
type nodeOutput struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	url  chan string
	sent bool
}

var listening = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`)

func (o *nodeOutput) Write(b []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(b)
	if !o.sent {
		sc := bufio.NewScanner(bytes.NewReader(o.buf.Bytes()))
		for sc.Scan() {
			if line := sc.Text(); strings.Contains(line, "listening") || strings.Contains(line, "is running at") {
				if u := listening.FindString(line); u != "" {
					o.url <- u
					o.sent = true
					break
				}
			}
		}
	}
	return len(b), nil
}

func (o *nodeOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// reached fetches u on a node until its page holds want, and returns how
// long that took from start; it fails the test after 2 s, the time a
// publish may take to reach every portal.
func reached(t *testing.T, c *http.Client, u, want string, start time.Time) time.Duration {
	t.Helper()
	for {
		code, page := fetch(t, c, u)
		took := time.Since(start)
		if code == http.StatusOK && strings.Contains(page, want) {
			if took >= 2*time.Second {
				t.Fatalf("%s showed %q after %s, over 2 s", u, want, took.Round(time.Millisecond))
			}
			return took
		}
		if took >= 2*time.Second {
			t.Fatalf("%s did not show %q within 2 s (status %d)", u, want, code)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// needPostgres makes the test run on PostgreSQL: nodes share a database
// only there. Locally it skips without one; in CI it uses the server
// .ci/run prepared (PG_URL), and fails without it: in CI nothing is
// skipped.
func needPostgres(t *testing.T) {
	t.Helper()
	if os.Getenv(storetest.EnvPostgres) == "" {
		// CI's SQLite pass runs it too, on the server .ci/run prepared
		// for the whole run (PG_URL): in CI nothing is skipped.
		switch pg := os.Getenv("PG_URL"); {
		case os.Getenv("CI") == "true" && pg != "":
			t.Setenv(storetest.EnvPostgres, pg)
		case os.Getenv("CI") == "true":
			t.Fatalf("PostgreSQL is missing: set %s (or PG_URL, as .ci/run does); CI runs the multi-node test", storetest.EnvPostgres)
		default:
			t.Skipf("multi-node test skipped: portal processes share a database only on PostgreSQL; set %s to run it", storetest.EnvPostgres)
		}
	}
}

// Two portal processes share one PostgreSQL schema, one object store and
// one mail server, as two nodes behind a load balancer do. A room built and published through node A's API, a
// change to it and a rollback each reach a partner signed in on node B
// within 2 s, through the catalog's reload (every node polls the rooms'
// revisions; nothing tells node B directly). Then acrossNodes checks
// sessions, files, leads and mail across them.
func TestPublishReachesEveryNode(t *testing.T) {
	needPostgres(t)
	cfg := storetest.Config(t)
	box, smtpAddr := notifytest.StartSMTP(t)
	// Each node its own data folder; the default --poll: what operators get.
	shared := []string{"--database-url", cfg.DatabaseURL, "--blob-url", sharedStore(t),
		"--smtp-addr", smtpAddr, "--smtp-from", "partners@acme.example", "--public-url", "http://partners.acme.example"}
	a := &testPortal{URL: startNode(t, append([]string{"--data", cfg.DataDir}, shared...), "--demo")} // seeds the demo program first
	b := &testPortal{URL: startNode(t, append([]string{"--data", t.TempDir()}, shared...))}
	admin := a.client(t, "admin@acme.example")
	lisa := b.client(t, "lisa@carlosco.example") // Carlos & Co, a reseller

	if code, _ := fetch(t, lisa, b.URL+"/rooms/launch"); code != http.StatusNotFound {
		t.Fatalf("node B shows a room before it exists: %d", code)
	}
	launch := room.Room{Slug: "launch", Title: "Launch Kit", PartnerTypes: []string{"reseller"}, Position: 5,
		Blocks: []room.Block{
			{ID: "hello", Type: "text", Config: json.RawMessage(`{"markdown":"Launch day is **near**"}`)},
			{ID: "steps", Type: "tasks", Config: json.RawMessage(`{"title":"Before launch","tasks":[{"id":"deck","title":"Read the launch deck"}]}`)},
		}}
	var d room.Draft
	if code, body := apiCall(t, admin, "PUT", a.URL+"/api/v1/rooms/launch/draft", map[string]any{"room": launch, "base": room.Base{}}, &d); code != http.StatusOK {
		t.Fatalf("save draft on node A: %d %s", code, body)
	}
	// A draft reaches no one, on any node.
	time.Sleep(defaultServeOptions().poll + 200*time.Millisecond) // past a poll of node B
	if code, _ := fetch(t, lisa, b.URL+"/rooms/launch"); code != http.StatusNotFound {
		t.Fatalf("node B shows a draft: %d", code)
	}

	start := time.Now()
	var rev room.Revision
	if code, body := apiCall(t, admin, "POST", a.URL+"/api/v1/rooms/launch/publish", map[string]any{"message": "Launch", "base": d.Base()}, &rev); code != http.StatusOK {
		t.Fatalf("publish on node A: %d %s", code, body)
	}
	took := reached(t, lisa, b.URL+"/rooms/launch", "Before launch", start)
	if _, page := fetch(t, lisa, b.URL+"/rooms/launch"); !strings.Contains(page, "Launch day is <strong>near</strong>") {
		t.Error("node B shows the room without its text block")
	}
	if _, page := fetch(t, lisa, b.URL+"/rooms/overview"); !strings.Contains(page, "Launch Kit") {
		t.Error("the room is not in node B's navigation")
	}
	t.Logf("publish (revision %d) reached node B in %s", rev.Number, took.Round(time.Millisecond))

	// A change to one block, then a rollback to the first revision.
	launch.Blocks[0].Config = json.RawMessage(`{"markdown":"Launch is postponed"}`)
	apiCall(t, admin, "GET", a.URL+"/api/v1/rooms/launch/draft", nil, &d)
	if code, body := apiCall(t, admin, "PUT", a.URL+"/api/v1/rooms/launch/draft", map[string]any{"room": launch, "base": d.Base()}, &d); code != http.StatusOK {
		t.Fatalf("save the change on node A: %d %s", code, body)
	}
	start = time.Now()
	if code, body := apiCall(t, admin, "POST", a.URL+"/api/v1/rooms/launch/publish", map[string]any{"base": d.Base()}, &rev); code != http.StatusOK {
		t.Fatalf("publish the change on node A: %d %s", code, body)
	}
	took = reached(t, lisa, b.URL+"/rooms/launch", "Launch is postponed", start)
	t.Logf("change (revision %d) reached node B in %s", rev.Number, took.Round(time.Millisecond))

	start = time.Now()
	var res struct{ Revision *room.Revision }
	if code, body := apiCall(t, admin, "POST", a.URL+"/api/v1/rooms/launch/revisions/1/restore",
		map[string]any{"publish": true, "base": room.Base{Revision: rev.Number}}, &res); code != http.StatusOK || res.Revision == nil {
		t.Fatalf("roll back on node A: %d %s", code, body)
	}
	took = reached(t, lisa, b.URL+"/rooms/launch", "Launch day is <strong>near</strong>", start)
	t.Logf("rollback (revision %d) reached node B in %s", res.Revision.Number, took.Round(time.Millisecond))
	if _, page := fetch(t, lisa, b.URL+"/rooms/launch"); strings.Contains(page, "postponed") {
		t.Error("node B still shows the rolled-back text")
	}
	acrossNodes(t, a, b, cfg, box)
}
