package i18n

import (
	"fmt"
	"slices"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Locale translates and formats for one language. Get one from
// [Catalog.For]; a nil *Locale is English without messages (every T returns
// its id), so a zero value never panics.
type Locale struct {
	tag    string
	loc    *goi18n.Localizer
	cat    *Catalog
	fmts   formats
	pseudo bool
}

// Lang is the locale's BCP 47 tag, for a page's lang attribute: "de".
func (l *Locale) Lang() string {
	if l == nil {
		return "en"
	}
	return l.tag
}

// T returns the message id in the locale's language, filled in with
// args: pairs of a name and a value ("Name", "Acme"), for {{.Name}} in the
// message. A message no catalogue has comes back as its id, which a test
// of the page then finds.
func (l *Locale) T(id string, args ...any) string {
	return l.localize(id, nil, args)
}

// N is T for a message that counts: the plural form is chosen by n with
// the language's CLDR rules, and {{.Count}} is n, formatted.
func (l *Locale) N(id string, n int, args ...any) string {
	return l.localize(id, n, args)
}

func (l *Locale) localize(id string, count any, args []any) string {
	if l == nil || l.loc == nil {
		return id
	}
	data := make(map[string]any, len(args)/2+1)
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok {
			data[k] = args[i+1]
		}
	}
	if n, ok := count.(int); ok {
		data["Count"] = l.Int(int64(n))
	}
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil && s == "" {
		s = id
	}
	if l.pseudo {
		return OpenMark + s + CloseMark
	}
	return s
}

// Has reports whether the catalogue has a message id in English, the
// reference every language follows.
func (l *Locale) Has(id string) bool {
	if l == nil || l.cat == nil {
		return false
	}
	// The ids are sorted; a search without a copy keeps Has cheap enough
	// to ask for every line of a list.
	_, found := slices.BinarySearch(l.cat.ids[language.English], id)
	return found
}

// Errorf is fmt.Errorf with a translated format: for errors shown to the
// reader.
func (l *Locale) Errorf(id string, args ...any) error {
	return fmt.Errorf("%s", l.T(id, args...))
}

// List joins items the way the language does: "a, b and c".
func (l *Locale) List(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	and := l.fmts.and
	return strings.Join(items[:len(items)-1], ", ") + " " + and + " " + items[len(items)-1]
}
