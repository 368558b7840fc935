package registry_test

import (
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSchemaProblemsInGerman: a schema check's common problems keep the
// validator's English (room files and the API read it) and carry a
// catalogue message that a German reader reads in German; a problem the
// catalogue has no message for is shown as the validator words it.
func TestSchemaProblemsInGerman(t *testing.T) {
	schema := `{"type": "object", "additionalProperties": false, "required": ["title"],
		"properties": {"title": {"type": "string", "minLength": 2, "maxLength": 5}, "limit": {"type": "integer", "minimum": 1, "maximum": 50},
		"tags": {"type": "array", "maxItems": 2}, "code": {"type": "string", "pattern": "^[a-z]+$"}, "when": {"type": "string", "format": "date"}}}`
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("s.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("s.json")
	if err != nil {
		t.Fatal(err)
	}
	de := i18n.Locale("de")
	for _, tt := range []struct {
		name, config, path, english, german string
	}{
		{"missing", `{}`, "", "missing property 'title'", "die Angabe 'title' fehlt"},
		{"too long", `{"title": "Partner news"}`, "title", "maxLength: got 12, want 5", "höchstens 5 Zeichen (jetzt 12)"},
		{"too short", `{"title": "P"}`, "title", "minLength: got 1, want 2", "mindestens 2 Zeichen (jetzt 1)"},
		{"too large", `{"title": "News", "limit": 5000}`, "limit", "maximum: got 5,000, want 50", "höchstens 50 (jetzt 5,000)"},
		{"too small", `{"title": "News", "limit": 0}`, "limit", "minimum: got 0, want 1", "mindestens 1 (jetzt 0)"},
		{"wrong type", `{"title": 5}`, "title", "got number, want string", "erwartet string, erhalten number"},
		{"too many", `{"title": "News", "tags": ["a", "b", "c"]}`, "tags", "maxItems: got 3, want 2", "höchstens 2 Einträge (jetzt 3)"},
		{"pattern", `{"title": "News", "code": "A1"}`, "code", "'A1' does not match pattern '^[a-z]+$'", "'A1' entspricht nicht dem Muster '^[a-z]+$'"},
		{"unknown field", `{"title": "News", "colour": "red"}`, "colour", "unknown field", "unbekanntes Feld"},
		{"no catalogue message", `{"title": "News", "when": "soon"}`, "when", "'soon' is not valid date: ", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			inst, err := jsonschema.UnmarshalJSON(strings.NewReader(tt.config))
			if err != nil {
				t.Fatal(err)
			}
			var ve *jsonschema.ValidationError
			verr := sch.Validate(inst)
			if verr == nil {
				t.Fatal("valid")
			}
			ve = verr.(*jsonschema.ValidationError)
			ps := registry.SchemaProblems(ve)
			if len(ps) != 1 || ps[0].Path != tt.path || !strings.HasPrefix(ps[0].Message, tt.english) {
				t.Fatalf("problems %+v, want one at %q: %q", ps, tt.path, tt.english)
			}
			want := tt.german
			if want == "" {
				want = ps[0].Message
			}
			if got := ps[0].In(de); got != want {
				t.Errorf("in German %q, want %q", got, want)
			}
		})
	}
}
