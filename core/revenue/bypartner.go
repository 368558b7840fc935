package revenue

import (
	"context"
	"fmt"
)

// PartnerTotals is one partner's share of a range, under the dashboard's
// rules: leads by the day they were submitted, deals won by the day they
// closed, commission by the day it was earned.
type PartnerTotals struct {
	Leads int64
	// LeadsByStatus counts the range's leads by their status now.
	LeadsByStatus map[string]int64
	DealsWon      int64
	Won           Amounts
	Commission    Amounts
}

// ByPartner returns each partner's totals in the filter's range, for the
// partners of the filter with anything in it: one pass over the range's
// leads gives both the count per partner and per status. It reads the pipeline's rows
// (no daily counts are kept per partner), so it suits a named set of
// partners such as a network rather than the whole program.
func (r *Reports) ByPartner(ctx context.Context, f Filter) (map[int64]PartnerTotals, error) {
	q, err := r.prepare(ctx, f)
	if err != nil {
		return nil, err
	}
	out := map[int64]PartnerTotals{}
	if q.ps.none() {
		return out, nil
	}
	from, to, ps := q.from, q.to, q.ps
	var leads []struct {
		PartnerID int64  `bun:"partner_id"`
		Status    string `bun:"status"`
		N         int64  `bun:"n"`
	}
	var won, paid []struct {
		PartnerID int64  `bun:"partner_id"`
		Currency  string `bun:"currency"`
		N         int64  `bun:"n"`
		V         int64  `bun:"v"`
	}
	err = r.parallel(func() error {
		return ps.where(r.db.NewSelect().TableExpr("pipeline_leads AS l").Where("l.created_at >= ? AND l.created_at < ?", from.UTC(), to.UTC()), "l.partner_id").
			// Grouped by +partner_id, so that SQLite walks the range on
			// (partner_id, created_at, status) rather than every lead of the
			// partners on (partner_id, status) to skip a sort.
			ColumnExpr("+l.partner_id AS partner_id, l.status, count(*) AS n").GroupExpr("+l.partner_id, l.status").Scan(ctx, &leads)
	}, func() error {
		return r.wonDeals(ps, from, to).ColumnExpr("d.partner_id, d.currency, count(*) AS n, coalesce(sum(d.value), 0) AS v").
			GroupExpr("d.partner_id, d.currency").Scan(ctx, &won)
	}, func() error {
		return ps.where(r.db.NewSelect().TableExpr("pipeline_commissions AS c").Where("c.created_at >= ? AND c.created_at < ?", from.UTC(), to.UTC()), "c.partner_id").
			ColumnExpr("c.partner_id, c.currency, count(*) AS n, coalesce(sum(c.amount), 0) AS v").GroupExpr("c.partner_id, c.currency").Scan(ctx, &paid)
	})
	if err != nil {
		return nil, fmt.Errorf("revenue: totals by partner: %w", err)
	}
	for _, l := range leads {
		t := out[l.PartnerID]
		t.Leads += l.N
		if t.LeadsByStatus == nil {
			t.LeadsByStatus = map[string]int64{}
		}
		t.LeadsByStatus[l.Status] += l.N
		out[l.PartnerID] = t
	}
	for _, w := range won {
		t := out[w.PartnerID]
		t.DealsWon += w.N
		t.Won = t.Won.add(w.Currency, w.V)
		out[w.PartnerID] = t
	}
	for _, c := range paid {
		t := out[c.PartnerID]
		t.Commission = t.Commission.add(c.Currency, c.V)
		out[c.PartnerID] = t
	}
	for id, t := range out {
		t.Won, t.Commission = t.Won.sorted(q.cfg.Currency), t.Commission.sorted(q.cfg.Currency)
		out[id] = t
	}
	return out, nil
}
