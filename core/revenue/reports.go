// Package revenue answers the Revenue & Leads dashboard from the pipeline's
// tables: revenue won, pipeline by stage, the lead funnel, top partners by
// revenue and commissions, each with the engagement dashboard's filters
// (range, partner types, picked partners) and scope (admins count every
// partner, managers the partners they manage).
//
// Money stays exact: amounts are summed as int64 minor units by the
// database and never pass through a float. Amounts in different currencies
// are never added together: every money figure is an [Amounts], one sum per
// currency, with the program's currency first. Rankings and the percentage
// change on KPI cards use the program's currency; other currencies are
// listed beside it.
//
// For every partner or a partner type, a panel sums daily counts per UTC
// day and partner type that triggers keep (migrations/20261204000001), and
// reads only the hours at the range's edges from the pipeline's rows (see
// [cover]); for managed or picked partners it reads the rows. Those reads
// are grouped queries over an index that starts with the column the period
// ranges over (migrations/20261129000001), so they touch only the rows of
// their range, never the whole pipeline.
package revenue

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/atriumhq/atrium/core/store"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// Vocabulary is where the program's currency and stage names come from
// (the pipeline service).
type Vocabulary interface {
	Config(ctx context.Context) (sp.Config, error)
}

// Options configure [Reports].
type Options struct {
	// Location is the reporting zone: the engagement dashboard's, so both
	// dashboards cut days at the same instant. Default UTC.
	Location *time.Location
	// Vocabulary names the program's currency and deal stages; nil uses the
	// pipeline's defaults (USD, the default stages).
	Vocabulary Vocabulary
}

// Reports answers the dashboard's panels. It is safe for concurrent use.
type Reports struct {
	db    *bun.DB
	loc   *time.Location
	vocab Vocabulary
	// direct reads every sum from the pipeline's rows, never the daily
	// counts: the tests' and the benchmark's reference.
	direct bool
}

// NewReports returns the dashboard's queries over db.
func NewReports(db *bun.DB, o Options) *Reports {
	if o.Location == nil {
		o.Location = time.UTC
	}
	return &Reports{db: db, loc: o.Location, vocab: o.Vocabulary}
}

// Location is the reporting zone.
func (r *Reports) Location() *time.Location { return r.loc }

func (r *Reports) config(ctx context.Context) (sp.Config, error) {
	if r.vocab == nil {
		return sp.Config{LeadStatuses: sp.LeadStatuses, Currency: "USD", DealStages: []sp.Stage{
			{Key: "proposal", Label: "Proposal"}, {Key: "negotiation", Label: "Negotiation"}, {Key: "contract_review", Label: "Contract review"},
			{Key: sp.StageWon, Label: "Closed won"}, {Key: sp.StageLost, Label: "Closed lost"}}}, nil
	}
	cfg, err := r.vocab.Config(ctx)
	if err != nil {
		return cfg, fmt.Errorf("revenue: pipeline vocabulary: %w", err)
	}
	if cfg.Currency == "" {
		cfg.Currency = "USD"
	}
	return cfg, nil
}

// Amounts is a sum per currency: the program's currency first (present
// even when zero), then the others alphabetically. Different currencies
// are never added together.
type Amounts []sp.Money

// In returns the amount in one currency (0 when there is none).
func (a Amounts) In(currency string) int64 {
	for _, m := range a {
		if m.Currency == currency {
			return m.Amount
		}
	}
	return 0
}

// Others are the amounts in currencies other than the program's.
func (a Amounts) Others() Amounts {
	if len(a) <= 1 {
		return nil
	}
	return a[1:]
}

// add returns a with amount added to currency's sum.
func (a Amounts) add(currency string, amount int64) Amounts {
	for i := range a {
		if a[i].Currency == currency {
			a[i].Amount += amount
			return a
		}
	}
	return append(a, sp.Money{Currency: currency, Amount: amount})
}

// sorted puts the program's currency first (adding it when missing).
func (a Amounts) sorted(program string) Amounts {
	if !slices.ContainsFunc(a, func(m sp.Money) bool { return m.Currency == program }) {
		a = append(a, sp.Money{Currency: program})
	}
	slices.SortFunc(a, func(x, y sp.Money) int {
		switch {
		case x.Currency == y.Currency:
			return 0
		case x.Currency == program:
			return -1
		case y.Currency == program:
			return 1
		}
		return cmp.Compare(x.Currency, y.Currency)
	})
	return a
}

