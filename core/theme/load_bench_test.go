package theme_test

import (
	"testing"

	"github.com/atriumhq/atrium/core/theme"
)

// BenchmarkLoad is what a portal's start spends on its theme.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := theme.Load(theme.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
