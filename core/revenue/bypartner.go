package revenue

import (
	"context"
	"fmt"
	"slices"
	"time"

	sp "github.com/atriumhq/atrium/sdk/pipeline"
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
// partners of the filter with anything in it. Leads come from the counts
// per partner by UTC month and day (migrations/20261212000010; see
// [monthPieces]) and, for the hours at the range's edges, from the rows;
// deals won and commissions, a few per partner and month, from the rows.
// It suits a named set of partners such as a network rather than the
// whole program.
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
	var leads []partnerStatus
	var won, paid []struct {
		PartnerID int64  `bun:"partner_id"`
		Currency  string `bun:"currency"`
		N         int64  `bun:"n"`
		V         int64  `bun:"v"`
	}
	leadRows := func(from, to time.Time) error {
		var part []partnerStatus
		err := ps.where(r.db.NewSelect().TableExpr("pipeline_leads AS l").Where("l.created_at >= ? AND l.created_at < ?", from.UTC(), to.UTC()), "l.partner_id").
			// Grouped by +partner_id, so that SQLite walks the range on
			// (partner_id, created_at, status) rather than every lead of the
			// partners on (partner_id, status) to skip a sort.
			ColumnExpr("+l.partner_id AS partner_id, l.status, count(*) AS n").GroupExpr("+l.partner_id, l.status").Scan(ctx, &part)
		leads = append(leads, part...)
		return err
	}
	err = r.parallel(func() error {
		if ps.all || r.direct {
			return leadRows(from, to)
		}
		pieces, raw := SplitUTC(from, to)
		for _, p := range pieces {
			table, key := "revenue_partner_lead_days", "day"
			if p.Months {
				table, key = "revenue_partner_lead_months", "month"
			}
			var counts []leadCounts
			q := ps.where(r.db.NewSelect().TableExpr(table+" AS x").Where("x."+key+" >= ? AND x."+key+" < ?", p.Lo, p.Hi), "x.partner_id").
				ColumnExpr("x.partner_id, sum(x.n) AS n, sum(x.n_new) AS n_new, sum(x.n_qualified) AS n_qualified, sum(x.n_demo) AS n_demo").
				ColumnExpr("sum(x.n_proposal) AS n_proposal, sum(x.n_won) AS n_won, sum(x.n_lost) AS n_lost").GroupExpr("x.partner_id")
			if err := q.Scan(ctx, &counts); err != nil {
				return fmt.Errorf("%s: %w", table, err)
			}
			for _, n := range counts {
				leads = append(leads, n.statuses(p.Sign)...)
			}
		}
		for _, span := range raw {
			if err := leadRows(span[0], span[1]); err != nil {
				return err
			}
		}
		return nil
	}, func() error {
		return r.wonDeals(ps.alongPeriod(), from, to).ColumnExpr("d.partner_id, d.currency, count(*) AS n, coalesce(sum(d.value), 0) AS v").
			GroupExpr("d.partner_id, d.currency").Scan(ctx, &won)
	}, func() error {
		return ps.alongPeriod().where(r.db.NewSelect().TableExpr("pipeline_commissions AS c").Where("c.created_at >= ? AND c.created_at < ?", from.UTC(), to.UTC()), "c.partner_id").
			ColumnExpr("c.partner_id, c.currency, count(*) AS n, coalesce(sum(c.amount), 0) AS v").GroupExpr("c.partner_id, c.currency").Scan(ctx, &paid)
	})
	if err != nil {
		return nil, fmt.Errorf("revenue: totals by partner: %w", err)
	}
	for _, l := range leads {
		if l.N == 0 {
			continue
		}
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

// partnerStatus counts a partner's leads in one status.
type partnerStatus struct {
	PartnerID int64  `bun:"partner_id"`
	Status    string `bun:"status"`
	N         int64  `bun:"n"`
}

// leadCounts is a row of the counts per partner: its leads, and its
// leads per status.
type leadCounts struct {
	PartnerID int64 `bun:"partner_id"`
	N         int64 `bun:"n"`
	New       int64 `bun:"n_new"`
	Qualified int64 `bun:"n_qualified"`
	Demo      int64 `bun:"n_demo"`
	Proposal  int64 `bun:"n_proposal"`
	Won       int64 `bun:"n_won"`
	Lost      int64 `bun:"n_lost"`
}

// statuses spreads the row over the statuses, times sign. A status the
// columns do not know (none today) keeps the leads' total right.
func (c leadCounts) statuses(sign int64) []partnerStatus {
	out := []partnerStatus{{c.PartnerID, sp.LeadNew, sign * c.New}, {c.PartnerID, sp.LeadQualified, sign * c.Qualified},
		{c.PartnerID, sp.LeadDemo, sign * c.Demo}, {c.PartnerID, sp.LeadProposal, sign * c.Proposal},
		{c.PartnerID, sp.LeadWon, sign * c.Won}, {c.PartnerID, sp.LeadLost, sign * c.Lost}}
	if rest := c.N - c.New - c.Qualified - c.Demo - c.Proposal - c.Won - c.Lost; rest != 0 {
		out = append(out, partnerStatus{c.PartnerID, "other", sign * rest})
	}
	return out
}

// Piece is a span [Lo, Hi) of UTC months (Months) or UTC days, counted
// since January 1970, added to a sum with Sign (+1 or -1): one read of
// counts kept per UTC month and per UTC day.
type Piece struct {
	Months bool
	Lo, Hi int64
	Sign   int64
}

// SplitUTC splits the instants [from, to) for reading from counts kept
// per UTC month and day: the pieces that cover its whole UTC days (see
// monthPieces), and the spans at its edges that a reporting zone off UTC
// leaves, which only the rows can answer. ByPartner reads the lead counts
// this way; core/network reads its sub-partners' counts the same way.
func SplitUTC(from, to time.Time) ([]Piece, [][2]time.Time) {
	c := coverOf(from, to)
	if c.first >= c.last {
		return nil, c.raw
	}
	return monthPieces(c.first, c.last), c.raw
}

// monthPieces covers the whole UTC days [first, last) with counts per
// partner: the whole months inside from the month rows and the days at
// either end from the day rows. A stretch of more than half a month at an
// end is read as its month less the month's other days (which may be days
// still to come, with no rows), so a range reads at most about a fortnight
// of day rows at either end however it falls: a partner's year is about a
// dozen month rows and thirty day rows, not its every lead.
func monthPieces(first, last int64) []Piece {
	day := func(lo, hi int64, sign int64) Piece { return Piece{Lo: lo, Hi: hi, Sign: sign} }
	month := func(lo, hi int64, sign int64) Piece { return Piece{Months: true, Lo: lo, Hi: hi, Sign: sign} }
	m1, m2 := monthOf(first), monthOf(last)
	if m1 == m2 { // within one month
		return []Piece{day(first, last, 1)}
	}
	var out []Piece
	// The first month, from first to its end.
	if s, e := monthStart(m1), monthStart(m1+1); first == s {
		out = append(out, month(m1, m1+1, 1))
	} else if first-s < e-first {
		out = append(out, month(m1, m1+1, 1), day(s, first, -1))
	} else {
		out = append(out, day(first, e, 1))
	}
	if m1+1 < m2 {
		out = append(out, month(m1+1, m2, 1))
	}
	// The last month, from its start to last.
	if s, e := monthStart(m2), monthStart(m2+1); last == s {
		// nothing of it
	} else if last-s > e-last {
		out = append(out, month(m2, m2+1, 1), day(last, e, -1))
	} else {
		out = append(out, day(s, last, 1))
	}
	// Adjacent months read as one span.
	var months []Piece
	out = slices.DeleteFunc(out, func(p Piece) bool {
		if !p.Months {
			return false
		}
		if n := len(months); n > 0 && months[n-1].Hi == p.Lo {
			months[n-1].Hi = p.Hi
		} else {
			months = append(months, p)
		}
		return true
	})
	return append(months, out...)
}

// monthOf is the UTC month (months since January 1970) holding UTC day d.
func monthOf(d int64) int64 {
	t := dayStart(d)
	return int64(t.Year()-1970)*12 + int64(t.Month()) - 1
}

// monthStart is the UTC day on which month m starts.
func monthStart(m int64) int64 {
	d, _ := utcDay(time.Date(1970+int(m/12), time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC))
	return d
}
