package pipeline_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// TestOverviewMonths: the Overview's monthly figures count each month's
// leads, registrations, wins and commission on the right side of the
// month's edges, and show a viewer exactly the partners the Overview's
// other figures show them.
func TestOverviewMonths(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		var at time.Time
		svc := pipeline.New(db, directory.New(db), pipeline.WithClock(func() time.Time { return at }))
		on := func(s string) { at, _ = time.Parse(time.RFC3339, s) }
		lead := func(v sdk.Viewer, when, company string) {
			t.Helper()
			on(when)
			if _, err := svc.SubmitLead(ctx, v, sp.LeadInput{Company: company, ContactName: "C", Email: "c@" + company + ".example"}); err != nil {
				t.Fatal(err)
			}
		}
		lead(w.sarah, "2025-12-31T23:59:59Z", "before") // one month before the window
		lead(w.sarah, "2026-03-31T23:59:59Z", "march")
		lead(w.sarah, "2026-04-01T00:00:00Z", "april")
		lead(w.sarah, "2026-05-10T10:00:00Z", "may1")
		lead(w.sarah, "2026-05-11T10:00:00Z", "may2")
		for _, c := range []string{"june1", "june2", "june3"} {
			lead(w.sarah, "2026-06-02T10:00:00Z", c)
		}
		for _, c := range []string{"c1", "c2", "c3", "c4"} {
			lead(w.carlos, "2026-06-03T10:00:00Z", c)
		}
		lead(w.harbour, "2026-06-04T10:00:00Z", "harbour")
		on("2026-02-05T10:00:00Z")
		deal, err := svc.RegisterDeal(ctx, w.carlos, sp.DealInput{Name: "Big", Company: "Big Corp", Value: sp.Money{Amount: 100000, Currency: "USD"}})
		if err != nil {
			t.Fatal(err)
		}
		on("2026-02-06T10:00:00Z")
		if _, err := svc.ReviewDeal(ctx, w.mike, sp.Review{ID: deal.ID, Approve: true}); err != nil {
			t.Fatal(err)
		}
		on("2026-05-20T10:00:00Z")
		if _, err := svc.SetDealStage(ctx, w.mike, sp.StageChange{ID: deal.ID, Stage: sp.StageWon, Reason: "fit"}); err != nil {
			t.Fatal(err)
		}
		ledger, err := svc.ListCommissions(ctx, w.mike, sp.CommissionQuery{PartnerID: w.carlos.PartnerID()})
		if err != nil || ledger.Total != 1 || ledger.Items[0].Amount.Amount <= 0 {
			t.Fatalf("commissions = %+v, %v", ledger, err)
		}
		earned := ledger.Items[0].Amount.Amount
		on("2026-06-15T12:00:00Z")

		type want struct {
			leads, registered, won []int
			value, commission      []int64
		}
		none := []int{0, 0, 0, 0, 0, 0}
		sarah := want{leads: []int{0, 0, 1, 1, 2, 3}, registered: none, won: none, value: make([]int64, 6), commission: make([]int64, 6)}
		carlos := want{leads: []int{0, 0, 0, 0, 0, 4}, registered: []int{0, 1, 0, 0, 0, 0}, won: []int{0, 0, 0, 0, 1, 0},
			value: []int64{0, 0, 0, 0, 100000, 0}, commission: []int64{0, 0, 0, 0, earned, 0}}
		both := want{leads: []int{0, 0, 1, 1, 2, 7}, registered: carlos.registered, won: carlos.won, value: carlos.value, commission: carlos.commission}
		empty := want{leads: none, registered: none, won: none, value: make([]int64, 6), commission: make([]int64, 6)}
		harbour := want{leads: []int{0, 0, 0, 0, 0, 1}, registered: none, won: none, value: make([]int64, 6), commission: make([]int64, 6)}
		for _, c := range []struct {
			name    string
			v       sdk.Viewer
			partner int64
			want    want
		}{
			{"partner sees its own", w.sarah, 0, sarah},
			{"partner asking for another sees its own", w.sarah, w.carlos.PartnerID(), sarah},
			{"other partner", w.carlos, 0, carlos},
			{"distributor sees its own, not its sub-partner's", w.dana, 0, empty},
			{"sub-partner", w.harbour, 0, harbour},
			{"manager, one partner", w.mike, w.carlos.PartnerID(), carlos},
			{"manager, all theirs", w.mike, 0, both},
			{"other manager, a partner they do not manage", w.priya, w.carlos.PartnerID(), empty},
			{"other manager, all theirs", w.priya, 0, harbour},
		} {
			t.Run(c.name, func(t *testing.T) {
				ov, err := svc.Overview(ctx, c.v, sp.OverviewQuery{PartnerID: c.partner, Part: "figures", Months: 6})
				if err != nil {
					t.Fatal(err)
				}
				if len(ov.Months) != 6 {
					t.Fatalf("months = %d", len(ov.Months))
				}
				var got want
				for i, m := range ov.Months {
					if start := time.Date(2026, time.Month(i+1), 1, 0, 0, 0, 0, time.UTC); !m.Start.Equal(start) {
						t.Errorf("month %d starts %s, want %s", i, m.Start, start)
					}
					if m.WonValue.Currency != "USD" || m.Commission.Currency != "USD" {
						t.Errorf("month %d currencies %q %q", i, m.WonValue.Currency, m.Commission.Currency)
					}
					got.leads = append(got.leads, m.LeadsSubmitted)
					got.registered = append(got.registered, m.DealsRegistered)
					got.won = append(got.won, m.DealsWon)
					got.value = append(got.value, m.WonValue.Amount)
					got.commission = append(got.commission, m.Commission.Amount)
				}
				for _, f := range []struct {
					name      string
					got, want []int
				}{{"leads", got.leads, c.want.leads}, {"registered", got.registered, c.want.registered}, {"won", got.won, c.want.won}} {
					if !slices.Equal(f.got, f.want) {
						t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
					}
				}
				if !slices.Equal(got.value, c.want.value) || !slices.Equal(got.commission, c.want.commission) {
					t.Errorf("won value %v commission %v, want %v %v", got.value, got.commission, c.want.value, c.want.commission)
				}
				// The month's figure agrees with the tile's own count.
				if ov.LeadsThisMonth != got.leads[5] {
					t.Errorf("leads this month %d, June %d", ov.LeadsThisMonth, got.leads[5])
				}
			})
		}
		// This month so far is compared with last month up to the same
		// point: on 15 June at noon, 1 May to 15 May at noon; on 31
		// March, all of February (never into March); on 3 March, 1-3
		// February.
		for _, c := range []struct {
			name, now string
			v         sdk.Viewer
			want      sp.MonthFigures
		}{
			{"May's leads before the 15th", "2026-06-15T12:00:00Z", w.sarah, sp.MonthFigures{LeadsSubmitted: 2}},
			{"the deal won on 20 May is not in it", "2026-06-15T12:00:00Z", w.carlos, sp.MonthFigures{}},
			{"but is by 20 June", "2026-06-20T10:00:01Z", w.carlos, sp.MonthFigures{DealsWon: 1, WonValue: sp.Money{Amount: 100000}, Commission: sp.Money{Amount: earned}}},
			{"a short last month, whole", "2026-03-31T23:00:00Z", w.carlos, sp.MonthFigures{DealsRegistered: 1}},
			{"a long one, cut", "2026-03-03T10:00:00Z", w.carlos, sp.MonthFigures{}},
			{"another partner's, none", "2026-06-20T10:00:01Z", w.sarah, sp.MonthFigures{LeadsSubmitted: 2}},
		} {
			on(c.now)
			ov, err := svc.Overview(ctx, c.v, sp.OverviewQuery{Part: "figures", Months: 6})
			if err != nil || ov.LastMonthToDate == nil {
				t.Fatalf("%s: %+v, %v", c.name, ov.LastMonthToDate, err)
			}
			got := *ov.LastMonthToDate
			if want := ov.Months[4].Start; !got.Start.Equal(want) {
				t.Errorf("%s: starts %s, want %s", c.name, got.Start, want)
			}
			if got.LeadsSubmitted != c.want.LeadsSubmitted || got.DealsRegistered != c.want.DealsRegistered || got.DealsWon != c.want.DealsWon ||
				got.WonValue.Amount != c.want.WonValue.Amount || got.Commission.Amount != c.want.Commission.Amount {
				t.Errorf("%s: last month to date = %+v, want %+v", c.name, got, c.want)
			}
		}
		if ov, err := svc.Overview(ctx, w.sarah, sp.OverviewQuery{Part: "figures", Months: 1}); err != nil || ov.LastMonthToDate != nil || len(ov.Months) != 1 {
			t.Errorf("one month: %+v, %v", ov, err)
		}
		on("2026-06-15T12:00:00Z")

		// No months unless asked; never more than a year.
		if ov, err := svc.Overview(ctx, w.sarah, sp.OverviewQuery{Part: "figures"}); err != nil || ov.Months != nil {
			t.Errorf("unasked months = %v, %v", ov.Months, err)
		}
		if ov, err := svc.Overview(ctx, w.sarah, sp.OverviewQuery{Part: "figures", Months: 40}); err != nil || len(ov.Months) != sp.MaxOverviewMonths ||
			!ov.Months[0].Start.Equal(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)) || ov.Months[5].LeadsSubmitted != 1 {
			t.Errorf("a year of months = %+v, %v", ov.Months, err)
		}
	})
}

