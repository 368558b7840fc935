package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/sdk"
)

// The admin pages' data. Templates live in the theme as admin-*.html.

// AdminHome is the staff landing page.
type AdminHome struct {
	Partners, Users, Rooms int
	ProgramName            string
	RecentPartners         []directory.Partner
}

// PartnerList is the partners page.
type PartnerList struct {
	Page     directory.Page[directory.Partner]
	Filter   directory.PartnerFilter
	Types    []string
	Tiers    []string
	Stages   []string
	Managers map[int64]string
	Parents  map[int64]string
	Prev     string // URL of the previous page, "" on the first
	Next     string
	CanAdd   bool
	Filtered bool
}

// PartnerForm is the create and edit page of a partner.
type PartnerForm struct {
	ID       int64
	Values   directory.PartnerInput
	Errors   map[string]string
	Types    []string
	Tiers    []string
	Stages   []string
	Managers []directory.User
	Parents  []directory.Partner
	IsAdmin  bool
	Users    []directory.User // the partner's people, on the edit page
}

// UserList is the users page.
type UserList struct {
	// IsAdmin shows the permission switches; only admins grant them.
	IsAdmin  bool
	Page     directory.Page[directory.User]
	Query    string
	Role     string
	Partners map[int64]string
	Prev     string
	Next     string
	Filtered bool
}

// InviteForm is the page to invite a user, and what it shows after.
type InviteForm struct {
	Values       directory.UserInput
	Errors       map[string]string
	Partners     []directory.Partner
	Roles        []RoleOption
	ContactRoles []string
	Link         string // the invitation link, once created
	Expires      time.Time
	InvitedName  string
}

// RoleOption is a role the inviter may give.
type RoleOption struct{ Value, Label string }

// RoomList is the rooms page: where every room stands (published, draft
// changes pending, draft only), then the published rooms per partner type.
type RoomList struct {
	Statuses []RoomStatus
	// Views says whether the statuses carry page views (engagement is on).
	Views   bool
	Groups  []RoomGroup
	Partner string // preview as this partner (slug), when given
	Tiers   []string
	Stages  []string
	Roles   []string
}

// RoomStatus is one room on the rooms page, with its page views in the
// last 30 days among the partners the viewer may count.
type RoomStatus struct {
	room.Status
	Views int64
	// Audience is the room's audience: the published one, or the draft's
	// for a room only a draft.
	Audience sdk.Audience
}

