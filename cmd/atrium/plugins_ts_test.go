package main

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/pluginhost"
)

// buildKudos builds the TypeScript example (sdk/examples/kudos-ts) with
// npm and puts its manifest and executable in a fresh folder. Without
// Node.js and npm the test is skipped, except in CI, where it fails.
func buildKudos(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed; CI builds the TypeScript example plugin with it", tool)
			}
			t.Skipf("%s is not installed: the TypeScript example plugin is not built (CI runs this test)", tool)
		}
	}
	dir := filepath.Join("..", "..", "sdk", "examples", "kudos-ts")
	run := func(name string, args ...string) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %s in %s: %v\n%s", name, strings.Join(args, " "), dir, err, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		run("npm", "ci", "--no-audit", "--no-fund")
	}
	// npm run build, without npm's own start-up, into the test's own
	// folder: CI's two passes run this test at the same time.
	src := t.TempDir()
	run("node", "build.mjs", filepath.Join(src, "dist", "kudos"))
	b, err := os.ReadFile(filepath.Join(dir, "plugin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "plugin.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return src
}

var kudosFormRE = regexp.MustCompile(`action="([^"]*/blocks/thanks/actions/send)"[\s\S]*?name="_state" value="([^"]+)"`)

// A plugin written in TypeScript passes the same checker as a Go one,
// installs into a portal, renders its block for a partner and answers its
// form: the protocol is gRPC, not Go.
func TestTypeScriptPluginInAPortal(t *testing.T) {
	pluginProcessTest(t)
	src := buildKudos(t)
	if code, out, errOut := cli(t, []string{"--data", t.TempDir(), "--log-level", "error"}, "", "plugins", "check", src); code != 0 ||
		!strings.Contains(out, "acme/kudos 1.0.0 passes every check.") {
		t.Fatalf("check: exit %d\n%s%s", code, out, errOut)
	}
	p := startDemoPrepared(t, func(g *globals) {
		if _, err := pluginhost.Install(src, pluginsDir(g)); err != nil {
			t.Fatal(err)
		}
	}, nil)
	admin := p.client(t, "admin@acme.example")
	room := `{"slug":"thanks","title":"Thanks","position":91,"partnerTypes":["referral","reseller","distributor","implementation"],
		"blocks":[{"id":"thanks","type":"acme/kudos","config":{"title":"Say thanks","prompt":"Who made your quarter?"}}]}`
	if code, out := sendJSON(t, admin, "POST", p.URL+"/api/v1/rooms", room); code >= 300 {
		t.Fatalf("create the room: %d %s", code, out)
	}
	lisa := p.client(t, "lisa@carlosco.example")
	var body string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if _, body = fetch(t, lisa, p.URL+"/rooms/thanks"); strings.Contains(body, "Who made your quarter?") {
			break
		}
	}
	if !strings.Contains(body, "Say thanks") || !strings.Contains(body, "Hi Lisa") {
		t.Fatalf("the block did not render its config for the viewer:\n%s", body)
	}
	m := kudosFormRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no kudos form in the room:\n%s", body)
	}
	// send posts the form and returns the page the partner then sees: the
	// form again with its errors, or the room after the redirect.
	send := func(who string) (int, string) {
		form := url.Values{"who": {who}, "why": {"Fast answers"}, "_state": {html.UnescapeString(m[2])}}
		req, _ := http.NewRequest("POST", p.URL+html.UnescapeString(m[1]), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := lisa.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode == http.StatusSeeOther {
			_, page := fetch(t, lisa, p.URL+"/rooms/thanks")
			return res.StatusCode, page
		}
		return res.StatusCode, string(b)
	}
	tests := []struct {
		who, want string
		code      int
	}{
		{"", "Say who the kudos are for.", http.StatusUnprocessableEntity},
		{"Mike <b>", "Kudos to Mike <b> sent from Carlos", http.StatusSeeOther},
	}
	for _, tt := range tests {
		code, page := send(tt.who)
		if code != tt.code {
			t.Errorf("send %q: status %d, want %d", tt.who, code, tt.code)
		}
		// The portal escapes what the plugin says, as it does a Go plugin's.
		if !strings.Contains(page, html.EscapeString(tt.want)) {
			t.Errorf("send %q: the room does not say %q", tt.who, tt.want)
		}
	}
	if code, out := fetch(t, admin, p.URL+"/api/v1/plugins/acme/kudos"); code != 200 || !strings.Contains(out, `"running"`) {
		t.Errorf("the plugin is not running: %d %s", code, out)
	}
}
