package theme

import (
	"html/template"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/markdown"
	"github.com/atriumhq/atrium/sdk/ui"
)

func load(t testing.TB, dir string) *Theme {
	t.Helper()
	th, err := Load(Options{Dir: dir, Markdown: markdown.New(markdown.Options{}), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return th
}

// blockContext is what the web layer passes: action URLs, a token that names
// the action, and an embed allowlist of one host.
func blockContext() *BlockContext {
	return &BlockContext{
		BlockID:   "intro",
		ActionURL: func(name string) string { return "/rooms/welcome/blocks/intro/actions/" + url.PathEscape(name) },
		Token:     func(a ui.Action) string { return "signed." + a.Name + "." + a.State },
		EmbedAllowed: func(u string) bool {
			p, err := url.Parse(u)
			return err == nil && p.Scheme == "https" && p.Host == "embed.example.com"
		},
	}
}

// samples holds a representative component of every kind, and a piece of
// what each must draw.
var samples = map[string]struct {
	c    ui.Component
	want string
}{
	"stack":     {ui.Stack{Children: ui.Children{ui.Text{Text: "inside a stack"}}}, `<div class="stack"><p class="text">inside a stack</p></div>`},
	"columns":   {ui.Columns{Count: 3, Children: ui.Children{ui.Text{Text: "a"}, ui.Text{Text: "b"}}}, `<div class="columns cols-3"><div class="column"><p class="text">a</p></div>`},
	"heading":   {ui.Heading{Text: "Next steps", Level: 3}, `<h3 class="heading">Next steps</h3>`},
	"text":      {ui.Text{Text: "Plain words", Muted: true}, `<p class="text muted">Plain words</p>`},
	"markdown":  {ui.Markdown{Source: "**Bold** move"}, `<div class="prose"><p><strong>Bold</strong> move</p>`},
	"image":     {ui.Image{URL: "https://cdn.example.com/a.png", Alt: "Logo", Caption: "Our logo", Width: 640, Height: 480}, `<img src="https://cdn.example.com/a.png" alt="Logo" width="640" height="480" loading="lazy"`},
	"video":     {ui.Video{Title: "Kick-off", EmbedURL: "https://www.youtube-nocookie.com/embed/abc", Provider: "youtube"}, `<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Kick-off" loading="lazy" referrerpolicy="strict-origin-when-cross-origin" sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"`},
	"embed":     {ui.Embed{URL: "https://embed.example.com/board", Title: "Roadmap", Height: 500}, `<iframe src="https://embed.example.com/board" title="Roadmap" height="500" loading="lazy"`},
	"button":    {ui.Button{Label: "Open deals", Href: "/rooms/deals", Variant: "secondary"}, `<a class="btn btn-secondary" href="/rooms/deals"><span>Open deals</span></a>`},
	"actionbar": {ui.ActionBar{Buttons: []ui.Button{{Label: "One", Href: "/a"}, {Label: "Two", Href: "/b"}}}, `<div class="actionbar"><a class="btn btn-primary" href="/a"><span>One</span></a><a class="btn btn-primary" href="/b">`},
	"card":      {ui.Card{Title: "Pipeline", Href: "/rooms/deals", Body: ui.Children{ui.Text{Text: "5 open"}}, Footer: ui.Children{ui.Link{Text: "All", Href: "/all"}}}, `<h2 class="card-title"><a href="/rooms/deals">Pipeline</a></h2>`},
	"list":      {ui.List{Items: []ui.ListItem{{Title: "Price list", Href: "/files/1", Meta: "2 MB", Badge: &ui.Badge{Text: "New", Tone: ui.ToneInfo}}}}, `<span class="list-title"><a href="/files/1">Price list</a></span>`},
	"table":     {ui.Table{Caption: "Deals", Columns: []ui.TableColumn{{Label: "Name"}, {Label: "Value", Align: "right"}}, Rows: []ui.TableRow{{Cells: ui.Children{ui.Text{Text: "Acme"}, ui.Text{Text: "$5"}}}}}, `<td class="align-right"><p class="text">$5</p></td>`},
	"metric":    {ui.Metric{Label: "Open deals", Value: "12", Delta: "+3", Tone: ui.ToneSuccess}, `<p class="metric-value">12</p>`},
	"progress":  {ui.Progress{Label: "Onboarding", Value: 3, Max: 5, Text: "3 of 5 tasks"}, `<progress id="b-intro-1-bar" value="3" max="5">3 of 5 tasks</progress>`},
	"timeline": {ui.Timeline{Title: "Timeline of Rollout", Description: "2 milestones, 1 late.", Start: "2026-01-05", End: "2026-03-31", Today: "2026-02-10", ItemLabel: "Milestone",
		Bars: []ui.TimelineBar{{Label: "Kick-off", Start: "2026-01-05", End: "2026-01-20", Done: true, Href: "/rooms/projects/items/1/milestones/1"},
			{Label: "Go-live", Start: "2026-01-20", End: "2026-02-01", Late: true, Progress: 40}}},
		`<tr><th scope="row"><a href="/rooms/projects/items/1/milestones/1">Kick-off</a></th><td>5 Jan 2026</td><td>20 Jan 2026</td><td>Done</td></tr>`},
	"board": {ui.Board{Label: "Tasks by status", Field: "status", Submit: "Move", Empty: "Nothing here.", Columns: []ui.BoardColumn{
		{Value: "todo", Label: "To do", Title: "To do (1)", Cards: []ui.BoardCard{{Title: "Go <live>", Href: "/rooms/projects/items/1/tasks/2",
			Lines: []string{"1 of 2 checked"}, Move: ui.Action{Name: "move", State: "1:2"}, MoveLabel: "Move “Go <live>” to"}}},
		{Value: "done", Label: "Done"}}},
		`<h3 class="board-card-title"><a href="/rooms/projects/items/1/tasks/2">Go &lt;live&gt;</a></h3>`},
	"person":  {ui.Person{Name: "Dana Reyes", Title: "Partner manager", Email: "dana@example.com", Phone: "+1 (555) 010-2000", Bio: "Ask me *anything*."}, `<a href="tel:&#43;15550102000">&#43;1 (555) 010-2000</a>`},
	"callout": {ui.Callout{Tone: ui.ToneWarning, Title: "Heads up", Body: "Read the [guide](/g)."}, `<div class="callout tone-warning" role="note">`},
	"banner":  {ui.Banner{Tone: ui.ToneInfo, Text: "New pricing", LinkLabel: "See", LinkURL: "/pricing"}, `<p class="banner-text">New pricing <a href="/pricing">See</a></p>`},
	"badge":   {ui.Badge{Text: "Gold", Tone: ui.ToneSuccess}, `<span class="badge tone-success">Gold</span>`},
	"empty":   {ui.Empty{Title: "No deals yet", Description: "Register one.", Action: &ui.Button{Label: "Register", Href: "/new"}}, `<p class="empty-title">No deals yet</p>`},
	"divider": {ui.Divider{}, `<hr class="divider">`},
	"link":    {ui.Link{Text: "Docs", Href: "https://docs.example.com", External: true}, `<a class="link" href="https://docs.example.com" target="_blank" rel="noopener noreferrer">Docs`},
	"form":    {ui.Form{Action: ui.Action{Name: "register", State: "s1"}, Fields: []ui.Field{{Name: "company", Label: "Company", Required: true}}}, `<form method="post" action="/rooms/welcome/blocks/intro/actions/register" class="form">`},
}

func TestEveryKindHasATemplateAndSample(t *testing.T) {
	kinds := ui.Kinds()
	slices.Sort(kinds)
	for _, k := range kinds {
		if _, err := os.Stat(filepath.Join("..", "..", "themes", "default", "components", k+".html")); err != nil {
			t.Errorf("kind %q has no template: %v", k, err)
		}
		if _, ok := samples[k]; !ok {
			t.Errorf("kind %q has no sample in this test", k)
		}
	}
}

func TestEveryKindRenders(t *testing.T) {
	th := load(t, "")
	for kind, s := range samples {
		t.Run(kind, func(t *testing.T) {
			if s.c.Kind() != kind {
				t.Fatalf("sample for %q is a %q", kind, s.c.Kind())
			}
			got, err := th.Component(s.c, blockContext())
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(got), s.want) {
				t.Errorf("got\n%s\nwant it to contain\n%s", got, s.want)
			}
			assertCSPSafe(t, string(got))
		})
	}
}

// TestPersonResponsibilitiesHeading: a block words the heading over what
// a person is reached for in its reader's language; without it, English.
func TestPersonResponsibilitiesHeading(t *testing.T) {
	th := load(t, "")
	for _, tc := range []struct {
		heading, want string
	}{{"", ">Reach out about</p>"}, {"Ansprechpartner für", ">Ansprechpartner für</p>"}} {
		got, err := th.Component(ui.Person{Name: "Mike", Responsibilities: []string{"Deal registration"}, ResponsibilitiesTitle: tc.heading}, blockContext())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(got), tc.want) || !strings.Contains(string(got), "<li>Deal registration</li>") {
			t.Errorf("heading %q: %s", tc.heading, got)
		}
	}
}

