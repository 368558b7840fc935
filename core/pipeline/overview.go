package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// Overview returns the pipeline's figures for the viewer's partner (staff:
// one partner they manage, or all their partners when q.PartnerID is 0).
// Each figure is one grouped query over an index that starts with
// partner_id, so a partner's Overview costs the same with a million leads
// in the program as with a hundred.
func (s *Service) Overview(ctx context.Context, v sdk.Viewer, q sp.OverviewQuery) (sp.Overview, error) {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return sp.Overview{}, err
	}
	cfg, err := s.Config(ctx)
	if err != nil {
		return sp.Overview{}, err
	}
	out := sp.Overview{LeadsByStatus: map[string]int{}, PipelineValue: sp.Money{Currency: cfg.Currency}, WonValue: sp.Money{Currency: cfg.Currency},
		CommissionPending: sp.Money{Currency: cfg.Currency}, CommissionApproved: sp.Money{Currency: cfg.Currency}, CommissionPaid: sp.Money{Currency: cfg.Currency}}
	only := q.PartnerID
	if !rc.IsStaff() {
		only = v.PartnerID() // partners see their own figures, not their sub-partners'
	}
	if q.Part == "activity" {
		out.Activity, err = s.activity(ctx, rc, only, q.Since)
		return out, err
	}
	var byStatus []struct {
		Status string `bun:"status"`
		N      int    `bun:"n"`
	}
	if err := rc.WhereOnly(s.db.NewSelect().TableExpr("pipeline_leads AS l"), "l.partner_id", only).
		ColumnExpr("l.status, count(*) AS n").GroupExpr("l.status").Scan(ctx, &byStatus); err != nil {
		return sp.Overview{}, fmt.Errorf("overview leads: %w", err)
	}
	for _, r := range byStatus {
		out.LeadsByStatus[r.Status] = r.N
		out.LeadsTotal += r.N
	}
	if q.Part == "statuses" {
		return out, nil
	}
	now := s.now()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	if n, err := rc.WhereOnly(s.db.NewSelect().TableExpr("pipeline_leads AS l"), "l.partner_id", only).Where("l.created_at >= ?", month).Count(ctx); err != nil {
		return sp.Overview{}, fmt.Errorf("overview leads this month: %w", err)
	} else {
		out.LeadsThisMonth = int(n)
	}
	var deals []struct {
		Open bool  `bun:"open"`
		Won  bool  `bun:"won"`
		N    int   `bun:"n"`
		V    int64 `bun:"v"`
	}
	if err := rc.WhereOnly(s.db.NewSelect().TableExpr("pipeline_deals AS d"), "d.partner_id", only).
		ColumnExpr("(d.stage NOT IN ('closed_won', 'closed_lost') AND d.registration <> 'rejected') AS open").
		ColumnExpr("(d.stage = 'closed_won') AS won, count(*) AS n, coalesce(sum(d.value), 0) AS v").
		GroupExpr("1, 2").Scan(ctx, &deals); err != nil {
		return sp.Overview{}, fmt.Errorf("overview deals: %w", err)
	}
	for _, d := range deals {
		switch {
		case d.Open:
			out.OpenDeals += d.N
			out.PipelineValue.Amount += d.V
		case d.Won:
			out.DealsWon += d.N
			out.WonValue.Amount += d.V
		}
	}
	var comm []struct {
		Status string `bun:"status"`
		V      int64  `bun:"v"`
	}
	if err := rc.WhereOnly(s.db.NewSelect().TableExpr("pipeline_commissions AS c"), "c.partner_id", only).
		ColumnExpr("c.status, coalesce(sum(c.amount), 0) AS v").GroupExpr("c.status").Scan(ctx, &comm); err != nil {
		return sp.Overview{}, fmt.Errorf("overview commissions: %w", err)
	}
	for _, c := range comm {
		switch c.Status {
		case sp.CommissionPending:
			out.CommissionPending.Amount = c.V
		case sp.CommissionApproved:
			out.CommissionApproved.Amount = c.V
		case sp.CommissionPaid:
			out.CommissionPaid.Amount = c.V
		}
	}
	if q.Months > 0 {
		if out.Months, out.LastMonthToDate, err = s.months(ctx, rc, only, min(q.Months, sp.MaxOverviewMonths), month, now, cfg.Currency); err != nil {
			return sp.Overview{}, err
		}
	}
	if q.Part == "figures" {
		return out, nil
	}
	if out.Activity, err = s.activity(ctx, rc, only, q.Since); err != nil {
		return sp.Overview{}, err
	}
	return out, nil
}

