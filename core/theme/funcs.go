package theme

import (
	"fmt"
	"html/template"
	"math"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/atriumhq/atrium/core/chart"
	"github.com/atriumhq/atrium/sdk/i18n"
	"github.com/atriumhq/atrium/sdk/ui"
)

// funcs are the template funcs every template of the theme may use.
func (t *Theme) funcs() template.FuncMap {
	return template.FuncMap{
		// Drawing.
		"render":   t.drawAny,
		"markdown": t.markdown,
		"icon":     t.icon,
		"asset":    t.assetURL,

		// Actions, forms and frames.
		"actionURL":     actionURL,
		"token":         token,
		"embedAllowed":  embedAllowed,
		"playerAllowed": PlayerAllowed,
		"field":         field,
		"formError":     formError,
		"multipart":     multipart,

		// Values turned into the few words the CSS knows.
		"tone":         toneClass,
		"boardOptions": boardOptions,
		"boardCards":   boardCards,
		"toneIcon":     toneIcon,
		"variant":      variant,
		"align":        align,
		"colAlign":     colAlign,
		"colLabel":     colLabel,
		"sortDir":      sortDir,
		"level":        headingLevel,
		"cols":         columnCount,

		// Small helpers.
		"dict":      dict,
		"list":      func(v ...string) []string { return v },
		"join":      func(v []string) string { return strings.Join(v, ", ") },
		"has":       func(list []string, v string) bool { return slices.Contains(list, v) },
		"hasPrefix": strings.HasPrefix,
		"dec":       func(n int64) int64 { return n - 1 },
		"first": func(list []string) string {
			if len(list) == 0 {
				return ""
			}
			return list[0]
		},
		"deref":       deref,
		"humanize":    humanize,
		"progress":    progress,
		"frameHeight": frameHeight,
		"initials":    Initials,
		"tel":         tel,
	}
}

// localeFuncs are the funcs that speak a language: the set of templates for
// that language has them (the English words of the same names stand in
// while templates are parsed).
//
//	{{t "nav.signout"}}                    a message
//	{{t "pager.status" "Page" 2 "Pages" 5}} a message filled in
//	{{tn "nav.unread" .Count}}             a message that counts
//	{{date .When}} {{number .N}} {{money .Amount .Currency}}
func localeFuncs(l *i18n.Locale) template.FuncMap {
	return template.FuncMap{
		"t":  l.T,
		"tn": l.N,
		"date": func(v any) string {
			switch t := v.(type) {
			case time.Time:
				return l.Date(t)
			case *time.Time:
				if t != nil {
					return l.Date(*t)
				}
			}
			return "—"
		},
		"dateTime": func(t time.Time) string { return l.DateTime(t) },
		"number":   func(n int64) string { return l.Int(n) },
		"money":    func(minor int64, currency string) string { return l.Money(minor, currency) },
		"timeline": func(c ui.Timeline, id string) TimelineView { return timeline(l, c, id) },
		"spark":    func(c ui.Metric) template.HTML { return chart.Spark{Label: c.SparkLabel, Values: c.Spark}.SVG() },
	}
}

func (t *Theme) markdown(src string) template.HTML {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	return t.md.Render(src)
}

func (t *Theme) assetURL(name string) (string, error) {
	a, ok := t.assets.byName[name]
	if !ok {
		return "", fmt.Errorf("asset %q: no such file under assets/", name)
	}
	return "/assets/" + a.hashed, nil
}

func actionURL(x *BlockContext, a ui.Action) (string, error) {
	if a.Name == "" {
		return "", fmt.Errorf("an action has no name")
	}
	if x.ActionURL == nil {
		return "", fmt.Errorf("action %q: the block context has no ActionURL", a.Name)
	}
	return x.ActionURL(a.Name), nil
}

func token(x *BlockContext, a ui.Action) (string, error) {
	if x.Token == nil {
		return "", fmt.Errorf("action %q: the block context has no Token", a.Name)
	}
	return x.Token(a), nil
}

func embedAllowed(x *BlockContext, rawURL string) bool {
	return x != nil && x.EmbedAllowed != nil && rawURL != "" && x.EmbedAllowed(rawURL)
}

// playerHosts are the video players a Video's EmbedURL may be framed from:
// their privacy-respecting embed hosts, the same list the portal's
// Content-Security-Policy admits as frame sources.
var playerHosts = map[string]bool{
	"www.youtube-nocookie.com": true,
	"player.vimeo.com":         true,
	"www.loom.com":             true,
	"fast.wistia.net":          true,
}

// PlayerAllowed reports whether a video embed URL may be shown in a frame:
// https, on a known player's host, on the default port, without credentials.
// Any other video embed is drawn as a plain link.
func PlayerAllowed(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" || u.User != nil || u.Port() != "" {
		return false
	}
	return playerHosts[u.Host]
}

