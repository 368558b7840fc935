package chart

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestGantt(t *testing.T) {
	rollout := Gantt{Title: "Timeline of Riverside Health rollout", Description: "3 milestones from 5 Jan 2026 to 31 Mar 2026, 1 milestone late.",
		Start: day("2026-01-05"), End: day("2026-03-31"), Today: day("2026-02-10"),
		Bars: []GanttBar{
			{Label: "Kick-off", Start: day("2026-01-05"), End: day("2026-01-16"), Done: true, Progress: 100},
			{Label: "Data migration", Start: day("2026-01-19"), End: day("2026-02-06"), Late: true, Progress: 40},
			{Label: "Go-live", Start: day("2026-02-09"), End: day("2026-03-31"), Progress: 0},
		}}
	for _, tt := range []struct {
		name    string
		g       Gantt
		want    []string
		notWant []string
		rows    int
	}{
		{name: "rollout", g: rollout, rows: 3, want: []string{
			`role="img" aria-labelledby="g-title g-desc"`,
			`<title id="g-title">Timeline of Riverside Health rollout</title><desc id="g-desc">3 milestones from 5 Jan 2026 to 31 Mar 2026, 1 milestone late.</desc>`,
			`<g class="gantt-row is-done"><text class="gantt-label" x="8" y="44.0">Kick-off · Done</text>`,
			// Late: a class, a hatch pattern and the word, not a colour alone.
			`<g class="gantt-row is-late"><text class="gantt-label" x="8" y="90.0">Data migration · Late</text><rect class="gantt-bar"`,
			`fill="url(#g-hatch)"`, `<pattern id="g-hatch"`,
			`Go-live · 0% done`,
			`<g class="gantt-today">`, `>Today</text>`,
			`>Feb 2026</text>`, `>Mar</text>`,
		}},
		{name: "today outside the axis has no line", g: Gantt{Title: "T", Today: day("2027-01-01"),
			Bars: []GanttBar{{Label: "A", Start: day("2026-01-01"), End: day("2026-01-10")}}},
			rows: 1, notWant: []string{"gantt-today"}},
		{name: "hostile text is escaped", g: Gantt{Title: `<script>alert(1)</script>`, Description: `"onload="x`,
			Bars: []GanttBar{{Label: `</text><a href="javascript:x">&`, Start: day("2026-01-01"), End: day("2026-01-02"), Late: true}}},
			rows: 1, want: []string{`&lt;script&gt;alert(1)&lt;/script&gt;`, `&#34;onload=&#34;x`, `&lt;/text&gt;&lt;a href=&#34;javascript:x&#34;&gt;&amp; · Late`},
			notWant: []string{"<script", `<a `, `"onload="`}},
		{name: "a bar with one date is a point, one with none keeps its row", g: Gantt{Title: "T",
			Bars: []GanttBar{{Label: "Due only", End: day("2026-05-01")}, {Label: "Undated"}}},
			rows: 2, want: []string{"Due only · 0% done", "Undated · 0% done", `width="624.0"`}},
		{name: "no bars", g: Gantt{Title: "Empty"}, want: []string{"Nothing to show yet", `<title id="g-title">Empty</title>`}},
		{name: "dates out of order are drawn forwards", g: Gantt{Title: "T",
			Bars: []GanttBar{{Label: "Backwards", Start: day("2026-03-01"), End: day("2026-02-01")}}},
			rows: 1, notWant: []string{`width="-`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := string(tt.g.SVG("g"))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("want %s in\n%s", w, got)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("do not want %s in\n%s", w, got)
				}
			}
			if n := strings.Count(got, `<g class="gantt-row`); n != tt.rows {
				t.Errorf("%d rows, want %d", n, tt.rows)
			}
			if !strings.HasPrefix(got, "<svg") || !strings.HasSuffix(got, "</svg>") {
				t.Errorf("not one svg element: %s", got)
			}
			for _, m := range regexp.MustCompile(`(?:x|width)="(-?[0-9.]+)"`).FindAllStringSubmatch(got, -1) {
				if strings.HasPrefix(m[1], "-") {
					t.Errorf("negative coordinate %s in %s", m[0], got)
				}
			}
		})
	}
}

func TestGanttBarPositions(t *testing.T) {
	// Over a 10-day axis, a bar on days 3 to 4 starts at 2/10 and spans
	// 2/10 of the plot.
	g := Gantt{Title: "T", Start: day("2026-01-01"), End: day("2026-01-10"),
		Bars: []GanttBar{{Label: "B", Start: day("2026-01-03"), End: day("2026-01-04"), Progress: 50}}}
	got := string(g.SVG("g"))
	plot := ganttW - 2*ganttPad
	for _, w := range []string{
		`<rect class="gantt-bar" x="` + f1(ganttPad+plot*0.2) + `" y="50.0" width="` + f1(plot*0.2) + `"`,
		`<rect class="gantt-progress" x="` + f1(ganttPad+plot*0.2) + `" y="61.0" width="` + f1(plot*0.1) + `"`,
	} {
		if !strings.Contains(got, w) {
			t.Errorf("want %s in\n%s", w, got)
		}
	}
}

func f1(v float64) string { return strings.TrimSpace(strings.Replace(fmtF(v), " ", "", -1)) }

func fmtF(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
