package main

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// fieldError is the error a refused form shows beside a field, or "".
func fieldError(page, field string) string {
	re := regexp.MustCompile(`<p class="field-error" id="[^"]*-` + regexp.QuoteMeta(field) + `-error">[\s\S]*?<span>([^<]*)</span>`)
	if m := re.FindStringSubmatch(page); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// TestRefusalsInGerman: partners whose language is German (by their
// browser, or by their own setting) send bad input to partner forms, and
// each field's problem, which the portal's services word, shows beside the
// field in German, with none of the English.
func TestRefusalsInGerman(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	s := p.services(t)
	ctx := context.Background()
	lisaU, err := s.dir.UserByEmail(ctx, "lisa@carlosco.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.dir.SetLanguage(ctx, lisaU.ID, "de"); err != nil {
		t.Fatal(err)
	}
	sarah := speaking(p.client(t, "sarah@northwind.example"), "de-DE,de;q=0.9")
	carlos := speaking(p.client(t, "carlos@carlosco.example"), "de")
	lisa := p.client(t, "lisa@carlosco.example") // German by her setting, not her browser
	deal := "/rooms/deals/items/" + firstOf(t, s, "pipeline_deals", "carlos-co")
	for _, tc := range []struct {
		name    string
		c       *http.Client
		page    string
		action  *regexp.Regexp
		form    url.Values
		want    map[string]string // field: German message
		notWant []string
	}{
		{"a lead without a company and with a bad email", sarah, "/rooms/leads", regexp.MustCompile(`/rooms/leads/blocks/submit/actions/submit`),
			url.Values{"company": {""}, "contactName": {"Ann Lee"}, "email": {"ann at example"}},
			map[string]string{"company": "erforderlich", "email": "geben Sie eine E-Mail-Adresse wie ann@example.com ein"},
			[]string{"<span>required<", "enter an email address", "Please correct"}},
		{"an empty note on a deal", lisa, deal, regexp.MustCompile(`/rooms/deals/blocks/item/actions/note`),
			url.Values{"body": {"   "}},
			map[string]string{"body": "schreiben Sie eine Notiz mit höchstens 5000 Zeichen"},
			[]string{"write a note of at most"}},
		{"a conversation without subject or text", carlos, "/rooms/messages/items/new", regexp.MustCompile(`/rooms/messages/blocks/[^"]+/actions/start`),
			url.Values{"subject": {" "}, "body": {""}},
			map[string]string{"subject": "Geben Sie der Unterhaltung einen Betreff.", "body": "Schreiben Sie eine Nachricht."},
			[]string{"Give the conversation a subject", "Write a message"}},
	} {
		code, page := fetch(t, tc.c, p.URL+tc.page)
		if code != http.StatusOK {
			t.Errorf("%s: %s answers %d", tc.name, tc.page, code)
			continue
		}
		action := tc.action.FindString(page)
		if action == "" {
			t.Errorf("%s: no form on %s", tc.name, tc.page)
			continue
		}
		tc.form.Set("_state", formState(t, page, action))
		code, body := postFrom(t, tc.c, p.URL, tc.page, action, tc.form)
		if code != http.StatusUnprocessableEntity || pageLang(body) != "de" {
			t.Errorf("%s: %d, lang %q; want the form again (422) in German", tc.name, code, pageLang(body))
			continue
		}
		for field, want := range tc.want {
			if got := fieldError(body, field); got != want {
				t.Errorf("%s: beside %s %q, want %q", tc.name, field, got, want)
			}
		}
		for _, w := range tc.notWant {
			if strings.Contains(body, w) {
				t.Errorf("%s: English %q on the page", tc.name, w)
			}
		}
	}
}
