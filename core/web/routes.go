package web

import "net/http"

// table is every page route with its access level. Keep it the only place
// routes are declared: the authorisation matrix test walks it.
func (s *Server) table() []Route {
	rt := func(method, pattern string, a Access, h http.HandlerFunc) Route {
		return Route{Method: method, Pattern: pattern, Access: a, Handler: func(w http.ResponseWriter, r *http.Request) {
			setRoute(r, method+" "+pattern)
			h(w, r)
		}}
	}
	return []Route{
		rt("GET", "/{$}", Public, s.home),
		rt("GET", "/healthz", Public, s.healthz),
		rt("GET", "/readyz", Public, s.readyz),
		rt("GET", "/metrics", Public, s.metrics), // admins, or the allowed networks
		rt("GET", "/login", Public, s.loginForm),
		rt("POST", "/login", Public, s.login),
		rt("POST", "/logout", SignedIn, s.logout),
		rt("GET", "/api/docs", Public, s.apiDocs),
		rt("GET", "/invite/{token}", Public, s.inviteForm),
		rt("POST", "/invite/{token}", Public, s.acceptInvite),

		rt("GET", "/rooms/{slug}", SignedIn, s.room),
		rt("POST", "/rooms/{slug}/blocks/{block}/actions/{action}", SignedIn, s.action),
		rt("GET", "/rooms/{slug}/items/{path...}", SignedIn, s.item),
		rt("POST", "/track", SignedIn, s.beacon),

		rt("GET", "/admin", Staff, s.adminHome),
		rt("GET", "/admin/partners", Staff, s.partners),
		rt("GET", "/admin/partners/new", Staff, s.newPartner),
		rt("POST", "/admin/partners", Staff, s.createPartner),
		rt("GET", "/admin/partners/{id}", Staff, s.editPartner),
		rt("POST", "/admin/partners/{id}", Staff, s.updatePartner),
		rt("GET", "/admin/users", Staff, s.users),
		rt("GET", "/admin/users/invite", Staff, s.newInvite),
		rt("POST", "/admin/users/invite", Staff, s.invite),
		rt("POST", "/admin/users/{id}/deactivate", Staff, s.setActive(false)),
		rt("POST", "/admin/users/{id}/activate", Staff, s.setActive(true)),
		rt("GET", "/admin/rooms", Staff, s.rooms),
		rt("GET", "/admin/rooms/{name}/preview", Staff, s.preview),
		rt("GET", "/admin/dashboard", Staff, s.dashboard),
		rt("GET", "/admin/dashboard/export/{table}", Staff, s.dashboardExport),
	}
}
