package files

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/content"
)

// TestCatalogue: every language has every message English has and can draw
// it, and every message is still used.
func TestCatalogue(t *testing.T) {
	if err := catalog.Check(); err != nil {
		t.Fatal(err)
	}
	unused, err := catalog.Unused(os.DirFS("."))
	if err != nil || len(unused) > 0 {
		t.Fatalf("messages no code uses: %v %v", unused, err)
	}
}

// TestSpaceInGerman: a partner's space and a file's page, in German; the
// names of files, folders and people stay as they are.
func TestSpaceInGerman(t *testing.T) {
	w := catalog.For("de")
	at := time.Date(2026, 5, 4, 9, 15, 0, 0, time.UTC)
	sp := content.Space{PartnerID: 3, PartnerName: "Bluebird", Folders: []string{"Contracts"},
		Files: []content.SharedFile{{ID: 9, Name: "MSA.pdf", Folder: "Contracts", Version: 2, Updated: at, Comments: 1}}}
	d := content.SharedFileDetail{File: content.SharedFile{ID: 9, Name: "MSA.pdf", Version: 2, Updated: at},
		Versions: []content.Version{{Number: 2, Name: "MSA.pdf", Uploaded: at}},
		Accesses: []content.Access{{Who: "Tom", Action: "download", Version: 2, At: at}, {Who: "Mike", Action: "view", Version: 1, At: at}}}
	b, _ := json.Marshal([]any{space(w, sdk.RoomRef{Path: "/rooms/files"}, sp, ""), detail(w, d)})
	got := string(b)
	for _, want := range []string{"Mit Bluebird geteilte Dateien", "Datei hochladen", "Ordner", "Contracts 1 Kommentar", "v2 · 4. Mai 2026",
		"Version 2 · 4. Mai 2026, 09:15", "Neue Version hochladen", "Zugriffsprotokoll", "v2 heruntergeladen", "v1 angesehen"} {
		if !strings.Contains(got, want) {
			t.Errorf("want %q in %s", want, got)
		}
	}
	for _, english := range []string{"Files shared", "Upload", "Viewed", "Downloaded", " comment"} {
		if strings.Contains(got, english) {
			t.Errorf("English %q in %s", english, got)
		}
	}
}
