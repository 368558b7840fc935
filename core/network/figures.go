package network

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	sn "github.com/atriumhq/atrium/sdk/network"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// figures are the sub-partners' shares of a range, under the Revenue &
// Leads dashboard's rules (core/revenue's ByPartner): leads by the day
// they were submitted, by their status now; deals won by the day they
// closed; commission by the day it was earned; money per currency.
type figures struct {
	// byPartner holds the partners with anything in the range.
	byPartner map[int64]*share
	// byStatus counts the range's leads of every partner read.
	byStatus map[string]int64
}

// share is one partner's figures.
type share struct {
	leads, dealsWon int64
	won, commission []sn.Money
	hasAny          bool
}

func (f *figures) of(id int64) *share {
	s := f.byPartner[id]
	if s == nil {
		s = &share{}
		f.byPartner[id] = s
	}
	return s
}

// leadSums is a row of the lead counts per partner, or of the rows
// grouped the same way.
type leadSums struct {
	PartnerID                                    int64
	N, New, Qualified, Demo, Proposal, Won, Lost int64
}

// moneySums is a partner's deals won and commissions in one currency.
type moneySums struct {
	PartnerID                            int64
	Currency                             string
	WonN, WonV, CommissionN, CommissionV int64
}

// figures reads the network's sub-partners' shares of the instants
// [from, to). Every query names the network's partners in SQL (the
// distributor's sub-partners, narrowed by the viewer's reach when it does
// not reach them all) rather than listing them; the leads and the money
// are read at once.
func (s *Service) figures(ctx context.Context, w view, from, to time.Time) (figures, error) {
	out := figures{byPartner: map[int64]*share{}, byStatus: map[string]int64{}}
	c := coverOf(from, to)
	var leads []leadSums
	var money []moneySums
	err := parallel(func() (err error) {
		leads, err = s.leads(ctx, w, c)
		return err
	}, func() (err error) {
		money, err = s.money(ctx, w, c)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("network figures: %w", err)
	}
	for _, l := range leads {
		if l == (leadSums{PartnerID: l.PartnerID}) {
			continue
		}
		sh := out.of(l.PartnerID)
		sh.leads += l.N
		sh.hasAny = true
		l.addTo(out.byStatus)
	}
	for _, m := range money {
		if m == (moneySums{PartnerID: m.PartnerID, Currency: m.Currency}) {
			continue
		}
		sh := out.of(m.PartnerID)
		sh.dealsWon += m.WonN
		if m.WonN != 0 || m.WonV != 0 {
			sh.won = addMoney(sh.won, m.Currency, m.WonV)
		}
		if m.CommissionN != 0 || m.CommissionV != 0 {
			sh.commission = addMoney(sh.commission, m.Currency, m.CommissionV)
		}
		sh.hasAny = true
	}
	return out, nil
}

// leads reads the leads of the cover per partner: the whole UTC days
// from the counts per partner (migrations/20261212000010), the edges
// from the rows.
func (s *Service) leads(ctx context.Context, w view, c cover) ([]leadSums, error) {
	var out []leadSums
	scan := func(q *bun.SelectQuery, sign int64) error {
		rows, err := q.Rows(ctx)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var l leadSums
			if err := rows.Scan(&l.PartnerID, &l.N, &l.New, &l.Qualified, &l.Demo, &l.Proposal, &l.Won, &l.Lost); err != nil {
				return err
			}
			l.times(sign)
			out = append(out, l)
		}
		return rows.Err()
	}
	if c.first < c.last {
		for _, p := range monthPieces(c.first, c.last) {
			table, key := "revenue_partner_lead_days", "day"
			if p.months {
				table, key = "revenue_partner_lead_months", "month"
			}
			q := w.subs(s.db.NewSelect().TableExpr(table+" AS x").Where("x."+key+" >= ? AND x."+key+" < ?", p.lo, p.hi), "x.partner_id").
				ColumnExpr("x.partner_id, sum(x.n), sum(x.n_new), sum(x.n_qualified), sum(x.n_demo), sum(x.n_proposal), sum(x.n_won), sum(x.n_lost)").
				GroupExpr("x.partner_id")
			if err := scan(q, p.sign); err != nil {
				return nil, fmt.Errorf("%s: %w", table, err)
			}
		}
	}
	for _, span := range c.raw {
		// Grouped by +partner_id, so that SQLite walks the range on
		// (partner_id, created_at, status) rather than sorting every lead
		// of the partners (as core/revenue does).
		q := w.subs(s.db.NewSelect().TableExpr("pipeline_leads AS l").Where("l.created_at >= ? AND l.created_at < ?", span[0].UTC(), span[1].UTC()), "l.partner_id").
			ColumnExpr("+l.partner_id, count(*)").
			ColumnExpr("sum(CASE WHEN l.status = ? THEN 1 ELSE 0 END), sum(CASE WHEN l.status = ? THEN 1 ELSE 0 END)", sp.LeadNew, sp.LeadQualified).
			ColumnExpr("sum(CASE WHEN l.status = ? THEN 1 ELSE 0 END), sum(CASE WHEN l.status = ? THEN 1 ELSE 0 END)", sp.LeadDemo, sp.LeadProposal).
			ColumnExpr("sum(CASE WHEN l.status = ? THEN 1 ELSE 0 END), sum(CASE WHEN l.status = ? THEN 1 ELSE 0 END)", sp.LeadWon, sp.LeadLost).
			GroupExpr("+l.partner_id")
		if err := scan(q, 1); err != nil {
			return nil, fmt.Errorf("leads: %w", err)
		}
	}
	return out, nil
}

