package web

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/chart"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/reach"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"
)

// The dashboard's filters live in the URL, so a view can be bookmarked and
// shared: range (a quick range) or period (2026-03, 2026-Q1, 2026), type
// (repeatable), partner (repeatable ids), sort and dir for the leaderboard,
// page, and tab for the top content.

// dashFilter is the dashboard's URL state.
type dashFilter struct {
	View     string // "engagement" or "revenue"
	Range    engagement.QuickRange
	Period   string
	Types    []string
	Partners []int64
	Sort     engagement.LeaderboardColumn
	Desc     bool
	Page     int
	Tab      engagement.ContentKind
}

func parseDashFilter(q url.Values) dashFilter {
	f := dashFilter{View: q.Get("view"), Range: engagement.QuickRange(q.Get("range")), Period: q.Get("period"),
		Types: q["type"], Sort: engagement.LeaderboardColumn(q.Get("sort")), Desc: q.Get("dir") == "desc", Tab: engagement.ContentKind(q.Get("tab"))}
	if f.View != "revenue" {
		f.View = "engagement"
	}
	if _, err := engagement.ParsePeriod(f.Period); err != nil {
		f.Period = ""
	}
	if !f.Range.Valid() || f.Period != "" {
		f.Range = ""
	}
	if f.Range == "" && f.Period == "" {
		f.Range = engagement.Last30Days
	}
	for _, s := range q["partner"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 && len(f.Partners) < 500 {
			f.Partners = append(f.Partners, id)
		}
	}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	f.Page = max(1, f.Page)
	if f.Tab != engagement.Rooms {
		f.Tab = engagement.Resources
	}
	return f
}

// values is the filter as URL parameters, leaving out defaults.
func (f dashFilter) values() url.Values {
	v := url.Values{}
	if f.View != "engagement" {
		v.Set("view", f.View)
	}
	if f.Period != "" {
		v.Set("period", f.Period)
	} else if f.Range != "" && f.Range != engagement.Last30Days {
		v.Set("range", string(f.Range))
	}
	for _, t := range f.Types {
		v.Add("type", t)
	}
	for _, id := range f.Partners {
		v.Add("partner", strconv.FormatInt(id, 10))
	}
	if f.Sort != "" {
		v.Set("sort", string(f.Sort))
		if f.Desc {
			v.Set("dir", "desc")
		}
	}
	if f.Page > 1 {
		v.Set("page", strconv.Itoa(f.Page))
	}
	if f.Tab != engagement.Resources {
		v.Set("tab", string(f.Tab))
	}
	return v
}

// url is the dashboard (or an export, when path is given) with this filter.
func (f dashFilter) url(path string) string {
	if q := f.values().Encode(); q != "" {
		return path + "?" + q
	}
	return path
}

// filtered reports whether the partners were narrowed.
func (f dashFilter) filtered() bool { return len(f.Types) > 0 || len(f.Partners) > 0 }

// dates returns the filter's days in the reporting zone, and its label in
// the reader's language.
func (f dashFilter) dates(l *sdki18n.Locale, now time.Time) (time.Time, time.Time, string) {
	if f.Period != "" {
		p, _ := engagement.ParsePeriod(f.Period)
		from, to := p.Range(now.Location())
		return from, to, periodLabel(l, p)
	}
	from, to := f.Range.Range(now)
	return from, to, rangeLabel(l, f.Range)
}

// rangeLabel names a quick range ("Last 30 days").
func rangeLabel(l *sdki18n.Locale, q engagement.QuickRange) string {
	return l.T("admin.dash.range." + string(q))
}

// periodLabel names a period: "March 2026", "Q1 2026", "2026".
func periodLabel(l *sdki18n.Locale, p engagement.Period) string {
	switch p.Kind {
	case engagement.PeriodMonth:
		return l.MonthYear(time.Date(p.Year, time.Month(p.N), 1, 0, 0, 0, 0, time.UTC))
	case engagement.PeriodQuarter:
		return l.T("admin.dash.quarter", "Quarter", p.N, "Year", p.Year)
	}
	return strconv.Itoa(p.Year)
}

