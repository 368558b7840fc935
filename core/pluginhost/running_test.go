package pluginhost

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/render"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
	goplugin "github.com/hashicorp/go-plugin"
)

// pid is the plugin's process now, or 0.
func pid(p *portal) int {
	if st := p.m.List(); len(st) > 0 {
		return st[0].PID
	}
	return 0
}

// A panic in any call the portal makes is an error for that call alone: the
// process lives on (same pid) and goes on rendering. Neither the error nor
// what an admin sees of it holds a stack; the log does.
func TestPanicsAreContained(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, nil)
	var logs syncBuffer
	p := newPortal(t, dir, 2*time.Second, func(o *Options) { o.Log = slog.New(slog.NewTextHandler(&logs, nil)) })
	if err := p.m.Load(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	bt, _ := p.reg.Block("test/fault")
	rt, _ := p.reg.RoomType("test/board")
	tests := []struct {
		method string
		call   func() error
		want   string
	}{
		{"Render", func() error { return p.room(t, "panic")[0].Err }, "block panic panicked: plugin bug"},
		{"Render beside another block", func() error {
			res := p.room(t, "panic", "ok")
			if res[1].Err != nil {
				return errors.New("the sibling failed too: " + res[1].Err.Error())
			}
			return res[0].Err
		}, "panicked: plugin bug"},
		{"ValidateConfig", func() error {
			return bt.Type.(sdk.ConfigValidator).ValidateConfig(ctx, json.RawMessage(`{"do":"panic-validate"}`))
		}, "ValidateConfig panicked: validator bug"},
		{"MigrateConfig", func() error {
			_, err := bt.Type.(sdk.ConfigMigrator).MigrateConfig(ctx, 0, json.RawMessage(`{"do":"panic-migrate"}`))
			return err
		}, "MigrateConfig panicked: migration bug"},
		{"Action", func() error {
			_, err := bt.Type.(sdk.ActionHandler).HandleAction(ctx, sdk.ActionRequest{Viewer: lisa, BlockID: "ok", Name: "panic"})
			return err
		}, "Action panicked: action bug"},
		{"RenderItem", func() error {
			_, err := rt.Type.(sdk.ItemRenderer).RenderItem(ctx, sdk.ItemRequest{Viewer: lisa, Path: "panic"})
			return err
		}, "RenderItem panicked: item page bug"},
	}
	before := pid(p)
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			err := tt.call()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if msg := err.Error(); strings.Contains(msg, "goroutine") || strings.Contains(msg, ".go:") {
				t.Errorf("the error shows a stack:\n%s", msg)
			}
			if r := p.room(t, "ok"); r[0].Err != nil || text(r[0]) != "hello Lisa" {
				t.Errorf("after the panic: %q %v", text(r[0]), r[0].Err)
			}
			if st := p.m.List()[0]; st.State != StateRunning || st.PID != before {
				t.Errorf("after the panic: %s pid %d, want running pid %d", st.State, st.PID, before)
			}
		})
	}
	// The stacks are in the log, one entry each, under the plugin's id.
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) && strings.Count(logs.String(), "stack=") < len(tests) {
		time.Sleep(20 * time.Millisecond)
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "panicked") && strings.Contains(line, "stack=") {
			if !strings.Contains(line, "plugin=test/fault") || !strings.Contains(line, "goroutine") {
				t.Errorf("a panic's log line lacks the plugin or the stack: %s", line)
			}
		}
	}
	if n := strings.Count(logs.String(), "stack="); n < len(tests) {
		t.Errorf("%d stacks logged for %d panics:\n%s", n, len(tests), logs.String())
	}
}

