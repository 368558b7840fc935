package revenue_test

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/revenue"
	"github.com/atriumhq/atrium/core/store/storetest"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// The tests generate a pipeline with the pipeline's own generator, read
// every row back, and check each panel against a direct computation over
// those rows in Go, for combinations of scope, picked partners, partner
// types and ranges.

type leadRec struct {
	PartnerID int64     `bun:"partner_id"`
	Status    string    `bun:"status"`
	CreatedAt time.Time `bun:"created_at"`
}

type dealRec struct {
	PartnerID    int64      `bun:"partner_id"`
	Value        int64      `bun:"value"`
	Currency     string     `bun:"currency"`
	Stage        string     `bun:"stage"`
	Registration string     `bun:"registration"`
	CreatedAt    time.Time  `bun:"created_at"`
	ClosedAt     *time.Time `bun:"closed_at"`
}

type commRec struct {
	PartnerID int64     `bun:"partner_id"`
	Amount    int64     `bun:"amount"`
	Currency  string    `bun:"currency"`
	Status    string    `bun:"status"`
	CreatedAt time.Time `bun:"created_at"`
}

type world struct {
	leads    []leadRec
	deals    []dealRec
	comms    []commRec
	types    map[int64]string
	names    map[int64]string
	partners []int64
}

func load(t *testing.T, db *bun.DB) world {
	t.Helper()
	ctx := context.Background()
	var w world
	if err := db.NewSelect().Table("pipeline_leads").Column("partner_id", "status", "created_at").Scan(ctx, &w.leads); err != nil {
		t.Fatal(err)
	}
	if err := db.NewSelect().Table("pipeline_deals").Column("partner_id", "value", "currency", "stage", "registration", "created_at", "closed_at").Scan(ctx, &w.deals); err != nil {
		t.Fatal(err)
	}
	if err := db.NewSelect().Table("pipeline_commissions").Column("partner_id", "amount", "currency", "status", "created_at").Scan(ctx, &w.comms); err != nil {
		t.Fatal(err)
	}
	var ps []struct {
		ID   int64  `bun:"id"`
		Type string `bun:"type"`
		Name string `bun:"name"`
	}
	if err := db.NewSelect().Table("partners").Column("id", "type", "name").Order("id").Scan(ctx, &ps); err != nil {
		t.Fatal(err)
	}
	w.types, w.names = map[int64]string{}, map[int64]string{}
	for _, p := range ps {
		w.types[p.ID], w.names[p.ID] = p.Type, p.Name
		w.partners = append(w.partners, p.ID)
	}
	return w
}

// want is the direct computation of every panel for one case.
type want struct {
	won      map[string]int64
	dealsWon int64
	byStatus map[string]int64
	stages   map[string]map[string]int64 // stage → currency → value
	stageN   map[string]int64
	comm     map[string]map[string]int64 // status → currency → amount
	partner  map[int64]map[string]int64
	partnerN map[int64]int64
}

func compute(w world, in func(int64) bool, from, to time.Time) want {
	x := want{won: map[string]int64{}, byStatus: map[string]int64{}, stages: map[string]map[string]int64{}, stageN: map[string]int64{},
		comm: map[string]map[string]int64{}, partner: map[int64]map[string]int64{}, partnerN: map[int64]int64{}}
	within := func(at time.Time) bool { return !at.Before(from) && at.Before(to) }
	for _, l := range w.leads {
		if in(l.PartnerID) && within(l.CreatedAt) {
			x.byStatus[l.Status]++
		}
	}
	for _, d := range w.deals {
		if !in(d.PartnerID) {
			continue
		}
		if d.Stage == sp.StageWon && d.ClosedAt != nil && within(*d.ClosedAt) {
			x.won[d.Currency] += d.Value
			x.dealsWon++
			if x.partner[d.PartnerID] == nil {
				x.partner[d.PartnerID] = map[string]int64{}
			}
			x.partner[d.PartnerID][d.Currency] += d.Value
			x.partnerN[d.PartnerID]++
		}
		if within(d.CreatedAt) && d.Registration != sp.RegistrationPending && d.Registration != sp.RegistrationRejected {
			if x.stages[d.Stage] == nil {
				x.stages[d.Stage] = map[string]int64{}
			}
			x.stages[d.Stage][d.Currency] += d.Value
			x.stageN[d.Stage]++
		}
	}
	for _, c := range w.comms {
		if in(c.PartnerID) && within(c.CreatedAt) {
			if x.comm[c.Status] == nil {
				x.comm[c.Status] = map[string]int64{}
			}
			x.comm[c.Status][c.Currency] += c.Amount
		}
	}
	return x
}

