package schemaform_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/schemaform"
)

// kitchenSink uses every keyword the form knows.
const kitchenSink = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Everything",
  "description": "A block that uses every keyword.",
  "type": "object",
  "additionalProperties": false,
  "required": ["title", "count", "items"],
  "properties": {
    "title": {"type": "string", "title": "Heading", "description": "Shown on top.", "minLength": 1, "maxLength": 80},
    "body": {"type": "string", "x-atrium-widget": "textarea"},
    "intro": {"type": "string", "x-atrium-widget": "markdown"},
    "count": {"type": "integer", "minimum": 1, "maximum": 10, "default": 3},
    "ratio": {"type": "number", "minimum": 0.5},
    "shown": {"type": "boolean"},
    "tone": {"enum": ["info", "warning"], "default": "info"},
    "size": {"enum": ["s", "m", "l", "xl"]},
    "layout": {"enum": ["list", "grid", "cards", "table"], "x-atrium-widget": "radio"},
    "site": {"type": "string", "format": "uri"},
    "link": {"type": "string", "x-atrium-widget": "url"},
    "mail": {"type": "string", "format": "email"},
    "day": {"type": "string", "format": "date"},
    "due": {"type": "string", "x-atrium-widget": "date"},
    "at": {"type": "string", "format": "date-time"},
    "doc": {"type": "integer", "minimum": 1, "x-atrium-widget": "resource"},
    "picture": {"type": "integer", "x-atrium-widget": "media", "x-atrium-accept": "image/*"},
    "items": {"type": "array", "minItems": 1, "maxItems": 3, "items": {
      "type": "object", "required": ["url"],
      "properties": {"url": {"type": "string", "minLength": 1}, "label": {"type": "string"}}}},
    "tags": {"type": "array", "items": {"type": "string"}},
    "scores": {"type": "array", "items": {"type": "integer"}},
    "owner": {"type": "object", "properties": {"name": {"type": "string"}, "active": {"type": "boolean"}}},
    "target": {"oneOf": [
      {"title": "A room", "type": "object", "required": ["kind", "room"],
       "properties": {"kind": {"const": "room"}, "room": {"type": "string"}}},
      {"title": "A link", "type": "object", "required": ["kind", "url"],
       "properties": {"kind": {"const": "url"}, "url": {"type": "string"}}}
    ]},
    "thing": {"$ref": "#/$defs/thing"}
  },
  "$defs": {"thing": {"type": "string", "title": "Thing", "description": "Through a $ref."}}
}`

// find returns the field at path in a form, looking into groups and items.
func find(fs []schemaform.Field, path string) *schemaform.Field {
	for i := range fs {
		f := &fs[i]
		if f.Path == path && f.Kind != schemaform.KindChoice || f.Kind == schemaform.KindChoice && f.ChoiceName == path {
			return f
		}
		if g := find(f.Fields, path); g != nil {
			return g
		}
		if g := find(f.Items, path); g != nil {
			return g
		}
	}
	return nil
}

func TestBuildKinds(t *testing.T) {
	value := `{"title":"Hi","body":"a\nb","count":4,"ratio":0.75,"shown":true,"tone":"warning","size":"xl",
		"site":"https://acme.example","mail":"a@acme.example","day":"2026-12-01","at":"2026-12-01T10:00:00Z",
		"doc":12,"picture":7,"items":[{"url":"/a"},{"url":"/b","label":"B"}],"tags":["x","y"],
		"owner":{"name":"Mike"},"target":{"kind":"url","url":"https://acme.example"},"thing":"T"}`
	form, err := schemaform.Build(json.RawMessage(kitchenSink), json.RawMessage(value), nil)
	if err != nil {
		t.Fatal(err)
	}
	if form.Title != "Everything" || form.Help != "A block that uses every keyword." {
		t.Errorf("form title %q help %q", form.Title, form.Help)
	}
	tests := []struct {
		path     string
		kind     schemaform.Kind
		label    string
		required bool
		value    string
		check    func(f *schemaform.Field) string
	}{
		{"title", schemaform.KindText, "Heading", true, "Hi", func(f *schemaform.Field) string {
			if f.Help != "Shown on top." || f.MaxLength != 80 || f.DescribedBy != f.HelpID {
				return "help, maxlength or described-by"
			}
			return ""
		}},
		{"body", schemaform.KindTextarea, "Body", false, "a\nb", nil},
		{"intro", schemaform.KindMarkdown, "Intro", false, "", nil},
		{"count", schemaform.KindInteger, "Count", true, "4", func(f *schemaform.Field) string {
			if f.Min != "1" || f.Max != "10" || f.Step != "1" || f.Default != "3" {
				return "min, max, step or default"
			}
			return ""
		}},
		{"ratio", schemaform.KindNumber, "Ratio", false, "0.75", func(f *schemaform.Field) string {
			if f.Min != "0.5" || f.Step != "any" {
				return "min " + f.Min + " step " + f.Step
			}
			return ""
		}},
		{"shown", schemaform.KindBoolean, "Shown", false, "", func(f *schemaform.Field) string {
			if !f.Checked || !f.Present {
				return "not checked"
			}
			return ""
		}},
		{"tone", schemaform.KindRadio, "Tone", false, `"warning"`, func(f *schemaform.Field) string {
			if len(f.Options) != 2 || !f.Options[1].Selected || f.Options[1].Label != "Warning" || f.Default != "Info" {
				return "options"
			}
			return ""
		}},
		{"size", schemaform.KindSelect, "Size", false, `"xl"`, nil},
		{"layout", schemaform.KindRadio, "Layout", false, "", nil},
		{"site", schemaform.KindURL, "Site", false, "https://acme.example", nil},
		{"link", schemaform.KindURL, "Link", false, "", nil},
		{"mail", schemaform.KindEmail, "Mail", false, "a@acme.example", nil},
		{"day", schemaform.KindDate, "Day", false, "2026-12-01", nil},
		{"due", schemaform.KindDate, "Due", false, "", nil},
		{"at", schemaform.KindDateTime, "At", false, "2026-12-01T10:00:00Z", nil},
		{"doc", schemaform.KindResource, "Doc", false, "12", nil},
		{"picture", schemaform.KindMedia, "Picture", false, "7", func(f *schemaform.Field) string {
			if f.Accept != "image/*" {
				return "accept " + f.Accept
			}
			return ""
		}},
		{"items", schemaform.KindArray, "Items", true, "", func(f *schemaform.Field) string {
			if len(f.Items) != 2 || !f.CanAdd || f.CountName != "items#len" {
				return "items, can-add or count name"
			}
			a, b := f.Items[0], f.Items[1]
			if a.Index != 0 || a.Position != 1 || !a.First || a.Last || !b.Last || a.Parent != "items" || !a.CanRemove {
				return "item positions"
			}
			return ""
		}},
		{"items[1]", schemaform.KindObject, "Items", false, "", nil},
		{"items[1].url", schemaform.KindText, "URL", true, "/b", nil},
		{"items[1].label", schemaform.KindText, "Label", false, "B", nil},
		{"tags[1]", schemaform.KindText, "Tags", false, "y", nil},
		{"scores", schemaform.KindArray, "Scores", false, "", nil},
		{"owner", schemaform.KindObject, "Owner", false, "", nil},
		{"owner.name", schemaform.KindText, "Name", false, "Mike", nil},
		{"owner.active", schemaform.KindBoolean, "Active", false, "", func(f *schemaform.Field) string {
			if f.Checked || f.Present {
				return "an absent boolean is shown given"
			}
			return ""
		}},
		{"target#choice", schemaform.KindChoice, "Target", false, "1", func(f *schemaform.Field) string {
			if len(f.Options) != 2 || f.Options[0].Label != "A room" || !f.Options[1].Selected || len(f.Fields) != 2 {
				return "branches"
			}
			return ""
		}},
		{"target.kind", schemaform.KindHidden, "Kind", true, `"url"`, nil},
		{"target.url", schemaform.KindText, "URL", true, "https://acme.example", nil},
		{"thing", schemaform.KindText, "Thing", false, "T", func(f *schemaform.Field) string {
			if f.Help != "Through a $ref." {
				return "help through $ref"
			}
			return ""
		}},
	}
	for _, tt := range tests {
		f := find(form.Fields, tt.path)
		if f == nil {
			t.Errorf("%s: no field", tt.path)
			continue
		}
		if f.Kind != tt.kind || f.Label != tt.label || f.Required != tt.required || f.Value != tt.value {
			t.Errorf("%s: kind %q label %q required %v value %q; want %q %q %v %q", tt.path,
				f.Kind, f.Label, f.Required, f.Value, tt.kind, tt.label, tt.required, tt.value)
		}
		if tt.check != nil {
			if msg := tt.check(f); msg != "" {
				t.Errorf("%s: %s: %+v", tt.path, msg, *f)
			}
		}
	}
	// Fields come in the order the schema's author wrote them.
	var order []string
	for _, f := range form.Fields {
		order = append(order, f.Path)
	}
	if got := strings.Join(order, " "); !strings.HasPrefix(got, "title body intro count ratio shown tone size layout site") {
		t.Errorf("field order %s", got)
	}
	// And the whole config comes back.
	got, err := schemaform.Decode(json.RawMessage(kitchenSink), form.Values())
	if err != nil {
		t.Fatal(err)
	}
	if canon(t, got) != canon(t, json.RawMessage(value)) {
		t.Errorf("round trip\n got %s\nwant %s", got, value)
	}
}

// A new block starts from the schema's defaults; a saved one shows them as
// hints only, so saving it unchanged changes nothing.
func TestBuildDefaults(t *testing.T) {
	form, err := schemaform.Build(json.RawMessage(kitchenSink), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f := find(form.Fields, "count"); f.Value != "3" {
		t.Errorf("new: count %q, want the default 3", f.Value)
	}
	if f := find(form.Fields, "tone"); f.Value != `"info"` || !f.Options[0].Selected {
		t.Errorf("new: tone %q, want the default", f.Value)
	}
	form, _ = schemaform.Build(json.RawMessage(kitchenSink), json.RawMessage(`{"title":"x","count":2,"items":[{"url":"/"}]}`), nil)
	if f := find(form.Fields, "tone"); f.Value != "" || f.Default != "Info" {
		t.Errorf("saved: tone %q default %q", f.Value, f.Default)
	}
}

// Problems land on the field they are about, in validation's own words:
// by path, a missing property on the property, and a block type's own
// checks ("url: ...; alt: ...") split onto their fields.
func TestBuildErrors(t *testing.T) {
	problems := schemaform.Problems([]room.Problem{
		{Path: "blocks[2].config.items[1].url", Message: "minLength: got 0, want 1"},
		{Path: "blocks[2].config", Message: "missing property 'title'"},
		{Path: "blocks[2].config.count", Message: "maximum: got 11, want 10"},
		{Path: "blocks[2].config.count", Message: "must be odd"},
		{Path: "blocks[1].config.count", Message: "another block's"},
		{Path: "blocks[2].configs", Message: "not a config"},
		{Path: "blocks[2].config.items", Message: "maxItems: got 4, want 3"},
		{Path: "blocks[2].config.nope", Message: "unknown field"},
	}, 2)
	problems[""] += "; owner.name: is required when shown is true; pick a target"
	form, err := schemaform.Build(json.RawMessage(kitchenSink), json.RawMessage(`{"count":11,"items":[{"url":"/a"},{"url":""}]}`), problems)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"items[1].url": "minLength: got 0, want 1",
		"title":        "missing property 'title'",
		"count":        "maximum: got 11, want 10; must be odd",
		"items":        "maxItems: got 4, want 3",
		"owner.name":   "is required when shown is true",
		"items[0].url": "",
	}
	for path, msg := range want {
		f := find(form.Fields, path)
		if f == nil {
			t.Fatalf("%s: no field", path)
		}
		if f.Error != msg {
			t.Errorf("%s: error %q, want %q", path, f.Error, msg)
		}
		if msg != "" && !strings.Contains(f.DescribedBy, f.ErrorID) {
			t.Errorf("%s: described by %q, not its error", path, f.DescribedBy)
		}
	}
	if got := strings.Join(form.Errors, " | "); got != "pick a target | nope: unknown field" {
		t.Errorf("form errors %q", got)
	}
}

func TestDecodeTypes(t *testing.T) {
	form := url.Values{
		"title":        {"  Hello  "},
		"body":         {"line\r\nline"},
		"count":        {" 7 "},
		"ratio":        {"abc"}, // kept as text, for validation to name
		"shown":        {"", "true"},
		"tone":         {""},
		"size":         {`"m"`},
		"site":         {""},
		"doc":          {"3"},
		"items#len":    {"2"},
		"items[0].url": {"/a"}, "items[0].label": {""},
		"items[1].url": {""},
		"tags#len":     {"1"}, "tags[0]": {""},
		"scores#len": {"2"}, "scores[0]": {"5"}, "scores[1]": {""},
		"owner.name":    {""},
		"owner.active":  {"false"},
		"target#choice": {"0"}, "target.kind": {`"url"`}, "target.room": {"news"},
	}
	got, err := schemaform.Decode(json.RawMessage(kitchenSink), form)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"body":"line\nline","count":7,"doc":3,"items":[{"url":"/a"},{"url":""}],"owner":{"active":false},` +
		`"ratio":"abc","scores":[5],"shown":true,"size":"m","tags":[""],"target":{"kind":"room","room":"news"},"title":"  Hello  "}`
	if canon(t, got) != want {
		t.Errorf("decode\n got %s\nwant %s", got, want)
	}
}

