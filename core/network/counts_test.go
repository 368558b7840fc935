package network_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/store/storetest"
	sn "github.com/atriumhq/atrium/sdk/network"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// TestFiguresFollowThePipeline works XYZ's network through the pipeline
// service (leads submitted, moved on, converted and won, a deal registered
// and approved, another refused, a lead deleted, a sub-partner leaving the
// network and another joining it) and checks the directory's and the
// dashboard's figures, which come from the counts, against the pipeline's
// rows.
func TestFiguresFollowThePipeline(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		pipe := pipeline.New(db, w.dir)
		var leads []int64
		for i := range 8 {
			l, err := pipe.SubmitLead(ctx, w.rita, sp.LeadInput{Company: fmt.Sprintf("Buyer %d", i), ContactName: "Pat Buyer",
				Email: fmt.Sprintf("pat@buyer%d.example", i)})
			if err != nil {
				t.Fatal(err)
			}
			leads = append(leads, l.ID)
		}
		for i, st := range []string{sp.LeadQualified, sp.LeadDemo, sp.LeadProposal, sp.LeadLost} {
			if _, err := pipe.SetLeadStatus(ctx, w.mike, sp.StatusChange{ID: leads[i], Status: st}); err != nil {
				t.Fatalf("lead %d to %s: %v", leads[i], st, err)
			}
		}
		won, err := pipe.ConvertLead(ctx, w.mike, sp.Convert{ID: leads[2], Value: sp.Money{Amount: 1_250_000, Currency: "USD"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pipe.SetDealStage(ctx, w.mike, sp.StageChange{ID: won.ID, Stage: sp.StageWon, Reason: "signed"}); err != nil {
			t.Fatal(err)
		}
		open, err := pipe.ConvertLead(ctx, w.mike, sp.Convert{ID: leads[1], Value: sp.Money{Amount: 400_000, Currency: "EUR"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pipe.SetDealStage(ctx, w.mike, sp.StageChange{ID: open.ID, Stage: "negotiation"}); err != nil {
			t.Fatal(err)
		}
		for i, approve := range []bool{true, false} {
			d, err := pipe.RegisterDeal(ctx, w.rita, sp.DealInput{Name: fmt.Sprintf("Registered %d", i), Company: fmt.Sprintf("Registrant %d", i),
				Value: sp.Money{Amount: 90_000 * int64(i+1), Currency: "USD"}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := pipe.ReviewDeal(ctx, w.mike, sp.Review{ID: d.ID, Approve: approve, Reason: "checked"}); err != nil {
				t.Fatal(err)
			}
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		exec("DELETE FROM pipeline_history WHERE object_id = ? AND kind = 'lead'", leads[7])
		exec("DELETE FROM pipeline_leads WHERE id = ?", leads[7])
		// Beta's leads, then Beta leaves the network and Omega joins it.
		exec("UPDATE pipeline_leads SET partner_id = ? WHERE id IN (?)", w.beta.ID, bun.List(leads[5:7]))
		exec("UPDATE partners SET parent_id = NULL WHERE id = ?", w.beta.ID)
		exec("UPDATE partners SET parent_id = ? WHERE id = ?", w.xyz.ID, w.omega.ID)
		omegaDeal, err := pipe.RegisterDeal(ctx, w.rita, sp.DealInput{Name: "Moved", Company: "Moved Co", Value: sp.Money{Amount: 70_000, Currency: "USD"}})
		if err != nil {
			t.Fatal(err)
		}
		exec("UPDATE pipeline_deals SET partner_id = ? WHERE id = ?", w.omega.ID, omegaDeal.ID)

		// The directory, all time.
		page, err := w.svc.List(ctx, w.dana, sn.DirectoryQuery{Sort: sn.SortWon, Desc: true})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 2 {
			t.Fatalf("directory: %d sub-partners, want Alpha and Omega", page.Total)
		}
		for _, p := range page.SubPartners {
			var openLeads, openDeals, wonUSD, pipeEUR int64
			scan := func(dest *int64, q string) {
				t.Helper()
				if err := db.NewRaw(q, p.ID).Scan(ctx, dest); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			scan(&openLeads, "SELECT count(*) FROM pipeline_leads WHERE partner_id = ? AND status NOT IN ('closed_won', 'closed_lost')")
			scan(&openDeals, "SELECT count(*) FROM pipeline_deals WHERE partner_id = ? AND stage NOT IN ('closed_won', 'closed_lost') AND registration NOT IN ('pending', 'rejected')")
			scan(&wonUSD, "SELECT coalesce(sum(value), 0) FROM pipeline_deals WHERE partner_id = ? AND stage = 'closed_won' AND currency = 'USD' AND registration NOT IN ('pending', 'rejected')")
			scan(&pipeEUR, "SELECT coalesce(sum(value), 0) FROM pipeline_deals WHERE partner_id = ? AND stage NOT IN ('closed_won', 'closed_lost') AND currency = 'EUR' AND registration NOT IN ('pending', 'rejected')")
			got := p.Performance
			if got.OpenLeads != openLeads || got.OpenDeals != openDeals || amountOf(got.Won, "USD") != wonUSD || amountOf(got.OpenPipeline, "EUR") != pipeEUR {
				t.Errorf("%s: open leads %d, open deals %d, won %v, pipeline %v; the rows say %d, %d, $%d, €%d",
					p.Name, got.OpenLeads, got.OpenDeals, got.Won, got.OpenPipeline, openLeads, openDeals, wonUSD, pipeEUR)
			}
		}
		if page.SubPartners[0].Name != "Alpha Resellers" || amountOf(page.SubPartners[0].Performance.Won, "USD") != 1_250_000 {
			t.Errorf("sorted by won: %v first, with %v", page.SubPartners[0].Name, page.SubPartners[0].Performance.Won)
		}

		// The dashboard, the last 90 days.
		d, err := w.svc.Dashboard(ctx, w.dana, sn.DashboardQuery{})
		if err != nil {
			t.Fatal(err)
		}
		from, _ := time.Parse("2006-01-02", d.From)
		to, _ := time.Parse("2006-01-02", d.To)
		for _, r := range d.BySubPartner {
			var n, dealsWon int64
			if err := db.NewRaw("SELECT count(*) FROM pipeline_leads WHERE partner_id = ? AND created_at >= ? AND created_at < ?", r.ID, from, to).Scan(ctx, &n); err != nil {
				t.Fatal(err)
			}
			if err := db.NewRaw("SELECT count(*) FROM pipeline_deals WHERE partner_id = ? AND stage = 'closed_won' AND closed_at >= ? AND closed_at < ?", r.ID, from, to).Scan(ctx, &dealsWon); err != nil {
				t.Fatal(err)
			}
			if r.Leads != n || r.DealsWon != dealsWon {
				t.Errorf("dashboard, %s: %d leads, %d won; the rows say %d, %d", r.Name, r.Leads, r.DealsWon, n, dealsWon)
			}
		}
		byStatus := map[string]int64{}
		for _, c := range d.LeadsByStatus {
			byStatus[c.Key] = c.N
		}
		var rows []struct {
			Status string `bun:"status"`
			N      int64  `bun:"n"`
		}
		if err := db.NewRaw("SELECT status, count(*) AS n FROM pipeline_leads WHERE partner_id IN (?, ?) GROUP BY status", w.alpha.ID, w.omega.ID).Scan(ctx, &rows); err != nil {
			t.Fatal(err)
		}
		var total int64
		for _, r := range rows {
			total += r.N
			if byStatus[r.Status] != r.N {
				t.Errorf("dashboard: %d leads %s, the rows say %d", byStatus[r.Status], r.Status, r.N)
			}
		}
		stages := map[string]int64{}
		for _, s := range d.DealsByStage {
			stages[s.Key] = s.Deals
		}
		if total != 8-1-2 || stages["negotiation"] != 1 || stages[sp.StageWon] != 1 || d.DealsWon != 1 {
			t.Errorf("dashboard: %d leads, stages %v, %d won", total, stages, d.DealsWon)
		}
		var inPipeline int64
		if err := db.NewRaw("SELECT count(*) FROM pipeline_deals WHERE partner_id IN (?, ?) AND registration NOT IN ('pending', 'rejected')", w.alpha.ID, w.omega.ID).Scan(ctx, &inPipeline); err != nil {
			t.Fatal(err)
		}
		var staged int64
		for _, n := range stages {
			staged += n
		}
		if staged != inPipeline {
			t.Errorf("dashboard: %d deals by stage, the rows say %d", staged, inPipeline)
		}
	})
}

func amountOf(ms []sn.Money, cur string) int64 {
	for _, m := range ms {
		if m.Currency == cur {
			return m.Amount
		}
	}
	return 0
}
