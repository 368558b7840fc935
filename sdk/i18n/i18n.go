// Package i18n lets a block or room type speak the viewer's language.
//
// A plugin ships one message file per language (locales/en.json,
// locales/de.json, ...), embeds them, and loads them once:
//
//	//go:embed locales/*.json
//	var locales embed.FS
//
//	var catalog = i18n.MustLoad(locales, "locales")
//
//	func (b block) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
//		l := catalog.For(req.Viewer.Locale)
//		return ui.Heading{Text: l.T("leads.title")}, nil
//	}
//
// A file is a JSON object of message ids. A message is a string, or, when it
// counts something, an object of CLDR plural forms ("one", "other", and
// whatever else the language needs, such as "many" in Spanish); text in
// {{.Name}} is filled in from the arguments:
//
//	{
//	  "leads.title": "Leads",
//	  "leads.count": {"one": "{{.Count}} lead", "other": "{{.Count}} leads"}
//	}
//
// English (en.json) is required and is the reference: [Catalog.Check]
// reports a language that lacks one of its messages, has one English does
// not, or a message that cannot be drawn, and a plugin's tests should call it.
// A message missing in the viewer's language falls back to English.
//
// The same [Locale] formats numbers, money and dates the way the reader's
// language writes them, so a plugin never formats them by hand. The portal
// itself uses this package for its own pages, so a plugin and the portal
// agree on every format.
//
// Messages are read with github.com/nicksnyder/go-i18n (files per language,
// CLDR plural rules) and numbers formatted with golang.org/x/text.
package i18n

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Pseudo is the language tag of the pseudo-locale: English with every
// message wrapped in ⟦ and ⟧, so a test can tell text that came from a
// catalogue from text that did not.
const Pseudo = "en-XA"

// Pseudo-locale markers.
const (
	OpenMark  = "⟦"
	CloseMark = "⟧"
)

// Catalog is the messages of a plugin (or of the portal) in every language
// it ships. It is safe for concurrent use.
type Catalog struct {
	bundle  *goi18n.Bundle
	tags    []language.Tag
	matcher language.Matcher
	ids     map[language.Tag][]string // message ids per language, sorted
	plural  map[string]bool           // English ids that count something

	mu      sync.Mutex
	locales map[string]*Locale
}

// Load reads dir/<language>.json from fsys (en.json is required).
func Load(fsys fs.FS, dir string) (*Catalog, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	c := &Catalog{
		bundle:  goi18n.NewBundle(language.English),
		ids:     map[language.Tag][]string{},
		plural:  map[string]bool{},
		locales: map[string]*Locale{},
	}
	c.bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".json" {
			continue
		}
		file := path.Join(dir, e.Name())
		buf, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		tag, err := language.Parse(strings.TrimSuffix(e.Name(), ".json"))
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: the file name is not a language tag: %w", file, err)
		}
		mf, err := c.bundle.ParseMessageFileBytes(buf, file)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", file, err)
		}
		ids := make([]string, 0, len(mf.Messages))
		for _, m := range mf.Messages {
			ids = append(ids, m.ID)
			if tag == language.English && m.Other != "" && m.One != "" {
				c.plural[m.ID] = true
			}
		}
		sort.Strings(ids)
		c.ids[tag] = ids
		c.tags = append(c.tags, tag)
	}
	if _, ok := c.ids[language.English]; !ok {
		return nil, fmt.Errorf("i18n: %s: no en.json; English is the reference every other language follows", dir)
	}
	// English first: the matcher's fallback is its first tag.
	slices.SortFunc(c.tags, func(a, b language.Tag) int {
		switch {
		case a == language.English:
			return -1
		case b == language.English:
			return 1
		}
		return strings.Compare(a.String(), b.String())
	})
	c.matcher = language.NewMatcher(c.tags)
	return c, nil
}

// MustLoad is Load for catalogues embedded in the program: it panics on a
// broken file, which the plugin's own tests catch first.
func MustLoad(fsys fs.FS, dir string) *Catalog {
	c, err := Load(fsys, dir)
	if err != nil {
		panic(err)
	}
	return c
}

// Languages are the tags of the languages the catalogue ships, English
// first.
func (c *Catalog) Languages() []string {
	out := make([]string, len(c.tags))
	for i, t := range c.tags {
		out[i] = t.String()
	}
	return out
}

// IDs are the message ids of a language's file, sorted.
func (c *Catalog) IDs(lang string) []string {
	tag, err := language.Parse(lang)
	if err != nil {
		return nil
	}
	return slices.Clone(c.ids[tag])
}

