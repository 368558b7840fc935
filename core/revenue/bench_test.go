package revenue_test

// BenchmarkPanels measures every panel of the Revenue & Leads dashboard on a
// pipeline made by the pipeline's own generator (pipeline.Generate, as the
// pipeline page benchmarks use), on SQLite and, when
// ATRIUM_TEST_DATABASE_URL is set, on PostgreSQL:
//
//	go test -run '^$' -bench Panels -benchtime 300x ./core/revenue
//
//	ATRIUM_BENCH_REVENUE_PARTNERS  partners (default 10000)
//	ATRIUM_BENCH_REVENUE_LEADS     leads (default 1000000; one in five has a deal)
//	ATRIUM_BENCH_DIR               where SQLite datasets live (default the temp folder)
//	ATRIUM_BENCH_REVENUE_ZONE      the reporting zone (default UTC)
//
// The dataset is built once per size and kept (a folder for SQLite, a
// schema for PostgreSQL), so later runs start at once. Each panel runs over
// every case in turn (every quick range, a year and two years, for an
// admin, a manager of 100 partners, a partner type and three picked
// partners) and reports p50 and p99 latency, next to a baseline measured
// in the same run on the same database: a deal read by its primary key,
// the cheapest query the dashboard's database can answer. kpis-from-rows
// answers the KPI cards without the daily counts, from the pipeline's rows
// alone, as the dashboard did before them.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/revenue"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// benchDataset opens (building it the first time) the generated pipeline
// on engine e, and returns when it was generated and the partners' ids.
func benchDataset(b *testing.B, e storetest.Engine) (*bun.DB, time.Time, []int64) {
	b.Helper()
	partners := envInt("ATRIUM_BENCH_REVENUE_PARTNERS", 10_000)
	leads := envInt("ATRIUM_BENCH_REVENUE_LEADS", 1_000_000)
	name := fmt.Sprintf("revenue_bench_%d_%d", partners, leads)
	ctx := context.Background()
	var cfg store.Config
	switch e {
	case storetest.SQLite:
		dir := os.Getenv("ATRIUM_BENCH_DIR")
		if dir == "" {
			dir = os.TempDir()
		}
		cfg.DataDir = filepath.Join(dir, name)
	default:
		base := os.Getenv(storetest.EnvPostgres)
		admin, err := store.Open(ctx, store.Config{DatabaseURL: base})
		if err != nil {
			b.Fatal(err)
		}
		_, err = admin.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+name)
		admin.Close()
		if err != nil {
			b.Fatal(err)
		}
		u, _ := url.Parse(base)
		q := u.Query()
		q.Set("search_path", name)
		u.RawQuery = q.Encode()
		cfg.DatabaseURL = u.String()
	}
	db, err := store.Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := store.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	var ids []int64
	if err := db.NewSelect().Table("partners").Column("id").Order("id").Scan(ctx, &ids); err != nil {
		b.Fatal(err)
	}
	var stamp []string
	if err := db.NewSelect().Table("settings").Column("value").Where("key = 'revenue_bench_ready'").Scan(ctx, &stamp); err != nil {
		b.Fatal(err)
	}
	if len(stamp) == 1 {
		at, err := time.Parse(time.RFC3339, stamp[0])
		if err == nil && len(ids) == partners {
			return db, at, ids
		}
	}
	for _, t := range []string{"pipeline_commissions", "pipeline_history", "pipeline_deals", "pipeline_leads", "partners"} {
		if _, err := db.ExecContext(ctx, "DELETE FROM "+t); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("building the %s dataset %s: %d partners, %d leads", e, name, partners, leads)
	start := time.Now()
	res, err := pipeline.Generate(ctx, db, pipeline.GenerateOptions{Partners: partners, Leads: leads, Seed: 11,
		Currencies: []string{"USD", "USD", "USD", "EUR", "GBP"}})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d leads and %d deals in %s", res.Leads, res.Deals, time.Since(start).Round(time.Second))
	if _, err := db.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ('revenue_bench_ready', ?)", start.UTC().Format(time.RFC3339)); err != nil {
		b.Fatal(err)
	}
	if !store.IsPostgres(db) {
		db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)") //nolint:errcheck // keeps the WAL file small
	}
	return db, start.UTC(), res.PartnerIDs
}

