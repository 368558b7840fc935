package overview

import (
	"encoding/json"
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