// Metric is a count in the period and in the previous period of the same
// number of days.
type Metric struct {
	Value, Previous int64
}

// Change is the relative change (0.25 for +25%); ok is false when the
// previous period had nothing to compare with.
func (m Metric) Change() (float64, bool) {
	if m.Previous == 0 {
		return 0, false
	}
	return float64(m.Value-m.Previous) / float64(m.Previous), true
}

// MoneyMetric is money in the period and the previous period. Its change
// is that of the program's currency.
type MoneyMetric struct {
	Currency        string // the program's
	Value, Previous Amounts
}

// Change is the relative change of the program-currency amount.
func (m MoneyMetric) Change() (float64, bool) {
	return Metric{m.Value.In(m.Currency), m.Previous.In(m.Currency)}.Change()
}

// Rate is a share in the period and the previous one, as numerator over
// denominator so callers show it exactly.
type Rate struct {
	Won, Of, PreviousWon, PreviousOf int64
}

// Value is the share in the period (0 without a denominator).
func (r Rate) Value() float64 { return ratio(r.Won, r.Of) }

// Previous is the share in the previous period.
func (r Rate) Previous() float64 { return ratio(r.PreviousWon, r.PreviousOf) }

// Change is the change in percentage points (0.05 for +5 points); ok is
// false without a previous rate.
func (r Rate) Change() (float64, bool) {
	if r.PreviousOf == 0 {
		return 0, false
	}
	return r.Value() - r.Previous(), true
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// KPIs are the cards at the top of the dashboard.
type KPIs struct {
	// From, To is the range; PreviousFrom, From the previous period of the
	// same number of days.
	From, To, PreviousFrom time.Time
	Currency               string
	// RevenueWon is the value of deals closed won in the period (by the day
	// they closed).
	RevenueWon MoneyMetric
	DealsWon   Metric
	// LeadsSubmitted counts leads submitted in the period.
	LeadsSubmitted Metric
	// Conversion is the period's submitted leads that are closed won now.
	Conversion Rate
	// CommissionsPending is commission earned in the period and not paid
	// yet (pending or approved); CommissionsPaid, earned and paid.
	CommissionsPending MoneyMetric
	CommissionsPaid    MoneyMetric
}

// query is where every panel starts: the filter's days in the reporting
// zone, the program's pipeline vocabulary and the partners it counts.
type query struct {
	from, to time.Time
	cfg      sp.Config
	ps       partners
}

// prepare resolves a filter into a query, refusing a bad range.
func (r *Reports) prepare(ctx context.Context, f Filter) (query, error) {
	from, to, err := r.span(f)
	if err != nil {
		return query{}, err
	}
	cfg, err := r.config(ctx)
	if err != nil {
		return query{}, err
	}
	ps, err := resolve(ctx, r.db, f)
	if err != nil {
		return query{}, err
	}
	return query{from: from, to: to, cfg: cfg, ps: ps}, nil
}

// KPIs computes the KPI cards for f.
func (r *Reports) KPIs(ctx context.Context, f Filter) (KPIs, error) {
	q, err := r.prepare(ctx, f)
	if err != nil {
		return KPIs{}, err
	}
	from, to, cfg, ps := q.from, q.to, q.cfg, q.ps
	prev := from.AddDate(0, 0, -days(from, to))
	out := KPIs{From: from, To: to, PreviousFrom: prev, Currency: cfg.Currency}
	cur := cfg.Currency
	out.RevenueWon.Currency, out.CommissionsPending.Currency, out.CommissionsPaid.Currency = cur, cur, cur
	// The six sums (three per period) are independent: on PostgreSQL they
	// run at once, so the cards cost their slowest query, not the total.
	type sums struct {
		won   Amounts
		n     int64
		fun   map[string]int64
		comm  []commissionSum
		spans [2]time.Time
	}
	per := []*sums{{spans: [2]time.Time{from, to}}, {spans: [2]time.Time{prev, from}}}
	var jobs []func() error
	for _, p := range per {
		jobs = append(jobs,
			func() (err error) { p.won, p.n, err = r.won(ctx, ps, p.spans[0], p.spans[1]); return err },
			func() (err error) { p.fun, err = r.leads(ctx, ps, p.spans[0], p.spans[1]); return err },
			func() (err error) { p.comm, err = r.commissions(ctx, ps, p.spans[0], p.spans[1]); return err })
	}
	if err := r.parallel(jobs...); err != nil {
		return KPIs{}, err
	}
	for i, p := range per {
		var pending, paid Amounts
		for _, c := range p.comm {
			if c.Status == sp.CommissionPaid {
				paid = paid.add(c.Currency, c.Amount)
			} else {
				pending = pending.add(c.Currency, c.Amount)
			}
		}
		submitted := int64(0)
		for _, c := range p.fun {
			submitted += c
		}
		won, pending, paid := p.won.sorted(cur), pending.sorted(cur), paid.sorted(cur)
		if i == 0 {
			out.RevenueWon.Value, out.DealsWon.Value, out.LeadsSubmitted.Value = won, p.n, submitted
			out.Conversion.Won, out.Conversion.Of = p.fun[sp.LeadWon], submitted
			out.CommissionsPending.Value, out.CommissionsPaid.Value = pending, paid
		} else {
			out.RevenueWon.Previous, out.DealsWon.Previous, out.LeadsSubmitted.Previous = won, p.n, submitted
			out.Conversion.PreviousWon, out.Conversion.PreviousOf = p.fun[sp.LeadWon], submitted
			out.CommissionsPending.Previous, out.CommissionsPaid.Previous = pending, paid
		}
	}
	return out, nil
}

// parallel runs fns at once on PostgreSQL, where each gets a connection
// and a backend of its own; on SQLite, where concurrent reads measured
// slower than the same reads in turn, one after another.
func (r *Reports) parallel(fns ...func() error) error {
	if !store.IsPostgres(r.db) {
		for _, fn := range fns {
			if err := fn(); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// wonDeals selects the deals closed won in [from, to): the partial index
// pipeline_deals_won covers it (the literal stage lets both engines match
// the index's condition).
func (r *Reports) wonDeals(ps partners, from, to time.Time) *bun.SelectQuery {
	return ps.where(r.db.NewSelect().TableExpr("pipeline_deals AS d").Where("d.stage = 'closed_won'").
		Where("d.closed_at >= ? AND d.closed_at < ?", from.UTC(), to.UTC()), "d.partner_id")
}

// won sums the deals closed won in [from, to) per currency.
func (r *Reports) won(ctx context.Context, ps partners, from, to time.Time) (Amounts, int64, error) {
	if ps.none() {
		return nil, 0, nil
	}
	type sum struct {
		Currency string `bun:"currency"`
		N        int64  `bun:"n"`
		V        int64  `bun:"v"`
	}
	rows, err := gather[sum](ctx, r, ps, from, to, nil, "revenue_won_days", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.ColumnExpr("x.currency, sum(x.n) AS n, sum(x.v) AS v").GroupExpr("x.currency")
	}, func(from, to time.Time) *bun.SelectQuery {
		return r.wonDeals(ps, from, to).ColumnExpr("d.currency, count(*) AS n, coalesce(sum(d.value), 0) AS v").GroupExpr("d.currency")
	})
	if err != nil {
		return nil, 0, fmt.Errorf("revenue: deals won: %w", err)
	}
	var out Amounts
	var n int64
	for _, row := range rows {
		out = out.add(row.Currency, row.V)
		n += row.N
	}
	return out, n, nil
}

// leads counts the leads submitted in [from, to) by their status now: for
// every partner or a partner type from the daily counts and, at the
// range's edges, the rows (see [cover]).
func (r *Reports) leads(ctx context.Context, ps partners, from, to time.Time) (map[string]int64, error) {
	out := map[string]int64{}
	if ps.none() {
		return out, nil
	}
	if !ps.all {
		return out, r.partnerLeads(ctx, ps, from, to, out)
	}
	if r.direct {
		return out, r.leadRows(ctx, ps, [][2]time.Time{{from, to}}, out)
	}
	c := coverOf(from, to)
	if c.first < c.last {
		var rows []struct {
			Status string `bun:"status"`
			N      int64  `bun:"n"`
		}
		if err := c.days(r.db.NewSelect().TableExpr("revenue_lead_days AS x"), ps).ColumnExpr("x.status, sum(x.n) AS n").
			GroupExpr("x.status").Scan(ctx, &rows); err != nil {
			return nil, fmt.Errorf("revenue: daily leads: %w", err)
		}
		for _, row := range rows {
			out[row.Status] += row.N
		}
	}
	if len(c.raw) > 0 {
		if err := r.leadRows(ctx, ps, c.raw, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// partnerLeads adds the leads some partners submitted in [from, to) to out
// by their status now: one pass over the index (partner_id, created_at,
// status), a sum per status, where a count per status would read the same
// entries once per status.
func (r *Reports) partnerLeads(ctx context.Context, ps partners, from, to time.Time, out map[string]int64) error {
	q := ps.where(r.db.NewSelect().TableExpr("pipeline_leads AS l").Where("l.created_at >= ? AND l.created_at < ?", from.UTC(), to.UTC()), "l.partner_id")
	counts := make([]int64, len(sp.LeadStatuses))
	dest := make([]any, len(counts))
	for i, st := range sp.LeadStatuses {
		q = q.ColumnExpr("coalesce(sum(CASE WHEN l.status = ? THEN 1 ELSE 0 END), 0)", st)
		dest[i] = &counts[i]
	}
	if err := q.Scan(ctx, dest...); err != nil {
		return fmt.Errorf("revenue: partners' leads by status: %w", err)
	}
	for i, st := range sp.LeadStatuses {
		out[st] += counts[i]
	}
	return nil
}

// leadRows adds the leads submitted in the spans to out by their status
// now, from the pipeline's rows: one count per status and span, each a
// range of the index (status, created_at, partner_id), joined by UNION
// ALL. A single GROUP BY over a range would sort every lead of the range
// first, several times slower at a year of a large program. On PostgreSQL
// the counts of a single span run at once on their own connections
// instead, which measured faster there over long ranges (and slower on
// SQLite).
func (r *Reports) leadRows(ctx context.Context, ps partners, spans [][2]time.Time, out map[string]int64) error {
	count := func(st string, span [2]time.Time) *bun.SelectQuery {
		return ps.where(r.db.NewSelect().TableExpr("pipeline_leads AS l").ColumnExpr("? AS status, count(*) AS n", st).
			Where("l.status = ?", st).Where("l.created_at >= ? AND l.created_at < ?", span[0].UTC(), span[1].UTC()), "l.partner_id")
	}
	if store.IsPostgres(r.db) && len(spans) == 1 { // see parallel
		counts := make([]int64, len(sp.LeadStatuses))
		jobs := make([]func() error, len(sp.LeadStatuses))
		for i, st := range sp.LeadStatuses {
			jobs[i] = func() error {
				var row struct {
					Status string `bun:"status"`
					N      int64  `bun:"n"`
				}
				if err := count(st, spans[0]).Scan(ctx, &row); err != nil {
					return fmt.Errorf("revenue: %s leads: %w", st, err)
				}
				counts[i] = row.N
				return nil
			}
		}
		if err := r.parallel(jobs...); err != nil {
			return err
		}
		for i, st := range sp.LeadStatuses {
			out[st] += counts[i]
		}
		return nil
	}
	var rows []struct {
		Status string `bun:"status"`
		N      int64  `bun:"n"`
	}
	var q *bun.SelectQuery
	for _, span := range spans {
		for _, st := range sp.LeadStatuses {
			one := count(st, span)
			if q == nil {
				q = one
			} else {
				q = q.UnionAll(one)
			}
		}
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return fmt.Errorf("revenue: leads by status: %w", err)
	}
	for _, row := range rows {
		out[row.Status] += row.N
	}
	return nil
}

// commissionSum is commission earned in a period with one status and
// currency.
type commissionSum struct {
	Status   string `bun:"status"`
	Currency string `bun:"currency"`
	N        int64  `bun:"n"`
	Amount   int64  `bun:"v"`
}

// commissions sums the ledger entries made in [from, to) (corrections
// included, in the period they were made) by status and currency.
func (r *Reports) commissions(ctx context.Context, ps partners, from, to time.Time) ([]commissionSum, error) {
	if ps.none() {
		return nil, nil
	}
	rows, err := gather[commissionSum](ctx, r, ps, from, to, nil, "revenue_commission_days", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.ColumnExpr("x.status, x.currency, sum(x.n) AS n, sum(x.v) AS v").GroupExpr("x.status, x.currency")
	}, func(from, to time.Time) *bun.SelectQuery {
		return ps.where(r.db.NewSelect().TableExpr("pipeline_commissions AS c").Where("c.created_at >= ? AND c.created_at < ?", from.UTC(), to.UTC()), "c.partner_id").
			ColumnExpr("c.status, c.currency, count(*) AS n, coalesce(sum(c.amount), 0) AS v").GroupExpr("c.status, c.currency")
	})
	if err != nil {
		return nil, fmt.Errorf("revenue: commissions: %w", err)
	}
	return rows, nil
}
