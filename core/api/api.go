// Package api is the portal's REST API under /api/v1, built with huma: the
// OpenAPI 3.1 document is generated from the handlers' types and served at
// /api/v1/openapi.json, and the web layer renders a reference page from it at
// /api/docs (no CDN, no script). Callers authenticate with the session
// cookie or a bearer token, and every operation applies the same rules as the
// pages.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/roomtemplate"
	"github.com/atriumhq/atrium/core/telemetry"

	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/catalog"
	"github.com/atriumhq/atrium/core/compliance"
	"github.com/atriumhq/atrium/core/content"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/messages"
	"github.com/atriumhq/atrium/core/network"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/pluginhost"
	"github.com/atriumhq/atrium/core/principal"
	"github.com/atriumhq/atrium/core/projects"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/revenue"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/store"
	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/uptrace/bun"
)

// Deps are the services the API uses.
type Deps struct {
	DB       *bun.DB
	Log      *slog.Logger
	Auth     *auth.Service
	Dir      *directory.Directory
	Rooms    *room.Service
	Registry *registry.Registry
	Catalog  *catalog.Catalog
	// Pipeline serves the leads, deals and commissions operations; nil
	// leaves them out.
	Pipeline *pipeline.Service
	Version  string
	// Plugins, when set, serves /api/v1/plugins.
	Plugins *pluginhost.Manager
	// Content serves the content operations; nil leaves them out.
	Content *content.Service
	// Notify serves /api/v1/notifications; nil leaves them out.
	Notify *notify.Service
	// Reports answers /api/v1/analytics; nil leaves it out.
	Reports *engagement.Reports
	// Revenue answers /api/v1/analytics/revenue; nil leaves it out.
	Revenue *revenue.Reports
	// Templates serves /api/v1/room-templates; nil leaves it out.
	Templates *roomtemplate.Catalog
	// Messages serves /api/v1/messages; nil leaves it out. Its uploads
	// need Content (for the file store), and attachment downloads go
	// through the content operations.
	Messages *messages.Service
	// Projects serves /api/v1/projects; nil leaves it out. Its uploads
	// need Content (for the file store), and deliverable downloads go
	// through the content operations.
	Projects *projects.Service
	// Compliance serves /api/v1/compliance and /api/v1/shares; nil leaves
	// them out. Its uploads need Content (for the file store).
	Compliance *compliance.Service
	// Network serves /api/v1/network; nil leaves it out.
	Network *network.Service
	// Events streams a signed-in caller's live events (core/live); nil
	// leaves /api/v1/events out.
	Events func(w http.ResponseWriter, r *http.Request, userID int64)
}

// Access is who may call an operation at all; handlers then authorise the
// caller against the records they touch.
type Access string

// Access levels.
const (
	SignedIn Access = "signed-in"
	Staff    Access = "staff"
	Admin    Access = "admin"
)

// API is the REST API.
type API struct {
	Deps
	huma    huma.API
	handler http.Handler
	// reach answers whose records a caller reaches.
	reach *reach.Resolver
}

// schemaName names a schema in the OpenAPI document as huma does, except
// that the Projects room's types (sdk/projects) carry a "Projects" prefix:
// their short names (Person, Task, Comment, ...) are taken by other
// capabilities' types.
func schemaName(t reflect.Type, hint string) string {
	name := huma.DefaultSchemaNamer(t, hint)
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.PkgPath() == "github.com/atriumhq/atrium/sdk/projects" {
		return "Projects" + name
	}
	if t.PkgPath() == "github.com/atriumhq/atrium/sdk/compliance" && !strings.HasPrefix(name, "Compliance") {
		return "Compliance" + name
	}
	if t.PkgPath() == "github.com/atriumhq/atrium/sdk/network" {
		return "Network" + name
	}
	return name
}

