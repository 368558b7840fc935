package markdown

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// xssVectors are the OWASP XSS filter evasion cheat sheet's vectors, and their
// Markdown spellings, as seeds for FuzzRender and cases for TestXSSVectors.
var xssVectors = []string{
	// Plain script and its spellings.
	`<script>alert('XSS')</script>`,
	`<SCRIPT SRC=https://xss.rocks/xss.js></SCRIPT>`,
	`<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>`,
	`<<SCRIPT>alert("XSS");//\<</SCRIPT>`,
	`<SCRIPT SRC=http://xss.rocks/xss.js?< B >`,
	"javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
	// Image sources with obfuscated schemes.
	`<IMG SRC="javascript:alert('XSS');">`,
	`<IMG SRC=JaVaScRiPt:alert('XSS')>`,
	`<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>`,
	`<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>`,
	`<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>`,
	"<IMG SRC=\"jav\tascript:alert('XSS');\">",
	`<IMG SRC="jav&#x09;ascript:alert('XSS');">`,
	`<IMG SRC="jav&#x0A;ascript:alert('XSS');">`,
	`<IMG SRC="jav&#x0D;ascript:alert('XSS');">`,
	`<IMG SRC=" &#14;  javascript:alert('XSS');">`,
	"<IMG SRC=java\x00script:alert(\"XSS\")>",
	"<IMG SRC=\"`<javascript:alert>`('XSS')\"",
	`<img src=x onerror=alert(1)>`,
	`<img src="x" onerror="alert(1)"`,
	`<img srcset="javascript:alert(1) 1x, https://example.com/a.png 2x">`,
	`<x onclick=alert(1)>click me`,
	"<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
	// Anchors with encoded schemes.
	`<a href="javascript&colon;alert(1)">x</a>`,
	`<a href="jAvAsCrIpT&colon;alert&lpar;1&rpar;">X</a>`,
	`<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>`,
	`<a href="&#1;javascript:alert(1)">x</a>`,
	`<a href="javascript:alert(1)"`,
	// Frames, objects, SVG, MathML, styles.
	`<iframe src=http://xss.rocks/scriptlet.html <`,
	`<FRAMESET><FRAME SRC="javascript:alert('XSS');"></FRAMESET>`,
	`<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>`,
	`<EMBED SRC="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" type="image/svg+xml" AllowScriptAccess="always"></EMBED>`,
	`<svg/onload=alert('XSS')>`,
	`<svg><script>alert(1)</script></svg>`,
	`<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<STYLE>@import'http://xss.rocks/xss.css';</STYLE>`,
	`<div style="background-image: url(javascript:alert('XSS'))">x</div>`,
	`<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS');">`,
	`<form><button formaction=javascript:alert(1)>x</button></form>`,
	`<form action="javascript:alert(1)"><input type=submit></form>`,
	// Comments and unclosed tags.
	`<!--<script>alert(1)</script>-->`,
	`<!-- --><script>alert(1)</script>`,
	`<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->`,
	`<div><p>unclosed <b>tags <i>everywhere`,
	// Markdown links and images with those URLs.
	`[x](javascript:alert(1))`,
	`[x](JaVaScRiPt:alert(1))`,
	`[x](javascript&colon;alert(1))`,
	`[x](jav&#x09;ascript:alert(1))`,
	`[x](&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1))`,
	`[x](&#x6A;avascript:alert(1))`,
	`[x](&#0000106avascript:alert(1))`,
	"[x](java\nscript:alert(1))",
	"[x](\x00javascript:alert(1))",
	"[x](\tjavascript:alert(1))",
	`[x](<javascript:alert(1)>)`,
	`[x](vbscript:msgbox(1))`,
	`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`[x](mailto:javascript:alert(1))`,
	`[x](https://example.com "onmouseover=alert(1)")`,
	`[x](https://example.com" onmouseover="alert(1))`,
	`![x](javascript:alert(1))`,
	`![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`,
	`![x"onerror="alert(1)](https://example.com/x.png)`,
	"[x][ref]\n\n[ref]: javascript:alert(1)",
	"[ref]\n\n[ref]: JAVASCRIPT:alert(1) \"title\"",
	"![x][img]\n\n[img]: data:text/html,<script>alert(1)</script>",
	`<javascript:alert(1)>`,
	`<vbscript:msgbox(1)>`,
	`<data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>`,
	// Markup inside Markdown constructs.
	"```\n</code></pre><script>alert(1)</script>\n```",
	"| a |\n|---|\n| <script>alert(1)</script> |",
	"- [ ] <img src=x onerror=alert(1)>",
	"~~<script>~~alert(1)",
	"www.example.com/<script>alert(1)</script>",
	`https://example.com/"onmouseover="alert(1)`,
	"# Heading {#x onclick=alert(1)}",
}

func TestXSSVectors(t *testing.T) {
	r := New(Options{})
	for i, src := range xssVectors {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if out := string(r.Render(src)); checkSafe(out) != nil {
				t.Errorf("Render(%q) = %s: %v", src, out, checkSafe(out))
			}
		})
	}
}

