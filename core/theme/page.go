package theme

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
)

// Layout is the data of every page: the shell's parts and, in Content, the
// page's own data (RoomPage, LoginPage, ...). Page templates receive the
// whole Layout and read their data from .Content.
type Layout struct {
	Title string // the page's title; the brand name is appended
	// Nonce is the request's CSP nonce, for the one inline <style> (brand
	// colours).
	Nonce    string
	Brand    Brand
	User     *UserInfo // nil when signed out
	Nav      []NavItem // the rooms the viewer sees
	AdminNav []NavItem // staff pages; shown only when not empty
	Flash    *Flash
	Preview  *PreviewInfo // set while staff preview a room
	Content  any
	// NavHTML, when set, is the navigation already drawn by Theme.Navigation
	// for this Nav and AdminNav; callers that serve the same navigation to
	// many requests draw it once.
	NavHTML template.HTML
	// TopbarHTML, when set, is the signed-in header already drawn by
	// Theme.Topbar for this layout; it is the same on every page a viewer
	// opens, so callers draw it once per viewer and navigation.
	TopbarHTML template.HTML
	// Live is the URL of the viewer's live event stream, for the
	// data-live attribute of <body>; "" leaves the page static.
	Live string
	// Locale is the reader's language: the page is worded in it and its
	// lang attribute names it. Nil is English.
	Locale *i18n.Locale

	brandCSS template.CSS // computed by Page
}

// Brand is the program's name, logo and colour.
type Brand struct {
	Name    string
	LogoURL string
	// PrimaryColor is a #rgb or #rrggbb colour; anything else falls back
	// to the theme's default.
	PrimaryColor string
}

// UserInfo is the signed-in person.
type UserInfo struct {
	Name, Email string
	Role        string // a label for people: "Partner admin"
	Partner     string // the partner's name, for partner users
	IsStaff     bool
	// Unread is the number of unread notifications, for the bell.
	Unread int
}

// NavItem is one link of a navigation.
type NavItem struct {
	Title, Href, Icon string
	Active            bool
	// Badge, when set, draws a count beside the room, keyed by this name
	// (the room type) so live updates can change it; Count is the number,
	// and a 0 keeps the badge present but hidden.
	Badge string
	Count int
}

// Flash is a one-time message: Tone is success, info, warning or danger.
type Flash struct {
	Tone, Text string
	// Key, when set, names a message worded by the theme
	// (layouts/_messages.html) and filled in with Args.
	Key  string
	Args []string
}

// PreviewInfo tells staff whose view of a room they are looking at.
type PreviewInfo struct {
	// Audience describes the viewer previewed: "Acme (reseller, gold, active)".
	Audience string
	// ExitURL leaves the preview.
	ExitURL string
	// Hidden says the audience would not see this room at all.
	Hidden bool
	// Form, when set, lets staff switch the audience being previewed.
	Form *PreviewForm
	// Draft says the room shown is the builder's draft, not what
	// partners see now.
	Draft bool
}

// PreviewForm is the audience switcher of a preview: a GET form to Action
// with the current choices selected.
type PreviewForm struct {
	Action                  string
	Types, Tiers, Stages    []string
	Roles                   []string
	Partners                []PreviewPartner
	Type, Tier, Stage, Role string
	Partner                 string // a partner slug; wins over type, tier and stage
	// Draft keeps the form on the draft; Width is "phone" for the phone
	// frame, "" for the page's own width.
	Draft bool
	Width string
}

// PreviewPartner is a partner staff may preview as.
type PreviewPartner struct {
	Slug, Name string
}

// RoomPage is the data of the "room" page.
type RoomPage struct {
	Slug, Title, Icon string
	Blocks            []RenderedBlock
	// Phone draws the blocks in a phone-sized frame (a builder preview).
	Phone bool
	// LiveTopics are the topics the page's content follows, space-
	// separated, for the data-live-topic attribute of its wrapper.
	LiveTopics string
}

// RenderedBlock is one block of a room, drawn, or failed with a reason.
type RenderedBlock struct {
	ID, Type string
	HTML     template.HTML // from Theme.Component, or ComponentPieces with Pieces
	// Pieces are HTML's held parts when it came from ComponentPieces.
	Pieces Pieces
	Failed bool
	// Reason says why the block failed; it is shown only when ShowReason
	// (to staff). Partners see a quiet notice.
	Reason     string
	ShowReason bool
	// Wrapped is the block as the room page shows it, from Theme.Block,
	// or from Theme.BlockPieces with WrappedPieces.
	Wrapped template.HTML
	// WrappedPieces are Wrapped's held parts when it came from
	// BlockPieces: the page puts them back as it writes the block.
	WrappedPieces Pieces
	// Locale words the placeholder of a failed block; nil is English.
	Locale *i18n.Locale
	// HiddenFor, in a preview of a draft, is the audience of a block the
	// viewer previewed would not see: it is drawn greyed, saying whom
	// it is for.
	HiddenFor *sdk.Audience
}

