package main

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// errorBeside is the error a refused staff form shows in the element with
// the given id (its field's error), or "".
func errorBeside(page, id string) string {
	re := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `">[\s\S]*?<span>([^<]*)</span>`)
	if m := re.FindStringSubmatch(page); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// TestStaffRefusalsInGerman: an admin whose browser asks for German sends
// bad values to the staff pages' forms (program settings' rules, stages and
// lead fields, a room's settings and a block's config in the builder, a
// room template), and each refusal, which the services word, shows beside
// its field in German, with none of the English.
func TestStaffRefusalsInGerman(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	s := p.services(t)
	admin := speaking(p.client(t, "admin@acme.example"), "de-DE,de;q=0.9")
	support, err := s.rooms.Draft(context.Background(), "support")
	if err != nil {
		t.Fatal(err)
	}
	settings := baseOf(support)
	settings.Set("title", strings.Repeat("T", 101))
	settings.Set("slug", "support")
	settings.Set("icon", support.Room.Icon)
	settings.Set("position", strconv.Itoa(support.Room.Position))
	settings["partnerTypes"] = support.Room.PartnerTypes
	block := blockForm(t, p, support, "how")
	block.Set("config.title", strings.Repeat("T", 201))
	stages := url.Values{"stage.0.label": {strings.Repeat("S", 61)}, "stage.0.order": {"10"}, "stage.1.label": {"Negotiation"}, "stage.1.order": {"20"},
		"stage.2.label": {"Contract review"}, "stage.2.order": {"30"}, "stage.3.label": {"Closed won"}, "stage.4.label": {"Closed lost"}}
	for _, tc := range []struct {
		name    string
		path    string
		form    url.Values
		want    map[string]string // the id of a field's error: its German message
		notWant []string
	}{
		{"a rule with three decimals", "/admin/program/rules",
			url.Values{"partnerType": {"reseller"}, "tier": {"silver"}, "kind": {"percent"}, "percent": {"12.345"}},
			map[string]string{"rule-percent-err": "höchstens zwei Nachkommastellen (12.25 %)"},
			[]string{"at most two decimals"}},
		{"a rule of no percentage", "/admin/program/rules",
			url.Values{"partnerType": {"reseller"}, "kind": {"percent"}, "percent": {"0"}},
			map[string]string{"rule-percent-err": "ein Prozentsatz zwischen 0,01 und 100"},
			[]string{"a percentage between"}},
		{"a stage's name too long", "/admin/program/stages", stages,
			map[string]string{"stage-0-label-err": "ein Name mit höchstens 60 Zeichen"},
			[]string{"a name of at most 60 characters"}},
		{"a lead field named like a standard one", "/admin/program/fields",
			url.Values{"field.0.name": {"email"}, "field.0.label": {"Email"}},
			map[string]string{"field-0-name-err": "das Lead-Formular hat bereits email"},
			[]string{"the lead form already has"}},
		{"a room title too long", "/admin/rooms/support/settings", settings,
			map[string]string{"rs-title-err": "darf höchstens 100 Zeichen lang sein"},
			[]string{"must be at most 100 characters"}},
		{"a block's title too long", "/admin/rooms/support/blocks/how", block,
			map[string]string{"cfg-config-title-err": "höchstens 200 Zeichen (jetzt 201)"},
			[]string{"maxLength: got"}},
		{"a template with a bad name and a long description", "/admin/rooms/support/template",
			url.Values{"name": {"Support Hub!"}, "title": {"Support"}, "description": {strings.Repeat("d", 501)}},
			map[string]string{"tpl-name-error": "Verwenden Sie Kleinbuchstaben, Ziffern und Bindestriche (höchstens 64).",
				"tpl-description-error": "Verwenden Sie höchstens 500 Zeichen."},
			[]string{"Use lowercase letters", "Use at most 500 characters"}},
		{"a template named like a built-in one", "/admin/rooms/support/template",
			url.Values{"name": {"support-hub"}, "title": {"Support"}},
			map[string]string{"tpl-name-error": `"support-hub" ist eine mitgelieferte Vorlage; wählen Sie einen anderen Namen.`},
			[]string{"is a built-in template"}},
	} {
		code, _, body := post(t, admin, p.URL+tc.path, tc.form)
		if code != http.StatusUnprocessableEntity || pageLang(body) != "de" {
			t.Errorf("%s: %d, lang %q; want the form again (422) in German", tc.name, code, pageLang(body))
			continue
		}
		for id, want := range tc.want {
			if got := errorBeside(body, id); got != want {
				t.Errorf("%s: beside the field (%s) %q, want %q", tc.name, id, got, want)
			}
		}
		for _, w := range tc.notWant {
			if strings.Contains(body, w) {
				t.Errorf("%s: English %q on the page", tc.name, w)
			}
		}
	}
}