// months counts the last n calendar months up to and including the one
// that starts at current, and, with two or more, last month up to the same
// point as now. Each table is read once: a range over an index that starts
// with the partner and then the date, summed per window with a CASE per
// window, which both engines run the same way and which keeps the figures
// to the rows of those months.
func (s *Service) months(ctx context.Context, rc reach.Reach, only int64, n int, current, now time.Time, currency string) ([]sp.MonthFigures, *sp.MonthFigures, error) {
	starts := make([]time.Time, n+1)
	for i := range n + 1 {
		starts[i] = current.AddDate(0, i-n+1, 0)
	}
	// The windows: each month [starts[i], starts[i+1]), then last month's
	// first days, as long as this month's so far (and no longer than last
	// month: on 31 March, all of February).
	type window struct{ from, to time.Time }
	wins := make([]window, 0, n+1)
	for i := range n {
		wins = append(wins, window{starts[i], starts[i+1]})
	}
	if n >= 2 {
		wins = append(wins, window{starts[n-2], minTime(starts[n-2].Add(now.Sub(current)), starts[n-1])})
	}
	out := make([]sp.MonthFigures, len(wins))
	for i, w := range wins {
		out[i] = sp.MonthFigures{Start: w.from, WonValue: sp.Money{Currency: currency}, Commission: sp.Money{Currency: currency}}
	}
	n = len(wins)
	// sum is one figure summed per month: expr over the rows whose date
	// falls in the month, written into the month by set.
	type sum struct {
		expr string
		set  func(m *sp.MonthFigures, v int64)
	}
	read := func(what string, sel *bun.SelectQuery, col string, sums ...sum) error {
		vals := make([]int64, n*len(sums))
		dest := make([]any, len(vals))
		for i := range vals {
			dest[i] = &vals[i]
		}
		for k, f := range sums {
			for i, w := range wins {
				sel = sel.ColumnExpr(fmt.Sprintf("coalesce(sum(CASE WHEN %s >= ? AND %s < ? THEN %s ELSE 0 END), 0) AS m%d_%d", col, col, f.expr, k, i),
					w.from, w.to)
			}
		}
		if err := sel.Where(col+" >= ? AND "+col+" < ?", starts[0], starts[len(starts)-1]).Scan(ctx, dest...); err != nil {
			return fmt.Errorf("overview months %s: %w", what, err)
		}
		for k, f := range sums {
			for i := range n {
				f.set(&out[i], vals[k*n+i])
			}
		}
		return nil
	}
	from := func(table, alias string) *bun.SelectQuery {
		return rc.WhereOnly(s.db.NewSelect().TableExpr(table+" AS "+alias), alias+".partner_id", only)
	}
	if err := read("leads", from("pipeline_leads", "l"), "l.created_at",
		sum{"1", func(m *sp.MonthFigures, v int64) { m.LeadsSubmitted = int(v) }}); err != nil {
		return nil, nil, err
	}
	if err := read("deals", from("pipeline_deals", "d"), "d.created_at",
		sum{"1", func(m *sp.MonthFigures, v int64) { m.DealsRegistered = int(v) }}); err != nil {
		return nil, nil, err
	}
	if err := read("deals won", from("pipeline_deals", "d").Where("d.stage = ?", sp.StageWon), "d.closed_at",
		sum{"1", func(m *sp.MonthFigures, v int64) { m.DealsWon = int(v) }},
		sum{"d.value", func(m *sp.MonthFigures, v int64) { m.WonValue.Amount = v }}); err != nil {
		return nil, nil, err
	}
	if err := read("commission", from("pipeline_commissions", "c"), "c.created_at",
		sum{"c.amount", func(m *sp.MonthFigures, v int64) { m.Commission.Amount = v }}); err != nil {
		return nil, nil, err
	}
	if len(wins) > len(starts)-1 {
		last := out[len(out)-1]
		return out[:len(out)-1], &last, nil
	}
	return out, nil, nil
}