// bucketLabel names a point of a chart's time scale: a day ("Mar 2"), a
// week ("Week of Mar 2") or a month ("Mar 2026").
func bucketLabel(l *sdki18n.Locale, b engagement.Bucket, t time.Time) string {
	day := l.T("admin.dash.day", "Month", l.Month(t, false), "Day", t.Day())
	switch b {
	case engagement.BucketDay:
		return day
	case engagement.BucketWeek:
		return l.T("admin.dash.week-of", "Day", day)
	}
	return l.T("admin.dash.month", "Month", l.Month(t, false), "Year", t.Year())
}

// bucketName is the unit of a chart's time scale, for "Activity by day".
func bucketName(l *sdki18n.Locale, b engagement.Bucket) string {
	return l.T("admin.dash.bucket." + string(b))
}

// wordFor names a key in the reader's language when the catalogue has
// id+key, and otherwise shows fallback as it is (a stage the program named
// itself, a status a newer service adds).
func wordFor(l *sdki18n.Locale, id, key, fallback string) string {
	if l.Has(id + key) {
		return l.T(id + key)
	}
	return fallback
}

// viewerScope is whom a staff viewer may count on the dashboards: every
// partner for an admin, the partners they manage for anyone else.
func (s *Server) viewerScope(ctx context.Context, p *Principal) (reach.Reach, error) {
	return s.reach.For(ctx, p.Viewer())
}

// Dashboard is the staff dashboard page.
type Dashboard struct {
	View       string
	EngageURL  string
	RevenueURL string
	RangeLabel string
	From, To   time.Time // To is the last day, inclusive

	Empty       string // "no-access", "no-activity", "filtered" or ""
	ResetURL    string
	Filtered    bool
	Ranges      []DashLink
	Periods     []DashPeriodGroup
	Types       []DashOption
	Partners    []DashOption
	FilterQuery []DashHidden // the filter's other parameters, for the sidebar form

	KPIs []KPICard

	ChartSVG   template.HTML
	ChartTable chart.Table
	Bucket     string

	ContentTabs []DashLink
	Content     []ContentItem

	Columns     []DashColumn
	Leaderboard engagement.Leaderboard
	Rows        []LeaderRow
	AvgDuration string // the totals row's
	Prev, Next  string
	AtRisk      []AtRiskRow

	Exports map[string]string

	// Revenue is the Revenue & Leads view's panels (view=revenue).
	Revenue *RevenueDash
}

// DashLink is a link that may be the current choice.
type DashLink struct {
	Label, Href string
	Active      bool
}

// DashPeriodGroup is one kind of period in the picker.
type DashPeriodGroup struct {
	Label   string
	Options []DashOption
}

// DashOption is a choice in a filter form.
type DashOption struct {
	Value, Label, Detail string
	Selected             bool
}

// DashHidden is a hidden form field.
type DashHidden struct{ Name, Value string }

// KPICard is one KPI with its change against the previous period.
type KPICard struct {
	Label, Value, Previous, Change string
	Trend                          string // "up", "down" or "" (no previous value)
}

// ContentItem is a row of the top content panel.
type ContentItem struct {
	Name, Href string
	Views      int64
	Users      int64
}

// LeaderRow is a leaderboard row with its numbers shown for people.
type LeaderRow struct {
	engagement.LeaderboardRow
	Duration, ScoreText string
}

