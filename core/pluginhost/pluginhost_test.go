package pluginhost

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/render"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/sdk"
	pluginpb "github.com/atriumhq/atrium/sdk/proto"
	"github.com/atriumhq/atrium/sdk/ui"
	"go.yaml.in/yaml/v3"
)

var (
	buildOnce sync.Once
	builtExe  string
	buildErr  error
)

// testPlugin builds testdata/testplugin once per test run.
func testPlugin(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pluginhost-test")
		if err != nil {
			buildErr = err
			return
		}
		builtExe = filepath.Join(dir, "testplugin")
		out, err := exec.Command("go", "build", "-o", builtExe, "./testdata/testplugin").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("build test plugin: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtExe
}

// install puts the test plugin into a plugins folder with a manifest that
// pins its checksum; edit may change the manifest.
func install(t testing.TB, dir string, edit func(*Manifest)) string {
	t.Helper()
	exe := testPlugin(t)
	pdir := filepath.Join(dir, "test", "fault")
	if err := os.MkdirAll(pdir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pdir, "testplugin"), b, 0o755); err != nil {
		t.Fatal(err)
	}
	sum, _ := fileSHA256(filepath.Join(pdir, "testplugin"))
	m := Manifest{ID: "test/fault", Name: "Fault", Version: "1.0.0", Host: ">=0.1.0", Protocols: []int{1},
		Executables: map[string]Executable{runtime.GOOS + "/" + runtime.GOARCH: {Path: "testplugin", SHA256: sum}},
		Provides:    Provides{Blocks: []string{"test/fault", "test/cached"}, Rooms: []string{"test/board"}}, Permissions: []string{"test:echo"}}
	if edit != nil {
		edit(&m)
	}
	y, _ := yaml.Marshal(m)
	if err := os.WriteFile(filepath.Join(pdir, ManifestFile), y, 0o644); err != nil {
		t.Fatal(err)
	}
	return pdir
}

type echoReq struct {
	Word string `json:"word"`
}
type echoResp struct {
	Said    string `json:"said"`
	Partner int64  `json:"partner"`
}

type portal struct {
	m   *Manager
	reg *registry.Registry
	r   *render.Renderer
}

func newPortal(t testing.TB, dir string, timeout time.Duration, tweak func(*Options)) *portal {
	t.Helper()
	reg := registry.New()
	f := host.New(nil)
	fn := func(_ context.Context, c host.Caller, r echoReq) (echoResp, error) {
		return echoResp{Said: r.Word, Partner: c.Viewer.PartnerID()}, nil
	}
	host.Handle(f, sdk.Method[echoReq, echoResp]{Name: "test.echo", Permission: "test:echo"}, fn)
	host.Handle(f, sdk.Method[echoReq, echoResp]{Name: "test.secret", Permission: "test:secret"}, fn)
	opt := Options{Dir: dir, Registry: reg, Host: f, HostVersion: "0.5.0",
		Log:            testLog(),
		HealthInterval: 50 * time.Millisecond, BackoffBase: 20 * time.Millisecond, FailureWindow: time.Minute}
	if tweak != nil {
		tweak(&opt)
	}
	m := NewManager(opt)
	t.Cleanup(m.Close)
	return &portal{m: m, reg: reg, r: render.New(reg, render.Options{Timeout: timeout, Log: opt.Log})}
}

var lisa = sdk.Viewer{UserID: 7, Name: "Lisa", Role: sdk.RolePartnerUser,
	Partner: &sdk.Partner{ID: 3, Type: "referral", Tier: "silver", Stage: "active"}}

func (p *portal) room(t testing.TB, blocks ...string) []render.Result {
	rm := &room.Room{Slug: "r", Name: "r"}
	for _, b := range blocks {
		id, do, _ := strings.Cut(b, "=")
		if do == "" {
			do = id
		}
		rm.Blocks = append(rm.Blocks, room.Block{ID: id, Type: "test/fault", Config: json.RawMessage(`{"do":"` + do + `"}`)})
	}
	return p.r.Room(context.Background(), rm, lisa, program.Default())
}

func text(r render.Result) string {
	if t, ok := r.Tree.(ui.Text); ok {
		return t.Text
	}
	return ""
}

