package registry

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

// linkBlock is a small block type whose config has a required https URL, a
// list and a custom rule, and which migrates version 1 configs ("href") to
// version 2 ("url").
type linkBlock struct{ name string }

func (b linkBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: b.name, Title: "Link", SchemaVersion: 2, ConfigSchema: json.RawMessage(`{
		"type": "object", "additionalProperties": false, "required": ["url"],
		"properties": {
			"url": {"type": "string", "pattern": "^https://"},
			"tags": {"type": "array", "items": {"type": "string", "maxLength": 5}}
		}}`)}
}
func (linkBlock) Render(context.Context, sdk.RenderRequest) (ui.Component, error) {
	return ui.Text{}, nil
}
func (linkBlock) ValidateConfig(_ context.Context, c json.RawMessage) error {
	if strings.Contains(string(c), "forbidden.example") {
		return errors.New("url: forbidden.example is not allowed")
	}
	return nil
}
func (linkBlock) MigrateConfig(_ context.Context, from int, c json.RawMessage) (json.RawMessage, error) {
	var v map[string]any
	if err := json.Unmarshal(c, &v); err != nil {
		return nil, err
	}
	v["url"] = v["href"]
	delete(v, "href")
	return json.Marshal(v)
}

func TestRegister(t *testing.T) {
	r := New()
	if err := r.Register(sdk.Plugin{ID: "a", Blocks: []sdk.BlockType{linkBlock{"link"}}}); err != nil {
		t.Fatal(err)
	}
	err := r.Register(sdk.Plugin{ID: "b", Blocks: []sdk.BlockType{linkBlock{"acme/ok"}, linkBlock{"link"}}})
	if err == nil || !strings.Contains(err.Error(), `"link" is already provided by a`) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, ok := r.Block("acme/ok"); ok {
		t.Error("a failed registration added some of its types")
	}
	for _, bad := range []string{"Link", "a/b/c", "", "-x", "acme/"} {
		if err := r.Register(sdk.Plugin{ID: "c", Blocks: []sdk.BlockType{linkBlock{bad}}}); err == nil {
			t.Errorf("name %q accepted", bad)
		}
	}
	r.Unregister("a")
	if _, ok := r.Block("link"); ok {
		t.Error("unregister left the block type")
	}
}

func TestPrepareConfig(t *testing.T) {
	r := New()
	if err := r.Register(sdk.Plugin{ID: "a", Blocks: []sdk.BlockType{linkBlock{"link"}}}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name        string
		version     int
		config      string
		want        string
		wantVersion int
		wantErr     []string
	}{
		{"canonical", 0, `{ "url": "https://x.example",  "tags": ["a"] }`, `{"tags":["a"],"url":"https://x.example"}`, 2, nil},
		{"migrated from v1", 1, `{"href": "https://x.example"}`, `{"url":"https://x.example"}`, 2, nil},
		{"missing required", 0, `{}`, "", 0, []string{"missing property 'url'"}},
		{"nested path", 0, `{"url": "https://x", "tags": ["ok", "toolong"]}`, "", 0, []string{"tags[1]: "}},
		{"pattern", 0, `{"url": "http://x"}`, "", 0, []string{"url: "}},
		{"unknown property", 0, `{"url": "https://x", "colour": 1}`, "", 0, []string{"colour: unknown field"}},
		{"custom rule", 0, `{"url": "https://forbidden.example"}`, "", 0, []string{"forbidden.example is not allowed"}},
		{"future version", 3, `{"url": "https://x"}`, "", 0, []string{"schema version 3 is newer"}},
		{"not json", 0, `{url:`, "", 0, []string{"not valid JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, v, err := r.PrepareConfig(ctx, "link", tt.version, json.RawMessage(tt.config))
			if len(tt.wantErr) > 0 {
				for _, w := range tt.wantErr {
					if err == nil || !strings.Contains(err.Error(), w) {
						t.Errorf("err = %v, want it to contain %q", err, w)
					}
				}
				return
			}
			if err != nil || string(got) != tt.want || v != tt.wantVersion {
				t.Errorf("got %s v%d, %v; want %s v%d", got, v, err, tt.want, tt.wantVersion)
			}
		})
	}
	if _, _, err := r.PrepareConfig(ctx, "nope", 0, nil); !errors.Is(err, ErrUnknownType) {
		t.Errorf("unknown type: %v", err)
	}
}

func TestPath(t *testing.T) {
	for in, want := range map[string]string{"": "", "url": "url", "buttons/0/label": "buttons[0].label", "0": "[0]"} {
		var segs []string
		if in != "" {
			segs = strings.Split(in, "/")
		}
		if got := Path(segs); got != want {
			t.Errorf("Path(%q) = %q, want %q", in, got, want)
		}
	}
}

// schemaOnly is a block type with a schema and no checks of its own, whose
// schema a test can change between registrations.
type schemaOnly struct{ schema string }

func (b schemaOnly) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "acme/note", Title: "Note", SchemaVersion: 1, ConfigSchema: json.RawMessage(b.schema)}
}
func (schemaOnly) Render(context.Context, sdk.RenderRequest) (ui.Component, error) {
	return ui.Text{}, nil
}

