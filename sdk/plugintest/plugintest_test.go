package plugintest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/plugintest"
	"github.com/atriumhq/atrium/sdk/storage"
	"github.com/atriumhq/atrium/sdk/ui"
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
	plugintest.Check(t, filepath.Join("..", "examples", "nps"), exe, h)
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

// lenient accepts every config: the mistake Refuses exists to catch.
type lenient struct{}

func (lenient) Describe() sdk.BlockInfo { return sdk.BlockInfo{Name: "test/lenient"} }
func (lenient) Render(context.Context, sdk.RenderRequest) (ui.Component, error) {
	return ui.Text{Text: "drawn"}, nil
}
func (lenient) ValidateConfig(context.Context, json.RawMessage) error {
	return errors.New("title: is required")
}

// recorder is a testing.TB that keeps what would fail the test.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// Refuses fails a block that draws a config its validation refused, and one
// whose message does not say what is wrong.
func TestRefusesCatchesLenientBlocks(t *testing.T) {
	r := &recorder{TB: t}
	plugintest.Refuses(r, lenient{}, `{}`, "title: is required", "url: is required")
	if len(r.errors) != 2 || !strings.Contains(r.errors[0], `"url: is required"`) || !strings.Contains(r.errors[1], "Render accepted") {
		t.Errorf("Refuses reported %q", r.errors)
	}
}

// MemoryStorage pages records as the portal does: newest first, each once,
// Next 0 on the last page.
func TestMemoryStoragePages(t *testing.T) {
	h := plugintest.NewHost()
	plugintest.MemoryStorage(h)
	ctx, v := context.Background(), plugintest.Partner()
	for i := range 5 {
		if _, err := storage.Add.Call(ctx, h.As(v), storage.AddRequest{Collection: "c", Partner: true, Data: json.RawMessage(fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	req := storage.ListRequest{Collection: "c", Partner: true, Limit: 2}
	for pages := 0; ; pages++ {
		pg, err := storage.List.Call(ctx, h.As(v), req)
		if err != nil || pages > 5 {
			t.Fatalf("page %d: %v", pages, err)
		}
		for _, r := range pg.Records {
			got = append(got, string(r.Data))
		}
		if pg.Next == 0 {
			break
		}
		req.Before = pg.Next
	}
	if strings.Join(got, ",") != "4,3,2,1,0" {
		t.Errorf("pages gave %v", got)
	}
}
