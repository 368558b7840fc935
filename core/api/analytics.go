package api

import (
	"context"
	"net/http"
	"time"

	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/danielgtaylor/huma/v2"
)

// The analytics operations answer the same numbers as the engagement
// dashboard, with the same filters and scope: admins count every partner,
// managers the partners they manage.

// AnalyticsFilter is the query of every analytics operation, the same as
// the dashboard's URL.
type AnalyticsFilter struct {
	Range   string   `query:"range" enum:"last-30-days,this-month,last-month,this-quarter,last-quarter,this-year,last-year" doc:"A quick range; default last-30-days."`
	Period  string   `query:"period" doc:"A calendar period instead of a quick range: 2026, 2026-Q1 or 2026-03."`
	From    string   `query:"from" doc:"First day (YYYY-MM-DD), with to, instead of a range or period."`
	To      string   `query:"to" doc:"Last day, inclusive (YYYY-MM-DD)."`
	Type    []string `query:"type,explode" doc:"Only partners of these types."`
	Partner []int64  `query:"partner,explode" doc:"Only these partners (ids); repeat the parameter for more."`
}

// analyticsFilter resolves the query to the days and the caller's scope.
func (a *API) analyticsFilter(ctx context.Context, in AnalyticsFilter) (engagement.Filter, error) {
	f, err := a.analyticsDays(in)
	if err != nil {
		return engagement.Filter{}, err
	}
	if f.Scope, err = a.countable(ctx); err != nil {
		return engagement.Filter{}, err
	}
	return f, nil
}

// countable is whom the caller may count in analytics: every partner for an
// admin, the partners they manage otherwise.
func (a *API) countable(ctx context.Context) (reach.Reach, error) {
	return a.reach.For(ctx, caller(ctx).Viewer())
}

// analyticsDays resolves the query's range and partner choices, without a
// scope: the days are cut in the reporting zone.
func (a *API) analyticsDays(in AnalyticsFilter) (engagement.Filter, error) {
	loc := a.Reports.Location()
	var from, to time.Time
	switch {
	case in.From != "" || in.To != "":
		f, err1 := time.ParseInLocation(time.DateOnly, in.From, loc)
		t, err2 := time.ParseInLocation(time.DateOnly, in.To, loc)
		if err1 != nil || err2 != nil {
			return engagement.Filter{}, huma.Error422UnprocessableEntity("from and to are days: YYYY-MM-DD, both given.")
		}
		from, to = f, t.AddDate(0, 0, 1)
	case in.Period != "":
		p, err := engagement.ParsePeriod(in.Period)
		if err != nil {
			return engagement.Filter{}, huma.Error422UnprocessableEntity(err.Error())
		}
		from, to = p.Range(loc)
	default:
		q := engagement.QuickRange(in.Range)
		if !q.Valid() {
			q = engagement.Last30Days
		}
		from, to = q.Range(time.Now().In(loc))
	}
	f := engagement.Filter{From: from, To: to, PartnerTypes: in.Type}
	if len(in.Partner) > 0 {
		f.PartnerIDs = in.Partner
	}
	return f, nil
}

// AnalyticsMetric is a KPI in the range and the previous range of the same
// length; change is null without a previous value.
type AnalyticsMetric struct {
	Value    float64  `json:"value"`
	Previous float64  `json:"previous"`
	Change   *float64 `json:"change"`
}

func metric(v, prev float64, c float64, ok bool) AnalyticsMetric {
	m := AnalyticsMetric{Value: v, Previous: prev}
	if ok {
		m.Change = &c
	}
	return m
}

// AnalyticsKPIs are the dashboard's five cards.
type AnalyticsKPIs struct {
	From                      string          `json:"from"`
	To                        string          `json:"to" doc:"Last day, inclusive."`
	UniqueUsers               AnalyticsMetric `json:"uniqueUsers"`
	Sessions                  AnalyticsMetric `json:"sessions"`
	PageViews                 AnalyticsMetric `json:"pageViews"`
	Actions                   AnalyticsMetric `json:"actions"`
	AvgSessionDurationSeconds AnalyticsMetric `json:"avgSessionDurationSeconds"`
}

// AnalyticsPoint is one bucket of the timeline.
type AnalyticsPoint struct {
	From      string `json:"from"`
	To        string `json:"to" doc:"Last day, inclusive."`
	Sessions  int64  `json:"sessions"`
	PageViews int64  `json:"pageViews"`
	Actions   int64  `json:"actions"`
	Users     int64  `json:"users"`
}

