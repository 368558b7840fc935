package network_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/network"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/revenue"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sn "github.com/atriumhq/atrium/sdk/network"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// BenchmarkNetwork measures the network at the size of its goal: a
// distributor with 1,000 sub-partners and 200,000 leads among them (one in
// five with a deal, from the pipeline's own generator), each sub-partner
// part-way through a four-task onboarding checklist. It reports p50 and
// p99 of the directory (the first page by name, sorted by revenue won, and
// a search) and of the network dashboard (the last 90 days, and a year) as
// the distributor's admin, and of the directory as the distributor's
// manager, on the engines storetest picks:
//
//	go test -run '^$' -bench Network -benchtime 1x ./core/network
//	ATRIUM_TEST_DATABASE_URL=postgres://... go test -run '^$' -bench Network -benchtime 1x ./core/network
//
// ATRIUM_BENCH_ENGINE=sqlite or postgres measures one engine only;
// ATRIUM_BENCH_NETWORK_LEADS changes the number of leads. The goal is
// 50 ms at p99 on both engines: a case over it fails the benchmark. Each
// case also reports the process's CPU time per call (-cpu-ms), which a
// busy shared machine disturbs less than wall time (on PostgreSQL it
// leaves out the server's own work), and its p99 over that of a lookup of
// one partner by id measured in the same run (-x-lookup), which a busy
// machine slows alike.
//
// Last, it measures what the counts cost a write: a sub-partner submits
// leads through the pipeline service with the counts' triggers, then with
// those of migrations/20261212000010 dropped (lead-create-p50-ms,
// lead-create-untracked-p50-ms and their ratio); and an admin wins deals
// (each adding its commission) with the money per partner's triggers and
// with those of migrations/20261213000010 dropped (deal-won-p50-ms,
// deal-won-untracked-p50-ms and their ratio).
func BenchmarkNetwork(b *testing.B) {
	for _, e := range storetest.Engines() {
		if only := os.Getenv("ATRIUM_BENCH_ENGINE"); only != "" && only != string(e) {
			continue
		}
		b.Run(string(e), func(b *testing.B) {
			db := storetest.OpenEngine(b, e)
			ctx := context.Background()
			start := time.Now()
			leads := 200_000
			if v, err := strconv.Atoi(os.Getenv("ATRIUM_BENCH_NETWORK_LEADS")); err == nil && v > 0 {
				leads = v
			}
			dana, mike, sub, dist := generateNetwork(b, db, 1000, leads)
			b.ReportMetric(time.Since(start).Seconds(), "generate-s")
			svc := network.New(db, directory.New(db), reach.New(db), network.Options{
				Revenue: revenue.NewReports(db, revenue.Options{}), Engagement: engagement.NewReports(db, engagement.ReportOptions{}),
				Checklist: func(context.Context, string) ([]sn.Task, error) { return benchChecklist, nil }})
			year := time.Now().UTC().AddDate(-1, 0, 0).Format("2006-01-02")
			cases := []struct {
				name string
				run  func() error
			}{
				{"directory", func() error {
					p, err := svc.List(ctx, dana, sn.DirectoryQuery{})
					if err == nil && (p.Total != 1000 || len(p.SubPartners) != 25) {
						err = fmt.Errorf("directory: %d of %d", len(p.SubPartners), p.Total)
					}
					return err
				}},
				{"directory-by-won", func() error {
					_, err := svc.List(ctx, dana, sn.DirectoryQuery{Sort: sn.SortWon, Desc: true})
					return err
				}},
				{"directory-search", func() error {
					_, err := svc.List(ctx, dana, sn.DirectoryQuery{Q: "partner 12", Stage: "active"})
					return err
				}},
				{"directory-manager", func() error {
					_, err := svc.List(ctx, mike, sn.DirectoryQuery{DistributorID: dist})
					return err
				}},
				{"dashboard-90d", func() error {
					d, err := svc.Dashboard(ctx, dana, sn.DashboardQuery{})
					if err == nil && d.SubPartners != 1000 {
						err = fmt.Errorf("dashboard: %d sub-partners", d.SubPartners)
					}
					return err
				}},
				{"dashboard-year", func() error {
					_, err := svc.Dashboard(ctx, dana, sn.DashboardQuery{From: year})
					return err
				}},
			}
			const runs = 100
			// measure calls run runs times and returns its wall times, sorted,
			// and the process's CPU per call.
			measure := func(name string, run func() error) ([]time.Duration, time.Duration) {
				var took []time.Duration
				cpu0 := cpuTime()
				for j := 0; j < runs; j++ {
					t0 := time.Now()
					if err := run(); err != nil {
						b.Fatalf("%s: %v", name, err)
					}
					took = append(took, time.Since(t0))
				}
				slices.Sort(took)
				return took, (cpuTime() - cpu0) / runs
			}
			lookup := func() error {
				var name string
				return db.NewSelect().Table("partners").Column("name").Where("id = ?", dist).Scan(ctx, &name)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				base, _ := measure("lookup", lookup)
				b.ReportMetric(ms(q(base, 0.99)), "lookup-p99-ms")
				b.Logf("lookup by id: p99 %.2f ms (p50 %.2f ms)", ms(q(base, 0.99)), ms(q(base, 0.5)))
				for _, c := range cases {
					took, cpu := measure(c.name, c.run)
					p99 := q(took, 0.99)
					b.ReportMetric(ms(cpu), c.name+"-cpu-ms")
					b.ReportMetric(ms(q(took, 0.5)), c.name+"-p50-ms")
					b.ReportMetric(ms(p99), c.name+"-p99-ms")
					b.ReportMetric(float64(p99)/float64(max(q(base, 0.99), time.Microsecond)), c.name+"-x-lookup")
					b.Logf("%s: p99 %.1f ms (p50 %.1f ms, %.1f ms of CPU a call, p99 %.0fx the lookup's)", c.name, ms(p99), ms(q(took, 0.5)), ms(cpu),
						float64(p99)/float64(max(q(base, 0.99), time.Microsecond)))
					if p99 > goal {
						b.Errorf("%s: p99 %.1f ms, over the goal of %v", c.name, ms(p99), goal)
					}
				}
			}
			b.StopTimer()

			// A lead's cost with the counts per partner and network and
			// without them, in turns, so that what the machine does meanwhile
			// falls on both alike.
			pipe := pipeline.New(db, directory.New(db))
			n := 0
			submit := func() error {
				n++
				_, err := pipe.SubmitLead(ctx, sub, sp.LeadInput{Company: fmt.Sprintf("Bench Buyer %d", n), ContactName: "Pat Buyer",
					Email: fmt.Sprintf("pat@buyer%d.example", n)})
				return err
			}
			defs := triggerDefs(b, db, dropNetworkTriggers(store.IsPostgres(db)))
			for range 20 { // warm up
				if err := submit(); err != nil {
					b.Fatal(err)
				}
			}
			var with, without []time.Duration
			for range 4 {
				took, _ := measure("lead create", submit)
				with = append(with, took...)
				for _, stmt := range dropNetworkTriggers(store.IsPostgres(db)) {
					if _, err := db.ExecContext(ctx, stmt); err != nil {
						b.Fatal(err)
					}
				}
				took, _ = measure("lead create, untracked", submit)
				without = append(without, took...)
				for _, def := range defs {
					if _, err := db.ExecContext(ctx, def); err != nil {
						b.Fatal(err)
					}
				}
			}
			slices.Sort(with)
			slices.Sort(without)
			b.ReportMetric(ms(q(with, 0.5)), "lead-create-p50-ms")
			b.ReportMetric(ms(q(without, 0.5)), "lead-create-untracked-p50-ms")
			b.ReportMetric(float64(q(with, 0.5))/float64(q(without, 0.5)), "lead-create-x-untracked")
			b.Logf("lead create: p50 %.2f ms with the counts per partner and network, %.2f ms without (%d each)",
				ms(q(with, 0.5)), ms(q(without, 0.5)), len(with))

			// A deal won (which adds its commission) with the money per
			// partner (migrations/20261213000010) and without, in turns.
			admin, err := directory.New(db).CreateUser(ctx, directory.UserInput{Email: "ada@vendor.test", Name: "Ada", Role: sdk.RoleAdmin})
			if err != nil {
				b.Fatal(err)
			}
			var open []int64
			if err := db.NewSelect().Table("pipeline_deals").Column("id").Where("stage NOT IN (?, ?)", sp.StageWon, sp.StageLost).
				Where("registration NOT IN ('pending', 'rejected')").Order("id").Limit(20+8*runs).Scan(ctx, &open); err != nil {
				b.Fatal(err)
			}
			win := func() error {
				if len(open) == 0 {
					return fmt.Errorf("no open deal left")
				}
				id := open[0]
				open = open[1:]
				_, err := pipe.SetDealStage(ctx, admin.Viewer(nil), sp.StageChange{ID: id, Stage: sp.StageWon, Reason: "signed"})
				return err
			}
			moneyDefs := triggerDefs(b, db, dropMoneyTriggers(store.IsPostgres(db)))
			for range 20 { // warm up
				if err := win(); err != nil {
					b.Fatal(err)
				}
			}
			with, without = nil, nil
			for range 4 {
				took, _ := measure("deal won", win)
				with = append(with, took...)
				for _, stmt := range dropMoneyTriggers(store.IsPostgres(db)) {
					if _, err := db.ExecContext(ctx, stmt); err != nil {
						b.Fatal(err)
					}
				}
				took, _ = measure("deal won, untracked", win)
				without = append(without, took...)
				for _, def := range moneyDefs {
					if _, err := db.ExecContext(ctx, def); err != nil {
						b.Fatal(err)
					}
				}
			}
			slices.Sort(with)
			slices.Sort(without)
			b.ReportMetric(ms(q(with, 0.5)), "deal-won-p50-ms")
			b.ReportMetric(ms(q(without, 0.5)), "deal-won-untracked-p50-ms")
			b.ReportMetric(float64(q(with, 0.5))/float64(q(without, 0.5)), "deal-won-x-untracked")
			b.Logf("deal won: p50 %.2f ms with the money per partner, %.2f ms without (%d each)",
				ms(q(with, 0.5)), ms(q(without, 0.5)), len(with))
		})
	}
}

