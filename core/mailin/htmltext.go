package mailin

import (
	"strings"

	"golang.org/x/net/html"
)

// htmlText turns the HTML body of a mail that has no text/plain part into
// plain text. It reads the markup with golang.org/x/net/html's tokenizer
// (the parser browsers' rules are written for; nothing is rendered or run),
// keeps the text, turns blocks and <br> into line breaks, writes a link's
// address after its text, drops scripts, styles and the head, and prefixes
// <blockquote> lines with "> " so StripReply removes quoted history as it
// does in plain text.
func htmlText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	var out strings.Builder
	var line strings.Builder
	quote, skip, pre := 0, 0, 0
	var href string
	var linkText strings.Builder
	inLink := false

	flush := func(force bool) {
		t := strings.TrimSpace(line.String())
		line.Reset()
		if t == "" && !force {
			return
		}
		out.WriteString(strings.Repeat("> ", quote))
		out.WriteString(t)
		out.WriteString("\n")
	}
	write := func(s string) {
		if inLink {
			linkText.WriteString(s)
		}
		line.WriteString(s)
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush(false)
			return collapseBlank(out.String())
		case html.TextToken:
			if skip > 0 {
				continue
			}
			text := string(z.Text())
			if pre > 0 {
				parts := strings.Split(text, "\n")
				for i, p := range parts {
					if i > 0 {
						flush(true)
					}
					write(p)
				}
				continue
			}
			text = strings.Join(strings.Fields(text), " ")
			if text == "" {
				if line.Len() > 0 && !strings.HasSuffix(line.String(), " ") {
					write(" ")
				}
				continue
			}
			if line.Len() > 0 && !strings.HasSuffix(line.String(), " ") && startsWithSpace(string(z.Raw())) {
				write(" ")
			}
			write(text)
			if endsWithSpace(string(z.Raw())) {
				write(" ")
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			start := tt != html.EndTagToken
			switch tag {
			case "script", "style", "head", "title":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case "br":
				flush(true)
			case "pre":
				flush(false)
				if tt == html.StartTagToken {
					pre++
				} else if tt == html.EndTagToken && pre > 0 {
					pre--
				}
			case "blockquote":
				flush(false)
				if tt == html.StartTagToken {
					quote++
				} else if tt == html.EndTagToken && quote > 0 {
					quote--
				}
			case "a":
				if tt == html.StartTagToken {
					href, inLink = "", true
					linkText.Reset()
					for hasAttr {
						var k, v []byte
						k, v, hasAttr = z.TagAttr()
						if string(k) == "href" {
							href = string(v)
						}
					}
				} else if tt == html.EndTagToken && inLink {
					inLink = false
					lower := strings.ToLower(href)
					if (strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")) &&
						strings.TrimSpace(linkText.String()) != href {
						line.WriteString(" <" + href + ">")
					}
				}
			case "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "hr", "section", "article", "header", "footer":
				flush(false)
				if !start && (tag == "p" || strings.HasPrefix(tag, "h")) {
					flush(true) // a blank line after a paragraph
				}
			case "td", "th":
				write(" ")
			}
		}
	}
}

func startsWithSpace(s string) bool { return s != "" && strings.ContainsRune(" \t\r\n", rune(s[0])) }
func endsWithSpace(s string) bool {
	return s != "" && strings.ContainsRune(" \t\r\n", rune(s[len(s)-1]))
}

// collapseBlank keeps at most one blank line between lines of text.
func collapseBlank(s string) string {
	lines := strings.Split(s, "\n")
	kept := lines[:0]
	blank := 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		kept = append(kept, l)
	}
	return strings.TrimSpace(strings.Join(kept, "\n"))
}
