package schemaform

import (
	"encoding/json"
	"net/url"
	"reflect"
	"testing"
)

const translatable = `{"type":"object","required":["markdown"],"properties":{
	"title":{"type":"string","maxLength":50,"x-atrium-translatable":true},
	"markdown":{"type":"string","x-atrium-widget":"markdown","x-atrium-translatable":true},
	"items":{"type":"array","items":{"type":"object","properties":{"label":{"type":"string","x-atrium-translatable":true}}}}}}`

var offered = []Language{{"de", "Deutsch"}, {"es", "Español"}}

func TestBuildTranslations(t *testing.T) {
	form, err := Build(json.RawMessage(translatable),
		json.RawMessage(`{"title":"Hi","markdown":{"en":"Hello","de":"Hallo","fr":"Bonjour"},"items":[{"label":"x"}]}`),
		map[string]string{"markdown.de": "is empty", "markdown.en": "is required"}, offered...)
	if err != nil {
		t.Fatal(err)
	}
	type tr struct{ Name, Label, Lang, Value, Error string }
	got := map[string][]tr{}
	for _, f := range form.Fields {
		for _, x := range f.Translations {
			got[f.Path] = append(got[f.Path], tr{x.Name, x.Label, x.Lang, x.Value, x.Error})
		}
		if f.Path == "markdown" && (f.Value != "Hello" || f.Error != "is required") {
			t.Errorf("markdown's default field: value %q, error %q", f.Value, f.Error)
		}
		if f.Path == "items" && len(f.Items[0].Fields[0].Translations) > 0 {
			t.Error("a nested text was offered translations; only top-level texts may have them")
		}
	}
	want := map[string][]tr{
		"title": {{"title.de", "Deutsch", "de", "", ""}, {"title.es", "Español", "es", "", ""}},
		"markdown": {{"markdown.de", "Deutsch", "de", "Hallo", "is empty"}, {"markdown.es", "Español", "es", "", ""},
			{"markdown.fr", "fr", "fr", "Bonjour", ""}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("translations\n got %+v\nwant %+v", got, want)
	}
	if md := form.Fields[1].Translations[0]; md.Kind != KindMarkdown || md.ID != "cfg-markdown-de" || md.DescribedBy != "cfg-markdown-de-err" {
		t.Errorf("German Markdown field: kind %q, id %q, described by %q", md.Kind, md.ID, md.DescribedBy)
	}
	p := form.Prefixed("config.")
	if n := p.Fields[1].Translations[0].Name; n != "config.markdown.de" {
		t.Errorf("prefixed name %q", n)
	}
}

func TestDecodeTranslations(t *testing.T) {
	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"default only", url.Values{"markdown": {"Hello"}, "markdown.de": {""}, "markdown.es": {" "}}, `{"markdown":"Hello"}`},
		{"with German", url.Values{"markdown": {"Hello"}, "markdown.de": {"Hallo\r\nWelt"}, "title": {"Hi"}, "title.es": {"Hola"}},
			`{"markdown":{"de":"Hallo\nWelt","en":"Hello"},"title":{"en":"Hi","es":"Hola"}}`},
		{"translation without default", url.Values{"markdown": {""}, "markdown.de": {"Hallo"}}, `{"markdown":{"de":"Hallo","en":""}}`},
		{"nested texts stay plain", url.Values{"markdown": {"M"}, "items[0].label": {"x"}, "items[0].label.de": {"y"}}, `{"items":[{"label":"x"}],"markdown":"M"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(json.RawMessage(translatable), tt.form)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Decode = %s, want %s", got, tt.want)
			}
		})
	}
}

// A form with translations submitted unchanged gives back its config.
func TestRoundTripTranslations(t *testing.T) {
	config := `{"markdown":{"de":"Hallo","en":"Hello","fr":"Bonjour"},"title":"Hi"}`
	form, err := Build(json.RawMessage(translatable), json.RawMessage(config), nil, offered...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(json.RawMessage(translatable), form.Values())
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != config {
		t.Errorf("round trip\n got %s\nwant %s", got, config)
	}
}
