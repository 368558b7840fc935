package ui

import (
	"reflect"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	tree := Stack{Children: Children{
		Heading{Text: "Pipeline", Level: 2},
		Card{Title: "Deals", Body: Children{
			Metric{Label: "Open", Value: "5", Tone: ToneSuccess},
			Table{Columns: []TableColumn{{Label: "Name"}}, Rows: []TableRow{{Cells: Children{Text{Text: "Acme"}}}}},
		}, Footer: Children{Button{Label: "Go", Action: &Action{Name: "go", State: "s"}}}},
		Divider{},
		Form{Action: Action{Name: "submit"}, Fields: []Field{{Name: "email", Label: "Email", Type: "email", Required: true},
			{Name: "attachments", Label: "Attachments", Type: "file", Multiple: true}}},
	}}
	b, err := Marshal(tree)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), `{"kind":"stack","children":[{"kind":"heading"`) {
		t.Errorf("unexpected encoding: %s", b)
	}
	if !strings.Contains(string(b), `"type":"file","multiple":true`) {
		t.Errorf("a file field that takes several files lost its kind: %s", b)
	}
	if !strings.Contains(string(b), `{"kind":"divider"}`) {
		t.Errorf("empty component not encoded as a bare kind: %s", b)
	}
	got, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, Component(tree)) {
		t.Errorf("round trip changed the tree:\n got %#v\nwant %#v", got, tree)
	}
}

func TestUnmarshalRejects(t *testing.T) {
	for name, in := range map[string]string{
		"unknown kind":        `{"kind":"script","src":"x"}`,
		"unknown nested kind": `{"kind":"stack","children":[{"kind":"iframe"}]}`,
		"not an object":       `[1,2]`,
		"wrong field type":    `{"kind":"heading","level":"two"}`,
		"missing kind":        `{"text":"x"}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Unmarshal([]byte(in)); err == nil {
				t.Errorf("Unmarshal(%s) succeeded, want an error", in)
			}
		})
	}
}

func TestEveryKindRoundTrips(t *testing.T) {
	for _, k := range Kinds() {
		c, err := Unmarshal([]byte(`{"kind":"` + k + `"}`))
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		if c.Kind() != k {
			t.Errorf("decoded %q as %q", k, c.Kind())
		}
	}
}

func TestWalkVisitsNestedComponents(t *testing.T) {
	tree := Stack{Children: Children{Card{Body: Children{Text{Text: "a"}}, Footer: Children{Text{Text: "b"}}},
		Table{Rows: []TableRow{{Cells: Children{Text{Text: "c"}}}}}}}
	var texts []string
	maxDepth := 0
	Walk(tree, func(c Component, d int) bool {
		if t, ok := c.(Text); ok {
			texts = append(texts, t.Text)
		}
		maxDepth = max(maxDepth, d)
		return true
	})
	if strings.Join(texts, "") != "abc" || maxDepth != 2 {
		t.Errorf("Walk saw %v at max depth %d, want abc at 2", texts, maxDepth)
	}
}
