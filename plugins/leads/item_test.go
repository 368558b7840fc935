package leads

import (
	"os"
	"slices"
	"testing"

	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/ui"
)

func TestExtraDetails(t *testing.T) {
	fields := []sp.LeadField{{Name: "budget", Label: "Budget band"}, {Name: "region", Label: "Region"}}
	got := extraDetails(map[string]string{"region": "EMEA", "old_field": "x", "budget": "Large", "another": "y"}, fields)
	want := []string{"Budget band=Large", "Region=EMEA", "Another=y", "Old field=x"}
	if len(got) != len(want) {
		t.Fatalf("got %d items, want %d", len(got), len(want))
	}
	for i, it := range got {
		if it.Title+"="+it.Description != want[i] {
			t.Errorf("item %d: %s=%s, want %s", i, it.Title, it.Description, want[i])
		}
	}
}

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
}

// TestSortableColumnsInEveryLanguage: the list's sort links follow the
// columns' places, not their (translated) labels.
func TestSortableColumnsInEveryLanguage(t *testing.T) {
	for _, lang := range []string{"en", "de", "es"} {
		for _, staff := range []bool{false, true} {
			tbl := leadTable(catalog.For(lang), sp.LeadPage{}, "/", staff, func(k string) (string, string) { return "?sort=" + k, "" }).(ui.Table)
			var got []string
			for _, c := range tbl.Columns {
				got = append(got, c.SortHref)
			}
			want := []string{"?sort=company", "", "?sort=status", "", "?sort=newest"}
			if staff {
				want = append([]string{""}, want...)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s staff=%v: sort links %q, want %q", lang, staff, got, want)
			}
		}
	}
}
