package resources

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
	unused, err := catalog.Unused(os.DirFS("."), "category.", "access.download", "access.view")
	if err != nil || len(unused) > 0 {
		t.Fatalf("messages no code uses: %v %v", unused, err)
	}
	for _, c := range content.Categories {
		if !catalog.For("en").Has("category." + c) {
			t.Errorf("category %q has no words", c)
		}
	}
}

// TestSizes: byte counts in the reader's numbers.
func TestSizes(t *testing.T) {
	for _, tc := range []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 1, "1 byte"}, {"en", 900, "900 bytes"}, {"en", 3 << 19, "1.5 MB"}, {"de", 3 << 19, "1,5 MB"},
		{"es", 5 << 10, "5 KB"}, {"de", 0, ""},
	} {
		if got := Size(catalog.For(tc.lang), tc.n); got != tc.want {
			t.Errorf("%s %d: %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}

// TestDetailInGerman: a staff member's view of a resource, in German; the
// vendor's own words (title, file name) stay as written.
func TestDetailInGerman(t *testing.T) {
	at := time.Date(2026, 3, 5, 14, 30, 0, 0, time.UTC)
	d := content.ResourceDetail{
		Resource: content.Resource{ID: 7, Title: "Pricing sheet", Category: "sales", FileName: "pricing.pdf", DownloadURL: "/d/7", Downloads: 3},
		Versions: []content.Version{{Number: 2, Name: "pricing.pdf", Uploaded: at, DownloadURL: "/d/7?v=2"}},
		Accesses: []content.Access{{Who: "Sarah", Action: "download", Version: 2, At: at}, {Who: "Tom", Action: "view", Version: 1, At: at}},
	}
	b, _ := json.Marshal(Detail(catalog.For("de"), sdk.RoomRef{Path: "/rooms/resources"}, d))
	got := string(b)
	for _, want := range []string{"pricing.pdf herunterladen", "Pricing sheet", `"subtitle":"Vertrieb"`, "Version 2: pricing.pdf", "5. März 2026",
		"Downloads (3)", "Heruntergeladen v2", "Angesehen v1", "Wer"} {
		if !strings.Contains(got, want) {
			t.Errorf("want %q in %s", want, got)
		}
	}
	for _, english := range []string{"Download ", "Versions", "Viewed", "Sales"} {
		if strings.Contains(got, english) {
			t.Errorf("English %q in %s", english, got)
		}
	}
}
