package network

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/atriumhq/atrium/core/revenue"
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
// not reach them all) rather than listing them; the queries, a few a
// range, run at once.
func (s *Service) figures(ctx context.Context, w view, from, to time.Time) (figures, error) {
	out := figures{byPartner: make(map[int64]*share, len(w.ids)), byStatus: map[string]int64{}}
	pieces, edges := revenue.SplitUTC(from, to)
	leadReads, moneyReads := s.leadReads(w, pieces, edges), s.moneyReads(w, pieces, edges)
	// The queries add their rows up here as they read them, under one
	// lock, rather than keeping them: a range is some thousands of rows.
	var mu sync.Mutex
	tallyLeads := func(l leadSums) {
		if l == (leadSums{PartnerID: l.PartnerID}) {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		sh := out.of(l.PartnerID)
		sh.leads += l.N
		sh.hasAny = true
		l.addTo(out.byStatus)
	}
	tallyMoney := func(m moneySums) {
		if m == (moneySums{PartnerID: m.PartnerID, Currency: m.Currency}) {
			return
		}
		mu.Lock()
		defer mu.Unlock()
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
	var fns []func() error
	for _, r := range leadReads {
		fns = append(fns, func() error { return r.scan(ctx, tallyLeads) })
	}
	for _, r := range moneyReads {
		fns = append(fns, func() error { return r.scan(ctx, tallyMoney) })
	}
	if err := parallel(fns...); err != nil {
		return out, fmt.Errorf("network figures: %w", err)
	}
	return out, nil
}

// leadRead is one query of leads per partner, added with its sign.
type leadRead struct {
	what string
	q    *bun.SelectQuery
	sign int64
}

// scan hands each row, times the sign, to add.
func (r leadRead) scan(ctx context.Context, add func(leadSums)) error {
	rows, err := r.q.Rows(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", r.what, err)
	}
	defer rows.Close()
	for rows.Next() {
		var l leadSums
		if err := rows.Scan(&l.PartnerID, &l.N, &l.New, &l.Qualified, &l.Demo, &l.Proposal, &l.Won, &l.Lost); err != nil {
			return fmt.Errorf("%s: %w", r.what, err)
		}
		l.times(r.sign)
		add(l)
	}
	return rows.Err()
}

// leadReads are the queries of a range's leads per partner: its whole
// UTC days from the counts per partner (migrations/20261212000010) in the
// pieces revenue.SplitUTC gives, its edges from the rows.
func (s *Service) leadReads(w view, pieces []revenue.Piece, edges [][2]time.Time) []leadRead {
	var out []leadRead
	for _, p := range pieces {
		table, key := "revenue_partner_lead_days", "day"
		if p.Months {
			table, key = "revenue_partner_lead_months", "month"
		}
		q := w.subs(s.db.NewSelect().TableExpr(table+" AS x").Where("x."+key+" >= ? AND x."+key+" < ?", p.Lo, p.Hi), "x.partner_id")
		if p.Months {
			// In the key's order (partner, month): grouped as read.
			q = q.ColumnExpr("x.partner_id, sum(x.n), sum(x.n_new), sum(x.n_qualified), sum(x.n_demo), sum(x.n_proposal), sum(x.n_won), sum(x.n_lost)").
				GroupExpr("x.partner_id")
		} else {
			// Keyed by (day, partner): grouping would sort the rows,
			// which costs SQLite more than adding them up here.
			q = q.ColumnExpr("x.partner_id, x.n, x.n_new, x.n_qualified, x.n_demo, x.n_proposal, x.n_won, x.n_lost")
		}
		out = append(out, leadRead{table, q, p.Sign})
	}
	for _, span := range edges {
		// Grouped by +partner_id, so that SQLite walks the range on
		// (partner_id, created_at, status) rather than sorting every lead
		// of the partners (as core/revenue does).
		q := w.subs(s.db.NewSelect().TableExpr("pipeline_leads AS l").Where("l.created_at >= ? AND l.created_at < ?", span[0].UTC(), span[1].UTC()), "l.partner_id").
			ColumnExpr("+l.partner_id, count(*)").
			ColumnExpr("sum(CASE WHEN l.status = ? THEN 1 ELSE 0 END), sum(CASE WHEN l.status = ? THEN 1 ELSE 0 END)", sp.LeadNew, sp.LeadQualified).
			ColumnExpr("sum(CASE WHEN l.status = ? THEN 1 ELSE 0 END), sum(CASE WHEN l.status = ? THEN 1 ELSE 0 END)", sp.LeadDemo, sp.LeadProposal).
			ColumnExpr("sum(CASE WHEN l.status = ? THEN 1 ELSE 0 END), sum(CASE WHEN l.status = ? THEN 1 ELSE 0 END)", sp.LeadWon, sp.LeadLost).
			GroupExpr("+l.partner_id")
		out = append(out, leadRead{"leads", q, 1})
	}
	return out
}

// moneyRead is one query of deals won and commissions per partner and
// currency, added with its sign; cols says which columns it fills.
type moneyRead struct {
	what string
	q    *bun.SelectQuery
	sign int64
	cols string // "won", "commission" or both ("")
}

// scan hands each row, times the sign, to add.
func (r moneyRead) scan(ctx context.Context, add func(moneySums)) error {
	rows, err := r.q.Rows(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", r.what, err)
	}
	defer rows.Close()
	for rows.Next() {
		var m moneySums
		var err error
		switch r.cols {
		case "won":
			err = rows.Scan(&m.PartnerID, &m.Currency, &m.WonN, &m.WonV)
		case "commission":
			err = rows.Scan(&m.PartnerID, &m.Currency, &m.CommissionN, &m.CommissionV)
		default:
			err = rows.Scan(&m.PartnerID, &m.Currency, &m.WonN, &m.WonV, &m.CommissionN, &m.CommissionV)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", r.what, err)
		}
		m.WonN, m.WonV, m.CommissionN, m.CommissionV = r.sign*m.WonN, r.sign*m.WonV, r.sign*m.CommissionN, r.sign*m.CommissionV
		add(m)
	}
	return rows.Err()
}

// moneyReads are the queries of a range's deals won and commissions per
// partner and currency: its whole UTC days from the counts per partner
// (migrations/20261213000010), its edges from the rows.
func (s *Service) moneyReads(w view, pieces []revenue.Piece, edges [][2]time.Time) []moneyRead {
	var out []moneyRead
	for _, p := range pieces {
		table, key := "revenue_partner_money_days", "day"
		if p.Months {
			table, key = "revenue_partner_money_months", "month"
		}
		q := w.subs(s.db.NewSelect().TableExpr(table+" AS x").Where("x."+key+" >= ? AND x."+key+" < ?", p.Lo, p.Hi), "x.partner_id")
		if p.Months {
			q = q.ColumnExpr("x.partner_id, x.currency, sum(x.won_n), sum(x.won_v), sum(x.commission_n), sum(x.commission_v)").
				GroupExpr("x.partner_id, x.currency")
		} else { // a few rows a day: added up here
			q = q.ColumnExpr("x.partner_id, x.currency, x.won_n, x.won_v, x.commission_n, x.commission_v")
		}
		out = append(out, moneyRead{table, q, p.Sign, ""})
	}
	for _, span := range edges {
		// Along the period's index (the unary plus keeps SQLite on it),
		// testing each row's partner.
		won := w.subs(s.db.NewSelect().TableExpr("pipeline_deals AS d").Where("d.stage = 'closed_won'").
			Where("d.closed_at >= ? AND d.closed_at < ?", span[0].UTC(), span[1].UTC()), "+d.partner_id").
			ColumnExpr("d.partner_id, d.currency, count(*), coalesce(sum(d.value), 0)").GroupExpr("d.partner_id, d.currency")
		paid := w.subs(s.db.NewSelect().TableExpr("pipeline_commissions AS c").
			Where("c.created_at >= ? AND c.created_at < ?", span[0].UTC(), span[1].UTC()), "+c.partner_id").
			ColumnExpr("c.partner_id, c.currency, count(*), coalesce(sum(c.amount), 0)").GroupExpr("c.partner_id, c.currency")
		out = append(out, moneyRead{"deals won", won, 1, "won"}, moneyRead{"commissions", paid, 1, "commission"})
	}
	return out
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