// The array buttons edit the form: add, remove and move, by the submit
// button's value; any other value leaves it as it is.
func TestDecodeArrayOps(t *testing.T) {
	base := func(op string) url.Values {
		v := url.Values{"title": {"t"}, "count": {"1"}, "items#len": {"3"},
			"items[0].url": {"/a"}, "items[1].url": {"/b"}, "items[2].url": {"/c"}}
		if op != "" {
			v.Set(schemaform.OpField, op)
		}
		return v
	}
	urls := func(raw json.RawMessage) string {
		var c struct{ Items []struct{ URL string } }
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range c.Items {
			out = append(out, "["+it.URL+"]")
		}
		return strings.Join(out, "")
	}
	for op, want := range map[string]string{
		"":                "[/a][/b][/c]",
		"add:items":       "[/a][/b][/c][]",
		"remove:items[0]": "[/b][/c]",
		"remove:items[2]": "[/a][/b]",
		"remove:items[9]": "[/a][/b][/c]",
		"up:items[1]":     "[/b][/a][/c]",
		"up:items[0]":     "[/a][/b][/c]",
		"down:items[1]":   "[/a][/c][/b]",
		"down:items[2]":   "[/a][/b][/c]",
		"add:tags":        "[/a][/b][/c]",
		"refresh":         "[/a][/b][/c]",
		"up:items":        "[/a][/b][/c]",
	} {
		got, err := schemaform.Decode(json.RawMessage(kitchenSink), base(op))
		if err != nil {
			t.Fatal(err)
		}
		if urls(got) != want {
			t.Errorf("%q: %s, want %s", op, urls(got), want)
		}
		if schemaform.Editing(base(op)) != (op != "") {
			t.Errorf("%q: Editing is wrong", op)
		}
	}
	// Adding to an array the config does not have yet starts it.
	got, _ := schemaform.Decode(json.RawMessage(kitchenSink), url.Values{"title": {"t"}, schemaform.OpField: {"add:tags"}})
	if !strings.Contains(string(got), `"tags":[""]`) {
		t.Errorf("add to an absent array: %s", got)
	}
}

