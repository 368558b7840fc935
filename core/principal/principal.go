// Package principal is the signed-in person of a request, shared by the web
// pages and the REST API: the session or bearer token is resolved once, and
// every handler reads the result from the request context.
package principal

import (
	"context"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/sdk"
)

// Principal is a signed-in user and their partner (nil for staff).
type Principal struct {
	User    directory.User
	Partner *directory.Partner
	// Token is the session or API token the request carried, so sign-out
	// can end exactly this session.
	Token string
	// Locale is the language the request is answered in (the person's
	// setting, else their browser's, else the program's), set by the web
	// layer; "" leaves the person's own setting.
	Locale string
}

// Viewer is the principal as the SDK sees them, with the language they
// read.
func (p *Principal) Viewer() sdk.Viewer {
	v := p.User.Viewer(p.Partner)
	if p.Locale != "" {
		v.Locale = p.Locale
	}
	return v
}

// Staff reports whether the principal is an admin or a partner manager.
func (p *Principal) Staff() bool { return p.User.Role.Staff() }

// IsAdmin reports whether the principal is an admin.
func (p *Principal) IsAdmin() bool { return p.User.Role == sdk.RoleAdmin }

// Can reports whether the principal holds a named permission
// (directory.PermPublishRooms, ...): admins hold every one by their role,
// managers those granted to them, partner users none. It is the one check
// pages, API and CLI make, so a rule of who may do what lives here.
func (p *Principal) Can(perm string) bool {
	if p == nil {
		return false
	}
	switch p.User.Role {
	case sdk.RoleAdmin:
		return true
	case sdk.RoleManager:
		return p.User.Active && p.User.Permissions.Has(perm)
	}
	return false
}

type key struct{}

// From returns the principal of a request context, or nil.
func From(ctx context.Context) *Principal {
	p, _ := ctx.Value(key{}).(*Principal)
	return p
}

// With returns a context carrying p.
func With(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, key{}, p)
}