// asMap turns Amounts into a map without zero entries.
func asMap(a revenue.Amounts) map[string]int64 {
	out := map[string]int64{}
	for _, m := range a {
		if m.Amount != 0 {
			out[m.Currency] += m.Amount
		}
	}
	return out
}

func nonZero(m map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

func TestPanelsMatchDirectComputation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		res, err := pipeline.Generate(ctx, db, pipeline.GenerateOptions{Partners: 24, Leads: 4000, Seed: 3, Currencies: []string{"USD", "USD", "EUR", "GBP"}})
		if err != nil {
			t.Fatal(err)
		}
		w := load(t, db)
		if len(w.deals) == 0 || len(w.comms) == 0 {
			t.Fatalf("generated %d deals and %d commissions", len(w.deals), len(w.comms))
		}
		for _, loc := range []*time.Location{time.UTC, mustZone(t, "America/New_York"), mustZone(t, "Asia/Kolkata")} {
			r := revenue.NewReports(db, revenue.Options{Location: loc})
			now := time.Now().In(loc)
			managed := res.PartnerIDs[:9]
			scopes := []struct {
				name   string
				scope  reach.Reach
				picked []int64
				types  []string
				in     func(int64) bool
			}{
				{"admin", reach.Everyone(), nil, nil, func(int64) bool { return true }},
				{"manager", reach.ReadOnly(managed), nil, nil, func(id int64) bool { return slices.Contains(managed, id) }},
				{"admin-reseller", reach.Everyone(), nil, []string{"reseller"}, func(id int64) bool { return w.types[id] == "reseller" }},
				{"admin-two-types", reach.Everyone(), nil, []string{"referral", "distributor"},
					func(id int64) bool { return w.types[id] == "referral" || w.types[id] == "distributor" }},
				{"manager-referral", reach.ReadOnly(managed), nil, []string{"referral"},
					func(id int64) bool { return slices.Contains(managed, id) && w.types[id] == "referral" }},
				// Picked partners outside the manager's scope are ignored.
				{"manager-picks", reach.ReadOnly(managed), []int64{managed[0], managed[1], res.PartnerIDs[20]}, nil,
					func(id int64) bool { return id == managed[0] || id == managed[1] }},
				{"admin-picks-typed", reach.Everyone(), []int64{res.PartnerIDs[0], res.PartnerIDs[1], res.PartnerIDs[5]}, []string{"reseller"},
					func(id int64) bool {
						return slices.Contains([]int64{res.PartnerIDs[0], res.PartnerIDs[1], res.PartnerIDs[5]}, id) && w.types[id] == "reseller"
					}},
				{"nobody", reach.Reach{}, nil, nil, func(int64) bool { return false }},
			}
			var ranges []struct {
				name     string
				from, to time.Time
			}
			for _, q := range engagement.QuickRanges() {
				from, to := q.Range(now)
				ranges = append(ranges, struct {
					name     string
					from, to time.Time
				}{string(q), from, to})
			}
			ranges = append(ranges, struct {
				name     string
				from, to time.Time
			}{"400-days", now.AddDate(0, 0, -399), now.AddDate(0, 0, 1)})
			for _, sc := range scopes {
				for _, rg := range ranges {
					name := fmt.Sprintf("%s/%s/%s", loc, sc.name, rg.name)
					f := revenue.Filter{From: rg.from, To: rg.to, Scope: sc.scope, PartnerIDs: sc.picked, PartnerTypes: sc.types}
					from := time.Date(rg.from.Year(), rg.from.Month(), rg.from.Day(), 0, 0, 0, 0, loc)
					to := time.Date(rg.to.Year(), rg.to.Month(), rg.to.Day(), 0, 0, 0, 0, loc)
					x := compute(w, sc.in, from, to)
					if sc.name == "admin" && rg.name == "400-days" && (x.dealsWon == 0 || len(x.byStatus) < 6 || len(x.won) < 3) {
						t.Fatalf("%s: the generated rows give nothing to check: %d deals won in %v, leads %v", name, x.dealsWon, x.won, x.byStatus)
					}
					checkPanels(t, ctx, r, f, x, w, name)
					// The KPI cards' previous period is the same number of days before.
					k, err := r.KPIs(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					n := int(to.Sub(from).Round(24*time.Hour).Hours() / 24)
					prevFrom := time.Date(from.Year(), from.Month(), from.Day()-n, 0, 0, 0, 0, loc)
					p := compute(w, sc.in, prevFrom, from)
					if !k.PreviousFrom.Equal(prevFrom) || !maps.Equal(asMap(k.RevenueWon.Previous), nonZero(p.won)) || k.DealsWon.Previous != p.dealsWon {
						t.Errorf("%s: previous period from %s: won %v (%d deals), want from %s %v (%d)", name, k.PreviousFrom, k.RevenueWon.Previous,
							k.DealsWon.Previous, prevFrom, p.won, p.dealsWon)
					}
				}
			}
		}
	})
}

