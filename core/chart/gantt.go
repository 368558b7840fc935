package chart

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"
)

// Gantt is a timeline of dated bars (a project's milestones): one row per
// bar, the label above its bar so it stays readable on a phone, the month
// boundaries as a scale, and a line at today. It is one image to assistive
// technology (role="img", named by its title and described by its
// description); the theme puts the same dates in a table beside it.
//
// A late bar is drawn hatched, outlined with a dashed line and labelled
// "late" in words, so lateness never rests on colour alone.
type Gantt struct {
	Title       string
	Description string
	// Start and End bound the axis; zero fits it to the bars.
	Start, End time.Time
	// Today, when inside the axis, is drawn as a line.
	Today time.Time
	Bars  []GanttBar
	// Words are the chart's words in the reader's language; nil is
	// English.
	Words *GanttWords
}

// GanttWords word a chart for its reader. Every field is needed.
type GanttWords struct {
	Done, Late, Today, Empty string
	// Progress is a bar's state while it runs: "40% done".
	Progress func(percent int) string
	// Tick is a month of the scale, with its year or without: "Feb",
	// "Jan 2027".
	Tick func(month time.Time, withYear bool) string
}

// english is the chart's words when it is given none.
var english = GanttWords{Done: "Done", Late: "Late", Today: "Today", Empty: "Nothing to show yet",
	Progress: func(p int) string { return strconv.Itoa(p) + "% done" },
	Tick: func(t time.Time, withYear bool) string {
		if withYear {
			return t.Format("Jan 2006")
		}
		return t.Format("Jan")
	}}

func (g Gantt) words() *GanttWords {
	if g.Words == nil {
		return &english
	}
	return g.Words
}

// GanttBar is one row. A bar with only one of its dates is a point on it;
// one with neither keeps its row, labelled, without a bar.
type GanttBar struct {
	Label      string
	Start, End time.Time
	Progress   int // 0–100
	Done, Late bool
}

// the drawing's geometry, in SVG user units.
const (
	ganttW     = 640.0
	ganttPad   = 8.0
	ganttAxisH = 30.0
	ganttRowH  = 46.0
	ganttBarH  = 16.0
	ganttMaxTk = 8
)

// State names a bar's state in words, for its label and the table.
func (g Gantt) State(b GanttBar) string {
	w := g.words()
	switch {
	case b.Done:
		return w.Done
	case b.Late:
		return w.Late
	}
	return w.Progress(min(max(b.Progress, 0), 100))
}

// bounds is the axis: the given one, widened to take in every bar, at
// least a day long.
func (g Gantt) bounds() (time.Time, time.Time, bool) {
	lo, hi := g.Start, g.End
	for _, b := range g.Bars {
		for _, t := range []time.Time{b.Start, b.End} {
			if t.IsZero() {
				continue
			}
			if lo.IsZero() || t.Before(lo) {
				lo = t
			}
			if hi.IsZero() || t.After(hi) {
				hi = t
			}
		}
	}
	if lo.IsZero() && hi.IsZero() {
		return lo, hi, false
	}
	if lo.IsZero() {
		lo = hi
	}
	if hi.IsZero() {
		hi = lo
	}
	if hi.Before(lo) {
		lo, hi = hi, lo
	}
	// The end day is drawn whole.
	hi = hi.AddDate(0, 0, 1)
	return lo, hi, true
}

