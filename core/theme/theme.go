// Package theme turns component trees and pages into HTML.
//
// A theme is a folder of templates and assets (package themes holds the
// default): one template per UI component kind under components/, one per
// page under pages/, the shared page shell under layouts/, and CSS, a little
// JavaScript and icons under assets/. An operator's theme folder overrides any
// file of the default by its relative path; everything else comes from the
// default. Templates are parsed once, at Load.
//
// Templates are html/template, so everything a block or plugin supplies is
// escaped for where it lands, and URLs with unsafe schemes are neutralised.
// The only HTML that is not escaped is the theme's own (templates and icons)
// and Markdown, which goes through Options.Markdown and is sanitised there.
//
//	th, err := theme.Load(theme.Options{Dir: dir, Markdown: markdown.New(markdown.Options{})})
//	html, err := th.Component(tree, &theme.BlockContext{BlockID: "intro", ...})
//	err = th.Page(w, "room", theme.Layout{Title: "Leads", Content: theme.RoomPage{...}})
package theme

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/atriumhq/atrium/core/i18n"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"
	"github.com/atriumhq/atrium/sdk/ui"
	"github.com/atriumhq/atrium/themes"
)

// Markdown renders Markdown to sanitised HTML. *markdown.Renderer satisfies
// it.
type Markdown interface {
	Render(src string) template.HTML
}

// Options configure Load.
type Options struct {
	// Dir is an optional theme folder. A file in it overrides the default
	// theme's file with the same relative path ("assets/app.css",
	// "components/card.html"); new pages, components' partials and assets may
	// be added the same way.
	Dir string
	// Markdown renders the Markdown of markdown components, callout bodies
	// and person bios. Without it, Markdown is shown as plain text.
	Markdown Markdown
	// Logger receives notes about the theme (overridden files, unknown
	// assets). Default slog.Default().
	Logger *slog.Logger
	// Catalog words the templates' {{t "id"}}; default the portal's.
	Catalog *sdki18n.Catalog
}

// Theme draws component trees and pages. It is safe for concurrent use.
type Theme struct {
	md      Markdown
	log     *slog.Logger
	catalog *sdki18n.Catalog
	// master is the parsed templates, never run: html/template copies only
	// a template that has not run, and each language's set is a copy.
	master *set
	// sets are the templates once per language: each copy's t, tn, date,
	// number and money funcs speak that language, so a template says
	// {{t "nav.signout"}} without passing a locale around. A language's
	// copy is made when a page first asks for it: copying every page for
	// every language took most of a portal's start, and most portals speak
	// one or two. The map is not changed after Load.
	sets   map[string]*lazySet
	brand  sync.Map // primary colour -> template.CSS
	assets *assetSet
	icons  map[string]template.HTML
}

// set is the theme's templates in one language.
type set struct {
	loc        *sdki18n.Locale
	components *template.Template
	pages      map[string]*template.Template
	blockTmpl  *template.Template // the layouts, for Block and Navigation
}

// lazySet is one language's templates, copied from the master on first use.
type lazySet struct {
	once sync.Once
	loc  *sdki18n.Locale
	s    *set
}

// set returns the templates for a locale, English's for one the theme
// does not know.
func (t *Theme) set(l *sdki18n.Locale) *set {
	ls, ok := t.sets[l.Lang()]
	if !ok {
		ls = t.sets["en"]
	}
	ls.once.Do(func() {
		s, err := t.master.translated(ls.loc)
		if err != nil {
			// Load copied English, so the master copies; this is
			// a broken invariant, not a bad theme.
			panic(fmt.Sprintf("theme: copy the templates for %s: %v", ls.loc.Lang(), err))
		}
		ls.s = s
	})
	return ls.s
}

// Load reads a theme: the default, overlaid with opts.Dir when set. It fails
// with the file's name when a template does not parse, and when a component
// kind has no template.
func Load(opts Options) (*Theme, error) {
	base, err := fs.Sub(themes.Default, "default")
	if err != nil {
		return nil, fmt.Errorf("theme: default theme: %w", err)
	}
	t := &Theme{md: opts.Markdown, log: opts.Logger, catalog: opts.Catalog}
	if t.catalog == nil {
		t.catalog = i18n.Catalog()
	}
	if t.log == nil {
		t.log = slog.Default()
	}
	if t.md == nil {
		t.md = plainText{}
	}
	fsys := base
	if opts.Dir != "" {
		if st, err := os.Stat(opts.Dir); err != nil {
			return nil, fmt.Errorf("theme: folder: %w", err)
		} else if !st.IsDir() {
			return nil, fmt.Errorf("theme: folder %s is not a directory", opts.Dir)
		}
		top := os.DirFS(opts.Dir)
		if changed := overridden(top); len(changed) > 0 {
			t.log.Info("theme folder overrides default files", "dir", opts.Dir, "files", changed)
		}
		fsys = overlay{top: top, base: base}
	}
	if t.assets, err = loadAssets(fsys); err != nil {
		return nil, err
	}
	if t.icons, err = loadIcons(fsys); err != nil {
		return nil, err
	}
	en := &set{loc: t.catalog.For("en")}
	if en.components, err = t.parseComponents(fsys); err != nil {
		return nil, err
	}
	if en.pages, err = t.parsePages(fsys); err != nil {
		return nil, err
	}
	if _, ok := en.pages["error"]; !ok {
		return nil, errors.New("theme: no pages/error.html")
	}
	if en.pages["error"].Lookup("_block") == nil {
		return nil, errors.New("theme: no layouts/_block.html")
	}
	// The master is never run, so that html/template can copy it for each
	// language when that language is first asked for.
	t.master = en
	t.sets = map[string]*lazySet{}
	for _, lang := range append(t.catalog.Languages(), sdki18n.Pseudo) {
		t.sets[lang] = &lazySet{loc: t.catalog.For(lang)}
	}
	if _, ok := t.sets["en"]; !ok {
		t.sets["en"] = &lazySet{loc: en.loc}
	}
	// English is copied now: a theme whose templates cannot be copied
	// fails here, with the reason, and not on some later page.
	s, err := en.translated(en.loc)
	if err != nil {
		return nil, err
	}
	t.sets["en"].once.Do(func() { t.sets["en"].s = s })
	return t, nil
}

