package introduction

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk/plugintest"
	"github.com/atriumhq/atrium/sdk/ui"
)

func TestRender(t *testing.T) {
	mike := ui.Person{Name: "Mike Chen", Title: "Partner Manager", PhotoURL: "/files/mike.jpg", Bio: "Ten years in **channel sales**.",
		Email: "mike@acme.example", Phone: "+1 415 555 0142", Reach: "Email first", Responsibilities: []string{"Onboarding", "Deal registration"},
		ResponsibilitiesTitle: "Reach out about"}
	const mikeJSON = `{"name":"Mike Chen","title":"Partner Manager","photo":"/files/mike.jpg","bio":"Ten years in **channel sales**.",
		"email":"mike@acme.example","phone":"+1 415 555 0142","reach":"Email first","responsibilities":["Onboarding","Deal registration"]}`
	tests := []struct {
		name   string
		config string
		want   ui.Component
	}{
		{"title, intro and one person", `{"title":"Your partner team","intro":"Say *hello*.","people":[` + mikeJSON + `]}`,
			ui.Stack{Children: ui.Children{
				ui.Heading{Text: "Your partner team", Level: 2},
				ui.Markdown{Source: "Say *hello*."},
				ui.Columns{Count: 2, Children: ui.Children{mike}},
			}}},
		{"cards only", `{"people":[{"name":"A"},{"name":"B"}]}`,
			ui.Stack{Children: ui.Children{ui.Columns{Count: 2, Children: ui.Children{ui.Person{Name: "A"}, ui.Person{Name: "B"}}}}}},
		{"a team", `{"people":[{"name":"A"},{"name":"B"},{"name":"C"},{"name":"D"}]}`,
			ui.Stack{Children: ui.Children{ui.Columns{Count: 3, Children: ui.Children{
				ui.Person{Name: "A"}, ui.Person{Name: "B"}, ui.Person{Name: "C"}, ui.Person{Name: "D"},
			}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := plugintest.Render(t, New(), plugintest.Partner(), tt.config, nil)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestInvalidConfig(t *testing.T) {
	tests := []struct {
		name, config string
		want         []string
	}{
		{"empty", ``, []string{"people: add at least one person"}},
		{"too many", `{"people":[` + strings.Repeat(`{"name":"A"},`, 24) + `{"name":"A"}]}`, []string{"people: at most 24 people"}},
		{"no name", `{"people":[{"name":"A"},{"title":"CEO"}]}`, []string{"people[1].name: is required"}},
		{"photo", `{"people":[{"name":"A","photo":"javascript:alert(1)"}]}`, []string{`people[0].photo: must be an https URL or a path starting with "/"`}},
		{"http photo", `{"people":[{"name":"A","photo":"http://acme.example/a.jpg"}]}`, []string{"people[0].photo: must be"}},
		{"email", `{"people":[{"name":"A","email":"Mike <mike@acme.example>"}]}`, []string{"people[0].email: must be an email address"}},
		{"wrong type", `{"people":[{"name":"A","responsibilities":"all"}]}`, []string{"config:"}},
	}
	bt := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plugintest.Refuses(t, bt, tt.config, tt.want...)
		})
	}
}

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

// TestResponsibilitiesHeadingInGerman: the portal's heading is German; the
// manager's words are not touched.
func TestResponsibilitiesHeadingInGerman(t *testing.T) {
	v := plugintest.Partner()
	v.Locale = "de"
	got := plugintest.Render(t, New(), v, `{"people":[{"name":"Mike","responsibilities":["Onboarding"]}]}`, nil)
	p := got.(ui.Stack).Children[0].(ui.Columns).Children[0].(ui.Person)
	if p.ResponsibilitiesTitle != "Ansprechpartner für" || p.Responsibilities[0] != "Onboarding" {
		t.Errorf("%#v", p)
	}
}
