package mailin

import "testing"

func TestHTMLText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"paragraphs", "<p>One</p><p>Two</p>", "One\n\nTwo"},
		{"br and entities", "<div>Fish &amp; chips<br>at 5&nbsp;pm</div>", "Fish & chips\nat 5 pm"},
		{"inline tags keep spaces", "<p>Call <b>me</b> <i>now</i>, please</p>", "Call me now, please"},
		{"script and style dropped", "<head><title>x</title><style>p{color:red}</style></head><body><script>alert(1)</script><p>Hi</p></body>", "Hi"},
		{"link address kept", `<p>See <a href="https://example.com/doc">the doc</a>.</p>`, "See the doc <https://example.com/doc>."},
		{"bare link not doubled", `<a href="https://example.com">https://example.com</a>`, "https://example.com"},
		{"javascript link dropped", `<a href="javascript:alert(1)">click</a>`, "click"},
		{"blockquote quoted", "<div>Yes</div><blockquote><div>Shall we?</div><blockquote>Old</blockquote></blockquote>", "Yes\n> Shall we?\n> > Old"},
		{"list", "<ul><li>a</li><li>b</li></ul>", "a\nb"},
		{"pre keeps lines", "<pre>a  b\nc</pre>", "a  b\nc"},
		{"broken markup", "<p>Hi <b>there", "Hi there"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := htmlText(c.in); got != c.want {
				t.Errorf("htmlText(%q):\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}
