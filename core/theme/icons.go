package theme

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"strings"
)

var iconName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// loadIcons reads assets/icons/*.svg for inline use: each becomes an <svg>
// element hidden from assistive technology (the text next to an icon says
// what it means) and sized by the CSS class "icon".
func loadIcons(fsys fs.FS) (map[string]template.HTML, error) {
	entries, err := fs.ReadDir(fsys, "assets/icons")
	if err != nil {
		return nil, fmt.Errorf("theme: icons: %w", err)
	}
	icons := make(map[string]template.HTML, len(entries))
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".svg")
		if e.IsDir() || path.Ext(e.Name()) != ".svg" || !iconName.MatchString(name) {
			continue
		}
		file := "assets/icons/" + e.Name()
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("theme: %s: %w", file, err)
		}
		src := string(data)
		i := strings.Index(src, "<svg")
		if i < 0 {
			return nil, fmt.Errorf("theme: %s: no <svg> element", file)
		}
		src = strings.TrimSpace(src[i:])
		src = `<svg class="icon icon-` + name + `" aria-hidden="true" focusable="false"` + strings.TrimPrefix(src, "<svg")
		icons[name] = template.HTML(src) // the theme's own file
	}
	return icons, nil
}

// icon is the "icon" template func: the inline SVG of a named icon, or
// nothing for a name the theme does not have.
func (t *Theme) icon(name string) template.HTML {
	return t.icons[name]
}

// Icons lists the names of the theme's icons.
func (t *Theme) Icons() []string {
	names := make([]string, 0, len(t.icons))
	for n := range t.icons {
		names = append(names, n)
	}
	return sortedStrings(names)
}
