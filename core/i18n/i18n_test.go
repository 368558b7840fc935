package i18n_test

import (
	"slices"
	"testing"

	"github.com/atriumhq/atrium/core/i18n"
)

// TestCatalogue fails when a language misses a message English has, has one
// English does not, or cannot draw one: a reader would see an id or English.
func TestCatalogue(t *testing.T) {
	t.Parallel()
	if err := i18n.Catalog().Check(); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "de", "es"} {
		if !slices.Contains(i18n.Catalog().Languages(), lang) {
			t.Errorf("the portal does not ship %s", lang)
		}
	}
}

func TestChoose(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                       string
		setting, accept, programLg string
		want                       string
	}{
		{"the person's setting wins", "es", "de-DE,de;q=0.9", "de", "es"},
		{"else the browser", "", "de-AT,de;q=0.9,en;q=0.5", "es", "de"},
		{"a browser's later choice", "", "fr-FR,fr;q=0.9,es;q=0.8", "de", "es"},
		{"else the program", "", "fr-FR,fr;q=0.9", "de", "de"},
		{"no header", "", "", "es", "es"},
		{"else English", "", "ja", "", "en"},
		{"a setting no longer shipped", "fr", "es", "", "es"},
		{"a garbled header", "", ";;;q=", "de", "de"},
	} {
		got := i18n.Chooser{Default: tc.programLg}.Choose(tc.setting, tc.accept)
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestValid(t *testing.T) {
	t.Parallel()
	for lang, want := range map[string]bool{"": true, "en": true, "de": true, "es": true, "fr": false, "DE": false, "en-XA": false, "x": false} {
		if got := i18n.Valid(lang); got != want {
			t.Errorf("Valid(%q) = %v, want %v", lang, got, want)
		}
	}
	opts := i18n.Options()
	if len(opts) < 3 || opts[0].Tag != "en" || opts[0].Name != "English" {
		t.Errorf("options: %+v", opts)
	}
	for _, o := range opts {
		if o.Tag == "de" && o.Name != "Deutsch" {
			t.Errorf("German is named %q in itself", o.Name)
		}
	}
}
