package main

import (
	"net/http"
	"strings"
	"testing"
)

func TestContactsRoom(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	for _, tc := range []struct {
		email      string
		want, hide []string
	}{
		// Carlos & Co: Mike manages it; its own team is Carlos and Lisa.
		{"lisa@carlosco.example",
			[]string{"Mike Chen", "<p class=\"person-title\">Partner manager</p>", "Deal registration", "Email first; calls Tuesday to Thursday",
				"Nina Patel", "Technical support · Solutions Engineer", "Jordan Blake", "Marketing · Partner Marketing Manager",
				"Your team", "Carlos Rivera", "Lisa Park", "mailto:nina@acme.example"},
			[]string{"Priya Nair", "Sarah Johnson", "Tom Becker"}},
		// Bluebird is Priya's: its contacts name her, not Mike.
		{"tom@bluebird.example",
			[]string{"Priya Nair", "Nina Patel", "Jordan Blake", "Tom Becker"},
			[]string{"Mike Chen", "Lisa Park", "Carlos Rivera"}},
	} {
		t.Run(tc.email, func(t *testing.T) {
			code, body := fetch(t, p.client(t, tc.email), p.URL+"/rooms/contacts")
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			for _, s := range tc.want {
				if !strings.Contains(body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			for _, s := range tc.hide {
				if strings.Contains(body, s) {
					t.Errorf("page shows %q", s)
				}
			}
		})
	}
}
