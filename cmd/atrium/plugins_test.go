package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/pluginhost"
	"github.com/atriumhq/atrium/sdk/manifest"
)

// buildNPS builds the example plugin into a fresh folder next to its manifest,
// as a plugin author would before installing it.
func buildNPS(t testing.TB) string {
	t.Helper()
	builtNPS.once.Do(func() { builtNPS.exe, builtNPS.err = buildNPSOnce() })
	if builtNPS.err != nil {
		t.Fatalf("build the example plugin: %v", builtNPS.err)
	}
	// Each test gets a copy: some replace or corrupt the executable.
	src := t.TempDir()
	exe, err := os.ReadFile(builtNPS.exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "nps"), exe, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "sdk", "examples", "nps", "plugin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "plugin.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return src
}

// builtNPS is the NPS example, built once per test binary (a build links a
// whole gRPC program: seconds of CPU each time) and removed when it ends.
var builtNPS struct {
	once sync.Once
	dir  string
	exe  string
	err  error
}

func buildNPSOnce() (string, error) {
	dir, err := os.MkdirTemp("", "atrium-nps-")
	if err != nil {
		return "", err
	}
	builtNPS.dir = dir
	exe := filepath.Join(dir, "nps")
	cmd := exec.Command("go", "build", "-o", exe, "./cmd/nps")
	cmd.Dir = filepath.Join("..", "..", "sdk", "examples", "nps")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%w\n%s", err, out)
	}
	return exe, nil
}

// removeBuiltNPS removes the built example when the test binary is done.
func removeBuiltNPS() {
	if builtNPS.dir != "" {
		os.RemoveAll(builtNPS.dir) //nolint:errcheck // a temporary folder
	}
}

var stateRE = regexp.MustCompile(`action="([^"]*/blocks/nps/actions/answer)"[\s\S]*?name="_state" value="([^"]+)"`)

// TestExamplePluginInAPortal installs the NPS example into a portal, puts its
// block in a room through the REST API, answers the survey over HTTP as a
// partner and sees the answer persist and count in the staff view.
func TestExamplePluginInAPortal(t *testing.T) {
	src := buildNPS(t)
	p := startDemoPrepared(t, func(g *globals) {
		if _, err := pluginhost.Install(src, pluginsDir(g)); err != nil {
			t.Fatal(err)
		}
	}, nil)
	admin := p.client(t, "admin@acme.example")
	room := `{"slug":"feedback","title":"Feedback","position":90,"partnerTypes":["referral","reseller","distributor","implementation"],
		"blocks":[{"id":"nps","type":"acme/nps","config":{"question":"Would you recommend us?"}}]}`
	req, _ := http.NewRequest("POST", p.URL+"/api/v1/rooms", strings.NewReader(room))
	req.Header.Set("Content-Type", "application/json")
	res, err := admin.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode >= 300 {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("create room: status %d: %s", res.StatusCode, b)
	}
	res.Body.Close()

	lisa := p.client(t, "lisa@carlosco.example")
	var body string
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		var code int
		if code, body = fetch(t, lisa, p.URL+"/rooms/feedback"); code == 200 && strings.Contains(body, "Would you recommend us?") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	m := stateRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no survey form in the room:\n%s", body)
	}
	form := url.Values{"score": {"9"}, "comment": {"Great program"}, "_state": {html.UnescapeString(m[2])}}
	req, _ = http.NewRequest("POST", p.URL+html.UnescapeString(m[1]), bytes.NewBufferString(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err = lisa.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: status %d", res.StatusCode)
	}
	if _, body = fetch(t, lisa, p.URL+"/rooms/feedback"); !strings.Contains(body, "Thank you") {
		t.Errorf("after answering, the room still asks:\n%s", body)
	}
	// The plugin's room template reaches the builder through the plugin
	// boundary, and a draft starts from it like from any other.
	code, out := sendJSON(t, admin, "GET", p.URL+"/api/v1/room-templates", "")
	if code != 200 || !strings.Contains(out, `"name":"acme/nps/campaign-funds"`) || !strings.Contains(out, `"origin":"acme/nps"`) {
		t.Errorf("templates: %d %s", code, out)
	}
	code, out = sendJSON(t, admin, "POST", p.URL+"/api/v1/room-templates/start",
		`{"template":"acme/nps/campaign-funds","slug":"funds","title":"Q1 funds","partnerTypes":["reseller"]}`)
	if code != 201 || !strings.Contains(out, `"type":"acme/mdf-requests"`) || !strings.Contains(out, `"title":"Q1 funds"`) {
		t.Errorf("start from the plugin's template: %d %s", code, out)
	}
	if code, _ := fetch(t, lisa, p.URL+"/rooms/funds"); code != 404 {
		t.Errorf("a draft made from a template reached a partner: %d", code)
	}
	// An admin keeps the room as the program's own template.
	code, out = sendJSON(t, admin, "POST", p.URL+"/api/v1/room-templates", `{"room":"funds","name":"funds-kit","description":"Our MDF room"}`)
	if code != 201 || !strings.Contains(out, `"origin":"program"`) {
		t.Fatalf("save as template: %d %s", code, out)
	}
	if code, out = sendJSON(t, admin, "POST", p.URL+"/api/v1/room-templates", `{"room":"funds","name":"funds-kit"}`); code != 422 ||
		!strings.Contains(out, "exists") {
		t.Errorf("a second template of the same name: %d %s", code, out)
	}
	// A template whose blocks no longer validate (its plugin uninstalled,
	// here a type nobody provides) is refused with the block and the
	// reason when a room is started from it, and nothing is saved.
	if _, err := p.services(t).db.NewRaw(`UPDATE room_templates SET document = replace(document, 'acme/mdf-requests', 'acme/gone') WHERE name = 'funds-kit'`).
		Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	code, out = sendJSON(t, admin, "POST", p.URL+"/api/v1/room-templates/start", `{"template":"funds-kit","slug":"funds-2","partnerTypes":["reseller"]}`)
	if code != 422 || !strings.Contains(out, "blocks[1].type") || !strings.Contains(out, "acme/gone") {
		t.Errorf("a template that no longer validates: %d %s", code, out)
	}
	if code, _ = sendJSON(t, admin, "GET", p.URL+"/api/v1/rooms/funds-2/draft", ""); code != 404 {
		t.Errorf("a refused start left a draft: %d", code)
	}
	// The answer persisted in plugin storage: staff see it counted.
	var st []pluginhost.Status
	code, out = fetch(t, admin, p.URL+"/api/v1/plugins")
	if code != 200 || !strings.Contains(out, `"acme/nps"`) || !strings.Contains(out, `"running"`) {
		t.Errorf("plugins API: %d %s", code, out)
	}
	_ = st
	// The admin page lists it, running.
	if code, page := fetch(t, admin, p.URL+"/admin/plugins"); code != 200 || !strings.Contains(page, "acme/nps") || !strings.Contains(page, "running") {
		t.Errorf("admin plugins page: %d\n%s", code, page)
	}
	ok := false
	for _, path := range []string{"/rooms/feedback", "/admin/rooms/feedback/preview"} {
		if _, body = fetch(t, admin, p.URL+path); strings.Contains(body, "1 answers: 1 promoters") {
			ok = true
		}
	}
	if !ok {
		t.Errorf("staff do not see the score")
	}
}