// goal is the p99 every case must meet.
const goal = 50 * time.Millisecond

// q is the quantile at of sorted durations.
func q(sorted []time.Duration, at float64) time.Duration {
	return sorted[int(at*float64(len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// triggerDefs returns the statements that create the triggers drops
// would drop, to put them back.
func triggerDefs(b *testing.B, db *bun.DB, drops []string) []string {
	b.Helper()
	var defs []string
	var names []string
	for _, stmt := range drops {
		names = append(names, strings.Fields(stmt)[2])
	}
	q := "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?) ORDER BY name"
	if store.IsPostgres(db) {
		// This schema's: other tests' schemas in the same database have
		// triggers of the same names.
		q = `SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
			WHERE t.tgname IN (?) AND c.relnamespace = current_schema()::regnamespace ORDER BY t.tgname`
	}
	if err := db.NewRaw(q, bun.List(names)).Scan(context.Background(), &defs); err != nil || len(defs) != len(names) {
		b.Fatalf("triggers %v: %d found, %v", names, len(defs), err)
	}
	return defs
}

// dropMoneyTriggers removes the triggers of the deals won and
// commissions per partner (migrations/20261213000010), for the write's
// baseline.
func dropMoneyTriggers(postgres bool) []string {
	if postgres {
		return []string{"DROP TRIGGER revenue_partner_money_deals_roll ON pipeline_deals", "DROP TRIGGER revenue_partner_money_deals_unroll ON pipeline_deals",
			"DROP TRIGGER revenue_partner_money_deals_reroll ON pipeline_deals",
			"DROP TRIGGER revenue_partner_money_commissions_roll ON pipeline_commissions",
			"DROP TRIGGER revenue_partner_money_commissions_reroll ON pipeline_commissions"}
	}
	return []string{"DROP TRIGGER revenue_partner_money_deals_insert", "DROP TRIGGER revenue_partner_money_deals_update",
		"DROP TRIGGER revenue_partner_money_deals_delete", "DROP TRIGGER revenue_partner_money_commissions_insert",
		"DROP TRIGGER revenue_partner_money_commissions_update", "DROP TRIGGER revenue_partner_money_commissions_delete"}
}

// dropNetworkTriggers removes the triggers of the counts per partner and
// per network (migrations/20261212000010), for the write's baseline.
func dropNetworkTriggers(postgres bool) []string {
	if postgres {
		return []string{"DROP TRIGGER revenue_partner_leads_roll ON pipeline_leads", "DROP TRIGGER revenue_partner_leads_reroll ON pipeline_leads",
			"DROP TRIGGER revenue_partner_deals_roll ON pipeline_deals", "DROP TRIGGER revenue_partner_deals_reroll ON pipeline_deals",
			"DROP TRIGGER revenue_network_commissions_roll ON pipeline_commissions",
			"DROP TRIGGER revenue_network_commissions_reroll ON pipeline_commissions"}
	}
	return []string{"DROP TRIGGER revenue_partner_leads_insert", "DROP TRIGGER revenue_partner_leads_update", "DROP TRIGGER revenue_partner_leads_delete",
		"DROP TRIGGER revenue_partner_deals_insert", "DROP TRIGGER revenue_partner_deals_update", "DROP TRIGGER revenue_partner_deals_delete",
		"DROP TRIGGER revenue_network_commissions_insert", "DROP TRIGGER revenue_network_commissions_update",
		"DROP TRIGGER revenue_network_commissions_delete"}
}

var benchChecklist = []sn.Task{{ID: "a", Title: "A"}, {ID: "b", Title: "B"}, {ID: "c", Title: "C"}, {ID: "d", Title: "D"}}

// cpuTime is the process's CPU time so far.
func cpuTime() time.Duration {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

// generateNetwork writes a distributor with subs sub-partners sharing
// leads leads, its admin, its manager (who reaches the network) and the
// admin of its first sub-partner.
func generateNetwork(b testing.TB, db *bun.DB, subs, leads int) (dana, mike, sub sdk.Viewer, dist int64) {
	b.Helper()
	ctx := context.Background()
	dir := directory.New(db)
	prog := program.Default()
	prog.Network = &program.Network{ParentTypes: []string{"distributor"}, ManagersReachSubPartners: true}
	if err := program.Save(ctx, db, prog); err != nil {
		b.Fatal(err)
	}
	m, err := dir.CreateUser(ctx, directory.UserInput{Email: "mike@vendor.test", Name: "Mike", Role: sdk.RoleManager})
	if err != nil {
		b.Fatal(err)
	}
	d, err := dir.CreatePartner(ctx, directory.PartnerInput{Name: "Big Distribution", Type: "distributor", Tier: "gold", Stage: "active", ManagerID: &m.ID})
	if err != nil {
		b.Fatal(err)
	}
	u, err := dir.CreateUser(ctx, directory.UserInput{Email: "dana@big.test", Name: "Dana", Role: sdk.RolePartnerAdmin, PartnerID: &d.ID})
	if err != nil {
		b.Fatal(err)
	}
	res, err := pipeline.Generate(ctx, db, pipeline.GenerateOptions{Partners: subs, Leads: leads, ManagerID: m.ID, Seed: 5,
		Currencies: []string{"USD", "USD", "USD", "EUR"}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.NewUpdate().Table("partners").Set("parent_id = ?, type = 'reseller'", d.ID).Where("id IN (?)", bun.List(res.PartnerIDs)).Exec(ctx); err != nil {
		b.Fatal(err)
	}
	type completion struct {
		bun.BaseModel `bun:"table:task_completions"`
		PartnerID     int64     `bun:"partner_id"`
		UserID        int64     `bun:"user_id"`
		BlockKey      string    `bun:"block_key"`
		TaskID        string    `bun:"task_id"`
		CompletedBy   int64     `bun:"completed_by"`
		CompletedAt   time.Time `bun:"completed_at"`
	}
	var rows []completion
	for i, id := range res.PartnerIDs {
		for _, t := range benchChecklist[:i%5%len(benchChecklist)] {
			rows = append(rows, completion{PartnerID: id, BlockKey: program.DefaultOnboarding, TaskID: t.ID, CompletedBy: u.ID, CompletedAt: time.Now().UTC()})
		}
	}
	for lo := 0; lo < len(rows); lo += 500 {
		part := rows[lo:min(len(rows), lo+500)]
		if _, err := db.NewInsert().Model(&part).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	first, err := dir.Partner(ctx, res.PartnerIDs[0])
	if err != nil {
		b.Fatal(err)
	}
	s, err := dir.CreateUser(ctx, directory.UserInput{Email: "sam@first.test", Name: "Sam", Role: sdk.RolePartnerAdmin, PartnerID: &first.ID})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return u.Viewer(&d), m.Viewer(nil), s.Viewer(&first), d.ID
}
