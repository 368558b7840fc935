package theme

import (
	"fmt"
	"strings"
	"testing"
)

func TestBrandPaletteIsReadable(t *testing.T) {
	var colors []string
	for r := 0; r < 256; r += 51 {
		for g := 0; g < 256; g += 51 {
			for b := 0; b < 256; b += 51 {
				colors = append(colors, fmt.Sprintf("#%02x%02x%02x", r, g, b))
			}
		}
	}
	colors = append(colors, "#fc0", "#FFFFFF", "#808080", "#777777", DefaultBrandColor)
	for _, c := range colors {
		p := brandPalette(c)
		if got := contrast(p.Contrast, p.Brand); got < 4.5 {
			t.Errorf("%s: text on brand %.2f:1", c, got)
		}
		if !readableDark(p.DarkInk, p.DarkSoft) {
			t.Errorf("%s: dark ink %s not readable (surface %.2f, bg %.2f, soft %.2f)", c, p.DarkInk.hex(),
				contrast(p.DarkInk, darkSurface), contrast(p.DarkInk, darkBg), contrast(p.DarkInk, p.DarkSoft))
		}
		if !readable(p.Ink, p.Soft) {
			t.Errorf("%s: ink %s not readable (white %.2f, bg %.2f, soft %.2f)", c, p.Ink.hex(),
				contrast(p.Ink, white), contrast(p.Ink, pageBg), contrast(p.Ink, p.Soft))
		}
	}
}

func TestBrandCSSValidatesTheColour(t *testing.T) {
	for in, want := range map[string]string{
		"#1a73e8":                    "--brand:#1a73e8;",
		"#ABC":                       "--brand:#aabbcc;",
		"":                           "--brand:" + DefaultBrandColor + ";",
		"red":                        "--brand:" + DefaultBrandColor + ";",
		"#123456;}body{display:none": "--brand:" + DefaultBrandColor + ";",
		"#12345":                     "--brand:" + DefaultBrandColor + ";",
	} {
		css := string(Layout{Brand: Brand{PrimaryColor: in}}.BrandCSS())
		if !strings.Contains(css, want) || strings.Count(css, "}") != 3 {
			t.Errorf("BrandCSS(%q) = %s, want %s", in, css, want)
		}
	}
}
