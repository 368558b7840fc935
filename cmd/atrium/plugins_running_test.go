package main

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/pluginhost"
	"go.yaml.in/yaml/v3"
	"testing"

	"github.com/atriumhq/atrium/core/store/storetest"
)

// A relative data folder (the default is ./atrium-data) means the same
// folder to every command and to the plugin processes they start: the
// plugin is installed, listed, and started to check a room file's config.
func TestRelativeDataFolder(t *testing.T) {
	pluginProcessTest(t)
	src := buildNPS(t)
	cfg := storetest.Config(t)
	t.Chdir(t.TempDir())
	flags := []string{"--data", "atrium-data", "--log-level", "error"}
	if cfg.DatabaseURL != "" {
		flags = append(flags, "--database-url", cfg.DatabaseURL)
	}
	room := writeFiles(t, map[string]string{"feedback.yaml": `apiVersion: atrium/v1
kind: Room
slug: feedback
title: Feedback
partnerTypes: [referral]
position: 90
blocks:
  - id: nps
    type: acme/nps
    config: {question: 42}
`})
	steps := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"plugins", "install", src}, 0, "Installed acme/nps"},
		{[]string{"plugins", "list"}, 0, "installed"},
		// The plugin runs, or the block type would be unknown rather than
		// its config refused by the plugin's schema.
		{[]string{"rooms", "validate", "-f", room}, 1, "question"},
	}
	for _, s := range steps {
		code, out, errOut := cli(t, flags, "", s.args...)
		if code != s.code || !strings.Contains(out+errOut, s.want) || strings.Contains(out+errOut, "no such file") ||
			strings.Contains(out+errOut, "unknown") {
			t.Errorf("%v: exit %d, output %q %q; want exit %d and %q", s.args, code, out, errOut, s.code, s.want)
		}
	}
}

// buildFaultPlugin builds the plugin host's misbehaving test plugin into a
// folder with its manifest, ready to install.
func buildFaultPlugin(t *testing.T) string {
	t.Helper()
	src := t.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(src, "testplugin"), "../../core/pluginhost/testdata/testplugin").CombinedOutput(); err != nil {
		t.Fatalf("build the fault plugin: %v\n%s", err, out)
	}
	manifest := fmt.Sprintf(`id: test/fault
name: Fault
version: 1.0.0
protocols: [1]
executables:
  %s/%s: {path: testplugin}
provides: {blocks: [test/fault, test/cached], rooms: [test/board]}
`, runtime.GOOS, runtime.GOARCH)
	if err := os.WriteFile(filepath.Join(src, pluginhost.ManifestFile), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	return src
}

// TestPluginStateIsTheSameEverywhere: `atrium plugins list`, the API and
// the admin page give a plugin the same state and reason, for a plugin the
// running portal refused (its manifest's provides do not match the
// executable: the folder alone cannot tell) and after it is fixed.
func TestPluginStateIsTheSameEverywhere(t *testing.T) {
	pluginProcessTest(t)
	src := buildNPS(t)
	p := startDemoPrepared(t, func(g *globals) {
		dir := pluginsDir(g)
		if _, err := pluginhost.Install(src, dir); err != nil {
			t.Fatal(err)
		}
		// Break the installed manifest behind install's back.
		m, err := pluginhost.ReadManifest(filepath.Join(dir, "acme", "nps"))
		if err != nil {
			t.Fatal(err)
		}
		m.Provides.Rooms = nil
		b, _ := yaml.Marshal(m)
		if err := os.WriteFile(filepath.Join(dir, "acme", "nps", pluginhost.ManifestFile), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}, func(o *serveOptions) { o.pluginWatch = 100 * time.Millisecond })
	admin := p.client(t, "admin@acme.example")
	flags := []string{"--data", p.g.data, "--log-level", "error"}
	agree := func(want pluginhost.State, reason string) {
		t.Helper()
		code, out := fetch(t, admin, p.URL+"/api/v1/plugins/acme/nps")
		var api pluginhost.Status
		if code != 200 || json.Unmarshal([]byte(out), &api) != nil {
			t.Fatalf("API: %d %s", code, out)
		}
		_, list, _ := cli(t, flags, "", "plugins", "list")
		_, inspect, _ := cli(t, flags, "", "plugins", "inspect", "acme/nps")
		_, page := fetch(t, admin, p.URL+"/admin/plugins")
		page = html.UnescapeString(page)
		if api.State != want || !strings.Contains(api.LastError, reason) {
			t.Errorf("API: %s %q, want %s %q", api.State, api.LastError, want, reason)
		}
		for name, got := range map[string]string{"plugins list": list, "plugins inspect": inspect, "admin page": page} {
			if !strings.Contains(got, string(want)) || !strings.Contains(got, api.LastError) {
				t.Errorf("%s does not say %s %q:\n%s", name, want, api.LastError, got)
			}
		}
	}
	agree(pluginhost.StateFailed, "the manifest lists")
	// A fixed copy installed from the command line runs, and every view
	// says so.
	if code, out, errOut := cli(t, flags, "", "plugins", "install", src); code != 0 {
		t.Fatalf("install: %s %s", out, errOut)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, out := fetch(t, admin, p.URL+"/api/v1/plugins/acme/nps")
		if strings.Contains(out, `"state":"running"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the reinstalled plugin did not run: %s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	agree(pluginhost.StateRunning, "")
}

// An admin's preview of a room whose plugin block panics shows the panic's
// message, and no stack with the paths of the machine the plugin was built
// on.
func TestPreviewOfAPanickingBlock(t *testing.T) {
	pluginProcessTest(t)
	src := buildFaultPlugin(t)
	p := startDemoPrepared(t, func(g *globals) {
		if _, err := pluginhost.Install(src, pluginsDir(g)); err != nil {
			t.Fatal(err)
		}
	}, nil)
	admin := p.client(t, "admin@acme.example")
	code, out := sendJSON(t, admin, "POST", p.URL+"/api/v1/rooms", `{"slug":"faulty","title":"Faulty","position":91,"partnerTypes":["referral"],
		"blocks":[{"id":"boom","type":"test/fault","config":{"do":"panic"}},{"id":"fine","type":"test/fault","config":{"do":"ok"}}]}`)
	if code >= 300 {
		t.Fatalf("create room: %d %s", code, out)
	}
	_, page := fetch(t, admin, p.URL+"/admin/rooms/faulty/preview?type=referral")
	page = html.UnescapeString(page)
	if !strings.Contains(page, "panicked: plugin bug") {
		t.Errorf("the preview does not show the panic's message:\n%s", page)
	}
	if strings.Contains(page, "goroutine") || strings.Contains(page, ".go:") {
		t.Errorf("the preview shows a stack:\n%s", page)
	}
}