// New builds the API and registers every operation.
func New(d Deps) *API {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	mux := http.NewServeMux()
	cfg := huma.DefaultConfig("Atrium API", d.Version)
	cfg.Info.Description = "The REST API of the Atrium partner portal. Authenticate with a bearer token " +
		"(`atrium tokens create --email EMAIL`) or the portal's session cookie. Rooms use the same shape as room files."
	cfg.OpenAPIPath = "/api/v1/openapi"
	cfg.DocsPath = ""
	cfg.SchemasPath = "/api/v1/schemas"
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer":  {Type: "http", Scheme: "bearer", Description: "An API token from `atrium tokens create`."},
		"session": {Type: "apiKey", In: "cookie", Name: "atrium_session", Description: "The portal's session cookie."},
	}
	cfg.Security = []map[string][]string{{"bearer": {}}, {"session": {}}}
	cfg.Components.Schemas = huma.NewMapRegistry("#/components/schemas/", schemaName)
	hapi := humago.New(mux, cfg)
	a := &API{Deps: d, huma: hapi}
	if d.DB != nil {
		a.reach = reach.New(d.DB)
	}
	hapi.UseMiddleware(a.authenticate, keepRaw)
	a.registerMe()
	a.registerProgram()
	a.registerRooms()
	a.registerBuilder()
	a.registerTemplates()
	if d.Plugins != nil {
		a.registerPlugins()
	}
	a.registerPartners()
	a.registerUsers()
	a.registerPermissions()
	a.registerContent()
	a.registerNotifications()
	a.registerMessages()
	a.registerProjects()
	a.registerCompliance()
	a.registerNetwork()
	a.registerEvents()
	a.registerPipeline()
	a.registerProgramSettings()
	a.registerAnalytics()
	a.registerRevenue()
	a.handler = mux
	return a
}

// ServeHTTP serves /api/.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }

// OpenAPI returns the generated OpenAPI document.
func (a *API) OpenAPI() *huma.OpenAPI { return a.huma.OpenAPI() }

// Operations lists every operation with its method, path and access level,
// for the authorisation matrix.
func (a *API) Operations() []Operation {
	var out []Operation
	for path, item := range a.huma.OpenAPI().Paths {
		for method, op := range map[string]*huma.Operation{"GET": item.Get, "POST": item.Post, "PUT": item.Put, "PATCH": item.Patch, "DELETE": item.Delete} {
			if op != nil {
				acc, _ := op.Metadata["access"].(Access)
				out = append(out, Operation{Method: method, Path: path, Access: acc, ID: op.OperationID})
			}
		}
	}
	return out
}

// Operation is an API operation as the matrix sees it.
type Operation struct {
	Method, Path, ID string
	Access           Access
}

// op declares an operation with its access level.
func op(id, method, path, summary string, access Access, tags ...string) huma.Operation {
	return huma.Operation{
		OperationID: id, Method: method, Path: path, Summary: summary, Tags: tags,
		Metadata: map[string]any{"access": access},
	}
}

// needs marks an operation as needing a named permission beyond its access
// level (directory.PermPublishRooms, ...). The check runs before the body
// is read, so a caller without it learns nothing from validation.
func needs(o huma.Operation, perm string) huma.Operation {
	o.Metadata["permission"] = perm
	o.Description = strings.TrimSpace(o.Description + " Needs the " + perm + " permission (admins hold every permission).")
	return o
}

