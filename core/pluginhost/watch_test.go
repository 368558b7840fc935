package pluginhost

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestSyncFollowsTheFolder: changes made to the plugins folder by another
// process (the CLI) reach a running manager: install, disable, enable, a
// half-copied install that must be ignored, and removal.
func TestSyncFollowsTheFolder(t *testing.T) {
	dir := t.TempDir()
	p := newPortal(t, dir, time.Second, nil)
	if err := p.m.Load(); err != nil {
		t.Fatal(err)
	}
	state := func() State {
		if pl, ok := p.m.Plugin("test/fault"); ok {
			return pl.State()
		}
		return "absent"
	}
	steps := []struct {
		name   string
		change func()
		want   State
	}{
		{"nothing installed", func() {}, "absent"},
		{"install", func() { install(t, dir, nil) }, StateRunning},
		{"disable", func() {
			if err := SetDisabled(dir, "test/fault", true); err != nil {
				t.Fatal(err)
			}
		}, StateDisabled},
		{"enable", func() {
			if err := SetDisabled(dir, "test/fault", false); err != nil {
				t.Fatal(err)
			}
		}, StateRunning},
		{"a copy being installed is ignored", func() {
			if err := os.MkdirAll(filepath.Join(dir, "test", "other.installing"), 0o755); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "test", "other.installing", ManifestFile), []byte("id: ["), 0o644)
		}, StateRunning},
		{"removed", func() {
			if err := os.RemoveAll(filepath.Join(dir, "test", "fault")); err != nil {
				t.Fatal(err)
			}
		}, "absent"},
	}
	for _, s := range steps {
		s.change()
		p.m.Sync()
		if got := state(); got != s.want {
			t.Fatalf("%s: plugin is %s, want %s", s.name, got, s.want)
		}
		if n := len(p.m.List()); (s.want == "absent" && n != 0) || (s.want != "absent" && n != 1) {
			t.Errorf("%s: %d plugins listed", s.name, n)
		}
	}
	if _, ok := p.reg.Block("test/fault"); ok {
		t.Error("a removed plugin's block type is still registered")
	}
	// Syncing again with nothing changed restarts nothing.
	install(t, dir, nil)
	p.m.Sync()
	before, _ := p.m.Plugin("test/fault")
	p.m.Sync()
	if after, _ := p.m.Plugin("test/fault"); after != before {
		t.Error("an unchanged plugin was restarted")
	}
}
