package roomfile_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/roomfile"
)

// TestTitlesByLanguage: a room's title may be one string or a map of
// languages; readers get theirs, else the English one; the map is stored,
// exported in the same form and applied again without change; a bad
// language or an empty title is a problem at its path.
func TestTitlesByLanguage(t *testing.T) {
	const head = "apiVersion: atrium/v1\nkind: Room\nslug: training\npartnerTypes: [reseller]\nposition: 1\n"
	for _, tc := range []struct {
		name, title string
		want        map[string]string // reader's language -> title
		problem     string
	}{
		{"a plain string", "title: Training", map[string]string{"en": "Training", "de": "Training"}, ""},
		{"by language", "title: {en: Training, de: Schulungen, es: Formación}",
			map[string]string{"en": "Training", "de": "Schulungen", "de-AT": "Schulungen", "es": "Formación", "fr": "Training"}, ""},
		{"no English", "title: {de: Schulungen, es: Formación}", map[string]string{"en": "Schulungen", "es": "Formación"}, ""},
		{"a bad language", "title: {en: Training, Deutsch: Schulungen}", nil, "title"},
		{"an empty translation", `title: {en: Training, de: ""}`, nil, "title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := roomfile.Parse("training.yaml", []byte(head+tc.title+"\nblocks:\n  - {id: intro, type: text, config: {markdown: Hello}}\n"))
			if tc.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tc.problem) {
					t.Fatalf("want a problem at %q, got %v", tc.problem, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			svc := service(t)
			ctx := context.Background()
			if _, err := roomfile.Apply(ctx, svc, docs, room.ApplyOptions{}); err != nil {
				t.Fatal(err)
			}
			rooms, _ := svc.List(ctx)
			if len(rooms) != 1 {
				t.Fatalf("%d rooms", len(rooms))
			}
			for lang, want := range tc.want {
				if got := rooms[0].TitleIn(lang); got != want {
					t.Errorf("a %s reader sees %q, want %q", lang, got, want)
				}
			}
			dir := t.TempDir()
			if _, err := roomfile.WriteDir(dir, program.Default(), rooms, nil); err != nil {
				t.Fatal(err)
			}
			again, err := roomfile.Load(filepath.Join(dir, "training.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			res, err := roomfile.Apply(ctx, svc, again, room.ApplyOptions{})
			if err != nil || res.Changes() != 0 {
				b, _ := os.ReadFile(filepath.Join(dir, "training.yaml"))
				t.Errorf("re-apply of the export changed the room: %+v, %v\n%s", res, err, b)
			}
		})
	}
}
