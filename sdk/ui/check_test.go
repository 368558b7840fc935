package ui

import (
	"net/url"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	deep := Component(Text{Text: "bottom"})
	for range MaxDepth + 1 {
		deep = Stack{Children: Children{deep}}
	}
	many := make(Children, MaxNodes)
	for i := range many {
		many[i] = Text{Text: "x"}
	}
	tests := []struct {
		name string
		tree Component
		want string // "" means accepted
	}{
		{"plain", Card{Title: "Hi", Href: "/rooms/x", Body: Children{Link{Text: "Docs", Href: "https://example.com/docs"}}}, ""},
		{"mail", Button{Label: "Write", Href: "mailto:pat@example.com"}, ""},
		{"javascript link", Stack{Children: Children{Link{Text: "x", Href: "javascript:alert(1)"}}}, `link: href "javascript:alert(1)"`},
		{"javascript with capitals", Link{Text: "x", Href: " JavaScript:alert(1)"}, "href"},
		{"data image", Image{URL: "data:image/png;base64,AAAA", Alt: "x"}, `image: url "data:`},
		{"nested list item", List{Items: []ListItem{{Title: "a", Href: "vbscript:x"}}}, `list: href "vbscript:x"`},
		{"table column", Table{Columns: []TableColumn{{Label: "a", SortHref: "javascript:x"}}}, "sortHref"},
		{"inside a table cell", Table{Rows: []TableRow{{Cells: Children{Link{Text: "a", Href: "javascript:x"}}}}}, "link: href"},
		{"too deep", deep, "nested deeper than 32"},
		{"too many", Stack{Children: many}, "more than 5000 components"},
		{"empty child", Stack{Children: Children{nil}}, "empty component"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.tree)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

// TestSafeAddressPlainPaths: an address let through without parsing is
// one that parsing lets through too, and the plain paths are let through
// as before; anything else is still parsed.
func TestSafeAddressPlainPaths(t *testing.T) {
	parsed := func(addr string) bool { // SafeAddress as it is without plainPath
		u, err := url.Parse(strings.TrimSpace(addr))
		if err != nil {
			return false
		}
		switch strings.ToLower(u.Scheme) {
		case "", "http", "https", "mailto":
			return true
		}
		return false
	}
	for _, tt := range []struct {
		addr        string
		plain, safe bool
	}{
		{"/", true, true},
		{"/rooms/projects/items/7/tasks/1042", true, true},
		{"/a-b_c.d~e/F9", true, true},
		{" /rooms/x ", false, true}, // plainPath sees it trimmed, from SafeAddress
		{"//evil.example/x", false, true},
		{"/a?b=1", false, true},
		{"/a#top", false, true},
		{"/a%20b", false, true},
		{"/a%zz", false, false},
		{"/a\x7fb", false, false},
		{"/a\x00b", false, false},
		{"/a b", false, true},
		{"/javascript:alert(1)", false, true},
		{"rooms/x", false, true},
		{"javascript:alert(1)", false, false},
		{"https://example.com/a", false, true},
		{"", false, true},
	} {
		if got := plainPath(tt.addr); got != tt.plain {
			t.Errorf("plainPath(%q) = %v, want %v", tt.addr, got, tt.plain)
		}
		if got := SafeAddress(tt.addr); got != tt.safe || got != parsed(tt.addr) {
			t.Errorf("SafeAddress(%q) = %v, want %v (parsed: %v)", tt.addr, got, tt.safe, parsed(tt.addr))
		}
	}
	// Every path of plain bytes, two long, is let through by parsing too.
	const plainBytes = "/._~-aZ09"
	for _, a := range plainBytes {
		for _, b := range plainBytes {
			addr := "/" + string(a) + string(b)
			if plainPath(addr) && !parsed(addr) {
				t.Errorf("%q is plain but parsing refuses it", addr)
			}
		}
	}
}
