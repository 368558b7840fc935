package schemaform_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/markdown"
	"github.com/atriumhq/atrium/core/schemaform"
	"github.com/atriumhq/atrium/core/theme"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// render draws a form with the default theme's layouts/_schemaform.html,
// through the theme's own loading and template funcs: a theme folder adds
// a page that holds the partial in a form, as the builder's page will.
func render(t *testing.T, form schemaform.Form) *html.Node {
	t.Helper()
	dir := t.TempDir()
	page := `<form method="post" action="/builder">{{template "_schemaform" .Content}}<button type="submit">Save</button></form>`
	if err := os.MkdirAll(filepath.Join(dir, "pages"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pages", "schemaform-test.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	th, err := theme.Load(theme.Options{Dir: dir, Markdown: markdown.New(markdown.Options{}), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := th.Page(&b, "schemaform-test", theme.Layout{Title: "Block", Content: form}); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&b)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all(doc, atom.Form) {
		if attr(f, "action") == "/builder" {
			return f
		}
	}
	t.Fatal("no form drawn")
	return nil
}

func all(n *html.Node, a atom.Atom) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (a == 0 || n.DataAtom == a) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
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

func has(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// submit returns what a browser sends for the form when its default button
// is pressed (no _op), from the markup alone.
func submit(form *html.Node) url.Values {
	v := url.Values{}
	for _, n := range all(form, 0) {
		name := attr(n, "name")
		if name == "" || has(n, "disabled") {
			continue
		}
		switch n.DataAtom {
		case atom.Input:
			switch attr(n, "type") {
			case "checkbox", "radio":
				if has(n, "checked") {
					v.Add(name, attr(n, "value"))
				}
			default:
				v.Add(name, attr(n, "value"))
			}
		case atom.Textarea:
			v.Add(name, text(n))
		case atom.Select:
			opts := all(n, atom.Option)
			chosen := ""
			if len(opts) > 0 {
				chosen = attr(opts[0], "value")
			}
			for _, o := range opts {
				if has(o, "selected") {
					chosen = attr(o, "value")
				}
			}
			v.Add(name, chosen)
		}
	}
	return v
}

func TestRenderAccessibleForm(t *testing.T) {
	value := `{"title":"","body":"\nTwo\nlines","intro":"## Hello","count":11,"shown":true,"size":"m",
		"items":[{"url":"/a","label":"A"},{"url":""}],"tags":["x"],"owner":{"name":"Mike","active":false},
		"target":{"kind":"room","room":"news"},"picture":4}`
	problems := map[string]string{
		"items[1].url": "minLength: got 0, want 1",
		"title":        "minLength: got 0, want 1",
		"count":        "maximum: got 11, want 10",
		"nope":         "unknown field",
	}
	form, err := schemaform.Build(json.RawMessage(kitchenSink), json.RawMessage(value), problems)
	if err != nil {
		t.Fatal(err)
	}
	doc := render(t, form)
	els := all(doc, 0)
	byID := map[string]*html.Node{}
	for _, n := range els {
		if id := attr(n, "id"); id != "" {
			if byID[id] != nil {
				t.Errorf("id %q twice", id)
			}
			byID[id] = n
		}
	}
	labels := map[string]*html.Node{}
	for _, l := range all(doc, atom.Label) {
		labels[attr(l, "for")] = l
	}

	// Every control has a label tied to it, and names only what exists.
	for _, n := range els {
		switch n.DataAtom {
		case atom.Input, atom.Select, atom.Textarea:
		default:
			continue
		}
		if attr(n, "type") == "hidden" {
			continue
		}
		if l := labels[attr(n, "id")]; l == nil || strings.TrimSpace(text(l)) == "" {
			t.Errorf("%s %q has no label", n.Data, attr(n, "name"))
		}
		for _, id := range strings.Fields(attr(n, "aria-describedby")) {
			if byID[id] == nil {
				t.Errorf("%q is described by %q, which is not there", attr(n, "name"), id)
			}
		}
	}
	for _, fs := range all(doc, atom.Fieldset) {
		if c := firstElement(fs); c == nil || c.DataAtom != atom.Legend || strings.TrimSpace(text(c)) == "" {
			t.Errorf("fieldset %q has no legend first", attr(fs, "id"))
		}
		for _, id := range strings.Fields(attr(fs, "aria-describedby")) {
			if byID[id] == nil {
				t.Errorf("fieldset %q is described by %q, which is not there", attr(fs, "id"), id)
			}
		}
	}

	// Errors sit beside the field that caused them, tied to it.
	input := func(name string) *html.Node {
		for _, n := range els {
			if attr(n, "name") == name && attr(n, "type") != "hidden" && (n.DataAtom == atom.Input || n.DataAtom == atom.Textarea || n.DataAtom == atom.Select) {
				return n
			}
		}
		t.Fatalf("no control named %q", name)
		return nil
	}
	for name, msg := range map[string]string{"items[1].url": "minLength: got 0, want 1", "count": "maximum: got 11, want 10"} {
		in := input(name)
		errID := attr(in, "id") + "-err"
		e := byID[errID]
		if e == nil || !strings.Contains(text(e), msg) {
			t.Errorf("%s: error %q not drawn", name, msg)
			continue
		}
		if e.Parent != in.Parent {
			t.Errorf("%s: the error is not beside its field", name)
		}
		if attr(in, "aria-invalid") != "true" || !strings.Contains(attr(in, "aria-describedby"), errID) {
			t.Errorf("%s: not marked invalid and described by its error", name)
		}
	}
	if in := input("items[0].url"); has(in, "aria-invalid") {
		t.Error("items[0].url is marked invalid")
	}
	var alert *html.Node
	for _, n := range els {
		if attr(n, "role") == "alert" {
			alert = n
		}
	}
	if alert == nil || !strings.Contains(text(alert), "nope: unknown field") {
		t.Error("the problem without a field is not shown above the form")
	}

	// Required fields are marked, for eyes and for assistive technology.
	title := input("title")
	if !has(title, "required") || !strings.Contains(text(labels[attr(title, "id")]), "*") {
		t.Error("title is not marked required")
	}
	if body := input("body"); has(body, "required") || strings.Contains(text(labels[attr(body, "id")]), "*") {
		t.Error("body is marked required")
	}
	if help := byID[attr(title, "id")+"-help"]; help == nil || text(help) != "Shown on top." || !strings.Contains(attr(title, "aria-describedby"), attr(help, "id")) {
		t.Error("title's help is not tied to it")
	}

	// Kinds become the right controls.
	for name, want := range map[string]string{"body": "textarea", "intro": "textarea", "count": "number", "site": "text",
		"mail": "email", "day": "date", "shown": "checkbox", "size": "select", "picture": "number"} {
		n := input(name)
		got := n.Data
		if n.DataAtom == atom.Input {
			got = attr(n, "type")
		}
		if got != want {
			t.Errorf("%s is a %s, want %s", name, got, want)
		}
	}
	if attr(input("intro"), "data-preview") != "markdown" || attr(input("picture"), "data-picker") != "media" || attr(input("picture"), "data-accept") != "image/*" {
		t.Error("Markdown and picker fields are not marked for the builder's script")
	}

	// Array buttons: named for what they do to which item, without
	// JavaScript, and never blocked by the browser's own validation.
	var names []string
	for _, b := range all(doc, atom.Button) {
		if attr(b, "name") != schemaform.OpField {
			continue
		}
		if !has(b, "formnovalidate") {
			t.Errorf("button %q validates the form", attr(b, "value"))
		}
		names = append(names, attr(b, "value")+"="+strings.Join(strings.Fields(text(b)), " "))
	}
	got := strings.Join(names, "\n")
	for _, want := range []string{
		"up:items[1]=Move up: Items 2", "down:items[0]=Move down: Items 1", "remove:items[1]=Remove: Items 2",
		"add:items=Add: Items", "add:tags=Add: Tags", "refresh=Switch",
	} {
		if !strings.Contains(got, want+"\n") && !strings.HasSuffix(got, want) {
			t.Errorf("no button %q in\n%s", want, got)
		}
	}
	for _, b := range all(doc, atom.Button) {
		if v := attr(b, "value"); (v == "up:items[0]" || v == "down:items[1]") && !has(b, "disabled") {
			t.Errorf("%s is not disabled", v)
		}
	}
	// The first submit button catches Enter and only redraws the form.
	if first := all(doc, atom.Button)[0]; attr(first, "value") != "refresh" {
		t.Errorf("the first button is %q", attr(first, "value"))
	}

	// What the browser sends back is the config the form was built from.
	dec, err := schemaform.Decode(json.RawMessage(kitchenSink), submit(doc))
	if err != nil {
		t.Fatal(err)
	}
	if canon(t, dec) != canon(t, json.RawMessage(value)) {
		t.Errorf("through the HTML\n got %s\nwant %s", dec, value)
	}
}

func firstElement(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return c
		}
	}
	return nil
}

// A page whose form holds more than the config puts the config's inputs
// under a prefix; the form still round-trips, and the page's own inputs
// never mix with it.
func TestRenderPrefixed(t *testing.T) {
	value := `{"title":"T","count":2,"shown":false,"items":[{"url":"/a"}],"target":{"kind":"url","url":"/x"},"tone":"info"}`
	form, err := schemaform.Build(json.RawMessage(kitchenSink), json.RawMessage(value), map[string]string{"items[0].url": "bad"})
	if err != nil {
		t.Fatal(err)
	}
	doc := render(t, form.Prefixed("config."))
	seen := map[string]bool{}
	for _, n := range all(doc, 0) {
		if id := attr(n, "id"); id != "" {
			if seen[id] || !strings.HasPrefix(id, "cfg-config-") {
				t.Errorf("id %q", id)
			}
			seen[id] = true
		}
		name := attr(n, "name")
		if name != "" && name != schemaform.OpField && !strings.HasPrefix(name, "config.") {
			t.Errorf("input %q is not under the prefix", name)
		}
		for _, id := range strings.Fields(attr(n, "aria-describedby")) {
			if !strings.HasPrefix(id, "cfg-config-") {
				t.Errorf("described by %q", id)
			}
		}
	}
	sent := submit(doc)
	sent.Set("title", "The room's own title")
	got, err := schemaform.Decode(json.RawMessage(kitchenSink), schemaform.Unprefixed(sent, "config."))
	if err != nil {
		t.Fatal(err)
	}
	if canon(t, got) != canon(t, json.RawMessage(value)) {
		t.Errorf("prefixed round trip\n got %s\nwant %s", got, value)
	}
	sent.Set(schemaform.OpField, "add:items")
	got, _ = schemaform.Decode(json.RawMessage(kitchenSink), schemaform.Unprefixed(sent, "config."))
	if !strings.Contains(string(got), `"items":[{"url":"/a"},{}]`) {
		t.Errorf("an edit through the prefix: %s", got)
	}
}
