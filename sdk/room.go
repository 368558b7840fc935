package sdk

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/atriumhq/atrium/sdk/ui"
)

// RoomType is a predefined kind of room (Leads, Resources, ...). A room of a
// type is still composed of blocks: the type supplies the blocks a new room
// starts with, and partner managers may add more.
type RoomType interface {
	Describe() RoomInfo
}

// RoomInfo describes a room type.
type RoomInfo struct {
	Name        string `json:"name"` // "leads", or "acme/mdf" for third parties
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Icon        string `json:"icon,omitempty"`
	// OncePerPartnerType is true for predefined rooms: at most one room of
	// this type may serve each partner type.
	OncePerPartnerType bool `json:"oncePerPartnerType"`
	// DefaultBlocks are rendered at the top of every room of this type, before
	// the blocks the room file adds.
	DefaultBlocks []BlockSpec `json:"defaultBlocks,omitempty"`
	// StaffView is true when the room type also has a staff side: staff
	// find it in their navigation and its default blocks render for them at
	// /admin/work/{slug} (see [StaffSlug]), with the viewer's ActsFor set.
	StaffView bool `json:"staffView,omitempty"`
	// Badge, when set, names a host method that counts something waiting
	// for the viewer in rooms of this type ("messages.unread"). It takes
	// struct{} and answers {"count": N}; the portal calls it as the viewer,
	// once per page, with a short deadline, and shows N beside the room in
	// the navigation (nothing when it is 0, fails or is slow). Live updates
	// change the number in place under the room type's name (see
	// themes/default/assets/app.js). External plugins declare it the same
	// way (it travels in the protocol's RoomInfo since sdk/proto added
	// badge); a portal older than that shows no number.
	Badge string `json:"badge,omitempty"`
	// LiveTopics are the topics the room's own page follows: when the
	// portal announces an event on one of them, open pages of the room
	// refresh their content ("messages"). Item pages name their own (see
	// [Page]). External plugins declare them too; a portal older than
	// the protocol's live_topics field ignores them, and the page simply
	// does not refresh itself.
	LiveTopics []string `json:"liveTopics,omitempty"`
}

// StaffSlug is the URL form of a room type name on the staff side: the
// vendor's slash becomes a dot ("acme/mdf" is "acme.mdf"), which names never
// contain otherwise.
func StaffSlug(name string) string { return strings.Replace(name, "/", ".", 1) }

// StaffName is the inverse of [StaffSlug].
func StaffName(slug string) string { return strings.Replace(slug, ".", "/", 1) }

// BlockSpec is a block placed in a room: its type, a stable id unique in the
// room, its config and who may see it.
type BlockSpec struct {
	ID       string          `json:"id"`
	Type     string          `json:"type"`
	Config   json.RawMessage `json:"config,omitempty"`
	Audience Audience        `json:"audience,omitzero"`
}

// ItemRenderer is implemented by room types that serve pages inside their room,
// such as a lead's page at /rooms/leads/items/42. Path is what follows
// /items/ in the URL.
type ItemRenderer interface {
	RenderItem(ctx context.Context, req ItemRequest) (Page, error)
}

// ItemRequest asks a room type for one item page.
type ItemRequest struct {
	Viewer Viewer  `json:"viewer"`
	Room   RoomRef `json:"room"`
	Path   string  `json:"path"`
	// Query holds the page's URL query parameters.
	Query map[string][]string `json:"query,omitempty"`
	Host  Host                `json:"-"`
}

// Page is an item page: a title for the browser and the heading, and a body.
type Page struct {
	Title string       `json:"title"`
	Body  ui.Component `json:"-"`
	// LiveTopics are the topics the page follows ("thread:42"): when the
	// portal announces an event on one of them, the open page refreshes
	// its body. A topic is one word without spaces; at most 16 are kept.
	// They reach the portal from external plugins' pages as well; a
	// portal older than the protocol's live_topics field ignores them.
	LiveTopics []string `json:"liveTopics,omitempty"`
}

// RoomTemplate is a room a plugin offers partner managers to start from in
// the room builder: a title, what it is for, and its blocks (the plugin's
// own block types and any others). The builder lists it beside the
// built-in templates under the plugin's id ("acme/mdf-campaign"); a room
// made from it is an ordinary room, checked like any other when it is
// saved.
type RoomTemplate struct {
	// Name identifies the template within the plugin ("mdf-campaign").
	Name        string      `json:"name"`
	Title       string      `json:"title"`
	Description string      `json:"description,omitempty"`
	Icon        string      `json:"icon,omitempty"`
	Blocks      []BlockSpec `json:"blocks"`
}
