package notify

import (
	"fmt"
	"strings"

	"github.com/atriumhq/atrium/core/i18n"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"
)

// Text is a message of the portal's catalogue with what fills it in. The
// portal's own services give a notification's title and body as Texts, so
// that each reader reads them in their own language when they are shown
// (the notifications page, the mails, the digests), not in the language of
// whoever caused the event. What people wrote (a company, a subject, an
// excerpt) fills the message as written.
type Text struct {
	// Key is the message's id in the portal's catalogue
	// ("notify.lead-moved.title").
	Key string `json:"key"`
	// Args fill the message's {{.Name}} as written.
	Args map[string]string `json:"args,omitempty"`
	// Words fill it with the portal's own words, such as a lead's status
	// ("lead.closed_won"), worded from "notify.word.<value>"; a word the
	// catalogue lacks (a deal stage the program named itself) is shown as
	// the pages show it ("Contract signed").
	Words map[string]string `json:"words,omitempty"`
	// Days fill it with dates ("2026-12-20"), written the reader's way.
	Days map[string]string `json:"days,omitempty"`
}

// Say returns the message key filled in with pairs of a name and a value
// as written: Say("notify.lead-created.title", "Object", "Acme Retail").
func Say(key string, pairs ...string) *Text {
	t := &Text{Key: key}
	for i := 0; i+1 < len(pairs); i += 2 {
		if t.Args == nil {
			t.Args = map[string]string{}
		}
		t.Args[pairs[i]] = pairs[i+1]
	}
	return t
}

// Word fills name with one of the portal's words: group names its kind
// ("lead" for lead statuses, "deal" for deal stages), value is the stored
// value ("closed_won").
func (t *Text) Word(name, group, value string) *Text {
	if t.Words == nil {
		t.Words = map[string]string{}
	}
	t.Words[name] = group + "." + value
	return t
}

// Day fills name with a date ("2006-01-02"), written in the reader's
// format.
func (t *Text) Day(name, day string) *Text {
	if t.Days == nil {
		t.Days = map[string]string{}
	}
	t.Days[name] = day
	return t
}

// In words the text in l's language; ok is false for no text, or for a
// key the catalogue no longer has (the stored English then stands).
func (t *Text) In(l *sdki18n.Locale) (s string, ok bool) {
	if t == nil || t.Key == "" || !l.Has(t.Key) {
		return "", false
	}
	args := make([]any, 0, 2*(len(t.Args)+len(t.Words)+len(t.Days)))
	for k, v := range t.Args {
		args = append(args, k, v)
	}
	for k, v := range t.Words {
		args = append(args, k, word(l, v))
	}
	for k, v := range t.Days {
		args = append(args, k, l.Day(v))
	}
	return l.T(t.Key, args...), true
}

// word is one of the portal's words in l's language ("lead.closed_won" is
// "Gewonnen" in German), or the value as the pages show it when the
// catalogue has no such word.
func word(l *sdki18n.Locale, v string) string {
	if key := "notify.word." + v; l.Has(key) {
		return l.T(key)
	}
	_, value, _ := strings.Cut(v, ".")
	return human(value)
}

// english is the reference language: what a notification's stored title
// and body say, for readers of the API and for rows whose key is gone.
var english = i18n.Locale("en")

// check reports a text whose key the catalogue does not have: a misspelt
// key would show its id to every reader.
func (t *Text) check() error {
	if t != nil && !english.Has(t.Key) {
		return fmt.Errorf("no message %q in the catalogue", t.Key)
	}
	return nil
}

// In returns the item worded in l's language: a title and body made from
// the catalogue are worded again; text stored without a key (from before
// notifications were worded per reader, or a plugin's) stays as stored.
func (i Item) In(l *sdki18n.Locale) Item {
	if s, ok := i.TitleText.In(l); ok {
		i.Title = s
	}
	if s, ok := i.BodyText.In(l); ok {
		i.Body = s
	}
	return i
}