// activity is the latest changes to the partner's leads and deals.
func (s *Service) activity(ctx context.Context, rc reach.Reach, only int64, since *time.Time) ([]sp.Activity, error) {
	var rows []historyRow
	sel := rc.WhereOnly(s.db.NewSelect().Model(&rows), "h.partner_id", only)
	if since != nil {
		sel = sel.Where("h.at > ?", *since)
	}
	if err := sel.Order("h.id DESC").Limit(8).Scan(ctx); err != nil {
		return nil, fmt.Errorf("overview activity: %w", err)
	}
	out := make([]sp.Activity, 0, len(rows))
	leadIDs, dealIDs := []int64{}, []int64{}
	for _, r := range rows {
		if r.Kind == "lead" {
			leadIDs = append(leadIDs, r.ObjectID)
		} else {
			dealIDs = append(dealIDs, r.ObjectID)
		}
	}
	names := map[string]string{}
	load := func(table, col string, ids []int64, kind string) error {
		if len(ids) == 0 {
			return nil
		}
		var res []struct {
			ID   int64  `bun:"id"`
			Name string `bun:"name"`
		}
		if err := s.db.NewSelect().TableExpr(table).ColumnExpr("id, "+col+" AS name").Where("id IN (?)", bun.List(ids)).Scan(ctx, &res); err != nil {
			return err
		}
		for _, r := range res {
			names[fmt.Sprint(kind, r.ID)] = r.Name
		}
		return nil
	}
	if err := load("pipeline_leads", "company", leadIDs, "lead"); err != nil {
		return nil, err
	}
	if err := load("pipeline_deals", "name", dealIDs, "deal"); err != nil {
		return nil, err
	}
	for _, r := range rows {
		text := sp.Label(r.To)
		switch {
		case r.From == "" && r.Kind == "lead":
			text = "Submitted by " + r.UserName
		case r.From == r.To:
			text = r.UserName + " commented"
		case r.From != "":
			text = sp.Label(r.From) + " → " + sp.Label(r.To)
		}
		out = append(out, sp.Activity{At: r.At, Kind: r.Kind, ID: r.ObjectID, Title: names[fmt.Sprint(r.Kind, r.ObjectID)], Text: text,
			From: r.From, To: r.To, By: r.UserName})
	}
	return out, nil
}

// Measure counts one figure over a period, for goals: leads submitted,
// leads won, deals won or their value, or checklist tasks completed.
func (s *Service) Measure(ctx context.Context, v sdk.Viewer, q sp.MetricQuery) (sp.MetricValue, error) {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return sp.MetricValue{}, err
	}
	only := q.PartnerID
	if !rc.IsStaff() {
		only = v.PartnerID()
	}
	if !q.To.After(q.From) {
		return sp.MetricValue{}, fail.Field("to", "invalid.range-order")
	}
	var out sp.MetricValue
	switch q.Metric {
	case sp.MetricLeadsSubmitted, sp.MetricLeadsWon:
		sel := rc.WhereOnly(s.db.NewSelect().TableExpr("pipeline_leads AS l"), "l.partner_id", only).Where("l.created_at >= ? AND l.created_at < ?", q.From, q.To)
		if q.Metric == sp.MetricLeadsWon {
			sel = sel.Where("l.status = ?", sp.LeadWon)
		}
		n, err := sel.Count(ctx)
		if err != nil {
			return out, fmt.Errorf("measure %s: %w", q.Metric, err)
		}
		out.Value = int64(n)
	case sp.MetricDealsWon, sp.MetricDealsWonValue:
		var r struct {
			N int64 `bun:"n"`
			V int64 `bun:"v"`
		}
		if err := rc.WhereOnly(s.db.NewSelect().TableExpr("pipeline_deals AS d"), "d.partner_id", only).
			ColumnExpr("count(*) AS n, coalesce(sum(d.value), 0) AS v").Where("d.stage = ?", sp.StageWon).
			Where("d.closed_at >= ? AND d.closed_at < ?", q.From, q.To).Scan(ctx, &r); err != nil {
			return out, fmt.Errorf("measure %s: %w", q.Metric, err)
		}
		out.Value = r.N
		if q.Metric == sp.MetricDealsWonValue {
			cfg, err := s.Config(ctx)
			if err != nil {
				return out, err
			}
			out.Value, out.Currency = r.V, cfg.Currency
		}
	case sp.MetricTasksCompleted:
		n, err := rc.WhereOnly(s.db.NewSelect().TableExpr("task_completions AS t"), "t.partner_id", only).
			Where("t.completed_at >= ? AND t.completed_at < ?", q.From, q.To).Count(ctx)
		if err != nil {
			return out, fmt.Errorf("measure %s: %w", q.Metric, err)
		}
		out.Value = int64(n)
	default:
		return out, fail.Field("metric", "invalid.unknown-metric")
	}
	return out, nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
