package theme

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// elements parses s as the body of a page, as a browser would, and returns
// every element in it.
func elements(t testing.TB, s string) []*html.Node {
	t.Helper()
	var nodes []*html.Node
	if strings.HasPrefix(strings.TrimSpace(strings.ToLower(s)), "<!doctype") {
		doc, err := html.Parse(strings.NewReader(s))
		if err != nil {
			t.Fatal(err)
		}
		nodes = []*html.Node{doc}
	} else {
		body := &html.Node{Type: html.ElementNode, DataAtom: atom.Body, Data: "body"}
		var err error
		if nodes, err = html.ParseFragment(strings.NewReader(s), body); err != nil {
			t.Fatal(err)
		}
	}
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// assertCSPSafe checks markup against the portal's Content-Security-Policy:
// no inline script, no event handler attribute, no style attribute, and no
// <style> element without a nonce.
func assertCSPSafe(t testing.TB, s string) {
	t.Helper()
	for _, n := range elements(t, s) {
		switch n.Data {
		case "script":
			if attr(n, "src") == "" || n.FirstChild != nil {
				t.Errorf("inline script in:\n%s", s)
			}
		case "style":
			if attr(n, "nonce") == "" {
				t.Errorf("<style> without a nonce in:\n%s", s)
			}
		case "iframe":
			if attr(n, "sandbox") == "" || attr(n, "title") == "" || attr(n, "loading") != "lazy" {
				t.Errorf("iframe without sandbox, title or lazy loading: %v", n.Attr)
			}
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s> has an event handler attribute %s", n.Data, a.Key)
			}
			if a.Key == "style" {
				t.Errorf("<%s> has a style attribute", n.Data)
			}
		}
	}
}