// A panicking Describe is an error at start, not a dead process with a
// broken pipe; the plugin starts once the fault is gone.
func TestDescribePanicIsAnError(t *testing.T) {
	dir := t.TempDir()
	pdir := install(t, dir, nil)
	os.WriteFile(filepath.Join(pdir, "describe-panic"), nil, 0o644)
	p := newPortal(t, dir, time.Second, nil)
	err := p.m.Load()
	if err == nil || !strings.Contains(err.Error(), "Describe panicked: describe bug") {
		t.Fatalf("Load = %v, want the panic named", err)
	}
	if st := p.m.List()[0]; st.State != StateFailed || !strings.Contains(st.LastError, "describe bug") {
		t.Errorf("status = %+v", st)
	}
	os.Remove(filepath.Join(pdir, "describe-panic"))
	if err := p.m.Enable("test/fault"); err != nil {
		t.Fatal(err)
	}
	if r := p.room(t, "ok"); r[0].Err != nil {
		t.Errorf("after the fix: %v", r[0].Err)
	}
}

// Every state change is in the log with the plugin and its reason.
func TestStateChangesAreLogged(t *testing.T) {
	dir := t.TempDir()
	pdir := install(t, dir, func(m *Manifest) { m.Provides.Blocks = []string{"test/other"} })
	var logs syncBuffer
	p := newPortal(t, dir, time.Second, func(o *Options) { o.Log = slog.New(slog.NewTextHandler(&logs, nil)) })
	_ = p.m.Load()
	install(t, dir, nil)
	p.m.Sync()
	if err := p.m.Disable("test/fault"); err != nil {
		t.Fatal(err)
	}
	_ = pdir
	for _, want := range []string{
		`level=ERROR msg="plugin failed" plugin=test/fault from=stopped reason="plugin test/fault: the executable provides blocks`,
		`level=INFO msg="plugin running" plugin=test/fault from=stopped`,
		`level=INFO msg="plugin disabled" plugin=test/fault from=stopped`,
	} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log lacks %s:\n%s", want, logs.String())
		}
	}
}

// The running portal publishes every plugin's status in the plugins
// folder, and Installed (what `atrium plugins list` prints) reports it as
// the portal has it, refusals included; once the portal is gone, the
// folder speaks again.
func TestInstalledSaysWhatThePortalSays(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, func(m *Manifest) { m.Provides.Blocks = []string{"test/other"} })
	p := newPortal(t, dir, time.Second, func(o *Options) { o.PublishStatus = true })
	_ = p.m.Load()
	same := func(when string) {
		t.Helper()
		cli, err := Installed(dir)
		if err != nil {
			t.Fatal(err)
		}
		api := p.m.List()
		if len(cli) != 1 || cli[0].State != api[0].State || cli[0].LastError != api[0].LastError {
			t.Errorf("%s: the command line says %+v, the portal %+v", when, cli, api)
		}
	}
	same("refused")
	if st := p.m.List()[0]; st.State != StateFailed {
		t.Fatalf("a plugin whose provides differ is %s", st.State)
	}
	install(t, dir, nil)
	p.m.Sync()
	same("reinstalled")
	if err := p.m.Disable("test/fault"); err != nil {
		t.Fatal(err)
	}
	same("disabled")
	if err := p.m.Enable("test/fault"); err != nil {
		t.Fatal(err)
	}
	same("enabled")
	if st, _ := Installed(dir); st[0].State != StateRunning {
		t.Errorf("running plugin listed as %s", st[0].State)
	}
	// A failed call's error reaches the command line within a second.
	p.room(t, "panic")
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		st, _ := Installed(dir)
		if strings.Contains(st[0].LastError, "plugin bug") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the command line's last error is %q 2s after the portal's became %q", st[0].LastError, p.m.List()[0].LastError)
		}
	}
	same("after a failed call")
	p.m.Close()
	if st, _ := Installed(dir); st[0].State != "installed" {
		t.Errorf("after the portal stopped: %s, want installed", st[0].State)
	}
}

