package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/schemaform"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"
	"golang.org/x/net/html"
)

// TestBuilderWordsComeFromTheCatalogue draws the room builder's pages in
// the pseudo-locale, as TestChromeWordsComeFromTheCatalogue draws the
// partners' pages, and fails on any word of their main part outside the
// catalogue's markers. Data is shown as written: rooms' titles, slugs and
// block ids, what the blocks' configs say, block types' names and
// descriptions and their config forms' labels (the plugin's words), the
// program's vocabulary, people, partners, templates, and room files.
func TestBuilderWordsComeFromTheCatalogue(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	s := p.services(t)
	ctx := context.Background()
	mike := speaking(p.client(t, "mike@acme.example"), sdki18n.Pseudo)
	admin := speaking(p.client(t, "admin@acme.example"), sdki18n.Pseudo)
	priya := speaking(p.client(t, "priya@acme.example"), sdki18n.Pseudo)

	// A draft to publish, review, compare and discard: the Support room
	// with a German title.
	d, err := s.rooms.Draft(ctx, "support")
	if err != nil {
		t.Fatal(err)
	}
	form := baseOf(d)
	form.Set("title", "Support")
	form.Set("slug", "support")
	form.Set("icon", "life-buoy")
	form.Set("position", strconv.Itoa(d.Room.Position))
	form["partnerTypes"] = d.Room.PartnerTypes
	form.Set("title.de", "Hilfe")
	code, _, body := post(t, mike, p.URL+"/admin/rooms/support/settings", form)
	if code != http.StatusSeeOther {
		t.Fatalf("settings: %d\n%s", code, body)
	}
	// Saving from the state before is refused with the stale notice.
	staleCode, _, staleBody := post(t, mike, p.URL+"/admin/rooms/support/settings", form)
	// A new room without title or partner types is refused beside them.
	newCode, _, newBody := post(t, mike, p.URL+"/admin/rooms", url.Values{"mode": {"blank"}})

	data := []string{"Acme Cloud Partner Portal", "AC", "atrium rooms apply -f rooms/", "atrium rooms export", "/rooms/", "#",
		"English", "Deutsch", "Español", "Hilfe", "Hilfe und Support",
		// Glyphs: the quotes around a block's id, the drag handle.
		"“", "”", "⠿"}
	// Who changed rooms last: people, or the command line ("CLI").
	statuses, err := s.rooms.Statuses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range statuses {
		data = append(data, st.LastEditor)
	}
	rooms, err := s.rooms.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, rm := range rooms {
		data = append(data, rm.Title, rm.Slug, rm.Name, rm.Type)
		for _, title := range rm.Titles {
			data = append(data, title)
		}
		for _, b := range rm.Blocks {
			data = append(data, b.ID, b.Type)
			var v any
			json.Unmarshal(b.Config, &v)
			for _, str := range stringsIn(v) {
				data = append(data, drawnText(str)...)
			}
		}
	}
	for _, b := range s.reg.Blocks() {
		data = append(data, b.Info.Title, b.Info.Name, b.Info.Description, b.Plugin)
		f, err := schemaform.Build(b.Info.ConfigSchema, b.Info.DefaultConfig, nil)
		if err == nil {
			data = append(data, formWords(f.Title, f.Help, f.Fields)...)
		}
		for _, rm := range rooms {
			for _, bl := range rm.Blocks {
				if bl.Type == b.Info.Name {
					if f, err := schemaform.Build(b.Info.ConfigSchema, bl.Config, nil); err == nil {
						data = append(data, formWords(f.Title, f.Help, f.Fields)...)
					}
				}
			}
		}
	}
	prog := s.catalog.Current().Program.SDK()
	for _, list := range [][]string{prog.PartnerTypes, prog.Tiers, prog.Stages, prog.ContactRoles} {
		for _, word := range list {
			data = append(data, word, humanized(word))
		}
	}
	// The theme's icons are named by their file names, not yet translated
	// (docs/i18n.md, "Not yet").
	for _, icon := range s.web.Theme.Icons() {
		data = append(data, humanized(icon))
	}
	templates, err := s.web.Templates.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tpl := range templates {
		data = append(data, tpl.Title, tpl.Description, tpl.Name)
	}
	for _, q := range []string{"SELECT name FROM users", "SELECT name FROM partners", "SELECT slug FROM partners"} {
		var got []string
		if err := s.db.NewRaw(q).Scan(ctx, &got); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		data = append(data, got...)
	}
	// The room file's lines the diff shows are the room file's.
	diff, err := s.rooms.Diff(ctx, "support", "published", "draft")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(diff, "\n") {
		data = append(data, strings.TrimSpace(strings.TrimLeft(line, "+- ")), line)
	}

	check := func(name string, code, want int, body string) {
		t.Helper()
		if code != want {
			t.Errorf("%s: %d, want %d", name, code, want)
			return
		}
		if pageLang(body) != sdki18n.Pseudo {
			t.Errorf("%s: lang %q", name, pageLang(body))
		}
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range unmarked(doc, []string{"main"}) {
			if !isData(s, data) {
				t.Errorf("%s: %q is not from the catalogue", name, s)
			}
		}
	}
	check("a stale save", staleCode, http.StatusConflict, staleBody)
	check("a new room refused", newCode, http.StatusUnprocessableEntity, newBody)
	for _, tc := range []struct {
		name string
		c    *http.Client
		path string
	}{
		{"rooms", mike, "/admin/rooms"},
		{"new room", mike, "/admin/rooms/new"},
		{"editor with its notice", mike, "/admin/rooms/support/edit"},
		{"editor, a block selected", mike, "/admin/rooms/support/edit?block=team"},
		{"editor, a text block selected", mike, "/admin/rooms/support/edit?block=how"},
		{"palette filtered", mike, "/admin/rooms/support/edit?q=video"},
		{"palette, nothing found", mike, "/admin/rooms/support/edit?q=zzzz"},
		{"editor for a reviewer", priya, "/admin/rooms/support/edit"},
		{"history", mike, "/admin/rooms/support/history"},
		{"diff", mike, "/admin/rooms/support/diff?from=published&to=draft"},
		{"no difference", mike, "/admin/rooms/support/diff?from=published&to=published"},
		{"delete", mike, "/admin/rooms/support/delete"},
		{"keep as a template", admin, "/admin/rooms/support/template"},
		{"navigation", mike, "/admin/rooms/navigation"},
		{"publishing refused", priya, "/admin/rooms/support/delete"},
	} {
		code, body := fetch(t, tc.c, p.URL+tc.path)
		want := http.StatusOK
		if tc.name == "publishing refused" {
			want = http.StatusForbidden
		}
		check(tc.name, code, want, body)
	}
	// Publishing, then the notice and the history with a revision.
	d, _ = s.rooms.Draft(ctx, "support")
	if code, _, body = post(t, mike, p.URL+"/admin/rooms/support/publish", baseOf(d)); code != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", code, body)
	}
	code, body = fetch(t, mike, p.URL+"/admin/rooms/support/edit")
	check("editor after publishing", code, http.StatusOK, body)
	code, body = fetch(t, mike, p.URL+"/admin/rooms/support/history")
	check("history with revisions", code, http.StatusOK, body)
}

// formWords are the words of a block's config form that come from its
// type's schema: labels, help, options, defaults and values.
func formWords(title, help string, fields []schemaform.Field) []string {
	out := []string{title, help}
	for _, f := range fields {
		out = append(out, f.Label, f.Help, f.Default, f.Value, f.Label+" "+strconv.Itoa(f.Position))
		for _, o := range f.Options {
			out = append(out, o.Label)
		}
		out = append(out, formWords("", "", f.Fields)...)
		out = append(out, formWords("", "", f.Items)...)
	}
	return out
}

// humanized is a code as the theme's humanize writes it: "getting-started"
// is "Getting started".
func humanized(word string) string {
	word = strings.NewReplacer("-", " ", "_", " ").Replace(word)
	if word == "" {
		return word
	}
	return strings.ToUpper(word[:1]) + word[1:]
}
