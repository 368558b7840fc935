package api

import (
	"context"
	"net/http"

	"github.com/atriumhq/atrium/core/revenue"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

// The revenue operations answer the same numbers as the dashboard's Revenue
// & Leads view, with the same filters and scope. Money is a list of
// {amount, currency} in minor units, one per currency, the program's
// currency first: amounts in different currencies are never added.

func (a *API) registerRevenue() {
	if a.Revenue == nil || a.Reports == nil {
		return
	}
	tag := "Analytics"
	for _, r := range []route{
		bind(op("analytics-revenue", http.MethodGet, "/api/v1/analytics/revenue", "Revenue & Leads KPIs against the previous period", Staff, tag), a.analyticsRevenue),
		bind(op("analytics-revenue-timeline", http.MethodGet, "/api/v1/analytics/revenue/timeline", "Revenue won over time", Staff, tag), a.analyticsRevenueTimeline),
		bind(op("analytics-revenue-stages", http.MethodGet, "/api/v1/analytics/revenue/stages", "Pipeline by stage: deals entered in the range, by stage now", Staff, tag), a.analyticsRevenueStages),
		bind(op("analytics-revenue-funnel", http.MethodGet, "/api/v1/analytics/revenue/funnel", "Lead conversion funnel of the leads submitted in the range", Staff, tag), a.analyticsRevenueFunnel),
		bind(op("analytics-revenue-partners", http.MethodGet, "/api/v1/analytics/revenue/partners", "Top partners by revenue won", Staff, tag), a.analyticsRevenuePartners),
		bind(op("analytics-revenue-commissions", http.MethodGet, "/api/v1/analytics/revenue/commissions", "Commission earned in the range, by status", Staff, tag), a.analyticsRevenueCommissions),
	} {
		r(a.huma)
	}
}

// revenueFilter resolves the query like the engagement operations and
// scopes it to the caller.
func (a *API) revenueFilter(ctx context.Context, in AnalyticsFilter) (revenue.Filter, error) {
	ef, err := a.analyticsDays(in)
	if err != nil {
		return revenue.Filter{}, err
	}
	f := revenue.Filter{From: ef.From, To: ef.To, PartnerIDs: ef.PartnerIDs, PartnerTypes: ef.PartnerTypes}
	if f.Scope, err = a.countable(ctx); err != nil {
		return revenue.Filter{}, err
	}
	return f, nil
}

// RevenueMoneyMetric is money in the range and the previous range of the
// same length; change is that of the program's currency, null without a
// previous amount.
type RevenueMoneyMetric struct {
	Value    []sp.Money `json:"value"`
	Previous []sp.Money `json:"previous"`
	Change   *float64   `json:"change"`
}

// RevenueKPIs are the Revenue & Leads cards.
type RevenueKPIs struct {
	From               string             `json:"from"`
	To                 string             `json:"to" doc:"Last day, inclusive."`
	PreviousFrom       string             `json:"previousFrom"`
	Currency           string             `json:"currency" doc:"The program's currency."`
	RevenueWon         RevenueMoneyMetric `json:"revenueWon"`
	DealsWon           AnalyticsMetric    `json:"dealsWon"`
	LeadsSubmitted     AnalyticsMetric    `json:"leadsSubmitted"`
	LeadsWon           AnalyticsMetric    `json:"leadsWon" doc:"Leads submitted in the range that are closed won now."`
	Conversion         AnalyticsMetric    `json:"conversion" doc:"leadsWon over leadsSubmitted; change in percentage points as a fraction."`
	CommissionsPending RevenueMoneyMetric `json:"commissionsPending" doc:"Earned in the range, pending or approved."`
	CommissionsPaid    RevenueMoneyMetric `json:"commissionsPaid" doc:"Earned in the range and paid."`
}

// RevenuePoint is one bucket of revenue won.
type RevenuePoint struct {
	From  string     `json:"from"`
	To    string     `json:"to" doc:"Last day, inclusive."`
	Won   []sp.Money `json:"won"`
	Deals int64      `json:"deals"`
}

// RevenueStage is one stage of the pipeline.
type RevenueStage struct {
	Stage string     `json:"stage"`
	Label string     `json:"label"`
	Deals int64      `json:"deals"`
	Value []sp.Money `json:"value"`
}

// RevenueFunnel is the lead funnel.
type RevenueFunnel struct {
	Steps []RevenueFunnelStep `json:"steps"`
	Lost  int64               `json:"lost" doc:"Leads closed lost; counted as submitted only."`
}

// RevenueFunnelStep is one step of the funnel.
type RevenueFunnelStep struct {
	Status string `json:"status"`
	Label  string `json:"label"`
	Leads  int64  `json:"leads"`
}

// RevenuePartner is a partner ranked by revenue won.
type RevenuePartner struct {
	Rank      int        `json:"rank"`
	PartnerID int64      `json:"partnerId"`
	Name      string     `json:"name"`
	Type      string     `json:"type"`
	Deals     int64      `json:"deals"`
	Won       []sp.Money `json:"won"`
}

// RevenueCommission is commission earned in the range with one status.
type RevenueCommission struct {
	Status  string     `json:"status"`
	Entries int64      `json:"entries"`
	Amount  []sp.Money `json:"amount"`
}

func moneyList(a revenue.Amounts) []sp.Money {
	if a == nil {
		return []sp.Money{}
	}
	return a
}

func moneyMetric(m revenue.MoneyMetric) RevenueMoneyMetric {
	out := RevenueMoneyMetric{Value: moneyList(m.Value), Previous: moneyList(m.Previous)}
	if c, ok := m.Change(); ok {
		out.Change = &c
	}
	return out
}

type timelineBody struct {
	Bucket   string         `json:"bucket" doc:"day under 14 days, week from 14 to 60, month beyond"`
	Currency string         `json:"currency"`
	Points   []RevenuePoint `json:"points"`
}

type partnersInput struct {
	AnalyticsFilter
	Limit int `query:"limit" minimum:"0" maximum:"10000" default:"10" doc:"0 for every partner."`
}

func (a *API) analyticsRevenue(ctx context.Context, in *AnalyticsFilter) (*body[RevenueKPIs], error) {
	f, err := a.revenueFilter(ctx, *in)
	if err != nil {
		return nil, err
	}
	k, err := a.Revenue.KPIs(ctx, f)
	if err != nil {
		return nil, a.problem(err)
	}
	n := func(m revenue.Metric) AnalyticsMetric {
		c, ok := m.Change()
		return metric(float64(m.Value), float64(m.Previous), c, ok)
	}
	c, ok := k.Conversion.Change()
	out := RevenueKPIs{From: day(k.From), To: day(k.To.AddDate(0, 0, -1)), PreviousFrom: day(k.PreviousFrom), Currency: k.Currency,
		RevenueWon: moneyMetric(k.RevenueWon), DealsWon: n(k.DealsWon), LeadsSubmitted: n(k.LeadsSubmitted),
		LeadsWon:           n(revenue.Metric{Value: k.Conversion.Won, Previous: k.Conversion.PreviousWon}),
		Conversion:         metric(k.Conversion.Value(), k.Conversion.Previous(), c, ok),
		CommissionsPending: moneyMetric(k.CommissionsPending), CommissionsPaid: moneyMetric(k.CommissionsPaid)}
	return &body[RevenueKPIs]{out}, nil
}

func (a *API) analyticsRevenueTimeline(ctx context.Context, in *AnalyticsFilter) (*body[timelineBody], error) {
	f, err := a.revenueFilter(ctx, *in)
	if err != nil {
		return nil, err
	}
	t, err := a.Revenue.Timeline(ctx, f)
	if err != nil {
		return nil, a.problem(err)
	}
	out := timelineBody{Bucket: string(t.Bucket), Currency: t.Currency, Points: []RevenuePoint{}}
	for _, p := range t.Points {
		out.Points = append(out.Points, RevenuePoint{day(p.Start), day(p.End.AddDate(0, 0, -1)), moneyList(p.Won), p.Deals})
	}
	return &body[timelineBody]{out}, nil
}

func (a *API) analyticsRevenueStages(ctx context.Context, in *AnalyticsFilter) (*body[[]RevenueStage], error) {
	f, err := a.revenueFilter(ctx, *in)
	if err != nil {
		return nil, err
	}
	st, err := a.Revenue.Stages(ctx, f)
	if err != nil {
		return nil, a.problem(err)
	}
	out := []RevenueStage{}
	for _, s := range st {
		out = append(out, RevenueStage{s.Key, s.Label, s.Deals, moneyList(s.Value)})
	}
	return &body[[]RevenueStage]{out}, nil
}

func (a *API) analyticsRevenueFunnel(ctx context.Context, in *AnalyticsFilter) (*body[RevenueFunnel], error) {
	f, err := a.revenueFilter(ctx, *in)
	if err != nil {
		return nil, err
	}
	fn, err := a.Revenue.Funnel(ctx, f)
	if err != nil {
		return nil, a.problem(err)
	}
	out := RevenueFunnel{Steps: []RevenueFunnelStep{}, Lost: fn.Lost}
	for _, s := range fn.Steps {
		out.Steps = append(out.Steps, RevenueFunnelStep{s.Status, s.Label, s.Leads})
	}
	return &body[RevenueFunnel]{out}, nil
}

func (a *API) analyticsRevenuePartners(ctx context.Context, in *partnersInput) (*body[[]RevenuePartner], error) {
	f, err := a.revenueFilter(ctx, in.AnalyticsFilter)
	if err != nil {
		return nil, err
	}
	top, err := a.Revenue.TopPartners(ctx, f, in.Limit)
	if err != nil {
		return nil, a.problem(err)
	}
	out := []RevenuePartner{}
	for _, p := range top {
		out = append(out, RevenuePartner{p.Rank, p.PartnerID, p.Name, p.Type, p.Deals, moneyList(p.Won)})
	}
	return &body[[]RevenuePartner]{out}, nil
}

func (a *API) analyticsRevenueCommissions(ctx context.Context, in *AnalyticsFilter) (*body[[]RevenueCommission], error) {
	f, err := a.revenueFilter(ctx, *in)
	if err != nil {
		return nil, err
	}
	cs, err := a.Revenue.Commissions(ctx, f)
	if err != nil {
		return nil, a.problem(err)
	}
	out := []RevenueCommission{}
	for _, c := range cs {
		out = append(out, RevenueCommission{c.Status, c.Entries, moneyList(c.Amount)})
	}
	return &body[[]RevenueCommission]{out}, nil
}
