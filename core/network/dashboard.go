package network

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/revenue"
	"github.com/atriumhq/atrium/sdk"
	sn "github.com/atriumhq/atrium/sdk/network"
)

const dayLayout = "2006-01-02"

// engagementDays is how far back a sub-partner's engagement is read.
const engagementDays = 30

// revenueFilter scopes the revenue reports to the network, or to some of
// its partners when ids is not nil: the viewer's reach stays the outer
// bound. The whole network, when the viewer reaches all of it, is read
// from the network's own counts.
func revenueFilter(w view, ids []int64, from, to time.Time) revenue.Filter {
	f := revenue.Filter{From: from, To: to, Scope: w.rc, Network: w.dist.ID}
	if ids != nil {
		f.PartnerIDs = append([]int64{}, ids...)
	}
	return f
}

func stageValues(stages []revenue.Stage) []sn.StageValue {
	out := make([]sn.StageValue, 0, len(stages))
	for _, st := range stages {
		out = append(out, sn.StageValue{Key: st.Key, Label: st.Label, Deals: st.Deals, Value: money(st.Value)})
	}
	return out
}

func money(a revenue.Amounts) []sn.Money {
	out := make([]sn.Money, 0, len(a))
	for _, m := range a {
		out = append(out, sn.Money{Amount: m.Amount, Currency: m.Currency})
	}
	return out
}

// engagement reads the partners' sessions, users and score over the last
// 30 days, and which of them are at risk, from the engagement rollups. The
// score compares the partners given with each other.
func (s *Service) engagement(ctx context.Context, w view, ids []int64, now time.Time) (map[int64]sn.Engagement, error) {
	out := map[int64]sn.Engagement{}
	if s.opts.Engagement == nil || len(ids) == 0 {
		return out, nil
	}
	today := now.In(s.opts.Location)
	to := time.Date(today.Year(), today.Month(), today.Day()+1, 0, 0, 0, 0, time.UTC)
	f := engagement.Filter{From: to.AddDate(0, 0, -engagementDays), To: to, Scope: w.rc, PartnerIDs: append([]int64{}, ids...)}
	board, err := s.opts.Engagement.Leaderboard(ctx, f, engagement.LeaderboardQuery{})
	if err != nil {
		return nil, fmt.Errorf("network: engagement: %w", err)
	}
	for _, r := range board.Rows {
		out[r.PartnerID] = sn.Engagement{Sessions: r.Sessions, Users: r.Users, Score: r.Score}
	}
	risky, err := s.opts.Engagement.AtRisk(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("network: partners at risk: %w", err)
	}
	for _, r := range risky {
		e := out[r.PartnerID]
		e.AtRisk = true
		for _, why := range r.Reasons {
			e.Reasons = append(e.Reasons, why.Message)
		}
		out[r.PartnerID] = e
	}
	return out, nil
}

// span reads a dashboard's range; empty is the last 90 days up to today
// (in the reporting zone).
func (s *Service) span(q sn.DashboardQuery) (time.Time, time.Time, error) {
	now := s.opts.Now().In(s.opts.Location)
	to := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
	from := to.AddDate(0, 0, -90)
	var err error
	if q.To != "" {
		if to, err = time.Parse(dayLayout, q.To); err != nil {
			return from, to, fail.Field("to", "invalid.date-format")
		}
		if q.From == "" {
			from = to.AddDate(0, 0, -90)
		}
	}
	if q.From != "" {
		if from, err = time.Parse(dayLayout, q.From); err != nil {
			return from, to, fail.Field("from", "invalid.date-format")
		}
	}
	if !to.After(from) {
		return from, to, fail.Field("to", "invalid.range-end")
	}
	return from, to, nil
}

