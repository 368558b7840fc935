package main

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/schemaform"
)

// The room builder's pages as plain forms, the way a browser without
// JavaScript uses them.

// grantPublish gives a staff user the rooms.publish permission.
func grantPublish(t *testing.T, p *testPortal, email string) {
	t.Helper()
	s := p.services(t)
	u, err := s.dir.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.dir.SetPermissions(context.Background(), u.ID, []string{directory.PermPublishRooms}); err != nil {
		t.Fatal(err)
	}
	s.auth.Forget(u.ID)
}

// baseOf is the form fields of a draft's base.
func baseOf(d room.Draft) url.Values {
	return url.Values{"draftVersion": {strconv.FormatInt(d.Version, 10)}, "revision": {strconv.FormatInt(d.BaseRevision, 10)}}
}

// blockForm is what the editor's form of block id submits unchanged.
func blockForm(t *testing.T, p *testPortal, d room.Draft, id string) url.Values {
	t.Helper()
	for _, b := range d.Room.Blocks {
		if b.ID != id {
			continue
		}
		bt, ok := p.services(t).reg.Block(b.Type)
		if !ok {
			t.Fatalf("block type %s not registered", b.Type)
		}
		f, err := schemaform.Build(bt.Info.ConfigSchema, b.Config, nil)
		if err != nil {
			t.Fatal(err)
		}
		v := f.Prefixed("config.").Values()
		for k, vs := range baseOf(d) {
			v[k] = vs
		}
		return v
	}
	t.Fatalf("no block %s", id)
	return nil
}

func blockIDs(d room.Draft) []string {
	var ids []string
	for _, b := range d.Room.Blocks {
		ids = append(ids, b.ID)
	}
	return ids
}