func TestPointerAndValueComponentsDrawTheSame(t *testing.T) {
	th := load(t, "")
	for kind, s := range samples {
		t.Run(kind, func(t *testing.T) {
			val, err := th.Component(s.c, blockContext())
			if err != nil {
				t.Fatal(err)
			}
			ptr, err := th.Component(pointerTo(s.c), blockContext())
			if err != nil {
				t.Fatal(err)
			}
			if val != ptr {
				t.Errorf("value and pointer differ:\n%s\n%s", val, ptr)
			}
		})
	}
}

// pointerTo returns a *T holding the component's value.
func pointerTo(c ui.Component) ui.Component {
	switch v := c.(type) {
	case ui.Stack:
		return &v
	case ui.Columns:
		return &v
	case ui.Board:
		return &v
	case ui.Heading:
		return &v
	case ui.Text:
		return &v
	case ui.Markdown:
		return &v
	case ui.Image:
		return &v
	case ui.Video:
		return &v
	case ui.Embed:
		return &v
	case ui.Button:
		return &v
	case ui.ActionBar:
		return &v
	case ui.Card:
		return &v
	case ui.List:
		return &v
	case ui.Table:
		return &v
	case ui.Metric:
		return &v
	case ui.Progress:
		return &v
	case ui.Timeline:
		return &v
	case ui.Person:
		return &v
	case ui.Callout:
		return &v
	case ui.Banner:
		return &v
	case ui.Badge:
		return &v
	case ui.Empty:
		return &v
	case ui.Divider:
		return &v
	case ui.Link:
		return &v
	case ui.Form:
		return &v
	}
	panic("pointerTo: add " + c.Kind())
}

