package tasks

import (
	"os"
	"testing"
)

// TestCatalogue: every language has every message English has and can draw
// it, and every message is still used.
func TestCatalogue(t *testing.T) {
	if err := catalog.Check(); err != nil {
		t.Fatal(err)
	}
	unused, err := catalog.Unused(os.DirFS("."), "progress.")
	if err != nil || len(unused) > 0 {
		t.Fatalf("messages no code uses: %v %v", unused, err)
	}
}

// TestProgressInEveryLanguage: the count of tasks takes the language's
// plural form, and the figures its numbers.
func TestProgressInEveryLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang, id string
		done, of int
		want     string
	}{
		{"en", "progress.team", 2, 4, "2 of 4 tasks done by your team"},
		{"en", "progress.you", 0, 1, "0 of 1 task done by you"},
		{"de", "progress.team", 1, 1, "1 von 1 Aufgabe von Ihrem Team erledigt"},
		{"de", "progress.you", 3, 5, "3 von 5 Aufgaben von Ihnen erledigt"},
		{"es", "progress.team", 1, 3, "1 de 3 tareas hechas por tu equipo"},
		{"es", "progress.you", 1, 1, "1 de 1 tarea hecha por ti"},
	} {
		w := catalog.For(tc.lang)
		if got := w.N(tc.id, tc.of, "Done", w.Int(int64(tc.done))); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.lang, tc.id, got, tc.want)
		}
	}
}
