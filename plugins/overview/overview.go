// Package overview is the Overview room: how the partner is doing and what
// they should do next, on one phone screen. Its figures this month against
// last month with a sparkline of the last six, the next steps computed from
// the partner's own records (compliance documents, deal registrations,
// projects, leads), leads by status, what changed recently, and the
// commission ledger.
// Staff working it from the staff side see the program (every partner they
// manage) and the queues waiting for them: leads under review, deal
// registrations to approve and commissions to approve or pay.
//
//	registry.Register(overview.Plugin())
package overview

import (
	"context"
	"embed"
	"strconv"
	"strings"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/ui"
)

// The room's words, one file per language.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

// words is the catalogue in the viewer's language.
func words(v sdk.Viewer) *i18n.Locale { return catalog.For(v.Locale) }

// statusLabel names a lead or commission status in the reader's language;
// a status the catalogue does not know is shown as the pipeline names it.
func statusLabel(l *i18n.Locale, status string) string {
	if id := "status." + status; l.Has(id) {
		return l.T(id)
	}
	return sp.Label(status)
}

// Plugin returns the room type and its blocks.
func Plugin() sdk.Plugin {
	return sdk.Plugin{ID: "atrium/overview", Blocks: []sdk.BlockType{metricsBlock{}, nextStepsBlock{}, statusBlock{}, activityBlock{}, ledgerBlock{}, queueBlock{}},
		Rooms: []sdk.RoomType{Room{}}}
}

// Room is the overview room type.
type Room struct{}

// Describe names the room type and its starting blocks; partner managers add
// any others (announcements, goals, tasks) in the room file.
func (Room) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{Name: "overview", Title: "Overview", Icon: "home", OncePerPartnerType: true,
		Description: "The partner's pipeline at a glance.",
		// The figures and the next steps come first, so a partner's phone
		// shows both on its first screen (staff see their queue there:
		// next steps are for partners, the queue for staff).
		DefaultBlocks: []sdk.BlockSpec{{ID: "pipeline", Type: "pipeline-metrics"}, {ID: "next-steps", Type: "next-steps", Config: nextStepsDefault},
			{ID: "queue", Type: "pipeline-queue"}, {ID: "by-status", Type: "pipeline-status"},
			{ID: "activity", Type: "pipeline-activity"}, {ID: "commissions", Type: "commission-ledger"}}}
}

// overviewMonths is how many months the tiles' sparklines show.
const overviewMonths = 6

