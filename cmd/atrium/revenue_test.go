package main

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

// viewerOf is a demo user as the pipeline sees them.
func viewerOf(t testing.TB, p *testPortal, email string) sdk.Viewer {
	t.Helper()
	ctx := context.Background()
	s := p.services(t)
	u, err := s.dir.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	if u.PartnerID == nil {
		return u.Viewer(nil)
	}
	pt, err := s.dir.Partner(ctx, *u.PartnerID)
	if err != nil {
		t.Fatal(err)
	}
	return u.Viewer(&pt)
}

// winBluebirdDeal registers a deal for Bluebird Marketing (which only Priya
// manages), has Priya approve it and close it won.
func winBluebirdDeal(t testing.TB, p *testPortal, name string, value sp.Money) {
	t.Helper()
	ctx := context.Background()
	svc := p.services(t).pipe
	tom, priya := viewerOf(t, p, "tom@bluebird.example"), viewerOf(t, p, "priya@acme.example")
	d, err := svc.RegisterDeal(ctx, tom, sp.DealInput{Name: name, Company: name + " Inc", Value: value})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ReviewDeal(ctx, priya, sp.Review{ID: d.ID, Approve: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetDealStage(ctx, priya, sp.StageChange{ID: d.ID, Stage: sp.StageWon, Reason: "Signed"}); err != nil {
		t.Fatal(err)
	}
}

// TestRevenueDashboardOnTheDemo opens the Revenue & Leads view as the admin,
// Mike and Priya on the demo (plus two deals Bluebird wins today, one in
// euros) and checks the figures in the page, the CSV and the API agree,
// and that Bluebird's numbers, Priya's partner, never reach Mike's view.
func TestRevenueDashboardOnTheDemo(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	winBluebirdDeal(t, p, "Bluebird rebrand", sp.Money{Amount: 33_333_00, Currency: "USD"})
	winBluebirdDeal(t, p, "Bluebird Berlin launch", sp.Money{Amount: 77_777_00, Currency: "EUR"})
	const page = "/admin/dashboard?view=revenue&range=this-year"
	// The demo's story runs over the last 45 days: this year holds all of it
	// unless the year is young.
	wholeStory := time.Now().UTC().YearDay() > 50

	type kpis struct {
		Currency   string `json:"currency"`
		RevenueWon struct {
			Value []sp.Money `json:"value"`
		} `json:"revenueWon"`
		DealsWon struct {
			Value float64 `json:"value"`
		} `json:"dealsWon"`
		LeadsSubmitted struct {
			Value float64 `json:"value"`
		} `json:"leadsSubmitted"`
	}
	in := func(ms []sp.Money, cur string) int64 {
		for _, m := range ms {
			if m.Currency == cur {
				return m.Amount
			}
		}
		return 0
	}
	for _, c := range []struct {
		email          string
		usd, eur       int64 // revenue won this year, minor units
		deals, leads   float64
		want, wantNot  []string
		bluebirdInTops bool
	}{
		// Demo wins: Cyberdyne $60,000 (Carlos & Co), Stark $120,000, Wayne
		// $90,000 and Acme Corp $45,000 (ABC Corp) = $315,000, and XYZ
		// Distribution's network (whose sub-partners Mike reaches through
		// their distributor) $519,000 in ten deals; 57 leads, 47 of them the
		// network's and one Bluebird's.
		{"admin@acme.example", 867_333_00, 77_777_00, 16, 57,
			[]string{"$867,333", "€77,777", "Bluebird Marketing", "ABC Corp", "Carlos &amp; Co"}, nil, true},
		{"mike@acme.example", 834_000_00, 0, 14, 56,
			[]string{"$834,000", "ABC Corp", "Carlos &amp; Co"}, []string{"€77,777", "$867,333", "$33,333", "Bluebird"}, false},
		{"priya@acme.example", 33_333_00, 77_777_00, 2, 1,
			[]string{"$33,333", "€77,777", "Bluebird Marketing"}, []string{"ABC Corp", "Carlos &amp; Co", "$834,000"}, true},
	} {
		t.Run(strings.Split(c.email, "@")[0], func(t *testing.T) {
			cl := p.client(t, c.email)
			var k kpis
			if st := getJSON(t, cl, p.URL+"/api/v1/analytics/revenue?range=this-year", &k); st != http.StatusOK {
				t.Fatalf("API: %d", st)
			}
			if in(k.RevenueWon.Value, "EUR") != c.eur || k.Currency != "USD" {
				t.Errorf("API revenue won %+v, want EUR %d", k.RevenueWon.Value, c.eur)
			}
			if wholeStory && (in(k.RevenueWon.Value, "USD") != c.usd || k.DealsWon.Value != c.deals || k.LeadsSubmitted.Value != c.leads) {
				t.Errorf("API: won %+v in %v deals, %v leads; want USD %d in %v deals, %v leads", k.RevenueWon.Value, k.DealsWon.Value,
					k.LeadsSubmitted.Value, c.usd, c.deals, c.leads)
			}
			st, body := fetch(t, cl, p.URL+page)
			if st != http.StatusOK {
				t.Fatalf("page: %d", st)
			}
			for _, s := range []string{"Revenue won", "Pipeline by stage", "Lead conversion funnel", "Top partners by revenue", "Commissions",
				`role="list" aria-label="Lead conversion funnel"`, `tabindex="0"`, "Show as a table"} {
				if !strings.Contains(body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			want := c.want
			if !wholeStory { // only today's deals are sure to be in this year
				want = nil
				if c.eur != 0 {
					want = []string{"€77,777"}
				}
			}
			for _, s := range want {
				if !strings.Contains(body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			for _, s := range c.wantNot {
				if strings.Contains(body, s) {
					t.Errorf("page shows %q", s)
				}
			}
			st, csv := fetch(t, cl, p.URL+"/admin/dashboard/export/revenue-partners?view=revenue&range=this-year")
			if st != http.StatusOK || !strings.HasPrefix(csv, "rank,partner_id,partner,type,deals_won,currency,revenue_won\n") {
				t.Fatalf("CSV: %d %q", st, csv)
			}
			if got := strings.Contains(csv, "Bluebird Marketing,referral,2,EUR,77777.00"); got != c.bluebirdInTops {
				t.Errorf("CSV has Bluebird's euros: %v, want %v:\n%s", got, c.bluebirdInTops, csv)
			}
			// A manager who picks another manager's partner gets nothing of it.
			var pk kpis
			bluebird, err := p.services(t).dir.PartnerBySlug(context.Background(), "bluebird-marketing")
			if err != nil {
				t.Fatal(err)
			}
			getJSON(t, cl, p.URL+"/api/v1/analytics/revenue?range=this-year&partner="+strconv.FormatInt(bluebird.ID, 10), &pk)
			if got := in(pk.RevenueWon.Value, "USD"); (c.email == "mike@acme.example") != (got == 0) {
				t.Errorf("picking Bluebird: USD %d", got)
			}
		})
	}
}

// TestRevenueDashboardEmptyStates checks the view says why it shows nothing.
func TestRevenueDashboardEmptyStates(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	admin := p.client(t, "admin@acme.example")
	for _, c := range []struct {
		who, path, want string
	}{
		// Nina is a manager with no partners of her own.
		{"nina@acme.example", "/admin/dashboard?view=revenue", "You manage no partners yet"},
		{"admin@acme.example", "/admin/dashboard?view=revenue&period=2019", "No lead was submitted, no deal won and no commission earned in this period"},
		{"admin@acme.example", "/admin/dashboard?view=revenue&period=2019&type=referral", "No lead, deal or commission of the partners these filters select"},
	} {
		cl := admin
		if c.who != "admin@acme.example" {
			cl = p.client(t, c.who)
		}
		st, body := fetch(t, cl, p.URL+c.path)
		if st != http.StatusOK || !strings.Contains(body, c.want) {
			t.Errorf("%s %s: %d, lacks %q", c.who, c.path, st, c.want)
		}
	}
}