// translated copies a set of templates with funcs that speak l's language.
func (b *set) translated(l *sdki18n.Locale) (*set, error) {
	funcs := localeFuncs(l)
	s := &set{loc: l, pages: make(map[string]*template.Template, len(b.pages))}
	var err error
	if s.components, err = b.components.Clone(); err != nil {
		return nil, fmt.Errorf("theme: %s: %w", l.Lang(), err)
	}
	s.components.Funcs(funcs)
	for name, p := range b.pages {
		c, err := p.Clone()
		if err != nil {
			return nil, fmt.Errorf("theme: %s: page %s: %w", l.Lang(), name, err)
		}
		s.pages[name] = c.Funcs(funcs)
	}
	s.blockTmpl = s.pages["error"]
	return s, nil
}

// parseComponents parses components/*.html into one set. Each file is the
// body of the template named after it: components/card.html draws "card".
// Files whose names start with "_" are partials the others may call.
func (t *Theme) parseComponents(fsys fs.FS) (*template.Template, error) {
	set := template.New("_components").Funcs(t.funcs()).Funcs(localeFuncs(t.catalog.For("en")))
	if err := parseDir(set, fsys, "components"); err != nil {
		return nil, err
	}
	kinds := ui.Kinds()
	slices.Sort(kinds)
	for _, k := range kinds {
		if set.Lookup(k) == nil {
			return nil, fmt.Errorf("theme: no template for component kind %q (components/%s.html)", k, k)
		}
	}
	return set, nil
}

// parsePages parses layouts/*.html into a shell and, for each of
// pages/*.html, a copy of the shell whose "page" template is that page. The
// shell starts at "base".
func (t *Theme) parsePages(fsys fs.FS) (map[string]*template.Template, error) {
	shell := template.New("_layouts").Funcs(t.funcs()).Funcs(localeFuncs(t.catalog.For("en")))
	if err := parseDir(shell, fsys, "layouts"); err != nil {
		return nil, err
	}
	if shell.Lookup("base") == nil {
		return nil, errors.New("theme: no layout layouts/base.html")
	}
	names, err := htmlFiles(fsys, "pages")
	if err != nil {
		return nil, err
	}
	pages := make(map[string]*template.Template, len(names))
	for _, name := range names {
		file := "pages/" + name + ".html"
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("theme: %s: %w", file, err)
		}
		p, err := shell.Clone()
		if err != nil {
			return nil, fmt.Errorf("theme: %s: %w", file, err)
		}
		if _, err := p.New("page").Parse(string(src)); err != nil {
			return nil, fmt.Errorf("theme: %s: %w", file, err)
		}
		pages[name] = p
	}
	return pages, nil
}

// parseDir adds every dir/*.html to set, each as the template named after its
// file.
func parseDir(set *template.Template, fsys fs.FS, dir string) error {
	names, err := htmlFiles(fsys, dir)
	if err != nil {
		return err
	}
	for _, name := range names {
		file := dir + "/" + name + ".html"
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			return fmt.Errorf("theme: %s: %w", file, err)
		}
		// Without the file's final newline, components nest without stray
		// whitespace.
		if _, err := set.New(name).Parse(strings.TrimRight(string(src), "\r\n")); err != nil {
			return fmt.Errorf("theme: %s: %w", file, err)
		}
	}
	return nil
}

// htmlFiles lists the names, without extension, of dir/*.html.
func htmlFiles(fsys fs.FS, dir string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("theme: %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && path.Ext(e.Name()) == ".html" {
			names = append(names, strings.TrimSuffix(e.Name(), ".html"))
		}
	}
	return names, nil
}

// plainText shows Markdown as escaped paragraphs when no renderer is set.
type plainText struct{}

func (plainText) Render(src string) template.HTML {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("<p>")
			b.WriteString(template.HTMLEscapeString(para))
			b.WriteString("</p>\n")
		}
	}
	return template.HTML(b.String()) // escaped above
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuf() *bytes.Buffer {
	b := bufPool.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

func putBuf(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		bufPool.Put(b)
	}
}
