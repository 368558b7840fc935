package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/chart"
	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/revenue"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

// The Revenue & Leads view of the staff dashboard (view=revenue): the same
// filters, scope and exports as the Engagement view, over the pipeline.

// RevenueDash is the Revenue & Leads view's panels.
type RevenueDash struct {
	Currency string
	KPIs     []RevenueCard

	ChartSVG   template.HTML
	ChartTable chart.Table
	Bucket     string
	// WonOthers lists revenue won in currencies other than the program's,
	// which the chart (drawn in the program's currency) leaves out.
	WonOthers string

	StagesSVG template.HTML
	Stages    []RevenueStageRow

	FunnelSVG template.HTML
	Funnel    []RevenueFunnelRow
	Lost      int64

	Top         []RevenueTopRow
	Commissions []RevenueCommissionRow

	Exports map[string]string
}

// RevenueCard is a KPI card; Others lists amounts in other currencies,
// which are never added to the program's.
type RevenueCard struct {
	KPICard
	Others string
}

// RevenueStageRow is a row of the pipeline by stage.
type RevenueStageRow struct {
	Label, Value string
	Deals        int64
}

// RevenueFunnelRow is a step of the lead funnel.
type RevenueFunnelRow struct {
	Label, Share string
	Leads        int64
}

// RevenueTopRow is a row of the top partners.
type RevenueTopRow struct {
	Rank            int
	PartnerID       int64
	Name, Type, Won string
	Deals           int64
}

// RevenueCommissionRow is commission earned in the period with one status.
type RevenueCommissionRow struct {
	Status, Amount string
	Entries        int64
}

// money formats amounts: the program's currency, then the others.
func money(l *sdki18n.Locale, a revenue.Amounts) string {
	parts := make([]string, 0, len(a))
	for i, m := range a {
		if i > 0 && m.Amount == 0 {
			continue
		}
		parts = append(parts, l.Money(m.Amount, m.Currency))
	}
	return strings.Join(parts, " · ")
}

// others formats the amounts in currencies other than the program's.
func others(l *sdki18n.Locale, a revenue.Amounts) string {
	var parts []string
	for _, m := range a.Others() {
		if m.Amount != 0 {
			parts = append(parts, l.Money(m.Amount, m.Currency))
		}
	}
	return strings.Join(parts, " · ")
}

// shippedStages are the deal stages' names as the portal ships them: a
// stage the program still calls so is named in the reader's language, one
// it renamed is shown as the program wrote it.
var shippedStages = func() map[string]string {
	out := map[string]string{}
	for _, st := range pipeline.DefaultConfig().DealStages {
		out[st.Key] = st.Label
	}
	return out
}()

// stageLabel names a deal stage for the dashboard.
func stageLabel(l *sdki18n.Locale, key, label string) string {
	if shippedStages[key] == label {
		return wordFor(l, "admin.dash.stage.", key, label)
	}
	return label
}

