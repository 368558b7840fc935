package theme

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk/i18n"
	"github.com/atriumhq/atrium/sdk/ui"
)

// BlockContext is what the templates of one block need beyond its component
// tree: where its actions post, how their state is signed, which frames may be
// shown, and, when a submitted form comes back with errors, what the viewer
// typed. The caller fills it; nil funcs are safe (actions then fail to draw,
// embeds are refused).
//
// A BlockContext serves one Component call at a time: it counts components as
// they are drawn to give each a unique id.
type BlockContext struct {
	// BlockID is the block's stable id; it prefixes the ids of form fields.
	BlockID string
	// ActionURL returns the URL a form or action button posts to, for an
	// action name: /rooms/{slug}/blocks/{blockID}/actions/{name}.
	ActionURL func(name string) string
	// Token signs an action's state. Forms and action buttons carry it in a
	// hidden input named "_state".
	Token func(a ui.Action) string
	// EmbedAllowed reports whether an Embed's URL may be shown in a frame
	// (the program's embed allowlist). A refused embed is drawn as a notice.
	EmbedAllowed func(rawURL string) bool

	// Values are what the viewer submitted, when a form comes back with
	// errors; they win over the fields' own values. Passwords are never
	// shown again.
	Values url.Values
	// Errors are messages per field name, shown under the fields.
	Errors map[string]string
	// FormError is a message about the submitted form as a whole.
	FormError string
	// FormAction names the submitted form (its action's name) when a tree
	// holds several forms whose fields share names, as an item page's do:
	// Values, Errors and FormError then go to that form only. Empty gives
	// them to every form of the block.
	FormAction string
	// FormState, with FormAction, tells apart forms of the same action
	// (a "pay" form on each row of a ledger) by their action's state.
	FormState string

	// Locale is the reader's language; nil is English.
	Locale *i18n.Locale

	// ReadOnly draws forms and action buttons disabled, for a staff preview
	// in which nothing may be submitted. ActionURL and Token are not needed.
	ReadOnly bool

	splice *splice // large drawn pieces, put back when the tree is drawn

	seq   int // components drawn so far
	depth int // nesting of the component being drawn

	heading int   // level of the last heading drawn, 0 for none yet
	open    []int // heading levels to go back to as titled boxes close
}

// OpenSection gives the heading level of a titled box (a card) drawn now:
// one below the last heading the block drew, or 2 when it drew none, since
// the page's h1 stands above every block. A card's h3 right after the
// page's h1 skipped a level. Headings inside the box count from its title
// until CloseSection.
func (x *BlockContext) OpenSection() int {
	l := min(max(x.heading+1, 2), 6)
	x.open = append(x.open, x.heading)
	x.heading = l
	return l
}

// CloseSection ends the box OpenSection began: what follows it counts from
// the heading before the box, as its siblings do.
func (x *BlockContext) CloseSection() string {
	if n := len(x.open); n > 0 {
		x.heading, x.open = x.open[n-1], x.open[:n-1]
	}
	return ""
}

// Heading notes a heading drawn at level, for the boxes that follow it.
func (x *BlockContext) Heading(level int) string {
	x.heading = level
	return ""
}

// next returns a new id prefix, unique within the block.
func (x *BlockContext) next() string {
	x.seq++
	id := idPart(x.BlockID)
	if id == "" {
		id = "x"
	}
	return "b-" + id + "-" + strconv.Itoa(x.seq)
}

// idPart keeps the characters of s that are safe and unambiguous in an id
// and a CSS selector, replacing the others with "-".
func idPart(s string) string {
	if len(s) > 48 {
		s = s[:48]
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, s)
}
