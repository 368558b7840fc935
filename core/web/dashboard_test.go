package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/i18n"
)

// TestDashFilterRoundTrip checks the dashboard's URL state reads back as
// written, drops what it does not know, and leaves defaults out of links.
func TestDashFilterRoundTrip(t *testing.T) {
	for _, c := range []struct {
		query, want string
	}{
		{"", ""},
		{"range=last-30-days", ""},
		{"range=this-year&type=reseller&type=referral&partner=3&partner=x&partner=-1", "partner=3&range=this-year&type=reseller&type=referral"},
		{"range=this-year&period=2026-Q1", "period=2026-Q1"},
		{"period=2026-13", ""},
		{"range=forever", ""},
		{"sort=sessions&dir=desc&page=3&tab=room&view=revenue", "dir=desc&page=3&sort=sessions&tab=room&view=revenue"},
		{"tab=nonsense&view=nonsense&page=-4", ""},
	} {
		q, _ := url.ParseQuery(c.query)
		if got := parseDashFilter(q).values().Encode(); got != c.want {
			t.Errorf("%q: got %q, want %q", c.query, got, c.want)
		}
	}
}

// TestLeaderboardColumnsReverse checks a second click on the sorted column
// reverses it, and the first click on a number sorts largest first.
func TestLeaderboardColumnsReverse(t *testing.T) {
	col := func(f dashFilter, label string) DashColumn {
		for _, c := range leaderboardColumns(i18n.Locale("en"), f) {
			if c.Label == label {
				return c
			}
		}
		t.Fatalf("no column %q", label)
		return DashColumn{}
	}
	def := parseDashFilter(url.Values{})
	if c := col(def, "Score"); c.Sort != "descending" || c.Href != "/admin/dashboard?sort=score#leaderboard" {
		t.Errorf("default score column: %+v", c)
	}
	if c := col(def, "Sessions"); c.Sort != "" || c.Href != "/admin/dashboard?dir=desc&sort=sessions#leaderboard" {
		t.Errorf("sessions column: %+v", c)
	}
	if c := col(def, "Partner"); c.Href != "/admin/dashboard?sort=partner#leaderboard" {
		t.Errorf("partner column: %+v", c)
	}
	byName := def
	byName.Sort = engagement.ByPartner
	if c := col(byName, "Partner"); c.Sort != "ascending" || c.Href != "/admin/dashboard?dir=desc&sort=partner#leaderboard" {
		t.Errorf("partner column when sorted by it: %+v", c)
	}
}

// TestRiskTextInTheReadersLanguage: the at-risk panel words each reason in
// the reader's language, with the reason's numbers and dates in their
// format, and never falls back to engagement's English sentence.
func TestRiskTextInTheReadersLanguage(t *testing.T) {
	last := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		risk engagement.Risk
		lang string
		want []string
	}{
		{"never active, German", engagement.Risk{Reason: engagement.RiskNoSessions, Days: 30}, "de", []string{"Noch keine Sitzungen."}},
		{"quiet, German", engagement.Risk{Reason: engagement.RiskNoSessions, Days: 30, LastActive: last}, "de", []string{"30 Tagen", "3. Nov. 2026"}},
		{"quiet, English", engagement.Risk{Reason: engagement.RiskNoSessions, Days: 30, LastActive: last}, "en", []string{"last 30 days", "Nov"}},
		{"shorter, Spanish", engagement.Risk{Reason: engagement.RiskFallingDuration, Days: 30, From: 5 * time.Minute, To: 2 * time.Minute, Drop: 60}, "es", []string{"60 %", "30 días", "5m", "2m"}},
		{"no actions, German", engagement.Risk{Reason: engagement.RiskNoActions, Days: 30, Sessions: 1200}, "de", []string{"1.200 Sitzungen", "30 Tagen"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.risk.Message = "ENGLISH SENTENCE"
			got := riskText(i18n.Locale(c.lang), c.risk)
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			if strings.Contains(got, "ENGLISH") || strings.Contains(got, "{{") {
				t.Errorf("%q is not worded from the catalogue", got)
			}
		})
	}
}