// LoginPage is the data of the "login" page.
type LoginPage struct {
	Email string // kept after a failed attempt
	Next  string // where to go after signing in (a local path)
	Error string
}

// SetPasswordPage is the data of the "set-password" page, reached from an
// invitation. The form posts to Action, or to the page's own URL.
type SetPasswordPage struct {
	Name, Email string
	Rules       string // the password rules, shown as the field's help
	// Errors are messages per field ("password", "confirm"); others are shown
	// above the form with Error.
	Errors map[string]string
	Error  string
	Action string
}

// AccountPage is the data of the "account" page: who is signed in, and the
// language they read the portal in ("" follows the browser).
type AccountPage struct {
	Name, Email, Role, Partner string
	Language                   string
	Languages                  []LanguageOption
	LanguageError              string
}

// LanguageOption is a language a person may choose, named in itself.
type LanguageOption struct {
	Tag, Name string
}

// ErrorPage is the data of the "error" page.
type ErrorPage struct {
	Status         int
	Title, Message string
}

// EmptyPortalPage is the optional data of the "empty-portal" page, shown to a
// partner who sees no rooms. Without it the page asks them to contact their
// partner manager without naming one.
type EmptyPortalPage struct {
	ManagerName, ManagerEmail string
}

// Pages lists the pages the theme can draw.
func (t *Theme) Pages() []string {
	pages := t.master.pages
	names := make([]string, 0, len(pages))
	for n := range pages {
		names = append(names, n)
	}
	return sortedStrings(names)
}

func sortedStrings(s []string) []string {
	slices.Sort(s)
	return s
}

// Page draws the page name (pages/<name>.html) in the shared layout. data is
// a Layout (or *Layout); anything else is taken as the Content of an empty
// Layout. Nothing is written unless the whole page drew.
func (t *Theme) Page(w io.Writer, name string, data any) error {
	var l Layout
	switch d := data.(type) {
	case Layout:
		l = d
	case *Layout:
		if d != nil {
			l = *d
		}
	default:
		l.Content = data
	}
	tmpl, ok := t.set(l.Locale).pages[name]
	if !ok {
		return fmt.Errorf("theme: no page %q", name)
	}
	if err := t.wrapBlocks(&l); err != nil {
		return err
	}
	// The palette is the same for every page of a program: compute it once.
	if css, ok := t.brand.Load(l.Brand.PrimaryColor); ok {
		l.brandCSS = css.(template.CSS)
	} else {
		l.brandCSS = brandCSS(l.Brand.PrimaryColor)
		t.brand.Store(l.Brand.PrimaryColor, l.brandCSS)
	}
	sp := holdBlocks(&l)
	buf := getBuf()
	defer putBuf(buf)
	if err := tmpl.ExecuteTemplate(buf, "base", l); err != nil {
		return fmt.Errorf("theme: page %q: %w", name, err)
	}
	if sp == nil {
		_, err := buf.WriteTo(w)
		return err
	}
	// The blocks go from where they were drawn to w, not through the
	// page's buffer (see splice). Whatever the template wrote is complete
	// before anything is written, so a template error still leaves w
	// untouched.
	sw, ok := w.(io.StringWriter)
	if !ok {
		sw = stringWriter{w}
	}
	if err := sp.writeTo(sw, buf.String()); err != nil {
		return err
	}
	return sp.check()
}

// holdBlocks puts the large blocks of a room page, and those whose
// wrapper holds pieces, aside in a splice, so the page template prints
// placeholders; nil when there are none.
func holdBlocks(l *Layout) *splice {
	rp, ok := l.Content.(RoomPage)
	if !ok {
		return nil
	}
	var sp *splice
	for i, b := range rp.Blocks {
		if len(b.Wrapped) < spliceMin && b.WrappedPieces.s.empty() {
			continue
		}
		if sp == nil {
			sp = newSplice()
			rp.Blocks = slices.Clone(rp.Blocks)
		}
		rp.Blocks[i].Wrapped = sp.holdSub(b.Wrapped, b.WrappedPieces.s)
		rp.Blocks[i].WrappedPieces = Pieces{}
	}
	l.Content = rp
	return sp
}

// stringWriter gives any writer the WriteString a splice writes with.
type stringWriter struct{ io.Writer }

func (w stringWriter) WriteString(s string) (int, error) { return io.WriteString(w.Writer, s) }

// BrandName is the program's name, or a neutral one.
func (l Layout) BrandName() string {
	if n := strings.TrimSpace(l.Brand.Name); n != "" {
		return n
	}
	return l.Locale.T("brand.default")
}

// Lang is the page's language, for <html lang>.
func (l Layout) Lang() string { return l.Locale.Lang() }

// BrandCSS sets the brand colour custom properties for the layout's inline
// <style>: --brand, --brand-contrast (text on the brand colour), --brand-ink
// (the brand colour as text and focus ring on light surfaces) and
// --brand-soft (a tint for highlighted backgrounds). Every value is computed
// here from a validated colour, so nothing from the caller reaches the CSS.
func (l Layout) BrandCSS() template.CSS {
	if l.brandCSS != "" {
		return l.brandCSS
	}
	return brandCSS(l.Brand.PrimaryColor)
}

