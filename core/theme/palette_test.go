package theme

import (
	"regexp"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/themes"
)

// TestPaletteContrast computes the contrast of every text colour of the
// default theme on the surfaces it is drawn on, in the light scheme and
// the dark one: WCAG AA, 4.5:1 for text and 3:1 for input borders.
func TestPaletteContrast(t *testing.T) {
	css, err := themes.Default.ReadFile("default/assets/app.css")
	if err != nil {
		t.Fatal(err)
	}
	src := string(css)
	dark := strings.Index(src, "@media (prefers-color-scheme: dark)")
	if dark < 0 {
		t.Fatal("app.css has no dark scheme")
	}
	light := vars(t, src[strings.Index(src, ":root {"):])
	darkVars := vars(t, src[dark:])
	schemes := map[string]map[string]rgb{"light": light, "dark": {}}
	for k, v := range light {
		schemes["dark"][k] = v
	}
	for k, v := range darkVars {
		schemes["dark"][k] = v
	}
	pairs := []struct {
		fg, bg string
		min    float64
	}{
		{"text", "bg", 4.5}, {"text", "surface", 4.5}, {"text", "surface-sunken", 4.5},
		{"muted", "bg", 4.5}, {"muted", "surface", 4.5}, {"muted", "surface-sunken", 4.5},
		{"placeholder", "surface", 4.5},
		{"info-fg", "info-bg", 4.5}, {"success-fg", "success-bg", 4.5}, {"warning-fg", "warning-bg", 4.5},
		{"danger-fg", "danger-bg", 4.5}, {"neutral-fg", "neutral-bg", 4.5},
		{"series-1", "surface", 4.5}, {"series-2", "surface", 4.5}, {"series-3", "surface", 4.5},
		{"border-strong", "surface", 3},
	}
	for name, v := range schemes {
		for _, p := range pairs {
			fg, ok1 := v[p.fg]
			bg, ok2 := v[p.bg]
			if !ok1 || !ok2 {
				t.Errorf("%s: --%s or --%s is not a #rrggbb colour in app.css", name, p.fg, p.bg)
				continue
			}
			if c := contrast(fg, bg); c < p.min {
				t.Errorf("%s: --%s %s on --%s %s is %.2f:1, want %.1f:1", name, p.fg, fg.hex(), p.bg, bg.hex(), c, p.min)
			}
		}
	}
	// The default brand's dark ink, from the layout, reads on the dark surfaces.
	if p := brandPalette(DefaultBrandColor); contrast(p.DarkInk, schemes["dark"]["surface"]) < 4.5 || p.DarkSoft == (rgb{}) {
		t.Errorf("the brand's dark ink %s does not read on the dark surface", p.DarkInk.hex())
	}
}

var varRE = regexp.MustCompile(`--([a-z0-9-]+):\s*(#[0-9a-fA-F]{3,6})\b`)

// vars reads the custom properties of the first :root block of css.
func vars(t *testing.T, css string) map[string]rgb {
	t.Helper()
	start := strings.Index(css, ":root {")
	end := strings.Index(css[start:], "}")
	out := map[string]rgb{}
	for _, m := range varRE.FindAllStringSubmatch(css[start:start+end], -1) {
		if c, ok := parseHex(m[2]); ok {
			out[m[1]] = c
		}
	}
	if len(out) < 10 {
		t.Fatalf("read only %d colours from a :root block", len(out))
	}
	return out
}
