// Package chart draws the dashboards' charts as SVG on the server: no
// script, no CDN, nothing the Content-Security-Policy has to allow. Every
// data point is a focusable element with its exact value, so keyboard and
// screen reader users get what a mouse user gets from hovering, and every
// chart comes with the same numbers as a table (see Table).
//
// Colours are classes (series-1, series-2, ...) that the theme styles.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Series is one line or set of bars.
type Series struct {
	Name   string
	Values []float64
	// Right puts the series on the right-hand axis (a line chart's second
	// scale, for values of another magnitude).
	Right bool
	// Format shows a value (default: whole numbers with thousands
	// separators).
	Format func(float64) string
}

func (s Series) format(v float64) string {
	if s.Format != nil {
		return s.Format(v)
	}
	return Number(v)
}

// Line is a line chart over labelled points (days, weeks, months).
type Line struct {
	Title  string // the chart's accessible name
	Labels []string
	Series []Series
	// Empty is what the chart says when it has no points, in the reader's
	// language; "" is English.
	Empty string
}

// emptyText is what a chart without data says.
func emptyText(s string) string {
	if s == "" {
		return "No data for this period"
	}
	return s
}

// geometry of the drawing, in SVG user units; the SVG scales to its box.
const (
	width   = 720.0
	height  = 280.0
	padL    = 56.0
	padR    = 56.0
	padT    = 16.0
	padB    = 40.0
	plotW   = width - padL - padR
	plotH   = height - padT - padB
	gridN   = 4
	maxTick = 8 // labels shown on the x axis at most
)

// SVG draws the chart.
func (c Line) SVG() template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart chart-line" viewBox="0 0 %g %g" role="group" aria-label="%s" preserveAspectRatio="xMidYMid meet">`,
		width, height, esc(c.Title))
	if len(c.Labels) == 0 || len(c.Series) == 0 {
		fmt.Fprintf(&b, `<text class="chart-empty" x="%g" y="%g" text-anchor="middle">%s</text></svg>`, width/2, height/2, esc(emptyText(c.Empty)))
		return template.HTML(b.String())
	}
	leftMax, rightMax := 0.0, 0.0
	hasRight := false
	for _, s := range c.Series {
		for _, v := range s.Values {
			if s.Right {
				rightMax, hasRight = math.Max(rightMax, v), true
			} else {
				leftMax = math.Max(leftMax, v)
			}
		}
	}
	leftMax, rightMax = niceMax(leftMax), niceMax(rightMax)
	n := len(c.Labels)
	x := func(i int) float64 {
		if n == 1 {
			return padL + plotW/2
		}
		return padL + plotW*float64(i)/float64(n-1)
	}
	y := func(v, max float64) float64 { return padT + plotH - plotH*v/max }

	// Grid and axes.
	b.WriteString(`<g class="chart-grid" aria-hidden="true">`)
	for i := 0; i <= gridN; i++ {
		gy := padT + plotH*float64(i)/gridN
		fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%.1f" y2="%.1f"/>`, padL, padL+plotW, gy, gy)
		lv := leftMax * float64(gridN-i) / gridN
		fmt.Fprintf(&b, `<text class="axis-left" x="%g" y="%.1f" text-anchor="end" dominant-baseline="middle">%s</text>`, padL-8, gy, esc(Compact(lv)))
		if hasRight {
			rv := rightMax * float64(gridN-i) / gridN
			fmt.Fprintf(&b, `<text class="axis-right" x="%g" y="%.1f" text-anchor="start" dominant-baseline="middle">%s</text>`, padL+plotW+8, gy, esc(Compact(rv)))
		}
	}
	step := max(1, (n+maxTick-1)/maxTick)
	for i := 0; i < n; i += step {
		fmt.Fprintf(&b, `<text class="axis-x" x="%.1f" y="%g" text-anchor="middle">%s</text>`, x(i), height-padB+20, esc(c.Labels[i]))
	}
	b.WriteString(`</g>`)

	// Lines and points.
	for si, s := range c.Series {
		max := leftMax
		if s.Right {
			max = rightMax
		}
		cls := "series-" + strconv.Itoa(si+1)
		fmt.Fprintf(&b, `<g class="chart-series %s" role="list" aria-label="%s">`, cls, esc(s.Name))
		var pts []string
		for i, v := range s.Values {
			if i >= n {
				break
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v, max)))
		}
		fmt.Fprintf(&b, `<polyline points="%s" aria-hidden="true"/>`, strings.Join(pts, " "))
		for i, v := range s.Values {
			if i >= n {
				break
			}
			label := c.Labels[i] + ": " + s.Name + " " + s.format(v)
			fmt.Fprintf(&b, `<g class="point" role="listitem" tabindex="0" aria-label="%s"><title>%s</title><circle cx="%.1f" cy="%.1f" r="4"/><text class="point-value" x="%.1f" y="%.1f" text-anchor="middle">%s</text></g>`,
				esc(label), esc(label), x(i), y(v, max), x(i), math.Max(12, y(v, max)-10), esc(s.format(v)))
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // built from escaped text and numbers only
}

