package revenue

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/engagement"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// Point is one bucket of the revenue timeline.
type Point struct {
	// Start and End are the bucket's days [Start, End), clipped to the range.
	Start, End time.Time
	Won        Amounts
	Deals      int64
}

// Timeline is revenue won per bucket; the bucket follows the range's length
// exactly as on the engagement dashboard (days under 14 days, Monday-to-
// Sunday weeks to 60, calendar months beyond).
type Timeline struct {
	Bucket   engagement.Bucket
	Currency string
	Points   []Point
}

// buckets splits [from, to) (midnights in the reporting zone).
func buckets(from, to time.Time) (engagement.Bucket, [][2]time.Time) {
	b := engagement.BucketForDays(days(from, to))
	var out [][2]time.Time
	for cur := from; cur.Before(to); {
		var next time.Time
		switch b {
		case engagement.BucketDay:
			next = cur.AddDate(0, 0, 1)
		case engagement.BucketWeek:
			next = cur.AddDate(0, 0, 7-(int(cur.Weekday())+6)%7)
		default:
			next = time.Date(cur.Year(), cur.Month()+1, 1, 0, 0, 0, 0, cur.Location())
		}
		if next.After(to) {
			next = to
		}
		out = append(out, [2]time.Time{cur, next})
		cur = next
	}
	return b, out
}

// Timeline computes revenue won per bucket in one grouped query: the bucket
// is a CASE over the bucket starts computed here, in the reporting zone, so
// neither engine's date functions (nor its idea of time zones) decide which
// day a deal closed on.
func (r *Reports) Timeline(ctx context.Context, f Filter) (Timeline, error) {
	q, err := r.prepare(ctx, f)
	if err != nil {
		return Timeline{}, err
	}
	from, to, cfg, ps := q.from, q.to, q.cfg, q.ps
	bucket, spans := buckets(from, to)
	out := Timeline{Bucket: bucket, Currency: cfg.Currency, Points: make([]Point, len(spans))}
	for i, s := range spans {
		out.Points[i] = Point{Start: s[0], End: s[1]}
	}
	if ps.none() {
		for i := range out.Points {
			out.Points[i].Won = out.Points[i].Won.sorted(cfg.Currency)
		}
		return out, nil
	}
	// Bucket i holds the rows at or after its start: the CASE tests the
	// starts from the last, over closed_at for the pipeline's rows and over
	// the first whole UTC day a bucket holds for the daily counts (a day a
	// bucket start cuts is read from the rows; see [coverOf]).
	cuts := make([]time.Time, 0, len(spans))
	var instants, days strings.Builder
	var atArgs, dayArgs []any
	instants.WriteString("CASE")
	days.WriteString("CASE")
	for i := len(spans) - 1; i > 0; i-- {
		start := spans[i][0]
		cuts = append(cuts, start)
		fmt.Fprintf(&instants, " WHEN d.closed_at >= ? THEN %d", i)
		atArgs = append(atArgs, start.UTC())
		d, midnight := utcDay(start)
		if !midnight {
			d++
		}
		fmt.Fprintf(&days, " WHEN x.day >= ? THEN %d", i)
		dayArgs = append(dayArgs, d)
	}
	instants.WriteString(" ELSE 0 END")
	days.WriteString(" ELSE 0 END")
	if len(spans) == 1 { // a single day: "CASE ELSE 0 END" is no SQL
		instants.Reset()
		instants.WriteString("0")
		days.Reset()
		days.WriteString("0")
	}
	type sum struct {
		B        int    `bun:"b"`
		Currency string `bun:"currency"`
		N        int64  `bun:"n"`
		V        int64  `bun:"v"`
	}
	rows, err := gather[sum](ctx, r, ps, from, to, cuts, "revenue_won_days", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.ColumnExpr(days.String()+" AS b", dayArgs...).
			ColumnExpr("x.currency, sum(x.n) AS n, sum(x.v) AS v").GroupExpr("1, 2")
	}, func(from, to time.Time) *bun.SelectQuery {
		return r.wonDeals(ps, from, to).ColumnExpr(instants.String()+" AS b", atArgs...).
			ColumnExpr("d.currency, count(*) AS n, coalesce(sum(d.value), 0) AS v").GroupExpr("1, 2")
	})
	if err != nil {
		return Timeline{}, fmt.Errorf("revenue: timeline: %w", err)
	}
	for _, row := range rows {
		if row.B >= 0 && row.B < len(out.Points) {
			p := &out.Points[row.B]
			p.Won = p.Won.add(row.Currency, row.V)
			p.Deals += row.N
		}
	}
	for i := range out.Points {
		out.Points[i].Won = out.Points[i].Won.sorted(cfg.Currency)
	}
	return out, nil
}

