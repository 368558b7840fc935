package main

import (
	"encoding/json"
	"fmt"
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
