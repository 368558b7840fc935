package distributor

import (
	"embed"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sn "github.com/atriumhq/atrium/sdk/network"
)

// What people read: the room's words, one file per language. Every
// message is a whole sentence or label; numbers, dates and amounts go in
// as named values, and a message that counts has the language's plural
// forms.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

// words is the catalogue in the viewer's language.
func words(v sdk.Viewer) *i18n.Locale { return catalog.For(v.Locale) }

// statusLabel names an invitation's state for people.
func statusLabel(w *i18n.Locale, s string) string {
	if id := "invitation." + s; w.Has(id) {
		return w.T(id)
	}
	return s
}

// roleLabel names a partner user's role.
func roleLabel(w *i18n.Locale, r string) string {
	if id := "role." + r; w.Has(id) {
		return w.T(id)
	}
	return r
}

// hostLabel names what the host labels in English (a lead status, a deal
// stage, a commission status): known by key and still called as the room
// ships it, it is said in the reader's language; a name the program gave
// it is shown as the program wrote it.
func hostLabel(w *i18n.Locale, prefix, key, label string) string {
	id := prefix + key
	if w.Has(id) && (label == "" || catalog.For("en").T(id) == label) {
		return w.T(id)
	}
	if label == "" {
		return humanize(key)
	}
	return label
}

// complianceLabel says how a sub-partner's compliance stands. The host
// words it in English with its counts ("2 items expire this month"), which
// an English reader gets; a reader of another language gets the status in
// their own words.
func complianceLabel(w *i18n.Locale, c sn.Compliance) string {
	if w.Lang() == "en" && c.Label != "" {
		return c.Label
	}
	if id := "compliance." + c.Status; w.Has(id) {
		return w.T(id)
	}
	return c.Label
}