// SVG draws the chart. id must be unique in the page: the title,
// description and hatch pattern take their ids from it.
func (g Gantt) SVG(id string) template.HTML {
	h := ganttAxisH + ganttRowH*float64(max(len(g.Bars), 1)) + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart chart-gantt" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-title %s-desc" preserveAspectRatio="xMinYMin meet">`,
		ganttW, h, esc(id), esc(id))
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(id), esc(g.Title), esc(id), esc(g.Description))
	lo, hi, ok := g.bounds()
	if !ok || len(g.Bars) == 0 {
		fmt.Fprintf(&b, `<text class="chart-empty" x="%g" y="%g" text-anchor="middle">%s</text></svg>`, ganttW/2, h/2, esc(g.words().Empty))
		return template.HTML(b.String())
	}
	fmt.Fprintf(&b, `<defs><pattern id="%s-hatch" class="gantt-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8"/><line x1="0" y1="0" x2="0" y2="8"/></pattern></defs>`, esc(id))
	span := hi.Sub(lo).Hours()
	plotW := ganttW - 2*ganttPad
	x := func(t time.Time) float64 { return ganttPad + plotW*t.Sub(lo).Hours()/span }

	// The scale: the first of each month (every few months on a long
	// axis), or the two ends when the axis is shorter than a month.
	b.WriteString(`<g class="chart-grid">`)
	var ticks []time.Time
	for t := time.Date(lo.Year(), lo.Month(), 1, 0, 0, 0, 0, lo.Location()); t.Before(hi); t = t.AddDate(0, 1, 0) {
		if !t.Before(lo) {
			ticks = append(ticks, t)
		}
	}
	step := max(1, (len(ticks)+ganttMaxTk-1)/ganttMaxTk)
	if len(ticks) == 0 {
		ticks, step = []time.Time{lo}, 1
	}
	for i := 0; i < len(ticks); i += step {
		tx := x(ticks[i])
		withYear := i == 0 || ticks[i].Month() == time.January
		anchor := "start"
		if tx > ganttW-60 {
			anchor = "end"
		}
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%g" y2="%g"/><text class="axis-x" x="%.1f" y="%g" text-anchor="%s">%s</text>`,
			tx, tx, ganttAxisH-6, h-4, tx+2, ganttAxisH-8, anchor, esc(g.words().Tick(ticks[i], withYear)))
	}
	b.WriteString(`</g>`)

	for i, bar := range g.Bars {
		top := ganttAxisH + ganttRowH*float64(i)
		cls := "gantt-row"
		switch {
		case bar.Done:
			cls += " is-done"
		case bar.Late:
			cls += " is-late"
		}
		fmt.Fprintf(&b, `<g class="%s">`, cls)
		fmt.Fprintf(&b, `<text class="gantt-label" x="%g" y="%.1f">%s</text>`, ganttPad, top+14, esc(truncate(bar.Label, 60)+" · "+g.State(bar)))
		s, e := bar.Start, bar.End
		if s.IsZero() {
			s = e
		}
		if e.IsZero() {
			e = s
		}
		if !s.IsZero() {
			if e.Before(s) {
				s, e = e, s
			}
			x0, x1 := x(s), x(e.AddDate(0, 0, 1))
			w := math.Max(x1-x0, 4)
			y := top + 20
			fill := ""
			if bar.Late && !bar.Done {
				fill = fmt.Sprintf(` fill="url(#%s-hatch)"`, esc(id))
			}
			fmt.Fprintf(&b, `<rect class="gantt-bar" x="%.1f" y="%.1f" width="%.1f" height="%g" rx="3"%s/>`, x0, y, w, ganttBarH, fill)
			if p := min(max(bar.Progress, 0), 100); p > 0 {
				fmt.Fprintf(&b, `<rect class="gantt-progress" x="%.1f" y="%.1f" width="%.1f" height="%g" rx="3"/>`, x0, y+ganttBarH-5, w*float64(p)/100, 5.0)
			}
		}
		b.WriteString(`</g>`)
	}

	if !g.Today.IsZero() && !g.Today.Before(lo) && g.Today.Before(hi) {
		tx := x(g.Today) + plotW/span*12 // the middle of the day
		anchor := "middle"
		switch {
		case tx < 30:
			anchor = "start"
		case tx > ganttW-30:
			anchor = "end"
		}
		fmt.Fprintf(&b, `<g class="gantt-today"><line x1="%.1f" x2="%.1f" y1="%g" y2="%g"/><text x="%.1f" y="%g" text-anchor="%s">%s</text></g>`,
			tx, tx, ganttAxisH-2, h-4, tx, 10.0, anchor, esc(g.words().Today))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // built from escaped text and numbers only
}
