// Package markdown turns the Markdown that blocks and plugins supply into HTML
// that is safe to place in a portal page.
//
// Rendering is two steps, each enough on its own for ordinary input and
// together a defence in depth. goldmark parses GitHub-flavoured Markdown with
// raw HTML switched off, so tags typed into the source come out as an HTML
// comment, and it already drops javascript:, vbscript: and data: link
// destinations. bluemonday then rebuilds the result from an allowlist of the
// elements and attributes that Markdown itself produces, so a bug or a future
// option in the parser cannot smuggle script, styles or event handlers into a
// page.
//
// Rendered HTML is kept in a bounded LRU cache keyed by a hash of the source:
// a room's text is rendered once, not on every view.
//
//	md := markdown.New(markdown.Options{})
//	html := md.Render("**Welcome** to the [partner program](/rooms/program).")
package markdown

import (
	"bytes"
	"crypto/sha256"
	"html/template"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// DefaultCacheSize is the number of rendered sources kept when
// Options.CacheSize is zero: enough for every text block of a large portal.
const DefaultCacheSize = 4096

// Options configure a Renderer.
type Options struct {
	// CacheSize bounds the number of rendered sources kept in memory
	// (default DefaultCacheSize). A negative size turns the cache off.
	CacheSize int
}

// Renderer renders Markdown to sanitised HTML. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
	cache  *lru.Cache[[sha256.Size]byte, template.HTML] // nil when off
}

// New returns a Renderer.
func New(opts Options) *Renderer {
	r := &Renderer{
		md: goldmark.New(
			goldmark.WithExtensions(
				extension.Linkify,
				extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
				extension.Strikethrough,
				extension.TaskList,
			),
			goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(headingFloor{}, 100))),
			// No parser.WithAutoHeadingID() and no attribute syntax: ids
			// taken from text could collide with the page's own ("main",
			// "block-intro") or clobber DOM globals. And no
			// html.WithUnsafe(): raw HTML in the source is dropped.
		),
		policy: Policy(),
	}
	size := opts.CacheSize
	if size == 0 {
		size = DefaultCacheSize
	}
	if size > 0 {
		r.cache, _ = lru.New[[sha256.Size]byte, template.HTML](size)
	}
	return r
}

// Render returns src as sanitised HTML. The same source always yields the
// same HTML, so the result is cached.
func (r *Renderer) Render(src string) template.HTML {
	if src == "" {
		return ""
	}
	var key [sha256.Size]byte
	if r.cache != nil {
		key = sha256.Sum256([]byte(src))
		if out, ok := r.cache.Get(key); ok {
			return out
		}
	}
	out := r.render(src)
	if r.cache != nil {
		r.cache.Add(key, out)
	}
	return out
}

func (r *Renderer) render(src string) template.HTML {
	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/4)
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		// Convert only fails when its writer does; a bytes.Buffer does not.
		// Fall back to the text itself, escaped.
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>")
	}
	// The policy is the only thing that decides what reaches the page, so
	// this conversion is safe whatever the parser produced.
	out := r.policy.SanitizeReader(&buf).String()
	// A wide table scrolls inside its own box (the theme's .prose table);
	// keyboard users reach that box only if it can take the focus. The
	// sanitiser's own output is rewritten, so no text adds attributes.
	out = strings.ReplaceAll(out, "<table>", `<table tabindex="0">`)
	return template.HTML(out)
}

var (
	languageClass = regexp.MustCompile(`^language-[A-Za-z0-9_+#.-]{1,40}$`)
	cellAlign     = regexp.MustCompile(`^(left|center|right)$`)
	checkboxType  = regexp.MustCompile(`^checkbox$`)
	digits        = regexp.MustCompile(`^[0-9]{1,9}$`)
)

// Policy is the sanitiser's allowlist: exactly the elements and attributes
// that GitHub-flavoured Markdown renders, and nothing a page's scripts,
// styles or layout could be attacked with.
//
//   - URLs (href, src) must be http, https or mailto, or relative to the
//     portal. Links that leave the portal open in a new tab with
//     rel="nofollow noreferrer noopener", so the target cannot reach back
//     through window.opener, learn the page's address or gain search rank.
//   - No style attribute and no class, except "language-*" on code (a fenced
//     block's language, useful for styling) — borrowing the theme's classes
//     would let text dress itself up as a button or cover the page.
//   - No id or name, so text cannot clobber the page's ids or DOM globals.
//   - input only as the disabled checkbox of a task list item.
//   - No comments: goldmark marks dropped raw HTML with one.
func Policy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.RequireNoReferrerOnFullyQualifiedLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)

	p.AllowElements("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
		"blockquote", "ul", "ol", "li", "pre", "code", "em", "strong", "del",
		"table", "thead", "tbody", "tr", "th", "td")
	p.AllowAttrs("href", "title").OnElements("a")
	p.AllowAttrs("src", "alt", "title").OnElements("img")
	p.AllowAttrs("start").Matching(digits).OnElements("ol")
	p.AllowAttrs("align").Matching(cellAlign).OnElements("th", "td")
	p.AllowAttrs("class").Matching(languageClass).OnElements("code")
	p.AllowAttrs("type").Matching(checkboxType).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^$|^checked$|^disabled$`)).OnElements("input")
	return p
}

// headingFloor turns "# Title" into a level-2 heading: Markdown lives inside
// a block, under the room's own <h1>, and a second <h1> would break the
// page's outline for screen reader users.
type headingFloor struct{}

func (headingFloor) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering && h.Level < 2 {
			h.Level = 2
		}
		return ast.WalkContinue, nil
	})
}
