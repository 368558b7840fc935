// Package blocktext lets a block's text carry translations. Content stays as
// the vendor wrote it; a room file (or the builder) may give a config's text
// in several languages, and each reader sees their own:
//
//	config:
//	  title: {en: Welcome, de: Willkommen}
//	  markdown:
//	    en: Three tracks, about **four hours** in total.
//	    de: Drei Kurse, zusammen etwa **vier Stunden**.
//
// A block type opts in per property of its config schema with the
// annotation "x-atrium-translatable": true on a top-level string property.
// The core does the rest, so a block type — built-in or a plugin — only
// ever sees plain strings: validation checks the config once per language
// ([Split]), and rendering hands the block the reader's text ([In]).
//
// The default text is the one under [Default] ("en"); a plain string is the
// default alone. Readers of a language without its own text, or of none,
// see the default.
package blocktext

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Default is the language of a plain string, and the key of the text every
// reader without their own falls back to.
const Default = "en"

// Annotation is the schema keyword that marks a property as translatable.
const Annotation = "x-atrium-translatable"

// langRE accepts the language tags room titles accept: "de", "pt-BR".
var langRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// Fields lists the top-level properties a config schema marks as
// translatable, in name order. A schema that is not a JSON object has none.
func Fields(schema json.RawMessage) []string {
	var s struct {
		Properties map[string]map[string]any `json:"properties"`
	}
	if json.Unmarshal(schema, &s) != nil {
		return nil
	}
	var out []string
	for name, p := range s.Properties {
		if on, _ := p[Annotation].(bool); on {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// Problem is one thing wrong with a config's translations, at a path inside
// the config ("markdown.de").
type Problem struct {
	Path, Message string
}

// Config is a config taken apart by language.
type Config struct {
	// Languages are the languages the config has text in, the default
	// first, then in order.
	Languages []string
	// Variants are the config as a reader of each language sees it: every
	// translatable field a plain string. Validate each as the block type's
	// own config.
	Variants map[string]json.RawMessage
	// Canonical is the config to store: a field whose only text is the
	// default is a plain string again, so files read back as written.
	Canonical json.RawMessage
}

// Split checks the translations of a config's fields and takes it apart by
// language. A config without translations comes back as its own only
// variant. Problems name the field and language ("markdown.de"); a config
// that is not a JSON object is left for the schema to refuse.
func Split(config json.RawMessage, fields []string) (Config, []Problem) {
	one := Config{Languages: []string{Default}, Variants: map[string]json.RawMessage{Default: config}, Canonical: config}
	if len(fields) == 0 || bytes.Count(config, []byte("{")) < 2 {
		return one, nil
	}
	obj, ok := object(config)
	if !ok {
		return one, nil
	}
	var problems []Problem
	texts := map[string]map[string]string{} // field -> language -> text
	langs := map[string]bool{}
	for _, f := range fields {
		m, ok := obj[f].(map[string]any)
		if !ok {
			continue // a string, or a value the schema will name
		}
		if len(m) == 0 {
			problems = append(problems, Problem{f, "names no language: give the text, or the text by language ({en: ..., de: ...})"})
			continue
		}
		byLang := map[string]string{}
		for _, lang := range slices.Sorted(maps.Keys(m)) {
			path := f + "." + lang
			s, isText := m[lang].(string)
			switch {
			case !langRE.MatchString(lang):
				problems = append(problems, Problem{path, "is not a language tag such as de or pt-BR"})
			case !isText:
				problems = append(problems, Problem{path, "must be text"})
			case strings.TrimSpace(s) == "" && lang == Default:
				problems = append(problems, Problem{path, "is empty: the default text is what readers of every other language see"})
			case strings.TrimSpace(s) == "":
				problems = append(problems, Problem{path, "is empty: leave the language out instead"})
			default:
				byLang[lang] = s
				langs[lang] = true
			}
		}
		if _, ok := m[Default]; !ok {
			problems = append(problems, Problem{f + "." + Default, fmt.Sprintf("is required: the default text (%s), which readers of every other language see", Default)})
		}
		texts[f] = byLang
	}
	if len(problems) > 0 {
		return one, problems
	}
	if len(texts) == 0 {
		return one, nil
	}
	out := Config{Variants: map[string]json.RawMessage{}}
	delete(langs, Default)
	out.Languages = append([]string{Default}, slices.Sorted(maps.Keys(langs))...)
	for _, lang := range out.Languages {
		v := maps.Clone(obj)
		for f, byLang := range texts {
			v[f] = pick(byLang, lang)
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return one, []Problem{{"", err.Error()}}
		}
		out.Variants[lang] = raw
	}
	canon := maps.Clone(obj)
	for f, byLang := range texts {
		if len(byLang) == 1 {
			canon[f] = byLang[Default]
		}
	}
	raw, err := json.Marshal(canon)
	if err != nil {
		return one, []Problem{{"", err.Error()}}
	}
	out.Canonical = raw
	return out, nil
}

// In returns the config as a reader of lang sees it: each translatable field
// that has texts by language becomes the text in lang, else in its base
// language ("de" for "de-AT"), else the default. A config with nothing to
// choose comes back unchanged, without a copy.
func In(config json.RawMessage, fields []string, lang string) json.RawMessage {
	// A field with texts by language is an object inside the config's.
	if len(fields) == 0 || bytes.Count(config, []byte("{")) < 2 {
		return config
	}
	obj, ok := object(config)
	if !ok {
		return config
	}
	changed := false
	for _, f := range fields {
		m, ok := obj[f].(map[string]any)
		if !ok {
			continue
		}
		byLang := make(map[string]string, len(m))
		for k, v := range m {
			if s, ok := v.(string); ok {
				byLang[k] = s
			}
		}
		obj[f] = pick(byLang, lang)
		changed = true
	}
	if !changed {
		return config
	}
	raw, err := json.Marshal(obj)
	if err != nil {
		return config
	}
	return raw
}

// pick chooses the text for lang: its own, its base language's, the
// default's.
func pick(byLang map[string]string, lang string) string {
	if s := byLang[lang]; strings.TrimSpace(s) != "" {
		return s
	}
	if base, _, ok := strings.Cut(lang, "-"); ok {
		if s := byLang[base]; strings.TrimSpace(s) != "" {
			return s
		}
	}
	return byLang[Default]
}

// object decodes a config object, keeping numbers as they were written.
func object(config json.RawMessage) (map[string]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(config))
	dec.UseNumber()
	var obj map[string]any
	if dec.Decode(&obj) != nil || obj == nil {
		return nil, false
	}
	return obj, true
}