// RoomGroup is the rooms one partner type sees, in navigation order.
type RoomGroup struct {
	PartnerType string
	Rooms       []*room.Room
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	snap := s.catalog.Current()
	f := directory.PartnerFilter{PerPage: 5}
	f.Within = s.managedPartnerIDs(r) // nil for an admin: every partner
	partners, err := s.Dir.ListPartners(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	uf := directory.UserFilter{PerPage: 1}
	if !p.IsAdmin() {
		uf.PartnerIDs = s.managedPartnerIDs(r)
	}
	users, err := s.Dir.ListUsers(r.Context(), uf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.page(w, r, http.StatusOK, "admin-home", tr(r, "admin.home.title"), AdminHome{Partners: partners.Total, Users: users.Total,
		Rooms: len(snap.Rooms), ProgramName: snap.Program.Name, RecentPartners: partners.Items})
}

// managedPartnerIDs lists the partners a manager reaches.
func (s *Server) managedPartnerIDs(r *http.Request) []int64 {
	rc, err := s.reach.For(r.Context(), principal(r).Viewer())
	if err != nil {
		s.Log.Warn("reach of a manager", "err", err)
		return []int64{}
	}
	return rc.IDs()
}

func (s *Server) partners(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	f := directory.PartnerFilter{Query: q.Get("q"), Type: q.Get("type"), Tier: q.Get("tier"), Stage: q.Get("stage"), Page: page}
	f.Within = s.managedPartnerIDs(r) // nil for an admin: every partner
	res, err := s.Dir.ListPartners(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	prog := s.catalog.Current().Program
	data := PartnerList{Page: res, Filter: f, Types: prog.PartnerTypes, Tiers: prog.Tiers, Stages: prog.Stages,
		Managers: map[int64]string{}, Parents: map[int64]string{}, CanAdd: true,
		Filtered: f.Query != "" || f.Type != "" || f.Tier != "" || f.Stage != ""}
	for _, pt := range res.Items {
		if pt.ManagerID != nil {
			if _, ok := data.Managers[*pt.ManagerID]; !ok {
				if u, err := s.Dir.User(r.Context(), *pt.ManagerID); err == nil {
					data.Managers[*pt.ManagerID] = u.Name
				}
			}
		}
		if pt.ParentID != nil {
			if _, ok := data.Parents[*pt.ParentID]; !ok {
				if parent, err := s.Dir.Partner(r.Context(), *pt.ParentID); err == nil {
					data.Parents[*pt.ParentID] = parent.Name
				}
			}
		}
	}
	data.Prev, data.Next = pageLinks(r.URL, res.Page, res.Pages())
	s.page(w, r, http.StatusOK, "admin-partners", tr(r, "admin.partners.title"), data)
}

// pageLinks builds the previous and next page URLs, keeping the filters.
func pageLinks(u *url.URL, page, pages int) (prev, next string) {
	link := func(n int) string {
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		return u.Path + "?" + q.Encode()
	}
	if page > 1 {
		prev = link(page - 1)
	}
	if page < pages {
		next = link(page + 1)
	}
	return
}

func (s *Server) partnerForm(w http.ResponseWriter, r *http.Request, status int, id int64, in directory.PartnerInput, errs map[string]string) {
	p := principal(r)
	prog := s.catalog.Current().Program
	form := PartnerForm{ID: id, Values: in, Errors: errs, Types: prog.PartnerTypes, Tiers: prog.Tiers, Stages: prog.Stages, IsAdmin: p.IsAdmin()}
	if p.IsAdmin() {
		staff, err := s.Dir.ListUsers(r.Context(), directory.UserFilter{Staff: true, PerPage: 200, Active: ptr(true)})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		form.Managers = staff.Items
	}
	pf := directory.PartnerFilter{PerPage: 200}
	pf.Within = s.managedPartnerIDs(r) // nil for an admin: every partner
	parents, err := s.Dir.ListPartners(r.Context(), pf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, pt := range parents.Items {
		if pt.ParentID == nil && pt.ID != id {
			form.Parents = append(form.Parents, pt)
		}
	}
	if id != 0 {
		people, err := s.Dir.ListUsers(r.Context(), directory.UserFilter{PartnerID: id, PerPage: 200})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		form.Users = people.Items
	}
	title := tr(r, "admin.partner.new")
	if id != 0 {
		title = tr(r, "admin.partner.edit", "Name", in.Name)
	}
	s.page(w, r, status, "admin-partner-form", title, form)
}

func (s *Server) newPartner(w http.ResponseWriter, r *http.Request) {
	prog := s.catalog.Current().Program
	in := directory.PartnerInput{Type: first(prog.PartnerTypes), Tier: first(prog.Tiers), Stage: first(prog.Stages)}
	s.partnerForm(w, r, http.StatusOK, 0, in, nil)
}

func (s *Server) createPartner(w http.ResponseWriter, r *http.Request) {
	in, ok := s.readPartner(w, r)
	if !ok {
		return
	}
	pt, err := s.Dir.CreatePartner(r.Context(), in)
	if err != nil {
		s.formError(w, r, err, func(fields map[string]string) { s.partnerForm(w, r, http.StatusUnprocessableEntity, 0, in, fields) })
		return
	}
	s.setFlash(w, r, "success", tr(r, "admin.partners.added", "Name", pt.Name))
	http.Redirect(w, r, fmt.Sprintf("/admin/partners/%d", pt.ID), http.StatusSeeOther)
}

// readPartner reads the partner form. A manager always manages what they
// create or edit; only admins choose the manager.
func (s *Server) readPartner(w http.ResponseWriter, r *http.Request) (directory.PartnerInput, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, tr(r, "error.bad-form-title"), tr(r, "error.bad-form"))
		return directory.PartnerInput{}, false
	}
	f := r.PostForm
	in := directory.PartnerInput{Name: f.Get("name"), Slug: strings.TrimSpace(f.Get("slug")), Type: f.Get("type"), Tier: f.Get("tier"),
		Stage: f.Get("stage"), LogoURL: strings.TrimSpace(f.Get("logoUrl")), ManagerID: idOrNil(f.Get("managerId")), ParentID: idOrNil(f.Get("parentId"))}
	if p := principal(r); !p.IsAdmin() {
		in.ManagerID = &p.User.ID
		if in.ParentID != nil {
			parent, err := s.Dir.Partner(r.Context(), *in.ParentID)
			if err != nil || !s.manages(r, parent.ID) {
				in.ParentID = nil
			}
		}
	}
	return in, true
}

func (s *Server) editPartner(w http.ResponseWriter, r *http.Request) {
	pt, ok := s.managedPartner(w, r)
	if !ok {
		return
	}
	in := directory.PartnerInput{Name: pt.Name, Slug: pt.Slug, Type: pt.Type, Tier: pt.Tier, Stage: pt.Stage,
		ManagerID: pt.ManagerID, ParentID: pt.ParentID, LogoURL: pt.LogoURL}
	s.partnerForm(w, r, http.StatusOK, pt.ID, in, nil)
}

func (s *Server) updatePartner(w http.ResponseWriter, r *http.Request) {
	pt, ok := s.managedPartner(w, r)
	if !ok {
		return
	}
	in, ok := s.readPartner(w, r)
	if !ok {
		return
	}
	if _, err := s.Dir.UpdatePartner(r.Context(), pt.ID, in); err != nil {
		s.formError(w, r, err, func(fields map[string]string) { s.partnerForm(w, r, http.StatusUnprocessableEntity, pt.ID, in, fields) })
		return
	}
	s.setFlash(w, r, "success", tr(r, "admin.common.saved"))
	http.Redirect(w, r, fmt.Sprintf("/admin/partners/%d", pt.ID), http.StatusSeeOther)
}

// managedPartner loads the partner of the URL if the principal manages it;
// otherwise it answers 404.
func (s *Server) managedPartner(w http.ResponseWriter, r *http.Request) (directory.Partner, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return directory.Partner{}, false
	}
	pt, err := s.Dir.Partner(r.Context(), id)
	if err != nil || !s.manages(r, pt.ID) {
		s.notFound(w, r)
		return directory.Partner{}, false
	}
	return pt, true
}

func (s *Server) users(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	f := directory.UserFilter{Query: q.Get("q"), Role: sdk.Role(q.Get("role")), Page: page}
	if !p.IsAdmin() {
		f.PartnerIDs = s.managedPartnerIDs(r)
	}
	res, err := s.Dir.ListUsers(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := UserList{IsAdmin: p.IsAdmin(), Page: res, Query: f.Query, Role: string(f.Role), Partners: map[int64]string{}, Filtered: f.Query != "" || f.Role != ""}
	for _, u := range res.Items {
		if u.PartnerID != nil {
			if _, ok := data.Partners[*u.PartnerID]; !ok {
				if pt, err := s.Dir.Partner(r.Context(), *u.PartnerID); err == nil {
					data.Partners[*u.PartnerID] = pt.Name
				}
			}
		}
	}
	data.Prev, data.Next = pageLinks(r.URL, res.Page, res.Pages())
	s.page(w, r, http.StatusOK, "admin-users", tr(r, "admin.users.title"), data)
}

func (s *Server) inviteForm2(w http.ResponseWriter, r *http.Request, status int, form InviteForm) {
	p := principal(r)
	pf := directory.PartnerFilter{PerPage: 200}
	pf.Within = s.managedPartnerIDs(r) // nil for an admin: every partner
	partners, err := s.Dir.ListPartners(r.Context(), pf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form.Partners = partners.Items
	form.ContactRoles = s.catalog.Current().Program.ContactRoles
	form.Roles = []RoleOption{{string(sdk.RolePartnerUser), tr(r, "admin.role.partner_user")}, {string(sdk.RolePartnerAdmin), tr(r, "admin.role.partner_admin")}}
	if p.IsAdmin() {
		form.Roles = append(form.Roles, RoleOption{string(sdk.RoleManager), tr(r, "admin.invite.role-manager")}, RoleOption{string(sdk.RoleAdmin), tr(r, "admin.role.admin")})
	}
	s.page(w, r, status, "admin-invite", tr(r, "admin.invite.title"), form)
}

func (s *Server) newInvite(w http.ResponseWriter, r *http.Request) {
	in := directory.UserInput{Role: sdk.RolePartnerUser, PartnerID: idOrNil(r.URL.Query().Get("partner"))}
	s.inviteForm2(w, r, http.StatusOK, InviteForm{Values: in})
}

// invite creates a user and an invitation link. Managers may invite only
// partner users and partner admins of their own partners.
func (s *Server) invite(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, tr(r, "error.bad-form-title"), tr(r, "error.bad-form"))
		return
	}
	f := r.PostForm
	in := directory.UserInput{Email: f.Get("email"), Name: f.Get("name"), Role: sdk.Role(f.Get("role")), ContactRole: f.Get("contactRole"),
		PartnerID: idOrNil(f.Get("partnerId")), Title: f.Get("title"), Phone: f.Get("phone")}
	if in.Role.Staff() {
		in.PartnerID = nil
	}
	fields := map[string]string{}
	if !p.IsAdmin() {
		if in.Role.Staff() {
			fields["role"] = tr(r, "admin.invite.staff-only-admins")
		}
		if in.PartnerID != nil {
			if pt, err := s.Dir.Partner(r.Context(), *in.PartnerID); err != nil || !s.manages(r, pt.ID) {
				fields["partnerId"] = tr(r, "admin.invite.your-partners")
			}
		}
	}
	if len(fields) > 0 {
		s.inviteForm2(w, r, http.StatusUnprocessableEntity, InviteForm{Values: in, Errors: fields})
		return
	}
	u, err := s.Dir.CreateUser(r.Context(), in)
	if err != nil {
		s.formError(w, r, err, func(fields map[string]string) {
			s.inviteForm2(w, r, http.StatusUnprocessableEntity, InviteForm{Values: in, Errors: fields})
		})
		return
	}
	token, expires, err := s.Auth.Invite(r.Context(), u.ID, p.User.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.inviteForm2(w, r, http.StatusOK, InviteForm{Values: directory.UserInput{Role: sdk.RolePartnerUser, PartnerID: in.PartnerID},
		Link: s.absolute(r, "/invite/"+token), Expires: expires, InvitedName: u.Name})
}

// absolute turns a path into a URL on the host the request came to.
func (s *Server) absolute(r *http.Request, path string) string {
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

// setActive deactivates or reactivates a user: admins any user but
// themselves, managers the people of their partners.
func (s *Server) setActive(active bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principal(r)
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			s.notFound(w, r)
			return
		}
		u, err := s.Dir.User(r.Context(), id)
		if err != nil || !s.managesUser(r, u) {
			s.notFound(w, r)
			return
		}
		if u.ID == p.User.ID {
			s.setFlash(w, r, "warning", tr(r, "admin.users.self"))
			http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
			return
		}
		if err := s.Dir.SetActive(r.Context(), id, active); err != nil {
			s.fail(w, r, err)
			return
		}
		s.Auth.Forget(id) // cut off at once, not after the session cache

		msg := "admin.users.now-deactivated"
		if active {
			msg = "admin.users.now-active"
		}
		s.setFlash(w, r, "success", tr(r, msg, "Name", u.Name))
		http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
	}
}

func (s *Server) managesUser(r *http.Request, u directory.User) bool {
	p := principal(r)
	if p.IsAdmin() {
		return true
	}
	if u.PartnerID == nil {
		return false
	}
	pt, err := s.Dir.Partner(r.Context(), *u.PartnerID)
	return err == nil && s.manages(r, pt.ID)
}

func (s *Server) rooms(w http.ResponseWriter, r *http.Request) {
	snap := s.catalog.Current()
	data := RoomList{Tiers: snap.Program.Tiers, Stages: snap.Program.Stages, Roles: snap.Program.ContactRoles, Partner: r.URL.Query().Get("partner")}
	for _, pt := range snap.Program.PartnerTypes {
		g := RoomGroup{PartnerType: pt}
		for _, rm := range snap.Rooms {
			if rm.Serves(pt) {
				g.Rooms = append(g.Rooms, rm)
			}
		}
		data.Groups = append(data.Groups, g)
	}
	statuses, err := s.Rooms.Statuses(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	views := s.roomViews(r)
	data.Views = views != nil
	for _, st := range statuses {
		rs := RoomStatus{Status: st}
		if rm, ok := snap.Room(first(st.PartnerTypes), st.Slug); ok && rm.Name == st.Name {
			rs.Views = views[rm.ID]
		}
		if rm, ok := snap.ByName(st.Name); ok {
			rs.Audience = rm.Audience
		} else if d, err := s.Rooms.Draft(r.Context(), st.Name); err == nil {
			rs.Audience = d.Room.Audience
		}
		data.Statuses = append(data.Statuses, rs)
	}
	s.page(w, r, http.StatusOK, "admin-rooms", "Rooms", data)
}

// roomViews counts each room's page views (by room id) in the last 30 days
// among the partners the viewer may count; nil when engagement is off or
// the count fails (the page shows the rooms without it).
func (s *Server) roomViews(r *http.Request) map[int64]int64 {
	if s.Reports == nil {
		return nil
	}
	ctx := r.Context()
	sc, err := s.viewerScope(ctx, principal(r))
	if err != nil {
		s.Log.Warn("room views: scope", "err", err)
		return nil
	}
	to := time.Now().In(s.Reports.Location()).AddDate(0, 0, 1)
	rows, err := s.Reports.TopContent(ctx, engagement.Filter{From: to.AddDate(0, 0, -30), To: to, Scope: sc}, engagement.Rooms, 500)
	if err != nil {
		s.Log.Warn("room views", "err", err)
		return nil
	}
	out := make(map[int64]int64, len(rows))
	for _, row := range rows {
		out[row.ID] = row.Views
	}
	return out
}

// setPermission grants or withdraws one permission of a staff user (admins
// only): the form names the permission and on or off.
func (s *Server) setPermission(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	u, err := s.Dir.User(r.Context(), id)
	if err != nil {
		s.notFound(w, r)
		return
	}
	perm, on := r.PostFormValue("permission"), r.PostFormValue("value") == "on"
	perms := slices.DeleteFunc(slices.Clone(u.Permissions), func(p string) bool { return p == perm })
	if on {
		perms = append(perms, perm)
	}
	if _, err := s.Dir.SetPermissions(r.Context(), id, perms); err != nil {
		s.setFlash(w, r, "warning", failure(r, err).Error())
		http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
		return
	}
	s.Auth.Forget(id) // the change applies at once, not after the session cache
	s.setFlash(w, r, "success", permissionChanged(r, u.Name, perm, on))
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
}

// permissionChanged says what a person may now do, or no longer.
func permissionChanged(r *http.Request, name, perm string, on bool) string {
	if perm == directory.PermPublishRooms {
		if on {
			return tr(r, "admin.users.may-publish", "Name", name)
		}
		return tr(r, "admin.users.may-not-publish", "Name", name)
	}
	if on {
		return tr(r, "admin.users.may-use", "Name", name, "Permission", perm)
	}
	return tr(r, "admin.users.may-not-use", "Name", name, "Permission", perm)
}

// formError re-shows a form with field errors, or shows the error page.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, err error, again func(map[string]string)) {
	e := failure(r, err)
	if e.Code == fail.Invalid {
		again(e.Fields)
		return
	}
	s.fail(w, r, err)
}

// fail shows an error page for err: its user-safe message, or a generic one
// (and a log entry) for internal errors.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if store.Unavailable(err) {
		s.unavailable(w, r, err)
		return
	}
	e := failure(r, err)
	switch e.Code {
	case fail.NotFound:
		s.notFound(w, r)
	case fail.Invalid, fail.Conflict:
		s.errorPage(w, r, http.StatusUnprocessableEntity, tr(r, "error.bad-form-title"), e.Message)
	case fail.TooMany:
		s.errorPage(w, r, http.StatusTooManyRequests, tr(r, "admin.error.slow-down"), e.Message)
	default:
		s.Log.Error("request failed", "path", r.URL.Path, "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, tr(r, "error.generic"), tr(r, "admin.error.not-completed"))
	}
}

func idOrNil(s string) *int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id <= 0 {
		return nil
	}
	return &id
}

func ptr[T any](v T) *T { return &v }

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
