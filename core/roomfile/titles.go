package roomfile

import (
	"maps"
	"slices"

	"go.yaml.in/yaml/v3"
)

// splitTitles reads a room file's titles by language ({en: Training, de:
// Schulungen}) as the room's title, for readers of any other language
// (English, else the first language in order), and its translations.
// English is the title itself and not kept among the translations.
func splitTitles(m map[string]any) (string, map[string]string) {
	titles := make(map[string]string, len(m))
	for lang, v := range m {
		if s, ok := v.(string); ok {
			titles[lang] = s
		}
	}
	def, ok := titles["en"]
	if ok {
		// English is the title itself; keeping it twice would read back
		// differently from what export writes.
		delete(titles, "en")
	} else {
		langs := slices.Sorted(maps.Keys(titles))
		if len(langs) > 0 {
			def = titles[langs[0]]
		}
	}
	return def, titles
}

// joinTitles writes a room's title the way a room file says it: one
// string, or, when it has translations, every language in one map, the
// default under "en" unless a translation says otherwise.
func joinTitles(title string, titles map[string]string) any {
	if len(titles) == 0 {
		return title
	}
	out := maps.Clone(titles)
	if _, ok := out["en"]; !ok && !slices.Contains(slices.Collect(maps.Values(out)), title) {
		out["en"] = title
	}
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for _, lang := range slices.Sorted(maps.Keys(out)) {
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: lang}, &yaml.Node{Kind: yaml.ScalarNode, Value: out[lang]})
	}
	return n
}
