package web

import (
	"testing"

	"github.com/atriumhq/atrium/sdk/ui"
)

// TestBlank: only trees that show nothing count as blank; a block that
// returns one draws no box in the room.
func TestBlank(t *testing.T) {
	for _, tc := range []struct {
		name string
		tree ui.Component
		want bool
	}{
		{"empty stack", ui.Stack{}, true},
		{"pointer to an empty stack", &ui.Stack{}, true},
		{"stack of empty columns", ui.Stack{Children: ui.Children{ui.Columns{}, &ui.Stack{}}}, true},
		{"stack with a heading", ui.Stack{Children: ui.Children{ui.Heading{Text: "Waiting for you", Level: 2}}}, false},
		{"columns with an empty state", ui.Columns{Children: ui.Children{ui.Empty{Title: "All clear"}}}, false},
		{"a card with no body", ui.Card{Title: "Leads"}, false},
		{"text", ui.Text{Text: "hello"}, false},
	} {
		if got := blank(tc.tree); got != tc.want {
			t.Errorf("%s: blank = %v, want %v", tc.name, got, tc.want)
		}
	}
}
