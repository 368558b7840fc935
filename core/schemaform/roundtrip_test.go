package schemaform_test

import (
	"encoding/json"
	"testing"

	"github.com/atriumhq/atrium/blocks/builtin"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/roomfile"
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

// So does every block config of the demo's room files: real configs, with
// arrays of objects, enums, numbers and Markdown.
func TestRoundTripDemoRooms(t *testing.T) {
	docs, err := roomfile.Load("../demo/rooms")
	if err != nil {
		t.Fatal(err)
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
