package theme

import "testing"

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