// Bars is a horizontal bar chart: one bar per label, for funnels and
// breakdowns (pipeline by stage, top partners).
type Bars struct {
	Title  string
	Labels []string
	Values []float64
	Format func(float64) string
	// Funnel adds each bar's share of the first bar ("42% of submitted").
	Funnel bool
	// Empty is what the chart says when it has no bars (see Line.Empty).
	Empty string
}

// SVG draws the bars.
func (c Bars) SVG() template.HTML {
	// Narrower than a line chart: drawn at a phone's width, the labels stay
	// readable there, and the theme caps how wide it grows on a desk.
	const rowH, labelW, valueW, width = 34.0, 110.0, 120.0, 360.0
	h := math.Max(rowH, rowH*float64(len(c.Labels))) + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart chart-bars" viewBox="0 0 %g %g" role="list" aria-label="%s" preserveAspectRatio="xMinYMin meet">`, width, h, esc(c.Title))
	if len(c.Labels) == 0 {
		fmt.Fprintf(&b, `<text class="chart-empty" x="%g" y="%g" text-anchor="middle">%s</text></svg>`, width/2, h/2, esc(emptyText(c.Empty)))
		return template.HTML(b.String())
	}
	top := 0.0
	for _, v := range c.Values {
		top = math.Max(top, v)
	}
	format := c.Format
	if format == nil {
		format = Number
	}
	barMax := width - labelW - valueW
	for i, l := range c.Labels {
		v := 0.0
		if i < len(c.Values) {
			v = c.Values[i]
		}
		w := 0.0
		if top > 0 {
			w = barMax * v / top
		}
		text := format(v)
		if c.Funnel && i > 0 && len(c.Values) > 0 && c.Values[0] > 0 {
			text += fmt.Sprintf(" (%s)", Percent(v/c.Values[0]))
		}
		yy := float64(i)*rowH + 4
		fmt.Fprintf(&b, `<g class="bar" role="listitem" tabindex="0" aria-label="%s: %s"><title>%s: %s</title>`, esc(l), esc(text), esc(l), esc(text))
		fmt.Fprintf(&b, `<text class="bar-label" x="%g" y="%.1f" dominant-baseline="middle">%s</text>`, 0.0, yy+rowH/2-4, esc(truncate(l, 16)))
		fmt.Fprintf(&b, `<rect x="%g" y="%.1f" width="%.1f" height="%g" rx="3"/>`, labelW, yy, math.Max(w, 1), rowH-12)
		fmt.Fprintf(&b, `<text class="bar-value" x="%.1f" y="%.1f" dominant-baseline="middle">%s</text></g>`, labelW+math.Max(w, 1)+8, yy+rowH/2-4, esc(text))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // built from escaped text and numbers only
}

// Table is the same data as a chart, for an accessible table view.
type Table struct {
	Caption string
	Columns []string
	Rows    [][]string
}

// LineTable is a line chart's data as a table: a row per label.
func (c Line) Table() Table {
	t := Table{Caption: c.Title, Columns: []string{""}}
	for _, s := range c.Series {
		t.Columns = append(t.Columns, s.Name)
	}
	for i, l := range c.Labels {
		row := []string{l}
		for _, s := range c.Series {
			if i < len(s.Values) {
				row = append(row, s.format(s.Values[i]))
			} else {
				row = append(row, "")
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// niceMax rounds a maximum up to 1, 2, 2.5 or 5 times a power of ten, so grid
// lines fall on round numbers.
func niceMax(v float64) float64 {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// Number formats a whole number with thousands separators (12,345).
func Number(v float64) string {
	n := int64(math.Round(v))
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var out []byte
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, c)
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// Compact formats a number for an axis: 950, 1.2k, 3.4M.
func Compact(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return trimZero(strconv.FormatFloat(v/1e6, 'f', 1, 64)) + "M"
	case a >= 1e3:
		return trimZero(strconv.FormatFloat(v/1e3, 'f', 1, 64)) + "k"
	case a == math.Trunc(a):
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// Percent formats a share (0.423 -> "42%").
func Percent(share float64) string {
	if math.IsNaN(share) || math.IsInf(share, 0) {
		return "—"
	}
	return strconv.FormatFloat(math.Round(share*100), 'f', 0, 64) + "%"
}

// Duration formats seconds as "4m 05s" or "1h 02m".
func Duration(seconds float64) string {
	s := int64(math.Round(seconds))
	switch {
	case s >= 3600:
		return fmt.Sprintf("%dh %02dm", s/3600, (s%3600)/60)
	case s >= 60:
		return fmt.Sprintf("%dm %02ds", s/60, s%60)
	}
	return fmt.Sprintf("%ds", s)
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func esc(s string) string { return html.EscapeString(s) }

// Spark is a sparkline: one figure over its recent periods, small enough
// to sit in a metric tile. It is one image: role="img" named by Label,
// which should give the numbers, or hidden from screen readers when Label
// is empty (the numbers are then in the text beside it). The last point,
// the current period, is marked.
type Spark struct {
	Label  string
	Values []float64
}

// SVG draws the sparkline; no values draw nothing.
func (c Spark) SVG() template.HTML {
	const w, h, pad = 120.0, 32.0, 3.0
	if len(c.Values) == 0 {
		return ""
	}
	lo, hi := c.Values[0], c.Values[0]
	for _, v := range c.Values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	lo = math.Min(lo, 0) // bars of money and counts start at zero
	n := len(c.Values)
	x := func(i int) float64 {
		if n == 1 {
			return w / 2
		}
		return pad + (w-2*pad)*float64(i)/float64(n-1)
	}
	y := func(v float64) float64 {
		if hi == lo {
			return h - pad
		}
		return h - pad - (h-2*pad)*(v-lo)/(hi-lo)
	}
	var b strings.Builder
	if c.Label == "" {
		fmt.Fprintf(&b, `<svg class="chart chart-spark series-1" viewBox="0 0 %g %g" aria-hidden="true" focusable="false">`, w, h)
	} else {
		fmt.Fprintf(&b, `<svg class="chart chart-spark series-1" viewBox="0 0 %g %g" role="img" aria-label="%s"><title>%s</title>`, w, h, esc(c.Label), esc(c.Label))
	}
	pts := make([]string, n)
	for i, v := range c.Values {
		pts[i] = fmt.Sprintf("%.1f,%.1f", x(i), y(v))
	}
	fmt.Fprintf(&b, `<polygon class="spark-area" points="%.1f,%g %s %.1f,%g"/>`, x(0), h-pad, strings.Join(pts, " "), x(n-1), h-pad)
	fmt.Fprintf(&b, `<polyline points="%s"/>`, strings.Join(pts, " "))
	fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3"/></svg>`, x(n-1), y(c.Values[n-1]))
	return template.HTML(b.String()) // built from escaped text and numbers only
}