// Switching a choice shows the other branch's fields, with its const.
func TestDecodeChoiceSwitch(t *testing.T) {
	v := url.Values{"title": {"t"}, "target#choice": {"1"}, "target.kind": {`"room"`}, "target.room": {"news"},
		schemaform.OpField: {"refresh"}}
	got, err := schemaform.Decode(json.RawMessage(kitchenSink), v)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), `"target":{"kind":"url","url":""}`) {
		t.Fatalf("switched: %s", got)
	}
	form, _ := schemaform.Build(json.RawMessage(kitchenSink), got, nil)
	if f := find(form.Fields, "target#choice"); f.Value != "1" || find(form.Fields, "target.url") == nil {
		t.Errorf("the form after the switch shows branch %s", f.Value)
	}
}

// Decode never panics, whatever a browser (or anyone) posts.
func FuzzDecode(f *testing.F) {
	f.Add("items#len", "3", "items[1].url", "x", "up:items[1]")
	f.Add("target#choice", "9", "target.kind", "{", "add:items")
	f.Add("items#len", "-1", "tags[99999999999]", "", "remove:items[-1]")
	f.Add("count", "1e999", "shown", "maybe", "down:")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2, op string) {
		form := url.Values{k1: {v1}, k2: {v2}, schemaform.OpField: {op}}
		got, err := schemaform.Decode(json.RawMessage(kitchenSink), form)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(got) {
			t.Fatalf("not JSON: %s", got)
		}
	})
}

