package theme

import (
	"html/template"
	"time"

	"github.com/atriumhq/atrium/core/chart"
	"github.com/atriumhq/atrium/sdk/i18n"
	"github.com/atriumhq/atrium/sdk/ui"
)

// TimelineView is what the timeline template draws: the chart, and the
// same dates as rows of its table.
type TimelineView struct {
	SVG       template.HTML
	ItemLabel string
	Rows      []TimelineRow
}

// TimelineRow is one bar as a table row.
type TimelineRow struct {
	Label, Href, Start, End, State string
	Late                           bool
}

// timeline is the "timeline" template func: it draws a ui.Timeline with
// core/chart and lays its bars out for the table, in the reader's
// language. id makes the SVG's element ids unique in the page.
func timeline(l *i18n.Locale, c ui.Timeline, id string) TimelineView {
	g := chart.Gantt{Title: c.Title, Description: c.Description, Start: isoDay(c.Start), End: isoDay(c.End), Today: isoDay(c.Today),
		Words: &chart.GanttWords{Done: l.T("timeline.done"), Late: l.T("timeline.late"), Today: l.T("timeline.today"),
			Empty:    l.T("timeline.empty"),
			Progress: func(p int) string { return l.T("timeline.progress", "Percent", l.Int(int64(p))) },
			Tick:     l.Month}}
	v := TimelineView{ItemLabel: c.ItemLabel}
	if v.ItemLabel == "" {
		v.ItemLabel = l.T("timeline.item")
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return l.Date(t)
	}
	for _, b := range c.Bars {
		bar := chart.GanttBar{Label: b.Label, Start: isoDay(b.Start), End: isoDay(b.End), Progress: b.Progress, Done: b.Done, Late: b.Late}
		g.Bars = append(g.Bars, bar)
		v.Rows = append(v.Rows, TimelineRow{Label: b.Label, Href: b.Href, Start: date(bar.Start), End: date(bar.End), State: g.State(bar), Late: b.Late && !b.Done})
	}
	v.SVG = g.SVG(id)
	return v
}

// isoDay reads a "YYYY-MM-DD" date; anything else is no date.
func isoDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