// Metrics draws the Overview figures as tiles, worded and formatted for
// the reader. With the monthly figures (o.Months) each tile is this
// month's figure, its change against last month in words, and a sparkline
// of the months; without them (a portal that does not send them) the tiles
// are the totals blocks/analytics draws with sp.Tiles.
func Metrics(l *i18n.Locale, o sp.Overview) ui.Component {
	money := func(m sp.Money) string { return l.Money(m.Amount, m.Currency) }
	open := o.LeadsTotal - o.LeadsByStatus[sp.LeadWon] - o.LeadsByStatus[sp.LeadLost]
	if len(o.Months) < 2 {
		return ui.Columns{Count: 4, Children: ui.Children{
			ui.Metric{Label: l.T("tile.leads"), Value: l.Int(int64(o.LeadsTotal)),
				Hint: l.T("tile.leads-hint", "Open", l.Int(int64(open)), "Month", l.Int(int64(o.LeadsThisMonth)))},
			ui.Metric{Label: l.T("tile.deals"), Value: l.Int(int64(o.OpenDeals)), Hint: l.T("tile.deals-hint", "Value", money(o.PipelineValue))},
			ui.Metric{Label: l.T("tile.pending"), Value: money(o.CommissionPending), Hint: l.T("tile.pending-hint", "Value", money(o.CommissionApproved)), Tone: ui.ToneInfo},
			ui.Metric{Label: l.T("tile.earned"), Value: money(o.CommissionPaid), Hint: l.N("tile.earned-hint", o.DealsWon, "Value", money(o.WonValue)), Tone: ui.ToneSuccess},
		}}
	}
	ms := o.Months
	now := ms[len(ms)-1]
	months := l.T("spark.months", "From", l.Month(ms[0].Start, false), "To", l.Month(now.Start, false))
	counts := func(f func(sp.MonthFigures) int) []int64 {
		out := make([]int64, len(ms))
		for i, m := range ms {
			out[i] = int64(f(m))
		}
		return out
	}
	sums := func(f func(sp.MonthFigures) sp.Money) []int64 {
		out := make([]int64, len(ms))
		for i, m := range ms {
			out[i] = f(m).Amount
		}
		return out
	}
	// tile is one figure: this month's value, its change in words, and
	// the months as a sparkline named with every month's number.
	// The change is against last month up to the same day when the
	// portal says (this month is not over), else against all of it.
	sameDays := o.LastMonthToDate != nil
	tile := func(label, spark, hint string, tone ui.Tone, vals []int64, before int64, show func(int64) string, isMoney bool) ui.Metric {
		delta, dir := change(l, vals[len(vals)-1]-before, show, isMoney, sameDays)
		line, nums := make([]float64, len(vals)), make([]string, len(vals))
		for i, v := range vals {
			line[i], nums[i] = float64(v), show(v)
		}
		return ui.Metric{Label: label, Value: show(vals[len(vals)-1]), Delta: delta, Trend: dir, Hint: hint, Tone: tone,
			Spark: line, SparkLabel: l.T("spark.label", "Figure", spark, "Months", months, "Values", strings.Join(nums, ", "))}
	}
	prev := ms[len(ms)-2]
	if o.LastMonthToDate != nil {
		prev = *o.LastMonthToDate
	}
	count := func(v int64) string { return l.Int(v) }
	cur := now.WonValue.Currency
	inCurrency := func(v int64) string { return l.Money(v, cur) }
	return ui.Columns{Count: 4, Children: ui.Children{
		tile(l.T("tile.leads-month"), l.T("spark.leads"), l.T("tile.leads-month-hint", "Open", l.Int(int64(open)), "Total", l.Int(int64(o.LeadsTotal))), "",
			counts(func(m sp.MonthFigures) int { return m.LeadsSubmitted }), int64(prev.LeadsSubmitted), count, false),
		tile(l.T("tile.deals-month"), l.T("spark.deals"), l.T("tile.deals-month-hint", "Open", l.Int(int64(o.OpenDeals)), "Value", money(o.PipelineValue)), "",
			counts(func(m sp.MonthFigures) int { return m.DealsRegistered }), int64(prev.DealsRegistered), count, false),
		tile(l.T("tile.won-month"), l.T("spark.won"), l.N("tile.won-month-hint", now.DealsWon), ui.ToneSuccess,
			sums(func(m sp.MonthFigures) sp.Money { return m.WonValue }), prev.WonValue.Amount, inCurrency, true),
		tile(l.T("tile.commission-month"), l.T("spark.commission"), l.T("tile.commission-month-hint", "Pending", money(o.CommissionPending), "Paid", money(o.CommissionPaid)), ui.ToneInfo,
			sums(func(m sp.MonthFigures) sp.Money { return m.Commission }), prev.Commission.Amount, inCurrency, true),
	}}
}

// change words the difference from last month to this one, the direction
// in the words themselves ("3 more than last month", or "than by this day
// last month" when sameDays), and names the direction for the theme's arrow.
func change(l *i18n.Locale, diff int64, show func(int64) string, isMoney, sameDays bool) (words, dir string) {
	if sameDays {
		switch {
		case diff > 0 && isMoney:
			return l.T("trend.to-date.more-money", "Value", show(diff)), ui.TrendUp
		case diff > 0:
			return l.N("trend.to-date.more", int(diff), "Value", show(diff)), ui.TrendUp
		case diff < 0 && isMoney:
			return l.T("trend.to-date.less-money", "Value", show(-diff)), ui.TrendDown
		case diff < 0:
			return l.N("trend.to-date.fewer", int(-diff), "Value", show(-diff)), ui.TrendDown
		}
		return l.T("trend.to-date.same"), ui.TrendFlat
	}
	switch {
	case diff > 0 && isMoney:
		return l.T("trend.more-money", "Value", show(diff)), ui.TrendUp
	case diff > 0:
		return l.N("trend.more", int(diff), "Value", show(diff)), ui.TrendUp
	case diff < 0 && isMoney:
		return l.T("trend.less-money", "Value", show(-diff)), ui.TrendDown
	case diff < 0:
		return l.N("trend.fewer", int(-diff), "Value", show(-diff)), ui.TrendDown
	}
	return l.T("trend.same"), ui.TrendFlat
}

// StatusList lists leads by status, in pipeline order.
func StatusList(l *i18n.Locale, o sp.Overview) ui.Component {
	list := ui.List{}
	for _, s := range sp.LeadStatuses {
		list.Items = append(list.Items, ui.ListItem{Title: statusLabel(l, s), Meta: l.Int(int64(o.LeadsByStatus[s]))})
	}
	return list
}

type metricsBlock struct{}

func (metricsBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "pipeline-metrics", Title: "Pipeline figures", Icon: "chart", Description: "Leads, deals and commissions of the viewer's partner."}
}

func (metricsBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	o, err := sp.GetOverview.Call(ctx, req.Host, sp.OverviewQuery{Part: "figures", Months: overviewMonths})
	if err != nil {
		return nil, err
	}
	l := words(req.Viewer)
	title := l.T("pipeline.title")
	if req.Viewer.Staff() {
		title = l.T("pipeline.title-staff")
	}
	return ui.Stack{Children: ui.Children{ui.Heading{Text: title, Level: 2}, Metrics(l, o)}}, nil
}