func TestFaultsInOneRoom(t *testing.T) {
	t.Setenv("ATRIUM_DATABASE_URL", "postgres://secret")
	dir := t.TempDir()
	install(t, dir, nil)
	p := newPortal(t, dir, 2*time.Second, nil)
	if err := p.m.Load(); err != nil {
		t.Fatal(err)
	}
	res := p.room(t, "ok", "echo", "secret", "panic", "malformed", "huge", "env")
	want := map[string]string{
		"ok":        "hello Lisa",
		"echo":      "hi from partner 3",
		"secret":    `!needs the "test:secret" permission`,
		"panic":     "!plugin bug",
		"malformed": `!malformed tree`,
		"huge":      "!KiB allowed",
	}
	for _, r := range res {
		w, isErr := strings.CutPrefix(want[r.ID], "!")
		switch {
		case r.ID == "env":
			if strings.Contains(text(r), "secret") || strings.Contains(text(r), "ATRIUM_DATABASE_URL") {
				t.Errorf("the plugin sees the host environment:\n%s", text(r))
			}
		case isErr:
			if r.Err == nil || !strings.Contains(r.Err.Error(), w) {
				t.Errorf("%s: err = %v, want %q", r.ID, r.Err, w)
			}
		case r.Err != nil || text(r) != w:
			t.Errorf("%s: %q %v, want %q", r.ID, text(r), r.Err, w)
		}
	}
	st := p.m.List()[0]
	if st.State != StateRunning || st.LastError == "" {
		t.Errorf("status = %+v, want running with the last error shown", st)
	}
	// An action reaches the plugin and comes back.
	bt, _ := p.reg.Block("test/fault")
	ah := bt.Type.(sdk.ActionHandler)
	got, err := ah.HandleAction(context.Background(), sdk.ActionRequest{Viewer: lisa, BlockID: "ok", Name: "vote",
		Values: map[string][]string{"score": {"9"}}})
	if err != nil || got.Message != "thanks Lisa" {
		t.Errorf("action = %+v, %v", got, err)
	}
	got, _ = ah.HandleAction(context.Background(), sdk.ActionRequest{Viewer: lisa, BlockID: "ok", Name: "vote"})
	if got.FieldErrors["score"] == "" {
		t.Errorf("action without score = %+v, want a field error", got)
	}
}

func TestBigBatchRenders(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, nil)
	p := newPortal(t, dir, 5*time.Second, nil)
	if err := p.m.Load(); err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for i := range 12 {
		blocks = append(blocks, fmt.Sprintf("b%d=big", i))
	}
	for _, r := range p.room(t, blocks...) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.ID, r.Err)
		}
	}
}

func TestHangIsCutAtTheDeadline(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, nil)
	p := newPortal(t, dir, 200*time.Millisecond, nil)
	if err := p.m.Load(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res := p.room(t, "hang", "ok")
	if took := time.Since(start); took > 200*time.Millisecond+150*time.Millisecond {
		t.Errorf("room took %s with a 200ms deadline", took)
	}
	for _, r := range res {
		if r.Err == nil {
			t.Errorf("%s rendered although its batch hung", r.ID)
		}
	}
}

// The plugin serves calls on a few long-lived workers; calls beyond them
// must still run at once, not wait behind renders that hang.
func TestCallsDoNotQueueBehindHungOnes(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, nil)
	// Eight hung calls in a row would otherwise mark the process hung.
	p := newPortal(t, dir, 300*time.Millisecond, func(o *Options) { o.HealthInterval, o.HangAfter = time.Hour, 100 })
	if err := p.m.Load(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 { // twice the workers, each left hanging in the plugin
		wg.Go(func() { p.room(t, "hang") })
	}
	wg.Wait()
	start := time.Now()
	if res := p.room(t, "ok"); res[0].Err != nil {
		t.Fatalf("a call while others hang: %v", res[0].Err)
	}
	if took := time.Since(start); took > 200*time.Millisecond {
		t.Errorf("a call while others hang took %s", took)
	}
}