// DashColumn is a sortable leaderboard column.
type DashColumn struct {
	Label, Href, Sort string // Sort is "ascending", "descending" or ""
	Numeric           bool
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	if s.Reports == nil {
		s.notFound(w, r)
		return
	}
	p := principal(r)
	f := parseDashFilter(r.URL.Query())
	now := time.Now().In(s.Reports.Location())
	l := loc(r)
	from, to, label := f.dates(l, now)
	d := Dashboard{View: f.View, RangeLabel: label, From: from, To: to.AddDate(0, 0, -1), Filtered: f.filtered(), ResetURL: "/admin/dashboard"}
	ev, rv := f, f
	ev.View, rv.View = "engagement", "revenue"
	d.EngageURL, d.RevenueURL = ev.url("/admin/dashboard"), rv.url("/admin/dashboard")
	ctx := r.Context()
	sc, err := s.viewerScope(ctx, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.dashboardFilters(ctx, l, sc, f, now, &d); err != nil {
		s.fail(w, r, err)
		return
	}
	if f.View == "revenue" {
		if s.Revenue == nil {
			s.page(w, r, http.StatusOK, "admin-dashboard", "Dashboard", d)
			return
		}
		s.revenueDashboard(w, r, f, sc, from, to, d)
		return
	}
	if sc.None() {
		d.Empty = "no-access"
		s.page(w, r, http.StatusOK, "admin-dashboard", "Dashboard", d)
		return
	}
	ef := engagement.Filter{From: from, To: to, Scope: sc, PartnerIDs: f.Partners, PartnerTypes: f.Types}
	kpis, err := s.Reports.KPIs(ctx, ef)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.KPIs = kpiCards(l, kpis)
	tl, err := s.Reports.Timeline(ctx, ef)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	line := timelineChart(l, tl)
	d.ChartSVG, d.ChartTable, d.Bucket = line.SVG(), line.Table(), bucketName(l, tl.Bucket)
	content, err := s.Reports.TopContent(ctx, ef, f.Tab, 10)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Content = s.contentItems(l, content)
	for _, tab := range []struct {
		kind  engagement.ContentKind
		label string
	}{{engagement.Resources, l.T("admin.dash.tab-resources")}, {engagement.Rooms, l.T("admin.dash.tab-rooms")}} {
		tf := f
		tf.Tab = tab.kind
		d.ContentTabs = append(d.ContentTabs, DashLink{Label: tab.label, Href: tf.url("/admin/dashboard") + "#top-content", Active: f.Tab == tab.kind})
	}
	lb, err := s.Reports.Leaderboard(ctx, ef, engagement.LeaderboardQuery{Sort: f.Sort, Desc: f.Desc, Page: f.Page, PerPage: 25})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Leaderboard = lb
	for _, row := range lb.Rows {
		d.Rows = append(d.Rows, LeaderRow{row, FormatDuration(row.AvgDuration), strconv.FormatFloat(row.Score, 'f', 1, 64)})
	}
	d.AvgDuration = FormatDuration(lb.Totals.AvgDuration)
	d.Columns = leaderboardColumns(l, f)
	if f.Page > 1 {
		pf := f
		pf.Page--
		d.Prev = pf.url("/admin/dashboard") + "#leaderboard"
	}
	if f.Page < lb.Pages() {
		nf := f
		nf.Page++
		d.Next = nf.url("/admin/dashboard") + "#leaderboard"
	}
	atRisk, err := s.Reports.AtRisk(ctx, ef)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, a := range atRisk {
		row := AtRiskRow{AtRiskPartner: a}
		for _, k := range a.Reasons {
			row.Lines = append(row.Lines, RiskLine{Reason: k.Reason, Text: riskText(l, k)})
		}
		d.AtRisk = append(d.AtRisk, row)
	}
	if kpis.UniqueUsers.Value == 0 && kpis.PageViews.Value == 0 && kpis.Sessions.Value == 0 {
		d.Empty = "no-activity"
		if f.filtered() {
			d.Empty = "filtered"
		}
	}
	xf := f
	xf.Page = 0
	d.Exports = map[string]string{}
	for _, t := range []string{"kpis", "timeline", "resources", "rooms", "leaderboard", "at-risk"} {
		d.Exports[t] = xf.url("/admin/dashboard/export/" + t)
	}
	s.page(w, r, http.StatusOK, "admin-dashboard", "Dashboard", d)
}

// dashboardFilters fills the filter controls: quick ranges, periods,
// partner types in use and the partners the viewer may pick.
func (s *Server) dashboardFilters(ctx context.Context, l *sdki18n.Locale, sc reach.Reach, f dashFilter, now time.Time, d *Dashboard) error {
	for _, q := range engagement.QuickRanges() {
		qf := f
		qf.Range, qf.Period, qf.Page = q, "", 1
		d.Ranges = append(d.Ranges, DashLink{Label: rangeLabel(l, q), Href: qf.url("/admin/dashboard"), Active: f.Period == "" && f.Range == q})
	}
	for _, k := range []struct {
		kind  engagement.PeriodKind
		label string
		n     int
	}{{engagement.PeriodMonth, l.T("admin.dash.months"), 24}, {engagement.PeriodQuarter, l.T("admin.dash.quarters"), 8}, {engagement.PeriodYear, l.T("admin.dash.years"), 5}} {
		g := DashPeriodGroup{Label: k.label}
		for _, per := range engagement.RecentPeriods(k.kind, now, k.n) {
			g.Options = append(g.Options, DashOption{Value: per.String(), Label: periodLabel(l, per), Selected: per.String() == f.Period})
		}
		d.Periods = append(d.Periods, g)
	}
	pf := directory.PartnerFilter{PerPage: 200}
	pf.Within = sc.IDs() // nil for an admin: every partner
	types := map[string]bool{}
	for page := 1; page <= 5; page++ { // the sidebar lists at most 1,000 partners
		pf.Page = page
		res, err := s.Dir.ListPartners(ctx, pf)
		if err != nil {
			return err
		}
		for _, pt := range res.Items {
			types[pt.Type] = true
			d.Partners = append(d.Partners, DashOption{Value: strconv.FormatInt(pt.ID, 10), Label: pt.Name, Detail: pt.Type,
				Selected: slices.Contains(f.Partners, pt.ID)})
		}
		if page >= res.Pages() {
			break
		}
	}
	if len(types) > 1 {
		for _, t := range slices.Sorted(maps.Keys(types)) {
			tf := f
			tf.Page = 1
			on := slices.Contains(f.Types, t)
			if on {
				tf.Types = slices.DeleteFunc(slices.Clone(f.Types), func(x string) bool { return x == t })
			} else {
				tf.Types = append(slices.Clone(f.Types), t)
			}
			d.Types = append(d.Types, DashOption{Value: tf.url("/admin/dashboard"), Label: t, Selected: on})
		}
	}
	// The sidebar form replaces partner and period; it keeps the rest (a
	// chosen period wins over the quick range it carries along).
	keep := f
	keep.Partners, keep.Period, keep.Page = nil, "", 1
	for k, vs := range keep.values() {
		for _, v := range vs {
			d.FilterQuery = append(d.FilterQuery, DashHidden{k, v})
		}
	}
	slices.SortFunc(d.FilterQuery, func(a, b DashHidden) int { return strings.Compare(a.Name+a.Value, b.Name+b.Value) })
	return nil
}

func kpiCards(l *sdki18n.Locale, k engagement.KPIs) []KPICard {
	card := func(label string, m engagement.Metric) KPICard {
		c := KPICard{Label: label, Value: l.Int(m.Value), Previous: l.Int(m.Previous)}
		c.Change, c.Trend = changeIn(l)(m.Change())
		return c
	}
	out := []KPICard{card(l.T("admin.dash.unique-users"), k.UniqueUsers), card(l.T("admin.dash.sessions"), k.Sessions),
		card(l.T("admin.dash.page-views"), k.PageViews), card(l.T("admin.dash.actions"), k.Actions)}
	d := KPICard{Label: l.T("admin.dash.avg-session"), Value: chart.Duration(k.AvgSessionDuration.Value.Seconds()), Previous: chart.Duration(k.AvgSessionDuration.Previous.Seconds())}
	d.Change, d.Trend = changeIn(l)(k.AvgSessionDuration.Change())
	return append(out, d)
}

// changeIn words a change against the previous period in l's language.
func changeIn(l *sdki18n.Locale) func(c float64, ok bool) (string, string) {
	return func(c float64, ok bool) (string, string) { return change(l, c, ok) }
}

func change(l *sdki18n.Locale, c float64, ok bool) (string, string) {
	if !ok {
		return l.T("admin.dash.no-previous"), ""
	}
	trend := "up"
	if c < 0 {
		trend = "down"
	}
	return fmt.Sprintf("%+.0f%%", c*100), trend
}

func timelineChart(l *sdki18n.Locale, t engagement.Timeline) chart.Line {
	line := chart.Line{Title: l.T("admin.dash.activity-chart"), Empty: l.T("admin.dash.chart-empty")}
	var sessions, views, users []float64
	for _, pt := range t.Points {
		line.Labels = append(line.Labels, bucketLabel(l, t.Bucket, pt.Start))
		sessions = append(sessions, float64(pt.Sessions))
		views = append(views, float64(pt.PageViews))
		users = append(users, float64(pt.Users))
	}
	line.Series = []chart.Series{{Name: l.T("admin.dash.sessions"), Values: sessions}, {Name: l.T("admin.dash.page-views"), Values: views},
		{Name: l.T("admin.dash.unique-users"), Values: users, Right: true}}
	return line
}

// contentItems names rooms by their current title (or the slug last
// recorded) and resources by their library title, linked to their page
// (by id when the library no longer has them).
func (s *Server) contentItems(l *sdki18n.Locale, rows []engagement.ContentRow) []ContentItem {
	snap := s.catalog.Current()
	titles := map[string]string{}
	for _, rm := range snap.Rooms {
		titles[rm.Slug] = rm.Title
	}
	out := make([]ContentItem, 0, len(rows))
	for _, row := range rows {
		it := ContentItem{Views: row.Views, Users: row.Users}
		if row.Kind == engagement.Rooms {
			it.Name = row.Label
			if t, ok := titles[row.Label]; ok {
				it.Name, it.Href = t, "/admin/rooms"
			}
		} else {
			it.Name = row.Label
			if it.Name != "" {
				it.Href = "/admin/library/" + strconv.FormatInt(row.ID, 10)
			} else {
				it.Name = l.T("admin.dash.resource-id", "ID", row.ID)
			}
		}
		out = append(out, it)
	}
	return out
}

func leaderboardColumns(l *sdki18n.Locale, f dashFilter) []DashColumn {
	cols := []struct {
		label string
		col   engagement.LeaderboardColumn
		num   bool
	}{
		{l.T("admin.common.partner"), engagement.ByPartner, false}, {l.T("admin.common.type"), engagement.ByType, false},
		{l.T("admin.dash.users"), engagement.ByUsers, true}, {l.T("admin.dash.sessions"), engagement.BySessions, true}, {l.T("admin.dash.page-views"), engagement.ByPageViews, true},
		{l.T("admin.dash.avg-duration"), engagement.ByAvgDuration, true}, {l.T("admin.dash.score"), engagement.ByScore, true},
	}
	cur, desc := f.Sort, f.Desc
	if cur == "" {
		cur, desc = engagement.ByScore, true // best first
	}
	out := make([]DashColumn, 0, len(cols))
	for _, c := range cols {
		cf := f
		// Numbers sort largest first on the first click, names A to Z; a
		// second click reverses.
		cf.Page, cf.Sort, cf.Desc = 1, c.col, c.num
		dc := DashColumn{Label: c.label, Numeric: c.num}
		if c.col == cur {
			dc.Sort = map[bool]string{false: "ascending", true: "descending"}[desc]
			cf.Desc = !desc
		}
		dc.Href = cf.url("/admin/dashboard") + "#leaderboard"
		out = append(out, dc)
	}
	return out
}

// AtRiskRow is a partner of the at-risk panel with its reasons worded for
// the reader.
type AtRiskRow struct {
	engagement.AtRiskPartner
	Lines []RiskLine
}

// RiskLine is one reason a partner is at risk and its sentence.
type RiskLine struct {
	Reason engagement.RiskReason
	Text   string
}

// riskText says why a partner is at risk in the reader's language, with
// numbers, dates and durations in their format; engagement's own sentence,
// in English, stays for the API and the CSV export.
func riskText(l *sdki18n.Locale, k engagement.Risk) string {
	switch k.Reason {
	case engagement.RiskNoSessions:
		if k.LastActive.IsZero() {
			return l.T("admin.dash.risk-text.never")
		}
		return l.T("admin.dash.risk-text.no_sessions", "Days", l.Int(int64(k.Days)), "Date", l.Date(k.LastActive))
	case engagement.RiskFallingDuration:
		return l.T("admin.dash.risk-text.falling_duration", "From", FormatDuration(k.From), "To", FormatDuration(k.To),
			"Drop", l.Int(int64(k.Drop)), "Days", l.Int(int64(k.Days)))
	case engagement.RiskNoActions:
		return l.T("admin.dash.risk-text.no_actions", "Sessions", l.Int(k.Sessions), "Days", l.Int(int64(k.Days)))
	}
	return k.Message
}

// FormatDuration shows a session length for the templates.
func FormatDuration(d time.Duration) string { return chart.Duration(d.Seconds()) }

// dashboardExport writes one of the dashboard's tables as CSV, with the
// same filters and scope as the page.
func (s *Server) dashboardExport(w http.ResponseWriter, r *http.Request) {
	if s.Reports == nil {
		s.notFound(w, r)
		return
	}
	table := r.PathValue("table")
	if t, ok := strings.CutPrefix(table, "revenue-"); ok {
		s.revenueExport(w, r, t)
		return
	}
	f := parseDashFilter(r.URL.Query())
	ctx := r.Context()
	sc, err := s.viewerScope(ctx, principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The files keep the portal's English: a spreadsheet's columns should
	// not change with who downloaded it.
	en := i18n.Locale("en")
	from, to, _ := f.dates(en, time.Now().In(s.Reports.Location()))
	ef := engagement.Filter{From: from, To: to, Scope: sc, PartnerIDs: f.Partners, PartnerTypes: f.Types}
	topContent := func(kind engagement.ContentKind) csvTable {
		return func() (func(io.Writer) error, error) {
			rows, err := s.Reports.TopContent(ctx, ef, kind, 500)
			if err != nil {
				return nil, err
			}
			items := s.contentItems(en, rows)
			names := make(map[int64]string, len(rows))
			for i, row := range rows {
				names[row.ID] = items[i].Name
			}
			return func(w io.Writer) error {
				return engagement.WriteTopContentCSV(w, rows, func(row engagement.ContentRow) string { return names[row.ID] })
			}, nil
		}
	}
	tables := map[string]csvTable{
		"kpis":      csvOf(func() (engagement.KPIs, error) { return s.Reports.KPIs(ctx, ef) }, writeKPIsCSV),
		"timeline":  csvOf(func() (engagement.Timeline, error) { return s.Reports.Timeline(ctx, ef) }, engagement.WriteTimelineCSV),
		"resources": topContent(engagement.Resources),
		"rooms":     topContent(engagement.Rooms),
		"leaderboard": csvOf(func() (engagement.Leaderboard, error) {
			return s.Reports.Leaderboard(ctx, ef, engagement.LeaderboardQuery{Sort: f.Sort, Desc: f.Desc})
		}, engagement.WriteLeaderboardCSV),
		"at-risk": csvOf(func() ([]engagement.AtRiskPartner, error) { return s.Reports.AtRisk(ctx, ef) }, engagement.WriteAtRiskCSV),
	}
	s.sendTable(w, r, "engagement", table, tables[table], from, to)
}

// csvTable runs a report for an export and returns the writer of its CSV;
// a report that fails answers as an error page, before any CSV is sent.
type csvTable func() (func(io.Writer) error, error)

// csvOf pairs a report with the function that writes it as CSV.
func csvOf[T any](report func() (T, error), write func(io.Writer, T) error) csvTable {
	return func() (func(io.Writer) error, error) {
		v, err := report()
		if err != nil {
			return nil, err
		}
		return func(w io.Writer) error { return write(w, v) }, nil
	}
}

// sendTable runs an export's report and sends it; a table the dashboard
// does not have is a 404.
func (s *Server) sendTable(w http.ResponseWriter, r *http.Request, dashboard, name string, table csvTable, from, to time.Time) {
	if table == nil {
		s.notFound(w, r)
		return
	}
	write, err := table()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sendCSV(w, dashboard, name, from, to, write)
}

// sendCSV answers with a dashboard table as a CSV download named for the
// dashboard, the table and the days of the range ([from, to)).
func (s *Server) sendCSV(w http.ResponseWriter, dashboard, table string, from, to time.Time, write func(io.Writer) error) {
	name := fmt.Sprintf("%s-%s-%s-to-%s.csv", dashboard, table, from.Format(time.DateOnly), to.AddDate(0, 0, -1).Format(time.DateOnly))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if err := write(w); err != nil {
		s.Log.Warn("write dashboard CSV", "dashboard", dashboard, "table", table, "err", err)
	}
}

// writeKPIsCSV writes the KPI cards: each measure, this period and the
// previous one.
func writeKPIsCSV(w io.Writer, k engagement.KPIs) error {
	var b strings.Builder
	b.WriteString("measure,value,previous\n")
	for _, m := range []struct {
		name string
		v    engagement.Metric
	}{{"unique_users", k.UniqueUsers}, {"sessions", k.Sessions}, {"page_views", k.PageViews}, {"actions", k.Actions}} {
		fmt.Fprintf(&b, "%s,%d,%d\n", m.name, m.v.Value, m.v.Previous)
	}
	fmt.Fprintf(&b, "avg_session_duration_seconds,%.1f,%.1f\n", k.AvgSessionDuration.Value.Seconds(), k.AvgSessionDuration.Previous.Seconds())
	_, err := w.Write([]byte(b.String()))
	return err
}