func checkPanels(t *testing.T, ctx context.Context, r *revenue.Reports, f revenue.Filter, x want, w world, name string) {
	t.Helper()
	k, err := r.KPIs(ctx, f)
	if err != nil {
		t.Fatalf("%s: kpis: %v", name, err)
	}
	if !maps.Equal(asMap(k.RevenueWon.Value), nonZero(x.won)) || k.DealsWon.Value != x.dealsWon {
		t.Errorf("%s: revenue won %v in %d deals, want %v in %d", name, k.RevenueWon.Value, k.DealsWon.Value, x.won, x.dealsWon)
	}
	if k.RevenueWon.Value[0].Currency != "USD" {
		t.Errorf("%s: the program's currency is not first: %v", name, k.RevenueWon.Value)
	}
	var submitted int64
	for _, n := range x.byStatus {
		submitted += n
	}
	if k.LeadsSubmitted.Value != submitted || k.Conversion.Won != x.byStatus[sp.LeadWon] || k.Conversion.Of != submitted {
		t.Errorf("%s: leads %d, conversion %d/%d, want %d, %d/%d", name, k.LeadsSubmitted.Value, k.Conversion.Won, k.Conversion.Of,
			submitted, x.byStatus[sp.LeadWon], submitted)
	}
	pending, paid := map[string]int64{}, map[string]int64{}
	for st, byCur := range x.comm {
		for c, v := range byCur {
			if st == sp.CommissionPaid {
				paid[c] += v
			} else {
				pending[c] += v
			}
		}
	}
	if !maps.Equal(asMap(k.CommissionsPending.Value), nonZero(pending)) || !maps.Equal(asMap(k.CommissionsPaid.Value), nonZero(paid)) {
		t.Errorf("%s: commissions pending %v paid %v, want %v and %v", name, k.CommissionsPending.Value, k.CommissionsPaid.Value, pending, paid)
	}

	tl, err := r.Timeline(ctx, f)
	if err != nil {
		t.Fatalf("%s: timeline: %v", name, err)
	}
	sum := revenue.Amounts{}
	var deals int64
	for i, p := range tl.Points {
		for _, m := range p.Won {
			sum = append(sum, m)
		}
		deals += p.Deals
		if i > 0 && !p.Start.Equal(tl.Points[i-1].End) {
			t.Errorf("%s: timeline has a gap before %s", name, p.Start)
		}
		// Each bucket holds exactly the deals won between its edges.
		var direct int64
		for _, d := range w.deals {
			if d.Stage == sp.StageWon && d.ClosedAt != nil && !d.ClosedAt.Before(p.Start) && d.ClosedAt.Before(p.End) && d.Currency == "USD" && inFilter(w, f, d.PartnerID) {
				direct += d.Value
			}
		}
		if p.Won.In("USD") != direct {
			t.Errorf("%s: bucket %s: USD %d, want %d", name, p.Start, p.Won.In("USD"), direct)
		}
	}
	total := map[string]int64{}
	for _, m := range sum {
		total[m.Currency] += m.Amount
	}
	if !maps.Equal(nonZero(total), nonZero(x.won)) || deals != x.dealsWon {
		t.Errorf("%s: timeline sums to %v in %d deals, want %v in %d", name, total, deals, x.won, x.dealsWon)
	}

	stages, err := r.Stages(ctx, f)
	if err != nil {
		t.Fatalf("%s: stages: %v", name, err)
	}
	if len(stages) != 5 || stages[0].Key != "proposal" || stages[4].Key != sp.StageLost {
		t.Errorf("%s: stages %+v", name, stages)
	}
	for _, s := range stages {
		if !maps.Equal(asMap(s.Value), nonZero(x.stages[s.Key])) || s.Deals != x.stageN[s.Key] {
			t.Errorf("%s: stage %s: %v in %d deals, want %v in %d", name, s.Key, s.Value, s.Deals, x.stages[s.Key], x.stageN[s.Key])
		}
	}

	fn, err := r.Funnel(ctx, f)
	if err != nil {
		t.Fatalf("%s: funnel: %v", name, err)
	}
	wantSteps := []int64{submitted,
		x.byStatus[sp.LeadQualified] + x.byStatus[sp.LeadDemo] + x.byStatus[sp.LeadProposal] + x.byStatus[sp.LeadWon],
		x.byStatus[sp.LeadDemo] + x.byStatus[sp.LeadProposal] + x.byStatus[sp.LeadWon],
		x.byStatus[sp.LeadProposal] + x.byStatus[sp.LeadWon], x.byStatus[sp.LeadWon]}
	var got []int64
	for _, s := range fn.Steps {
		got = append(got, s.Leads)
	}
	if !slices.Equal(got, wantSteps) || fn.Lost != x.byStatus[sp.LeadLost] {
		t.Errorf("%s: funnel %v lost %d, want %v lost %d", name, got, fn.Lost, wantSteps, x.byStatus[sp.LeadLost])
	}

	top, err := r.TopPartners(ctx, f, 0)
	if err != nil {
		t.Fatalf("%s: top partners: %v", name, err)
	}
	if len(top) != len(x.partner) {
		t.Errorf("%s: %d partners with revenue, want %d", name, len(top), len(x.partner))
	}
	for i, p := range top {
		if !maps.Equal(asMap(p.Won), nonZero(x.partner[p.PartnerID])) || p.Deals != x.partnerN[p.PartnerID] || p.Name != w.names[p.PartnerID] {
			t.Errorf("%s: partner %d: %v in %d deals (%q), want %v in %d", name, p.PartnerID, p.Won, p.Deals, p.Name, x.partner[p.PartnerID], x.partnerN[p.PartnerID])
		}
		if i > 0 {
			prev := top[i-1]
			if c := cmp.Or(cmp.Compare(prev.Won.In("USD"), p.Won.In("USD")), cmp.Compare(prev.Deals, p.Deals)); c < 0 {
				t.Errorf("%s: partner %d ranked after %d with more revenue", name, p.PartnerID, prev.PartnerID)
			}
		}
	}
	if short, err := r.TopPartners(ctx, f, 3); err != nil || len(short) != min(3, len(top)) || (len(short) > 0 && short[0].Won.In("USD") != top[0].Won.In("USD")) {
		t.Errorf("%s: top 3: %+v, %v", name, short, err)
	}

	cs, err := r.Commissions(ctx, f)
	if err != nil {
		t.Fatalf("%s: commissions: %v", name, err)
	}
	for _, c := range cs {
		if !maps.Equal(asMap(c.Amount), nonZero(x.comm[c.Status])) {
			t.Errorf("%s: commissions %s: %v, want %v", name, c.Status, c.Amount, x.comm[c.Status])
		}
	}
}