type benchCase struct {
	name string
	f    revenue.Filter
}

// benchCases are every quick range, a year and two years, each for an
// admin, a manager of 100 partners, a partner type and three picked
// partners.
func benchCases(today time.Time, ids []int64) []benchCase {
	type span struct {
		name     string
		from, to time.Time
	}
	var spans []span
	for _, q := range engagement.QuickRanges() {
		from, to := q.Range(today)
		spans = append(spans, span{string(q), from, to})
	}
	spans = append(spans, span{"365-days", today.AddDate(0, 0, -364), today.AddDate(0, 0, 1)}, span{"two-years", today.AddDate(-2, 0, 1), today.AddDate(0, 0, 1)})
	rng := rand.New(rand.NewPCG(5, 5))
	var managed []int64
	for _, i := range rng.Perm(len(ids))[:min(100, len(ids))] {
		managed = append(managed, ids[i])
	}
	scopes := []struct {
		name string
		f    revenue.Filter
	}{
		{"admin", revenue.Filter{Scope: reach.Everyone()}},
		{"manager", revenue.Filter{Scope: reach.ReadOnly(managed)}},
		{"reseller", revenue.Filter{Scope: reach.Everyone(), PartnerTypes: []string{"reseller"}}},
		{"picked", revenue.Filter{Scope: reach.Everyone(), PartnerIDs: []int64{ids[0], ids[1], ids[len(ids)/2]}}},
	}
	var out []benchCase
	for _, s := range spans {
		for _, sc := range scopes {
			f := sc.f
			f.From, f.To = s.from, s.to
			out = append(out, benchCase{s.name + "/" + sc.name, f})
		}
	}
	return out
}

func BenchmarkPanels(b *testing.B) {
	for _, e := range storetest.Engines() {
		b.Run(string(e), func(b *testing.B) {
			db, today, ids := benchDataset(b, e)
			// A reporting zone off UTC (ATRIUM_BENCH_REVENUE_ZONE, say
			// Asia/Kolkata) reads the hours its days share with UTC days
			// from the rows: the range's edges and each timeline bucket's
			// first day.
			loc := time.UTC
			if z := os.Getenv("ATRIUM_BENCH_REVENUE_ZONE"); z != "" {
				l, err := time.LoadLocation(z)
				if err != nil {
					b.Fatal(err)
				}
				loc = l
			}
			r := revenue.NewReports(db, revenue.Options{Location: loc})
			// The same cards from the pipeline's rows alone, as they were
			// answered before the daily counts: the old way, in the same run.
			direct := revenue.NewDirectReports(db, revenue.Options{Location: loc})
			cases := benchCases(today, ids)
			ctx := context.Background()
			var maxDeal int64
			if err := db.NewSelect().Table("pipeline_deals").ColumnExpr("max(id)").Scan(ctx, &maxDeal); err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			panels := []struct {
				name string
				run  func(f revenue.Filter) error
			}{
				{"baseline", func(revenue.Filter) error {
					var v int64
					return db.NewSelect().Table("pipeline_deals").Column("value").Where("id = ?", 1+rng.Int64N(maxDeal)).Scan(ctx, &v)
				}},
				{"kpis", func(f revenue.Filter) error { _, err := r.KPIs(ctx, f); return err }},
				{"kpis-from-rows", func(f revenue.Filter) error { _, err := direct.KPIs(ctx, f); return err }},
				{"timeline", func(f revenue.Filter) error { _, err := r.Timeline(ctx, f); return err }},
				{"stages", func(f revenue.Filter) error { _, err := r.Stages(ctx, f); return err }},
				{"funnel", func(f revenue.Filter) error { _, err := r.Funnel(ctx, f); return err }},
				{"top-partners", func(f revenue.Filter) error { _, err := r.TopPartners(ctx, f, 10); return err }},
				{"commissions", func(f revenue.Filter) error { _, err := r.Commissions(ctx, f); return err }},
			}
			var baseP99 float64
			for _, p := range panels {
				b.Run(p.name, func(b *testing.B) {
					if err := p.run(cases[0].f); err != nil {
						b.Fatal(err)
					}
					lat := make([]time.Duration, 0, b.N)
					slowest, slowCase := time.Duration(0), ""
					b.ResetTimer()
					for i := range b.N {
						c := cases[i%len(cases)]
						start := time.Now()
						if err := p.run(c.f); err != nil {
							b.Fatal(err)
						}
						d := time.Since(start)
						lat = append(lat, d)
						if d > slowest {
							slowest, slowCase = d, c.name
						}
					}
					slices.Sort(lat)
					pct := func(q float64) float64 {
						return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))].Microseconds()) / 1000
					}
					b.ReportMetric(pct(0.5), "p50-ms")
					b.ReportMetric(pct(0.99), "p99-ms")
					b.ReportMetric(float64(slowest.Microseconds())/1000, "max-ms")
					if p.name == "baseline" {
						baseP99 = pct(0.99)
					} else if baseP99 > 0 {
						b.ReportMetric(pct(0.99)/baseP99, "x-baseline-p99")
					}
					b.Logf("%s: slowest %s (%s) over %d cases", p.name, slowCase, slowest.Round(100*time.Microsecond), len(cases))
				})
			}
		})
	}
}