// A few thousand random forms, so the fuzz seed set is not the only thing
// the normal test run tries.
func TestDecodeArbitraryInput(t *testing.T) {
	keys := []string{"title", "count", "items#len", "items[0].url", "items[2]", "tags#len", "tags[1]", "target#choice",
		"target.kind", "owner", "owner.name", "scores#len", "scores[0]", "shown", "", "[", "items[", "a.b[c]"}
	vals := []string{"", "0", "-5", "99999", "true", "{", `"x"`, "[1,2]", "null", "1e400", "\x00", "items[0]"}
	ops := []string{"", "add:items", "add:", "remove:items[0]", "up:items[", "down:items[1]", "add:tags", "remove:[0]", "x:y"}
	seed := uint32(1)
	next := func(n int) int { seed = seed*1664525 + 1013904223; return int(seed>>8) % n }
	for range 3000 {
		form := url.Values{}
		for range next(6) {
			form.Add(keys[next(len(keys))], vals[next(len(vals))])
		}
		form.Set(schemaform.OpField, ops[next(len(ops))])
		got, err := schemaform.Decode(json.RawMessage(kitchenSink), form)
		if err != nil || !json.Valid(got) {
			t.Fatalf("%v: %s, %v", form, got, err)
		}
	}
	for _, bad := range []string{`{`, `{"type":"objekt"}`} {
		if _, err := schemaform.Decode(json.RawMessage(bad), url.Values{}); err == nil {
			t.Errorf("schema %s: no error", bad)
		}
	}
}

