package engagement

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// Kind says whether an event is a page view or an action.
type Kind string

// The kinds of event.
const (
	PageView Kind = "page_view"
	Action   Kind = "action"
)

// Page view names.
const (
	PageRoom = "room" // a room page
	PageItem = "item" // an item page (a resource, a deal, a lead, ...)
)

// Action names the portal records. Block and room types may record others
// that follow the same spelling (lowercase letters, digits, underscores).
const (
	ActionVideoPlay    = "video_play"
	ActionDownload     = "download"
	ActionLinkClick    = "link_click"
	ActionImageView    = "image_view"
	ActionPDFOpen      = "pdf_open"
	ActionCardView     = "card_view"
	ActionGoalComplete = "goal_complete"
	ActionSearch       = "search"
)

// Limits on an event's free-text fields. They keep one event small; the web
// layer should reject beacons that exceed them rather than truncate.
const (
	MaxSlugLen  = 100
	MaxBlockLen = 100
	MaxPathLen  = 1000
	MaxMetaLen  = 1024
)

// Event is one page view or action by one user.
type Event struct {
	// At is when it happened; the zero time means now.
	At     time.Time
	UserID int64
	// PartnerID is the user's partner, 0 for staff. Staff events are kept and
	// sessionized but never counted in the partner dashboards.
	PartnerID int64
	Kind      Kind
	// Name is "room" or "item" for a page view, the action for an action
	// ("video_play", "download", ...).
	Name string
	// RoomID and RoomSlug name the room the event happened in, if any. The
	// slug is kept for display once the room is gone.
	RoomID   int64
	RoomSlug string
	BlockID  string
	// ResourceID is the content item the event touched (the item page, the
	// file downloaded, the video played), 0 for none.
	ResourceID int64
	Path       string
	// Meta is a small JSON object with details of the action (a search's
	// result count, a video's position). Nil for none.
	Meta json.RawMessage
}

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// ErrInvalidEvent is wrapped by every error [Validate] returns.
var ErrInvalidEvent = errors.New("invalid engagement event")

// Validate checks an event before it is queued. The web layer calls it on
// beacon events to answer the browser with a precise error; the [Recorder]
// calls it too and drops what fails.
func Validate(ev Event) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidEvent, fmt.Sprintf(format, args...))
	}
	switch {
	case ev.UserID <= 0:
		return bad("user id must be positive")
	case ev.PartnerID < 0:
		return bad("partner id must not be negative")
	case ev.RoomID < 0 || ev.ResourceID < 0:
		return bad("room and resource ids must not be negative")
	case !nameRE.MatchString(ev.Name):
		return bad("name %q must be lowercase letters, digits and underscores", ev.Name)
	case len(ev.RoomSlug) > MaxSlugLen:
		return bad("room slug longer than %d bytes", MaxSlugLen)
	case len(ev.BlockID) > MaxBlockLen:
		return bad("block id longer than %d bytes", MaxBlockLen)
	case len(ev.Path) > MaxPathLen:
		return bad("path longer than %d bytes", MaxPathLen)
	case len(ev.Meta) > MaxMetaLen:
		return bad("meta longer than %d bytes", MaxMetaLen)
	}
	switch ev.Kind {
	case PageView:
		if ev.Name != PageRoom && ev.Name != PageItem {
			return bad("a page view is named %q or %q, not %q", PageRoom, PageItem, ev.Name)
		}
	case Action:
	default:
		return bad("kind %q is neither %q nor %q", ev.Kind, PageView, Action)
	}
	if len(ev.Meta) > 0 {
		var obj map[string]any
		if err := json.Unmarshal(ev.Meta, &obj); err != nil || obj == nil {
			return bad("meta must be a JSON object")
		}
	}
	return nil
}
