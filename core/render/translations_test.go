package render

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

// words is a block type with translatable Markdown that draws the text it
// was handed, cached for every viewer of its config.
type words struct{}

func (words) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "words", Title: "Words", Cache: sdk.CachePolicy{MaxAge: time.Minute, VaryBy: sdk.VaryByConfig},
		ConfigSchema: json.RawMessage(`{"type":"object","properties":{"markdown":{"type":"string","x-atrium-translatable":true}}}`)}
}

func (words) Render(_ context.Context, req sdk.RenderRequest) (ui.Component, error) {
	var cfg struct{ Markdown string }
	if err := json.Unmarshal(req.Config, &cfg); err != nil {
		return nil, err
	}
	return ui.Markdown{Source: cfg.Markdown}, nil
}

// TestRenderInTheViewersLanguage: a block whose Markdown is given by
// language draws each reader's own, their base language's for a regional
// one, and the default for a language without text; the cache keeps the
// languages apart.
func TestRenderInTheViewersLanguage(t *testing.T) {
	reg := registry.New()
	if err := reg.Register(sdk.Plugin{ID: "t", Blocks: []sdk.BlockType{words{}}}); err != nil {
		t.Fatal(err)
	}
	r := New(reg, Options{Timeout: time.Second, BuiltinTimeout: time.Second})
	b := blk("how", "words", `{"markdown":{"de":"## Hilfe","en":"## Help","es":"## Ayuda"}}`)
	for _, tc := range []struct{ locale, want string }{
		{"de", "## Hilfe"},
		{"en", "## Help"},
		{"es", "## Ayuda"},
		{"de-AT", "## Hilfe"},
		{"fr", "## Help"},
		{"", "## Help"},
		{"de", "## Hilfe"}, // again, from the cache
	} {
		v := sarah
		v.Locale = tc.locale
		res := r.Block(context.Background(), "support", sdk.RoomRef{Slug: "support"}, b, v)
		if res.Err != nil {
			t.Fatalf("%q: %v", tc.locale, res.Err)
		}
		if md, ok := res.Tree.(ui.Markdown); !ok || md.Source != tc.want {
			t.Errorf("reader of %q sees %#v, want %q", tc.locale, res.Tree, tc.want)
		}
	}
	// A plain string is every reader's.
	v := sarah
	v.Locale = "de"
	res := r.Block(context.Background(), "support", sdk.RoomRef{Slug: "support"}, blk("plain", "words", `{"markdown":"Hello"}`), v)
	if md, ok := res.Tree.(ui.Markdown); !ok || md.Source != "Hello" {
		t.Errorf("plain text for a German reader: %#v", res.Tree)
	}
}
