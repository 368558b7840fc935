package compliance_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/compliance"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sc "github.com/atriumhq/atrium/sdk/compliance"
)

// BenchmarkStatus measures what a distributor's directory pays for its
// sub-partners' compliance: a distributor with 1,000 sub-partners, three
// requirements (one a certification) and evidence for two thirds of them.
// It reports p50 and p99 of Status for a page of 50 sub-partners and for
// all 1,000, and of the distributor's item list, on the engine storetest
// picks (ATRIUM_BENCH_ENGINE=sqlite or postgres for one):
//
//	go test -run '^$' -bench Status -benchtime 1x ./core/compliance
func BenchmarkStatus(b *testing.B) {
	for _, e := range storetest.Engines() {
		if only := os.Getenv("ATRIUM_BENCH_ENGINE"); only != "" && only != string(e) {
			continue
		}
		b.Run(string(e), func(b *testing.B) {
			db := storetest.OpenEngine(b, e)
			ctx := context.Background()
			dir := directory.New(db)
			now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
			svc := compliance.New(db, dir, reach.New(db), compliance.Options{Now: func() time.Time { return now }})
			au, err := dir.CreateUser(ctx, directory.UserInput{Email: "admin@bench.test", Name: "Admin", Role: sdk.RoleAdmin})
			if err != nil {
				b.Fatal(err)
			}
			admin := au.Viewer(nil)
			dist, err := dir.CreatePartner(ctx, directory.PartnerInput{Name: "Big Distribution", Type: "distributor", Tier: "gold", Stage: "active"})
			if err != nil {
				b.Fatal(err)
			}
			var reqs []sc.Requirement
			for _, in := range []compliance.RequirementInput{
				{Name: "Agreement", Kind: sc.Document, PartnerTypes: []string{"reseller"}, Due: "2026-12-31"},
				{Name: "Insurance", Kind: sc.Document, PartnerTypes: []string{"reseller"}, ValidityMonths: 12},
				{Name: "Certified", Kind: sc.Certification, PartnerTypes: []string{"reseller"}, CertBlockKey: "t/c", CertTaskID: "exam", ValidityMonths: 24},
			} {
				r, err := svc.SaveRequirement(ctx, admin, 0, in)
				if err != nil {
					b.Fatal(err)
				}
				reqs = append(reqs, r)
			}
			ids := make([]int64, 0, 1000)
			for i := range 1000 {
				p, err := dir.CreatePartner(ctx, directory.PartnerInput{Name: fmt.Sprintf("Reseller %04d", i), Type: "reseller", Tier: "bronze",
					Stage: "active", ParentID: &dist.ID})
				if err != nil {
					b.Fatal(err)
				}
				ids = append(ids, p.ID)
				if i%3 == 2 {
					continue
				}
				for _, r := range reqs[:2] {
					row := map[string]any{"requirement_id": r.ID, "partner_id": p.ID, "status": []string{sc.Accepted, sc.Submitted}[i%2],
						"version": 1, "expires_on": "2027-06-30", "updated_at": now}
					if _, err := db.NewInsert().Model(&row).TableExpr("compliance_items").Exec(ctx); err != nil {
						b.Fatal(err)
					}
				}
			}
			dana, err := dir.CreateUser(ctx, directory.UserInput{Email: "dana@bench.test", Name: "Dana", Role: sdk.RolePartnerAdmin, PartnerID: &dist.ID, ContactRole: "executive"})
			if err != nil {
				b.Fatal(err)
			}
			cases := []struct {
				name string
				run  func() error
			}{
				{"status-50", func() error { _, err := svc.Status(ctx, ids[:50]); return err }},
				{"status-1000", func() error { _, err := svc.Status(ctx, ids); return err }},
				{"items-distributor", func() error {
					_, err := svc.List(ctx, dana.Viewer(&dist), sc.ItemQuery{PerPage: 50})
					return err
				}},
			}
			for _, c := range cases {
				var took []time.Duration
				for range 30 {
					start := time.Now()
					if err := c.run(); err != nil {
						b.Fatal(err)
					}
					took = append(took, time.Since(start))
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, c.name+"-p50-ms")
				b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, c.name+"-p99-ms")
			}
		})
	}
}
