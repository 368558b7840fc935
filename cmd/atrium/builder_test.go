package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/room"
)

// apiCall sends a JSON request and decodes a JSON answer into out (when
// given); it returns the status and the raw body.
func apiCall(t *testing.T, c *http.Client, method, u string, body, out any) (int, string) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, u, err, b)
		}
	}
	return res.StatusCode, string(b)
}

// A manager without rooms.publish builds a new room: the draft is saved,
// partners see nothing, publishing is refused (403), and asking for a
// review tells the admin; the admin publishes and partners see the room.
func TestBuilderDraftReviewPublish(t *testing.T) {
	p := startDemo(t)
	priya, admin := p.client(t, "priya@acme.example"), p.client(t, "admin@acme.example")
	lisa := p.client(t, "lisa@carlosco.example") // Carlos & Co, a reseller

	launch := room.Room{Slug: "launch", Title: "Launch Kit", PartnerTypes: []string{"reseller"}, Position: 5,
		Blocks: []room.Block{{ID: "hello", Type: "text", Config: json.RawMessage(`{"markdown":"Launch day is near"}`)}}}
	var d room.Draft
	code, body := apiCall(t, priya, "PUT", p.URL+"/api/v1/rooms/launch/draft", map[string]any{"room": launch, "base": room.Base{}}, &d)
	if code != http.StatusOK || d.Version != 1 || d.Published {
		t.Fatalf("save draft: %d %s", code, body)
	}
	// An invalid save is refused with the path, and keeps the draft as it was.
	bad := launch
	bad.Blocks = []room.Block{{ID: "hello", Type: "quiz"}}
	code, body = apiCall(t, priya, "PUT", p.URL+"/api/v1/rooms/launch/draft", map[string]any{"room": bad, "base": d.Base()}, nil)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "body.room.blocks[0].type") {
		t.Errorf("invalid draft: %d %s", code, body)
	}

	if code, _ := fetch(t, lisa, p.URL+"/rooms/launch"); code != http.StatusNotFound {
		t.Errorf("a partner reaches a draft-only room: %d", code)
	}
	if _, home := fetch(t, lisa, p.URL+"/rooms/overview"); strings.Contains(home, "Launch Kit") {
		t.Error("a draft-only room is in the partners' navigation")
	}

	if _, page := fetch(t, priya, p.URL+"/admin/rooms"); !strings.Contains(page, "Launch Kit") || !strings.Contains(page, "draft only") ||
		!strings.Contains(page, "Priya Nair") {
		t.Error("the rooms page does not show the draft-only room with its editor")
	}
	code, body = apiCall(t, priya, "POST", p.URL+"/api/v1/rooms/launch/publish", map[string]any{"base": d.Base()}, nil)
	if code != http.StatusForbidden || !strings.Contains(body, "rooms.publish") {
		t.Fatalf("publish without the permission: %d %s", code, body)
	}
	if code, body := apiCall(t, priya, "POST", p.URL+"/api/v1/rooms/launch/review", map[string]any{"note": "Ready for launch"}, nil); code != http.StatusAccepted {
		t.Fatalf("request review: %d %s", code, body)
	}
	var page notify.Page
	apiCall(t, admin, "GET", p.URL+"/api/v1/notifications", nil, &page)
	if len(page.Items) == 0 || page.Items[0].Kind != "room.review_requested" || !strings.Contains(page.Items[0].Title, "Priya") ||
		!strings.Contains(page.Items[0].Body, "Ready for launch") {
		t.Fatalf("the admin was not asked to review: %+v", page.Items)
	}
	apiCall(t, priya, "GET", p.URL+"/api/v1/notifications", nil, &page)
	for _, it := range page.Items {
		if it.Kind == "room.review_requested" {
			t.Error("the person asking for a review was notified of it")
		}
	}

	var rev room.Revision
	code, body = apiCall(t, admin, "POST", p.URL+"/api/v1/rooms/launch/publish", map[string]any{"message": "Launch", "base": d.Base()}, &rev)
	if code != http.StatusOK || rev.Number != 1 || rev.Message != "Launch" {
		t.Fatalf("publish: %d %s", code, body)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		code, page := fetch(t, lisa, p.URL+"/rooms/launch")
		if code == http.StatusOK && strings.Contains(page, "Launch day is near") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the published room did not reach the partner within 2s: %d", code)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// A manager without the permission cannot apply or delete either.
	if code, _ := apiCall(t, priya, "DELETE", p.URL+"/api/v1/rooms/launch", nil, nil); code != http.StatusForbidden {
		t.Errorf("delete without the permission: %d", code)
	}
	var diff struct{ Diff string }
	launch.Title = "Launch Kit 2"
	apiCall(t, priya, "PUT", p.URL+"/api/v1/rooms/launch/draft", map[string]any{"room": launch, "base": room.Base{Revision: 1}}, &d)
	apiCall(t, priya, "GET", p.URL+"/api/v1/rooms/launch/diff?from=published&to=draft", nil, &diff)
	if !strings.Contains(diff.Diff, "-title: Launch Kit\n+title: Launch Kit 2\n") {
		t.Errorf("diff of draft and published:\n%s", diff.Diff)
	}
}