// authenticate resolves the caller from the session (already done by the
// web layer) or a bearer token, and enforces the operation's access level.
// Anonymous callers get 401; callers without the level get 404 for staff
// operations, so they do not learn what exists.
func (a *API) authenticate(ctx huma.Context, next func(huma.Context)) {
	telemetry.NameSpan(ctx.Context(), ctx.Operation().Method+" "+ctx.Operation().Path)
	acc, _ := ctx.Operation().Metadata["access"].(Access)
	perm, _ := ctx.Operation().Metadata["permission"].(string)
	p := principal.From(ctx.Context())
	if h := ctx.Header("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			huma.WriteErr(a.huma, ctx, http.StatusUnauthorized, "Use an Authorization: Bearer TOKEN header.")
			return
		}
		u, pt, err := a.Auth.TokenUser(ctx.Context(), strings.TrimSpace(token))
		if err != nil && fail.CodeOf(err) != fail.Unauthorized && fail.CodeOf(err) != fail.NotFound {
			// The token could not be checked: not the caller's fault.
			a.Log.Warn("api token check failed", "err", err)
			ctx.SetHeader("Retry-After", "5")
			huma.WriteErr(a.huma, ctx, http.StatusServiceUnavailable, "The portal cannot reach its database right now; try again in a moment.")
			return
		}
		if err != nil {
			huma.WriteErr(a.huma, ctx, http.StatusUnauthorized, "The API token is invalid, revoked or expired.")
			return
		}
		p = &principal.Principal{User: u, Partner: pt, Token: token}
		ctx = huma.WithContext(ctx, principal.With(ctx.Context(), p))
	}
	// The handlers of one call share one reading of the caller's reach.
	ctx = huma.WithContext(ctx, reach.Memo(ctx.Context()))
	switch {
	case acc == "":
		next(ctx)
	case p == nil:
		ctx.SetHeader("WWW-Authenticate", `Bearer realm="atrium"`)
		huma.WriteErr(a.huma, ctx, http.StatusUnauthorized, "Sign in or send a bearer token.")
	case acc == Staff && !p.Staff(), acc == Admin && !p.IsAdmin():
		huma.WriteErr(a.huma, ctx, http.StatusNotFound, "Not found.")
	case perm != "" && !a.can(ctx.Context(), perm):
		huma.WriteErr(a.huma, ctx, http.StatusForbidden, permissionMessage(perm))
	default:
		next(ctx)
	}
}

// can reports whether the caller holds a named permission, read with their
// reach (so a grant or revocation counts at once, on every node).
func (a *API) can(ctx context.Context, perm string) bool {
	rc, err := a.reach.For(ctx, caller(ctx).Viewer())
	if err != nil {
		a.Log.Warn("permissions of a caller", "err", err)
		return false
	}
	return rc.Can(perm)
}

// caller returns the authenticated principal of a request.
func caller(ctx context.Context) *principal.Principal { return principal.From(ctx) }

// problem turns an error into problem details with the right status; field
// problems become error details located in the request body.
func (a *API) problem(err error) error { return a.roomsProblem(err, false) }

// roomsProblem is problem for operations on rooms. With single, the body is
// one room; otherwise the rooms are at body.rooms[i].
func (a *API) roomsProblem(err error, single bool) error {
	var ve *room.ValidationError
	if errors.As(err, &ve) {
		details := make([]error, 0, len(ve.Problems))
		for _, p := range ve.Problems {
			loc := "body"
			if p.Index >= 0 && !single {
				loc += ".rooms[" + strconv.Itoa(p.Index) + "]"
			}
			if p.Path != "" {
				loc += "." + p.Path
			}
			details = append(details, &huma.ErrorDetail{Location: loc, Message: p.Message})
		}
		return huma.Error422UnprocessableEntity("The rooms are not valid; nothing was changed.", details...)
	}
	e := fail.As(err)
	switch e.Code {
	case fail.Invalid:
		details := make([]error, 0, len(e.Fields))
		for f, m := range e.Fields {
			details = append(details, &huma.ErrorDetail{Location: "body." + f, Message: m})
		}
		return huma.Error422UnprocessableEntity(e.Message, details...)
	case fail.NotFound:
		return huma.Error404NotFound(e.Message)
	case fail.Conflict:
		return huma.Error409Conflict(e.Message)
	case fail.Unauthorized:
		return huma.Error401Unauthorized(e.Message)
	case fail.Forbidden:
		return huma.Error403Forbidden(e.Message)
	case fail.TooMany:
		return huma.Error429TooManyRequests(e.Message)
	}
	if store.Unavailable(err) {
		a.Log.Warn("api request failed: database unavailable", "err", err)
		return huma.Error503ServiceUnavailable("The portal cannot reach its database right now; try again in a moment.")
	}
	a.Log.Error("api request failed", "err", err)
	return huma.Error500InternalServerError("Something went wrong on our side.")
}

// rawJSON decodes a JSON document for embedding in a response, or nil.
func rawJSON(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	var v any
	if json.Unmarshal(b, &v) != nil {
		return nil
	}
	return v
}