// stringOf reads a string or a named string type (ui.Tone).
func stringOf(v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.String {
		return rv.String()
	}
	return ""
}

func toneClass(v any) string {
	switch t := ui.Tone(stringOf(v)); t {
	case ui.ToneInfo, ui.ToneSuccess, ui.ToneWarning, ui.ToneDanger:
		return string(t)
	}
	return "neutral"
}

func toneIcon(v any) string {
	switch toneClass(v) {
	case "success":
		return "check"
	case "warning", "danger":
		return "alert-triangle"
	}
	return "info"
}

func variant(v string) string {
	switch v {
	case "secondary", "link", "danger":
		return v
	}
	return "primary"
}

func align(a string) string {
	switch a {
	case "right", "center":
		return a
	}
	return "left"
}

func colAlign(cols []ui.TableColumn, i int) string {
	if i >= 0 && i < len(cols) {
		return align(cols[i].Align)
	}
	return "left"
}

// colLabel is the label of column i, or "" past the last column.
func colLabel(cols []ui.TableColumn, i int) string {
	if i >= 0 && i < len(cols) {
		return cols[i].Label
	}
	return ""
}

// sortDir is the aria-sort value of a sorted column, or "".
func sortDir(s string) string {
	switch s {
	case "asc":
		return "ascending"
	case "desc":
		return "descending"
	}
	return ""
}

// headingLevel keeps headings under the page's h1: 2 (the default) to 6.
func headingLevel(n int) int {
	return min(max(n, 2), 6)
}

// columnCount is 2 to 4, default 2. Given the number of children too, it
// balances the rows: five children in four columns would leave one alone on
// a second row, so they take three columns (three and two) instead.
func columnCount(n int, children ...int) int {
	c := min(max(n, 2), 4)
	if len(children) == 0 || children[0] <= c {
		return c
	}
	rows := (children[0] + c - 1) / c
	return max((children[0]+rows-1)/rows, 2)
}

// ProgressView is a Progress with its numbers made safe to draw.
type ProgressView struct {
	Value, Max float64
	Percent    int
	Text       string
}

func progress(p ui.Progress) ProgressView {
	v := ProgressView{Value: p.Value, Max: p.Max, Text: p.Text}
	if !(v.Max > 0) || math.IsInf(v.Max, 0) {
		v.Max = 100
	}
	if !(v.Value > 0) {
		v.Value = 0
	}
	v.Value = min(v.Value, v.Max)
	v.Percent = int(math.Round(v.Value / v.Max * 100))
	if v.Text == "" {
		v.Text = strconv.Itoa(v.Percent) + "%"
	}
	return v
}

// frameHeight is an embed's height in CSS pixels: default 400, kept
// between 120 and 1600.
func frameHeight(h int) int {
	if h <= 0 {
		return 400
	}
	return min(max(h, 120), 1600)
}

// Initials are up to two letters of a name, for an avatar without a photo
// ("Carlos & Co" is "CC"). Tests that tell a page's data from its words
// need them too.
func Initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				out = append(out, unicode.ToUpper(r))
				break
			}
		}
		if len(out) == 2 {
			break
		}
	}
	return string(out)
}

// tel turns a phone number as people write it ("+1 (555) 010-2000") into a
// tel: URL, keeping only digits and a leading plus; "" if too short.
// html/template would refuse the tel: scheme, so the URL is built here from
// characters that cannot change its meaning.
func tel(phone string) template.URL {
	var b strings.Builder
	for i, r := range strings.TrimSpace(phone) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		}
	}
	if digits := strings.TrimPrefix(b.String(), "+"); len(digits) < 3 {
		return ""
	}
	return template.URL("tel:" + b.String())
}

// dict builds a map from key, value pairs, to pass several values to a
// partial template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// deref returns the value an optional id points to, or 0.
func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// humanize turns a code such as "partner_admin" or "getting-started" into
// words: "Partner admin", "Getting started".
func humanize(v any) string {
	s := strings.NewReplacer("_", " ", "-", " ").Replace(stringOf(v))
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// boardOptions is the "boardOptions" template func: the options of a board
// card's move select, with current selected. Every card of a column has the
// same options, so the board template draws them once per column rather
// than once per card, which keeps a 500-card board quick to draw.
func boardOptions(cols []ui.BoardColumn, current string) template.HTML {
	var b strings.Builder
	for _, c := range cols {
		b.WriteString(`<option value="`)
		b.WriteString(template.HTMLEscapeString(c.Value))
		b.WriteString(`"`)
		if c.Value == current {
			b.WriteString(` selected`)
		}
		b.WriteString(`>`)
		b.WriteString(template.HTMLEscapeString(c.Label))
		b.WriteString(`</option>`)
	}
	return template.HTML(b.String()) // every value escaped above
}
