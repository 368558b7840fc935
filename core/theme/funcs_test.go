package theme

import (
	"slices"
	"testing"

	"github.com/atriumhq/atrium/sdk/ui"
)

// TestColumnCount: the count is kept between 2 and 4, and with more
// children than columns the rows balance instead of leaving one alone.
func TestColumnCount(t *testing.T) {
	for _, tc := range []struct {
		count, children, want int
	}{
		{0, 0, 2}, {1, 1, 2}, {3, 3, 3}, {9, 4, 4},
		{4, 2, 4}, // fewer children than columns: the count stands
		{4, 5, 3}, // 3 + 2, not 4 + 1
		{4, 6, 3}, // 3 + 3
		{4, 7, 4}, // 4 + 3
		{3, 4, 2}, // 2 + 2, not 3 + 1
		{2, 3, 2}, // two columns cannot do better than 2 + 1
		{4, 9, 3}, // 3 + 3 + 3
	} {
		if got := columnCount(tc.count, tc.children); got != tc.want {
			t.Errorf("columnCount(%d, %d) = %d, want %d", tc.count, tc.children, got, tc.want)
		}
	}
	if got := columnCount(3); got != 3 {
		t.Errorf("columnCount(3) = %d: a theme that passes no children keeps its count", got)
	}
}

// TestCardHeadingLevels: a card's title sits one level below the last
// heading of its block, h2 when it opens the block, and headings in its
// body count from it; siblings share a level.
func TestCardHeadingLevels(t *testing.T) {
	th := load(t, "")
	for _, tc := range []struct {
		name string
		tree ui.Component
		want []string // heading tags in document order
	}{
		{"a card opens the block", ui.Card{Title: "Deal"}, []string{"h2"}},
		{"cards under the block's heading", ui.Stack{Children: ui.Children{ui.Heading{Text: "Pipeline"}, ui.Columns{Children: ui.Children{ui.Card{Title: "A"}, ui.Card{Title: "B"}}}}}, []string{"h2", "h3", "h3"}},
		{"siblings share a level", ui.Stack{Children: ui.Children{ui.Card{Title: "A"}, ui.Card{Title: "B"}}}, []string{"h2", "h2"}},
		{"a heading in a card's body", ui.Stack{Children: ui.Children{ui.Card{Title: "A", Body: ui.Children{ui.Heading{Text: "Inside", Level: 3}, ui.Card{Title: "Nested"}}}, ui.Card{Title: "B"}}}, []string{"h2", "h3", "h4", "h2"}},
		{"a card without a title changes nothing", ui.Stack{Children: ui.Children{ui.Card{Body: ui.Children{ui.Text{Text: "x"}}}, ui.Card{Title: "B"}}}, []string{"h2"}},
	} {
		out, err := th.Component(tc.tree, &BlockContext{BlockID: "b"})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []string
		for _, n := range elements(t, string(out)) {
			if len(n.Data) == 2 && n.Data[0] == 'h' && n.Data[1] >= '1' && n.Data[1] <= '6' {
				got = append(got, n.Data)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: headings %v, want %v", tc.name, got, tc.want)
		}
	}
}