// An executable replaced under a running plugin stops it at the watcher's
// next look, failed with the checksum message; putting the installed one
// back starts it again.
func TestExecutableChangedWhileRunning(t *testing.T) {
	dir := t.TempDir()
	pdir := install(t, dir, nil)
	p := newPortal(t, dir, time.Second, nil)
	if err := p.m.Load(); err != nil {
		t.Fatal(err)
	}
	old := pid(p)
	restore := replaceExecutable(t, pdir)
	p.m.Sync()
	st := p.m.List()[0]
	if st.State != StateFailed || !strings.Contains(st.LastError, "checksum mismatch") {
		t.Fatalf("after the executable changed: %+v", st)
	}
	if processAlive(old) {
		t.Errorf("the process of the changed executable still runs")
	}
	p.m.Sync() // nothing changed since: it stays failed
	if st := p.m.List()[0]; st.State != StateFailed {
		t.Errorf("looked at twice: %s", st.State)
	}
	restore()
	p.m.Sync()
	if st := p.m.List()[0]; st.State != StateRunning {
		t.Fatalf("with the installed executable back: %+v", st)
	}
	if r := p.room(t, "ok"); r[0].Err != nil {
		t.Errorf("after restore: %v", r[0].Err)
	}
}

// replaceExecutable puts a different file in place of the plugin's
// executable, as a copy over it would (by rename: Linux refuses to write a
// running executable), and returns how to put the original back.
func replaceExecutable(t *testing.T, pdir string) func() {
	t.Helper()
	exe := filepath.Join(pdir, "testplugin")
	saved := filepath.Join(t.TempDir(), "testplugin")
	if err := os.Link(exe, saved); err != nil {
		t.Fatal(err)
	}
	tmp := exe + ".new"
	if err := os.WriteFile(tmp, []byte("#!/bin/sh\necho not the plugin\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, exe); err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := os.Rename(saved, exe); err != nil {
			t.Fatal(err)
		}
	}
}