func waitState(t *testing.T, p *portal, want State) Status {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if st := p.m.List()[0]; st.State == want {
			return st
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("plugin is %+v, want %s", p.m.List()[0], want)
	return Status{}
}

func TestCrashRestartsThenFails(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, nil)
	p := newPortal(t, dir, 2*time.Second, func(o *Options) { o.MaxFailures = 3 })
	if err := p.m.Load(); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		start := time.Now()
		res := p.room(t, "crash", "ok")
		if took := time.Since(start); took > 2*time.Second+200*time.Millisecond {
			t.Errorf("crash %d: room took %s", i, took)
		}
		if res[0].Err == nil {
			t.Errorf("crash %d: the killed block rendered", i)
		}
		waitState(t, p, StateRunning)
		// Wait for the supervisor to have noticed, then restarted.
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if r := p.room(t, "ok"); r[0].Err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if r := p.room(t, "ok"); r[0].Err != nil {
			t.Fatalf("after crash %d the plugin did not come back: %v", i, r[0].Err)
		}
	}
	p.room(t, "crash")
	st := waitState(t, p, StateFailed)
	if !strings.Contains(st.LastError, "failed 3 times") {
		t.Errorf("last error = %q", st.LastError)
	}
	if r := p.room(t, "ok"); r[0].Err == nil || !strings.Contains(r[0].Err.Error(), "failed") {
		t.Errorf("a failed plugin's block rendered: %v", r[0].Err)
	}
	if err := p.m.Enable("test/fault"); err != nil {
		t.Fatal(err)
	}
	if r := p.room(t, "ok"); r[0].Err != nil {
		t.Errorf("after enable: %v", r[0].Err)
	}
}

func TestRefusedAtStart(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, pdir string)
		edit  func(*Manifest)
		want  string
	}{
		{"stdout before handshake", func(t *testing.T, pdir string) {
			os.WriteFile(filepath.Join(pdir, "mode"), []byte("stdout"), 0o644)
		}, nil, "start"},
		{"checksum changed", func(t *testing.T, pdir string) {
			f, _ := os.OpenFile(filepath.Join(pdir, "testplugin"), os.O_APPEND|os.O_WRONLY, 0)
			f.Write([]byte("tampered"))
			f.Close()
		}, nil, "checksum mismatch"},
		{"unsupported protocol", nil, func(m *Manifest) { m.Protocols = []int{2} }, "speaks protocol [2]"},
		{"host too old", nil, func(m *Manifest) { m.Host = ">=1.0.0" }, "supports portal versions"},
		{"provides differ", nil, func(m *Manifest) { m.Provides.Blocks = []string{"test/other"} }, "the manifest lists"},
		{"malformed manifest", func(t *testing.T, pdir string) {
			os.WriteFile(filepath.Join(pdir, ManifestFile), []byte("id: [\n"), 0o644)
		}, nil, "malformed manifest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			pdir := install(t, dir, tt.edit)
			if tt.setup != nil {
				tt.setup(t, pdir)
			}
			p := newPortal(t, dir, time.Second, func(o *Options) { o.StartTimeout = 3 * time.Second })
			err := p.m.Load()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load = %v, want %q", err, tt.want)
			}
			st := p.m.List()[0]
			if st.State != StateFailed || !strings.Contains(st.LastError, tt.want) {
				t.Errorf("status = %+v", st)
			}
			if r := p.room(t, "ok"); r[0].Err == nil {
				t.Error("a refused plugin's block rendered")
			}
		})
	}
}

func TestDisableSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, nil)
	p := newPortal(t, dir, time.Second, nil)
	if err := p.m.Load(); err != nil {
		t.Fatal(err)
	}
	if err := p.m.Disable("test/fault"); err != nil {
		t.Fatal(err)
	}
	if r := p.room(t, "ok"); r[0].Err == nil || !strings.Contains(r[0].Err.Error(), "disabled") {
		t.Errorf("disabled plugin rendered: %v", r[0].Err)
	}
	p2 := newPortal(t, dir, time.Second, nil)
	if err := p2.m.Load(); err != nil {
		t.Fatal(err)
	}
	if st := p2.m.List()[0]; st.State != StateDisabled {
		t.Errorf("after restart: %s, want disabled", st.State)
	}
}

