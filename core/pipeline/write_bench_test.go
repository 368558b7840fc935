package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/store/storetest"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

// writeScale is the number of generated leads of the big program the write
// path is measured against: 100,000 by default, the full 1,000,000 with
// ATRIUM_BENCH_PIPELINE=full.
func writeScale() int {
	if os.Getenv("ATRIUM_BENCH_PIPELINE") == "full" {
		return 1_000_000
	}
	return 100_000
}

// BenchmarkWritePath measures the three writes partners and managers make
// all day (submit a lead, register a deal, move a deal's stage) on a small
// program (1,000 leads) and a big one, in the same run, so the ratio between
// the two says whether a write slows down as the tables grow. Each write is
// measured twice: with a new company each time, and with the same company
// the partner has already submitted a thousand times (a partner's many
// leads at one big customer), which is where a duplicate check that reads
// every matching row shows.
func BenchmarkWritePath(b *testing.B) {
	for _, size := range []int{1_000, writeScale()} {
		b.Run("leads="+strconv.Itoa(size), func(b *testing.B) {
			db := storetest.Open(b)
			w := newWorld(b, db)
			ctx := context.Background()
			// The generated partners have no manager, so Mike reaches as
			// many partners in both programs: only the tables grow.
			if _, err := pipeline.Generate(ctx, db, pipeline.GenerateOptions{Partners: max(size/100, 10), Leads: size, Seed: 3}); err != nil {
				b.Fatal(err)
			}
			// The partner's thousand earlier leads at one customer, open.
			seedSameCompany(b, w, 1_000)
			n := 0
			b.Run("submit-new-company", func(b *testing.B) {
				for b.Loop() {
					n++
					if _, err := w.svc.SubmitLead(ctx, w.carlos, sp.LeadInput{ContactName: "Ann Buyer", Company: fmt.Sprintf("Bench %d", n), Email: fmt.Sprintf("ann@bench%d.example", n)}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("submit-same-company", func(b *testing.B) {
				for b.Loop() {
					if _, err := w.svc.SubmitLead(ctx, w.carlos, sp.LeadInput{ContactName: "Ann Buyer", Company: "Globex", Website: "globex.example", Email: "hank@globex.example"}); err != nil {
						b.Fatal(err)
					}
				}
			})
			var deals []int64
			b.Run("register-deal", func(b *testing.B) {
				for b.Loop() {
					n++
					d, err := w.svc.RegisterDeal(ctx, w.carlos, sp.DealInput{Name: fmt.Sprintf("Deal %d", n), Company: "Globex", Website: "globex.example",
						Value: sp.Money{Amount: 100_000, Currency: "USD"}})
					if err != nil {
						b.Fatal(err)
					}
					deals = append(deals, d.ID)
				}
			})
			cfg, err := w.svc.Config(ctx)
			if err != nil {
				b.Fatal(err)
			}
			for _, id := range deals {
				if _, err := w.svc.ReviewDeal(ctx, w.mike, sp.Review{ID: id, Approve: true}); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("move-stage", func(b *testing.B) {
				i := 0
				for b.Loop() {
					id := deals[i%len(deals)]
					to := cfg.DealStages[1+i/len(deals)%2].Key // back and forth between two open stages
					i++
					if _, err := w.svc.SetDealStage(ctx, w.mike, sp.StageChange{ID: id, Stage: to}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// seedSameCompany submits n open leads of Carlos & Co at Globex.
func seedSameCompany(b *testing.B, w *world, n int) {
	b.Helper()
	ctx := context.Background()
	for i := range n {
		if _, err := w.svc.SubmitLead(ctx, w.carlos, sp.LeadInput{ContactName: "Ann Buyer", Company: "Globex", Website: "globex.example", Email: fmt.Sprintf("buyer%d@globex.example", i)}); err != nil {
			b.Fatal(err)
		}
	}
}