func TestComponentOutput(t *testing.T) {
	th := load(t, "")
	tests := []struct {
		name    string
		c       ui.Component
		x       *BlockContext
		want    []string
		notWant []string
	}{
		{
			name:    "text is escaped",
			c:       ui.Text{Text: `<script>alert("x")</script>`},
			want:    []string{`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`},
			notWant: []string{"<script"},
		},
		{
			name: "a metric's trend is in its words, the arrow hidden, its sparkline an image with the numbers",
			c: ui.Metric{Label: "Leads this month", Value: "7", Delta: "3 more than last month", Trend: ui.TrendUp,
				Spark: []float64{1, 4, 7}, SparkLabel: `Leads per month <Oct> to Dec: 1, 4, 7`},
			want: []string{`<span class="metric-delta trend-up"><span aria-hidden="true">▲ </span>3 more than last month</span>`,
				`<svg class="chart chart-spark series-1" viewBox="0 0 120 32" role="img" aria-label="Leads per month &lt;Oct&gt; to Dec: 1, 4, 7">`},
			notWant: []string{"<Oct>"},
		},
		{
			name:    "a metric without a trend draws no arrow nor sparkline",
			c:       ui.Metric{Label: "Open deals", Value: "5", Delta: "1 more"},
			want:    []string{`<span class="metric-delta">1 more</span>`},
			notWant: []string{"▲", "▼", "<svg"},
		},
		{
			name:    "javascript link is neutralised",
			c:       ui.Link{Text: "click", Href: "javascript:alert(1)"},
			want:    []string{`href="#ZgotmplZ"`},
			notWant: []string{"javascript:"},
		},
		{
			name:    "javascript button is neutralised",
			c:       ui.Button{Label: "go", Href: " JaVaScRiPt:alert(1)"},
			notWant: []string{"avaScRiPt:"},
		},
		{
			name:    "data image is neutralised",
			c:       ui.Image{URL: "data:image/svg+xml;base64,PHN2Zz4=", Alt: ""},
			want:    []string{`src="#ZgotmplZ"`, `alt=""`},
			notWant: []string{"data:"},
		},
		{
			name:    "markdown is sanitised",
			c:       ui.Markdown{Source: "<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))"},
			notWant: []string{"onerror", "javascript", "<img"},
		},
		{
			name: "callout body is markdown",
			c:    ui.Callout{Body: "*stress*"},
			want: []string{"<em>stress</em>", `class="callout tone-neutral"`},
		},
		{
			name:    "unknown tone and variant fall back",
			c:       ui.Button{Label: "x", Href: "/", Variant: `primary" onclick="x`},
			want:    []string{`class="btn btn-primary"`},
			notWant: []string{"onclick"},
		},
		{
			name:    "embed not on the allowlist is a notice",
			c:       ui.Embed{URL: "https://evil.example.net/x", Title: "Board"},
			want:    []string{`class="notice"`, "cannot", `href="https://evil.example.net/x"`},
			notWant: []string{"<iframe"},
		},
		{
			name:    "embed without an allowlist is a notice",
			c:       ui.Embed{URL: "https://embed.example.com/board"},
			x:       &BlockContext{},
			notWant: []string{"<iframe"},
		},
		{
			name:    "video on a non-provider host is a link",
			c:       ui.Video{Title: "Demo", EmbedURL: "https://www.youtube.com.evil.example/embed/x", SourceURL: "https://www.youtube.com/watch?v=x"},
			want:    []string{`<a href="https://www.youtube.com/watch?v=x" target="_blank" rel="noopener noreferrer">Watch “Demo”</a>`},
			notWant: []string{"<iframe"},
		},
		{
			name: "video fallback words come from the block when it gives them",
			c: ui.Video{Title: "Demo", EmbedURL: "https://www.youtube.com.evil.example/embed/x", SourceURL: "https://www.youtube.com/watch?v=x",
				Labels: &ui.VideoLabels{Watch: "„Demo“ ansehen", Unavailable: "Nicht verfügbar."}},
			want:    []string{`rel="noopener noreferrer">„Demo“ ansehen</a>`},
			notWant: []string{"Watch", "<iframe"},
		},
		{
			name:    "video file fallback words from the block",
			c:       ui.Video{Title: "Demo", FileURL: "https://cdn.example.com/demo.mp4", Labels: &ui.VideoLabels{Download: "Video herunterladen", Unplayable: "Ihr Browser kann es nicht."}},
			want:    []string{`<p>Ihr Browser kann es nicht. <a href="https://cdn.example.com/demo.mp4">Video herunterladen</a></p>`, `<a href="https://cdn.example.com/demo.mp4">Video herunterladen</a></figcaption>`},
			notWant: []string{"Download", "cannot play"},
		},
		{
			name:    "video over http is a link",
			c:       ui.Video{Title: "Demo", EmbedURL: "http://player.vimeo.com/video/1"},
			notWant: []string{"<iframe"},
		},
		{
			name:    "video file plays in a video element",
			c:       ui.Video{Title: "Demo", FileURL: "https://cdn.example.com/demo.mp4", PosterURL: "https://cdn.example.com/demo.jpg"},
			want:    []string{`<video controls preload="metadata" poster="https://cdn.example.com/demo.jpg"`, `<source src="https://cdn.example.com/demo.mp4">`},
			notWant: []string{"<iframe"},
		},
		{
			name: "action button posts its signed state",
			c:    ui.Button{Label: "Accept", Action: &ui.Action{Name: "accept", State: "42", Confirm: "Accept the terms?"}},
			want: []string{
				`<form method="post" action="/rooms/welcome/blocks/intro/actions/accept" class="button-form" data-confirm="Accept the terms?">`,
				`<input type="hidden" name="_state" value="signed.accept.42">`,
				`<button type="submit" class="btn btn-primary">`,
			},
		},
		{
			name:    "action button without an action URL fails",
			c:       ui.Button{Label: "Accept", Action: &ui.Action{Name: "accept"}},
			x:       &BlockContext{},
			notWant: []string{"<form"},
		},
		{
			name:    "read-only action button is disabled",
			c:       ui.Button{Label: "Accept", Action: &ui.Action{Name: "accept"}},
			x:       &BlockContext{ReadOnly: true},
			want:    []string{`disabled`},
			notWant: []string{"<form", "_state"},
		},
		{
			name: "form fields are labelled and described",
			c: ui.Form{Action: ui.Action{Name: "lead", State: "s"}, Submit: "Send lead", Error: "Check the form.", Fields: []ui.Field{
				{Name: "email", Label: "Email", Type: "email", Required: true, Autocomplete: "email", Help: "Work address", Error: "Required"},
				{Name: "size", Label: "Size", Type: "select", Value: "m", Options: []ui.Option{{Value: "s", Label: "Small"}, {Value: "m", Label: "Medium"}}},
				{Name: "notes", Label: "Notes", Type: "textarea", MaxLength: 500},
				{Name: "agree", Label: "I agree", Type: "checkbox", Value: "true"},
				{Name: "ref", Type: "hidden", Value: "r1"},
				{Name: "pw", Label: "Password", Type: "password", Value: "secret"},
			}},
			want: []string{
				`<form method="post" action="/rooms/welcome/blocks/intro/actions/lead" class="form" aria-describedby="b-intro-1-error">`,
				`<div class="form-error" role="alert" id="b-intro-1-error">`,
				`<input type="hidden" name="_state" value="signed.lead.s">`,
				`<label for="b-intro-1-email">Email<span class="req" aria-hidden="true"> *</span></label>`,
				`<p class="field-help" id="b-intro-1-email-help">Work address</p>`,
				`<p class="field-error" id="b-intro-1-email-error">`,
				`<input type="email" id="b-intro-1-email" name="email" autocomplete="email" required spellcheck="false" autocapitalize="none" aria-describedby="b-intro-1-email-help b-intro-1-email-error" aria-invalid="true">`,
				`<option value="m" selected>Medium</option>`,
				`<textarea id="b-intro-1-notes" name="notes" rows="5" maxlength="500">`,
				`<input type="checkbox" id="b-intro-1-agree" name="agree" value="true" checked>`,
				`<input type="hidden" name="ref" value="r1">`,
				`<input type="password" id="b-intro-1-pw" name="pw">`,
				`<button type="submit" class="btn btn-primary">Send lead</button>`,
			},
			notWant: []string{"secret"},
		},
		{
			name: "a submitted form is shown again with what was typed",
			c: ui.Form{Action: ui.Action{Name: "lead"}, Fields: []ui.Field{
				{Name: "company", Label: "Company", Value: "old"},
				{Name: "agree", Label: "I agree", Type: "checkbox", Value: "true"},
			}},
			x: func() *BlockContext {
				x := blockContext()
				x.Values = url.Values{"company": {`Acme "<b>"`}}
				x.Errors = map[string]string{"company": "Too short"}
				x.FormError = "Please fix the errors."
				return x
			}(),
			want: []string{
				`value="Acme &#34;&lt;b&gt;&#34;"`, `aria-invalid="true"`, "Too short", "Please fix the errors.",
				`<input type="checkbox" id="b-intro-1-agree" name="agree" value="true">`,
			},
		},
		{
			name: "radio and checkbox groups are fieldsets with a legend and one labelled input per choice",
			c: ui.Form{Action: ui.Action{Name: "quiz"}, Fields: []ui.Field{
				{Name: "answer", Label: "Which plan includes SSO?", Type: "radio", Required: true, Value: "pro", Help: "One answer",
					Options: []ui.Option{{Value: "basic", Label: "Basic"}, {Value: "pro", Label: "Pro <b>"}}},
				{Name: "topics", Label: "Topics", Type: "checkboxes", Values: []string{"a", "c"},
					Options: []ui.Option{{Value: "a", Label: "Alpha"}, {Value: "b", Label: "Beta"}, {Value: "c", Label: "Gamma"}}},
			}},
			want: []string{
				`<fieldset class="field field-group" id="b-intro-1-answer" aria-describedby="b-intro-1-answer-help">`,
				`<legend>Which plan includes SSO?<span class="req" aria-hidden="true"> *</span></legend>`,
				`<input type="radio" id="b-intro-1-answer-0" name="answer" value="basic" required><label for="b-intro-1-answer-0">Basic</label>`,
				`<input type="radio" id="b-intro-1-answer-1" name="answer" value="pro" checked required><label for="b-intro-1-answer-1">Pro &lt;b&gt;</label>`,
				`<input type="checkbox" id="b-intro-1-topics-0" name="topics" value="a" checked>`,
				`<input type="checkbox" id="b-intro-1-topics-1" name="topics" value="b">`,
				`<input type="checkbox" id="b-intro-1-topics-2" name="topics" value="c" checked>`,
			},
			notWant: []string{"<b>"},
		},
		{
			name: "a submitted group is shown again with what was picked, nothing included",
			c: ui.Form{Action: ui.Action{Name: "lead"}, Fields: []ui.Field{
				{Name: "answer", Label: "Answer", Type: "radio", Value: "x", Options: []ui.Option{{Value: "x", Label: "X"}, {Value: "y", Label: "Y"}}},
				{Name: "topics", Label: "Topics", Type: "checkboxes", Values: []string{"a"}, Options: []ui.Option{{Value: "a", Label: "A"}, {Value: "b", Label: "B"}}},
			}},
			x: func() *BlockContext {
				x := blockContext()
				x.Values = url.Values{"answer": {"y"}, "company": {"c"}}
				x.Errors = map[string]string{"answer": "Wrong answer"}
				return x
			}(),
			want: []string{
				`value="y" checked`, `aria-invalid="true"`, "Wrong answer",
				`<input type="checkbox" id="b-intro-1-topics-0" name="topics" value="a">`,
			},
			notWant: []string{`value="x" checked`},
		},
		{
			name: "nested children render in order",
			c: ui.Stack{Children: ui.Children{
				ui.Card{Title: "Outer", Body: ui.Children{ui.Columns{Children: ui.Children{ui.Text{Text: "deep-1"}, ui.Table{
					Columns: []ui.TableColumn{{Label: "C"}}, Rows: []ui.TableRow{{Cells: ui.Children{ui.Badge{Text: "deep-2"}}}},
				}}}}},
				&ui.Text{Text: "after"},
			}},
			want: []string{"Outer", "deep-1", `<span class="badge tone-neutral">deep-2</span>`, "after"},
		},
		{
			name:    "table with no rows shows its empty text",
			c:       ui.Table{Columns: []ui.TableColumn{{Label: "C"}}, Empty: "No deals yet."},
			want:    []string{"No deals yet."},
			notWant: []string{"<table"},
		},
		{
			name: "sorted table header",
			c:    ui.Table{Columns: []ui.TableColumn{{Label: "Value", SortHref: "?sort=value", Sorted: "desc"}}, Rows: []ui.TableRow{{Cells: ui.Children{ui.Text{Text: "1"}}}}},
			want: []string{`aria-sort="descending"`, `<a class="sort" href="?sort=value">Value<svg class="icon icon-arrow-down"`},
		},
		{
			name:    "unknown icon renders nothing",
			c:       ui.Card{Title: "T", Icon: "no-such-icon"},
			want:    []string{`<span class="card-icon"></span>`},
			notWant: []string{"no-such-icon"},
		},
		{
			name: "timeline text is escaped in the chart and the table",
			c: ui.Timeline{Title: `<script>t</script>`, Description: `"><img src=x>`, Today: "2026-01-10",
				Bars: []ui.TimelineBar{{Label: `</text><script>alert(1)</script>`, Start: "2026-01-01", End: "2026-01-31", Href: "javascript:alert(1)"}}},
			want: []string{`role="img" aria-labelledby="b-intro-1-gantt-title b-intro-1-gantt-desc"`,
				`<title id="b-intro-1-gantt-title">&lt;script&gt;t&lt;/script&gt;</title>`,
				`&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt; · 0% done</text>`, `href="#ZgotmplZ"`},
			notWant: []string{"<script", "<img", "javascript:"},
		},
		{
			name: "progress is clamped",
			c:    ui.Progress{Label: "Over", Value: 150, Max: 0},
			want: []string{`value="100" max="100">100%</progress>`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := tt.x
			if x == nil {
				x = blockContext()
			}
			out, err := th.Component(tt.c, x)
			got := string(out)
			if err != nil && len(tt.want) > 0 {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("got\n%s\nwant it to contain\n%s", got, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("got\n%s\nwant it not to contain %s", got, w)
				}
			}
			assertCSPSafe(t, got)
		})
	}
}

