package brand

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk/content"
)

// TestCatalogue: every language has every message English has and can draw
// it, every message is still used, and every brand section has a title.
func TestCatalogue(t *testing.T) {
	if err := catalog.Check(); err != nil {
		t.Fatal(err)
	}
	unused, err := catalog.Unused(os.DirFS("."), "section.")
	if err != nil || len(unused) > 0 {
		t.Fatalf("messages no code uses: %v %v", unused, err)
	}
	for _, s := range content.BrandSections {
		if !catalog.For("en").Has("section." + s) {
			t.Errorf("brand section %q has no title", s)
		}
	}
}

// TestColoursInSpanish: the colour table's words and a staff member's
// download counts are the reader's; the vendor's colour names are not.
func TestColoursInSpanish(t *testing.T) {
	items := []content.Resource{{Title: "Acme Indigo", Swatch: "#4f46e5", Description: "Primary", PreviewURL: "/p.png", FileName: "indigo.ase", DownloadURL: "/d/1", Downloads: 1}}
	b, _ := json.Marshal(sectionBody(catalog.For("es"), "colors", items, true))
	got := string(b)
	for _, want := range []string{"Código", "Uso", "Muestra de Acme Indigo", "Acme Indigo", "ASE · 1 descarga"} {
		if !strings.Contains(got, want) {
			t.Errorf("want %q in %s", want, got)
		}
	}
	if strings.Contains(got, "swatch") || strings.Contains(got, "1 download") || strings.Contains(got, `"Colour"`) {
		t.Errorf("English in %s", got)
	}
}
