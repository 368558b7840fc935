package plugintest_test

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/atriumhq/atrium/sdk/plugintest"
)

// The conformance check passes a real plugin: the example, built from its
// own module.
func TestConformanceOfTheExample(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "nps")
	cmd := exec.Command("go", "build", "-o", exe, "./cmd/nps")
	cmd.Dir = filepath.Join("..", "examples", "nps")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	h := plugintest.NewHost()
	plugintest.MemoryStorage(h)
	plugintest.Conformance(t, exe, "acme/nps", h)
}

// Launch gives a test the plugin's own description over the real protocol.
func TestLaunch(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "nps")
	cmd := exec.Command("go", "build", "-o", exe, "./cmd/nps")
	cmd.Dir = filepath.Join("..", "examples", "nps")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	c, err := plugintest.Launch(exe, plugintest.NewHost())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Description.PluginId != "acme/nps" || len(c.Description.Blocks) != 2 {
		t.Errorf("description = %+v", c.Description)
	}
}