func TestComponentErrors(t *testing.T) {
	th := load(t, "")
	var nilCard *ui.Card
	for name, c := range map[string]ui.Component{
		"nil component":        nil,
		"nil pointer":          nilCard,
		"empty child":          ui.Stack{Children: ui.Children{ui.Text{Text: "a"}, nil}},
		"action without URL":   ui.Form{Action: ui.Action{Name: "x"}},
		"action without name":  ui.Button{Label: "x", Action: &ui.Action{}},
		"too deep":             deep(maxDepth + 1),
		"unknown nested child": ui.Stack{Children: ui.Children{ui.Stack{Children: ui.Children{nilCard}}}},
	} {
		t.Run(name, func(t *testing.T) {
			x := &BlockContext{}
			if name == "action without name" {
				x = blockContext()
			}
			if out, err := th.Component(c, x); err == nil {
				t.Errorf("no error; drew %s", out)
			}
		})
	}
	if _, err := th.Component(deep(maxDepth-1), nil); err != nil {
		t.Errorf("a tree just under the depth limit failed: %v", err)
	}
}

func deep(n int) ui.Component {
	var c ui.Component = ui.Text{Text: "bottom"}
	for range n - 1 {
		c = ui.Stack{Children: ui.Children{c}}
	}
	return c
}