// TestPrepareConfigRemembers: an accepted config is not walked again, its
// answer cannot be changed through the slice handed out, and a type that
// registers again with another schema is checked against the new one.
func TestPrepareConfigRemembers(t *testing.T) {
	ctx := context.Background()
	r := New()
	loose := schemaOnly{`{"type":"object","properties":{"text":{"type":"string"}}}`}
	if err := r.Register(sdk.Plugin{ID: "acme/notes", Blocks: []sdk.BlockType{loose}}); err != nil {
		t.Fatal(err)
	}
	cfg := json.RawMessage(`{ "text" : "hello" }`)
	first, _, err := r.PrepareConfig(ctx, "acme/note", 1, cfg)
	if err != nil || string(first) != `{"text":"hello"}` {
		t.Fatalf("first: %s %v", first, err)
	}
	first[2] = 'X' // a caller scribbling on its copy
	again, _, err := r.PrepareConfig(ctx, "acme/note", 1, cfg)
	if err != nil || string(again) != `{"text":"hello"}` || r.accepted.Len() != 1 {
		t.Fatalf("again: %s %v (remembered %d)", again, err, r.accepted.Len())
	}
	r.Unregister("acme/notes")
	strict := schemaOnly{`{"type":"object","properties":{"text":{"type":"string","maxLength":3}}}`}
	if err := r.Register(sdk.Plugin{ID: "acme/notes", Blocks: []sdk.BlockType{strict}}); err != nil {
		t.Fatal(err)
	}
	var ce *ConfigError
	if _, _, err := r.PrepareConfig(ctx, "acme/note", 1, cfg); !errors.As(err, &ce) {
		t.Errorf("the new schema was not applied: %v", err)
	}
	// Types with checks of their own are always asked.
	if err := r.Register(sdk.Plugin{ID: "acme/links", Blocks: []sdk.BlockType{linkBlock{name: "acme/link"}}}); err != nil {
		t.Fatal(err)
	}
	before := r.accepted.Len()
	if _, _, err := r.PrepareConfig(ctx, "acme/link", 2, json.RawMessage(`{"url":"https://ok.example"}`)); err != nil || r.accepted.Len() != before {
		t.Errorf("a type with its own checks was remembered: %v", err)
	}
}

// noteBlock has translatable text and a check of its own that names the
// field it is about.
type noteBlock struct{}

func (noteBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "note", Title: "Note", ConfigSchema: json.RawMessage(`{
		"type": "object", "additionalProperties": false, "required": ["text"],
		"properties": {
			"title": {"type": "string", "maxLength": 5, "x-atrium-translatable": true},
			"text": {"type": "string", "minLength": 1, "x-atrium-translatable": true},
			"url": {"type": "string"}
		}}`)}
}
func (noteBlock) Render(context.Context, sdk.RenderRequest) (ui.Component, error) {
	return ui.Text{}, nil
}
func (noteBlock) ValidateConfig(_ context.Context, c json.RawMessage) error {
	var v struct{ Text string }
	if err := json.Unmarshal(c, &v); err != nil {
		return err
	}
	if strings.TrimSpace(v.Text) == "TODO" {
		return errors.New("text: is still TODO")
	}
	return nil
}

func TestPrepareConfigTranslations(t *testing.T) {
	r := New()
	if err := r.Register(sdk.Plugin{ID: "a", Blocks: []sdk.BlockType{noteBlock{}}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, config, want string
		wantErr            []string
	}{
		{"plain", `{"text":"Hi"}`, `{"text":"Hi"}`, nil},
		{"by language", `{"text":{"en":"Hi","de":"Hallo"},"title":{"en":"One","es":"Uno"}}`, `{"text":{"de":"Hallo","en":"Hi"},"title":{"en":"One","es":"Uno"}}`, nil},
		{"default alone", `{"text":{"en":"Hi"}}`, `{"text":"Hi"}`, nil},
		{"schema per language", `{"text":"Hi","title":{"en":"One","de":"Eins zu lang"}}`, "", []string{"title.de: "}},
		{"own check per language", `{"text":{"en":"Hi","de":"TODO"}}`, "", []string{"text.de: is still TODO"}},
		{"own check in the default", `{"text":{"en":"TODO","de":"Hallo"}}`, "", []string{"text: is still TODO"}},
		{"bad tag", `{"text":{"en":"Hi","deutsch":"Hallo"}}`, "", []string{"text.deutsch: is not a language tag"}},
		{"empty default", `{"text":{"en":"","de":"Hallo"}}`, "", []string{"text.en: is empty"}},
		{"not translatable", `{"text":"Hi","url":{"en":"x"}}`, "", []string{"url: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := r.PrepareConfig(context.Background(), "note", 0, json.RawMessage(tt.config))
			for _, w := range tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v, want it to contain %q", err, w)
				}
			}
			if tt.wantErr == nil && (err != nil || string(got) != tt.want) {
				t.Errorf("got %s, %v; want %s", got, err, tt.want)
			}
		})
	}
	b, _ := r.Block("note")
	if got := string(b.ConfigIn(json.RawMessage(`{"text":{"de":"Hallo","en":"Hi"}}`), "de")); got != `{"text":"Hallo"}` {
		t.Errorf("ConfigIn(de) = %s", got)
	}
}
