package pluginhost

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Installing runs the plugin checker first: a plugin the portal would
// refuse or break on is refused with its problems named, and the copy
// already installed keeps running, unchanged.
func TestInstallRefusesAFailingPluginAndKeepsTheInstalledCopy(t *testing.T) {
	exe, _ := os.ReadFile(testPlugin(t))
	source := func(provides, permissions string) string {
		src := t.TempDir()
		os.WriteFile(filepath.Join(src, "testplugin"), exe, 0o755)
		m := fmt.Sprintf("id: test/fault\nname: Fault\nversion: 1.0.0\nprotocols: [1]\nexecutables:\n  %s/%s: {path: testplugin}\nprovides: %s\npermissions: %s\n",
			runtime.GOOS, runtime.GOARCH, provides, permissions)
		os.WriteFile(filepath.Join(src, ManifestFile), []byte(m), 0o644)
		return src
	}
	good := "{blocks: [test/fault, test/cached], rooms: [test/board]}"
	p := newPortal(t, t.TempDir(), time.Second, nil)
	if _, err := p.m.Install(source(good, "[]")); err != nil {
		t.Fatal(err)
	}
	installed := filepath.Join(p.m.opt.Dir, "test", "fault", ManifestFile)
	before, _ := os.ReadFile(installed)
	tests := []struct {
		name, provides, permissions, want string
	}{
		{"provides does not match", "{blocks: [test/fault, test/other], rooms: [test/board]}", "[]",
			"plugin.yaml lists block type test/other, which the executable does not describe"},
		{"misspelt permission", good, "[storage:wirte]", `"storage:wirte" is not a permission the portal grants`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.m.Install(source(tt.provides, tt.permissions))
			var ce *CheckError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("install = %v, want a refusal naming %q", err, tt.want)
			}
			if after, _ := os.ReadFile(installed); string(after) != string(before) {
				t.Errorf("the installed manifest changed:\n%s", after)
			}
			if r := p.room(t, "ok"); r[0].Err != nil {
				t.Errorf("the installed copy stopped rendering: %v", r[0].Err)
			}
		})
	}
}