// AnalyticsContent is a room or resource and its use.
type AnalyticsContent struct {
	Kind      string `json:"kind"`
	ID        int64  `json:"id"`
	Label     string `json:"label,omitempty"`
	Views     int64  `json:"views"`
	PageViews int64  `json:"pageViews"`
	Actions   int64  `json:"actions"`
	Users     int64  `json:"users"`
}

// AnalyticsPartner is a leaderboard row.
type AnalyticsPartner struct {
	Rank               int     `json:"rank"`
	Score              float64 `json:"score"`
	PartnerID          int64   `json:"partnerId"`
	Name               string  `json:"name"`
	Type               string  `json:"type"`
	LogoURL            string  `json:"logoUrl,omitempty"`
	Users              int64   `json:"users"`
	Sessions           int64   `json:"sessions"`
	PageViews          int64   `json:"pageViews"`
	Actions            int64   `json:"actions"`
	AvgDurationSeconds float64 `json:"avgDurationSeconds"`
}

// AnalyticsTotals is the leaderboard's footer.
type AnalyticsTotals struct {
	Partners           int     `json:"partners"`
	Users              int64   `json:"users"`
	Sessions           int64   `json:"sessions"`
	PageViews          int64   `json:"pageViews"`
	Actions            int64   `json:"actions"`
	AvgDurationSeconds float64 `json:"avgDurationSeconds"`
}

