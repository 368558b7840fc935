package overview

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

func TestActivityFeed(t *testing.T) {
	now := time.Now().UTC()
	items := []sp.Activity{
		{At: now.Add(-time.Hour), Kind: "lead", ID: 2, Title: "Newer"},
		{At: now.Add(-48 * time.Hour), Kind: "deal", ID: 1, Title: "Older"},
	}
	before := now.Add(-3 * time.Hour)
	longAgo := now.Add(-100 * time.Hour)
	latest := now.Add(-time.Minute)
	req := sdk.RenderRequest{Viewer: sdk.Viewer{Role: sdk.RolePartnerUser}}
	for _, tt := range []struct {
		name     string
		items    []sp.Activity
		previous *time.Time
		want     []string // in this order
		notWant  []string
	}{
		{"first visit", items, nil, []string{"Recent activity", "Newer", "Older"}, []string{"Since your last visit", "New\""}},
		{"some new", items, &before, []string{"Since your last visit", "Newer", `"text":"New"`, "Earlier", "Older"}, nil},
		{"all new", items, &longAgo, []string{"Since your last visit", "Newer", "Older"}, []string{"Earlier"}},
		{"nothing new", items, &latest, []string{"Nothing new since your last visit", "Earlier", "Newer", "Older"}, []string{`"text":"New"`}},
		{"empty", nil, &before, []string{"Nothing yet"}, []string{"Since your last visit"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(activityFeed(req, tt.items, tt.previous))
			if err != nil {
				t.Fatal(err)
			}
			got, at := string(b), 0
			for _, w := range tt.want {
				i := strings.Index(got[at:], w)
				if i < 0 {
					t.Fatalf("want %q after position %d in %s", w, at, got)
				}
				at += i
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("did not want %q in %s", w, got)
				}
			}
		})
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

func TestWordedForTheReader(t *testing.T) {
	o := sp.Overview{LeadsTotal: 1234, OpenDeals: 2, DealsWon: 1, PipelineValue: sp.Money{Amount: 2500000, Currency: "EUR"},
		LeadsByStatus: map[string]int{sp.LeadWon: 1}}
	for _, tc := range []struct{ lang, want string }{
		{"en", `"label":"Leads submitted","value":"1,234"`},
		{"de", `"label":"Eingereichte Leads","value":"1.234"`},
		{"de", `25.000\u00a0€ in der Pipeline`},
		{"es", `1 oportunidad ganada`},
		{"es", `Cerrado`},
	} {
		l := catalog.For(tc.lang)
		b, _ := json.Marshal([]any{Metrics(l, o), StatusList(l, o)})
		got := strings.ReplaceAll(string(b), "\u00a0", `\u00a0`)
		if tc.want == "Cerrado" {
			if strings.Contains(got, "Closed") {
				t.Errorf("%s: English status labels in %s", tc.lang, got)
			}
			continue
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s: want %s in %s", tc.lang, tc.want, got)
		}
	}
}
