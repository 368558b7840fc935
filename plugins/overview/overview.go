// Package overview is the Overview room: the partner's pipeline at a
// glance (leads by status, open deals and pipeline value, commissions
// pending and earned), what changed recently, and the commission ledger.
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
	return sdk.Plugin{ID: "atrium/overview", Blocks: []sdk.BlockType{metricsBlock{}, activityBlock{}, ledgerBlock{}, queueBlock{}},
		Rooms: []sdk.RoomType{Room{}}}
}

// Room is the overview room type.
type Room struct{}

// Describe names the room type and its starting blocks; partner managers add
// any others (announcements, goals, tasks) in the room file.
func (Room) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{Name: "overview", Title: "Overview", Icon: "home", OncePerPartnerType: true,
		Description: "The partner's pipeline at a glance.",
		DefaultBlocks: []sdk.BlockSpec{{ID: "pipeline", Type: "pipeline-metrics"}, {ID: "queue", Type: "pipeline-queue"},
			{ID: "activity", Type: "pipeline-activity"}, {ID: "commissions", Type: "commission-ledger"}}}
}

// Metrics draws the Overview figures as tiles, the figures blocks/analytics
// draws with sp.Tiles, worded and formatted for the reader.
func Metrics(l *i18n.Locale, o sp.Overview) ui.Component {
	open := o.LeadsTotal - o.LeadsByStatus[sp.LeadWon] - o.LeadsByStatus[sp.LeadLost]
	money := func(m sp.Money) string { return l.Money(m.Amount, m.Currency) }
	return ui.Columns{Count: 4, Children: ui.Children{
		ui.Metric{Label: l.T("tile.leads"), Value: l.Int(int64(o.LeadsTotal)),
			Hint: l.T("tile.leads-hint", "Open", l.Int(int64(open)), "Month", l.Int(int64(o.LeadsThisMonth)))},
		ui.Metric{Label: l.T("tile.deals"), Value: l.Int(int64(o.OpenDeals)), Hint: l.T("tile.deals-hint", "Value", money(o.PipelineValue))},
		ui.Metric{Label: l.T("tile.pending"), Value: money(o.CommissionPending), Hint: l.T("tile.pending-hint", "Value", money(o.CommissionApproved)), Tone: ui.ToneInfo},
		ui.Metric{Label: l.T("tile.earned"), Value: money(o.CommissionPaid), Hint: l.N("tile.earned-hint", o.DealsWon, "Value", money(o.WonValue)), Tone: ui.ToneSuccess},
	}}
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
	o, err := sp.GetOverview.Call(ctx, req.Host, sp.OverviewQuery{Part: "figures"})
	if err != nil {
		return nil, err
	}
	l := words(req.Viewer)
	title := l.T("pipeline.title")
	if req.Viewer.Staff() {
		title = l.T("pipeline.title-staff")
	}
	return ui.Stack{Children: ui.Children{ui.Heading{Text: title, Level: 2}, Metrics(l, o),
		ui.Card{Title: l.T("pipeline.by-status"), Body: ui.Children{StatusList(l, o)}}}}, nil
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