// TestDealsUntil: the deals list keeps, on request, only the deals whose
// protection ends or which should close before a date, so the Overview's
// next steps read those and not the partner's whole book.
func TestDealsUntil(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		svc := pipeline.New(db, directory.New(db), pipeline.WithClock(func() time.Time { return at }))
		register := func(name, closes string) sp.Deal {
			t.Helper()
			d, err := svc.RegisterDeal(ctx, w.carlos, sp.DealInput{Name: name, Company: name + " Inc", Value: sp.Money{Amount: 1000}, ExpectedClose: closes})
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		register("Closes soon", "2026-06-10")
		register("Closes later", "2026-09-01")
		register("No date", "")
		protected := register("Protected", "")
		if _, err := svc.ReviewDeal(ctx, w.mike, sp.Review{ID: protected.ID, Approve: true}); err != nil {
			t.Fatal(err)
		}
		cfg, err := svc.Config(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names := func(v sdk.Viewer, until time.Time) []string {
			t.Helper()
			page, err := svc.ListDeals(ctx, v, sp.DealQuery{Open: true, Until: &until})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, d := range page.Items {
				out = append(out, d.Name)
			}
			slices.Sort(out)
			return out
		}
		if got := names(w.carlos, at.AddDate(0, 0, 15)); !slices.Equal(got, []string{"Closes soon"}) {
			t.Errorf("until in 15 days: %v", got)
		}
		if got := names(w.carlos, at.AddDate(0, 0, cfg.ProtectionDays+1)); !slices.Contains(got, "Protected") || slices.Contains(got, "No date") {
			t.Errorf("until protection ends: %v", got)
		}
		if got := names(w.sarah, at.AddDate(1, 0, 0)); len(got) != 0 {
			t.Errorf("another partner's deals: %v", got)
		}
	})
}
