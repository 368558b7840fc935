package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/room"
)

// TestBuilderMarkdownPerLanguage: a German-speaking manager finds a field
// per language beside the Support room's Markdown, labelled in its own
// language and marked with it; a text by language that breaks a rule is
// refused beside its own field, an empty default beside the default's;
// a saved German text and an emptied Spanish one go to the draft as the
// room file would write them, and once published a German partner reads
// the German text while a Spanish one, whose text was removed, reads the
// default.
func TestBuilderMarkdownPerLanguage(t *testing.T) {
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
	markdown := func(d room.Draft) map[string]string {
		t.Helper()
		var c struct{ Markdown map[string]string }
		if err := json.Unmarshal(d.Room.Blocks[0].Config, &c); err != nil {
			t.Fatalf("the how block's config: %s: %v", d.Room.Blocks[0].Config, err)
		}
		return c.Markdown
	}
	d := draft()
	if d.Room.Blocks[0].ID != "how" || !strings.Contains(markdown(d)["de"], "So bekommen Sie Hilfe") {
		t.Fatalf("the demo's Support room: %s", d.Room.Blocks[0].Config)
	}

	// The demo's German and Spanish partners read how to get help in
	// their languages.
	sarah := p.client(t, "sarah@northwind.example")
	for accept, want := range map[string]string{"de": "So bekommen Sie Hilfe", "es": "Cómo obtener ayuda", "en": "How to get help"} {
		if code, body := fetch(t, speaking(sarah, accept), p.URL+"/rooms/support"); code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("the demo read in %s: %d, missing %q", accept, code, want)
		}
	}

	code, body := fetch(t, mike, p.URL+"/admin/rooms/support/edit?block=how")
	for _, want := range []string{
		`<legend>Markdown in anderen Sprachen</legend>`,
		`id="cfg-config-markdown-translations" aria-describedby="cfg-config-markdown-translations-help"`,
		`<label for="cfg-config-markdown-de" lang="de">Deutsch</label>`,
		`<textarea id="cfg-config-markdown-de" name="config.markdown.de" lang="de"`,
		`<label for="cfg-config-markdown-es" lang="es">Español</label>`,
		"## So bekommen Sie Hilfe",
		`name="config.title.de"`,
	} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("the German editor: %d, missing %q", code, want)
		}
	}
	if strings.Contains(body, `name="config.markdown.en"`) {
		t.Error("the default has a second field besides the Markdown itself")
	}

	// Refused, beside their fields, nothing saved: German too long, and
	// an empty default while German is given.
	form := blockForm(t, p, d, "how")
	form.Set("config.markdown.de", strings.Repeat("x", 50001))
	code, _, body = post(t, mike, p.URL+"/admin/rooms/support/blocks/how", form)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="cfg-config-markdown-de-err"`) {
		t.Errorf("German Markdown of 50,001 characters: %d, or the error is not beside the German field", code)
	}
	form = blockForm(t, p, d, "how")
	form.Set("config.markdown", "")
	code, _, body = post(t, mike, p.URL+"/admin/rooms/support/blocks/how", form)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="cfg-config-markdown-err"`) {
		t.Errorf("an empty default: %d, or the error is not beside the Markdown field", code)
	}
	if got := draft(); got.Version != d.Version {
		t.Errorf("a refused form was saved: version %d → %d", d.Version, got.Version)
	}

	// Saved: German changed, Spanish emptied.
	form = blockForm(t, p, d, "how")
	form.Set("config.markdown.de", "## Neu: Hilfe in Ihrer Sprache\r\n")
	form.Set("config.markdown.es", "")
	code, loc, body := post(t, mike, p.URL+"/admin/rooms/support/blocks/how", form)
	if code != http.StatusSeeOther || !strings.Contains(loc, "block=how") {
		t.Fatalf("save: %d %s\n%s", code, loc, body)
	}
	got := markdown(draft())
	if got["de"] != "## Neu: Hilfe in Ihrer Sprache\n" || !strings.Contains(got["en"], "How to get help") || len(got) != 2 {
		t.Errorf("the draft's Markdown: %v", got)
	}
	if _, body = fetch(t, mike, p.URL+"/admin/rooms/support/diff?from=published&to=draft"); !strings.Contains(body, "## Neu: Hilfe in Ihrer Sprache") {
		t.Error("the diff does not show the German Markdown in the room file")
	}

	if code, _, body = post(t, mike, p.URL+"/admin/rooms/support/publish", baseOf(draft())); code != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", code, body)
	}
	for _, tc := range []struct{ accept, want, not string }{
		{"de-AT,de;q=0.9", "Neu: Hilfe in Ihrer Sprache", "How to get help"},
		{"es", "How to get help", "Cómo obtener ayuda"},
		{"en", "How to get help", "Neu: Hilfe"},
	} {
		code, body := fetch(t, speaking(sarah, tc.accept), p.URL+"/rooms/support")
		if code != http.StatusOK || !strings.Contains(body, tc.want) || strings.Contains(body, tc.not) {
			t.Errorf("Sarah reading %s: %d, want %q and not %q", tc.accept, code, tc.want, tc.not)
		}
	}
}
