package messages

import (
	"reflect"
	"strings"
	"testing"

	sm "github.com/atriumhq/atrium/sdk/messages"
)

func TestTerms(t *testing.T) {
	cases := []struct {
		q    string
		want []term
	}{
		{"Contoso", []term{{"contoso", false}}},
		{"certif* exam", []term{{"certif", true}, {"exam", false}}},
		{"ab*", []term{{"ab", false}}}, // too short to be a prefix
		{`"contoso" OR NOT x`, []term{{"contoso", false}, {"or", false}, {"not", false}, {"x", false}}},
		{"o'brien*", []term{{"o", false}, {"brien", true}}},
		{"a & b | !c (", []term{{"a", false}, {"b", false}, {"c", false}}},
		{"?! *", nil},
		{strings.Repeat("w ", 20), []term{{"w", false}, {"w", false}, {"w", false}, {"w", false}, {"w", false}, {"w", false}, {"w", false}, {"w", false}}},
	}
	for _, c := range cases {
		if got := terms(c.q); !reflect.DeepEqual(got, c.want) {
			t.Errorf("terms(%q) = %v, want %v", c.q, got, c.want)
		}
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("filler ", 40) + "the Contoso renewal is due." + strings.Repeat(" more", 40)
	cases := []struct {
		name, body, q string
		want          []sm.Span
	}{
		{"short", "Which discount for Contoso?", "contoso",
			[]sm.Span{{Text: "Which discount for "}, {Text: "Contoso?", Match: true}}},
		{"accents fold", "Le café est prêt", "cafe",
			[]sm.Span{{Text: "Le "}, {Text: "café", Match: true}, {Text: " est prêt"}}},
		{"window around the match", long, "contoso", nil},
		{"prefix", "Certification dates", "certif*",
			[]sm.Span{{Text: "Certification", Match: true}, {Text: " dates"}}},
	}
	for _, c := range cases {
		got := snippet(c.body, terms(c.q))
		if c.want != nil && !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
		var text strings.Builder
		matched := 0
		for _, s := range got {
			text.WriteString(s.Text)
			if s.Match {
				matched++
			}
		}
		if matched == 0 || len(strings.Fields(text.String())) > snippetWords+2 {
			t.Errorf("%s: snippet %q has %d matches", c.name, text.String(), matched)
		}
	}
}