// inFilter is the filter's partner rule written out plainly, for the
// timeline's per-bucket check.
func inFilter(w world, f revenue.Filter, id int64) bool {
	ok := true
	if len(f.PartnerTypes) > 0 {
		ok = slices.Contains(f.PartnerTypes, w.types[id])
	}
	if f.PartnerIDs != nil {
		ok = ok && slices.Contains(f.PartnerIDs, id)
	}
	return ok && f.Scope.CanRead(id)
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// seedPartner adds a partner straight to the table.
func seedPartner(t *testing.T, db *bun.DB, slug, typ string) int64 {
	t.Helper()
	now := time.Now().UTC()
	p := &directory.Partner{Slug: slug, Name: slug, Type: typ, Tier: "gold", Stage: "active", CreatedAt: now, UpdatedAt: now}
	if _, err := db.NewInsert().Model(p).Returning("id").Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// wonDeal adds a won deal closed at the given instant.
func wonDeal(t *testing.T, db *bun.DB, partner int64, value int64, currency string, closed time.Time) {
	t.Helper()
	row := map[string]any{"partner_id": partner, "created_by": 0, "name": "Deal", "company": "Co", "value": value, "currency": currency,
		"stage": sp.StageWon, "closed_at": closed.UTC(), "created_at": closed.Add(-48 * time.Hour).UTC(), "updated_at": closed.UTC()}
	_, err := db.NewInsert().Model(&row).TableExpr("pipeline_deals").Exec(context.Background())
	if err != nil {
		t.Fatal(err)
	}
}

// TestPeriodEdges puts deals on the edges of a month, in the reporting zone:
// 23:59 on the last day belongs to that month, 00:00 on the first to the
// next, whatever the zone and whatever UTC says.
func TestPeriodEdges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		pid := seedPartner(t, db, "edge", "reseller")
		for _, zone := range []string{"UTC", "America/New_York", "Pacific/Auckland"} {
			loc := mustZone(t, zone)
			if _, err := db.ExecContext(ctx, "DELETE FROM pipeline_deals"); err != nil {
				t.Fatal(err)
			}
			wonDeal(t, db, pid, 100, "USD", time.Date(2026, 1, 31, 23, 59, 0, 0, loc))
			wonDeal(t, db, pid, 20, "USD", time.Date(2026, 1, 31, 23, 59, 59, 999_000_000, loc))
			wonDeal(t, db, pid, 3000, "USD", time.Date(2026, 2, 1, 0, 0, 0, 0, loc))
			wonDeal(t, db, pid, 40000, "USD", time.Date(2026, 3, 31, 23, 59, 0, 0, loc)) // a DST change in both zones lies between
			wonDeal(t, db, pid, 7, "EUR", time.Date(2026, 1, 1, 0, 0, 0, 0, loc))
			r := revenue.NewReports(db, revenue.Options{Location: loc})
			for _, c := range []struct {
				period string
				usd    int64
				eur    int64
				deals  int64
			}{
				{"2026-01", 120, 7, 3}, {"2026-02", 3000, 0, 1}, {"2026-03", 40000, 0, 1}, {"2026-Q1", 43120, 7, 5}, {"2025-12", 0, 0, 0}, {"2026", 43120, 7, 5},
			} {
				p, err := engagement.ParsePeriod(c.period)
				if err != nil {
					t.Fatal(err)
				}
				from, to := p.Range(loc)
				k, err := r.KPIs(ctx, revenue.Filter{From: from, To: to, Scope: reach.Everyone()})
				if err != nil {
					t.Fatal(err)
				}
				if k.RevenueWon.Value.In("USD") != c.usd || k.RevenueWon.Value.In("EUR") != c.eur || k.DealsWon.Value != c.deals {
					t.Errorf("%s %s: won %v in %d deals, want USD %d EUR %d in %d", zone, c.period, k.RevenueWon.Value, k.DealsWon.Value, c.usd, c.eur, c.deals)
				}
				tl, err := r.Timeline(ctx, revenue.Filter{From: from, To: to, Scope: reach.Everyone()})
				if err != nil {
					t.Fatal(err)
				}
				var usd int64
				for _, pt := range tl.Points {
					usd += pt.Won.In("USD")
				}
				if usd != c.usd {
					t.Errorf("%s %s: timeline USD %d, want %d", zone, c.period, usd, c.usd)
				}
			}
			// In the quarter's monthly timeline each deal lands in its own month.
			p, _ := engagement.ParsePeriod("2026-Q1")
			from, to := p.Range(loc)
			tl, err := r.Timeline(ctx, revenue.Filter{From: from, To: to, Scope: reach.Everyone()})
			if err != nil {
				t.Fatal(err)
			}
			var months []int64
			for _, pt := range tl.Points {
				months = append(months, pt.Won.In("USD"))
			}
			if tl.Bucket != engagement.BucketMonth || !slices.Equal(months, []int64{120, 3000, 40000}) {
				t.Errorf("%s: Q1 by %s: %v", zone, tl.Bucket, months)
			}
		}
	})
}