// statusBlock lists leads by status, below the figures and next steps.
type statusBlock struct{}

func (statusBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "pipeline-status", Title: "Leads by status", Icon: "chart", Description: "How many of the viewer's leads are at each status."}
}

func (statusBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	o, err := sp.GetOverview.Call(ctx, req.Host, sp.OverviewQuery{Part: "statuses"})
	if err != nil {
		return nil, err
	}
	l := words(req.Viewer)
	return ui.Card{Title: l.T("pipeline.by-status"), Body: ui.Children{StatusList(l, o)}}, nil
}

type activityBlock struct{}

func (activityBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "pipeline-activity", Title: "Recent activity", Icon: "bell", Description: "What changed in the pipeline lately."}
}

// Render shows the latest changes, and what changed since the viewer's
// last visit first, under its own heading and marked new. On a first visit
// (or when nothing is new) it is the plain recent list.
func (activityBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	visit, err := sp.VisitOverview.Call(ctx, req.Host, struct{}{})
	if err != nil {
		return nil, err
	}
	o, err := sp.GetOverview.Call(ctx, req.Host, sp.OverviewQuery{Part: "activity"})
	if err != nil {
		return nil, err
	}
	return activityFeed(req, o.Activity, visit.Previous), nil
}

// activityFeed splits the feed at the previous visit: newer items first,
// marked, under "Since your last visit"; the rest under "Earlier".
func activityFeed(req sdk.RenderRequest, items []sp.Activity, previous *time.Time) ui.Component {
	l := words(req.Viewer)
	item := func(a sp.Activity) ui.ListItem {
		href := ""
		switch a.Kind {
		case "lead":
			href = roomPath(req, "leads") + "/items/" + strconv.FormatInt(a.ID, 10)
		case "deal":
			href = roomPath(req, "deals") + "/items/" + strconv.FormatInt(a.ID, 10)
		}
		return ui.ListItem{Title: a.Title, Description: activityText(l, a), Href: href, Meta: ago(l, a.At)}
	}
	out := ui.Children{ui.Heading{Text: l.T("activity.title"), Level: 2}}
	if len(items) == 0 {
		return ui.Stack{Children: append(out, ui.Empty{Title: l.T("activity.empty"), Description: l.T("activity.empty-hint")})}
	}
	if previous == nil {
		l := ui.List{}
		for _, a := range items {
			l.Items = append(l.Items, item(a))
		}
		return ui.Stack{Children: append(out, l)}
	}
	fresh, earlier := ui.List{}, ui.List{}
	for _, a := range items {
		it := item(a)
		if a.At.After(*previous) {
			it.Badge = &ui.Badge{Text: l.T("activity.new"), Tone: ui.ToneInfo}
			fresh.Items = append(fresh.Items, it)
		} else {
			earlier.Items = append(earlier.Items, it)
		}
	}
	when := ago(l, *previous)
	if len(fresh.Items) == 0 {
		out = append(out, ui.Text{Text: l.T("activity.nothing-new", "When", when), Muted: true})
	} else {
		out = append(out, ui.Heading{Text: l.T("activity.since", "When", when), Level: 3}, fresh)
	}
	if len(earlier.Items) > 0 {
		out = append(out, ui.Heading{Text: l.T("activity.earlier"), Level: 3}, earlier)
	}
	return ui.Stack{Children: out}
}

// activityText says what happened in the reader's words, as the pipeline
// says it in English (a.Text): submitted, commented, or moved.
func activityText(l *i18n.Locale, a sp.Activity) string {
	switch {
	case a.To == "":
		return a.Text // a portal that does not send the parts
	case a.From == "" && a.Kind == "lead":
		return l.T("activity.submitted", "Name", a.By)
	case a.From == a.To:
		return l.T("activity.commented", "Name", a.By)
	case a.From != "":
		return statusLabel(l, a.From) + " → " + statusLabel(l, a.To)
	}
	return statusLabel(l, a.To)
}

// roomPath links to a sibling room: /rooms/{type} for partners (demo rooms
// use the type as slug), the staff side for staff.
func roomPath(req sdk.RenderRequest, typ string) string {
	if req.Viewer.Staff() {
		return "/admin/work/" + typ
	}
	return "/rooms/" + typ
}

// ago says how long ago t was, in the reader's words; past two weeks, the
// date.
func ago(l *i18n.Locale, t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Hour:
		return l.N("ago.minutes", max(int(d.Minutes()), 1))
	case d < 24*time.Hour:
		return l.N("ago.hours", int(d.Hours()))
	case d < 14*24*time.Hour:
		return l.N("ago.days", int(d.Hours()/24))
	}
	return l.Date(t)
}
