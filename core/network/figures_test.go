package network_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/network"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/revenue"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sn "github.com/atriumhq/atrium/sdk/network"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// TestSubPartnerFiguresFollowEveryChange puts generated partners into two
// distributors' networks, changes the pipeline every way the counts per
// partner must follow (statuses, stages, values, currencies, dates across
// UTC midnights, deals won and reopened, rows moved between partners,
// partners moved between networks, deletions), in bulk and row by row,
// and checks that the dashboard's row per sub-partner and its leads by
// status equal core/revenue's totals per partner, over ranges that cut
// months anywhere, in zones on, off and a quarter hour off UTC's, for a
// viewer who reaches the whole network and one who reaches part of it;
// and that the money per partner equals the rows all time.
func TestSubPartnerFiguresFollowEveryChange(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		dir := directory.New(db)
		prog := program.Default()
		prog.Network = &program.Network{ParentTypes: []string{"distributor"}}
		if err := program.Save(ctx, db, prog); err != nil {
			t.Fatal(err)
		}
		admin, err := dir.CreateUser(ctx, directory.UserInput{Email: "ada@vendor.test", Name: "Ada", Role: sdk.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		mike, err := dir.CreateUser(ctx, directory.UserInput{Email: "mike@vendor.test", Name: "Mike", Role: sdk.RoleManager})
		if err != nil {
			t.Fatal(err)
		}
		res, err := pipeline.Generate(ctx, db, pipeline.GenerateOptions{Partners: 16, Leads: 3000, Seed: 11, Currencies: []string{"USD", "EUR"}})
		if err != nil {
			t.Fatal(err)
		}
		ids := res.PartnerIDs
		var dists []int64
		for _, name := range []string{"Dist One", "Dist Two"} {
			d, err := dir.CreatePartner(ctx, directory.PartnerInput{Name: name, Type: "distributor", Tier: "gold", Stage: "active"})
			if err != nil {
				t.Fatal(err)
			}
			dists = append(dists, d.ID)
		}
		d1, d2 := dists[0], dists[1]
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		exec("UPDATE partners SET parent_id = ? WHERE id IN (?)", d1, bun.List(ids[:8]))
		exec("UPDATE partners SET parent_id = ? WHERE id IN (?)", d2, bun.List(ids[8:12]))
		// Mike manages Dist One and five of its sub-partners: part of it.
		exec("UPDATE partners SET manager_id = NULL")
		exec("UPDATE partners SET manager_id = ? WHERE id IN (?)", mike.ID, bun.List(append([]int64{d1, d2}, ids[:5]...)))

		exec("UPDATE pipeline_leads SET status = ? WHERE id % 7 = 0", sp.LeadQualified)
		exec("UPDATE pipeline_leads SET partner_id = ? WHERE id % 13 = 0", ids[3])
		exec("UPDATE partners SET parent_id = ? WHERE id = ?", d2, ids[2])  // changes network
		exec("UPDATE partners SET parent_id = NULL WHERE id = ?", ids[9])   // leaves its network
		exec("UPDATE partners SET parent_id = ? WHERE id = ?", d1, ids[12]) // joins one
		exec("UPDATE pipeline_deals SET value = value + 1234 WHERE id % 4 = 0")
		exec("UPDATE pipeline_deals SET currency = 'GBP' WHERE id % 9 = 0")
		exec("UPDATE pipeline_deals SET partner_id = ? WHERE id % 23 = 0", ids[5])
		exec("UPDATE pipeline_deals SET stage = 'negotiation', closed_at = NULL WHERE stage = ? AND id % 6 = 0", sp.StageWon) // reopened
		exec("UPDATE pipeline_deals SET registration = ? WHERE id % 5 = 0", sp.RegistrationPending)                           // won all the same
		exec("DELETE FROM pipeline_deals WHERE id % 17 = 0")
		exec("UPDATE pipeline_commissions SET status = ? WHERE id % 3 = 0", sp.CommissionPaid)
		exec("UPDATE pipeline_commissions SET amount = amount + 77 WHERE id % 4 = 0")
		exec("UPDATE pipeline_commissions SET currency = 'GBP' WHERE id % 11 = 0")
		exec("UPDATE pipeline_commissions SET partner_id = ? WHERE id % 7 = 0", ids[10])
		exec("DELETE FROM pipeline_commissions WHERE id % 8 = 0")
		exec("DELETE FROM pipeline_leads WHERE id % 19 = 0")

		// Row by row: deals won across midnights, reopened and won again,
		// commissions and leads moved in time.
		var open []struct {
			ID        int64     `bun:"id"`
			CreatedAt time.Time `bun:"created_at"`
		}
		if err := db.NewSelect().Table("pipeline_deals").Column("id", "created_at").Where("stage NOT IN (?, ?)", sp.StageWon, sp.StageLost).
			Order("id").Limit(40).Scan(ctx, &open); err != nil {
			t.Fatal(err)
		}
		for i, d := range open {
			exec("UPDATE pipeline_deals SET stage = ?, closed_at = ? WHERE id = ?", sp.StageWon, d.CreatedAt.Add(time.Duration(i*7)*time.Hour).UTC(), d.ID)
			if i%5 == 0 {
				exec("UPDATE pipeline_deals SET closed_at = ? WHERE id = ?", d.CreatedAt.Add(time.Duration(i*13)*time.Hour).UTC(), d.ID)
			}
		}
		var comms []struct {
			ID        int64     `bun:"id"`
			CreatedAt time.Time `bun:"created_at"`
		}
		if err := db.NewSelect().Table("pipeline_commissions").Column("id", "created_at").Order("id").Limit(40).Scan(ctx, &comms); err != nil {
			t.Fatal(err)
		}
		for i, c := range comms {
			exec("UPDATE pipeline_commissions SET created_at = ? WHERE id = ?", c.CreatedAt.Add(time.Duration(i-20)*9*time.Hour).UTC(), c.ID)
		}
		var leads []struct {
			ID        int64     `bun:"id"`
			CreatedAt time.Time `bun:"created_at"`
		}
		if err := db.NewSelect().Table("pipeline_leads").Column("id", "created_at").Order("id").Limit(80).Scan(ctx, &leads); err != nil {
			t.Fatal(err)
		}
		for i, l := range leads {
			exec("UPDATE pipeline_leads SET created_at = ?, status = ? WHERE id = ?", l.CreatedAt.Add(time.Duration(i-40)*11*time.Hour).UTC(),
				sp.LeadStatuses[i%len(sp.LeadStatuses)], l.ID)
		}

		// All time, the money per partner is the rows', by month and by day.
		for _, table := range []string{"revenue_partner_money_months", "revenue_partner_money_days"} {
			var counted, rows []string
			if err := db.NewSelect().TableExpr(table).
				ColumnExpr("partner_id || ':' || currency || ':' || sum(won_n) || ':' || sum(won_v) || ':' || sum(commission_n) || ':' || sum(commission_v) AS s").
				GroupExpr("partner_id, currency").Having("sum(won_n) <> 0 OR sum(won_v) <> 0 OR sum(commission_n) <> 0 OR sum(commission_v) <> 0").
				OrderExpr("partner_id, currency").Scan(ctx, &counted); err != nil {
				t.Fatal(err)
			}
			if err := db.NewRaw(`SELECT partner_id || ':' || currency || ':' || sum(won_n) || ':' || sum(won_v) || ':' || sum(commission_n) || ':' || sum(commission_v) AS s
				FROM (SELECT partner_id, currency, 1 AS won_n, value AS won_v, 0 AS commission_n, 0 AS commission_v FROM pipeline_deals
					WHERE stage = 'closed_won' AND closed_at IS NOT NULL
					UNION ALL SELECT partner_id, currency, 0, 0, 1, amount FROM pipeline_commissions) x
				GROUP BY partner_id, currency ORDER BY partner_id, currency`).Scan(ctx, &rows); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(counted, rows) || len(rows) == 0 {
				t.Errorf("%s: counted %v, rows %v", table, counted, rows)
			}
		}

		viewers := []struct {
			name string
			v    sdk.Viewer
		}{{"admin", admin.Viewer(nil)}, {"part", mike.Viewer(nil)}}
		for _, loc := range []*time.Location{time.UTC, mustZone(t, "America/Los_Angeles"), mustZone(t, "Pacific/Chatham")} {
			reports := revenue.NewReports(db, revenue.Options{Location: loc})
			svc := network.New(db, dir, reach.New(db), network.Options{Revenue: reports, Location: loc})
			now := time.Now().In(loc)
			spans := [][2]time.Time{{now.AddDate(0, 0, -399), now.AddDate(0, 0, 1)}, {now.AddDate(0, 0, -89), now.AddDate(0, 0, 1)},
				{now, now.AddDate(0, 0, 1)}, {now.AddDate(0, -3, 3), now.AddDate(0, -1, 11)}, {now.AddDate(0, -5, -4), now.AddDate(0, -4, 2)},
				{now.AddDate(0, -7, 17), now.AddDate(0, -6, 12)}, {now.AddDate(-1, 0, 0), now.AddDate(0, 2, 0)}}
			for _, net := range []int64{d1, d2} {
				for _, vw := range viewers {
					rc, err := reach.New(db).For(ctx, vw.v)
					if err != nil {
						t.Fatal(err)
					}
					for _, s := range spans {
						from, to := s[0].Format("2006-01-02"), s[1].Format("2006-01-02")
						name := fmt.Sprintf("%s/network %d/%s/%s..%s", loc, net, vw.name, from, to)
						d, err := svc.Dashboard(ctx, vw.v, sn.DashboardQuery{DistributorID: net, From: from, To: to})
						if err != nil {
							t.Fatalf("%s: %v", name, err)
						}
						want, err := reports.ByPartner(ctx, revenue.Filter{From: s[0], To: s[1], Scope: rc, Network: net})
						if err != nil {
							t.Fatalf("%s: %v", name, err)
						}
						sameFigures(t, name, d, want)
					}
				}
			}
		}
	})
}

