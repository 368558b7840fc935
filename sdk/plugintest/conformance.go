package plugintest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/atriumhq/atrium/sdk/manifest"
	"github.com/atriumhq/atrium/sdk/plugincheck"
)

// Build compiles the main package at pkg (a path relative to the test's
// folder, such as "./cmd/nps") and returns the executable's path.
func Build(t testing.TB, pkg string) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "plugin")
	out, err := exec.Command("go", "build", "-o", exe, pkg).CombinedOutput()
	if err != nil {
		t.Fatalf("build %s: %v\n%s", pkg, err, out)
	}
	return exe
}

// Conformance checks the plugin whose plugin.yaml is in the test's folder
// (a plugin module's root, where its tests run), with exe as its executable
// for this platform, and fails the test with each problem the portal would
// refuse or break on; see [Check]. The manifest must name plugin id. h
// answers the plugin's host calls (nil: its settings and storage in
// memory).
func Conformance(t *testing.T, exe, id string, h *Host) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if m, err := manifest.Decode(mustRead(t, filepath.Join(wd, manifest.File))); err == nil && m.ID != id {
		t.Errorf("plugin.yaml says it is plugin %q, want %q", m.ID, id)
	}
	Check(t, wd, exe, h)
}

// Check runs the plugin checker on the plugin folder dir with exe as its
// executable for this platform (the manifest's executables need not be
// built), and fails the test with each problem: the manifest (unknown keys,
// permissions, versions), the handshake, provides against what exe
// describes, every config schema compiles and every default and example
// config passes it, names carry the vendor, every block renders with its
// default config within the portal's limits and address rules, its actions
// answer, and room types' staff sides render for staff. These are the
// checks `atrium plugins check` and `atrium plugins install` run. h answers
// the plugin's host calls (nil: its settings and storage in memory).
func Check(t *testing.T, dir, exe string, h *Host) {
	t.Helper()
	for _, p := range plugincheck.Check(context.Background(), dir, plugincheck.Options{Host: h, Executable: exe}) {
		t.Error(p)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("Conformance checks the plugin.yaml beside the test: %v (plugintest.Check names another folder)", err)
	}
	return b
}