// Supports reports whether lang (a BCP 47 tag) has a file of its own, or
// is the pseudo-locale.
func (c *Catalog) Supports(lang string) bool {
	if lang == Pseudo {
		return true
	}
	tag, err := language.Parse(lang)
	if err != nil {
		return false
	}
	_, ok := c.ids[tag]
	return ok
}

// Match picks the best language the catalogue ships for a list of
// preferences, such as the viewer's setting and an Accept-Language header:
// each argument may be a tag or a whole header ("de-CH,de;q=0.9,en;q=0.8").
// ok is false when none of them matched a shipped language (the result is
// then English).
func (c *Catalog) Match(prefs ...string) (lang string, ok bool) {
	for _, p := range prefs {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if p == Pseudo {
			return Pseudo, true
		}
		tags, _, err := language.ParseAcceptLanguage(p)
		if err != nil || len(tags) == 0 {
			continue
		}
		_, i, conf := c.matcher.Match(tags...)
		if conf >= language.High {
			return c.tags[i].String(), true
		}
		// A language we have in another region ("es-MX" for "es") is
		// matched with high confidence above; anything less is a guess.
	}
	return c.tags[0].String(), false
}

// For returns the locale for a viewer's language (a BCP 47 tag such as
// sdk.Viewer.Locale). A language the catalogue does not ship gets the
// closest one it does, else English; "" is English. [Pseudo] gives the
// pseudo-locale.
func (c *Catalog) For(lang string) *Locale {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l, ok := c.locales[lang]; ok {
		return l
	}
	l := c.newLocale(lang)
	if len(c.locales) < 64 { // a bound on what viewers' strings can make us keep
		c.locales[lang] = l
	}
	return l
}

func (c *Catalog) newLocale(lang string) *Locale {
	if lang == Pseudo {
		l := c.newLocale("en")
		l.tag, l.pseudo = Pseudo, true
		return l
	}
	tag := language.English
	if lang != "" {
		if m, ok := c.Match(lang); ok {
			tag = language.MustParse(m)
		}
	}
	return &Locale{
		tag:  tag.String(),
		loc:  goi18n.NewLocalizer(c.bundle, tag.String(), "en"),
		cat:  c,
		fmts: formatsFor(tag),
	}
}

// Check reports what would show a reader a wrong or missing text: a
// language without a message English has, a message English does not have
// (left over, or misspelt), and a message that fails to draw in some
// language (a broken {{template}}, or a plural form its language needs
// missing). It returns nil when all is well.
func (c *Catalog) Check() error {
	var errs []error
	en := c.ids[language.English]
	for _, tag := range c.tags {
		if tag == language.English {
			continue
		}
		have := c.ids[tag]
		for _, id := range en {
			if _, found := slices.BinarySearch(have, id); !found {
				errs = append(errs, fmt.Errorf("%s: no message %q (English has it)", tag, id))
			}
		}
		for _, id := range have {
			if _, found := slices.BinarySearch(en, id); !found {
				errs = append(errs, fmt.Errorf("%s: message %q is not in English: misspelt, or no longer used", tag, id))
			}
		}
	}
	for _, tag := range c.tags {
		loc := goi18n.NewLocalizer(c.bundle, tag.String())
		for _, id := range c.ids[tag] {
			counts := []any{nil}
			if c.plural[id] {
				counts = []any{0, 1, 2, 5, 21, 1000000, "1.5"}
			}
			for _, n := range counts {
				cfg := &goi18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: sampleData{}}
				if _, err := loc.Localize(cfg); err != nil {
					errs = append(errs, fmt.Errorf("%s: message %q (count %v): %w", tag, id, n, err))
					break
				}
			}
		}
	}
	return errors.Join(errs...)
}

// sampleData fills any {{.Name}} of a message while checking it.
type sampleData map[string]any

// Unused lists the English message ids that no Go file in the folder
// (tests aside) names as a quoted string: words left over after the code
// changed. Ids under one of prefixes are built in code ("status." + s) and
// count as used. A plugin's test calls it with os.DirFS(".").
func (c *Catalog) Unused(src fs.FS, prefixes ...string) ([]string, error) {
	files, err := fs.Glob(src, "*.go")
	if err != nil {
		return nil, err
	}
	var code strings.Builder
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := fs.ReadFile(src, f)
		if err != nil {
			return nil, err
		}
		code.Write(b)
	}
	var out []string
next:
	for _, id := range c.ids[language.English] {
		for _, p := range prefixes {
			if strings.HasPrefix(id, p) {
				continue next
			}
		}
		if !strings.Contains(code.String(), `"`+id+`"`) {
			out = append(out, id)
		}
	}
	return out, nil
}
