package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/demo"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/reach"
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
	t.Parallel()
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
	// An admin lets Mike publish; he is asked to review from then on.
	mike := p.client(t, "mike@acme.example")
	var mikeUser struct {
		ID          int64
		Permissions []string
	}
	var me struct{ User struct{ ID int64 } }
	apiCall(t, mike, "GET", p.URL+"/api/v1/me", nil, &me)
	if code, body := apiCall(t, priya, "PUT", p.URL+"/api/v1/users/"+strconv.FormatInt(me.User.ID, 10)+"/permissions", map[string]any{"permissions": []string{"rooms.publish"}}, nil); code != http.StatusNotFound {
		t.Errorf("a manager granted a permission: %d %s", code, body)
	}
	code, body = apiCall(t, admin, "PUT", p.URL+"/api/v1/users/"+strconv.FormatInt(me.User.ID, 10)+"/permissions", map[string]any{"permissions": []string{"rooms.publish"}}, &mikeUser)
	if code != http.StatusOK || len(mikeUser.Permissions) != 1 {
		t.Fatalf("grant rooms.publish: %d %s", code, body)
	}
	if _, page := fetch(t, admin, p.URL+"/admin/users?q=priya"); !strings.Contains(page, "Allow publishing rooms") {
		t.Error("the users page offers no way to let Priya publish")
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
	apiCall(t, mike, "GET", p.URL+"/api/v1/notifications", nil, &page)
	if len(page.Items) == 0 || page.Items[0].Kind != "room.review_requested" {
		t.Errorf("a manager who may publish was not asked to review: %+v", page.Items)
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
	waitFor(t, lisa, p.URL+"/rooms/launch", "Launch day is near")

	// A rollback from the command line reaches the running portal through
	// the rooms counter, as any other node's change would.
	launch.Blocks[0].Config = json.RawMessage(`{"markdown":"Launch is postponed"}`)
	d, _ = saveAndPublish(t, p, mike, launch)
	waitFor(t, lisa, p.URL+"/rooms/launch", "Launch is postponed")
	db := []string{"--data", p.g.data, "--log-level", "error"}
	if p.g.databaseURL != "" {
		db = append(db, "--database-url", p.g.databaseURL)
	}
	if code, out, errs := cli(t, db, "", "rooms", "rollback", "launch", "1"); code != 0 || !strings.Contains(out, "as revision 3") {
		t.Fatalf("rollback: %d %q %q", code, out, errs)
	}
	waitFor(t, lisa, p.URL+"/rooms/launch", "Launch day is near")

	// A replace through the API from an old revision is refused, and goes
	// through with force.
	code, body = apiCall(t, admin, "PUT", p.URL+"/api/v1/rooms/launch?ifRevision=1", launch, nil)
	if code != http.StatusConflict || !strings.Contains(body, "CLI published revision 3") {
		t.Errorf("stale PUT: %d %s", code, body)
	}
	if code, body := apiCall(t, admin, "PUT", p.URL+"/api/v1/rooms/launch?ifRevision=1&force=true", launch, nil); code != http.StatusOK {
		t.Errorf("forced PUT: %d %s", code, body)
	}

	// A manager without the permission cannot apply or delete either.
	if code, _ := apiCall(t, priya, "DELETE", p.URL+"/api/v1/rooms/launch", nil, nil); code != http.StatusForbidden {
		t.Errorf("delete without the permission: %d", code)
	}
	var diff struct{ Diff string }
	launch.Title = "Launch Kit 2"
	apiCall(t, priya, "PUT", p.URL+"/api/v1/rooms/launch/draft", map[string]any{"room": launch, "base": room.Base{Revision: 4}}, &d)
	apiCall(t, priya, "GET", p.URL+"/api/v1/rooms/launch/diff?from=published&to=draft", nil, &diff)
	if !strings.Contains(diff.Diff, "-title: Launch Kit\n+title: Launch Kit 2\n") {
		t.Errorf("diff of draft and published:\n%s", diff.Diff)
	}

	// Granted on the users page, the permission applies at once.
	var pme struct{ User struct{ ID int64 } }
	apiCall(t, priya, "GET", p.URL+"/api/v1/me", nil, &pme)
	res, err := admin.PostForm(p.URL+"/admin/users/"+strconv.FormatInt(pme.User.ID, 10)+"/permissions",
		url.Values{"permission": {"rooms.publish"}, "value": {"on"}, "next": {"/admin/users"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if code, body := apiCall(t, priya, "DELETE", p.URL+"/api/v1/rooms/launch", nil, nil); code != http.StatusNoContent {
		t.Errorf("delete after the grant: %d %s", code, body)
	}
	if code, _ := fetch(t, lisa, p.URL+"/rooms/launch"); code != http.StatusNotFound {
		t.Errorf("a deleted room still answers %d", code)
	}
}

// waitFor fetches u until its page holds want, for at most 2 s: the time
// a published room may take to reach every portal.
func waitFor(t *testing.T, c *http.Client, u, want string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		code, page := fetch(t, c, u)
		if code == http.StatusOK && strings.Contains(page, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not show %q within 2s (status %d)", u, want, code)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// saveAndPublish saves r as the draft from the room's current state and
// publishes it.
func saveAndPublish(t *testing.T, p *testPortal, c *http.Client, r room.Room) (room.Draft, room.Revision) {
	t.Helper()
	var d room.Draft
	var rev room.Revision
	apiCall(t, c, "GET", p.URL+"/api/v1/rooms/"+r.Key()+"/draft", nil, &d)
	if code, body := apiCall(t, c, "PUT", p.URL+"/api/v1/rooms/"+r.Key()+"/draft", map[string]any{"room": r, "base": d.Base()}, &d); code != http.StatusOK {
		t.Fatalf("save draft: %d %s", code, body)
	}
	if code, body := apiCall(t, c, "POST", p.URL+"/api/v1/rooms/"+r.Key()+"/publish", map[string]any{"base": d.Base()}, &rev); code != http.StatusOK {
		t.Fatalf("publish: %d %s", code, body)
	}
	return d, rev
}

// The command line takes part: apply records revisions by the CLI (none
// when nothing changes), export names the revision, a file exported before
// someone published again is refused unless --force, and history and
// rollback work on the same records.
func TestRoomsHistoryRollbackAndStaleApply(t *testing.T) {
	t.Parallel()
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

// TestDemoPublishers: in the demo Mike publishes the rooms he builds and
// Priya asks for reviews; seeding again keeps what an admin changed since.
func TestDemoPublishers(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	s := p.services(t)
	ctx := context.Background()
	can := func(email string) bool {
		t.Helper()
		u, err := s.dir.UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := reach.New(s.db).For(ctx, u.Viewer(nil))
		if err != nil {
			t.Fatal(err)
		}
		return rc.Can(directory.PermPublishRooms)
	}
	if !can("mike@acme.example") || can("priya@acme.example") {
		t.Fatalf("demo publishers: Mike %v, Priya %v", can("mike@acme.example"), can("priya@acme.example"))
	}
	mike, _ := s.dir.UserByEmail(ctx, "mike@acme.example")
	if _, err := s.dir.SetPermissions(ctx, mike.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, s.db, s.rooms, s.auth); err != nil {
		t.Fatal(err)
	}
	if can("mike@acme.example") {
		t.Error("seeding the demo again undid an admin's revocation")
	}
}
