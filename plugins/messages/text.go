package messages

import (
	"embed"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sm "github.com/atriumhq/atrium/sdk/messages"
)

// What people read: the room's words, one file per language. Every
// message is a whole sentence or label; numbers go in as named values,
// and a message that counts has the language's plural forms.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

// words is the catalogue in the viewer's language.
func words(v sdk.Viewer) *i18n.Locale { return catalog.For(v.Locale) }

// when formats a moment the way the rest of the portal does.
func when(w *i18n.Locale, t time.Time) string { return w.DateTime(t.UTC()) }

// size formats a file size for people.
func size(w *i18n.Locale, n int64) string {
	switch {
	case n >= 1<<30:
		return w.T("size.gb", "Size", w.Number(float64(n)/(1<<30), 1))
	case n >= 1<<20:
		return w.T("size.mb", "Size", w.Number(float64(n)/(1<<20), 1))
	case n >= 1<<10:
		return w.T("size.kb", "Size", w.Int(n>>10))
	}
	return w.N("size.bytes", int(n))
}

// roles are the vendor roles the host names people by, in its words, with
// the message that names each in the reader's language.
var roles = map[string]string{"Partner manager": "role.manager", "Support": "role.support",
	"Marketing": "role.marketing", "Vendor contact": "role.vendor-contact"}

// personName names someone with their role, when they have one. A role
// the room does not know is shown as the host wrote it.
func personName(w *i18n.Locale, p sm.Person) string {
	if p.Role == "" {
		return p.Name
	}
	role := p.Role
	if id, ok := roles[role]; ok {
		role = w.T(id)
	}
	return w.T("person.role", "Name", p.Name, "Role", role)
}

// markdownPunct is every character CommonMark lets a backslash escape.
const markdownPunct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// escapeMarkdown makes user text literal in Markdown: every ASCII
// punctuation character is escaped, so nothing typed becomes emphasis, a
// link, a tag or an entity, and runs of white space fold into one space, so
// no line break, code block or heading can start. Bare web addresses stay
// text too: escaping breaks the patterns autolinking looks for.
func escapeMarkdown(s string, b *strings.Builder, space *bool) {
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !*space {
				b.WriteByte(' ')
			}
			*space = true
			continue
		}
		*space = false
		if r < 128 && strings.ContainsRune(markdownPunct, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
}

// highlight turns a search snippet into Markdown: the matched parts in
// bold, every other character the user wrote escaped. Punctuation at the
// edge of a match stays outside the bold, where the delimiters could not
// open or close.
func highlight(spans []sm.Span) string {
	var merged []sm.Span
	for _, s := range spans {
		if n := len(merged); n > 0 && merged[n-1].Match == s.Match {
			merged[n-1].Text += s.Text
			continue
		}
		merged = append(merged, s)
	}
	var b strings.Builder
	space := true // drops leading white space: it would start a code block
	for _, s := range merged {
		if !s.Match {
			escapeMarkdown(s.Text, &b, &space)
			continue
		}
		word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
		start := strings.IndexFunc(s.Text, word)
		if start < 0 {
			escapeMarkdown(s.Text, &b, &space)
			continue
		}
		end := strings.LastIndexFunc(s.Text, word)
		_, w := utf8.DecodeRuneInString(s.Text[end:])
		end += w
		escapeMarkdown(s.Text[:start], &b, &space)
		b.WriteString("**")
		escapeMarkdown(s.Text[start:end], &b, &space)
		b.WriteString("**")
		escapeMarkdown(s.Text[end:], &b, &space)
	}
	return strings.TrimSpace(b.String())
}
