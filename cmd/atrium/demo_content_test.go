package main

import (
	"strings"
	"testing"
)

// TestDemoRespectsItsAudiences: the demo's own content keeps to its
// audiences — the commission news for gold resellers shows to Carlos (a
// gold reseller) and not to Sarah (a silver referral partner) — and every
// demo partner with users has conversations in Messages.
func TestDemoRespectsItsAudiences(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	const news = "15% commission for gold resellers"
	for _, tt := range []struct {
		email string
		sees  bool
	}{{"carlos@carlosco.example", true}, {"sarah@northwind.example", false}, {"jennifer@abccorp.example", false}} {
		c := p.client(t, tt.email)
		code, page := fetch(t, c, p.URL+"/rooms/overview")
		if code != 200 {
			t.Fatalf("%s's Overview: %d", tt.email, code)
		}
		if got := strings.Contains(page, news); got != tt.sees {
			t.Errorf("%s sees the gold resellers' news: %v, want %v", tt.email, got, tt.sees)
		}
		if code, page := fetch(t, c, p.URL+"/rooms/messages"); code != 200 || !strings.Contains(page, "Certification exam dates") {
			t.Errorf("%s's Messages: %d, without the demo conversations", tt.email, code)
		}
	}
}
