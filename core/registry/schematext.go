package registry

import (
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// schemaText is the catalogue message of a schema check's problem, for the
// kinds people meet in the builder's config forms and a plugin's settings
// (a missing field, a text too long, a number out of range). The English
// catalogue words each as the validator does, so room files, the API and
// logs read as before; should the validator ever word one differently,
// its own English (msg) is kept and the problem has no catalogue message.
func schemaText(k jsonschema.ErrorKind, msg string) fail.Text {
	var t fail.Text
	switch k := k.(type) {
	case *kind.Required:
		if len(k.Missing) == 1 {
			t = fail.T("invalid.staff.schema.missing", "Name", quote(k.Missing[0]))
		}
	case *kind.MinLength:
		t = fail.T("invalid.staff.schema.min-length", "Got", number(k.Got), "Want", number(k.Want))
	case *kind.MaxLength:
		t = fail.T("invalid.staff.schema.max-length", "Got", number(k.Got), "Want", number(k.Want))
	case *kind.MinItems:
		t = fail.T("invalid.staff.schema.min-items", "Got", number(k.Got), "Want", number(k.Want))
	case *kind.MaxItems:
		t = fail.T("invalid.staff.schema.max-items", "Got", number(k.Got), "Want", number(k.Want))
	case *kind.Minimum:
		got, _ := k.Got.Float64()
		want, _ := k.Want.Float64()
		t = fail.T("invalid.staff.schema.minimum", "Got", number(got), "Want", number(want))
	case *kind.Maximum:
		got, _ := k.Got.Float64()
		want, _ := k.Want.Float64()
		t = fail.T("invalid.staff.schema.maximum", "Got", number(got), "Want", number(want))
	case *kind.Type:
		t = fail.T("invalid.staff.schema.type", "Got", k.Got, "Want", strings.Join(k.Want, " or "))
	case *kind.Pattern:
		t = fail.T("invalid.staff.schema.pattern", "Got", quote(k.Got), "Want", quote(k.Want))
	}
	if t.ID == "" || t.English() != msg {
		return fail.Text{}
	}
	return t
}

// number writes a count or a bound as the validator does (5,000): the
// same in every language, as the problem is kept once for all readers.
func number(n any) string { return printer.Sprintf("%v", n) }

// quote quotes a name or value as the validator does: 'title'.
func quote(s string) string {
	q := strconv.Quote(s)
	q = strings.ReplaceAll(q[1:len(q)-1], `\"`, `"`)
	return "'" + strings.ReplaceAll(q, `'`, `\'`) + "'"
}