// sameFigures checks a dashboard's rows and leads by status against
// core/revenue's totals per partner.
func sameFigures(t *testing.T, name string, d sn.Dashboard, want map[int64]revenue.PartnerTotals) {
	t.Helper()
	byStatus := map[string]int64{}
	for _, p := range want {
		for st, n := range p.LeadsByStatus {
			byStatus[st] += n
		}
	}
	for _, c := range d.LeadsByStatus {
		if c.N != byStatus[c.Key] {
			t.Errorf("%s: %d leads %s, want %d", name, c.N, c.Key, byStatus[c.Key])
		}
	}
	nonZero := func(ms []sn.Money) []sn.Money {
		return slices.DeleteFunc(slices.Clone(ms), func(m sn.Money) bool { return m.Amount == 0 })
	}
	fromRevenue := func(a revenue.Amounts) []sn.Money {
		var out []sn.Money
		for _, m := range a {
			out = append(out, sn.Money{Currency: m.Currency, Amount: m.Amount})
		}
		return nonZero(out)
	}
	seen := 0
	for _, r := range d.BySubPartner {
		w, ok := want[r.ID]
		if ok {
			seen++
		}
		if r.Leads != w.Leads || r.DealsWon != w.DealsWon || !reflect.DeepEqual(nonZero(r.Won), fromRevenue(w.Won)) ||
			!reflect.DeepEqual(nonZero(r.Commission), fromRevenue(w.Commission)) {
			t.Errorf("%s: %s: %d leads, %d won, %v, commission %v; want %d, %d, %v, %v", name, r.Name, r.Leads, r.DealsWon, r.Won, r.Commission,
				w.Leads, w.DealsWon, w.Won, w.Commission)
		}
	}
	if seen != len(want) {
		t.Errorf("%s: %d of the %d partners with figures are rows", name, seen, len(want))
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
