package theme

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
)

// DefaultBrandColor is used when a program sets no colour or an invalid one.
const DefaultBrandColor = "#3451b2"

var hexColor = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

type rgb struct{ r, g, b float64 } // 0..255

func parseHex(s string) (rgb, bool) {
	if !hexColor.MatchString(s) {
		return rgb{}, false
	}
	s = s[1:]
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	v, _ := strconv.ParseUint(s, 16, 32)
	return rgb{float64(v >> 16 & 0xff), float64(v >> 8 & 0xff), float64(v & 0xff)}, true
}

func (c rgb) hex() string {
	return fmt.Sprintf("#%02x%02x%02x", int(math.Round(c.r)), int(math.Round(c.g)), int(math.Round(c.b)))
}

// luminance is WCAG 2's relative luminance.
func (c rgb) luminance() float64 {
	lin := func(v float64) float64 {
		v /= 255
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.r) + 0.7152*lin(c.g) + 0.0722*lin(c.b)
}

// contrast is WCAG 2's contrast ratio of two colours, 1 to 21.
func contrast(a, b rgb) float64 {
	la, lb := a.luminance(), b.luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// mix returns c moved towards to by t (0..1), rounded to what hex() writes,
// so contrast is checked on the colour the browser gets.
func mix(c, to rgb, t float64) rgb {
	m := func(a, b float64) float64 { return math.Round(a + (b-a)*t) }
	return rgb{m(c.r, to.r), m(c.g, to.g), m(c.b, to.b)}
}

var (
	white = rgb{255, 255, 255}
	black = rgb{0, 0, 0}
	// pageBg is the lightest-but-one surface of the CSS (--bg); text in the
	// brand colour must be readable on it and on white.
	pageBg = rgb{0xf6, 0xf7, 0xf9}
	// darkSurface, darkBg and darkSunken are --surface, --bg and
	// --surface-sunken of the dark scheme (app.css, prefers-color-scheme).
	darkSurface = rgb{0x16, 0x1a, 0x21}
	darkBg      = rgb{0x0e, 0x11, 0x16}
	darkSunken  = rgb{0x1d, 0x22, 0x2a}
)

// palette is the brand colour and the colours derived from it.
type palette struct {
	Brand    rgb // buttons, the active navigation bar
	Contrast rgb // text on Brand: white or black, whichever reads better
	Ink      rgb // Brand darkened until it reads as text on light surfaces
	Soft     rgb // a light tint of Brand for highlighted backgrounds
	// DarkInk and DarkSoft are Ink and Soft for the dark scheme: Brand
	// lightened until it reads on dark surfaces, and a dark tint of it.
	DarkInk  rgb
	DarkSoft rgb
}

// brandPalette derives the palette from a #rgb or #rrggbb colour, with WCAG
// AA contrast (4.5:1) for every pairing the CSS uses: Contrast on Brand, and
// Ink on white, on the page background and on Soft.
func brandPalette(color string) palette {
	c, ok := parseHex(color)
	if !ok {
		c, _ = parseHex(DefaultBrandColor)
	}
	p := palette{Brand: c, Contrast: white, Soft: mix(c, white, 0.9)}
	if contrast(black, c) > contrast(white, c) {
		p.Contrast = black
	}
	p.Ink = c
	for i := 1; i <= 20 && !readable(p.Ink, p.Soft); i++ {
		p.Ink = mix(c, black, float64(i)*0.05)
	}
	p.DarkSoft = mix(c, darkSurface, 0.8)
	p.DarkInk = c
	for i := 1; i <= 20 && !readableDark(p.DarkInk, p.DarkSoft); i++ {
		p.DarkInk = mix(c, white, float64(i)*0.05)
	}
	return p
}

// readableDark reports whether ink reads as text (4.5:1) on the dark
// scheme's surfaces and on soft.
func readableDark(ink, soft rgb) bool {
	return contrast(ink, darkSurface) >= 4.5 && contrast(ink, darkBg) >= 4.5 && contrast(ink, darkSunken) >= 4.5 && contrast(ink, soft) >= 4.5
}

// readable reports whether ink reads as text (4.5:1) on white, on the page
// background and on soft.
func readable(ink, soft rgb) bool {
	return contrast(ink, white) >= 4.5 && contrast(ink, pageBg) >= 4.5 && contrast(ink, soft) >= 4.5
}

// BrandColor is the program's colour as the pages use it (#rrggbb), the
// default when the program's is missing or not a colour.
func BrandColor(color string) string {
	return brandPalette(color).Brand.hex()
}
