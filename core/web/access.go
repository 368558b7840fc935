package web

import (
	"net/http"

	"github.com/atriumhq/atrium/core/directory"
	principalpkg "github.com/atriumhq/atrium/core/principal"
)

// Access is who may reach a route at all. Handlers then authorise the viewer
// against the object they touch.
type Access int

// Access levels, from open to closed.
const (
	Public   Access = iota // anyone, signed in or not
	SignedIn               // any signed-in user
	Staff                  // admins and partner managers
	Admin                  // admins only
)

func (a Access) String() string {
	return [...]string{"public", "signed-in", "staff", "admin"}[a]
}

// Principal is the signed-in person of a request.
type Principal = principalpkg.Principal

// principal returns the request's signed-in person, or nil.
func principal(r *http.Request) *Principal { return principalpkg.From(r.Context()) }

// allowed reports whether p passes an access level.
func allowed(a Access, p *Principal) bool {
	switch a {
	case Public:
		return true
	case SignedIn:
		return p != nil
	case Staff:
		return p != nil && p.Staff()
	case Admin:
		return p != nil && p.IsAdmin()
	}
	return false
}

// managesPartner reports whether the principal may manage a partner.
func managesPartner(p *Principal, partner directory.Partner) bool { return p.Manages(partner) }