// Stage is one row of the pipeline by stage.
type Stage struct {
	Key, Label string
	Deals      int64
	Value      Amounts
}

// Stages is the pipeline by stage: the deals registered or converted in the
// period (registrations still awaiting approval, or rejected, are not in
// the pipeline), grouped by the stage they are in now, in the program's
// stage order, every stage listed.
func (r *Reports) Stages(ctx context.Context, f Filter) ([]Stage, error) {
	q, err := r.prepare(ctx, f)
	if err != nil {
		return nil, err
	}
	from, to, cfg, ps := q.from, q.to, q.cfg, q.ps
	out := make([]Stage, 0, len(cfg.DealStages))
	for _, s := range cfg.DealStages {
		out = append(out, Stage{Key: s.Key, Label: s.Label})
	}
	if !ps.none() {
		type sum struct {
			Stage    string `bun:"stage"`
			Currency string `bun:"currency"`
			N        int64  `bun:"n"`
			V        int64  `bun:"v"`
		}
		rows, err := gather[sum](ctx, r, ps, from, to, nil, "revenue_deal_days", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.ColumnExpr("x.stage, x.currency, sum(x.n) AS n, sum(x.v) AS v").GroupExpr("x.stage, x.currency")
		}, func(from, to time.Time) *bun.SelectQuery {
			return ps.where(r.db.NewSelect().TableExpr("pipeline_deals AS d").Where("d.created_at >= ? AND d.created_at < ?", from.UTC(), to.UTC()).
				Where("d.registration NOT IN ('pending', 'rejected')"), "d.partner_id").
				ColumnExpr("d.stage, d.currency, count(*) AS n, coalesce(sum(d.value), 0) AS v").GroupExpr("d.stage, d.currency")
		})
		if err != nil {
			return nil, fmt.Errorf("revenue: pipeline by stage: %w", err)
		}
		for _, row := range rows {
			i := slices.IndexFunc(out, func(s Stage) bool { return s.Key == row.Stage })
			if i < 0 { // a stage the program has since removed
				out = append(out, Stage{Key: row.Stage, Label: sp.Label(row.Stage)})
				i = len(out) - 1
			}
			out[i].Deals += row.N
			out[i].Value = out[i].Value.add(row.Currency, row.V)
		}
	}
	for i := range out {
		out[i].Value = out[i].Value.sorted(cfg.Currency)
	}
	return out, nil
}

// FunnelStep is one step of the lead funnel.
type FunnelStep struct {
	Status, Label string
	// Leads counts the period's leads that reached this step: whose status
	// now is this step or a later one.
	Leads int64
}

// Funnel is the lead conversion funnel of the leads submitted in the period.
type Funnel struct {
	Steps []FunnelStep // submitted, qualified, demo, proposal, won
	// Lost counts the period's leads closed lost; they count as submitted
	// only, since a lead keeps no record of how far it got before it was
	// lost other than its history.
	Lost int64
}

// Funnel computes the lead funnel: the leads submitted in the period, by how
// far they have got.
func (r *Reports) Funnel(ctx context.Context, f Filter) (Funnel, error) {
	q, err := r.prepare(ctx, f)
	if err != nil {
		return Funnel{}, err
	}
	from, to, ps := q.from, q.to, q.ps
	by, err := r.leads(ctx, ps, from, to)
	if err != nil {
		return Funnel{}, err
	}
	return funnelOf(by), nil
}

// funnelOf folds counts by current status into the funnel's steps.
func funnelOf(by map[string]int64) Funnel {
	order := []string{sp.LeadNew, sp.LeadQualified, sp.LeadDemo, sp.LeadProposal, sp.LeadWon}
	labels := []string{"Submitted", "Qualified", "Demo", "Proposal", "Won"}
	out := Funnel{Steps: make([]FunnelStep, len(order)), Lost: by[sp.LeadLost]}
	var reached int64
	for i := len(order) - 1; i >= 0; i-- {
		reached += by[order[i]]
		out.Steps[i] = FunnelStep{Status: order[i], Label: labels[i], Leads: reached}
	}
	out.Steps[0].Leads += out.Lost
	return out
}

// PartnerRevenue is one partner's revenue won in the period.
type PartnerRevenue struct {
	Rank      int
	PartnerID int64
	Name      string
	Type      string
	Deals     int64
	Won       Amounts
}

