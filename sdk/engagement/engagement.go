// Package engagement is the host API for recording what people do in a
// block or room, so the portal's engagement dashboard counts it: a goal
// completed, a card opened, a file downloaded through the block.
//
//	_, err := engagement.RecordAction.Call(ctx, req.Host, engagement.Action{
//		Room: req.Room.Slug, Block: req.BlockID, Name: "goal_complete"})
//
// The action is recorded for the viewer the host acts as, never for anyone
// else, and only in a room and block that viewer sees; previews by staff are
// not recorded.
package engagement

import (
	"encoding/json"

	"github.com/atriumhq/atrium/sdk"
)

// Action is one action by the host's viewer.
type Action struct {
	// Room is the slug of the room it happened in, and Block the block's id
	// there ("item" for a room type's item page).
	Room  string `json:"room"`
	Block string `json:"block"`
	// Name is the action: the portal's own ("video_play", "download",
	// "link_click", "image_view", "pdf_open", "card_view",
	// "goal_complete", "search") or the block's, spelt the same way
	// (lowercase letters, digits and underscores, at most 40).
	Name string `json:"name"`
	// ResourceID is the content item the action touched, if any.
	ResourceID int64 `json:"resourceId,omitempty"`
	// Meta is a small JSON object (at most 1 KiB) of details.
	Meta json.RawMessage `json:"meta,omitempty"`
}

// Recorded says whether the action was recorded: false for a staff
// preview or a staff member, whose use is not a partner's engagement.
type Recorded struct {
	Recorded bool `json:"recorded"`
}

// RecordAction records an action as the host's viewer. It answers
// sdk.ErrNotFound when the viewer does not see the room or the block, and
// an invalid-input error for a bad name or meta.
var RecordAction = sdk.Method[Action, Recorded]{Name: "engagement.actions.record", Permission: "engagement:record"}