// BenchmarkTriggerCost measures what keeping the daily counts costs the
// writes: the pipeline generator writes the same leads, deals and
// commissions into a fresh database with the counting triggers and into
// one without them, in turn, and reports the ratio.
//
//	go test -run '^$' -bench TriggerCost -benchtime 3x ./core/revenue
func BenchmarkTriggerCost(b *testing.B) {
	leads := envInt("ATRIUM_BENCH_TRIGGER_LEADS", 20_000)
	ctx := context.Background()
	for _, e := range storetest.Engines() {
		b.Run(string(e), func(b *testing.B) {
			var with, without time.Duration
			for range b.N {
				for _, keep := range []bool{true, false} {
					b.StopTimer()
					db := storetest.OpenEngine(b, e)
					if !keep {
						for _, q := range dropTriggers(store.IsPostgres(db)) {
							if _, err := db.ExecContext(ctx, q); err != nil {
								b.Fatal(err)
							}
						}
					}
					b.StartTimer()
					start := time.Now()
					if _, err := pipeline.Generate(ctx, db, pipeline.GenerateOptions{Partners: 500, Leads: leads, Seed: 3}); err != nil {
						b.Fatal(err)
					}
					if keep {
						with += time.Since(start)
					} else {
						without += time.Since(start)
					}
				}
			}
			b.ReportMetric(float64(leads)*float64(b.N)/with.Seconds(), "leads/s")
			b.ReportMetric(float64(leads)*float64(b.N)/without.Seconds(), "leads/s-untracked")
			b.ReportMetric(with.Seconds()/without.Seconds(), "x-untracked")
		})
	}
}

// dropTriggers removes the daily counts' triggers, for the baseline.
func dropTriggers(postgres bool) []string {
	if postgres {
		return []string{"DROP TRIGGER revenue_leads_roll ON pipeline_leads", "DROP TRIGGER revenue_leads_reroll ON pipeline_leads",
			"DROP TRIGGER revenue_deals_roll ON pipeline_deals", "DROP TRIGGER revenue_deals_reroll ON pipeline_deals",
			"DROP TRIGGER revenue_commissions_roll ON pipeline_commissions", "DROP TRIGGER revenue_commissions_reroll ON pipeline_commissions"}
	}
	return []string{"DROP TRIGGER revenue_leads_insert", "DROP TRIGGER revenue_leads_update", "DROP TRIGGER revenue_deals_insert",
		"DROP TRIGGER revenue_deals_update", "DROP TRIGGER revenue_commissions_insert", "DROP TRIGGER revenue_commissions_update"}
}