// TestCurrenciesAreNotAdded checks amounts in different currencies stay
// apart everywhere, with the program's currency first even when it has
// nothing.
func TestCurrenciesAreNotAdded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		a, b := seedPartner(t, db, "alpha", "reseller"), seedPartner(t, db, "beta", "referral")
		at := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
		wonDeal(t, db, a, 100_00, "EUR", at)
		wonDeal(t, db, a, 50_00, "USD", at)
		wonDeal(t, db, b, 900_00, "GBP", at)
		wonDeal(t, db, b, 10_00, "USD", at)
		r := revenue.NewReports(db, revenue.Options{Vocabulary: fixedVocab("EUR")})
		f := revenue.Filter{From: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Scope: reach.Everyone()}
		k, err := r.KPIs(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(k.RevenueWon.Value) != fmt.Sprint(revenue.Amounts{{Amount: 100_00, Currency: "EUR"}, {Amount: 900_00, Currency: "GBP"}, {Amount: 60_00, Currency: "USD"}}) {
			t.Errorf("won %v", k.RevenueWon.Value)
		}
		top, err := r.TopPartners(ctx, f, 10)
		if err != nil || len(top) != 2 || top[0].PartnerID != a || top[1].PartnerID != b {
			t.Fatalf("top partners ranked by the program's currency (EUR): %+v, %v", top, err)
		}
		k, err = r.KPIs(ctx, revenue.Filter{From: f.From, To: f.To, Scope: reach.ReadOnly([]int64{b})})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(k.RevenueWon.Value) != fmt.Sprint(revenue.Amounts{{Amount: 0, Currency: "EUR"}, {Amount: 900_00, Currency: "GBP"}, {Amount: 10_00, Currency: "USD"}}) {
			t.Errorf("beta's won %v", k.RevenueWon.Value)
		}
	})
}

