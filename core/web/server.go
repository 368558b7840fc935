// Package web serves the portal's pages: sign-in, rooms for partners, the
// staff pages under /admin, health and metrics. Every route is declared once
// in a table with its access level, which the authorisation matrix test reads
// so that no route can exist without an entry in the matrix.
package web

import (
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/roomtemplate"

	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/catalog"
	"github.com/atriumhq/atrium/core/contacts"
	"github.com/atriumhq/atrium/core/content"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/network"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/pluginpack"
	"github.com/atriumhq/atrium/core/projects"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/render"
	"github.com/atriumhq/atrium/core/revenue"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/tasks"
	"github.com/atriumhq/atrium/core/theme"
	sdkengagement "github.com/atriumhq/atrium/sdk/engagement"
	"github.com/danielgtaylor/huma/v2"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/uptrace/bun"
)

// Deps are the services the web layer uses.
type Deps struct {
	DB       *bun.DB
	Log      *slog.Logger
	Auth     *auth.Service
	Dir      *directory.Directory
	Catalog  *catalog.Catalog
	Registry *registry.Registry
	Rooms    *room.Service
	// Templates are the rooms the builder starts new ones from: built-in,
	// the program's own and plugins'.
	Templates *roomtemplate.Catalog
	Renderer  *render.Renderer
	Hosts     *host.Factory
	Theme     *theme.Theme
	Metrics   *Metrics
	// Notify keeps the in-app notifications behind the bell.
	Notify *notify.Service
	// Projects serves the staff's CSV export of projects (the Projects
	// room links to it); nil leaves it a 404.
	Projects *projects.Service
	// Network serves a distributor's CSV export of its network (the
	// Distributor room links to it); nil leaves it a 404.
	Network *network.Service
	// NotificationKinds are the kinds a person may choose an email
	// preference for, one by one, on the notifications page.
	NotificationKinds []notify.Kind
	// Contacts keeps the vendor contacts partners see; Tasks checklist
	// completion. Nil leaves their staff pages out.
	Contacts *contacts.Service
	Tasks    *tasks.Service
	// Program keeps the commission rules, deal stages and lead fields
	// (/admin/program); nil leaves the page out.
	Program ProgramSettings
	// API serves /api/ (the REST API); nil leaves it out.
	API http.Handler
	// OpenAPI is the API's document, for the reference page at /api/docs.
	OpenAPI *huma.OpenAPI
	// Plugins, when set, backs the admin plugins page.
	Plugins Plugins
	// PublisherKeys lists the publisher keys the portal trusts, for the
	// plugins page (core/pluginpack.Keys on the plugins folder); nil
	// leaves the list out.
	PublisherKeys func() ([]pluginpack.Key, error)
	// Content serves files, the library and shared spaces; nil leaves the
	// file routes answering 404.
	Content *content.Service
	// StaffRoomTypes are the room types staff work from the staff side
	// (/admin/work/{type}): their blocks and item pages render for a staff
	// viewer, who sees every partner they manage.
	StaffRoomTypes []StaffRoomType
	// Extra are more routes mounted as given (the demo's images).
	Extra map[string]http.Handler
	// Events records page views and actions; nil records nothing.
	Events *engagement.Recorder
	// Reports answers the engagement dashboard; nil hides it.
	Reports *engagement.Reports
	// Revenue answers the dashboard's Revenue & Leads view; nil leaves it
	// an empty state.
	Revenue *revenue.Reports
}

// Options are the operator's settings.
type Options struct {
	// HTTPS says the portal is reached over HTTPS (directly or through a
	// proxy): cookies get Secure and the __Host- prefix.
	HTTPS bool
	// TrustProxy honours X-Forwarded-For and X-Forwarded-Proto from the
	// proxy in front of the portal.
	TrustProxy bool
	// MetricsAllow are the networks that may read /metrics without
	// signing in; admins may always.
	MetricsAllow []netip.Prefix
	// ActionKey signs the state that blocks put in forms and buttons.
	ActionKey []byte
	// BlockTimeout bounds an action handler (default 5s).
	ActionTimeout time.Duration
	// Events, when set, serves a signed-in user's live event stream (a
	// Server-Sent Events hub) at GET /events, and pages tell the browser
	// to open it (<body data-live="/events">). The user is signed in and
	// active; the stream ends with the request's context. Without it
	// /events answers 204, which tells an EventSource not to reconnect.
	Events func(w http.ResponseWriter, r *http.Request, userID int64)
	// Admission bounds the requests served at once (see [Admission]).
	Admission Admission
}

