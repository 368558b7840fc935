package analytics

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

// TestCatalogue: every language has every message English has and can draw
// it, and every message is still used.
func TestCatalogue(t *testing.T) {
	if err := catalog.Check(); err != nil {
		t.Fatal(err)
	}
	unused, err := catalog.Unused(os.DirFS("."), "status.")
	if err != nil || len(unused) > 0 {
		t.Fatalf("messages no code uses: %v %v", unused, err)
	}
	for _, s := range sp.LeadStatuses {
		if !catalog.For("en").Has("status." + s) {
			t.Errorf("lead status %q has no words", s)
		}
	}
}

// TestTilesForTheReader: the figures in the reader's words and numbers.
func TestTilesForTheReader(t *testing.T) {
	o := sp.Overview{LeadsTotal: 1234, OpenDeals: 2, DealsWon: 1, PipelineValue: sp.Money{Amount: 2500000, Currency: "EUR"}}
	for _, tc := range []struct{ lang, want string }{
		{"en", `"label":"Leads submitted","value":"1,234"`},
		{"de", `"label":"Eingereichte Leads","value":"1.234"`},
		{"de", `25.000 € in der Pipeline`},
		{"es", `1 oportunidad ganada`},
	} {
		b, _ := json.Marshal(Tiles(catalog.For(tc.lang), o))
		if got := strings.ReplaceAll(string(b), "\u00a0", " "); !strings.Contains(got, tc.want) {
			t.Errorf("%s: want %s in %s", tc.lang, tc.want, got)
		}
	}
}
