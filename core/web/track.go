package web

import (
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/sdk"
)

// track records an event for a viewer once the page has been written, so a
// page view costs the request one non-blocking channel send. Staff previews
// are never recorded: they are not a partner's use of the portal.
func (s *Server) track(v sdk.Viewer, ev engagement.Event) {
	if s.Events == nil || v.Preview || v.UserID <= 0 {
		return
	}
	ev.UserID, ev.PartnerID = v.UserID, v.PartnerID()
	if len(ev.Path) > engagement.MaxPathLen {
		ev.Path = ev.Path[:engagement.MaxPathLen]
	}
	s.Events.Record(ev)
}

// itemResource reads the resource an item page shows from its path: item
// paths whose first segment is a number name a content item by id
// (/rooms/resources/items/42/brand-kit). Other paths touch no resource.
func itemResource(path string) int64 {
	first, _, _ := strings.Cut(path, "/")
	id, err := strconv.ParseInt(first, 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// actionEventName spells a block's action name as an event name
// ("submit-lead" becomes "submit_lead"); a name that cannot be spelled so
// is recorded as "form_submit".
func actionEventName(name string) string {
	n := strings.ToLower(strings.ReplaceAll(name, "-", "_"))
	if engagement.Validate(engagement.Event{UserID: 1, Kind: engagement.Action, Name: n}) != nil {
		return "form_submit"
	}
	return n
}