// What the schema does not describe is edited as JSON, and keys it does
// not name (where it allows them) survive the form untouched; a closed
// schema's unknown keys are dropped, as validation asks.
func TestOpenSchemas(t *testing.T) {
	schema := json.RawMessage(`{"type":"object","properties":{
		"name":{"type":"string"},
		"meta":{"type":"object"},
		"anything":{"description":"Any value."},
		"list":{"type":"array"},
		"nested":{"type":"object","properties":{"a":{"type":"string"}}}}}`)
	value := `{"name":"n","meta":{"a":1,"b":[true]},"anything":[1,"x"],"list":[{"k":null}],"nested":{"a":"x","old":2},"legacy":{"k":true}}`
	form, err := schemaform.Build(schema, json.RawMessage(value), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"meta", "anything", "list"} {
		if f := find(form.Fields, path); f == nil || f.Kind != schemaform.KindJSON {
			t.Errorf("%s is not edited as JSON: %+v", path, f)
		}
	}
	got, err := schemaform.Decode(schema, form.Values())
	if err != nil {
		t.Fatal(err)
	}
	if canon(t, got) != canon(t, json.RawMessage(value)) {
		t.Errorf("open schema round trip\n got %s\nwant %s", got, value)
	}
	// JSON that does not parse stays text, for validation to name.
	v := form.Values()
	v.Set("meta", "{oops")
	got, _ = schemaform.Decode(schema, v)
	if !strings.Contains(string(got), `"meta":"{oops"`) {
		t.Errorf("bad JSON: %s", got)
	}

	closed := `{"title":"t","count":1,"items":[{"url":"/"}],"nope":1}`
	form, _ = schemaform.Build(json.RawMessage(kitchenSink), json.RawMessage(closed), nil)
	got, _ = schemaform.Decode(json.RawMessage(kitchenSink), form.Values())
	if strings.Contains(string(got), "nope") {
		t.Errorf("a closed schema kept an unknown key: %s", got)
	}
}