// The command line takes part: apply records revisions by the CLI (none
// when nothing changes), export names the revision, a file exported before
// someone published again is refused unless --force, and history and
// rollback work on the same records.
func TestRoomsHistoryRollbackAndStaleApply(t *testing.T) {
	db := dbFlags(t)
	dir := writeFiles(t, map[string]string{"support.yaml": supportYAML})
	if code, _, errs := cli(t, db, "", "rooms", "apply", "-f", dir, "-m", "first cut"); code != 0 {
		t.Fatalf("apply: %s", errs)
	}
	if code, out, _ := cli(t, db, "", "rooms", "apply", "-f", dir); code != 0 || !strings.Contains(out, "1 unchanged") {
		t.Fatalf("second apply: %s", out)
	}
	code, out, errs := cli(t, db, "", "rooms", "history", "support")
	if code != 0 || !strings.Contains(out, "1 ") || !strings.Contains(out, "CLI") || !strings.Contains(out, "first cut") || strings.Contains(out, "\n2 ") {
		t.Fatalf("history after two applies: %d %q %q", code, out, errs)
	}

	exported := t.TempDir()
	if code, _, errs := cli(t, db, "", "rooms", "export", "-o", exported); code != 0 {
		t.Fatal(errs)
	}
	file := filepath.Join(exported, "support.yaml")
	b, _ := os.ReadFile(file)
	if !strings.HasPrefix(string(b), "# revision: 1 ") {
		t.Fatalf("export lacks the revision comment:\n%s", b)
	}

	// Someone publishes revision 2 from another copy.
	other := writeFiles(t, map[string]string{"support.yaml": strings.Replace(supportYAML, "title: Support", "title: Help", 1)})
	if code, _, errs := cli(t, db, "", "rooms", "apply", "-f", other); code != 0 {
		t.Fatal(errs)
	}
	// The exported copy, edited, is now stale.
	os.WriteFile(file, []byte(strings.Replace(string(b), "position: 90", "position: 91", 1)), 0o644)
	code, _, errs = cli(t, db, "", "rooms", "apply", "-f", exported)
	if code == 0 || !strings.Contains(errs, "CLI published revision 2") || !strings.Contains(errs, "--force") {
		t.Fatalf("stale apply: %d %q", code, errs)
	}
	if code, _, errs := cli(t, db, "", "rooms", "apply", "-f", exported, "--force"); code != 0 {
		t.Fatalf("forced apply: %s", errs)
	}
	// The file now names revision 3, so its next edit applies unforced.
	b, _ = os.ReadFile(file)
	if !strings.HasPrefix(string(b), "# revision: 3 ") {
		t.Fatalf("apply did not move the revision comment on:\n%s", b)
	}
	os.WriteFile(file, []byte(strings.Replace(string(b), "position: 91", "position: 92", 1)), 0o644)
	if code, _, errs := cli(t, db, "", "rooms", "apply", "-f", exported); code != 0 {
		t.Fatalf("apply after the comment moved on: %s", errs)
	}

	code, out, errs = cli(t, db, "", "rooms", "rollback", "support", "2")
	if code != 0 || !strings.Contains(out, "rolled back to revision 2 as revision 5") {
		t.Fatalf("rollback: %d %q %q", code, out, errs)
	}
	_, out, _ = cli(t, db, "", "rooms", "export")
	if !strings.Contains(out, "title: Help") || !strings.Contains(out, "position: 90") {
		t.Errorf("after rollback the room is:\n%s", out)
	}
	_, out, _ = cli(t, db, "", "rooms", "history", "support")
	if !strings.Contains(out, "Roll back to revision 2") {
		t.Errorf("history lacks the rollback:\n%s", out)
	}
	if code, _, errs := cli(t, db, "", "rooms", "rollback", "support", "9"); code == 0 || !strings.Contains(errs, "no revision 9") {
		t.Errorf("rollback to a revision that does not exist: %d %q", code, errs)
	}
}