func TestIDsAreUniqueAcrossForms(t *testing.T) {
	th := load(t, "")
	f := ui.Form{Action: ui.Action{Name: "a"}, Fields: []ui.Field{{Name: "email", Label: "Email"}}}
	out, err := th.Component(ui.Stack{Children: ui.Children{f, f}}, blockContext())
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, n := range elements(t, string(out)) {
		if id := attr(n, "id"); id != "" {
			if ids[id] {
				t.Errorf("id %q is used twice", id)
			}
			ids[id] = true
		}
	}
	if len(ids) != 2 {
		t.Errorf("want 2 field ids, got %v", ids)
	}
}

func TestNoMarkdownRendererShowsPlainText(t *testing.T) {
	th, err := Load(Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := th.Component(ui.Markdown{Source: "**a** <b>\n\nsecond"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<p>**a** &lt;b&gt;</p>\n<p>second</p>"; !strings.Contains(string(out), want) {
		t.Errorf("got %s, want %s", out, want)
	}
}

func TestOverrideFromFolder(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "components/text.html", `<p class="custom">{{.C.Text}}!</p>`)
	write(t, dir, "assets/extra.css", `.x{}`)
	write(t, dir, "pages/hello.html", `<p>Hello {{.Content}}</p>`)
	th := load(t, dir)
	out, err := th.Component(ui.Stack{Children: ui.Children{ui.Text{Text: "hi"}, ui.Badge{Text: "b"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `<p class="custom">hi!</p>`) || !strings.Contains(string(out), `class="badge`) {
		t.Errorf("override not applied, or default lost: %s", out)
	}
	if u := th.AssetURL("extra.css"); !strings.HasPrefix(u, "/assets/extra.") {
		t.Errorf("added asset: %s", u)
	}
	if u := th.AssetURL("app.css"); !strings.HasPrefix(u, "/assets/app.") {
		t.Errorf("default asset lost: %s", u)
	}
	var b strings.Builder
	if err := th.Page(&b, "hello", Layout{Content: "world"}); err != nil || !strings.Contains(b.String(), "<p>Hello world</p>") {
		t.Errorf("added page: %v\n%s", err, b.String())
	}
}

func TestLoadFailsWithTheFileName(t *testing.T) {
	for file, src := range map[string]string{
		"components/card.html": `{{.C.Title`,
		"pages/room.html":      `{{end}}`,
		"layouts/base.html":    `{{template}}`,
	} {
		t.Run(file, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, file, src)
			_, err := Load(Options{Dir: dir})
			if err == nil || !strings.Contains(err.Error(), file) {
				t.Errorf("Load = %v, want an error naming %s", err, file)
			}
		})
	}
	if _, err := Load(Options{Dir: filepath.Join(t.TempDir(), "missing")}); err == nil {
		t.Error("a missing theme folder should fail Load")
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestIcons(t *testing.T) {
	th := load(t, "")
	for _, name := range []string{"file-text", "image", "video", "frame", "mouse-pointer", "users", "link", "megaphone",
		"graduation-cap", "home", "briefcase", "inbox", "folder", "message", "chart", "settings", "life-buoy", "rocket",
		"bell", "user", "log-out", "menu", "plus", "check", "x", "alert-triangle", "info", "external-link", "download", "search"} {
		svg := string(th.icon(name))
		if !strings.HasPrefix(svg, `<svg class="icon icon-`+name+`" aria-hidden="true" focusable="false"`) {
			t.Errorf("icon %q: %.80s", name, svg)
		}
	}
	if th.icon("nope") != template.HTML("") {
		t.Error("an unknown icon should render nothing")
	}
}

func BenchmarkRoomTree(b *testing.B) {
	th := load(b, "")
	blocks := []ui.Component{
		ui.Banner{Tone: ui.ToneInfo, Text: "Q3 incentives are live", LinkLabel: "Read more", LinkURL: "/rooms/program"},
		ui.Stack{Children: ui.Children{ui.Heading{Text: "Welcome"}, ui.Markdown{Source: "Welcome to the **partner program**.\n\n- Sign the agreement\n- Take the training"}}},
		ui.Columns{Count: 3, Children: ui.Children{ui.Metric{Label: "Open deals", Value: "12"}, ui.Metric{Label: "Won", Value: "$250,000", Delta: "+12%", Tone: ui.ToneSuccess}, ui.Metric{Label: "Leads", Value: "31"}}},
		ui.Progress{Label: "Onboarding", Value: 3, Max: 5},
		ui.Video{Title: "Kick-off", EmbedURL: "https://www.youtube-nocookie.com/embed/abc"},
		ui.List{Items: []ui.ListItem{{Title: "Price list", Href: "/f/1", Meta: "2 MB"}, {Title: "Deck", Href: "/f/2", Badge: &ui.Badge{Text: "New"}}, {Title: "Logo pack", Href: "/f/3"}}},
		ui.Table{Columns: []ui.TableColumn{{Label: "Deal"}, {Label: "Stage"}, {Label: "Value", Align: "right"}}, Rows: []ui.TableRow{
			{Cells: ui.Children{ui.Link{Text: "Acme", Href: "/d/1"}, ui.Badge{Text: "Won", Tone: ui.ToneSuccess}, ui.Text{Text: "$5,000"}}},
			{Cells: ui.Children{ui.Link{Text: "Globex", Href: "/d/2"}, ui.Badge{Text: "Open"}, ui.Text{Text: "$12,000"}}},
		}},
		ui.Person{Name: "Dana Reyes", Title: "Partner manager", Email: "dana@example.com", Bio: "Here to help."},
		ui.Form{Action: ui.Action{Name: "lead"}, Fields: []ui.Field{{Name: "company", Label: "Company", Required: true}, {Name: "email", Label: "Email", Type: "email"}}},
		ui.ActionBar{Buttons: []ui.Button{{Label: "Register a deal", Href: "/rooms/deals"}, {Label: "Accept", Action: &ui.Action{Name: "accept"}}}},
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range blocks {
			if _, err := th.Component(c, blockContext()); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestKitWordsInGerman draws the kit's components that carry words of
// their own (the timeline's scale, states and table, a refused frame, a
// video's links, a link to another site, a preview's form) for a German
// reader: none of their English words is left.
func TestKitWordsInGerman(t *testing.T) {
	th := load(t, "")
	x := blockContext()
	x.Locale = i18n.Catalog().For("de")
	for _, tt := range []struct {
		name     string
		c        ui.Component
		readOnly bool
		want     []string
		english  []string
	}{
		{name: "timeline", c: ui.Timeline{Title: "Zeitplan", Start: "2026-11-01", End: "2027-02-28", Today: "2026-12-07", Bars: []ui.TimelineBar{
			{Label: "Kickoff", Start: "2026-11-01", End: "2026-11-08", Done: true},
			{Label: "Migration", Start: "2026-11-09", End: "2026-11-30", Late: true},
			{Label: "Go-live", Start: "2027-01-10", End: "2027-02-28", Progress: 40}}},
			want:    []string{"Daten als Tabelle anzeigen", "Eintrag", "Beginn", "Ende", "Stand", "Erledigt", "Verspätet", "40 % erledigt", ">Heute<", "Nov. 2026", "Jan. 2027", "1. Nov. 2026"},
			english: []string{"Show the dates", ">Start<", ">End<", ">State<", "Done", "Late", "% done", "Today", "Nov 2026", "Item"}},
		{name: "refused frame", c: ui.Embed{URL: "https://evil.example.net/x", Title: "Tafel"},
			want: []string{"„Tafel“ kann hier nicht angezeigt werden.", "In einem neuen Tab öffnen"}, english: []string{"cannot", "Open it"}},
		{name: "video", c: ui.Video{Title: "Demo", SourceURL: "https://www.youtube.com/watch?v=x"},
			want: []string{"„Demo“ ansehen"}, english: []string{"Watch", "opens in"}},
		{name: "link", c: ui.Link{Text: "Handbuch", Href: "https://example.com/", External: true},
			want: []string{"(öffnet in einem neuen Tab)"}, english: []string{"opens in"}},
		{name: "preview form", readOnly: true, c: ui.Form{Action: ui.Action{Name: "save"}, Submit: "Speichern", Fields: []ui.Field{{Name: "n", Label: "Name"}}},
			want: []string{"Aus einer Vorschau lassen sich keine Formulare senden."}, english: []string{"cannot be sent"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x.ReadOnly = tt.readOnly
			got, err := th.Component(tt.c, x)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(got), w) {
					t.Errorf("missing %q in\n%s", w, got)
				}
			}
			for _, w := range tt.english {
				if strings.Contains(string(got), w) {
					t.Errorf("English %q left in\n%s", w, got)
				}
			}
		})
	}
}

// TestLanguagesCopiedOnFirstUse asks for a language's templates from many
// pages at once, the first time they are needed: each page is drawn in its
// reader's language, and English drawn before does not stop the copy
// (html/template copies no template that has run).
func TestLanguagesCopiedOnFirstUse(t *testing.T) {
	th := load(t, "")
	c := ui.Link{Text: "Handbuch", Href: "https://example.com/", External: true}
	if got, err := th.Component(c, blockContext()); err != nil || !strings.Contains(string(got), "opens in") {
		t.Fatalf("English first: %v\n%s", err, got)
	}
	want := map[string]string{"de": "(öffnet in einem neuen Tab)", "es": "(se abre en una pestaña nueva)", "en": "opens in"}
	var wg sync.WaitGroup
	for i := range 12 {
		lang := []string{"de", "es", "en"}[i%3]
		wg.Go(func() {
			x := blockContext()
			x.Locale = i18n.Catalog().For(lang)
			got, err := th.Component(c, x)
			if err != nil || !strings.Contains(string(got), want[lang]) {
				t.Errorf("%s: %v\n%s", lang, err, got)
			}
		})
	}
	wg.Wait()
}
