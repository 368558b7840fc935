package main

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/pluginhost"
)

// formOf finds the form posting to a block action in a page: its action URL
// and signed state.
func formOf(t *testing.T, page, block, action string) (string, string, bool) {
	t.Helper()
	re := regexp.MustCompile(`action="([^"]*/blocks/` + regexp.QuoteMeta(block) + `/actions/` + regexp.QuoteMeta(action) + `)"[\s\S]*?name="_state" value="([^"]+)"`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		return "", "", false
	}
	return html.UnescapeString(m[1]), html.UnescapeString(m[2]), true
}

func postForm(t *testing.T, c *http.Client, u string, form url.Values) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func sendJSON(t *testing.T, c *http.Client, method, u, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestPluginStaffSide runs the MDF example end to end over HTTP with the
// built plugin: a partner requests funds, their manager finds the request on
// the staff side and rejects it with a reason the partner then sees, while a
// manager of other partners neither sees it nor can decide it. The MDF cap
// comes from the plugin's settings, set by an admin.
func TestPluginStaffSide(t *testing.T) {
	src := buildNPS(t)
	p := startDemoPrepared(t, func(g *globals) {
		if _, err := pluginhost.Install(src, pluginsDir(g)); err != nil {
			t.Fatal(err)
		}
	}, nil)
	admin, lisa := p.client(t, "admin@acme.example"), p.client(t, "lisa@carlosco.example")
	mike, priya := p.client(t, "mike@acme.example"), p.client(t, "priya@acme.example")
	room := `{"slug":"mdf","title":"Funds","type":"acme/mdf","position":91,"partnerTypes":["referral","reseller","distributor","implementation"]}`
	if code, out := sendJSON(t, admin, "POST", p.URL+"/api/v1/rooms", room); code >= 300 {
		t.Fatalf("create the MDF room: %d %s", code, out)
	}

	// An admin caps requests at 5000 through the REST API; a bad value is
	// refused with the field named.
	if code, out := sendJSON(t, admin, "PUT", p.URL+"/api/v1/plugins/acme/nps/settings", `{"mdfCap":"lots"}`); code != 422 || !strings.Contains(out, "mdfCap") {
		t.Errorf("a string cap: %d %s", code, out)
	}
	if code, out := sendJSON(t, admin, "PUT", p.URL+"/api/v1/plugins/acme/nps/settings", `{"mdfCap":5000}`); code != 200 || !strings.Contains(out, `"mdfCap":5000`) {
		t.Fatalf("set the cap: %d %s", code, out)
	}

	var page string
	var action, state string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		_, page = fetch(t, lisa, p.URL+"/rooms/mdf")
		var ok bool
		if action, state, ok = formOf(t, page, "mdf-requests", "request"); ok {
			break
		}
	}
	if action == "" {
		t.Fatalf("no request form in the partner's MDF room:\n%s", page)
	}
	req, _ := http.NewRequest("POST", p.URL+action, strings.NewReader(url.Values{"amount": {"9000"}, "purpose": {"Too big"}, "_state": {state}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := lisa.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 422 || !strings.Contains(string(b), "between 1 and 5000") {
		t.Errorf("a request over the cap set in the settings was not refused: %d\n%s", res.StatusCode, b)
	}
	if _, page = fetch(t, lisa, p.URL+"/rooms/mdf"); strings.Contains(page, "Too big") {
		t.Errorf("a request over the cap set in the settings was not refused:\n%s", page)
	}
	_, state, _ = formOf(t, page, "mdf-requests", "request")
	postForm(t, lisa, p.URL+action, url.Values{"amount": {"4000"}, "purpose": {"Booth at CloudConf"}, "_state": {state}})

	// Staff find the room type in their navigation.
	code, page := fetch(t, mike, p.URL+"/admin")
	if code != 200 || !strings.Contains(page, `href="/admin/work/acme.mdf"`) {
		t.Errorf("the staff navigation lacks the MDF staff view: %d", code)
	}
	// Priya manages other partners: the page opens, empty of Carlos & Co.
	code, page = fetch(t, priya, p.URL+"/admin/work/acme.mdf")
	if code != 200 || strings.Contains(page, "Booth at CloudConf") {
		t.Errorf("a manager of other partners sees the request: %d", code)
	}
	if _, _, ok := formOf(t, page, "mdf-requests", "decide"); ok {
		t.Error("a manager of other partners is offered a decision")
	}
	code, page = fetch(t, mike, p.URL+"/admin/work/acme.mdf")
	if code != 200 || !strings.Contains(page, "Booth at CloudConf") || !strings.Contains(page, "Carlos") {
		t.Fatalf("the partner's manager does not see the request: %d\n%s", code, page)
	}
	decide, token, ok := formOf(t, page, "mdf-requests", "decide")
	if !ok {
		t.Fatalf("no decision form for the partner's manager:\n%s", page)
	}
	// Priya replays Mike's form: the signed state is Mike's, and nothing
	// changes.
	postForm(t, priya, p.URL+decide, url.Values{"decision": {"approved"}, "reason": {"ok"}, "_state": {token}})
	if _, page = fetch(t, lisa, p.URL+"/rooms/mdf"); strings.Contains(page, "approved") {
		t.Fatal("a manager of other partners approved the request")
	}
	// A partner cannot reach the staff side at all.
	if res := postForm(t, lisa, p.URL+decide, url.Values{"decision": {"approved"}, "reason": {"ok"}, "_state": {token}}); res.StatusCode != 404 && res.StatusCode != 403 {
		t.Errorf("a partner posted to the staff side: %d", res.StatusCode)
	}
	// No reason: refused with the field named, on the page drawn again.
	noReason, _ := http.NewRequest("POST", p.URL+decide, strings.NewReader(url.Values{"decision": {"rejected"}, "_state": {token}}.Encode()))
	noReason.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	refused, err := mike.Do(noReason)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(refused.Body)
	refused.Body.Close()
	if refused.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "Give the partner a reason") {
		t.Errorf("a decision without a reason was not refused: %d", refused.StatusCode)
	}
	if res := postForm(t, mike, p.URL+decide, url.Values{"decision": {"rejected"}, "reason": {"Budget for Q4 is spent"}, "_state": {token}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decide: %d", res.StatusCode)
	}
	_, page = fetch(t, mike, p.URL+"/admin/work/acme.mdf")
	if _, _, ok := formOf(t, page, "mdf-requests", "decide"); ok {
		t.Error("a decided request is still offered for a decision")
	}
	if _, page = fetch(t, lisa, p.URL+"/rooms/mdf"); !strings.Contains(page, "rejected") || !strings.Contains(page, "Budget for Q4 is spent") {
		t.Errorf("the partner does not see the decision and its reason:\n%s", page)
	}
	// Posting the same form again does not decide twice.
	postForm(t, mike, p.URL+decide, url.Values{"decision": {"approved"}, "reason": {"changed my mind"}, "_state": {token}})
	if _, page = fetch(t, lisa, p.URL+"/rooms/mdf"); strings.Contains(page, "changed my mind") {
		t.Error("a decided request was decided again")
	}

	// The pages of older requests are the room type's item pages, served
	// across the process boundary; a decision made there reaches the room
	// type's own action handler.
	_, page = fetch(t, lisa, p.URL+"/rooms/mdf")
	_, state, _ = formOf(t, page, "mdf-requests", "request")
	postForm(t, lisa, p.URL+action, url.Values{"amount": {"1500"}, "purpose": {"Webinar series"}, "_state": {state}})
	older := p.URL + "/admin/work/acme.mdf/items/older?before=1000000000"
	code, page = fetch(t, mike, older)
	if code != 200 || !strings.Contains(page, "Webinar series") || !strings.Contains(page, "Newest requests") {
		t.Fatalf("the older requests page: %d\n%s", code, page)
	}
	decide, token, ok = formOf(t, page, "item", "decide")
	if !ok {
		t.Fatalf("no decision form on the older requests page:\n%s", page)
	}
	if res := postForm(t, mike, p.URL+decide, url.Values{"decision": {"approved"}, "reason": {"Good reach"}, "_state": {token}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decide on the older requests page: %d", res.StatusCode)
	}
	if _, page = fetch(t, lisa, p.URL+"/rooms/mdf/items/older?before=1000000000"); !strings.Contains(page, "Good reach") {
		t.Errorf("the partner's older requests page lacks the decision:\n%s", page)
	}
	for _, u := range []string{"/admin/work/acme.mdf/items/older?before=x", "/admin/work/acme.mdf/items/older", "/admin/work/acme.mdf/items/elsewhere"} {
		if code, _ := fetch(t, mike, p.URL+u); code != 404 {
			t.Errorf("%s: %d, want 404", u, code)
		}
	}
}

// TestPluginSettingsPage: admins edit a plugin's settings on the plugins
// page, with the schema's problems shown per field.
func TestPluginSettingsPage(t *testing.T) {
	src := buildNPS(t)
	p := startDemoPrepared(t, func(g *globals) {
		if _, err := pluginhost.Install(src, pluginsDir(g)); err != nil {
			t.Fatal(err)
		}
	}, nil)
	admin := p.client(t, "admin@acme.example")
	if code, page := fetch(t, admin, p.URL+"/admin/plugins"); code != 200 || !strings.Contains(page, `href="/admin/plugins/acme/nps/settings"`) {
		t.Errorf("the plugins page does not link the settings: %d", code)
	}
	code, page := fetch(t, admin, p.URL+"/admin/plugins/acme/nps/settings")
	if code != 200 || !strings.Contains(page, "Largest MDF request (USD)") || !strings.Contains(page, "mdfCap") {
		t.Fatalf("settings page: %d\n%s", code, page)
	}
	req, _ := http.NewRequest("POST", p.URL+"/admin/plugins/acme/nps/settings", strings.NewReader(url.Values{"settings": {`{"mdfCap": 0, "colour": "red"}`}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := admin.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 422 || !bytes.Contains(b, []byte("mdfCap")) || !bytes.Contains(b, []byte("colour")) {
		t.Errorf("bad settings: %d\n%s", res.StatusCode, b)
	}
	// An admin whose browser asks for German reads the schema's problems
	// and the settings' own in German.
	german := speaking(admin, "de")
	for _, tc := range []struct{ settings, want, notWant string }{
		{`{"mdfCap": 0, "colour": "red"}`, "<code>colour</code>: unbekanntes Feld", "unknown field"},
		{`{"mdfCap": 0}`, "<code>mdfCap</code>: mindestens 1 (jetzt 0)", "minimum: got"},
		{`{"question": ""}`, "<code>question</code>: mindestens 1 Zeichen (jetzt 0)", "minLength: got"},
		{`["a list"]`, "die Einstellungen müssen ein JSON-Objekt sein", "settings must be a JSON object"},
	} {
		req, _ := http.NewRequest("POST", p.URL+"/admin/plugins/acme/nps/settings", strings.NewReader(url.Values{"settings": {tc.settings}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := german.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 422 || !bytes.Contains(b, []byte(tc.want)) || bytes.Contains(b, []byte(tc.notWant)) {
			t.Errorf("bad settings %s for a German reader: %d, want %q and not %q\n%s", tc.settings, res.StatusCode, tc.want, tc.notWant, b)
		}
	}
	if res := postForm(t, admin, p.URL+"/admin/plugins/acme/nps/settings", url.Values{"settings": {`{"question":"Would you recommend us?"}`}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save settings: %d", res.StatusCode)
	}
	// The survey block without a question of its own asks the one set.
	room := `{"slug":"feedback","title":"Feedback","position":90,"partnerTypes":["referral","reseller","distributor","implementation"],"blocks":[{"id":"nps","type":"acme/nps"}]}`
	if code, out := sendJSON(t, admin, "POST", p.URL+"/api/v1/rooms", room); code >= 300 {
		t.Fatalf("create room: %d %s", code, out)
	}
	if _, page := fetch(t, p.client(t, "lisa@carlosco.example"), p.URL+"/rooms/feedback"); !strings.Contains(page, "Would you recommend us?") {
		t.Errorf("the plugin did not read its settings:\n%s", page)
	}
	var got map[string]any
	_, out := sendJSON(t, admin, "GET", p.URL+"/api/v1/plugins/acme/nps/settings", "")
	if json.Unmarshal([]byte(out), &got) != nil || got["question"] != "Would you recommend us?" {
		t.Errorf("settings over the API: %s", out)
	}
}

// TestPluginCLIWhileRunning: `atrium plugins install/disable/enable` against
// a running portal's data folder take effect without a restart.
func TestPluginCLIWhileRunning(t *testing.T) {
	pluginProcessTest(t)
	src := buildNPS(t)
	p := startDemoWith(t, func(o *serveOptions) { o.pluginWatch = 100 * time.Millisecond })
	admin := p.client(t, "admin@acme.example")
	flags := []string{"--data", p.g.data, "--log-level", "error"}
	state := func() string {
		_, out := sendJSON(t, admin, "GET", p.URL+"/api/v1/plugins", "")
		var all []pluginhost.Status
		if err := json.Unmarshal([]byte(out), &all); err != nil {
			t.Fatalf("plugins API: %v %s", err, out)
		}
		for _, s := range all {
			if s.ID == "acme/nps" {
				return string(s.State)
			}
		}
		return "absent"
	}
	await := func(want string) {
		t.Helper()
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if state() == want {
				return
			}
		}
		t.Fatalf("the running portal did not follow: plugin is %s, want %s", state(), want)
	}
	if s := state(); s != "absent" {
		t.Fatalf("before install: %s", s)
	}
	if code, out, errOut := cli(t, flags, "", "plugins", "install", src); code != 0 {
		t.Fatalf("install: %s %s", out, errOut)
	}
	await("running")
	// Usable at once: a room with its block is accepted and renders.
	room := `{"slug":"feedback","title":"Feedback","position":90,"partnerTypes":["referral","reseller","distributor","implementation"],"blocks":[{"id":"nps","type":"acme/nps","config":{"question":"Installed while running?"}}]}`
	if code, out := sendJSON(t, admin, "POST", p.URL+"/api/v1/rooms", room); code >= 300 {
		t.Fatalf("a room with the new plugin's block: %d %s", code, out)
	}
	if _, page := fetch(t, p.client(t, "lisa@carlosco.example"), p.URL+"/rooms/feedback"); !strings.Contains(page, "Installed while running?") {
		t.Errorf("the plugin installed while running does not render")
	}
	if code, out, errOut := cli(t, flags, "", "plugins", "disable", "acme/nps"); code != 0 {
		t.Fatalf("disable: %s %s", out, errOut)
	}
	await("disabled")
	if code, out, errOut := cli(t, flags, "", "plugins", "enable", "acme/nps"); code != 0 {
		t.Fatalf("enable: %s %s", out, errOut)
	}
	await("running")
	// Settings from the command line, checked against the schema.
	if code, _, errOut := cli(t, flags, "", "plugins", "settings", "acme/nps", "--set", "mdfCap=0"); code == 0 || !strings.Contains(errOut, "mdfCap") {
		t.Errorf("a cap of 0 accepted: %d %s", code, errOut)
	}
	if code, out, errOut := cli(t, flags, "", "plugins", "settings", "acme/nps", "--set", "mdfCap=250", "--set", "question=Recommend us?"); code != 0 || !strings.Contains(out, `"mdfCap": 250`) {
		t.Errorf("set settings: %d %s %s", code, out, errOut)
	}
	if _, out := sendJSON(t, admin, "GET", p.URL+"/api/v1/plugins/acme/nps/settings", ""); !strings.Contains(out, `"question":"Recommend us?"`) {
		t.Errorf("the portal does not see settings set from the command line: %s", out)
	}
}