// FuzzRender holds the sanitiser's promise for any input: no element that
// runs script or loads active content, no event handler or style attribute,
// and no URL that is not http, https, mailto or relative.
func FuzzRender(f *testing.F) {
	for _, s := range xssVectors {
		f.Add(s)
	}
	r := New(Options{CacheSize: -1})
	f.Fuzz(func(t *testing.T, src string) {
		out := string(r.Render(src))
		if err := checkSafe(out); err != nil {
			t.Fatalf("Render(%q) = %q: %v", src, out, err)
		}
	})
}

// forbiddenElements run script, load active content or change how the rest
// of the page is parsed or styled.
var forbiddenElements = map[string]bool{
	"script": true, "iframe": true, "frame": true, "frameset": true, "object": true,
	"embed": true, "applet": true, "svg": true, "math": true, "style": true,
	"link": true, "meta": true, "base": true, "form": true, "noscript": true, "template": true,
}

// urlAttributes hold URLs a browser follows or loads.
var urlAttributes = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "srcset": true,
	"poster": true, "background": true, "cite": true, "data": true, "codebase": true,
	"longdesc": true, "lowsrc": true, "dynsrc": true, "ping": true, "manifest": true,
}

// checkSafe parses html as a browser would (the body of a page) and reports
// the first thing in it that breaks the sanitiser's promise. The parser
// resolves character references, so encoded schemes are seen decoded.
func checkSafe(out string) error {
	lower := strings.ToLower(out)
	for _, tag := range []string{"<script", "<iframe", "<frame", "<object", "<embed", "<svg", "<math", "<style"} {
		if strings.Contains(lower, tag) {
			return fmt.Errorf("output contains %s", tag)
		}
	}
	body := &html.Node{Type: html.ElementNode, DataAtom: atom.Body, Data: "body"}
	nodes, err := html.ParseFragment(strings.NewReader(out), body)
	if err != nil {
		return fmt.Errorf("output does not parse: %v", err)
	}
	var check func(n *html.Node) error
	check = func(n *html.Node) error {
		if n.Type == html.ElementNode {
			if n.Namespace != "" {
				return fmt.Errorf("foreign element <%s:%s>", n.Namespace, n.Data)
			}
			if forbiddenElements[strings.ToLower(n.Data)] {
				return fmt.Errorf("forbidden element <%s>", n.Data)
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(key, "on"):
					return fmt.Errorf("<%s> has event handler %s=%q", n.Data, a.Key, a.Val)
				case key == "style":
					return fmt.Errorf("<%s> has a style attribute", n.Data)
				case key == "srcset":
					for _, cand := range strings.Split(a.Val, ",") {
						if f := strings.Fields(cand); len(f) > 0 && !safeURL(f[0]) {
							return fmt.Errorf("<%s %s=%q> has an unsafe URL", n.Data, a.Key, a.Val)
						}
					}
				case urlAttributes[key] || (a.Namespace == "xlink" && key == "href"):
					if !safeURL(a.Val) {
						return fmt.Errorf("<%s %s=%q> has an unsafe URL", n.Data, a.Key, a.Val)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if err := check(c); err != nil {
				return err
			}
		}
		return nil
	}
	for _, n := range nodes {
		if err := check(n); err != nil {
			return err
		}
	}
	return nil
}

// safeURL reports whether a URL, as a browser reads it, is relative or has
// the scheme http, https or mailto. Browsers drop leading and trailing
// controls and spaces and every tab and newline before they look for a
// scheme; this check drops every control character and space, which is
// stricter.
func safeURL(v string) bool {
	v = strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, v)
	end := strings.IndexAny(v, ":/?#")
	if end < 0 || v[end] != ':' {
		return true // no scheme: a relative URL
	}
	switch strings.ToLower(v[:end]) {
	case "http", "https", "mailto":
		return true
	}
	return false
}

func TestSafeURL(t *testing.T) {
	for v, want := range map[string]bool{
		"/rooms/x": true, "#top": true, "https://a.b": true, "HTTP://a.b": true, "mailto:a@b": true,
		"//evil.com": true, "x?y=javascript:1": true, "javascript:alert(1)": false, " java\tscript:1": false,
		"\x01javascript:1": false, "data:text/html,x": false, "vbscript:x": false, "JaVaScRiPt:1": false,
	} {
		if got := safeURL(v); got != want {
			t.Errorf("safeURL(%q) = %v, want %v", v, got, want)
		}
	}
}
