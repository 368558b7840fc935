package leads

import (
	"testing"

	sp "github.com/atriumhq/atrium/sdk/pipeline"
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
