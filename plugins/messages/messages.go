// Package messages is the Messages room (room type "messages"):
// conversations between a partner's people and the vendor's staff. Partners
// see their threads, newest first, with what is unread, and start one with
// their partner manager or a named vendor contact; staff work an inbox over
// the partners they reach, unanswered first, assign threads, close and
// reopen them, and message a whole audience as one thread per partner. It
// reaches the conversations only through the host API (sdk/messages), as
// the viewer.
//
//	kind: Room
//	slug: messages
//	type: messages
//	partnerTypes: [referral, reseller, distributor, implementation]
//
// Pages inside the room: items/inbox (the full list, with filters and
// pages), items/new (start a conversation), items/<thread id> (a thread and
// its reply form), items/<thread id>/edit/<message id> (change one's own
// message), items/search?q=… (search) and items/broadcast (staff: message
// partners).
package messages

import (
	"context"
	"encoding/json"

	"github.com/atriumhq/atrium/sdk"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/atriumhq/atrium/sdk/ui"
)

// ID names the plugin.
const ID = "atrium/messages"

// Plugin returns the room type and its inbox block.
func Plugin() sdk.Plugin {
	return sdk.Plugin{ID: ID, Blocks: []sdk.BlockType{inboxBlock{}}, Rooms: []sdk.RoomType{Room{}}}
}

// Room is the Messages room type. It has a staff side: the same inbox,
// drawn for staff over every partner they reach.
type Room struct{}

// Describe names the room type; every Messages room starts with the inbox.
func (Room) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{Name: "messages", Title: "Messages", Icon: "message", OncePerPartnerType: true, StaffView: true,
		Description:   "Conversations between partners and the vendor's team.",
		DefaultBlocks: []sdk.BlockSpec{{ID: "inbox", Type: "message-inbox"}},
		// The navigation counts threads with unread messages, and open
		// lists refresh when any conversation changes.
		Badge: sm.Unread.Name, LiveTopics: []string{"messages"}}
}

// HandleAction serves the forms of the room's pages.
func (Room) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	return act(ctx, req)
}

// inboxBlock is the thread list: a partner's conversations, or the staff
// inbox.
type inboxBlock struct{}

func (inboxBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "message-inbox", Title: "Messages inbox", Icon: "message", SchemaVersion: 1,
		Description:  "The viewer's conversations with unread counts; for staff, the inbox of their partners' conversations.",
		ConfigSchema: json.RawMessage(`{"type":"object","additionalProperties":false}`)}
}

func (inboxBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	q := inboxQuery{}
	page, err := sm.ListThreads.Call(ctx, req.Host, q.threads(req.Viewer.Staff()))
	if err != nil {
		return nil, err
	}
	return inbox(req.Room, req.Viewer, page, q, true), nil
}

// HandleAction serves the forms of the inbox block: start, filter and
// search.
func (inboxBlock) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	return act(ctx, req)
}