func TestBuilderPages(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	s := p.services(t)
	ctx := context.Background()
	// The demo lets Mike publish; this story starts before an admin did.
	if u, err := s.dir.UserByEmail(ctx, "mike@acme.example"); err != nil {
		t.Fatal(err)
	} else if _, err := s.dir.SetPermissions(ctx, u.ID, nil); err != nil {
		t.Fatal(err)
	}
	mike := p.client(t, "mike@acme.example")
	draft := func() room.Draft {
		t.Helper()
		d, err := s.rooms.Draft(ctx, "q1-launch")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}

	// Create from a template: a draft only, opened in the editor.
	code, loc, body := post(t, mike, p.URL+"/admin/rooms", url.Values{"mode": {"template"}, "template": {"campaign-center"},
		"title": {"Q1 Launch"}, "partnerTypes": {"reseller"}})
	if code != http.StatusSeeOther || loc != "/admin/rooms/q1-launch/edit" {
		t.Fatalf("create from template: %d %s\n%s", code, loc, body)
	}
	d := draft()
	if d.Published || d.Room.Title != "Q1 Launch" || len(d.Room.Blocks) != 6 || d.Room.Icon != "megaphone" {
		t.Fatalf("created draft: %+v", d)
	}
	code, body = fetch(t, mike, p.URL+"/admin/rooms/q1-launch/edit?block=kits")
	for _, want := range []string{"draft only", "Campaign kits", "Move Documents “kits” down", "Add Text", "Ask for review", `name="config.limit"`} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("editor: %d, missing %q", code, want)
		}
	}
	// A second room of the same name is refused beside the field.
	if code, _, body = post(t, mike, p.URL+"/admin/rooms", url.Values{"mode": {"blank"}, "title": {"Q1 Launch"}, "partnerTypes": {"reseller"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "exists already") {
		t.Errorf("same name again: %d", code)
	}

	// Blank, and a copy of another room under a new name.
	if code, loc, _ = post(t, mike, p.URL+"/admin/rooms", url.Values{"mode": {"blank"}, "title": {"Partner news"}, "partnerTypes": {"referral"}}); code != http.StatusSeeOther || loc != "/admin/rooms/partner-news/edit" {
		t.Errorf("blank room: %d %s", code, loc)
	}
	if code, _, body = post(t, mike, p.URL+"/admin/rooms", url.Values{"mode": {"copy"}, "source": {"support"}, "title": {"Reseller support"}, "slug": {"reseller-support"}, "partnerTypes": {"reseller"}}); code != http.StatusSeeOther {
		t.Errorf("copy: %d\n%s", code, body)
	} else if cp, err := s.rooms.Draft(ctx, "reseller-support"); err != nil || cp.Published || len(cp.Room.Blocks) == 0 || cp.Room.Title != "Reseller support" {
		t.Errorf("copy: %v %+v", err, cp.Room)
	}
	if code, _, body = post(t, mike, p.URL+"/admin/rooms", url.Values{"mode": {"copy"}, "title": {"Nothing"}, "partnerTypes": {"reseller"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose a room to copy.") {
		t.Errorf("copy of nothing: %d", code)
	}

	// An invalid config is refused with the error beside its field, in
	// the words of room-file validation; nothing is saved.
	form := blockForm(t, p, d, "kits")
	form.Set("config.limit", "5000")
	code, _, body = post(t, mike, p.URL+"/admin/rooms/q1-launch/blocks/kits", form)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("invalid config: status %d", code)
	}
	// The same words as `atrium rooms validate`, beside the field.
	if !regexp.MustCompile(`id="cfg-config-limit-err">.*<span>maximum: got 5,000, want 50</span>`).MatchString(body) ||
		!strings.Contains(body, `aria-describedby="cfg-config-limit-err"`) && !strings.Contains(body, `cfg-config-limit-err"`) {
		t.Errorf("invalid config: the error is not beside the limit field")
	}
	if got := draft(); got.Version != d.Version {
		t.Errorf("invalid config saved: version %d → %d", d.Version, got.Version)
	}

	// The live preview draws the form as it stands and saves nothing.
	form = blockForm(t, p, d, "intro")
	form.Set("config.title", "Not saved yet")
	if code, _, body = post(t, mike, p.URL+"/admin/rooms/q1-launch/blocks/intro/preview", form); code != 200 || !strings.Contains(body, "Not saved yet") || strings.Contains(body, "<html") {
		t.Errorf("live preview: %d", code)
	}
	if got := draft(); got.Version != d.Version {
		t.Errorf("the live preview saved")
	}

	// A Markdown field's preview: rendered and sanitised like a block's.
	if code, _, body = post(t, mike, p.URL+"/admin/rooms/markdown", url.Values{"text": {"**Bold** <script>alert(1)</script>"}}); code != 200 ||
		!strings.Contains(body, "<strong>Bold</strong>") || strings.Contains(body, "<script") {
		t.Errorf("markdown preview: %d %s", code, body)
	}

	// A valid save goes to the draft.
	form = blockForm(t, p, d, "intro")
	form.Set("config.title", "Launch together in Q1")
	if code, loc, _ = post(t, mike, p.URL+"/admin/rooms/q1-launch/blocks/intro", form); code != http.StatusSeeOther || !strings.Contains(loc, "block=intro") {
		t.Fatalf("save block: %d %s", code, loc)
	}
	stale := d
	d = draft()
	if !strings.Contains(string(d.Room.Blocks[0].Config), "Launch together in Q1") {
		t.Errorf("saved config: %s", d.Room.Blocks[0].Config)
	}

	// A save from the older state is refused and says who changed what;
	// nothing is overwritten.
	settings := baseOf(stale)
	settings.Set("title", "Overwritten")
	settings.Set("slug", "q1-launch")
	settings["partnerTypes"] = []string{"reseller"}
	code, _, body = post(t, mike, p.URL+"/admin/rooms/q1-launch/settings", settings)
	if code != http.StatusConflict || !strings.Contains(body, "Your change was not saved") || !strings.Contains(body, "Mike") || !strings.Contains(body, "See their change") {
		t.Errorf("stale save: %d\n%s", code, body)
	}
	if got := draft(); got.Room.Title != "Q1 Launch" || got.Version != d.Version {
		t.Errorf("stale save changed the draft: %q v%d", got.Room.Title, got.Version)
	}

	// Settings: gold resellers only.
	settings = baseOf(d)
	settings.Set("title", "Q1 Launch")
	settings.Set("slug", "q1-launch")
	settings.Set("icon", "rocket")
	settings.Set("position", "55")
	settings["partnerTypes"] = []string{"reseller"}
	settings["audience.tiers"] = []string{"gold"}
	if code, _, body = post(t, mike, p.URL+"/admin/rooms/q1-launch/settings", settings); code != http.StatusSeeOther {
		t.Fatalf("settings: %d\n%s", code, body)
	}
	d = draft()
	if d.Room.Icon != "rocket" || len(d.Room.Audience.Tiers) != 1 || d.Room.Position != 55 {
		t.Errorf("settings saved: %+v", d.Room)
	}

	// Add a block from the palette, then move it up with the button and
	// to the top as drag and drop does.
	add := baseOf(d)
	add.Set("type", "video")
	if code, _, body = post(t, mike, p.URL+"/admin/rooms/q1-launch/blocks", add); code != http.StatusSeeOther {
		t.Fatalf("add block: %d\n%s", code, body)
	}
	d = draft()
	if ids := blockIDs(d); ids[len(ids)-1] != "video" {
		t.Fatalf("added block: %v", ids)
	}
	// The video's file picker uploads to the library's media and comes
	// back to the block, which then offers the new file.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("next", "/admin/rooms/q1-launch/edit?block=video#block-editor")
	mw.WriteField("collection", "media")
	fw, _ := mw.CreateFormFile("file", "kickoff-poster.png")
	fw.Write([]byte("\x89PNG\r\n\x1a\n not really a picture"))
	mw.Close()
	req, _ := http.NewRequest("POST", p.URL+"/admin/library", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := mike.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/rooms/q1-launch/edit?block=video#block-editor" {
		t.Errorf("upload from the picker: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body = fetch(t, mike, p.URL+"/admin/rooms/q1-launch/edit?block=video"); !regexp.MustCompile(`<datalist id="pick-media"><option value="\d+">Kickoff poster</option>`).MatchString(body) {
		t.Errorf("the picker does not offer the uploaded file")
	}

	move := baseOf(d)
	move.Set("direction", "up")
	if code, _, _ = post(t, mike, p.URL+"/admin/rooms/q1-launch/blocks/video/move", move); code != http.StatusSeeOther {
		t.Fatalf("move up: %d", code)
	}
	d = draft()
	if ids := blockIDs(d); ids[len(ids)-2] != "video" {
		t.Errorf("after move up: %v", ids)
	}
	move = baseOf(d)
	move.Set("to", "1")
	if code, _, _ = post(t, mike, p.URL+"/admin/rooms/q1-launch/blocks/video/move", move); code != http.StatusSeeOther {
		t.Fatalf("move to 1: %d", code)
	}
	d = draft()
	if ids := blockIDs(d); ids[0] != "video" {
		t.Errorf("after drag to the top: %v", ids)
	}
	// Duplicate and remove.
	if code, _, _ = post(t, mike, p.URL+"/admin/rooms/q1-launch/blocks/video/duplicate", baseOf(d)); code != http.StatusSeeOther {
		t.Fatalf("duplicate: %d", code)
	}
	d = draft()
	if ids := blockIDs(d); ids[1] != "video-2" {
		t.Errorf("after duplicate: %v", ids)
	}
	if code, _, _ = post(t, mike, p.URL+"/admin/rooms/q1-launch/blocks/video-2/remove", baseOf(d)); code != http.StatusSeeOther {
		t.Fatalf("remove: %d", code)
	}
	d = draft()
	if len(d.Room.Blocks) != 7 {
		t.Errorf("after remove: %v", blockIDs(d))
	}

	// A block for platinum partners only is greyed in a gold partner's
	// preview of the draft, saying whom it is for.
	form = blockForm(t, p, d, "video")
	form["audience.tiers"] = []string{"platinum"}
	if code, _, _ = post(t, mike, p.URL+"/admin/rooms/q1-launch/blocks/video", form); code != http.StatusSeeOther {
		t.Fatalf("block audience: %d", code)
	}
	d = draft()
	code, body = fetch(t, mike, p.URL+"/admin/rooms/q1-launch/preview?draft=1&type=reseller&tier=gold")
	if code != 200 || !strings.Contains(body, "block-hidden") || !strings.Contains(body, "this block is for only platinum") {
		t.Errorf("hidden block in the draft preview: %d", code)
	}

	// The draft preview, at phone width.
	code, body = fetch(t, mike, p.URL+"/admin/rooms/q1-launch/preview?draft=1&type=reseller&tier=gold&width=phone")
	if code != 200 || !strings.Contains(body, "phone-frame") || !strings.Contains(body, "Launch together in Q1") {
		t.Errorf("draft preview: %d", code)
	}

	// Publishing needs rooms.publish: without it, 403 and nothing
	// changes; the editor offers a review instead.
	pub := baseOf(d)
	pub.Set("message", "First version")
	if code, _, _ = post(t, mike, p.URL+"/admin/rooms/q1-launch/publish", pub); code != http.StatusForbidden {
		t.Errorf("publish without permission: %d", code)
	}
	if code, _, _ = post(t, mike, p.URL+"/admin/rooms/q1-launch/review", url.Values{"note": {"Ready"}}); code != http.StatusSeeOther {
		t.Errorf("review: %d", code)
	}
	grantPublish(t, p, "mike@acme.example")
	mike = p.client(t, "mike@acme.example") // a new session reads the permission
	if code, _, body = post(t, mike, p.URL+"/admin/rooms/q1-launch/publish", pub); code != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", code, body)
	}
	carlos := p.client(t, "carlos@carlosco.example")
	if code, body = fetch(t, carlos, p.URL+"/rooms/q1-launch"); code != 200 || !strings.Contains(body, "Launch together in Q1") {
		t.Errorf("Carlos after publish: %d", code)
	}
	sarah := p.client(t, "sarah@northwind.example")
	if code, _ = fetch(t, sarah, p.URL+"/rooms/q1-launch"); code != http.StatusNotFound {
		t.Errorf("Sarah (silver referral) sees the gold resellers' room: %d", code)
	}

	// Change, compare, publish, roll back.
	d = draft()
	form = blockForm(t, p, d, "intro")
	form.Set("config.title", "The Q1 brief, revised")
	if code, _, _ = post(t, mike, p.URL+"/admin/rooms/q1-launch/blocks/intro", form); code != http.StatusSeeOther {
		t.Fatalf("second save: %d", code)
	}
	code, body = fetch(t, mike, p.URL+"/admin/rooms/q1-launch/diff?from=published&to=draft")
	if code != 200 || !strings.Contains(body, "diff-add") || !strings.Contains(body, "The Q1 brief, revised") || !strings.Contains(body, "Removed: ") {
		t.Errorf("diff: %d", code)
	}
	d = draft()
	if code, _, _ = post(t, mike, p.URL+"/admin/rooms/q1-launch/publish", baseOf(d)); code != http.StatusSeeOther {
		t.Fatalf("second publish: %d", code)
	}
	if _, body = fetch(t, carlos, p.URL+"/rooms/q1-launch"); !strings.Contains(body, "The Q1 brief, revised") {
		t.Errorf("Carlos does not see the second revision")
	}
	code, body = fetch(t, mike, p.URL+"/admin/rooms/q1-launch/history")
	if code != 200 || !strings.Contains(body, "Publish this revision") || !strings.Contains(body, "First version") {
		t.Errorf("history: %d", code)
	}
	if code, _, body = post(t, mike, p.URL+"/admin/rooms/q1-launch/revisions/1/rollback", url.Values{"draftVersion": {"0"}, "revision": {"2"}}); code != http.StatusSeeOther {
		t.Fatalf("rollback: %d\n%s", code, body)
	}
	if _, body = fetch(t, carlos, p.URL+"/rooms/q1-launch"); !strings.Contains(body, "Launch together in Q1") || strings.Contains(body, "revised") {
		t.Errorf("Carlos after the rollback sees the wrong version")
	}
	revs, _ := s.rooms.History(ctx, "q1-launch")
	if len(revs) != 3 {
		t.Errorf("history after rollback: %d revisions", len(revs))
	}
	// Delete needs the permission and says what goes.
	priya := p.client(t, "priya@acme.example")
	if code, _ = fetch(t, priya, p.URL+"/admin/rooms/q1-launch/delete"); code != http.StatusForbidden {
		t.Errorf("delete page without permission: %d", code)
	}
	if code, body = fetch(t, mike, p.URL+"/admin/rooms/q1-launch/delete"); code != 200 || !strings.Contains(body, "revisions are kept") {
		t.Errorf("delete page: %d", code)
	}
	if code, _, _ = post(t, mike, p.URL+"/admin/rooms/q1-launch/delete", nil); code != http.StatusSeeOther {
		t.Errorf("delete: %d", code)
	}
	if code, _ = fetch(t, carlos, p.URL+"/rooms/q1-launch"); code != http.StatusNotFound {
		t.Errorf("Carlos after delete: %d", code)
	}
}

// The navigation page moves a room one place with buttons, for those who
// may publish: the two rooms swap places at once, each a new revision.
func TestBuilderNavigationOrder(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	ctx := context.Background()
	grantPublish(t, p, "mike@acme.example")
	mike, priya := p.client(t, "mike@acme.example"), p.client(t, "priya@acme.example")
	order := func() []string {
		t.Helper()
		_, body := fetch(t, mike, p.URL+"/admin/rooms/navigation?type=reseller")
		var names []string
		for _, m := range regexp.MustCompile(`name="room" value="([^"]+)"><input type="hidden" name="direction" value="up"`).FindAllStringSubmatch(body, -1) {
			names = append(names, m[1])
		}
		return names
	}
	before := order()
	if len(before) < 3 {
		t.Fatalf("reseller navigation: %v", before)
	}
	move := url.Values{"type": {"reseller"}, "room": {before[1]}, "direction": {"up"}}
	if code, _, _ := post(t, priya, p.URL+"/admin/rooms/navigation", move); code != http.StatusForbidden {
		t.Errorf("Priya (no rooms.publish) moves a room: %d", code)
	}
	if code, loc, _ := post(t, mike, p.URL+"/admin/rooms/navigation", move); code != http.StatusSeeOther || loc != "/admin/rooms/navigation?type=reseller" {
		t.Fatalf("move up: %d %s", code, loc)
	}
	after := order()
	if after[0] != before[1] || after[1] != before[0] {
		t.Errorf("after moving %s up: %v (was %v)", before[1], after, before)
	}
	revs, err := p.services(t).rooms.History(ctx, before[1])
	if err != nil || len(revs) == 0 || revs[0].Message != "Navigation order" || revs[0].Author != "Mike Chen" {
		t.Errorf("the move's revision: %v %+v", err, revs)
	}
}

// TestBuilderKeepsARoomAsATemplate: an admin keeps a room as one of the
// program's templates from the editor, and a manager starts a room from it
// on the new-room page; a bad name is refused beside its field.
func TestBuilderKeepsARoomAsATemplate(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	admin, mike := p.client(t, "admin@acme.example"), p.client(t, "mike@acme.example")
	if code, body := fetch(t, admin, p.URL+"/admin/rooms/support/edit"); code != 200 || !strings.Contains(body, "/admin/rooms/support/template") {
		t.Fatalf("the editor offers admins no way to keep the room: %d", code)
	}
	if _, body := fetch(t, mike, p.URL+"/admin/rooms/support/edit"); strings.Contains(body, "/admin/rooms/support/template") {
		t.Error("the editor offers a manager what only admins may do")
	}
	if code, _, body := post(t, admin, p.URL+"/admin/rooms/support/template", url.Values{"name": {"Support Kit!"}}); code != http.StatusUnprocessableEntity ||
		!strings.Contains(body, `id="tpl-name-error"`) || !strings.Contains(body, "lowercase letters") {
		t.Fatalf("a bad name: %d\n%s", code, body)
	}
	code, loc, _ := post(t, admin, p.URL+"/admin/rooms/support/template", url.Values{"name": {"support-kit"}, "title": {"Support kit"},
		"description": {"Our support room, ready to copy"}})
	if code != http.StatusSeeOther || loc != "/admin/rooms/new?mode=template&template=support-kit" {
		t.Fatalf("keep as a template: %d %s", code, loc)
	}
	if _, body := fetch(t, mike, p.URL+loc); !strings.Contains(body, "Support kit") || !strings.Contains(body, "Our support room, ready to copy") {
		t.Errorf("the new-room page does not offer the program's template:\n%s", body)
	}
	code, loc, _ = post(t, mike, p.URL+"/admin/rooms", url.Values{"mode": {"template"}, "template": {"support-kit"}, "title": {"Help desk"},
		"partnerTypes": {"reseller"}})
	if code != http.StatusSeeOther || !strings.Contains(loc, "/admin/rooms/help-desk/edit") {
		t.Fatalf("start from the program's template: %d %s", code, loc)
	}
	d, err := p.services(t).rooms.Draft(context.Background(), "help-desk")
	src, _ := p.services(t).rooms.Draft(context.Background(), "support")
	if err != nil || len(d.Room.Blocks) != len(src.Room.Blocks) || d.Room.Title != "Help desk" {
		t.Errorf("the room made from the template: %+v, %v", d.Room, err)
	}
}

// TestBuilderTitlesPerLanguage: a manager gives the Support room a German
// title in the builder's settings form, in German; the draft keeps it in
// the room document (the diff shows the room file's title map), an empty
// Spanish field leaves Spanish readers the room's title, a title too long
// is refused beside its own field, and once published a partner whose
// browser speaks German finds the room under its German title.
func TestBuilderTitlesPerLanguage(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	s := p.services(t)
	ctx := context.Background()
	mike := speaking(p.client(t, "mike@acme.example"), "de-DE,de;q=0.9")
	draft := func() room.Draft {
		t.Helper()
		d, err := s.rooms.Draft(ctx, "support")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	d := draft()
	if d.Room.Titles["de"] != "Support" || d.Room.Titles["es"] != "Soporte" {
		t.Fatalf("the demo's Support room: %v", d.Room.Titles)
	}
	code, body := fetch(t, mike, p.URL+"/admin/rooms/support/edit")
	for _, want := range []string{"Raumeinstellungen", "Titel in anderen Sprachen", `name="title.de" value="Support" lang="de"`, `name="title.es" value="Soporte" lang="es"`, ">Deutsch</label>"} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("the German editor: %d, missing %q", code, want)
		}
	}
	if strings.Contains(body, `name="title.en"`) {
		t.Error("English has a field of its own besides the room's title")
	}
	settings := func(de, es string) url.Values {
		v := baseOf(draft())
		v.Set("title", "Support")
		v.Set("slug", "support")
		v.Set("icon", "life-buoy")
		v.Set("position", strconv.Itoa(d.Room.Position))
		v["partnerTypes"] = d.Room.PartnerTypes
		v.Set("title.de", de)
		v.Set("title.es", es)
		return v
	}

	// Too long: refused beside the German field, in the editor, with what
	// was typed; nothing saved.
	long := strings.Repeat("Hilfe ", 20)
	code, _, body = post(t, mike, p.URL+"/admin/rooms/support/settings", settings(long, "Soporte"))
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="rs-title-de-err"`) || !strings.Contains(body, strings.TrimSpace(long)) {
		t.Errorf("a German title of %d characters: %d", len(long), code)
	}
	if got := draft(); got.Room.Titles["de"] != "Support" {
		t.Errorf("the refused title was saved: %v", got.Room.Titles)
	}

	// Saved: German kept, Spanish emptied (its readers see "Support").
	code, loc, body := post(t, mike, p.URL+"/admin/rooms/support/settings", settings("  Hilfe und Support ", ""))
	if code != http.StatusSeeOther || loc != "/admin/rooms/support/edit" {
		t.Fatalf("settings: %d %s\n%s", code, loc, body)
	}
	if got := draft().Room; got.Title != "Support" || got.Titles["de"] != "Hilfe und Support" || len(got.Titles) != 1 {
		t.Errorf("the draft's titles: %q %v", got.Title, got.Titles)
	}
	if _, body = fetch(t, mike, p.URL+"/admin/rooms/support/edit"); !strings.Contains(body, `value="Hilfe und Support"`) || !strings.Contains(body, "Einstellungen im Entwurf gespeichert.") {
		t.Error("the editor does not show the saved German title, or the German notice")
	}
	if _, body = fetch(t, mike, p.URL+"/admin/rooms/support/diff?from=published&to=draft"); !strings.Contains(body, "de: Hilfe und Support") {
		t.Error("the diff does not show the German title in the room file")
	}

	// Published: a German partner sees the German title, an English and a
	// Spanish one the room's title.
	pub := baseOf(draft())
	if code, _, body = post(t, mike, p.URL+"/admin/rooms/support/publish", pub); code != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", code, body)
	}
	sarah := p.client(t, "sarah@northwind.example")
	for _, tc := range []struct{ accept, want string }{
		{"de-AT,de;q=0.9", "<span>Hilfe und Support</span>"},
		{"en", "<span>Support</span>"},
		{"es", "<span>Support</span>"},
	} {
		code, body := fetch(t, speaking(sarah, tc.accept), p.URL+"/rooms/support")
		if code != http.StatusOK || !strings.Contains(body, tc.want) || strings.Contains(body, "Soporte") {
			t.Errorf("Sarah reading %s: %d, missing %q", tc.accept, code, tc.want)
		}
	}
	if revs, err := s.rooms.History(ctx, "support"); err != nil || len(revs) == 0 {
		t.Fatalf("history: %v", err)
	} else if _, body = fetch(t, mike, p.URL+"/admin/rooms/support/history"); !strings.Contains(body, "Verlauf von Support") {
		t.Error("the history page is not in German")
	}
}