// Dashboard returns the network's pipeline, revenue, commissions and
// engagement in a range, in total and per sub-partner. The totals by stage
// and of commissions are core/revenue's panels over the network's own
// counts; the rows per sub-partner, and the leads and revenue won over
// them, are read per partner from the counts in a few grouped queries
// that name the network in SQL (see [Service.figures]).
func (s *Service) Dashboard(ctx context.Context, v sdk.Viewer, q sn.DashboardQuery) (sn.Dashboard, error) {
	w, err := s.network(ctx, v, q.DistributorID)
	if err != nil {
		return sn.Dashboard{}, err
	}
	from, to, err := s.span(q)
	if err != nil {
		return sn.Dashboard{}, err
	}
	out := sn.Dashboard{Distributor: sn.PartnerRef{ID: w.dist.ID, Name: w.dist.Name}, From: from.Format(dayLayout), To: to.Format(dayLayout),
		LeadsByStatus: leadCounts(func(string) int64 { return 0 }), DealsByStage: []sn.StageValue{}, Commissions: []sn.CommissionValue{}, BySubPartner: []sn.Row{}}
	var subs []partnerRow
	var eng map[int64]sn.Engagement
	var rev revenueParts
	// The parts are independent reads: at once, a dashboard costs about
	// its slowest part rather than their sum.
	err = parallel(func() error {
		return w.subs(s.db.NewSelect().TableExpr("partners AS p"), "p.id").Column("p.id", "p.name", "p.stage").
			OrderExpr("lower(p.name), p.id").Scan(ctx, &subs)
	}, func() (err error) {
		eng, err = s.engagement(ctx, w, w.ids, s.opts.Now())
		return err
	}, func() (err error) {
		rev, err = s.revenueParts(ctx, w, from, to)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("network dashboard: %w", err)
	}
	out.SubPartners = len(subs)
	out.BySubPartner = make([]sn.Row, len(subs))
	for i, p := range subs {
		out.BySubPartner[i] = sn.Row{ID: p.ID, Name: p.Name, Stage: p.Stage, Engagement: eng[p.ID]}
	}
	if s.opts.Revenue != nil {
		rev.fill(&out)
	}
	return out, nil
}

// revenueParts are the dashboard's pipeline, revenue and commissions.
type revenueParts struct {
	stages []revenue.Stage
	comms  []revenue.Commission
	figs   figures
}

// revenueParts reads the network's pipeline by stage and commissions
// (core/revenue's panels, over the network's own counts) and its
// sub-partners' figures, at once; nothing without the revenue reports.
func (s *Service) revenueParts(ctx context.Context, w view, from, to time.Time) (revenueParts, error) {
	var out revenueParts
	if s.opts.Revenue == nil {
		return out, nil
	}
	f := revenueFilter(w, nil, from, to)
	// The range's instants in the reporting zone, as core/revenue reads it.
	loc := s.opts.Revenue.Location()
	start, end := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc), time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, loc)
	err := parallel(func() (err error) {
		out.stages, err = s.opts.Revenue.Stages(ctx, f)
		return err
	}, func() (err error) {
		out.comms, err = s.opts.Revenue.Commissions(ctx, f)
		return err
	}, func() (err error) {
		out.figs, err = s.figures(ctx, w, start, end)
		return err
	})
	return out, err
}

// fill puts the parts into the dashboard and orders its rows by revenue
// won in the program's currency, then deals won, then leads (and by name,
// as read, among equals).
func (p revenueParts) fill(out *sn.Dashboard) {
	out.DealsByStage = stageValues(p.stages)
	for _, c := range p.comms {
		out.Commissions = append(out.Commissions, sn.CommissionValue{Status: c.Status, Entries: c.Entries, Amount: money(c.Amount)})
		if out.Currency == "" && len(c.Amount) > 0 {
			out.Currency = c.Amount[0].Currency // the program's comes first
		}
	}
	cur := out.Currency
	var won []sn.Money
	keys := make([]int64, len(out.BySubPartner)) // revenue won in the program's currency
	for i := range out.BySubPartner {
		r := &out.BySubPartner[i]
		sh := p.figs.byPartner[r.ID]
		if sh == nil || !sh.hasAny {
			continue
		}
		r.Leads, r.DealsWon = sh.leads, sh.dealsWon
		r.Won, r.Commission = sortedMoney(sh.won, cur), sortedMoney(sh.commission, cur)
		out.DealsWon += sh.dealsWon
		for _, m := range r.Won {
			won = addMoney(won, m.Currency, m.Amount)
		}
		keys[i] = amountIn(r.Won, cur)
	}
	out.LeadsByStatus = leadCounts(func(st string) int64 { return p.figs.byStatus[st] })
	out.Won = sortedMoney(won, cur)
	rows := out.BySubPartner
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(keys[b], keys[a]), cmp.Compare(rows[b].DealsWon, rows[a].DealsWon), cmp.Compare(rows[b].Leads, rows[a].Leads),
			cmp.Compare(a, b))
	})
	sorted := make([]sn.Row, len(rows))
	for i, j := range order {
		sorted[i] = rows[j]
	}
	out.BySubPartner = sorted
}

// WriteCSV writes the dashboard's per sub-partner rows as CSV: one line
// per sub-partner and currency, amounts as decimals, so a spreadsheet adds
// them up without mixing currencies.
func WriteCSV(w io.Writer, d sn.Dashboard) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"sub_partner_id", "sub_partner", "stage", "from", "to", "leads", "deals_won", "currency", "revenue_won", "commission",
		"sessions_30d", "users_30d", "engagement_score", "at_risk"})
	for _, r := range d.BySubPartner {
		curs := currencies(r.Won, r.Commission, d.Currency)
		for _, cur := range curs {
			risk := "no"
			if r.Engagement.AtRisk {
				risk = "yes"
			}
			_ = cw.Write([]string{strconv.FormatInt(r.ID, 10), cell(r.Name), r.Stage, d.From, d.To, itoa(r.Leads), itoa(r.DealsWon), cur,
				revenue.Decimal(amountIn(r.Won, cur)), revenue.Decimal(amountIn(r.Commission, cur)),
				itoa(r.Engagement.Sessions), itoa(r.Engagement.Users), strconv.FormatFloat(r.Engagement.Score, 'f', 1, 64), risk})
		}
	}
	cw.Flush()
	return cw.Error()
}

func currencies(a, b []sn.Money, program string) []string {
	var out []string
	for _, m := range append(append([]sn.Money{}, a...), b...) {
		if !slices.Contains(out, m.Currency) {
			out = append(out, m.Currency)
		}
	}
	if len(out) == 0 {
		out = []string{cmp.Or(program, "USD")}
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// cell keeps a spreadsheet from reading a name as a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
