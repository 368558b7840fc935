// Package i18n is the portal's own message catalogue and the rule that
// picks a reader's language.
//
// The messages are locales/<language>.json, embedded, in the format of the
// SDK's i18n package (which also formats numbers, money and dates), so the
// portal's pages and a plugin's rooms are worded and formatted alike. A
// language is added by adding its file; TestCatalogue fails until it has
// every message English has.
//
// A reader's language is, in order: their own setting, their browser's
// Accept-Language, the program's default, English ([Chooser]).
package i18n

import (
	"context"
	"embed"

	"github.com/atriumhq/atrium/sdk/i18n"
)

//go:embed locales/*.json
var locales embed.FS

var portal = i18n.MustLoad(locales, "locales")

// Catalog is the portal's catalogue.
func Catalog() *i18n.Catalog { return portal }

// Locale is the portal's locale for a language tag ("" is English).
func Locale(lang string) *i18n.Locale { return portal.For(lang) }

// Chooser picks the language of a reader.
type Chooser struct {
	// Default is the program's language, for readers whose setting and
	// browser name none the portal ships; "" is English.
	Default string
}

// Choose returns the language tag for a reader with a setting (a tag, or
// "") whose browser sent acceptLanguage.
func (c Chooser) Choose(setting, acceptLanguage string) string {
	if setting != "" && portal.Supports(setting) {
		return canonical(setting)
	}
	if lang, ok := portal.Match(acceptLanguage); ok {
		return lang
	}
	if lang, ok := portal.Match(c.Default); ok {
		return lang
	}
	return "en"
}

// canonical spells a supported tag as the catalogue does ("DE" is "de").
func canonical(tag string) string {
	if tag == i18n.Pseudo {
		return tag
	}
	lang, _ := portal.Match(tag)
	return lang
}

// Valid reports whether a language may be a person's or the program's
// setting: "" (none) or a language the portal ships.
func Valid(lang string) bool {
	return lang == "" || (lang != i18n.Pseudo && portal.Supports(lang) && canonical(lang) == lang)
}

// Option is a language a person may choose, named in itself.
type Option struct {
	Tag, Name string
}

// Options are the languages the portal ships, each named in its own
// language ("Deutsch"), so a reader finds theirs whatever the page's
// language.
func Options() []Option {
	var out []Option
	for _, tag := range portal.Languages() {
		out = append(out, Option{Tag: tag, Name: portal.For(tag).T("language.name")})
	}
	return out
}

type ctxKey struct{}

// WithLocale returns a context that carries a reader's locale.
func WithLocale(ctx context.Context, l *i18n.Locale) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From returns the locale a context carries, or English.
func From(ctx context.Context) *i18n.Locale {
	if l, ok := Carried(ctx); ok {
		return l
	}
	return portal.For("en")
}

// Carried returns the locale a context carries, if it carries one.
func Carried(ctx context.Context) (*i18n.Locale, bool) {
	l, ok := ctx.Value(ctxKey{}).(*i18n.Locale)
	return l, ok && l != nil
}

// Lang is the language tag of a context's locale.
func Lang(ctx context.Context) string { return From(ctx).Lang() }