// AnalyticsRisk is a partner at risk and why.
type AnalyticsRisk struct {
	PartnerID  int64    `json:"partnerId"`
	Name       string   `json:"name"`
	Type       string   `json:"type"`
	Reasons    []string `json:"reasons"`
	Messages   []string `json:"messages"`
	LastActive string   `json:"lastActive,omitempty"`
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

func (a *API) registerAnalytics() {
	if a.Reports == nil {
		return
	}
	tag := "Analytics"
	huma.Register(a.huma, op("analytics-kpis", http.MethodGet, "/api/v1/analytics/kpis", "Engagement KPIs against the previous period", Staff, tag),
		func(ctx context.Context, in *AnalyticsFilter) (*struct{ Body AnalyticsKPIs }, error) {
			f, err := a.analyticsFilter(ctx, *in)
			if err != nil {
				return nil, err
			}
			k, err := a.Reports.KPIs(ctx, f)
			if err != nil {
				return nil, a.problem(err)
			}
			out := AnalyticsKPIs{From: day(k.From), To: day(k.To.AddDate(0, 0, -1))}
			m := func(x engagement.Metric) AnalyticsMetric {
				c, ok := x.Change()
				return metric(float64(x.Value), float64(x.Previous), c, ok)
			}
			out.UniqueUsers, out.Sessions, out.PageViews, out.Actions = m(k.UniqueUsers), m(k.Sessions), m(k.PageViews), m(k.Actions)
			c, ok := k.AvgSessionDuration.Change()
			out.AvgSessionDurationSeconds = metric(k.AvgSessionDuration.Value.Seconds(), k.AvgSessionDuration.Previous.Seconds(), c, ok)
			return &struct{ Body AnalyticsKPIs }{out}, nil
		})
	huma.Register(a.huma, op("analytics-timeline", http.MethodGet, "/api/v1/analytics/timeline", "Sessions, page views and users over time", Staff, tag),
		func(ctx context.Context, in *AnalyticsFilter) (*struct {
			Body struct {
				Bucket string           `json:"bucket" doc:"day under 14 days, week from 14 to 60, month beyond"`
				Points []AnalyticsPoint `json:"points"`
			}
		}, error) {
			f, err := a.analyticsFilter(ctx, *in)
			if err != nil {
				return nil, err
			}
			t, err := a.Reports.Timeline(ctx, f)
			if err != nil {
				return nil, a.problem(err)
			}
			out := &struct {
				Body struct {
					Bucket string           `json:"bucket" doc:"day under 14 days, week from 14 to 60, month beyond"`
					Points []AnalyticsPoint `json:"points"`
				}
			}{}
			out.Body.Bucket = string(t.Bucket)
			out.Body.Points = []AnalyticsPoint{}
			for _, p := range t.Points {
				out.Body.Points = append(out.Body.Points, AnalyticsPoint{day(p.Start), day(p.End.AddDate(0, 0, -1)), p.Sessions, p.PageViews, p.Actions, p.Users})
			}
			return out, nil
		})
	type contentInput struct {
		AnalyticsFilter
		Kind  string `query:"kind" enum:"resource,room" default:"resource"`
		Limit int    `query:"limit" minimum:"1" maximum:"500" default:"10"`
	}
	huma.Register(a.huma, op("analytics-content", http.MethodGet, "/api/v1/analytics/content", "Top resources or rooms", Staff, tag),
		func(ctx context.Context, in *contentInput) (*struct{ Body []AnalyticsContent }, error) {
			f, err := a.analyticsFilter(ctx, in.AnalyticsFilter)
			if err != nil {
				return nil, err
			}
			kind := engagement.Resources
			if in.Kind == "room" {
				kind = engagement.Rooms
			}
			rows, err := a.Reports.TopContent(ctx, f, kind, in.Limit)
			if err != nil {
				return nil, a.problem(err)
			}
			out := []AnalyticsContent{}
			for _, r := range rows {
				out = append(out, AnalyticsContent{string(r.Kind), r.ID, r.Label, r.Views, r.PageViews, r.Actions, r.Users})
			}
			return &struct{ Body []AnalyticsContent }{out}, nil
		})
	type leaderboardInput struct {
		AnalyticsFilter
		Sort    string `query:"sort" enum:"score,partner,type,users,sessions,page_views,actions,avg_duration" default:"score"`
		Dir     string `query:"dir" enum:"asc,desc" doc:"Default: best score first, other columns ascending."`
		Page    int    `query:"page" minimum:"1" default:"1"`
		PerPage int    `query:"perPage" minimum:"1" maximum:"500" default:"25"`
	}
	huma.Register(a.huma, op("analytics-leaderboard", http.MethodGet, "/api/v1/analytics/leaderboard", "Partners ranked by engagement score", Staff, tag),
		func(ctx context.Context, in *leaderboardInput) (*struct {
			Body struct {
				Partners []AnalyticsPartner `json:"partners"`
				Totals   AnalyticsTotals    `json:"totals"`
				Total    int                `json:"total"`
				Page     int                `json:"page"`
				PerPage  int                `json:"perPage"`
			}
		}, error) {
			f, err := a.analyticsFilter(ctx, in.AnalyticsFilter)
			if err != nil {
				return nil, err
			}
			q := engagement.LeaderboardQuery{Sort: engagement.LeaderboardColumn(in.Sort), Desc: in.Dir == "desc", Page: in.Page, PerPage: in.PerPage}
			if in.Sort == "score" && in.Dir == "" {
				q.Desc = true
			}
			lb, err := a.Reports.Leaderboard(ctx, f, q)
			if err != nil {
				return nil, a.problem(err)
			}
			out := &struct {
				Body struct {
					Partners []AnalyticsPartner `json:"partners"`
					Totals   AnalyticsTotals    `json:"totals"`
					Total    int                `json:"total"`
					Page     int                `json:"page"`
					PerPage  int                `json:"perPage"`
				}
			}{}
			out.Body.Partners = []AnalyticsPartner{}
			for _, r := range lb.Rows {
				out.Body.Partners = append(out.Body.Partners, AnalyticsPartner{r.Rank, r.Score, r.PartnerID, r.Name, r.Type, r.LogoURL,
					r.Users, r.Sessions, r.PageViews, r.Actions, r.AvgDuration.Seconds()})
			}
			t := lb.Totals
			out.Body.Totals = AnalyticsTotals{t.Partners, t.Users, t.Sessions, t.PageViews, t.Actions, t.AvgDuration.Seconds()}
			out.Body.Total, out.Body.Page, out.Body.PerPage = lb.Total, lb.Page, lb.PerPage
			return out, nil
		})
	huma.Register(a.huma, op("analytics-at-risk", http.MethodGet, "/api/v1/analytics/at-risk", "Partners going quiet, as of the range's end", Staff, tag),
		func(ctx context.Context, in *AnalyticsFilter) (*struct{ Body []AnalyticsRisk }, error) {
			f, err := a.analyticsFilter(ctx, *in)
			if err != nil {
				return nil, err
			}
			rows, err := a.Reports.AtRisk(ctx, f)
			if err != nil {
				return nil, a.problem(err)
			}
			out := []AnalyticsRisk{}
			for _, r := range rows {
				ar := AnalyticsRisk{PartnerID: r.PartnerID, Name: r.Name, Type: r.Type, Reasons: []string{}, Messages: []string{}}
				for _, x := range r.Reasons {
					ar.Reasons = append(ar.Reasons, string(x.Reason))
					ar.Messages = append(ar.Messages, x.Message)
				}
				if !r.LastActive.IsZero() {
					ar.LastActive = day(r.LastActive)
				}
				out = append(out, ar)
			}
			return &struct{ Body []AnalyticsRisk }{out}, nil
		})
}
