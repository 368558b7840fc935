package messages

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/store/storetest"
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

// TestWordStats: PostgreSQL's statistics of the search column tell a word
// in every message from one in a few.
func TestWordStats(t *testing.T) {
	if !slices.Contains(storetest.Engines(), storetest.Postgres) {
		t.Skip("PostgreSQL only; set " + storetest.EnvPostgres)
	}
	db := storetest.OpenEngine(t, storetest.Postgres)
	ctx := context.Background()
	generateMessages(t, db, 3, 2000)
	var w wordStats
	if !w.common(ctx, db, terms("renewal"), 50) {
		t.Errorf("renewal, in most messages, is not known as common (stats %d words)", len(w.freq))
	}
	if w.common(ctx, db, terms("customer17"), 50) {
		t.Error("a customer's name is taken for a common word")
	}
	if w.common(ctx, db, terms("renew*"), 50) {
		t.Error("a prefix is taken for a common word")
	}
}
