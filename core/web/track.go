package web

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/atriumhq/atrium/core/catalog"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/sdk"
	sdkengagement "github.com/atriumhq/atrium/sdk/engagement"
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

// Beacon limits: a batch is small, and one user records at most
// beaconRate events a minute (a burst of beaconBurst).
const (
	beaconMaxBytes = 32 << 10
	beaconMaxBatch = 50
	beaconRate     = 120.0
	beaconBurst    = 120.0
)

// beaconActions are the actions only the browser sees. Page views and the
// actions the server handles itself are never taken from a beacon.
var beaconActions = map[string]bool{
	engagement.ActionVideoPlay: true, engagement.ActionLinkClick: true, engagement.ActionImageView: true,
	engagement.ActionPDFOpen: true, engagement.ActionSearch: true, engagement.ActionDownload: true,
}

// beaconEvent is one action in a beacon. There is no user field: the
// signed-in user is always the one recorded.
type beaconEvent struct {
	Room     string          `json:"room"`
	Block    string          `json:"block"`
	Name     string          `json:"name"`
	Resource int64           `json:"resource,omitempty"`
	Path     string          `json:"path,omitempty"`
	Meta     json.RawMessage `json:"meta,omitempty"`
}

// beaconLimiter is a token bucket per user.
type beaconLimiter struct {
	mu      sync.Mutex
	buckets map[int64]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// take reports whether the user may record n more events now.
func (l *beaconLimiter) take(user int64, n int, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil || len(l.buckets) > 100_000 {
		l.buckets = map[int64]*bucket{} // forget everyone rather than grow without bound
	}
	b := l.buckets[user]
	if b == nil {
		b = &bucket{tokens: beaconBurst, at: now}
		l.buckets[user] = b
	}
	b.tokens = min(beaconBurst, b.tokens+now.Sub(b.at).Minutes()*beaconRate)
	b.at = now
	if b.tokens < float64(n) {
		return false
	}
	b.tokens -= float64(n)
	return true
}

// beacon takes a batch of actions from the page's script
// (navigator.sendBeacon). It is safe against cross-site requests: it wants
// a JSON body, which a cross-site form cannot send and a cross-site script
// cannot send without a preflight this server never allows, and it refuses
// requests whose Origin or Sec-Fetch-Site say they come from elsewhere.
// Every event must name a room and block the viewer sees; one that does
// not refuses the whole batch, so a page cannot record for what it cannot
// show.
func (s *Server) beacon(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !sameOrigin(r) {
		http.Error(w, "cross-site beacon refused", http.StatusForbidden)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		http.Error(w, "send application/json", http.StatusUnsupportedMediaType)
		return
	}
	var evs []beaconEvent
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, beaconMaxBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&evs); err != nil {
		http.Error(w, "a beacon is a JSON array of {room, block, name, resource, path, meta}", http.StatusBadRequest)
		return
	}
	if len(evs) > beaconMaxBatch {
		http.Error(w, fmt.Sprintf("at most %d events in a beacon", beaconMaxBatch), http.StatusRequestEntityTooLarge)
		return
	}
	if p.Staff() || len(evs) == 0 {
		w.WriteHeader(http.StatusNoContent) // staff use is not a partner's engagement
		return
	}
	snap := s.catalog.Current()
	v := p.Viewer()
	out := make([]engagement.Event, 0, len(evs))
	for i, be := range evs {
		rm, ok := snap.Visible(v, be.Room)
		if !ok || !s.seesBlock(rm, v, snap, be.Block) {
			http.Error(w, fmt.Sprintf("event %d: no such room and block", i+1), http.StatusNotFound)
			return
		}
		if !beaconActions[be.Name] {
			http.Error(w, fmt.Sprintf("event %d: %q is not an action a page records", i+1, be.Name), http.StatusBadRequest)
			return
		}
		path := be.Path
		if !strings.HasPrefix(path, "/rooms/"+rm.Slug) {
			path = "/rooms/" + rm.Slug
		}
		ev := engagement.Event{UserID: v.UserID, PartnerID: v.PartnerID(), Kind: engagement.Action, Name: be.Name, RoomID: rm.ID,
			RoomSlug: rm.Slug, BlockID: be.Block, ResourceID: be.Resource, Path: path, Meta: be.Meta}
		if err := engagement.Validate(ev); err != nil {
			http.Error(w, fmt.Sprintf("event %d: %v", i+1, err), http.StatusBadRequest)
			return
		}
		out = append(out, ev)
	}
	if !s.beacons.take(v.UserID, len(out), time.Now()) {
		w.Header().Set("Retry-After", "30")
		http.Error(w, "too many events; slow down", http.StatusTooManyRequests)
		return
	}
	if s.Events != nil {
		s.Events.RecordBatch(out)
	}
	w.WriteHeader(http.StatusNoContent)
}

// seesBlock reports whether a block of a room is shown to the viewer (its
// own audience admits them). "item" is the item page a room type draws.
func (s *Server) seesBlock(rm *room.Room, v sdk.Viewer, snap *catalog.Snapshot, id string) bool {
	if id == "item" && rm.Type != "" {
		return true
	}
	for _, b := range s.Renderer.Blocks(rm, v, snap.Program) {
		if b.ID == id {
			return true
		}
	}
	return false
}

// sameOrigin refuses requests a browser marks as coming from another site.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return false
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	return true
}

// recordAction is the host call engagement.actions.record: a block or room
// type records an action of its viewer in a room and block that viewer
// sees.
func (s *Server) recordAction(_ context.Context, c host.Caller, a sdkengagement.Action) (sdkengagement.Recorded, error) {
	v := c.Viewer
	if v.Preview || v.PartnerID() == 0 || v.UserID <= 0 {
		return sdkengagement.Recorded{}, nil
	}
	snap := s.catalog.Current()
	rm, ok := snap.Visible(v, a.Room)
	if !ok || !s.seesBlock(rm, v, snap, a.Block) {
		return sdkengagement.Recorded{}, sdk.ErrNotFound
	}
	ev := engagement.Event{UserID: v.UserID, PartnerID: v.PartnerID(), Kind: engagement.Action, Name: a.Name, RoomID: rm.ID,
		RoomSlug: rm.Slug, BlockID: a.Block, ResourceID: a.ResourceID, Path: "/rooms/" + rm.Slug, Meta: a.Meta}
	if err := engagement.Validate(ev); err != nil {
		return sdkengagement.Recorded{}, sdk.InvalidInput("The action cannot be recorded.", map[string]string{"action": err.Error()})
	}
	if s.Events == nil {
		return sdkengagement.Recorded{}, nil
	}
	s.Events.Record(ev)
	return sdkengagement.Recorded{Recorded: true}, nil
}
