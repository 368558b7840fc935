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
	"fmt"
	"strconv"
	"time"

	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/ui"
)

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

// Metrics draws the Overview figures as tiles; blocks/analytics draws the
// same answer with the same helper.
func Metrics(o sp.Overview) ui.Component { return sp.Tiles(o) }

// StatusList lists leads by status, in pipeline order.
func StatusList(o sp.Overview) ui.Component {
	l := ui.List{}
	for _, s := range sp.LeadStatuses {
		l.Items = append(l.Items, ui.ListItem{Title: sp.Label(s), Meta: strconv.Itoa(o.LeadsByStatus[s])})
	}
	return l
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
	title := "Your pipeline"
	if req.Viewer.Staff() {
		title = "Your partners' pipeline"
	}
	return ui.Stack{Children: ui.Children{ui.Heading{Text: title, Level: 2}, Metrics(o),
		ui.Card{Title: "Leads by status", Body: ui.Children{StatusList(o)}}}}, nil
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
	item := func(a sp.Activity) ui.ListItem {
		href := ""
		switch a.Kind {
		case "lead":
			href = roomPath(req, "leads") + "/items/" + strconv.FormatInt(a.ID, 10)
		case "deal":
			href = roomPath(req, "deals") + "/items/" + strconv.FormatInt(a.ID, 10)
		}
		return ui.ListItem{Title: a.Title, Description: a.Text, Href: href, Meta: ago(a.At)}
	}
	out := ui.Children{ui.Heading{Text: "Recent activity", Level: 2}}
	if len(items) == 0 {
		return ui.Stack{Children: append(out, ui.Empty{Title: "Nothing yet", Description: "Submitted leads and their progress show up here."})}
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
			it.Badge = &ui.Badge{Text: "New", Tone: ui.ToneInfo}
			fresh.Items = append(fresh.Items, it)
		} else {
			earlier.Items = append(earlier.Items, it)
		}
	}
	since := "Since your last visit, " + ago(*previous)
	if len(fresh.Items) == 0 {
		out = append(out, ui.Text{Text: "Nothing new since your last visit, " + ago(*previous) + ".", Muted: true})
	} else {
		out = append(out, ui.Heading{Text: since, Level: 3}, fresh)
	}
	if len(earlier.Items) > 0 {
		out = append(out, ui.Heading{Text: "Earlier", Level: 3}, earlier)
	}
	return ui.Stack{Children: out}
}

// roomPath links to a sibling room: /rooms/{type} for partners (demo rooms
// use the type as slug), the staff side for staff.
func roomPath(req sdk.RenderRequest, typ string) string {
	if req.Viewer.Staff() {
		return "/admin/work/" + typ
	}
	return "/rooms/" + typ
}

func ago(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", max(int(d.Minutes()), 1))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	case d < 14*24*time.Hour:
		return fmt.Sprintf("%d days ago", int(d.Hours()/24))
	}
	return t.Format("2 Jan 2006")
}
