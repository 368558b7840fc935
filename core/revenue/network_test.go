package revenue_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/revenue"
	"github.com/atriumhq/atrium/core/store/storetest"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// TestNetworkCountsFollowEveryChange puts generated partners into two
// distributors' networks, changes the pipeline every way the counts per
// partner and per network must follow (statuses, stages, registrations,
// values, currencies, dates across UTC midnights, leads moved between
// partners, partners moved between networks or out of one, deletions), in
// bulk and row by row, and checks that a network's pipeline by stage,
// commissions and totals per partner equal those read from the rows, over
// ranges that cut months anywhere, in zones on, off and a quarter hour off
// UTC's; and that the counts per partner equal the rows all time.
func TestNetworkCountsFollowEveryChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		res, err := pipeline.Generate(ctx, db, pipeline.GenerateOptions{Partners: 16, Leads: 3000, Seed: 11, Currencies: []string{"USD", "EUR"}})
		if err != nil {
			t.Fatal(err)
		}
		ids := res.PartnerIDs
		d1, d2 := seedPartner(t, db, "dist-one", "distributor"), seedPartner(t, db, "dist-two", "distributor")
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		exec("UPDATE partners SET parent_id = ? WHERE id IN (?)", d1, bun.List(ids[:8]))
		exec("UPDATE partners SET parent_id = ? WHERE id IN (?)", d2, bun.List(ids[8:12]))

		exec("UPDATE pipeline_leads SET status = ? WHERE id % 7 = 0", sp.LeadQualified)
		exec("UPDATE pipeline_leads SET status = ? WHERE id % 11 = 0", sp.LeadWon)
		exec("UPDATE pipeline_leads SET partner_id = ? WHERE id % 13 = 0", ids[3])
		exec("UPDATE pipeline_leads SET partner_id = ? WHERE id % 29 = 0", ids[14]) // out of every network
		exec("UPDATE pipeline_leads SET notes = 'seen' WHERE id % 3 = 0")           // no count changes
		exec("UPDATE partners SET parent_id = ? WHERE id = ?", d2, ids[2])          // changes network
		exec("UPDATE partners SET parent_id = NULL WHERE id = ?", ids[9])           // leaves its network
		exec("UPDATE partners SET parent_id = ? WHERE id = ?", d1, ids[12])         // joins one
		exec("UPDATE partners SET type = 'implementation' WHERE id = ?", ids[1])    // no network change
		exec("UPDATE pipeline_deals SET registration = ? WHERE id % 5 = 0", sp.RegistrationPending)
		exec("UPDATE pipeline_deals SET registration = '' WHERE id % 10 = 0")
		exec("UPDATE pipeline_deals SET value = value + 1234 WHERE id % 4 = 0")
		exec("UPDATE pipeline_deals SET currency = 'GBP' WHERE id % 9 = 0")
		exec("UPDATE pipeline_deals SET partner_id = ? WHERE id % 23 = 0", ids[5])
		exec("DELETE FROM pipeline_deals WHERE id % 17 = 0")
		exec("UPDATE pipeline_commissions SET status = ? WHERE id % 3 = 0", sp.CommissionPaid)
		exec("UPDATE pipeline_commissions SET partner_id = ? WHERE id % 7 = 0", ids[10])
		exec("DELETE FROM pipeline_commissions WHERE id % 8 = 0")
		exec("DELETE FROM pipeline_leads WHERE id % 19 = 0")

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
			exec("UPDATE pipeline_deals SET created_at = ? WHERE id = ?", d.CreatedAt.Add(time.Duration(i-20)*9*time.Hour).UTC(), d.ID)
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

		// All time, the counts per partner are the rows'.
		type pair struct{ Counted, Rows []string }
		var lead pair
		if err := db.NewSelect().TableExpr("revenue_partner_lead_months").
			ColumnExpr("partner_id || ':' || sum(n) || ':' || sum(n_new) || ':' || sum(n_qualified) || ':' || sum(n_won) || ':' || sum(n_lost) AS s").
			GroupExpr("partner_id").Having("sum(n) <> 0").Order("partner_id").Scan(ctx, &lead.Counted); err != nil {
			t.Fatal(err)
		}
		if err := db.NewSelect().TableExpr("pipeline_leads").
			ColumnExpr("partner_id || ':' || count(*) || ':' || sum(CASE WHEN status = 'new' THEN 1 ELSE 0 END) || ':' || sum(CASE WHEN status = 'qualified' THEN 1 ELSE 0 END) || ':' || sum(CASE WHEN status = 'closed_won' THEN 1 ELSE 0 END) || ':' || sum(CASE WHEN status = 'closed_lost' THEN 1 ELSE 0 END) AS s").
			GroupExpr("partner_id").Order("partner_id").Scan(ctx, &lead.Rows); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(lead.Counted, lead.Rows) || len(lead.Rows) == 0 {
			t.Errorf("leads per partner: counted %v, rows %v", lead.Counted, lead.Rows)
		}
		var deal pair
		if err := db.NewSelect().TableExpr("revenue_partner_deals").ColumnExpr("partner_id || ':' || stage || ':' || currency || ':' || n || ':' || v AS s").
			Where("n <> 0").OrderExpr("partner_id, stage, currency").Scan(ctx, &deal.Counted); err != nil {
			t.Fatal(err)
		}
		if err := db.NewSelect().TableExpr("pipeline_deals").ColumnExpr("partner_id || ':' || stage || ':' || currency || ':' || count(*) || ':' || sum(value) AS s").
			Where("registration NOT IN ('pending', 'rejected')").GroupExpr("partner_id, stage, currency").OrderExpr("partner_id, stage, currency").Scan(ctx, &deal.Rows); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(deal.Counted, deal.Rows) || len(deal.Rows) == 0 {
			t.Errorf("deals per partner: counted %v, rows %v", deal.Counted, deal.Rows)
		}

		for _, loc := range []*time.Location{time.UTC, mustZone(t, "America/Los_Angeles"), mustZone(t, "Pacific/Chatham")} {
			fast, direct := revenue.NewReports(db, revenue.Options{Location: loc}), revenue.NewDirectReports(db, revenue.Options{Location: loc})
			now := time.Now().In(loc)
			spans := [][2]time.Time{{now.AddDate(0, 0, -399), now.AddDate(0, 0, 1)}, {now.AddDate(0, 0, -89), now.AddDate(0, 0, 1)},
				{now, now.AddDate(0, 0, 1)}, {now.AddDate(0, -3, 3), now.AddDate(0, -1, 11)}, {now.AddDate(0, -5, -4), now.AddDate(0, -4, 2)},
				{now.AddDate(0, -7, 17), now.AddDate(0, -6, 12)}, {now.AddDate(-1, 0, 0), now.AddDate(0, 2, 0)}}
			scopes := []struct {
				name  string
				scope reach.Reach
			}{{"everyone", reach.Everyone()}, {"part", reach.Staff(append([]int64{d1}, ids[:5]...))}}
			for _, net := range []int64{d1, d2} {
				for _, sc := range scopes {
					for _, s := range spans {
						f := revenue.Filter{From: s[0], To: s[1], Scope: sc.scope, Network: net}
						name := fmt.Sprintf("%s/network %d/%s/%s..%s", loc, net, sc.name, s[0].Format("2006-01-02"), s[1].Format("2006-01-02"))
						sameNetwork(t, ctx, fast, direct, f, name)
					}
				}
			}
		}
	})
}

