package compliance

import (
	"embed"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
)

// The room's words, one file per language. Every message is a whole
// sentence or label; numbers and dates go in as named values, and a
// message that counts has the language's plural forms.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

// words is the catalogue in the viewer's language.
func words(v sdk.Viewer) *i18n.Locale { return catalog.For(v.Locale) }
