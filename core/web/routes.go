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
		unbounded(rt("GET", "/healthz", Public, s.healthz)),
		unbounded(rt("GET", "/readyz", Public, s.readyz)),
		rt("GET", "/manifest.webmanifest", Public, s.manifest),
		unbounded(rt("GET", "/metrics", Public, s.metrics)), // admins, or the allowed networks
		rt("GET", "/login", Public, s.loginForm),
		rt("POST", "/login", Public, s.login),
		rt("POST", "/logout", SignedIn, s.logout),
		rt("GET", "/api/docs", Public, s.apiDocs),
		rt("GET", "/invite/{token}", Public, s.inviteForm),
		rt("POST", "/invite/{token}", Public, s.acceptInvite),

		rt("GET", "/account", SignedIn, s.account),
		rt("POST", "/account/language", SignedIn, s.setLanguage),

		rt("GET", "/notifications", SignedIn, s.notifications),
		rt("GET", "/notifications/{id}", SignedIn, s.openNotification),
		rt("POST", "/notifications/read-all", SignedIn, s.readAllNotifications),
		rt("POST", "/notifications/preferences", SignedIn, s.notificationPrefs),

		rt("GET", "/rooms/{slug}", SignedIn, s.room),
		rt("POST", "/rooms/{slug}/blocks/{block}/actions/{action}", SignedIn, s.action),
		rt("GET", "/rooms/{slug}/items/{path...}", SignedIn, s.item),
		rt("POST", "/track", SignedIn, s.beacon),
		unbounded(script(rt("GET", "/events", SignedIn, s.events))),

		unbounded(rt("GET", "/files/{id}/download", SignedIn, s.download)),
		unbounded(rt("GET", "/files/{id}/versions/{n}/download", SignedIn, s.download)),
		rt("GET", "/files/{id}/versions/new", SignedIn, s.versionForm),
		unbounded(rt("POST", "/files/{id}/versions", SignedIn, s.addVersion)),
		rt("GET", "/files/{id}/comments", SignedIn, s.commentForm),
		rt("POST", "/files/{id}/comments", SignedIn, s.addComment),
		rt("GET", "/spaces/{partner}/upload", SignedIn, s.spaceUploadForm),
		unbounded(rt("POST", "/spaces/{partner}/files", SignedIn, s.spaceUpload)),

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
		rt("POST", "/admin/users/{id}/permissions", Admin, s.setPermission),
		rt("GET", "/admin/rooms", Staff, s.rooms),
		rt("GET", "/admin/rooms/{name}/preview", Staff, s.preview),
		// The room builder: every manager edits drafts and asks for
		// reviews; publishing, rolling back, deleting and ordering the
		// navigation need rooms.publish (checked in the handlers: 403).
		rt("GET", "/admin/rooms/new", Staff, s.newRoom),
		rt("POST", "/admin/rooms", Staff, s.createRoom),
		rt("GET", "/admin/rooms/navigation", Staff, s.navigation),
		rt("POST", "/admin/rooms/markdown", Staff, s.markdownPreview),
		rt("POST", "/admin/rooms/navigation", Staff, s.moveInNavigation),
		rt("GET", "/admin/rooms/{name}/edit", Staff, s.editRoom),
		rt("POST", "/admin/rooms/{name}/settings", Staff, s.saveSettings),
		rt("POST", "/admin/rooms/{name}/blocks", Staff, s.addBlock),
		rt("POST", "/admin/rooms/{name}/blocks/{block}", Staff, s.saveBlock),
		rt("POST", "/admin/rooms/{name}/blocks/{block}/move", Staff, s.moveBlock),
		rt("POST", "/admin/rooms/{name}/blocks/{block}/preview", Staff, s.previewBlock),
		rt("POST", "/admin/rooms/{name}/blocks/{block}/duplicate", Staff, s.duplicateBlock),
		rt("POST", "/admin/rooms/{name}/blocks/{block}/remove", Staff, s.removeBlock),
		rt("POST", "/admin/rooms/{name}/publish", Staff, s.publishRoom),
		rt("POST", "/admin/rooms/{name}/review", Staff, s.requestReview),
		rt("POST", "/admin/rooms/{name}/discard", Staff, s.discardDraft),
		rt("GET", "/admin/rooms/{name}/history", Staff, s.roomHistory),
		rt("GET", "/admin/rooms/{name}/diff", Staff, s.roomDiff),
		rt("POST", "/admin/rooms/{name}/revisions/{number}/restore", Staff, s.restoreRevision),
		rt("POST", "/admin/rooms/{name}/revisions/{number}/rollback", Staff, s.rollbackRevision),
		rt("GET", "/admin/rooms/{name}/template", Admin, s.saveTemplatePage),
		rt("POST", "/admin/rooms/{name}/template", Admin, s.saveTemplate),
		rt("GET", "/admin/rooms/{name}/delete", Staff, s.deleteRoomPage),
		rt("POST", "/admin/rooms/{name}/delete", Staff, s.deleteRoom),
		rt("GET", "/admin/plugins", Admin, s.plugins),
		rt("POST", "/admin/plugins/{vendor}/{name}/enable", Admin, s.setPlugin(true)),
		rt("POST", "/admin/plugins/{vendor}/{name}/disable", Admin, s.setPlugin(false)),
		rt("GET", "/admin/plugins/{vendor}/{name}/settings", Admin, s.pluginSettings),
		rt("POST", "/admin/plugins/{vendor}/{name}/settings", Admin, s.pluginSettings),
		rt("GET", "/admin/library", Staff, s.libraryPage),
		rt("GET", "/admin/spaces", Staff, s.spaces),
		rt("GET", "/admin/spaces/{partner}", Staff, s.spaces),
		rt("GET", "/admin/files/{id}", Staff, s.spaceFile),
		rt("POST", "/admin/library", Staff, s.libraryUpload),
		rt("GET", "/admin/library/{id}", Staff, s.resourcePage),
		rt("POST", "/admin/library/{id}", Staff, s.moveResource),
		rt("POST", "/admin/library/{id}/archive", Staff, s.archiveResource),
		rt("GET", "/admin/tasks", Staff, s.taskReport),
		rt("GET", "/admin/program", Staff, s.programPage), // managers read; admins change
		rt("POST", "/admin/program/rules", Admin, s.saveRule),
		rt("POST", "/admin/program/rules/{id}/delete", Admin, s.deleteRule),
		rt("POST", "/admin/program/stages", Admin, s.saveStages),
		rt("POST", "/admin/program/fields", Admin, s.saveFields),
		rt("GET", "/admin/contacts", Admin, s.vendorContacts),
		rt("POST", "/admin/contacts", Admin, s.addVendorContact),
		rt("POST", "/admin/contacts/{id}/delete", Admin, s.removeVendorContact),
		rt("GET", "/admin/work/{type}", Staff, s.workRoom),
		rt("GET", "/admin/work/{type}/items/{path...}", Staff, s.workItem),
		rt("POST", "/admin/work/{type}/blocks/{block}/actions/{action}", Staff, s.workAction),
		rt("GET", "/admin/work/{type}/as/{partner}", Staff, s.workRoomAs),
		rt("GET", "/admin/work/{type}/as/{partner}/items/{path...}", Staff, s.workItemAs),
		rt("GET", "/admin/dashboard", Staff, s.dashboard),
		rt("GET", "/admin/dashboard/export/{table}", Staff, s.dashboardExport),
		rt("GET", "/projects/export.csv", Staff, s.projectsExport),
		rt("GET", "/network/export.csv", SignedIn, s.networkExport),
	}
}

// unbounded marks a route that skips admission (see Route.Unbounded).
func unbounded(r Route) Route {
	r.Unbounded = true
	return r
}

// script marks a route that scripts call (see Route.Script).
func script(r Route) Route {
	r.Script = true
	return r
}