// Server is the portal's HTTP handler.
type Server struct {
	Deps
	opt Options
	// macs are signers (HMACs keyed with opt.ActionKey and their
	// buffers), kept for reuse: a board signs an action for each of its
	// cards.
	macs    sync.Pool
	catalog *catalog.Catalog
	routes  []Route
	handler http.Handler
	// reach answers whose records a viewer reaches.
	reach *reach.Resolver
	// drawn holds the HTML of shared block trees, by the renderer's cache
	// key; it is emptied whenever rooms or the program change.
	drawn *lru.Cache[string, template.HTML]
	// navs holds drawn navigations by their links.
	navs *lru.Cache[string, template.HTML]
	// topbars holds drawn signed-in headers by navigation, brand and viewer.
	topbars *lru.Cache[string, template.HTML]
	// beacons limits how fast each user's pages record actions.
	beacons beaconLimiter
	// gate bounds the pages and API calls served at once.
	gate *gate
}

// Route is one entry of the route table.
type Route struct {
	Method  string
	Pattern string // net/http pattern path, e.g. /rooms/{slug}
	Access  Access
	Handler http.HandlerFunc
	// Script marks a route that scripts call rather than people open: an
	// anonymous caller gets 401, never a redirect to sign in.
	Script bool
	// Unbounded routes skip admission: health checks and metrics must
	// answer when the portal is busiest, and streams and file transfers
	// hold their connection for as long as they last.
	Unbounded bool
}

// New builds the server and its routes.
func New(d Deps, opt Options) (*Server, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if len(opt.ActionKey) < 32 {
		return nil, fmt.Errorf("web: an action signing key of 32 bytes is required")
	}
	if opt.ActionTimeout <= 0 {
		opt.ActionTimeout = 5 * time.Second
	}
	s := &Server{Deps: d, opt: opt, catalog: d.Catalog}
	var refused func()
	if d.Metrics != nil {
		refused = d.Metrics.refused.Inc
	}
	s.gate = newGate(opt.Admission, refused)
	if d.DB != nil {
		s.reach = reach.New(d.DB)
	}
	s.drawn, _ = lru.New[string, template.HTML](10_000)
	s.navs, _ = lru.New[string, template.HTML](1_000)
	s.topbars, _ = lru.New[string, template.HTML](4_096)
	if d.Hosts != nil {
		host.Handle(d.Hosts, sdkengagement.RecordAction, s.recordAction)
	}
	s.routes = s.table()
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.Method+" "+rt.Pattern, s.guard(rt))
	}
	mux.Handle("GET /assets/", d.Theme.Assets())
	if d.API != nil {
		mux.Handle("/api/", s.apiAdmitted(d.API))
	}
	for pattern, h := range d.Extra {
		mux.Handle(pattern, h)
	}
	mux.HandleFunc("/", s.notFound)
	var h http.Handler = mux
	h = s.withLocale(h)
	h = s.loadPrincipal(h)
	h = s.checkText(h)
	h = http.NewCrossOriginProtection().Handler(h)
	h = s.securityHeaders(h)
	h, err := compress(h)
	if err != nil {
		return nil, err
	}
	h = s.recoverPanics(h)
	h = s.observe(h)
	s.handler = h
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes returns the route table (for the authorisation matrix).
func (s *Server) Routes() []Route { return s.routes }

// guard enforces a route's access level: anonymous visitors of a page are
// sent to sign in; signed-in users without access get the same 404 as for a
// page that does not exist, so staff pages do not reveal themselves.
func (s *Server) guard(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := principal(r)
		if !allowed(rt.Access, p) {
			if p == nil && r.Method == http.MethodGet && !rt.Script {
				http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			if p == nil {
				s.errorPage(w, r, http.StatusUnauthorized, tr(r, "error.sign-in-title"), tr(r, "error.session-ended"))
				return
			}
			s.notFound(w, r)
			return
		}
		if !rt.Unbounded && !uploading(r) {
			if !s.gate.enter(r.Context()) {
				s.busy(w, r)
				return
			}
			defer s.gate.leave()
		}
		// The blocks of a page and the calls they make share one reading
		// of the viewer's reach.
		rt.Handler(w, r.WithContext(reach.Memo(r.Context())))
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("handler panicked", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong", "We could not show this page. Please try again.")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// clientIP is the address a request came from: the connection's, or with a
// trusted proxy the last address it appended to X-Forwarded-For.
func (s *Server) clientIP(r *http.Request) string {
	if s.opt.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); ip != "" {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Run serves on addr until ctx ends, then shuts down gracefully.
func Run(ctx context.Context, addr string, h http.Handler, log *slog.Logger, ready func(addr string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads
		WriteTimeout:      5 * time.Minute, // downloads
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// Purge forgets drawn HTML; call it when rooms or the program change.
func (s *Server) Purge() {
	s.drawn.Purge()
	s.navs.Purge()
	s.topbars.Purge()
}
