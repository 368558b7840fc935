package main

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
)

// pipelineScale is the generated program's size: 1,000 partners and
// 100,000 leads by default, the full 10,000 partners and 1,000,000 leads
// with ATRIUM_BENCH_PIPELINE=full.
func pipelineScale() (partners, leads int) {
	if os.Getenv("ATRIUM_BENCH_PIPELINE") == "full" {
		return 10_000, 1_000_000
	}
	return 1_000, 100_000
}

// BenchmarkPipelinePages serves a partner's leads list page and Overview
// room on a generated program, next to /healthz on the same handler as the
// baseline, and reports p50 and p99 latencies. The partner measured is the
// one with the most leads (the generator skews leads towards a few big
// partners), so its list and figures are the most expensive in the program.
func BenchmarkPipelinePages(b *testing.B) {
	partners, leads := pipelineScale()
	p := seededPortal(b)
	ctx := context.Background()
	mike, err := p.dir.UserByEmail(ctx, "mike@acme.example")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	res, err := pipeline.Generate(ctx, p.db, pipeline.GenerateOptions{Partners: partners, Leads: leads, ManagerID: mike.ID, Seed: 7})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d partners, %d leads, %d deals in %s on %s", len(res.PartnerIDs), res.Leads, res.Deals, time.Since(start).Round(time.Second), storetest.Default())
	// The biggest referral partner (generated types cycle, referral first).
	var big int64
	var most int64
	for i := 0; i < len(res.PartnerIDs); i += 4 {
		n, err := p.db.NewSelect().Table("pipeline_leads").Where("partner_id = ?", res.PartnerIDs[i]).Count(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if n > most {
			big, most = res.PartnerIDs[i], n
		}
		if i > 400 {
			break
		}
	}
	b.Logf("measured partner has %d leads", most)
	hash, err := p.auth.HashPassword(ctx, "bench-password")
	if err != nil {
		b.Fatal(err)
	}
	u, err := p.dir.CreateUser(ctx, directory.UserInput{Email: fmt.Sprintf("bench-%d@generated.example", big), Name: "Bench", Role: sdk.RolePartnerUser, PartnerID: &big})
	if err != nil {
		b.Fatal(err)
	}
	if err := p.dir.SetPasswordHash(ctx, u.ID, hash); err != nil {
		b.Fatal(err)
	}
	cookies := benchSession(b, p, u.Email, "bench-password")
	for _, page := range []struct{ name, path, want string }{
		{"healthz", "/healthz", ""},
		{"leads-list", "/rooms/leads/items/all", "Page 1 of"},
		{"leads-list-search", "/rooms/leads/items/all?q=company+00&status=demo", "Page 1 of"},
		{"overview", "/rooms/overview", "Leads this month"},
	} {
		b.Run(page.name, func(b *testing.B) {
			var w benchWriter
			serve := func() time.Duration { return benchGet(b, p, &w, cookies, page.path, page.want) }
			serve()
			var lat latencies
			b.ResetTimer()
			for b.Loop() {
				lat = append(lat, serve())
			}
			b.ReportMetric(lat.quantile(0.50), "p50-ms")
			b.ReportMetric(lat.quantile(0.99), "p99-ms")
		})
	}
}
