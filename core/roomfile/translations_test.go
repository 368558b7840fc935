package roomfile_test

import (
	"context"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/blocks/text"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/roomfile"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
)

// textService is a room service that knows the built-in text block, whose
// title and Markdown may be given by language.
func textService(t *testing.T) *room.Service {
	reg := registry.New()
	if err := reg.Register(sdk.Plugin{ID: "t", Blocks: []sdk.BlockType{text.New()}}); err != nil {
		t.Fatal(err)
	}
	return room.NewService(storetest.Open(t), reg)
}

const helpYAML = `apiVersion: atrium/v1
kind: Room
slug: help
title: Help
partnerTypes: [referral]
position: 10
blocks:
  - id: how
    type: text
    config:
      title: {en: Getting help, de: Hilfe bekommen}
      markdown:
        en: |
          ## How to get help
        de: |
          ## So bekommen Sie Hilfe
        es: |
          ## Cómo obtener ayuda
  - id: english
    type: text
    config:
      markdown: {en: Only English}
  - id: plain
    type: text
    config:
      markdown: The room's default language
`

// TestTranslationsRoundTrip: texts by language are stored as written,
// exported in the same shape (one language is a plain string again), and
// the export applies back without a change.
func TestTranslationsRoundTrip(t *testing.T) {
	svc := textService(t)
	ctx := context.Background()
	docs, err := roomfile.Parse("rooms/help.yaml", []byte(helpYAML))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := roomfile.Apply(ctx, svc, docs, room.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	rooms, err := svc.List(ctx)
	if err != nil || len(rooms) != 1 {
		t.Fatalf("rooms: %v, %v", rooms, err)
	}
	cfg := map[string]string{}
	for _, b := range rooms[0].Blocks {
		cfg[b.ID] = string(b.Config)
	}
	want := map[string]string{
		"how":     `{"markdown":{"de":"## So bekommen Sie Hilfe\n","en":"## How to get help\n","es":"## Cómo obtener ayuda\n"},"title":{"de":"Hilfe bekommen","en":"Getting help"}}`,
		"english": `{"markdown":"Only English"}`,
		"plain":   `{"markdown":"The room's default language"}`,
	}
	for id, w := range want {
		if cfg[id] != w {
			t.Errorf("block %s stored as %s\nwant %s", id, cfg[id], w)
		}
	}
	out, err := roomfile.MarshalRoom(rooms[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"      markdown:\n        de: |\n          ## So bekommen Sie Hilfe\n        en: |\n          ## How to get help\n        es: |\n          ## Cómo obtener ayuda\n",
		"      title:\n        de: Hilfe bekommen\n        en: Getting help\n",
		"      markdown: Only English\n",
		"      markdown: The room's default language\n",
	} {
		if !strings.Contains(string(out), w) {
			t.Errorf("export lacks\n%s\nin\n%s", w, out)
		}
	}
	again, err := roomfile.Parse("help.yaml", out)
	if err != nil {
		t.Fatal(err)
	}
	res, err := roomfile.Apply(ctx, svc, again, room.ApplyOptions{})
	if err != nil || res.Changes() != 0 {
		t.Errorf("re-apply of the export: %+v, %v", res, err)
	}
}

// TestTranslationProblems: each problem with a text by language names the
// file, the line and the language.
func TestTranslationProblems(t *testing.T) {
	tests := []struct {
		name, markdown, want string
	}{
		{"unknown language tag", "{en: Hello, German: Hallo}", "rooms/help.yaml:9: blocks[0].config.markdown.German: is not a language tag such as de or pt-BR"},
		{"empty default", "{en: '', de: Hallo}", "rooms/help.yaml:9: blocks[0].config.markdown.en: is empty: the default text is what readers of every other language see"},
		{"no default", "{de: Hallo, es: Hola}", "rooms/help.yaml:9: blocks[0].config.markdown.en: is required: the default text (en)"},
		{"empty translation", "{en: Hello, es: '  '}", "rooms/help.yaml:9: blocks[0].config.markdown.es: is empty: leave the language out instead"},
		{"too long in one language", "{en: Hello, de: " + strings.Repeat("x", 50001) + "}", "rooms/help.yaml:9: blocks[0].config.markdown.de: "},
		{"no language", "{}", "rooms/help.yaml:9: blocks[0].config.markdown: names no language"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := "apiVersion: atrium/v1\nkind: Room\nslug: help\ntitle: Help\npartnerTypes: [referral]\nblocks:\n  - id: how\n    type: text\n    config: {markdown: " + tt.markdown + "}\n"
			docs, err := roomfile.Parse("rooms/help.yaml", []byte(file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = roomfile.Apply(context.Background(), textService(t), docs, room.ApplyOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant %q", err, tt.want)
			}
		})
	}
}
