package theme

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk/ui"
)

// boardCards is the "boardCards" template func: the cards of one board
// column, each with its move form, as the default theme's board.html draws
// them. A board is the one component drawn hundreds of times on a page (a
// project's 500 tasks), and html/template spends about 30 reflective calls
// on a card, 60 µs a card; written here it costs about 2 µs. A theme that
// wants other card markup overrides board.html and ranges over the column's
// Cards itself, as any component template does.
//
// Every value is escaped for the place it is written to: text with
// template.HTMLEscapeString, attributes the same way inside double quotes,
// and a card's Href only when ui.SafeAddress lets it through (the kit's
// check refuses others before drawing; this is the second lock).
func boardCards(v View, col ui.BoardColumn, colID string) (template.HTML, error) {
	b, ok := v.C.(ui.Board)
	if !ok {
		return "", fmt.Errorf("boardCards: called on a %T, not a board", v.C)
	}
	x := v.X
	opts := string(boardOptions(b.Columns, col.Value))
	field, submit := esc(b.Field), esc(b.Submit)
	urls := map[string]string{} // action URL per action name
	// A card's title is a heading one below its column's (see
	// BlockContext.OpenSection), which the column opened.
	h := strconv.Itoa(min(x.heading+1, 6))
	hOpen, hClose := "\n<li class=\"board-card\" data-board-card>\n<h"+h+" class=\"board-card-title\">", "</h"+h+">"
	var out strings.Builder
	out.WriteString(`<ul class="board-cards">`)
	for i, c := range col.Cards {
		if i == 1 {
			// The cards are about the size of the first: room for
			// them all at once, instead of doubling to it.
			out.Grow(out.Len() * (len(col.Cards) - 1) * 9 / 8)
		}
		id := esc(colID) + "-" + strconv.Itoa(i)
		out.WriteString(hOpen)
		if c.Href != "" && ui.SafeAddress(c.Href) {
			out.WriteString(`<a href="`)
			out.WriteString(esc(c.Href))
			out.WriteString(`">`)
			out.WriteString(esc(c.Title))
			out.WriteString(`</a>`)
		} else {
			out.WriteString(esc(c.Title))
		}
		out.WriteString(hClose)
		if c.Subtitle != "" {
			out.WriteString(`<p class="board-card-sub">`)
			out.WriteString(esc(c.Subtitle))
			out.WriteString(`</p>`)
		}
		if c.Badge != nil || len(c.Lines) > 0 {
			out.WriteString(`<p class="board-card-lines">`)
			if c.Badge != nil {
				out.WriteString(`<span class="badge tone-`)
				out.WriteString(toneClass(c.Badge.Tone))
				out.WriteString(`">`)
				out.WriteString(esc(c.Badge.Text))
				out.WriteString(`</span>`)
			}
			for _, l := range c.Lines {
				out.WriteString(`<span>`)
				out.WriteString(esc(l))
				out.WriteString(`</span>`)
			}
			out.WriteString(`</p>`)
		}
		out.WriteString("\n<form method=\"post\"")
		if !x.ReadOnly {
			u, ok := urls[c.Move.Name]
			if !ok {
				a, err := actionURL(x, c.Move)
				if err != nil {
					return "", err
				}
				u = esc(a)
				urls[c.Move.Name] = u
			}
			out.WriteString(` action="`)
			out.WriteString(u)
			out.WriteString(`"`)
		}
		out.WriteString(` class="board-move">`)
		if !x.ReadOnly {
			tok, err := token(x, c.Move)
			if err != nil {
				return "", err
			}
			out.WriteString(`<input type="hidden" name="_state" value="`)
			out.WriteString(esc(tok))
			out.WriteString(`">`)
		}
		out.WriteString("\n<label class=\"visually-hidden\" for=\"")
		out.WriteString(id)
		out.WriteString(`">`)
		out.WriteString(esc(c.MoveLabel))
		out.WriteString("</label>\n<select id=\"")
		out.WriteString(id)
		out.WriteString(`" name="`)
		out.WriteString(field)
		out.WriteString(`">`)
		out.WriteString(opts)
		out.WriteString("</select>\n<button type=\"submit\" class=\"btn btn-secondary btn-small\"")
		if x.ReadOnly {
			out.WriteString(` disabled`)
		}
		out.WriteString(`>`)
		out.WriteString(submit)
		out.WriteString("</button>\n</form>\n</li>")
	}
	out.WriteString("\n</ul>")
	return x.splice.hold(template.HTML(out.String())), nil // every value escaped above
}

// esc escapes s for HTML text and for a double-quoted attribute value.
func esc(s string) string { return template.HTMLEscapeString(s) }