// TopPartners ranks the partners by revenue won in the period: by the
// program-currency amount, then deals won, then name; partners who won only
// in other currencies come after. limit 0 returns them all.
func (r *Reports) TopPartners(ctx context.Context, f Filter, limit int) ([]PartnerRevenue, error) {
	q, err := r.prepare(ctx, f)
	if err != nil || q.ps.none() {
		return nil, err
	}
	from, to, cfg, ps := q.from, q.to, q.cfg, q.ps
	var rows []struct {
		PartnerID int64  `bun:"partner_id"`
		Currency  string `bun:"currency"`
		N         int64  `bun:"n"`
		V         int64  `bun:"v"`
	}
	if err := r.wonDeals(ps, from, to).ColumnExpr("d.partner_id, d.currency, count(*) AS n, coalesce(sum(d.value), 0) AS v").
		GroupExpr("d.partner_id, d.currency").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("revenue: top partners: %w", err)
	}
	byID := map[int64]*PartnerRevenue{}
	for _, row := range rows {
		p := byID[row.PartnerID]
		if p == nil {
			p = &PartnerRevenue{PartnerID: row.PartnerID}
			byID[row.PartnerID] = p
		}
		p.Deals += row.N
		p.Won = p.Won.add(row.Currency, row.V)
	}
	list := make([]*PartnerRevenue, 0, len(byID))
	for _, p := range byID {
		p.Won = p.Won.sorted(cfg.Currency)
		list = append(list, p)
	}
	// Rank by amount first, so names are read only for the rows shown.
	byAmount := func(a, b *PartnerRevenue) int {
		return cmp.Or(cmp.Compare(b.Won.In(cfg.Currency), a.Won.In(cfg.Currency)), cmp.Compare(b.Deals, a.Deals))
	}
	slices.SortFunc(list, func(a, b *PartnerRevenue) int { return cmp.Or(byAmount(a, b), cmp.Compare(a.PartnerID, b.PartnerID)) })
	if limit > 0 && len(list) > limit {
		// Keep every partner tied with the last one shown, so the name order
		// among ties is decided over all of them.
		cut := limit
		for cut < len(list) && byAmount(list[cut-1], list[cut]) == 0 {
			cut++
		}
		list = list[:cut]
	}
	ids := make([]int64, 0, len(list))
	for _, p := range list {
		ids = append(ids, p.PartnerID)
	}
	var names []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
		Type string `bun:"type"`
	}
	for lo := 0; lo < len(ids); lo += 1000 {
		var part []struct {
			ID   int64  `bun:"id"`
			Name string `bun:"name"`
			Type string `bun:"type"`
		}
		if err := r.db.NewSelect().Table("partners").Column("id", "name", "type").Where("id IN (?)", bun.List(ids[lo:min(len(ids), lo+1000)])).Scan(ctx, &part); err != nil {
			return nil, fmt.Errorf("revenue: partner names: %w", err)
		}
		names = append(names, part...)
	}
	for _, n := range names {
		byID[n.ID].Name, byID[n.ID].Type = n.Name, n.Type
	}
	slices.SortFunc(list, func(a, b *PartnerRevenue) int {
		return cmp.Or(byAmount(a, b), cmp.Compare(a.Name, b.Name), cmp.Compare(a.PartnerID, b.PartnerID))
	})
	if limit > 0 && len(list) > limit {
		list = list[:limit]
	}
	out := make([]PartnerRevenue, len(list))
	for i, p := range list {
		out[i] = *p
		out[i].Rank = i + 1
		if i > 0 && byAmount(list[i-1], p) == 0 {
			out[i].Rank = out[i-1].Rank
		}
	}
	return out, nil
}

// Commission is commission earned in the period with one status.
type Commission struct {
	Status  string
	Entries int64
	Amount  Amounts
}

// Commissions sums the commission ledger's entries made in the period
// (corrections in the period they were made) by their status now: pending,
// approved and paid, every status listed.
func (r *Reports) Commissions(ctx context.Context, f Filter) ([]Commission, error) {
	q, err := r.prepare(ctx, f)
	if err != nil {
		return nil, err
	}
	from, to, cfg, ps := q.from, q.to, q.cfg, q.ps
	rows, err := r.commissions(ctx, ps, from, to)
	if err != nil {
		return nil, err
	}
	out := []Commission{{Status: sp.CommissionPending}, {Status: sp.CommissionApproved}, {Status: sp.CommissionPaid}}
	for _, row := range rows {
		i := slices.IndexFunc(out, func(c Commission) bool { return c.Status == row.Status })
		if i < 0 {
			out = append(out, Commission{Status: row.Status})
			i = len(out) - 1
		}
		out[i].Entries += row.N
		out[i].Amount = out[i].Amount.add(row.Currency, row.Amount)
	}
	for i := range out {
		out[i].Amount = out[i].Amount.sorted(cfg.Currency)
	}
	return out, nil
}
