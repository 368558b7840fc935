package chart

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestLineSVG(t *testing.T) {
	c := Line{Title: "Sessions <and> users", Labels: []string{"1 Nov", "2 Nov", `"3 Nov"`},
		Series: []Series{
			{Name: "Sessions", Values: []float64{12, 30, 7}},
			{Name: "Page views", Values: []float64{40, 95, 21}},
			{Name: "Unique users", Values: []float64{5, 9, 3}, Right: true},
		}}
	svg := string(c.SVG())
	doc, err := html.Parse(strings.NewReader("<body>" + svg))
	if err != nil {
		t.Fatal(err)
	}
	var points, polylines int
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") || a.Key == "style" {
					t.Errorf("attribute %s in chart", a.Key)
				}
				if a.Key == "class" && a.Val == "point" {
					points++
				}
			}
			switch n.Data {
			case "script", "foreignobject":
				t.Errorf("<%s> in chart", n.Data)
			case "polyline":
				polylines++
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if points != 9 || polylines != 3 {
		t.Errorf("%d points and %d lines, want 9 and 3", points, polylines)
	}
	for _, want := range []string{`aria-label="Sessions &lt;and&gt; users"`, `&#34;3 Nov&#34;: Page views 21`, `tabindex="0"`, `class="axis-right"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	tbl := c.Table()
	if len(tbl.Rows) != 3 || strings.Join(tbl.Rows[1], "|") != "2 Nov|30|95|9" {
		t.Errorf("table rows %v", tbl.Rows)
	}
}

func TestEmptyCharts(t *testing.T) {
	for _, tc := range []struct {
		name, empty, want string
	}{
		{"in English by default", "", "No data for this period"},
		{"in the reader's words", "Keine Daten für diesen Zeitraum", "Keine Daten für diesen Zeitraum"},
		{"escaped", "<b>", "&lt;b&gt;"},
	} {
		line, bars := string(Line{Title: "x", Empty: tc.empty}.SVG()), string(Bars{Title: "x", Empty: tc.empty}.SVG())
		if !strings.Contains(line, tc.want) || !strings.Contains(bars, tc.want) {
			t.Errorf("%s: empty charts do not say %q:\n%s\n%s", tc.name, tc.want, line, bars)
		}
	}
}

func TestBarsFunnel(t *testing.T) {
	svg := string(Bars{Title: "Funnel", Labels: []string{"Submitted", "Qualified", "Won"}, Values: []float64{200, 84, 21}, Funnel: true}.SVG())
	for _, want := range []string{"Qualified: 84 (42%)", "Won: 21 (11%)", "Submitted: 200<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("funnel lacks %q", want)
		}
	}
}

func TestFormats(t *testing.T) {
	tests := []struct{ got, want string }{
		{Number(1234567), "1,234,567"}, {Number(-999), "-999"}, {Number(0), "0"},
		{Compact(950), "950"}, {Compact(1200), "1.2k"}, {Compact(2000), "2k"}, {Compact(3_400_000), "3.4M"},
		{Percent(0.423), "42%"}, {Duration(65), "1m 05s"}, {Duration(3725), "1h 02m"}, {Duration(9), "9s"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	for in, want := range map[float64]float64{0: 1, 7: 10, 12: 20, 230: 250, 480: 500, 1001: 2000} {
		if got := niceMax(in); got != want {
			t.Errorf("niceMax(%g) = %g, want %g", in, got, want)
		}
	}
}

func TestSparkSVG(t *testing.T) {
	for _, tc := range []struct {
		name    string
		c       Spark
		want    []string
		notWant []string
	}{
		{"named, with the numbers", Spark{Label: `Leads per month <Jul> to Dec: 0, 2, 7`, Values: []float64{0, 2, 7}},
			[]string{`role="img" aria-label="Leads per month &lt;Jul&gt; to Dec: 0, 2, 7"`, `<polyline points="3.0,29.0 60.0,21.6 117.0,3.0"/>`, `<circle cx="117.0" cy="3.0" r="3"/>`},
			[]string{"<Jul>", `aria-hidden`}},
		{"unnamed is hidden from screen readers", Spark{Values: []float64{0, 0}},
			[]string{`aria-hidden="true"`, `<polyline points="3.0,29.0 117.0,29.0"/>`}, []string{`role="img"`}},
		{"negative values stay inside", Spark{Label: "x", Values: []float64{-2, 2}},
			[]string{`<polyline points="3.0,29.0 117.0,3.0"/>`}, nil},
		{"no values, no drawing", Spark{Label: "x"}, nil, []string{"<svg"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svg := string(tc.c.SVG())
			for _, w := range tc.want {
				if !strings.Contains(svg, w) {
					t.Errorf("want %s in %s", w, svg)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(svg, w) {
					t.Errorf("did not want %s in %s", w, svg)
				}
			}
		})
	}
}
