package main

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/pluginhost"
)

// TestPluginsDieWithTheirPortal starts a real portal process with the
// example plugin, kills the portal with SIGKILL (no chance to stop its
// plugins) and expects the plugin process gone within seconds. The plugin
// is frozen first (SIGSTOP), so it cannot notice its portal leaving by
// itself: only the parent-death signal can end it.
func TestPluginsDieWithTheirPortal(t *testing.T) {
	pluginProcessTest(t)
	if testing.Short() {
		t.Skip("builds and runs whole portal processes; -short leaves it out")
	}
	for _, frozen := range []bool{false, true} {
		t.Run(fmt.Sprintf("frozen=%v", frozen), func(t *testing.T) {
			exe := buildAtrium(t)
			data := t.TempDir()
			if _, err := pluginhost.Install(buildNPS(t), filepath.Join(data, "plugins")); err != nil {
				t.Fatal(err)
			}
			portal := exec.Command(exe, "serve", "--data", data, "--addr", "127.0.0.1:0", "--log-level", "error")
			portal.Env = append(os.Environ(), "ATRIUM_DATABASE_URL=")
			if err := portal.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { portal.Process.Kill(); portal.Wait() })
			plugin := runningPluginPID(t, data, "acme/nps")
			if frozen {
				syscall.Kill(plugin, syscall.SIGSTOP)
			}
			portal.Process.Kill()
			portal.Wait()
			deadline := time.Now().Add(3 * time.Second)
			for alive(plugin) {
				if time.Now().After(deadline) {
					syscall.Kill(plugin, syscall.SIGKILL)
					t.Fatalf("plugin process %d outlived its portal by 3s", plugin)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

var (
	atriumOnce sync.Once
	atriumExe  string
	atriumErr  error
)

// buildAtrium builds this command once per test binary.
func buildAtrium(t *testing.T) string {
	t.Helper()
	atriumOnce.Do(func() {
		dir, err := os.MkdirTemp("", "atrium-bin")
		if err != nil {
			atriumErr = err
			return
		}
		atriumExe = filepath.Join(dir, "atrium")
		if out, err := exec.Command("go", "build", "-o", atriumExe, ".").CombinedOutput(); err != nil {
			atriumErr = fmt.Errorf("build atrium: %v\n%s", err, out)
		}
	})
	if atriumErr != nil {
		t.Fatal(atriumErr)
	}
	return atriumExe
}

// runningPluginPID waits for the portal on data to publish plugin id as
// running and returns its process id.
func runningPluginPID(t *testing.T, data, id string) int {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(filepath.Join(data, "plugins", pluginhost.StatusFile))
		var pub struct {
			Plugins []pluginhost.Status `json:"plugins"`
		}
		if json.Unmarshal(b, &pub) == nil {
			for _, s := range pub.Plugins {
				if s.ID == id && s.State == pluginhost.StateRunning && s.PID > 0 {
					return s.PID
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the portal did not report %s running within 30s", id)
	return 0
}

// alive reports whether process pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z")
}

// TestFrozenPluginIsRestarted freezes the example plugin (SIGSTOP) under a
// running portal: the partner's page keeps answering within the block
// deadline and a margin, the portal kills the frozen process and starts a
// new one, and the admin page and API say it restarted and why.
func TestFrozenPluginIsRestarted(t *testing.T) {
	pluginProcessTest(t)
	if testing.Short() {
		t.Skip("waits for a frozen plugin to be replaced; -short leaves it out")
	}
	const blockDeadline, margin = 500 * time.Millisecond, 700 * time.Millisecond
	src := buildNPS(t)
	p := startDemoPrepared(t, func(g *globals) {
		if _, err := pluginhost.Install(src, pluginsDir(g)); err != nil {
			t.Fatal(err)
		}
	}, func(o *serveOptions) { o.blockTimeout = blockDeadline })
	admin := p.client(t, "admin@acme.example")
	if code, out := sendJSON(t, admin, "POST", p.URL+"/api/v1/rooms", `{"slug":"feedback","title":"Feedback","position":90,
		"partnerTypes":["referral","reseller","distributor","implementation"],"blocks":[{"id":"nps","type":"acme/nps","config":{"question":"Would you recommend us?"}}]}`); code >= 300 {
		t.Fatalf("create room: %d %s", code, out)
	}
	status := func() pluginhost.Status {
		t.Helper()
		var st pluginhost.Status
		_, out := fetch(t, admin, p.URL+"/api/v1/plugins/acme/nps")
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		return st
	}
	lisa := p.client(t, "lisa@carlosco.example")
	page := func() bool {
		t.Helper()
		start := time.Now()
		code, body := fetch(t, lisa, p.URL+"/rooms/feedback")
		if took := time.Since(start); took > blockDeadline+margin {
			t.Errorf("the page took %s with a block deadline of %s", took, blockDeadline)
		}
		if code != 200 {
			t.Errorf("the page answered %d", code)
		}
		return strings.Contains(body, "Would you recommend us?")
	}
	for ready := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if _, body := fetch(t, lisa, p.URL+"/rooms/feedback"); strings.Contains(body, "Would you recommend us?") {
			break
		}
		if time.Now().After(ready) {
			t.Fatal("the survey does not show before the fault")
		}
	}
	frozen := status().PID
	syscall.Kill(frozen, syscall.SIGSTOP)
	defer syscall.Kill(frozen, syscall.SIGCONT)
	deadline := time.Now().Add(20 * time.Second)
	for {
		st := status()
		if st.State == pluginhost.StateRunning && st.PID != frozen && page() {
			if st.Restarts == 0 || !strings.Contains(st.LastRestart, "hung") {
				t.Errorf("the restart is not explained: %+v", st)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the frozen plugin was not replaced within 20s: %+v", st)
		}
		page()
		time.Sleep(100 * time.Millisecond)
	}
	if alive(frozen) {
		t.Errorf("the frozen process %d still exists", frozen)
	}
	if _, body := fetch(t, admin, p.URL+"/admin/plugins"); !strings.Contains(html.UnescapeString(body), "Restarts: 1") {
		t.Errorf("the admin page does not show the restart:\n%s", body)
	}
}