// money reads the deals won and commissions of the cover per partner and
// currency: the whole UTC days from the counts per partner
// (migrations/20261213000010), the edges from the rows.
func (s *Service) money(ctx context.Context, w view, c cover) ([]moneySums, error) {
	var out []moneySums
	// scan reads rows of (partner, currency, n, v) into the won or the
	// commission columns, times sign.
	scan := func(q *bun.SelectQuery, sign int64, cols string) error {
		rows, err := q.Rows(ctx)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m moneySums
			var err error
			switch cols {
			case "won":
				err = rows.Scan(&m.PartnerID, &m.Currency, &m.WonN, &m.WonV)
			case "commission":
				err = rows.Scan(&m.PartnerID, &m.Currency, &m.CommissionN, &m.CommissionV)
			default:
				err = rows.Scan(&m.PartnerID, &m.Currency, &m.WonN, &m.WonV, &m.CommissionN, &m.CommissionV)
			}
			if err != nil {
				return err
			}
			m.WonN, m.WonV, m.CommissionN, m.CommissionV = sign*m.WonN, sign*m.WonV, sign*m.CommissionN, sign*m.CommissionV
			out = append(out, m)
		}
		return rows.Err()
	}
	if c.first < c.last {
		for _, p := range monthPieces(c.first, c.last) {
			table, key := "revenue_partner_money_days", "day"
			if p.months {
				table, key = "revenue_partner_money_months", "month"
			}
			q := w.subs(s.db.NewSelect().TableExpr(table+" AS x").Where("x."+key+" >= ? AND x."+key+" < ?", p.lo, p.hi), "x.partner_id").
				ColumnExpr("x.partner_id, x.currency, sum(x.won_n), sum(x.won_v), sum(x.commission_n), sum(x.commission_v)").
				GroupExpr("x.partner_id, x.currency")
			if err := scan(q, p.sign, ""); err != nil {
				return nil, fmt.Errorf("%s: %w", table, err)
			}
		}
	}
	for _, span := range c.raw {
		// Along the period's index (the unary plus keeps SQLite on it),
		// testing each row's partner.
		won := w.subs(s.db.NewSelect().TableExpr("pipeline_deals AS d").Where("d.stage = 'closed_won'").
			Where("d.closed_at >= ? AND d.closed_at < ?", span[0].UTC(), span[1].UTC()), "+d.partner_id").
			ColumnExpr("d.partner_id, d.currency, count(*), coalesce(sum(d.value), 0)").GroupExpr("d.partner_id, d.currency")
		if err := scan(won, 1, "won"); err != nil {
			return nil, fmt.Errorf("deals won: %w", err)
		}
		paid := w.subs(s.db.NewSelect().TableExpr("pipeline_commissions AS c").
			Where("c.created_at >= ? AND c.created_at < ?", span[0].UTC(), span[1].UTC()), "+c.partner_id").
			ColumnExpr("c.partner_id, c.currency, count(*), coalesce(sum(c.amount), 0)").GroupExpr("c.partner_id, c.currency")
		if err := scan(paid, 1, "commission"); err != nil {
			return nil, fmt.Errorf("commissions: %w", err)
		}
	}
	return out, nil
}

// parallel runs fns at once and returns their errors joined: the reads of
// a dashboard are independent, and each database connection then works
// on its own.
func parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// times multiplies the row by sign.
func (l *leadSums) times(sign int64) {
	l.N, l.New, l.Qualified, l.Demo, l.Proposal, l.Won, l.Lost =
		sign*l.N, sign*l.New, sign*l.Qualified, sign*l.Demo, sign*l.Proposal, sign*l.Won, sign*l.Lost
}

// addTo adds the row's leads to counts by status. A status the columns do
// not know (none today) keeps the total right.
func (l leadSums) addTo(by map[string]int64) {
	by[sp.LeadNew] += l.New
	by[sp.LeadQualified] += l.Qualified
	by[sp.LeadDemo] += l.Demo
	by[sp.LeadProposal] += l.Proposal
	by[sp.LeadWon] += l.Won
	by[sp.LeadLost] += l.Lost
	if rest := l.N - l.New - l.Qualified - l.Demo - l.Proposal - l.Won - l.Lost; rest != 0 {
		by["other"] += rest
	}
}

// sortedMoney puts the program's currency first, present even when zero,
// then the others alphabetically, as core/revenue's amounts are.
func sortedMoney(a []sn.Money, program string) []sn.Money {
	if program != "" && !slices.ContainsFunc(a, func(m sn.Money) bool { return m.Currency == program }) {
		a = append(a, sn.Money{Currency: program})
	}
	slices.SortFunc(a, func(x, y sn.Money) int {
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
