package room

import (
	"strings"

	"github.com/aymanbagabas/go-udiff"
)

// diffText is a unified diff of two room texts with three lines of
// context, labelled like the files of `diff -u`; "" when they are equal.
// A missing side ("", a room not published) shows every line as added or
// removed.
func diffText(fromLabel, toLabel, a, b string) string {
	if a == b {
		return ""
	}
	for _, s := range []*string{&a, &b} {
		if *s != "" && !strings.HasSuffix(*s, "\n") {
			*s += "\n"
		}
	}
	return udiff.Unified(fromLabel, toLabel, a, b)
}