func TestPluginsCLI(t *testing.T) {
	pluginProcessTest(t)
	src := buildNPS(t)
	flags := []string{"--data", t.TempDir(), "--log-level", "error"}
	steps := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"plugins", "list"}, 0, "No plugins"},
		{[]string{"plugins", "check", src}, 0, "acme/nps 1.0.0 passes every check."},
		{[]string{"plugins", "check", t.TempDir()}, 1, "plugin.yaml: cannot read it"},
		{[]string{"plugins", "install", src}, 0, "Installed acme/nps 1.0.0"},
		{[]string{"plugins", "list"}, 0, "acme/nps  1.0.0    installed  acme/nps,acme/mdf-requests,acme/mdf"},
		{[]string{"plugins", "disable", "acme/nps"}, 0, "disabled"},
		{[]string{"plugins", "list"}, 0, "disabled"},
		{[]string{"plugins", "inspect", "acme/nps"}, 0, `"sha256": "`},
		{[]string{"plugins", "enable", "acme/nps"}, 0, "enabled"},
		{[]string{"plugins", "inspect", "acme/nope"}, 1, "no such plugin"},
		{[]string{"plugins", "install", t.TempDir()}, 1, "plugin.yaml"},
	}
	for _, s := range steps {
		code, out, errOut := cli(t, flags, "", s.args...)
		if code != s.code || !strings.Contains(out+errOut, s.want) {
			t.Errorf("%v: exit %d, output %q %q; want exit %d and %q", s.args, code, out, errOut, s.code, s.want)
		}
	}
}

// Room files may use a plugin's block types: the CLI starts the installed
// plugins to validate them.
func TestRoomFileWithPluginBlock(t *testing.T) {
	src := buildNPS(t)
	flags := dbFlags(t)
	if code, out, errOut := cli(t, flags, "", "plugins", "install", src); code != 0 {
		t.Fatalf("install: %s %s", out, errOut)
	}
	dir := writeFiles(t, map[string]string{"feedback.yaml": `apiVersion: atrium/v1
kind: Room
slug: feedback
title: Feedback
partnerTypes: [referral]
position: 90
blocks:
  - id: nps
    type: acme/nps
    config: {question: "Would you recommend us?"}
`})
	if code, out, errOut := cli(t, flags, "", "rooms", "apply", "-f", dir); code != 0 {
		t.Errorf("apply a room with a plugin block: exit %d: %s %s", code, out, errOut)
	}
	bad := writeFiles(t, map[string]string{"feedback.yaml": `apiVersion: atrium/v1
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
	if code, _, _ := cli(t, flags, "", "rooms", "validate", "-f", bad); code == 0 {
		t.Error("a plugin block's config was not checked against its schema")
	}
}

// The checker knows the permissions a plugin may ask for from the SDK's list
// (sdk/manifest): every permission the portal's host calls need must be on
// it, so a real permission is never refused. (The list may run ahead of the
// portal: an SDK call a portal does not serve yet answers
// sdk.ErrUnknownMethod.)
func TestPermissionListMatchesTheHostCalls(t *testing.T) {
	hosts := startDemo(t).services(t).hosts
	need := map[string]bool{}
	for _, perm := range hosts.Methods() {
		if perm != "" {
			need[perm] = true
		}
	}
	for perm := range need {
		if !manifest.KnownPermission(perm) {
			t.Errorf("host calls need %q, which sdk/manifest.Permissions lacks", perm)
		}
	}
}