func TestInstallPinsTheChecksum(t *testing.T) {
	src := t.TempDir()
	exe := testPlugin(t)
	b, _ := os.ReadFile(exe)
	os.WriteFile(filepath.Join(src, "testplugin"), b, 0o755)
	manifest := fmt.Sprintf(`id: test/fault
name: Fault
version: 1.0.0
protocols: [1]
executables:
  %s/%s: {path: testplugin}
  plan9/386: {path: testplugin-plan9}
provides: {blocks: [test/fault, test/cached], rooms: [test/board]}
`, runtime.GOOS, runtime.GOARCH)
	os.WriteFile(filepath.Join(src, ManifestFile), []byte(manifest), 0o644)
	dir := t.TempDir()
	p := newPortal(t, dir, time.Second, nil)
	m, err := p.m.Install(src)
	if err != nil {
		t.Fatal(err)
	}
	sum, _ := fileSHA256(exe)
	if e, _ := m.Executable(); e.SHA256 != sum || len(m.Executables) != 1 {
		t.Errorf("installed manifest %+v, want the checksum pinned and absent platforms dropped", m.Executables)
	}
	if r := p.room(t, "ok"); r[0].Err != nil {
		t.Errorf("installed plugin does not render: %v", r[0].Err)
	}
	// Installing over a running copy restarts it.
	if _, err := p.m.Install(src); err != nil {
		t.Fatal(err)
	}
	if r := p.room(t, "ok"); r[0].Err != nil {
		t.Errorf("reinstalled plugin does not render: %v", r[0].Err)
	}
}

// syncBuffer is a log destination safe for the plugin's stderr goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestStderrIsLoggedWithThePluginID(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, nil)
	var logs syncBuffer
	p := newPortal(t, dir, time.Second, func(o *Options) { o.Log = slog.New(slog.NewTextHandler(&logs, nil)) })
	if err := p.m.Load(); err != nil {
		t.Fatal(err)
	}
	p.room(t, "stderr")
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(logs.String(), "a line for the log") {
		time.Sleep(10 * time.Millisecond)
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "a line for the log") {
			if !strings.Contains(line, "plugin=test/fault") {
				t.Errorf("stderr line not tagged with the plugin: %s", line)
			}
			return
		}
	}
	t.Errorf("the plugin's stderr is not in the log:\n%s", logs.String())
}

// A host call must name the handle of a request in progress for that very
// plugin: a guessed, finished or another plugin's handle acts as no one.
func TestViewerHandlesCannotBeForged(t *testing.T) {
	p := newPortal(t, t.TempDir(), time.Second, nil)
	a := &Plugin{m: p.m, manifest: Manifest{ID: "test/a", Permissions: []string{"test:echo"}}}
	b := &Plugin{m: p.m, manifest: Manifest{ID: "test/b", Permissions: []string{"test:echo"}}}
	h, release := p.m.hold(lisa, "test/a")
	call := func(pl *Plugin, handle uint64) *pluginpb.CallResponse {
		resp, err := (&hostServer{p: pl}).Call(context.Background(), &pluginpb.CallRequest{ViewerHandle: handle, Method: "test.echo", Request: []byte(`{"word":"x"}`)})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	if r := call(a, h); r.Error != nil || !strings.Contains(string(r.Response), `"partner":3`) {
		t.Errorf("own handle: %+v", r)
	}
	for name, r := range map[string]*pluginpb.CallResponse{"guessed": call(a, h+1), "other plugin's": call(b, h)} {
		if r.Error == nil || r.Error.Code != sdk.CodePermission {
			t.Errorf("%s handle answered %+v", name, r)
		}
	}
	release()
	if r := call(a, h); r.Error == nil {
		t.Errorf("finished request's handle answered %+v", r)
	}
}

// A plugin that stops answering its health checks is restarted, and marked
// failed when it keeps hanging.
func TestWedgedPluginIsRestartedThenFailed(t *testing.T) {
	dir := t.TempDir()
	pdir := install(t, dir, nil)
	p := newPortal(t, dir, time.Second, func(o *Options) { o.HealthTimeout = 100 * time.Millisecond })
	if err := p.m.Load(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pdir, "freeze"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	st := waitState(t, p, StateFailed)
	if !strings.Contains(st.LastError, "health check") {
		t.Errorf("last error = %q, want the health check named", st.LastError)
	}
	os.Remove(filepath.Join(pdir, "freeze"))
	if err := p.m.Enable("test/fault"); err != nil {
		t.Fatal(err)
	}
	if r := p.room(t, "ok"); r[0].Err != nil {
		t.Errorf("after enable: %v", r[0].Err)
	}
}

// testLog discards the log, or shows it with ATRIUM_TEST_LOG=1.
func testLog() *slog.Logger {
	if os.Getenv("ATRIUM_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
