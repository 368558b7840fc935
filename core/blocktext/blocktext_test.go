package blocktext

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestFields(t *testing.T) {
	tests := []struct {
		name, schema string
		want         []string
	}{
		{"marked", `{"properties":{"title":{"type":"string","x-atrium-translatable":true},"markdown":{"type":"string","x-atrium-translatable":true},"url":{"type":"string"}}}`, []string{"markdown", "title"}},
		{"marked false", `{"properties":{"title":{"type":"string","x-atrium-translatable":false}}}`, nil},
		{"none", `{"type":"object"}`, nil},
		{"not JSON", `nope`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fields(json.RawMessage(tt.schema)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Fields = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	fields := []string{"markdown", "title"}
	tests := []struct {
		name, config string
		langs        []string
		variants     map[string]string
		canonical    string
		problems     []Problem
	}{
		{
			name: "plain strings", config: `{"markdown":"Hello","n":3}`,
			langs: []string{"en"}, variants: map[string]string{"en": `{"markdown":"Hello","n":3}`}, canonical: `{"markdown":"Hello","n":3}`,
		},
		{
			name:   "by language",
			config: `{"markdown":{"en":"Hello","de":"Hallo","es":"Hola"},"title":"Welcome","n":3}`,
			langs:  []string{"en", "de", "es"},
			variants: map[string]string{
				"en": `{"markdown":"Hello","n":3,"title":"Welcome"}`,
				"de": `{"markdown":"Hallo","n":3,"title":"Welcome"}`,
				"es": `{"markdown":"Hola","n":3,"title":"Welcome"}`,
			},
			canonical: `{"markdown":{"de":"Hallo","en":"Hello","es":"Hola"},"n":3,"title":"Welcome"}`,
		},
		{
			name:   "a language of one field only falls back in the other",
			config: `{"markdown":{"en":"Hello","de":"Hallo"},"title":{"en":"Welcome","es":"Bienvenida"}}`,
			langs:  []string{"en", "de", "es"},
			variants: map[string]string{
				"en": `{"markdown":"Hello","title":"Welcome"}`,
				"de": `{"markdown":"Hallo","title":"Welcome"}`,
				"es": `{"markdown":"Hello","title":"Bienvenida"}`,
			},
			canonical: `{"markdown":{"de":"Hallo","en":"Hello"},"title":{"en":"Welcome","es":"Bienvenida"}}`,
		},
		{
			name: "the default alone is a plain string again", config: `{"markdown":{"en":"Hello"}}`,
			langs: []string{"en"}, variants: map[string]string{"en": `{"markdown":"Hello"}`}, canonical: `{"markdown":"Hello"}`,
		},
		{
			name: "unknown field is left to the schema", config: `{"other":{"de":""}}`,
			langs: []string{"en"}, variants: map[string]string{"en": `{"other":{"de":""}}`}, canonical: `{"other":{"de":""}}`,
		},
		{name: "not a language tag", config: `{"markdown":{"en":"Hello","German":"Hallo","de_AT":"Servus"}}`,
			problems: []Problem{{"markdown.German", "is not a language tag such as de or pt-BR"}, {"markdown.de_AT", "is not a language tag such as de or pt-BR"}}},
		{name: "empty default", config: `{"markdown":{"en":" ","de":"Hallo"}}`,
			problems: []Problem{{"markdown.en", "is empty: the default text is what readers of every other language see"}}},
		{name: "no default", config: `{"markdown":{"de":"Hallo"}}`,
			problems: []Problem{{"markdown.en", "is required: the default text (en), which readers of every other language see"}}},
		{name: "empty translation", config: `{"markdown":{"en":"Hello","de":""}}`,
			problems: []Problem{{"markdown.de", "is empty: leave the language out instead"}}},
		{name: "not text", config: `{"title":{"en":"Hello","de":7}}`,
			problems: []Problem{{"title.de", "must be text"}}},
		{name: "no language", config: `{"title":{}}`,
			problems: []Problem{{"title", "names no language: give the text, or the text by language ({en: ..., de: ...})"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problems := Split(json.RawMessage(tt.config), fields)
			if !reflect.DeepEqual(problems, tt.problems) {
				t.Fatalf("problems = %#v\nwant %#v", problems, tt.problems)
			}
			if tt.problems != nil {
				return
			}
			if !reflect.DeepEqual(got.Languages, tt.langs) {
				t.Errorf("languages = %v, want %v", got.Languages, tt.langs)
			}
			vs := map[string]string{}
			for l, v := range got.Variants {
				vs[l] = string(v)
			}
			if !reflect.DeepEqual(vs, tt.variants) {
				t.Errorf("variants = %v\nwant %v", vs, tt.variants)
			}
			if string(got.Canonical) != tt.canonical {
				t.Errorf("canonical = %s\nwant %s", got.Canonical, tt.canonical)
			}
		})
	}
}

func TestIn(t *testing.T) {
	config := `{"markdown":{"en":"Hello","de":"Hallo","pt-BR":"Olá"},"title":"Welcome"}`
	tests := []struct {
		name, config, lang, want string
		fields                   []string
	}{
		{"own language", config, "de", `{"markdown":"Hallo","title":"Welcome"}`, []string{"markdown", "title"}},
		{"base language", config, "de-AT", `{"markdown":"Hallo","title":"Welcome"}`, []string{"markdown", "title"}},
		{"region", config, "pt-BR", `{"markdown":"Olá","title":"Welcome"}`, []string{"markdown", "title"}},
		{"falls back to the default", config, "es", `{"markdown":"Hello","title":"Welcome"}`, []string{"markdown", "title"}},
		{"no language", config, "", `{"markdown":"Hello","title":"Welcome"}`, []string{"markdown", "title"}},
		{"plain string unchanged", `{"markdown":"Hello"}`, "de", `{"markdown":"Hello"}`, []string{"markdown"}},
		{"no translatable fields", config, "de", config, nil},
		{"not an object", `[{}]`, "de", `[{}]`, []string{"markdown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(In(json.RawMessage(tt.config), tt.fields, tt.lang)); got != tt.want {
				t.Errorf("In = %s, want %s", got, tt.want)
			}
		})
	}
}