type fixedVocab string

func (v fixedVocab) Config(context.Context) (sp.Config, error) {
	cfg := pipeline.DefaultConfig()
	cfg.Currency = string(v)
	return cfg, nil
}

// TestInvalidRanges: a filter without a range, with one that ends before
// it starts or spans more than ten years is refused, in English for the API
// and logs and in German for a German reader.
func TestInvalidRanges(t *testing.T) {
	db := storetest.Open(t)
	r := revenue.NewReports(db, revenue.Options{})
	d := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	de := i18n.Locale("de")
	for _, tc := range []struct {
		f               revenue.Filter
		english, german string
	}{
		{revenue.Filter{}, "Choose a date range.", "Wählen Sie einen Zeitraum."},
		{revenue.Filter{From: d, To: d}, "The range must end after it starts.", "Der Zeitraum muss nach seinem Beginn enden."},
		{revenue.Filter{From: d, To: d.AddDate(-1, 0, 0)}, "The range must end after it starts.", "Der Zeitraum muss nach seinem Beginn enden."},
		{revenue.Filter{From: d, To: d.AddDate(11, 0, 0)}, "Choose a range of at most ten years.", "Wählen Sie einen Zeitraum von höchstens zehn Jahren."},
	} {
		tc.f.Scope = reach.Everyone()
		_, err := r.KPIs(context.Background(), tc.f)
		if e := fail.As(err); e.Code != fail.Invalid || e.Message != tc.english || e.In(de).Message != tc.german {
			t.Errorf("%v – %v: %v, in German %q; want %q and %q", tc.f.From, tc.f.To, err, e.In(de).Message, tc.english, tc.german)
		}
	}
}

func TestDecimal(t *testing.T) {
	for _, c := range []struct {
		in   int64
		want string
	}{{0, "0.00"}, {5, "0.05"}, {-5, "-0.05"}, {123450, "1234.50"}, {-100, "-1.00"}, {7777700, "77777.00"}} {
		if got := revenue.Decimal(c.in); got != c.want {
			t.Errorf("Decimal(%d) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCSVKeepsCurrenciesApart(t *testing.T) {
	var b strings.Builder
	k := revenue.KPIs{From: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
		PreviousFrom: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), Currency: "USD",
		RevenueWon: revenue.MoneyMetric{Currency: "USD", Value: revenue.Amounts{{Amount: 150, Currency: "USD"}, {Amount: 9900, Currency: "EUR"}},
			Previous: revenue.Amounts{{Amount: 100, Currency: "USD"}}}}
	if err := revenue.WriteKPIsCSV(&b, k); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"revenue_won,USD,1.50,1.00,2026-05-01,2026-05-31,2026-03-31\n", "revenue_won,EUR,99.00,0.00,"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("CSV lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	if err := revenue.WriteTopPartnersCSV(&b, []revenue.PartnerRevenue{{Rank: 1, PartnerID: 7, Name: "=HYPERLINK(1)", Type: "reseller", Deals: 2,
		Won: revenue.Amounts{{Amount: 100, Currency: "USD"}, {Amount: 0, Currency: "EUR"}, {Amount: 250, Currency: "GBP"}}}}); err != nil {
		t.Fatal(err)
	}
	want := "rank,partner_id,partner,type,deals_won,currency,revenue_won\n1,7,'=HYPERLINK(1),reseller,2,USD,1.00\n1,7,'=HYPERLINK(1),reseller,2,GBP,2.50\n"
	if b.String() != want {
		t.Errorf("top partners CSV:\n%s\nwant\n%s", b.String(), want)
	}
}
