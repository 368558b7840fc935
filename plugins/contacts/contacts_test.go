package contacts

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	sdkdir "github.com/atriumhq/atrium/sdk/directory"
)

// TestCatalogue: every language has every message English has and can draw
// it, and every message is still used.
func TestCatalogue(t *testing.T) {
	if err := catalog.Check(); err != nil {
		t.Fatal(err)
	}
	unused, err := catalog.Unused(os.DirFS("."), "role.")
	if err != nil || len(unused) > 0 {
		t.Fatalf("messages no code uses: %v %v", unused, err)
	}
}

// TestCardsInGerman: the vendor's roles and the heading of what a person is
// reached for are German; their own titles and responsibilities are as
// written.
func TestCardsInGerman(t *testing.T) {
	w := catalog.For("de")
	people := []sdkdir.Contact{
		{Name: "Mike Chen", Role: sdkdir.RoleManager, Responsibilities: []string{"Deal registration"}},
		{Name: "Nina Patel", Role: sdkdir.RoleSupport, Title: "Solutions Engineer"},
		{Name: "Olga", Role: sdkdir.RoleOther, Title: "Finance"},
	}
	b, _ := json.Marshal(cards(w, people, func(p sdkdir.Contact) string { return roleLabel(w, p.Role) }))
	got := string(b)
	for _, want := range []string{`"title":"Partnermanager"`, `"responsibilitiesTitle":"Ansprechpartner für"`, "Deal registration",
		`"title":"Technischer Support · Solutions Engineer"`, `"title":"Finance"`} {
		if !strings.Contains(got, want) {
			t.Errorf("want %s in %s", want, got)
		}
	}
}