// A plugin whose portal's connection closes without a goodbye (the portal
// died) leaves: the SDK's server stops and Serve returns. This is what ends
// plugins where no parent-death signal exists.
func TestPluginLeavesWhenItsHostConnectionCloses(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, nil)
	p := newPortal(t, dir, time.Second, func(o *Options) { o.HealthInterval = time.Hour })
	if err := p.m.Load(); err != nil {
		t.Fatal(err)
	}
	pl, _ := p.m.Plugin("test/fault")
	pl.mu.RLock()
	client := pl.client
	pl.mu.RUnlock()
	rc, err := client.Client()
	if err != nil {
		t.Fatal(err)
	}
	rc.(*goplugin.GRPCClient).Conn.Close()
	deadline := time.Now().Add(5 * time.Second)
	for !client.Exited() {
		if time.Now().After(deadline) {
			t.Fatal("the plugin still runs 5s after its portal's connection closed")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// builtin is an in-process block on the same page as the plugin's, which
// must render whatever the plugin does.
type builtin struct{}

func (builtin) Describe() sdk.BlockInfo { return sdk.BlockInfo{Name: "builtin", Title: "Built in"} }
func (builtin) Render(context.Context, sdk.RenderRequest) (ui.Component, error) {
	return ui.Text{Text: "built in"}, nil
}

// TestFaults puts a plugin through each fault while a partner's page (the
// plugin's block beside a built-in one) is rendered again and again: every
// render answers within the block deadline plus a small margin, the
// built-in block always renders, and once the fault ends the plugin is
// running and renders again.
func TestFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("each fault runs for seconds; -short leaves them out")
	}
	const deadline, margin = 300 * time.Millisecond, 250 * time.Millisecond
	signal := func(sig syscall.Signal) func(*testing.T, *portal, string) {
		return func(t *testing.T, p *portal, _ string) { syscall.Kill(pid(p), sig) }
	}
	file := func(name string) (func(*testing.T, *portal, string), func(*testing.T, *portal, string)) {
		return func(t *testing.T, _ *portal, pdir string) { os.WriteFile(filepath.Join(pdir, name), nil, 0o644) },
			func(t *testing.T, _ *portal, pdir string) { os.Remove(filepath.Join(pdir, name)) }
	}
	var restore func()
	tests := []struct {
		name       string
		start, end func(t *testing.T, p *portal, pdir string)
		hangAfter  int
		harmless   bool // the page is not hurt at all
	}{
		{name: "killed", start: signal(syscall.SIGKILL)},
		{name: "hung, caught by the health check", start: signal(syscall.SIGSTOP), hangAfter: 1000},
		{name: "hung, caught by its calls' timeouts", start: signal(syscall.SIGSTOP)},
		{name: "slow"},
		{name: "garbage"},
		{name: "oversized"},
		{name: "noise", harmless: true},
		{name: "executable replaced", start: func(t *testing.T, p *portal, pdir string) {
			restore = replaceExecutable(t, pdir)
			p.m.Sync()
		}, end: func(t *testing.T, p *portal, _ string) {
			restore()
			p.m.Sync()
		}},
	}
	for _, tt := range tests {
		if tt.start == nil {
			tt.start, tt.end = file(tt.name)
		}
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			pdir := install(t, dir, nil)
			healthTimeout := 100 * time.Millisecond
			if tt.hangAfter == 0 {
				healthTimeout = 5 * time.Second // the calls' timeouts must be what catches it
			}
			p := newPortal(t, dir, deadline, func(o *Options) {
				o.MaxFailures, o.HealthTimeout = 100, healthTimeout
				if tt.hangAfter > 0 {
					o.HangAfter = tt.hangAfter
				}
			})
			if err := p.reg.Register(sdk.Plugin{ID: "builtin", Blocks: []sdk.BlockType{builtin{}}}); err != nil {
				t.Fatal(err)
			}
			if err := p.m.Load(); err != nil {
				t.Fatal(err)
			}
			before := pid(p)
			page := func() []render.Result {
				t.Helper()
				start := time.Now()
				res := p.r.Room(context.Background(), &room.Room{Slug: "r", Name: "r", Blocks: []room.Block{
					{ID: "ok", Type: "test/fault", Config: json.RawMessage(`{"do":"ok"}`)}, {ID: "b", Type: "builtin"}}},
					lisa, program.Default())
				if took := time.Since(start); took > deadline+margin {
					t.Errorf("the page took %s (deadline %s)", took, deadline)
				}
				if res[1].Err != nil {
					t.Errorf("the built-in block failed beside the plugin: %v", res[1].Err)
				}
				return res
			}
			tt.start(t, p, pdir)
			failures := 0
			for end := time.Now().Add(1500 * time.Millisecond); time.Now().Before(end); {
				if page()[0].Err != nil {
					failures++
				}
				time.Sleep(50 * time.Millisecond)
			}
			if failures == 0 && !tt.harmless {
				t.Errorf("the fault did not show: the plugin's block always rendered")
			}
			if failures > 0 && tt.harmless {
				t.Errorf("the plugin's block failed %d times", failures)
			}
			if tt.end != nil {
				tt.end(t, p, pdir)
			}
			if before > 0 {
				syscall.Kill(before, syscall.SIGCONT) // ends the freeze of a process not killed
			}
			var last error
			for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
				res := page()
				if last = res[0].Err; last == nil && text(res[0]) == "hello Lisa" && p.m.List()[0].State == StateRunning {
					break
				}
			}
			if st := p.m.List()[0]; last != nil || st.State != StateRunning {
				t.Fatalf("after the fault: %s (%s), last render: %v", st.State, st.LastError, last)
			}
			if st := p.m.List()[0]; strings.HasPrefix(tt.name, "hung") && (st.Restarts == 0 || !strings.Contains(st.LastRestart, "hung")) {
				t.Errorf("a hung plugin restarted without saying why: %+v", st)
			}
		})
	}
}
