package schemaform_test

import (
	"encoding/json"
	"testing"

	"github.com/atriumhq/atrium/blocks/builtin"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/roomfile"
	"github.com/atriumhq/atrium/core/roomtemplate"
	"github.com/atriumhq/atrium/core/schemaform"
)

// canon re-encodes JSON with sorted keys, so configs compare by meaning.
func canon(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	c, err := registry.Canonical(raw)
	if err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return string(c)
}

// Every built-in block type's default config survives the trip through its
// form untouched: Build, what a browser submits, Decode.
func TestRoundTripBuiltinDefaults(t *testing.T) {
	for _, bt := range builtin.Plugin().Blocks {
		info := bt.Describe()
		t.Run(info.Name, func(t *testing.T) {
			form, err := schemaform.Build(info.ConfigSchema, info.DefaultConfig, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := schemaform.Decode(info.ConfigSchema, form.Values())
			if err != nil {
				t.Fatal(err)
			}
			if canon(t, got) != canon(t, info.DefaultConfig) {
				t.Errorf("round trip\n got %s\nwant %s\nform values %v", got, info.DefaultConfig, form.Values())
			}
		})
	}
}

// So does every block config of the demo's room files and of the room
// templates: real configs, with arrays of objects, enums, numbers and
// Markdown.
func TestRoundTripDemoRooms(t *testing.T) {
	docs, err := roomfile.Load("../demo/rooms")
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range roomtemplate.List() {
		r := tm.Room
		docs = append(docs, roomfile.Document{File: "template " + tm.Name, Kind: roomfile.KindRoom, Room: &r})
	}
	schemas := map[string]json.RawMessage{}
	for _, bt := range builtin.Plugin().Blocks {
		schemas[bt.Describe().Name] = bt.Describe().ConfigSchema
	}
	n := 0
	for _, d := range docs {
		if d.Room == nil {
			continue
		}
		for _, b := range d.Room.Blocks {
			schema, ok := schemas[b.Type]
			if !ok {
				continue // a plugin's block
			}
			n++
			form, err := schemaform.Build(schema, b.Config, nil)
			if err != nil {
				t.Fatalf("%s %s: %v", d.File, b.ID, err)
			}
			got, err := schemaform.Decode(schema, form.Values())
			if err != nil {
				t.Fatal(err)
			}
			if canon(t, got) != canon(t, b.Config) {
				t.Errorf("%s block %q:\n got %s\nwant %s", d.File, b.ID, got, b.Config)
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d built-in blocks in the demo rooms; the test checks little", n)
	}
}

// The built-in block types suggest their widgets in their schemas: no
// block type is special-cased here.
func TestBuiltinHints(t *testing.T) {
	configs := map[string]string{
		"documents": `{"ids":[3]}`,
		"tasks":     `{"tasks":[{"id":"a","title":"A"}]}`,
	}
	want := map[string]map[string]schemaform.Kind{
		"text":         {"markdown": schemaform.KindMarkdown},
		"introduction": {"intro": schemaform.KindMarkdown, "people[0].bio": schemaform.KindMarkdown, "people[0].photo": schemaform.KindURL, "people[0].email": schemaform.KindEmail},
		"image":        {"file": schemaform.KindMedia, "url": schemaform.KindURL, "decorative": schemaform.KindBoolean},
		"video":        {"file": schemaform.KindMedia, "poster": schemaform.KindURL},
		"documents":    {"ids[0]": schemaform.KindResource, "layout": schemaform.KindRadio, "category": schemaform.KindSelect, "limit": schemaform.KindInteger},
		"tasks":        {"description": schemaform.KindMarkdown, "tasks[0].due": schemaform.KindDate, "tasks[0].link": schemaform.KindURL},
		"banner":       {"text": schemaform.KindTextarea, "linkUrl": schemaform.KindURL, "tone": schemaform.KindSelect},
		"embed":        {"url": schemaform.KindURL, "height": schemaform.KindInteger},
		"action-bar":   {"buttons[0].url": schemaform.KindURL, "buttons[0].variant": schemaform.KindRadio},
		"link":         {"links[0].url": schemaform.KindURL},
	}
	for _, bt := range builtin.Plugin().Blocks {
		info := bt.Describe()
		kinds, ok := want[info.Name]
		if !ok {
			continue
		}
		config := info.DefaultConfig
		if c, ok := configs[info.Name]; ok {
			config = json.RawMessage(c)
		}
		form, err := schemaform.Build(info.ConfigSchema, config, nil)
		if err != nil {
			t.Fatal(err)
		}
		for path, kind := range kinds {
			f := find(form.Fields, path)
			if f == nil {
				t.Errorf("%s: no field %s", info.Name, path)
			} else if f.Kind != kind {
				t.Errorf("%s: %s is a %s, want %s", info.Name, path, f.Kind, kind)
			}
		}
	}
	form, _ := schemaform.Build(builtinSchema(t, "image"), nil, nil)
	if f := find(form.Fields, "file"); f.Accept != "image/*" {
		t.Errorf("image file accepts %q", f.Accept)
	}
}

func builtinSchema(t *testing.T, name string) json.RawMessage {
	for _, bt := range builtin.Plugin().Blocks {
		if bt.Describe().Name == name {
			return bt.Describe().ConfigSchema
		}
	}
	t.Fatalf("no built-in block type %q", name)
	return nil
}
