package web

import (
	"net/http"

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

// can reports whether the signed-in person holds a named permission, read
// with their reach, so a grant or revocation counts at once on every node.
func (s *Server) can(r *http.Request, perm string) bool {
	rc, err := s.reach.For(r.Context(), principal(r).Viewer())
	if err != nil {
		s.Log.Warn("permissions of a staff member", "err", err)
		return false
	}
	return rc.Can(perm)
}

// manages reports whether the signed-in staff member works a partner, by
// the one reach rule: admins every partner, managers theirs.
func (s *Server) manages(r *http.Request, partnerID int64) bool {
	rc, err := s.reach.For(r.Context(), principal(r).Viewer())
	if err != nil {
		s.Log.Warn("reach of a staff member", "err", err)
		return false
	}
	return rc.Manages(partnerID)
}