// BrandColor is the program's colour for the browser's own chrome (the
// theme-color of a phone's address bar and of the installed app).
func (l Layout) BrandColor() string { return BrandColor(l.Brand.PrimaryColor) }

// brandCSS computes the brand custom properties of a colour, for the light
// scheme and the dark one.
func brandCSS(color string) template.CSS {
	p := brandPalette(color)
	return template.CSS(":root{--brand:" + p.Brand.hex() + ";--brand-contrast:" + p.Contrast.hex() +
		";--brand-ink:" + p.Ink.hex() + ";--brand-soft:" + p.Soft.hex() + "}" +
		"@media (prefers-color-scheme: dark){:root{--brand-ink:" + p.DarkInk.hex() + ";--brand-soft:" + p.DarkSoft.hex() + "}}")
}

// RoomSlug is the slug of the room the page shows, for the data-room
// attribute of <main>; "" on other pages.
func (l Layout) RoomSlug() string {
	switch c := l.Content.(type) {
	case RoomPage:
		return c.Slug
	case *RoomPage:
		if c != nil {
			return c.Slug
		}
	}
	return ""
}

// Block draws a block's wrapper (layouts/_block.html: the element with its
// id and type, or the placeholder of a failed block) around its HTML. The
// room page only places the results, so a block that looks the same for
// many viewers is wrapped once and reused.
func (t *Theme) Block(b RenderedBlock) (template.HTML, error) {
	h, p, err := t.BlockPieces(b)
	if err != nil {
		return "", err
	}
	if h, err = p.Expand(h); err != nil {
		return "", fmt.Errorf("theme: block %q: %w", b.ID, err)
	}
	return h, nil
}

// BlockPieces is Block for a block about to be placed on a page: its
// HTML, large or holding pieces, stays held, and the page writes it
// straight from where it was drawn when given both as Wrapped and
// WrappedPieces. Put back into the wrapper by Block, a 500-card board was
// copied whole once more a page, only for the page to hold it aside again.
//
// The block's pieces are not spent until the page (or Pieces.Expand)
// writes them, so wrapping a block again, as a preview does to grey a
// block out, leaves the first wrapper unused and is no error.
func (t *Theme) BlockPieces(b RenderedBlock) (template.HTML, Pieces, error) {
	buf := getBuf()
	defer putBuf(buf)
	sp := newSplice()
	b.HTML = sp.holdSub(b.HTML, b.Pieces.s)
	if err := t.set(b.Locale).blockTmpl.ExecuteTemplate(buf, "_block", b); err != nil {
		return "", Pieces{}, fmt.Errorf("theme: block %q: %w", b.ID, err)
	}
	return template.HTML(buf.String()), Pieces{sp}, nil // html/template's own output
}

// wrapBlocks wraps the blocks of a room page that the caller did not wrap.
func (t *Theme) wrapBlocks(l *Layout) error {
	rp, ok := l.Content.(RoomPage)
	if !ok {
		return nil
	}
	var blocks []RenderedBlock
	for i, b := range rp.Blocks {
		if b.Wrapped != "" {
			continue
		}
		if blocks == nil {
			blocks = slices.Clone(rp.Blocks) // the caller's slice stays as it was
		}
		if b.Locale == nil {
			b.Locale = l.Locale
		}
		w, p, err := t.BlockPieces(b)
		if err != nil {
			return err
		}
		blocks[i].Wrapped, blocks[i].WrappedPieces = w, p
	}
	if blocks != nil {
		rp.Blocks = blocks
		l.Content = rp
	}
	return nil
}

// Topbar draws the signed-in header of a layout (layouts/_topbar.html), to
// be passed back as Layout.TopbarHTML by callers that reuse it. Set NavHTML
// first: the header holds the navigation's menu.
func (t *Theme) Topbar(l Layout) (template.HTML, error) {
	if l.User == nil {
		return "", errors.New("theme: topbar: no signed-in user")
	}
	buf := getBuf()
	defer putBuf(buf)
	if err := t.set(l.Locale).blockTmpl.ExecuteTemplate(buf, "_topbar", l); err != nil {
		return "", fmt.Errorf("theme: topbar: %w", err)
	}
	return template.HTML(buf.String()), nil // html/template's own output
}

// Navigation draws the navigation of a layout (layouts/_nav.html), to be
// passed back as Layout.NavHTML by callers that reuse it.
func (t *Theme) Navigation(l Layout) (template.HTML, error) {
	buf := getBuf()
	defer putBuf(buf)
	if err := t.set(l.Locale).blockTmpl.ExecuteTemplate(buf, "_nav", l); err != nil {
		return "", fmt.Errorf("theme: navigation: %w", err)
	}
	return template.HTML(buf.String()), nil // html/template's own output
}