// revenueDashboard fills d with the Revenue & Leads panels and renders it.
func (s *Server) revenueDashboard(w http.ResponseWriter, r *http.Request, f dashFilter, sc reach.Reach, from, to time.Time, d Dashboard) {
	ctx := r.Context()
	rd := &RevenueDash{Exports: map[string]string{}}
	d.Revenue = rd
	l := loc(r)
	xf := f
	xf.Page = 0
	for _, t := range revenueTables {
		rd.Exports[t] = xf.url("/admin/dashboard/export/revenue-" + t)
	}
	if sc.None() {
		d.Empty = "no-access"
		s.page(w, r, http.StatusOK, "admin-dashboard", "Dashboard", d)
		return
	}
	rf := revenue.Filter{From: from, To: to, Scope: sc, PartnerIDs: f.Partners, PartnerTypes: f.Types}
	k, err := s.Revenue.KPIs(ctx, rf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rd.Currency = k.Currency
	rd.KPIs = revenueCards(l, k)
	tl, err := s.Revenue.Timeline(ctx, rf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	line := revenueChart(l, tl)
	rd.ChartSVG, rd.ChartTable, rd.Bucket = line.SVG(), line.Table(), bucketName(l, tl.Bucket)
	rd.WonOthers = others(l, k.RevenueWon.Value)
	stages, err := s.Revenue.Stages(ctx, rf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	bars := chart.Bars{Title: l.T("admin.dash.stages-chart", "Currency", k.Currency), Format: moneyFormat(l, k.Currency), Empty: l.T("admin.dash.chart-empty")}
	for _, st := range stages {
		label := stageLabel(l, st.Key, st.Label)
		rd.Stages = append(rd.Stages, RevenueStageRow{Label: label, Deals: st.Deals, Value: money(l, st.Value)})
		bars.Labels = append(bars.Labels, label)
		bars.Values = append(bars.Values, float64(st.Value.In(k.Currency))/100)
	}
	rd.StagesSVG = bars.SVG()
	fn, err := s.Revenue.Funnel(ctx, rf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	funnel := chart.Bars{Title: l.T("admin.dash.funnel"), Funnel: true, Empty: l.T("admin.dash.chart-empty")}
	for _, st := range fn.Steps {
		share := "—"
		if fn.Steps[0].Leads > 0 {
			share = chart.Percent(float64(st.Leads) / float64(fn.Steps[0].Leads))
		}
		label := wordFor(l, "admin.dash.funnel.", st.Status, st.Label)
		rd.Funnel = append(rd.Funnel, RevenueFunnelRow{Label: label, Leads: st.Leads, Share: share})
		funnel.Labels = append(funnel.Labels, label)
		funnel.Values = append(funnel.Values, float64(st.Leads))
	}
	rd.Lost = fn.Lost
	rd.FunnelSVG = funnel.SVG()
	top, err := s.Revenue.TopPartners(ctx, rf, 10)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, t := range top {
		rd.Top = append(rd.Top, RevenueTopRow{Rank: t.Rank, PartnerID: t.PartnerID, Name: t.Name, Type: t.Type, Won: money(l, t.Won), Deals: t.Deals})
	}
	cs, err := s.Revenue.Commissions(ctx, rf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var entries int64
	for _, c := range cs {
		rd.Commissions = append(rd.Commissions, RevenueCommissionRow{Status: wordFor(l, "admin.dash.commission.", c.Status, sp.Label(c.Status)), Amount: money(l, c.Amount), Entries: c.Entries})
		entries += c.Entries
	}
	if k.LeadsSubmitted.Value == 0 && k.DealsWon.Value == 0 && entries == 0 && !anyDeals(stages) {
		d.Empty = "no-activity"
		if f.filtered() {
			d.Empty = "filtered"
		} else if n, err := s.DB.NewSelect().Table("pipeline_leads").Limit(1).Count(ctx); err == nil && n == 0 {
			if m, err := s.DB.NewSelect().Table("pipeline_deals").Limit(1).Count(ctx); err == nil && m == 0 {
				d.Empty = "no-pipeline"
			}
		}
	}
	s.page(w, r, http.StatusOK, "admin-dashboard", "Dashboard", d)
}

func anyDeals(stages []revenue.Stage) bool {
	for _, s := range stages {
		if s.Deals > 0 {
			return true
		}
	}
	return false
}

// revenueTables are the CSV exports of the Revenue & Leads view.
var revenueTables = []string{"kpis", "timeline", "stages", "funnel", "partners", "commissions"}

func moneyFormat(l *sdki18n.Locale, currency string) func(float64) string {
	return func(v float64) string { return l.MoneyFloat(v, currency) }
}

func revenueCards(l *sdki18n.Locale, k revenue.KPIs) []RevenueCard {
	mcard := func(label string, m revenue.MoneyMetric) RevenueCard {
		c := RevenueCard{KPICard: KPICard{Label: label, Value: l.Money(m.Value.In(m.Currency), m.Currency),
			Previous: l.Money(m.Previous.In(m.Currency), m.Currency)}, Others: others(l, m.Value)}
		c.Change, c.Trend = changeIn(l)(m.Change())
		return c
	}
	ncard := func(label string, m revenue.Metric) RevenueCard {
		c := RevenueCard{KPICard: KPICard{Label: label, Value: l.Int(m.Value), Previous: l.Int(m.Previous)}}
		c.Change, c.Trend = changeIn(l)(m.Change())
		return c
	}
	conv := RevenueCard{KPICard: KPICard{Label: l.T("admin.dash.lead-conversion"), Value: chart.Percent(k.Conversion.Value()), Previous: chart.Percent(k.Conversion.Previous())}}
	if k.Conversion.Of == 0 {
		conv.Value = "—"
	}
	if c, ok := k.Conversion.Change(); ok {
		conv.Change, conv.Trend = l.T("admin.dash.points", "Points", fmt.Sprintf("%+.0f", c*100)), "up"
		if c < 0 {
			conv.Trend = "down"
		}
	} else {
		conv.Change, conv.Previous = l.T("admin.dash.no-previous"), "—"
	}
	return []RevenueCard{mcard(l.T("admin.dash.revenue-won"), k.RevenueWon), ncard(l.T("admin.dash.deals-won"), k.DealsWon),
		ncard(l.T("admin.dash.leads-submitted"), k.LeadsSubmitted), conv,
		mcard(l.T("admin.dash.commissions-pending"), k.CommissionsPending), mcard(l.T("admin.dash.commissions-paid"), k.CommissionsPaid)}
}

func revenueChart(l *sdki18n.Locale, t revenue.Timeline) chart.Line {
	line := chart.Line{Title: l.T("admin.dash.revenue-chart", "Currency", t.Currency), Empty: l.T("admin.dash.chart-empty")}
	var won, deals []float64
	for _, pt := range t.Points {
		line.Labels = append(line.Labels, bucketLabel(l, t.Bucket, pt.Start))
		won = append(won, float64(pt.Won.In(t.Currency))/100)
		deals = append(deals, float64(pt.Deals))
	}
	line.Series = []chart.Series{{Name: l.T("admin.dash.revenue-won-in", "Currency", t.Currency), Values: won, Format: moneyFormat(l, t.Currency)},
		{Name: l.T("admin.dash.deals-won"), Values: deals, Right: true}}
	return line
}

// revenueExport writes one of the Revenue & Leads tables as CSV, with the
// same filters and scope as the page.
func (s *Server) revenueExport(w http.ResponseWriter, r *http.Request, table string) {
	if s.Revenue == nil {
		s.notFound(w, r)
		return
	}
	f := parseDashFilter(r.URL.Query())
	ctx := r.Context()
	sc, err := s.viewerScope(ctx, principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	from, to, _ := f.dates(i18n.Locale("en"), time.Now().In(s.Revenue.Location()))
	rf := revenue.Filter{From: from, To: to, Scope: sc, PartnerIDs: f.Partners, PartnerTypes: f.Types}
	tables := map[string]csvTable{
		"kpis":        csvOf(func() (revenue.KPIs, error) { return s.Revenue.KPIs(ctx, rf) }, revenue.WriteKPIsCSV),
		"timeline":    csvOf(func() (revenue.Timeline, error) { return s.Revenue.Timeline(ctx, rf) }, revenue.WriteTimelineCSV),
		"stages":      csvOf(func() ([]revenue.Stage, error) { return s.Revenue.Stages(ctx, rf) }, revenue.WriteStagesCSV),
		"funnel":      csvOf(func() (revenue.Funnel, error) { return s.Revenue.Funnel(ctx, rf) }, revenue.WriteFunnelCSV),
		"partners":    csvOf(func() ([]revenue.PartnerRevenue, error) { return s.Revenue.TopPartners(ctx, rf, 0) }, revenue.WriteTopPartnersCSV),
		"commissions": csvOf(func() ([]revenue.Commission, error) { return s.Revenue.Commissions(ctx, rf) }, revenue.WriteCommissionsCSV),
	}
	s.sendTable(w, r, "revenue", table, tables[table], from, to)
}
