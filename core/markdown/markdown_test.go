package markdown

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestRenderKeepsMarkdownWorking(t *testing.T) {
	r := New(Options{})
	tests := []struct {
		name string
		src  string
		want []string // substrings of the output, in order
	}{
		{"headings without ids, none above level 2", "# Welcome\n\n## Next steps\n\n### Details", []string{"<h2>Welcome</h2>", "<h2>Next steps</h2>", "<h3>Details</h3>"}},
		{"emphasis", "**bold**, *italic* and ~~gone~~", []string{"<strong>bold</strong>", "<em>italic</em>", "<del>gone</del>"}},
		{"bullet list", "- one\n- two", []string{"<ul>", "<li>one</li>", "<li>two</li>", "</ul>"}},
		{"ordered list keeps its start", "3. three\n4. four", []string{`<ol start="3">`, "<li>three</li>"}},
		{"task list", "- [x] signed\n- [ ] trained", []string{`<input checked="" disabled="" type="checkbox"> signed`, `<input disabled="" type="checkbox"> trained`}},
		{"table with alignment", "| Tier | Discount |\n|:-----|---------:|\n| Gold | 30% |", []string{"<table tabindex=\"0\">", "<th align=\"left\">Tier</th>", "<th align=\"right\">Discount</th>", "<td align=\"right\">30%</td>"}},
		{"relative link stays in the tab", "[Deals](/rooms/deals)", []string{`<a href="/rooms/deals">Deals</a>`}},
		{"absolute link opens safely", "[Docs](https://docs.example.com/a?b=1)", []string{`<a href="https://docs.example.com/a?b=1" rel="nofollow noreferrer noopener" target="_blank">Docs</a>`}},
		{"mailto link", "[Write](mailto:pm@example.com)", []string{`<a href="mailto:pm@example.com">Write</a>`}},
		{"autolinked URL", "See https://example.com/x today", []string{`<a href="https://example.com/x" rel="nofollow noreferrer noopener" target="_blank">https://example.com/x</a>`}},
		{"autolinked www", "www.example.com", []string{`<a href="http://www.example.com" rel="nofollow noreferrer noopener" target="_blank">www.example.com</a>`}},
		{"autolinked email", "pm@example.com", []string{`<a href="mailto:pm@example.com">pm@example.com</a>`}},
		{"image", `![Logo](https://cdn.example.com/logo.png "Our logo")`, []string{`<img src="https://cdn.example.com/logo.png" alt="Logo" title="Our logo">`}},
		{"fenced code keeps its language", "```go\nfmt.Println(1 < 2)\n```", []string{`<pre><code class="language-go">fmt.Println(1 &lt; 2)`}},
		{"blockquote and rule", "> quoted\n\n---", []string{"<blockquote>", "<p>quoted</p>", "<hr>"}},
		{"text is escaped", `Tom & Jerry <3 "quotes"`, []string{"Tom &amp; Jerry &lt;3 &#34;quotes&#34;"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(r.Render(tt.src))
			rest := got
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("Render(%q)\n got %s\nwant it to contain %s (in order)", tt.src, got, w)
				}
				rest = rest[i+len(w):]
			}
			if err := checkSafe(got); err != nil {
				t.Errorf("benign input produced unsafe output: %v\n%s", err, got)
			}
		})
	}
}

func TestRenderDropsDangerousMarkup(t *testing.T) {
	r := New(Options{})
	tests := []struct {
		name    string
		src     string
		notWant []string
	}{
		{"script tag", "<script>alert(1)</script>", []string{"<script", "alert(1)</script>"}},
		{"event handler", `<img src=x onerror=alert(1)>`, []string{"<img", "onerror"}},
		{"javascript link", "[x](javascript:alert(1))", []string{"href", "javascript"}},
		{"entity-encoded scheme", "[x](javascript&colon;alert(1))", []string{"href"}},
		{"data image", "![x](data:image/png;base64,AAAA)", []string{"src=", "data:"}},
		{"vbscript autolink", "<vbscript:msgbox(1)>", []string{"href"}},
		{"style attribute", `<p style="color:red">x</p>`, []string{"style"}},
		{"iframe", `<iframe src="https://example.com"></iframe>`, []string{"<iframe"}},
		{"heading attribute syntax", "# Title {#main .btn}", []string{"id=", "class="}},
		{"comment", "<!-- hidden -->", []string{"<!--"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(r.Render(tt.src))
			for _, bad := range tt.notWant {
				if strings.Contains(strings.ToLower(got), bad) {
					t.Errorf("Render(%q) = %s, contains %q", tt.src, got, bad)
				}
			}
			if err := checkSafe(got); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestRenderCachesBySource(t *testing.T) {
	r := New(Options{CacheSize: 2})
	a := r.Render("**a**")
	if r.cache.Len() != 1 {
		t.Fatalf("cache holds %d entries after one render, want 1", r.cache.Len())
	}
	if again := r.Render("**a**"); again != a || r.cache.Len() != 1 {
		t.Errorf("second render of the same source: %q, cache %d", again, r.cache.Len())
	}
	r.Render("b")
	r.Render("c")
	if r.cache.Len() != 2 {
		t.Errorf("cache holds %d entries, want it bounded at 2", r.cache.Len())
	}
	if off := New(Options{CacheSize: -1}); off.cache != nil || off.Render("*x*") != "<p><em>x</em></p>\n" {
		t.Errorf("a negative cache size should render without caching")
	}
}

func TestRenderConcurrently(t *testing.T) {
	r := New(Options{CacheSize: 8})
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				src := fmt.Sprintf("# Title %d\n\n- item %d", (i+j)%12, j%3)
				if out := r.Render(src); !strings.Contains(string(out), fmt.Sprintf("<h2>Title %d</h2>", (i+j)%12)) {
					t.Errorf("Render(%q) = %q", src, out)
					return
				}
			}
		}()
	}
	wg.Wait()
}

const benchSource = `## Getting started with the partner program

Welcome! This room has everything you need for your **first 90 days**:

- [x] Sign the partner agreement
- [ ] Complete [Sales Fundamentals](https://learn.example.com/fundamentals)
- [ ] Register your first deal in the [Deals room](/rooms/deals)

| Tier   | Discount | Co-marketing funds |
|:-------|---------:|:------------------:|
| Silver |      10% |         no         |
| Gold   |      20% |        yes         |

> Questions? Write to partners@example.com or book time with your partner manager.
`

// BenchmarkRender compares the first render of a source with the cached
// renders every later view gets.
func BenchmarkRender(b *testing.B) {
	b.Run("cold", func(b *testing.B) {
		r := New(Options{CacheSize: -1})
		b.ReportAllocs()
		for b.Loop() {
			r.Render(benchSource)
		}
	})
	b.Run("cached", func(b *testing.B) {
		r := New(Options{})
		r.Render(benchSource)
		b.ReportAllocs()
		for b.Loop() {
			r.Render(benchSource)
		}
	})
}
