package ui

import (
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
