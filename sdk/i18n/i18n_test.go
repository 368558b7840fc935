package i18n_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/sdk/i18n"
)

func load(t *testing.T, dir string) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load(os.DirFS("testdata"), dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTranslate(t *testing.T) {
	t.Parallel()
	c := load(t, "good")
	if err := c.Check(); err != nil {
		t.Fatalf("a complete catalogue fails its check: %v", err)
	}
	for _, tc := range []struct {
		lang, want string
		n          int
	}{
		{"en", "Hello, Ana · 1 lead · 2 leads", 1},
		{"de", "Hallo, Ana · 1 Lead · 2 Leads", 1},
		{"de-AT", "Hallo, Ana · 1 Lead · 2 Leads", 1},
		{"es-MX", "Hola, Ana · 1 cliente potencial · 2 clientes potenciales", 1},
		{"fr", "Hello, Ana · 1 lead · 2 leads", 1},
		{"", "Hello, Ana · 1 lead · 2 leads", 1},
		{i18n.Pseudo, "⟦Hello, Ana⟧ · ⟦1 lead⟧ · ⟦2 leads⟧", 1},
	} {
		l := c.For(tc.lang)
		got := l.T("hello", "Name", "Ana") + " · " + l.N("leads.count", 1) + " · " + l.N("leads.count", 2)
		if got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.lang, got, tc.want)
		}
	}
	if got := c.For("es").N("leads.count", 1000000); got != "1.000.000 de clientes potenciales" {
		t.Errorf("Spanish's many form: got %q", got)
	}
	if got := c.For("de").T("no.such.message"); got != "no.such.message" {
		t.Errorf("a missing message: got %q, want its id", got)
	}
	var nilLocale *i18n.Locale
	if got := nilLocale.T("hello"); got != "hello" {
		t.Errorf("a nil locale: got %q", got)
	}
	// Has asks English, the reference, whatever the locale's language.
	for _, tc := range []struct {
		l    *i18n.Locale
		id   string
		want bool
	}{
		{c.For("de"), "hello", true}, {c.For("es"), "leads.count", true}, {c.For("de"), "no.such.message", false},
		{c.For("de"), "", false}, {nilLocale, "hello", false},
	} {
		if got := tc.l.Has(tc.id); got != tc.want {
			t.Errorf("Has(%q) in %s = %v", tc.id, tc.l.Lang(), got)
		}
	}
}

func TestCheckFindsWhatReadersWouldMiss(t *testing.T) {
	t.Parallel()
	err := load(t, "bad").Check()
	if err == nil {
		t.Fatal("a broken catalogue passes its check")
	}
	for _, want := range []string{
		`de: no message "bye" (English has it)`,
		`de: message "tschuess" is not in English`,
		`de: message "hello"`,
		`de: message "leads.count"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the check does not say %q; it says:\n%v", want, err)
		}
	}
}

func TestLoadNeedsEnglish(t *testing.T) {
	t.Parallel()
	if _, err := i18n.Load(os.DirFS("testdata"), "."); err == nil {
		t.Fatal("a folder without en.json loads")
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	c := load(t, "good")
	for _, tc := range []struct {
		prefs  []string
		want   string
		wantOK bool
	}{
		{[]string{"", "de-CH,de;q=0.9,en;q=0.8"}, "de", true},
		{[]string{"es", "de"}, "es", true},
		{[]string{"", "fr-FR,fr;q=0.9"}, "en", false},
		{[]string{"fr-FR,fr;q=0.9,es;q=0.5"}, "es", true},
		{[]string{"not a tag", "es-419"}, "es", true},
		{nil, "en", false},
		{[]string{i18n.Pseudo}, i18n.Pseudo, true},
	} {
		got, ok := c.Match(tc.prefs...)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("Match(%q) = %q, %v; want %q, %v", tc.prefs, got, ok, tc.want, tc.wantOK)
		}
	}
}

func TestFormats(t *testing.T) {
	t.Parallel()
	c := load(t, "good")
	day := time.Date(2026, time.March, 7, 14, 5, 0, 0, time.UTC)
	for _, tc := range []struct {
		lang, what, got, want string
	}{
		{"en", "int", c.For("en").Int(1234567), "1,234,567"},
		{"de", "int", c.For("de").Int(1234567), "1.234.567"},
		{"es", "int", c.For("es").Int(1234567), "1.234.567"},
		{"en", "number", c.For("en").Number(1234.5, 2), "1,234.5"},
		{"de", "number", c.For("de").Number(1234.5, 2), "1.234,5"},
		{"en", "percent", c.For("en").Percent(0.255), "26%"},
		{"de", "percent", c.For("de").Percent(0.255), "26\u00a0%"},
		{"en", "money", c.For("en").Money(123450, "USD"), "$1,234.50"},
		{"en", "money whole", c.For("en").Money(2500000, "EUR"), "€25,000"},
		{"en", "money other", c.For("en").Money(100000, "CHF"), "1,000 CHF"},
		{"en", "money negative", c.For("en").Money(-5000, "GBP"), "−£50"},
		{"de", "money", c.For("de").Money(123450, "EUR"), "1.234,50\u00a0€"},
		{"es", "money", c.For("es").Money(123450, "USD"), "1.234,50\u00a0$"},
		{"de", "money float", c.For("de").MoneyFloat(12.5, "EUR"), "12,50\u00a0€"},
		{"en", "date", c.For("en").Date(day), "7 Mar 2026"},
		{"de", "date", c.For("de").Date(day), "7. März 2026"},
		{"es", "date", c.For("es").Date(day), "7 mar 2026"},
		{"de", "day", c.For("de").Day("2026-03-07"), "7. März 2026"},
		{"en", "day not a date", c.For("en").Day("soon"), "soon"},
		{"en", "date time", c.For("en").DateTime(day), "7 Mar 2026, 14:05"},
		{"de", "date time", c.For("de").DateTime(day), "7. März 2026, 14:05"},
		{"es", "month", c.For("es").MonthYear(day), "marzo de 2026"},
		{"de", "month", c.For("de").MonthYear(day), "März 2026"},
		{"en", "zero date", c.For("en").Date(time.Time{}), "—"},
		{"de", "list", c.For("de").List([]string{"a", "b", "c"}), "a, b und c"},
		{"es", "list", c.For("es").List([]string{"a", "b"}), "a y b"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s %s: got %q, want %q", tc.lang, tc.what, tc.got, tc.want)
		}
	}
}
