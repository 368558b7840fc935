package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/sdk"
)

// The portal's side of live updates: the event stream's route, the counts
// beside rooms in the navigation, and the topics a page follows. The
// stream itself (Options.Events) and the script that reads it live
// elsewhere; these are the hooks they meet.

// eventsPath is the live stream's URL.
const eventsPath = "/events"

// events hands a signed-in user's request to the live stream. The route's
// guard has checked the session (a deactivated user has none); staff get
// their stream too.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	if s.opt.Events == nil {
		w.WriteHeader(http.StatusNoContent) // an EventSource stops reconnecting
		return
	}
	s.opt.Events(w, r, principal(r).User.ID)
}

// liveURL is the stream a page opens: none for visitors, previews, or when
// the portal has no stream.
func (s *Server) liveURL(p *Principal, preview bool) string {
	if s.opt.Events == nil || p == nil || preview {
		return ""
	}
	return eventsPath
}

// badgeTimeout bounds a navigation count: a slow count shows nothing
// rather than holding the page.
const badgeTimeout = 300 * time.Millisecond

// badgeCount is what a room type's Badge method answers.
type badgeCount struct {
	Count int `json:"count"`
}

// badges counts, as v, what waits in each navigation room whose type has a
// Badge: one call per room type, all at once, under badgeTimeout. A count
// that fails or is late is left out (logged at debug): the page never
// waits on or breaks for it. The answer is by room type.
func (s *Server) badges(ctx context.Context, v sdk.Viewer, rooms []*room.Room) map[string]int {
	if s.Hosts == nil || s.Registry == nil || v.Preview {
		return nil
	}
	types := make([]string, 0, len(rooms))
	for _, rm := range rooms {
		types = append(types, rm.Type)
	}
	return s.typeBadges(ctx, v, types)
}

// typeBadges calls the Badge method of each room type that has one, as
// the viewer, at once and under one short deadline.
func (s *Server) typeBadges(ctx context.Context, v sdk.Viewer, types []string) map[string]int {
	if s.Hosts == nil || s.Registry == nil || v.Preview {
		return nil
	}
	type badge struct {
		method string
		host   sdk.Host
	}
	methods := map[string]badge{} // room type → its method, called as whom
	for _, typ := range types {
		if typ == "" {
			continue
		}
		if rt, ok := s.Registry.RoomType(typ); ok && rt.Info.Badge != "" {
			methods[typ] = badge{rt.Info.Badge, s.badgeHost(v, rt.Plugin)}
		}
	}
	if len(methods) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, badgeTimeout)
	defer cancel()
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string]int, len(methods))
	)
	for typ, b := range methods {
		wg.Go(func() {
			var c badgeCount
			if err := callBadge(ctx, b.host, b.method, &c); err != nil {
				s.Log.Debug("navigation count failed", "room type", typ, "method", b.method, "err", err)
				return
			}
			mu.Lock()
			out[typ] = max(c.Count, 0)
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// badgeHost is whom a room type's Badge method is called as: the viewer,
// with no more than the plugin's manifest grants when an installed plugin
// declares it (a badge must not reach what its plugin may not), and with
// every permission for a built-in type.
func (s *Server) badgeHost(v sdk.Viewer, plugin string) sdk.Host {
	if s.Plugins != nil {
		for _, st := range s.Plugins.List() {
			if st.ID == plugin {
				return s.Hosts.ForPlugin(v, plugin, st.Permissions)
			}
		}
	}
	return s.host(v)
}

// callBadge calls a Badge method, containing a panic.
func callBadge(ctx context.Context, h sdk.Host, method string, c *badgeCount) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%s panicked: %v", method, v)
		}
	}()
	return h.Call(ctx, method, struct{}{}, c)
}

// maxTopics bounds the topics a page follows.
const maxTopics = 16

// liveTopics joins the topics a page follows for its data-live-topic
// attribute: a topic is one word of at most 100 bytes (anything else is
// dropped, since the attribute is space-separated), each kept once.
func liveTopics(lists ...[]string) string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lists {
		for _, t := range l {
			if t == "" || len(t) > 100 || strings.ContainsFunc(t, unicode.IsSpace) || seen[t] || len(out) == maxTopics {
				continue
			}
			seen[t] = true
			out = append(out, t)
		}
	}
	return strings.Join(out, " ")
}

// roomTopics are the topics a room's own page follows, from its type.
func (s *Server) roomTopics(typ string) []string {
	if typ == "" || s.Registry == nil {
		return nil
	}
	if rt, ok := s.Registry.RoomType(typ); ok {
		return rt.Info.LiveTopics
	}
	return nil
}
