package schemaform_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/atriumhq/atrium/blocks/builtin"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/schemaform"
	"github.com/atriumhq/atrium/core/store/storetest"
)

// The problems the room service's real validation reports land on the
// fields that caused them, in its words: the schema's (by path), a missing
// property's, and a block type's own checks (about the whole config).
func TestValidationProblemsLandOnFields(t *testing.T) {
	reg := registry.New()
	if err := reg.Register(builtin.Plugin()); err != nil {
		t.Fatal(err)
	}
	svc := room.NewService(storetest.Open(t), reg)
	blocks := []room.Block{
		{ID: "fine", Type: "text", Config: json.RawMessage(`{"markdown":"Hi"}`)},
		{ID: "links", Type: "link", Config: json.RawMessage(`{"links":[{"title":"A","url":"/a"},{"title":"","url":"/b"}],"colour":"red"}`)},
		{ID: "picture", Type: "image", Config: json.RawMessage(`{"alt":"A chart"}`)},
		{ID: "news", Type: "banner", Config: json.RawMessage(`{"text":"New","linkLabel":"Read more"}`)},
	}
	_, err := svc.Apply(context.Background(), []room.Room{{Slug: "x", Title: "X", PartnerTypes: []string{"referral"}, Blocks: blocks}},
		room.ApplyOptions{DryRun: true})
	var ve *room.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a validation error, got %v", err)
	}
	want := []struct {
		block int
		path  string
		msg   string
	}{
		{1, "links[1].title", "minLength: got 0, want 1"},
		{2, "url", "missing property 'url'"},
		{2, "file", "missing property 'file'"},
		{3, "linkUrl", "is required when linkLabel is given"},
	}
	forms := map[int]schemaform.Form{}
	for _, w := range want {
		form, ok := forms[w.block]
		if !ok {
			info, _ := reg.Block(blocks[w.block].Type)
			form, err = schemaform.Build(info.Info.ConfigSchema, blocks[w.block].Config, schemaform.Problems(ve.Problems, w.block))
			if err != nil {
				t.Fatal(err)
			}
			forms[w.block] = form
		}
		f := find(form.Fields, w.path)
		if f == nil {
			t.Errorf("block %d: no field %s", w.block, w.path)
		} else if f.Error != w.msg {
			t.Errorf("block %d: %s: error %q, want %q (all: %v)", w.block, w.path, f.Error, w.msg, ve.Problems)
		}
	}
	if got := forms[1].Errors; len(got) != 1 || got[0] != "colour: unknown field" {
		t.Errorf("link form errors %q", got)
	}
	if len(forms[2].Errors)+len(forms[3].Errors) != 0 {
		t.Errorf("stray form errors: %q %q", forms[2].Errors, forms[3].Errors)
	}
	if p := schemaform.Problems(ve.Problems, 0); len(p) != 0 {
		t.Errorf("problems of a fine block: %v", p)
	}
}