// sameNetwork checks the network's panels from the counts against the rows.
func sameNetwork(t *testing.T, ctx context.Context, fast, direct *revenue.Reports, f revenue.Filter, name string) {
	t.Helper()
	gotStages, err1 := fast.Stages(ctx, f)
	wantStages, err2 := direct.Stages(ctx, f)
	if err1 != nil || err2 != nil || !reflect.DeepEqual(gotStages, wantStages) {
		t.Errorf("%s: stages %v (%v), want %v (%v)", name, gotStages, err1, wantStages, err2)
	}
	gotComm, err1 := fast.Commissions(ctx, f)
	wantComm, err2 := direct.Commissions(ctx, f)
	if err1 != nil || err2 != nil || !reflect.DeepEqual(gotComm, wantComm) {
		t.Errorf("%s: commissions %v (%v), want %v (%v)", name, gotComm, err1, wantComm, err2)
	}
	got, err1 := fast.ByPartner(ctx, f)
	want, err2 := direct.ByPartner(ctx, f)
	if err1 != nil || err2 != nil {
		t.Fatalf("%s: by partner: %v, %v", name, err1, err2)
	}
	var leads int64
	for _, w := range want {
		leads += w.Leads
	}
	ids := slices.Sorted(func(yield func(int64) bool) {
		for id := range want {
			if !yield(id) {
				return
			}
		}
	})
	for _, id := range ids {
		g, w := got[id], want[id]
		g.LeadsByStatus, w.LeadsByStatus = nonZero(g.LeadsByStatus), nonZero(w.LeadsByStatus)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: partner %d: %+v, want %+v", name, id, g, w)
		}
	}
	for id, g := range got {
		if _, ok := want[id]; !ok && (g.Leads != 0 || g.DealsWon != 0) {
			t.Errorf("%s: partner %d counted, not in the rows: %+v", name, id, g)
		}
	}
}

// TestMonthPieces checks that the pieces of every range over two years
// add up to each of its days once and to no other day.
func TestMonthPieces(t *testing.T) {
	start, _ := time.Parse("2006-01-02", "2023-11-20")
	base := start.Unix() / 86400
	monthOf := func(d int64) int64 {
		u := time.Unix(d*86400, 0).UTC()
		return int64(u.Year()-1970)*12 + int64(u.Month()) - 1
	}
	for first := base; first < base+100; first += 3 {
		for last := first + 1; last < first+500; last += 7 {
			weight := map[int64]int64{}
			rows := 0
			for _, p := range revenue.MonthPieces(first, last) {
				if p.Lo >= p.Hi {
					t.Fatalf("[%d, %d): empty piece %+v", first, last, p)
				}
				if !p.Months {
					for d := p.Lo; d < p.Hi; d++ {
						weight[d] += p.Sign
					}
					rows += int(p.Hi - p.Lo)
					continue
				}
				for m := p.Lo; m < p.Hi; m++ {
					for d := revenue.MonthStart(m); d < revenue.MonthStart(m+1); d++ {
						if monthOf(d) != m {
							t.Fatalf("day %d is not in month %d", d, m)
						}
						weight[d] += p.Sign
					}
					rows++
				}
			}
			for d, w := range weight {
				if in := d >= first && d < last; (in && w != 1) || (!in && w != 0) {
					t.Fatalf("[%d, %d): day %d counted %d times", first, last, d, w)
				}
			}
			for d := first; d < last; d++ {
				if weight[d] != 1 {
					t.Fatalf("[%d, %d): day %d counted %d times", first, last, d, weight[d])
				}
			}
			if rows > 15+15+int(last-first)/28+2 {
				t.Errorf("[%d, %d): %d rows a partner", first, last, rows)
			}
		}
	}
}
