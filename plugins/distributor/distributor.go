// Package distributor is the Distributor Partners room (room type
// "distributor"), for partners of the distributor type: the distributor's
// own network of sub-partners. A distributor's people see their
// sub-partners in a directory (cards on a phone, a table on a wider
// screen) with stage, onboarding progress and a performance summary, open
// a read-only page per sub-partner, follow the network's pipeline,
// revenue, commissions and engagement on a dashboard (with a CSV export),
// and its admins invite new sub-partners and follow their invitations. On
// the staff side (/admin/work/distributor) the vendor's managers approve or
// decline the recruit requests of the distributors they manage and open
// those networks. It reaches the network only through the host API
// (sdk/network), as the viewer.
//
//	kind: Room
//	slug: network
//	type: distributor
//	partnerTypes: [distributor]
//
// Pages inside the room:
//
//	items/directory?q=&type=&tier=&stage=&sort=&desc=1&page=&d=   the directory (d: staff name the distributor)
//	items/p/<id>                         a sub-partner, read-only
//	items/dashboard?from=&to=&d=         network performance
//	items/invitations?status=&page=      invitations and their status
//	items/recruit                        invite a sub-partner (the distributor's admins)
//
// Every page works without JavaScript.
package distributor

import (
	"context"
	"encoding/json"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sn "github.com/atriumhq/atrium/sdk/network"
	"github.com/atriumhq/atrium/sdk/ui"
)

// ID names the plugin.
const ID = "atrium/distributor"

// Plugin returns the room type and its network block.
func Plugin() sdk.Plugin {
	return sdk.Plugin{ID: ID, Blocks: []sdk.BlockType{networkBlock{}}, Rooms: []sdk.RoomType{Room{}}}
}

// Room is the Distributor Partners room type. Its staff side is the queue
// of recruit requests and the networks the viewer may open.
type Room struct{}

// Describe names the room type; every Distributor room starts with the
// network's overview.
func (Room) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{Name: "distributor", Title: "Distributor Partners", Icon: "users", OncePerPartnerType: true, StaffView: true,
		Description:   "A distributor's own network: its sub-partners, their onboarding and pipeline, recruiting new ones, and the network's performance.",
		DefaultBlocks: []sdk.BlockSpec{{ID: "network", Type: "network-overview"}}}
}

// HandleAction serves the forms of the room's pages.
func (Room) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	return act(ctx, req)
}

// networkBlock is the network at a glance on the room's page: for a
// distributor its numbers and the first page of its directory; for staff
// the recruit requests waiting and the networks they may open.
type networkBlock struct{}

func (networkBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "network-overview", Title: "Network overview", Icon: "users", SchemaVersion: 1,
		Description:  "A distributor's sub-partners at a glance, with recruiting; for staff, the recruit requests waiting for approval.",
		ConfigSchema: json.RawMessage(`{"type":"object","additionalProperties":false}`)}
}

func (networkBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	w := words(req.Viewer)
	if req.Viewer.Staff() {
		return staffHome(ctx, w, req.Host, req.Room)
	}
	if req.Viewer.Partner == nil || req.Viewer.Partner.ParentID != 0 {
		return ui.Callout{Tone: ui.ToneInfo, Body: w.T("only-distributor")}, nil
	}
	page, err := sn.ListSubPartners.Call(ctx, req.Host, sn.DirectoryQuery{PerPage: 6, Sort: sn.SortJoined, Desc: true})
	if err != nil {
		if isNotFound(err) {
			return ui.Callout{Tone: ui.ToneInfo, Body: w.T("only-distributor")}, nil
		}
		return nil, err
	}
	pending, err := sn.ListInvitations.Call(ctx, req.Host, sn.InvitationQuery{Status: sn.Pending, PerPage: 1})
	if err != nil {
		return nil, err
	}
	return home(w, req.Room, page, pending), nil
}

// HandleAction serves the block's forms.
func (networkBlock) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	return act(ctx, req)
}

// home is the distributor's room page.
func home(w *i18n.Locale, room sdk.RoomRef, page sn.DirectoryPage, pending sn.InvitationPage) ui.Component {
	var onboarding int64
	if len(page.ByStage) > 0 {
		onboarding = page.ByStage[0].N
	}
	var total int64
	for _, c := range page.ByStage {
		total += c.N
	}
	out := ui.Children{ui.Heading{Text: w.T("your-network"), Level: 2}, actions(w, room, page.CanRecruit, 0),
		ui.Columns{Count: 3, Children: ui.Children{
			ui.Metric{Label: w.T("sub-partners"), Value: w.Int(total), Href: dirHref(room, dirQuery{})},
			ui.Metric{Label: w.T("in-onboarding"), Value: w.Int(onboarding), Href: dirHref(room, dirQuery{Stage: stageKey(page.ByStage, 0)})},
			ui.Metric{Label: w.T("pending-invites"), Value: w.Int(int64(pending.Total)), Href: room.Path + "/items/invitations?status=pending"},
		}},
		stageChart(w, page.ByStage)}
	if len(page.SubPartners) == 0 {
		empty := ui.Empty{Title: w.T("no-subs"), Description: w.T("no-subs-help")}
		if page.CanRecruit {
			empty.Action = &ui.Button{Label: w.T("recruit"), Href: room.Path + "/items/recruit", Icon: "plus"}
		}
		return ui.Stack{Children: append(out, empty)}
	}
	out = append(out, ui.Heading{Text: w.T("newest"), Level: 3}, directoryTable(w, room, page.SubPartners, dirQuery{}, false),
		ui.Link{Text: w.T("see-every"), Href: dirHref(room, dirQuery{})})
	return ui.Stack{Children: out}
}

func stageKey(cs []sn.Count, i int) string {
	if i < len(cs) {
		return cs[i].Key
	}
	return ""
}

// actions is the bar of the network's pages; d names the distributor for
// staff.
func actions(w *i18n.Locale, room sdk.RoomRef, canRecruit bool, d int64) ui.Component {
	bar := ui.ActionBar{}
	if canRecruit {
		bar.Buttons = append(bar.Buttons, ui.Button{Label: w.T("recruit"), Href: room.Path + "/items/recruit", Icon: "plus"})
	}
	bar.Buttons = append(bar.Buttons,
		ui.Button{Label: w.T("directory"), Href: dirHref(room, dirQuery{D: d}), Variant: "secondary", Icon: "users"},
		ui.Button{Label: w.T("performance"), Href: dashHref(room, d, "", ""), Variant: "secondary", Icon: "chart"})
	if d == 0 {
		bar.Buttons = append(bar.Buttons, ui.Button{Label: w.T("invitations"), Href: room.Path + "/items/invitations", Variant: "secondary", Icon: "inbox"})
	}
	return bar
}

// stageChart draws the sub-partners per stage as bars.
func stageChart(w *i18n.Locale, cs []sn.Count) ui.Component {
	var most int64 = 1
	for _, c := range cs {
		most = max(most, c.N)
	}
	items := ui.Children{ui.Heading{Text: w.T("by-stage"), Level: 3}}
	for _, c := range cs {
		items = append(items, ui.Progress{Label: c.Label, Value: float64(c.N), Max: float64(most), Text: w.N("count.sub-partners", int(c.N))})
	}
	return ui.Card{Body: items}
}