// A schema that refers to itself is walked to a bounded depth, never
// forever.
func TestRecursiveSchema(t *testing.T) {
	schema := json.RawMessage(`{"$ref":"#/$defs/node","$defs":{"node":{"type":"object","required":["name","child"],
		"properties":{"name":{"type":"string"},"child":{"$ref":"#/$defs/node"},"kids":{"type":"array","items":{"$ref":"#/$defs/node"}}}}}}`)
	form, err := schemaform.Build(schema, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if find(form.Fields, "child.child.name") == nil {
		t.Error("nested levels are not drawn")
	}
	value := json.RawMessage(`{"name":"a","child":{"name":"b","child":{"name":"c","child":{}}},"kids":[{"name":"d","child":{"name":"e","child":{}}}]}`)
	form, err = schemaform.Build(schema, value, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := schemaform.Decode(schema, form.Values())
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(got) || !strings.Contains(string(got), `"name":"e"`) {
		t.Errorf("recursive round trip: %s", got)
	}
}

// An open object with a oneOf beside its properties keeps one extras
// input, and its unnamed keys, through the form.
func TestOpenObjectWithChoice(t *testing.T) {
	schema := json.RawMessage(`{"type":"object","properties":{"title":{"type":"string"}},"oneOf":[
		{"title":"Room","properties":{"room":{"type":"string"}},"required":["room"]},
		{"title":"Link","properties":{"url":{"type":"string"}},"required":["url"]}]}`)
	value := json.RawMessage(`{"title":"T","url":"/x","legacy":1}`)
	form, err := schemaform.Build(schema, value, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	var walk func(fs []schemaform.Field)
	walk = func(fs []schemaform.Field) {
		for _, f := range fs {
			if strings.HasSuffix(f.Name, "#extra") {
				n++
			}
			walk(f.Fields)
		}
	}
	walk(form.Fields)
	if n != 1 {
		t.Errorf("%d extras inputs, want 1", n)
	}
	if f := find(form.Fields, "#choice"); f == nil || f.Value != "1" {
		t.Errorf("choice %+v", f)
	}
	got, _ := schemaform.Decode(schema, form.Values())
	if canon(t, got) != canon(t, value) {
		t.Errorf("got %s, want %s", got, value)
	}
}

// Hints of the wrong shape, or unknown, or that do not fit the field, are
// ignored: the form falls back to what the type says.
func TestOddHints(t *testing.T) {
	schema := json.RawMessage(`{"type":"object","properties":{
		"a":{"type":"string","x-atrium-widget":5},
		"b":{"type":"string","x-atrium-widget":"sparkles"},
		"c":{"type":"integer","x-atrium-widget":"markdown"},
		"d":{"type":"string","x-atrium-widget":"radio"},
		"e":{"type":"string","x-atrium-accept":["image/*"]}}}`)
	form, err := schemaform.Build(schema, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]schemaform.Kind{"a": schemaform.KindText, "b": schemaform.KindText,
		"c": schemaform.KindInteger, "d": schemaform.KindText, "e": schemaform.KindText} {
		if f := find(form.Fields, path); f == nil || f.Kind != want {
			t.Errorf("%s: %+v, want %s", path, f, want)
		}
	}
}
